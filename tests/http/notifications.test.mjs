// Notifications against the real binary: a message written by a teacher
// reaches by e-mail the guardian who opted in (through a real SMTP server,
// Debian's aiosmtpd), nobody who did not, and by SMS (a local HTTP gateway)
// the guardian who chose it. With the mail server down, the message waits
// (shown on /admin/envois) and leaves once it is back; a Cartable killed
// after the commit and restarted delivers it exactly once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, DEMO_PASSWORD, signInOrThrow, startServer } from '../support/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUPPORT = path.resolve(here, '../support');
const SMS_USER = 'cartable-sms';
const SMS_PASSWORD = 'Secret-SMS-9137';
const SOPHIE_PHONE = '06 12 34 56 78';

let workDir;
before(() => { workDir = mkdtempSync(path.join(tmpdir(), 'cartable-notify-')); });
after(() => { if (workDir) rmSync(workDir, { recursive: true, force: true }); });

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
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

/** aiosmtpd on that port, saving each message as JSON in `directory`. */
async function startSmtp(port, directory) {
  const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'smtp_sink.Saver', directory], {
    env: { ...process.env, PYTHONPATH: SUPPORT },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitFor(() => new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  }), 'aiosmtpd to listen');
  return {
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function received(directory) {
  let names = [];
  try { names = readdirSync(directory).filter((name) => name.endsWith('.json')).sort(); } catch { return []; }
  return names.map((name) => JSON.parse(readFileSync(path.join(directory, name), 'utf8')));
}

/** Headers (unfolded, lower-case names), the decoded subject and text part. */
function parseMail(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = {};
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const decodeWords = (value) => value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?B\?([^?]*)\?=/g,
    (_, b64) => Buffer.from(b64, 'base64').toString('utf8'));
  const boundary = /boundary="([^"]+)"/.exec(headers['content-type'])?.[1];
  const parts = {};
  for (const chunk of raw.slice(split + 4).split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const end = chunk.indexOf('\r\n\r\n');
    const type = /Content-Type: ([^;\r\n]+)/i.exec(chunk.slice(0, end))[1];
    parts[type] = Buffer.from(chunk.slice(end + 4).replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { headers, subject: decodeWords(headers.subject), parts };
}

/** A local SMS gateway: records each request (headers and JSON body). */
async function startSmsGateway() {
  const requests = [];
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"queued"}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { requests, port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}

function environment(smtpPort, smsPort) {
  return {
    CARTABLE_SMTP_HOST: '127.0.0.1',
    CARTABLE_SMTP_PORT: String(smtpPort),
    CARTABLE_SMTP_SECURITY: 'none',
    CARTABLE_MAIL_FROM: 'ENT Cité scolaire André Chamson <ne-pas-repondre@ent.example.fr>',
    CARTABLE_MAIL_RETRY_DELAY_SECONDS: '1',
    CARTABLE_SMS_GATEWAY_URL: `http://127.0.0.1:${smsPort}/envoi`,
    CARTABLE_SMS_USERNAME: SMS_USER,
    CARTABLE_SMS_PASSWORD: SMS_PASSWORD,
    CARTABLE_SMS_TEMPLATE: '{"destinataire": "{{to}}", "message": "{{text}}"}',
    CARTABLE_SMS_CONTENT_TYPE: 'application/json',
  };
}

async function signedIn(server, login, options) {
  const client = new Client(server.url);
  await signInOrThrow(client, login, DEMO_PASSWORD, options);
  return client;
}

async function savePreferences(client, fields) {
  const page = await client.get('/preferences/modifier');
  assert.equal(page.status, 200);
  const saved = await client.postForm('/preferences/modifier', { csrf: csrfFrom(page.text), joindre: '', sms: '', ...fields });
  assert.equal(saved.status, 303, saved.text.slice(0, 2000));
}

async function writeMessage(teacher, recipients, subject) {
  const page = await teacher.get('/messagerie/nouveau');
  const fields = new URLSearchParams({ csrf: csrfFrom(page.text), objet: subject, corps: 'Bonjour,\nTexte privé du message.', action: 'envoyer' });
  for (const id of recipients) fields.append('destinataire', String(id));
  const sent = await teacher.fetch('/messagerie/nouveau', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  assert.equal(sent.status, 303, await sent.text());
  const box = await teacher.get('/messagerie/envoyes');
  const id = new RegExp(`href="/messagerie/messages/(\\d+)"[^>]*>\\s*${subject}`).exec(box.text)?.[1]
    ?? /href="\/messagerie\/messages\/(\d+)"/.exec(box.text)?.[1];
  assert.ok(id, 'the sent message is listed');
  return id;
}

/** A person's id, from the teacher's recipient search. */
async function personId(teacher, fullName) {
  const page = await teacher.get(`/messagerie/nouveau?recherche=${encodeURIComponent(fullName.split(' ')[1])}`);
  const match = new RegExp(`<li>${fullName}[^<]*<button[^>]*name="ajouter" value="(\\d+)"`).exec(page.text);
  assert.ok(match, `${fullName} among the search results`);
  return match[1];
}

describe('notifications of a new message, by e-mail and SMS', () => {
  let smtp;
  let sms;
  let server;
  let smtpPort;
  let mailDir;
  let dataDir;
  after(async () => {
    await server?.stop();
    await smtp?.close();
    await sms?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('opted-in guardians are told, the others are not; a down mail server delays, a kill loses nothing', { timeout: 180_000 }, async () => {
    smtpPort = await freePort();
    mailDir = path.join(workDir, 'mail');
    smtp = await startSmtp(smtpPort, mailDir);
    sms = await startSmsGateway();
    dataDir = mkdtempSync(path.join(tmpdir(), 'cartable-notify-data-'));
    server = await startServer({ env: environment(smtpPort, sms.port), dataDir });

    // André opts in to e-mail; Sophie to SMS only; Karim to nothing.
    const andre = await signedIn(server, 'andre.chamson');
    await savePreferences(andre, { email: 'andre.chamson@example.fr', notifications_etablissement: '1' });
    const sophie = await signedIn(server, 'sophie.roux');
    await savePreferences(sophie, { email: 'sophie.roux@example.fr', notifications_etablissement: '1', telephone1: SOPHIE_PHONE, sms: 'telephone1' });
    const choices = await sophie.get('/preferences/notifications');
    assert.equal(choices.status, 200);
    assert.ok(!choices.text.includes('SMS indisponibles'));
    const saved = await sophie.postForm('/preferences/notifications', {
      csrf: csrfFrom(choices.text), choix_message_0_ent: '1', choix_message_0_sms: '1',
    });
    assert.equal(saved.status, 303);
    const karim = await signedIn(server, 'karim.benali');
    await savePreferences(karim, { email: 'karim.benali@example.fr' });

    const teacher = await signedIn(server, 'samuel.beaumont');
    const ids = [];
    for (const name of ['André CHAMSON', 'Sophie ROUX', 'Karim BENALI']) ids.push(await personId(teacher, name));
    const first = await writeMessage(teacher, ids, 'Sortie au musée');

    const mail = await waitFor(() => received(mailDir)[0], 'the e-mail to André');
    assert.deepEqual(mail.to, ['andre.chamson@example.fr']);
    const parsed = parseMail(mail.raw);
    assert.equal(parsed.subject, 'Nouveau message de Samuel BEAUMONT');
    assert.match(parsed.parts['text/plain'], new RegExp(`/messagerie/messages/${first}\\b`));
    assert.ok(!parsed.parts['text/plain'].includes('Texte privé'), 'never the text');
    assert.ok(!parsed.parts['text/plain'].includes('Sortie au musée'), 'never the subject');

    const text = await waitFor(() => sms.requests[0], 'the SMS to Sophie');
    assert.equal(text.method, 'POST');
    assert.equal(text.url, '/envoi');
    assert.equal(text.headers['content-type'], 'application/json');
    assert.equal(text.headers.authorization, `Basic ${Buffer.from(`${SMS_USER}:${SMS_PASSWORD}`).toString('base64')}`);
    const body = JSON.parse(text.body);
    assert.match(body.destinataire.replace(/\D/g, ''), /612345678$/);
    assert.ok([...body.message].length <= 160, body.message);
    assert.match(body.message, /^Cartable : Nouveau message de Samuel BEAUMONT/);
    assert.ok(!body.message.includes('Sortie'));

    await sleep(1500);
    assert.equal(received(mailDir).length, 1, 'Sophie (SMS only) and Karim (opted out) get no e-mail');
    assert.equal(sms.requests.length, 1, 'one SMS');
    assert.ok(!server.stdout().includes(SMS_PASSWORD) && !server.stderr().includes(SMS_PASSWORD), 'the password is never logged');

    // The mail server goes down: the next message waits, shown to administrators.
    await smtp.close();
    const second = await writeMessage(teacher, [ids[0]], 'Réunion parents');
    const admin = await signedIn(server, 'admin.ent', { profil: 'autre' });
    const waiting = await waitFor(async () => {
      const page = await admin.get('/admin/envois');
      return /Couldn&#39;t connect|Could not connect|Failed to connect/i.test(page.text) ? page.text : null;
    }, 'the failed attempt on /admin/envois');
    assert.match(waiting, /En attente/);
    assert.match(waiting, /an•••@example\.fr/);
    smtp = await startSmtp(smtpPort, mailDir);
    const late = await waitFor(() => received(mailDir)[1], 'the second e-mail once the server is back', 60_000);
    assert.match(parseMail(late.raw).parts['text/plain'], new RegExp(`/messagerie/messages/${second}\\b`));

    // Down again; a third message is committed, then Cartable is killed.
    await smtp.close();
    const third = await writeMessage(teacher, [ids[0]], 'Conseil de classe');
    server.process.kill('SIGKILL');
    await server.exited;
    smtp = await startSmtp(smtpPort, mailDir);
    server = await startServer({ env: environment(smtpPort, sms.port), dataDir });
    const resent = await waitFor(() => received(mailDir)[2], 'the third e-mail after the restart', 60_000);
    assert.match(parseMail(resent.raw).parts['text/plain'], new RegExp(`/messagerie/messages/${third}\\b`));
    await sleep(3000);
    const all = received(mailDir);
    assert.equal(all.length, 3, 'each message exactly once');
    assert.equal(all.filter((m) => parseMail(m.raw).parts['text/plain'].includes(`/messagerie/messages/${third}`)).length, 1);
  });
});
