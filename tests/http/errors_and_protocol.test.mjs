// Error pages in French, malformed requests over raw TCP, keep-alive,
// security headers on every response, static caching.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, parseResponses, rawExchange, SIGN_IN_FORM, startServer } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

const frenchPage = (text) => /<html lang="fr"/.test(text);

async function stillAnswers() {
  const r = await new Client(server.url).get('/portail/0300027A');
  assert.equal(r.status, 200, 'the server still answers');
}

describe('error pages', () => {
  test('unknown routes: 404 « Page introuvable » in French', async () => {
    for (const p of ['/nope', '/portail/0000000X', '/accueil/plus/loin', '/admin/inconnu']) {
      const r = await new Client(server.url).get(p);
      assert.equal(r.status, 404, p);
      assert.ok(r.text.includes('Page introuvable'), p);
      assert.ok(frenchPage(r.text), p);
      assert.match(r.response.headers.get('content-type'), /^text\/html/);
    }
  });

  test('an unknown static file: 404 (in French)', async () => {
    const r = await new Client(server.url).get('/static/nothing.css');
    assert.equal(r.status, 404);
    assert.match(r.text, /introuvable/);
  });

  test('wrong method: 405 in French', async () => {
    for (const [method, p] of [['DELETE', '/'], ['PUT', '/connexion'], ['POST', '/portail/0300027A']]) {
      const r = await new Client(server.url).fetch(p, { method });
      assert.equal(r.status, 405, `${method} ${p}`);
      const text = await r.text();
      assert.ok(frenchPage(text), `${method} ${p}`);
    }
  });

  test('a 405 carries an Allow header (RFC 9110 §15.5.6: MUST)', async () => {
    for (const [method, p] of [['DELETE', '/'], ['PUT', '/connexion']]) {
      const r = await new Client(server.url).fetch(p, { method });
      await r.text();
      assert.equal(r.status, 405);
      assert.ok(r.headers.get('allow'), `Allow header for ${method} ${p}`);
    }
  });

  test('bad percent-encoding and invalid UTF-8 in path or query: 400 in French', async () => {
    for (const target of ['/portail/%ZZ', '/%C3%28', '/portail/0300027A?x=%ZZ', '/connexion?profil=%C3%28', '/accueil%']) {
      const { text } = await rawExchange(server.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      const [res] = parseResponses(text);
      assert.ok(res, `a response for ${target}`);
      assert.equal(res.status, 400, target);
      assert.ok(frenchPage(res.body), target);
    }
    await stillAnswers();
  });

  test('a urlencoded body above 1 MiB: 413 « Envoi trop volumineux »', async () => {
    const client = new Client(server.url);
    const token = csrfFrom((await client.get(SIGN_IN_FORM)).text);
    const big = 'x'.repeat(1024 * 1024 + 10);
    let r;
    try {
      r = await client.postForm('/connexion/identifiants', { csrf: token, identifiant: 'a', mot_de_passe: big });
    } catch (error) {
      assert.fail(`the server should answer 413 before closing (${error.cause?.code || error.message})`);
    }
    assert.equal(r.status, 413);
    assert.ok(r.text.includes('Envoi trop volumineux'));
    assert.ok(frenchPage(r.text));
    await stillAnswers();
  });

  test('a declared Content-Length above the limit is refused at once with 413', async () => {
    const head = `POST /connexion/identifiants HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\nidentifiant=a`;
    const { text } = await rawExchange(server.port, head, { idleMs: 2000 });
    const [res] = parseResponses(text);
    assert.ok(res, 'a response before the body is sent');
    assert.equal(res.status, 413);
    assert.ok(res.body.includes('Envoi trop volumineux'));
    await stillAnswers();
  });

  test('a header above 16 KiB: 431 in French', async () => {
    const { text } = await rawExchange(server.port,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Grand: ${'a'.repeat(17 * 1024)}\r\nConnection: close\r\n\r\n`);
    const [res] = parseResponses(text);
    assert.ok(res, 'a response');
    assert.equal(res.status, 431);
    assert.ok(frenchPage(res.body));
    await stillAnswers();
  });
});

describe('malformed requests over a raw socket', () => {
  const cases = {
    'garbage request line': 'BONJOUR\r\n\r\n',
    'binary garbage': '\x00\x01\x02\xff\xfe\r\n\r\n',
    'missing HTTP version': 'GET /\r\nHost: x\r\n\r\n',
    'unknown HTTP version': 'GET / HTTP/7.3\r\nHost: x\r\n\r\n',
    'header without colon': 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nPasDeDeuxPoints\r\n\r\n',
    'space before colon': 'GET / HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n',
    'bad Content-Length': 'POST /connexion/identifiants HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n',
    'two Content-Length': 'POST /connexion/identifiants HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd',
    'invalid UTF-8 in path': 'GET /\xc3\x28 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    'invalid UTF-8 percent-encoded': 'GET /%C3%28 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  };
  for (const [name, bytes] of Object.entries(cases)) {
    test(`${name} → 400, then the server still answers`, async () => {
      const { text } = await rawExchange(server.port, Buffer.from(bytes, 'latin1'));
      assert.match(text, /^HTTP\/1\.1 400 /, `${name}: got ${JSON.stringify(text.slice(0, 80))}`);
      await stillAnswers();
    });
  }

  test('a client that disconnects mid-request does not hurt the server', async () => {
    await rawExchange(server.port, 'GET /portail/0300027A HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A', { idleMs: 100 });
    await rawExchange(server.port, 'POST /connexion/identifiants HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc', { idleMs: 100 });
    await stillAnswers();
  });
});

describe('connection handling and headers', () => {
  test('keep-alive: several requests on one connection (pipelined)', async () => {
    const one = 'GET /portail/0300027A HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const last = 'GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';
    const { text } = await rawExchange(server.port, one + one + 'GET /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' + last);
    const responses = parseResponses(text);
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 404]);
    assert.ok(responses[0].body.includes('CITE SCOLAIRE ANDRE CHAMSON'));
  });

  test('keep-alive: sequential requests reuse the connection', async () => {
    const net = await import('node:net');
    const socket = net.connect({ host: '127.0.0.1', port: server.port });
    await new Promise((r) => socket.once('connect', r));
    let buffer = '';
    socket.setEncoding('latin1');
    socket.on('data', (d) => { buffer += d; });
    try {
      for (let i = 1; i <= 3; i++) {
        socket.write('GET /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        const deadline = Date.now() + 3000;
        while (parseResponses(buffer).length < i && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        assert.equal(parseResponses(buffer).length, i, `response ${i} on the same connection`);
      }
      assert.ok(!socket.destroyed);
    } finally {
      socket.destroy();
    }
  });

  test('every response carries the security headers', async () => {
    const client = new Client(server.url);
    const targets = [['GET', '/'], ['GET', '/connexion'], ['GET', '/nope'], ['DELETE', '/'], ['GET', '/accueil'], ['GET', '/static/cartable.css'], ['POST', '/connexion/identifiants']];
    for (const [method, p] of targets) {
      const r = await client.fetch(p, { method });
      await r.text();
      const csp = r.headers.get('content-security-policy');
      assert.ok(csp, `CSP on ${method} ${p}`);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', `${method} ${p}`);
      assert.ok(r.headers.get('referrer-policy'), `Referrer-Policy on ${method} ${p}`);
    }
    // Also on a 400 produced by the HTTP parser.
    const { text } = await rawExchange(server.port, 'BONJOUR\r\n\r\n');
    assert.match(text, /content-security-policy: [^\r]*frame-ancestors 'none'/i);
    assert.match(text, /x-content-type-options: nosniff/i);
  });

  test('pages link a fingerprinted stylesheet served as immutable; the plain one has an ETag and answers 304', async () => {
    const client = new Client(server.url);
    const page = await client.get('/');
    const href = /<link rel="stylesheet" href="(\/static\/[^/"]+\/cartable\.css)">/.exec(page.text)?.[1];
    assert.ok(href, 'fingerprinted stylesheet link');
    const css = await client.fetch(href);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type'), /^text\/css/);
    const cc = css.headers.get('cache-control');
    assert.match(cc, /public/);
    assert.match(cc, /max-age=31536000/);
    assert.match(cc, /immutable/);
    const body = await css.text();

    const plain = await client.fetch('/static/cartable.css');
    assert.equal(plain.status, 200);
    const etag = plain.headers.get('etag');
    assert.ok(etag, 'ETag');
    assert.equal(await plain.text(), body, 'same stylesheet');
    const revalidated = await client.fetch('/static/cartable.css', { headers: { 'if-none-match': etag } });
    assert.equal(revalidated.status, 304);
    assert.equal(await revalidated.text(), '');
    const changed = await client.fetch('/static/cartable.css', { headers: { 'if-none-match': '"autre"' } });
    assert.equal(changed.status, 200);
    await changed.text();
  });
});
