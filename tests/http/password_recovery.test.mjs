// « Mot de passe oublié ? » against a real SMTP server (smtp-server from npm)
// offering STARTTLS with a certificate made for the test, and requiring
// AUTH: the mail arrives in French text and HTML, its link sets a new
// password that signs in. And a mail server down at first: the message
// arrives once it is up, exactly once.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { Client, csrfFrom, DEMO_PASSWORD, signIn, signInOrThrow, startServer } from '../support/server.mjs';

const SMTP_USER = 'cartable';
const SMTP_PASSWORD = 'Secret-SMTP-4821-mot';
const FROM = 'ne-pas-repondre@ent.example.fr';
const NEW_PASSWORD = 'Cévennes-2027 neuf';
const SENT = "Si un compte correspond, un message vient d'être envoyé à l'adresse de réception enregistrée.";

let workDir;
let certificate;
let key;
let passwordFile;

before(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'cartable-smtp-'));
  // A self-signed certificate for 127.0.0.1, which Cartable trusts through
  // mail.smtp_ca_file.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', path.join(workDir, 'key.pem'), '-out', path.join(workDir, 'cert.pem'),
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  certificate = readFileSync(path.join(workDir, 'cert.pem'));
  key = readFileSync(path.join(workDir, 'key.pem'));
  passwordFile = path.join(workDir, 'smtp-password');
  writeFileSync(passwordFile, `${SMTP_PASSWORD}\n`, { mode: 0o600 });
});
after(() => { if (workDir) rmSync(workDir, { recursive: true, force: true }); });

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A real SMTP server: STARTTLS offered, AUTH required (after TLS only). */
async function startSmtp(port) {
  const received = [];
  const server = new SMTPServer({
    key,
    cert: certificate,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) return callback(null, { user: SMTP_USER });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          raw: Buffer.concat(chunks).toString('latin1'),
          from: session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: session.user,
        });
        callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { received, close: () => new Promise((resolve) => server.close(resolve)) };
}

function cartableEnvironment(smtpPort, extra = {}) {
  return {
    CARTABLE_SMTP_HOST: '127.0.0.1',
    CARTABLE_SMTP_PORT: String(smtpPort),
    CARTABLE_SMTP_SECURITY: 'starttls',
    CARTABLE_SMTP_USER: SMTP_USER,
    CARTABLE_SMTP_PASSWORD_FILE: passwordFile,
    CARTABLE_SMTP_CA_FILE: path.join(workDir, 'cert.pem'),
    CARTABLE_MAIL_FROM: `ENT Cité scolaire André Chamson <${FROM}>`,
    CARTABLE_ACCESS_LOG: 'true',
    ...extra,
  };
}

/** Headers (unfolded, names in lower case) and the decoded text and HTML parts. */
function parseMail(raw) {
  const bytes = Buffer.from(raw, 'latin1');
  const split = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = {};
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  // RFC 2047 §6.2: the space between two encoded words is dropped.
  const decodeWords = (value) => value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?B\?([^?]*)\?=/g,
    (_, b64) => Buffer.from(b64, 'base64').toString('utf8'));
  const boundary = /boundary="([^"]+)"/.exec(headers['content-type'])?.[1];
  assert.ok(boundary, `multipart/alternative: ${headers['content-type']}`);
  const parts = {};
  const body = bytes.toString('latin1').slice(split + 4);
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const end = chunk.indexOf('\r\n\r\n');
    const partHeaders = chunk.slice(0, end);
    const type = /Content-Type: ([^;\r\n]+)/i.exec(partHeaders)[1];
    assert.match(partHeaders, /charset=UTF-8/);
    assert.match(partHeaders, /Content-Transfer-Encoding: base64/);
    parts[type] = Buffer.from(chunk.slice(end + 4).replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { headers, subject: decodeWords(headers.subject), from: decodeWords(headers.from), parts };
}

