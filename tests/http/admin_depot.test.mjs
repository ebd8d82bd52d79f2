// /admin/depot: access control, CSRF, small uploads, upload size limit.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, csrfFrom, parseResponses, rawExchange, signInOrThrow, startServer } from '../support/server.mjs';
import { listedFiles, patternChunk, streamMultipart } from '../support/upload.mjs';

let server;
let small;
before(async () => {
  [server, small] = await Promise.all([
    startServer(),
    startServer({ env: { CARTABLE_MAX_UPLOAD_BYTES: String(64 * 1024) } }),
  ]);
});
after(async () => { await Promise.all([server?.stop(), small?.stop()]); });

async function admin(srv) {
  const client = new Client(srv.url);
  await signInOrThrow(client, 'admin.ent', undefined, { profil: 'autre' });
  const page = await client.get('/admin/depot');
  assert.equal(page.status, 200);
  return { client, csrf: csrfFrom(page.text), page };
}

// admin.ent administers the demo structure: its inbox is named by its UAI.
const inbox = (srv) => path.join(srv.dataDir, 'import', 'inbox', '0300027A');

test('not signed in: /admin/depot redirects to /connexion', async () => {
  const r = await new Client(server.url).get('/admin/depot');
  assert.equal(r.status, 303);
  assert.equal(new URL(r.response.headers.get('location'), server.url).pathname, '/connexion');
});

test('non-administrators get 403 on GET and POST /admin/depot', async () => {
  for (const who of ['andre.chamson', 'samuel.beaumont', 'nathalie.vidal', 'philippe.garnier', 'louis.chamson']) {
    const client = new Client(server.url);
    await signInOrThrow(client, who);
    const token = csrfFrom((await client.get('/accueil')).text);
    const get = await client.get('/admin/depot');
    assert.equal(get.status, 403, `GET as ${who}`);
    assert.match(get.text, /<html lang="fr"/);
    const form = new FormData();
    form.append('csrf', token);
    form.append('fichiers', new Blob(['x']), `${who}.csv`);
    const post = await client.fetch('/admin/depot', { method: 'POST', body: form });
    await post.text();
    assert.equal(post.status, 403, `POST as ${who}`);
  }
  let deposited = [];
  try { deposited = readdirSync(inbox(server)); } catch { /* no inbox yet */ }
  assert.deepEqual(deposited.filter((n) => /^[a-z]+\.[a-z]+\.csv$/.test(n)), [], 'nothing deposited');
});

test('the administrator sees the upload form', async () => {
  const { page } = await admin(server);
  assert.match(page.text, /<form method="post" action="\/admin\/depot" enctype="multipart\/form-data"/);
  assert.match(page.text, /<input id="fichiers" name="fichiers" type="file" multiple/);
});

test('the administrator deposits one file: it lands in import/inbox and is listed with its size', async () => {
  const { client, csrf } = await admin(server);
  const content = 'uai;nom\n0300027A;CITE SCOLAIRE ANDRE CHAMSON\n';
  const form = new FormData();
  form.append('csrf', csrf);
  form.append('fichiers', new Blob([content]), 'essai.csv');
  const r = await client.fetch('/admin/depot', { method: 'POST', body: form });
  const text = await r.text();
  assert.equal(r.status, 200);
  assert.ok(text.includes('1 fichier déposé.'), text);
  const row = listedFiles(text).find((cells) => cells[0] === 'essai.csv');
  assert.ok(row, 'essai.csv listed');
  assert.equal(row[1], `${Buffer.byteLength(content)} octets`);
  assert.equal(readFileSync(path.join(inbox(server), 'essai.csv'), 'utf8'), content);
});

test('several files in one upload', async () => {
  const { client, csrf } = await admin(server);
  const form = new FormData();
  form.append('csrf', csrf);
  form.append('fichiers', new Blob(['a'.repeat(1000)]), 'lot-1.csv');
  form.append('fichiers', new Blob([patternChunk(0, 5000)]), 'lot-2.xml');
  const r = await client.fetch('/admin/depot', { method: 'POST', body: form });
  const text = await r.text();
  assert.equal(r.status, 200);
  assert.match(text, /2 fichiers déposés\./);
  assert.equal(statSync(path.join(inbox(server), 'lot-1.csv')).size, 1000);
  assert.deepEqual(readFileSync(path.join(inbox(server), 'lot-2.xml')), patternChunk(0, 5000));
});

test('a file name cannot escape the inbox', async () => {
  const { client, csrf } = await admin(server);
  const form = new FormData();
  form.append('csrf', csrf);
  form.append('fichiers', new Blob(['evil']), '../../evasion.csv');
  const r = await client.fetch('/admin/depot', { method: 'POST', body: form });
  await r.text();
  assert.ok([200, 400].includes(r.status), `status ${r.status}`);
  for (const p of [path.join(server.dataDir, 'evasion.csv'), path.join(server.dataDir, 'import', 'evasion.csv'), path.join(server.dataDir, '..', 'evasion.csv')]) {
    assert.throws(() => statSync(p), `${p} must not exist`);
  }
});

test('an upload without the csrf field is refused with 403 and nothing is stored', async () => {
  const { client } = await admin(server);
  const form = new FormData();
  form.append('fichiers', new Blob(['sans jeton']), 'sans-jeton.csv');
  const r = await client.fetch('/admin/depot', { method: 'POST', body: form });
  const text = await r.text();
  assert.equal(r.status, 403);
  assert.ok(text.includes('Le formulaire a expiré'));
  assert.throws(() => statSync(path.join(inbox(server), 'sans-jeton.csv')));
});

test('a multipart upload above CARTABLE_MAX_UPLOAD_BYTES: 413 « Envoi trop volumineux », no file left', async () => {
  const { client, csrf } = await admin(small);
  let r;
  try {
    r = await streamMultipart({
      url: `${small.url}/admin/depot`, cookie: client.cookieHeader(), fields: { csrf },
      fileName: 'trop-gros.xml', size: 1024 * 1024,
    });
  } catch (error) {
    assert.fail(`no readable answer: the server closed the connection during the upload (${error.code || error.message})`);
  }
  assert.equal(r.status, 413);
  assert.ok(r.body.includes('Envoi trop volumineux'));
  let left = [];
  try { left = readdirSync(inbox(small)); } catch { /* no inbox at all */ }
  assert.deepEqual(left.filter((n) => n.includes('trop-gros')), [], 'no partial file left in the inbox');
  assert.equal((await client.get('/admin/depot')).status, 200, 'still answers');
});

test('a multipart request declaring a Content-Length above the upload limit: 413 before the body is sent', async () => {
  const { client, csrf } = await admin(small);
  const b = 'limite';
  const head = `POST /admin/depot HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${client.cookieHeader()}\r\n`
    + `Content-Type: multipart/form-data; boundary=${b}\r\nContent-Length: ${1024 * 1024}\r\n\r\n`
    + `--${b}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n`
    + `--${b}\r\nContent-Disposition: form-data; name="fichiers"; filename="trop-gros-2.xml"\r\n\r\n`;
  const { text } = await rawExchange(small.port, head, { idleMs: 2000 });
  const [res] = parseResponses(text);
  assert.ok(res, 'an answer');
  assert.equal(res.status, 413, `got ${res.statusLine}`);
  assert.ok(res.body.includes('Envoi trop volumineux'));
});