async function waitFor(predicate, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function askForLink(server, identifier) {
  const client = new Client(server.url);
  const form = await client.get('/connexion/mot-de-passe-oublie');
  assert.equal(form.status, 200);
  assert.match(form.text, /<label for="identifiant">Identifiant ou adresse électronique<\/label>/);
  const answer = await client.postForm('/connexion/mot-de-passe-oublie', { csrf: csrfFrom(form.text), identifiant: identifier });
  assert.equal(answer.status, 200);
  assert.ok(answer.text.replaceAll('&#39;', "'").includes(SENT), answer.text);
  return answer;
}

describe('password recovery through a real SMTP server with STARTTLS and AUTH', () => {
  let smtp;
  let server;
  before(async () => {
    const port = await freePort();
    smtp = await startSmtp(port);
    server = await startServer({ env: cartableEnvironment(port) });
  });
  after(async () => {
    await server?.stop();
    await smtp?.close();
  });

  test('the credential form links to « Mot de passe oublié ? »', async () => {
    const { text } = await new Client(server.url).get('/connexion/identifiants');
    assert.match(text, /<a href="\/connexion\/mot-de-passe-oublie">Mot de passe oublié \?<\/a>/);
  });

  test('an unknown identifier gets the same answer and no mail', async () => {
    await askForLink(server, 'personne.inconnue');
    await askForLink(server, 'louis.chamson'); // no reception address
    await sleep(1000);
    assert.equal(smtp.received.length, 0);
  });

  test('the mail arrives in French, its link sets a password that signs in', { timeout: 60_000 }, async () => {
    await askForLink(server, 'andre.chamson');
    const mail = await waitFor(() => smtp.received[0], 'the recovery mail');
    assert.equal(mail.secure, true, 'STARTTLS was used');
    assert.equal(mail.user, SMTP_USER, 'authenticated');
    assert.equal(mail.from, FROM);
    assert.deepEqual(mail.to, ['andre.chamson@outlook.fr']);

    const { headers, subject, from, parts } = parseMail(mail.raw);
    assert.equal(subject, 'Nouveau mot de passe – mon ENT Occitanie');
    assert.equal(from, `ENT Cité scolaire André Chamson <${FROM}>`);
    assert.equal(headers.to, 'andre.chamson@outlook.fr');
    assert.match(headers['message-id'], /^<[A-Za-z0-9_-]{43}@ent\.example\.fr>$/);
    assert.match(headers.date, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$/);
    assert.equal(headers['mime-version'], '1.0');
    assert.match(headers['content-type'], /^multipart\/alternative;/);

    const text = parts['text/plain'];
    const html = parts['text/html'];
    assert.ok(text.startsWith('Bonjour,'), text);
    assert.ok(text.includes('votre compte « andre.chamson »'), text);
    assert.ok(text.includes('valable une heure'), text);
    assert.ok(text.includes("Si vous n'êtes pas à l'origine de cette demande"), text);
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /Choisir un nouveau mot de passe<\/a>/);
    // Nothing personal but the login: no name, no address, no child.
    for (const word of ['André', 'CHAMSON', 'Louis', 'Pasteur']) {
      assert.ok(!text.includes(word) && !html.includes(word), `« ${word} » in the mail`);
    }

    const link = new RegExp(`${server.url}(/connexion/nouveau-mot-de-passe/[A-Za-z0-9_-]{43})`).exec(text)?.[1];
    assert.ok(link, `a link to this server in the text: ${text}`);
    assert.ok(html.includes(`href="${server.url}${link}"`), 'the same link in the HTML');

    const client = new Client(server.url);
    const form = await client.get(link);
    assert.equal(form.status, 200);
    assert.match(form.text, /<label for="mot_de_passe">Nouveau mot de passe<\/label>/);
    assert.match(form.text, /<label for="confirmation">Confirmer le mot de passe<\/label>/);
    const changed = await client.postForm(link, { csrf: csrfFrom(form.text), mot_de_passe: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    assert.equal(changed.status, 303);
    assert.equal(changed.response.headers.get('location'), '/connexion/identifiants?mot_de_passe=change');
    const signInPage = await client.get('/connexion/identifiants?mot_de_passe=change');
    assert.match(signInPage.text, /Votre mot de passe a été changé/);

    assert.equal((await signIn(new Client(server.url), 'andre.chamson', DEMO_PASSWORD)).status, 401);
    await signInOrThrow(new Client(server.url), 'andre.chamson', NEW_PASSWORD);
    // The link served once.
    assert.equal((await new Client(server.url).get(link)).status, 410);

    await sleep(1000);
    assert.equal(smtp.received.length, 1, 'one mail, once');
    // Neither the SMTP password nor the link's token reaches the log.
    const token = link.split('/').pop();
    for (const secret of [SMTP_PASSWORD, token, NEW_PASSWORD]) {
      assert.ok(!server.stdout().includes(secret) && !server.stderr().includes(secret), `${secret} in the output`);
    }
    assert.match(server.stderr(), /GET \/connexion\/nouveau-mot-de-passe\/\*\*\* 200/);
  });
});

describe('a mail server down at first', () => {
  let server;
  let smtp;
  after(async () => {
    await server?.stop();
    await smtp?.close();
  });

  test('the message waits, is shown to administrators, then arrives exactly once', { timeout: 90_000 }, async () => {
    const port = await freePort();
    server = await startServer({ env: cartableEnvironment(port, { CARTABLE_MAIL_RETRY_DELAY_SECONDS: '1' }) });
    await askForLink(server, 'andre.chamson');

    const admin = new Client(server.url);
    await signInOrThrow(admin, 'admin.ent', DEMO_PASSWORD, { profil: 'autre' });
    const failing = await waitFor(async () => {
      const page = await admin.get('/admin/envois');
      assert.equal(page.status, 200);
      return /Couldn&#39;t connect|Could not connect|Failed to connect/i.test(page.text) ? page.text : null;
    }, 'the failed attempt on /admin/envois');
    assert.match(failing, /an•••@outlook\.fr/);
    assert.match(failing, /En attente/);
    assert.ok(!failing.includes('andre.chamson@outlook.fr'), 'the address is masked');

    smtp = await startSmtp(port);
    const mail = await waitFor(() => smtp.received[0], 'the mail after the server came up', 60_000);
    assert.deepEqual(mail.to, ['andre.chamson@outlook.fr']);
    assert.equal(mail.secure, true);
    assert.match(parseMail(mail.raw).parts['text/plain'], /nouveau-mot-de-passe\/[A-Za-z0-9_-]{43}/);

    // Later rounds send nothing again.
    await sleep(3000);
    assert.equal(smtp.received.length, 1, 'delivered exactly once');
    const page = await admin.get('/admin/envois');
    assert.match(page.text, /Aucun message en attente ni en échec/);
    assert.match(page.text, /envoyés ces dernières 24 heures : 1/);
  });
});

describe('a mail server that never answers', () => {
  test('does not hold the program when it stops', { timeout: 60_000 }, async () => {
    const sockets = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const server = await startServer({ env: cartableEnvironment(silent.address().port) });
    try {
      await askForLink(server, 'andre.chamson');
      await waitFor(() => sockets.length > 0, 'the connection to the silent server');
      const started = Date.now();
      const { code } = await server.stop();
      assert.equal(code, 0);
      assert.ok(Date.now() - started < 10_000, `stopped in ${Date.now() - started} ms`);
    } finally {
      await server.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
