// Test support: start the real Cartable binary on an ephemeral port with a
// fresh data directory, talk to it with a small cookie-jar fetch client, sign
// in through the real forms, and read CSRF tokens from pages.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const testsDir = path.resolve(here, '..');

export const DEMO_PASSWORD = 'demo-vigan';

export function binaryPath() {
  return process.env.CARTABLE_BIN
    ? path.resolve(process.env.CARTABLE_BIN)
    : path.resolve(testsDir, '../build/release/app/cartable');
}

// The binary may be rebuilt under us: wait a little for it to reappear.
async function waitForBinary(bin, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(bin)) {
    if (Date.now() > deadline) throw new Error(`Cartable binary not found: ${bin}`);
    await sleep(250);
  }
}

const LISTEN_LINE = /Cartable écoute sur (http:\/\/127\.0\.0\.1:\d+\/)/;

/**
 * Start `cartable serve --demo-if-empty --listen 127.0.0.1:0 --data-dir <tmp>`.
 * Returns {url, port, pid, process, dataDir, stop(), stdout(), stderr(), exited}.
 * `env` adds variables to the server's environment.
 */
export async function startServer({ env = {}, startTimeoutMs = 20_000, keepDataDir = false, dataDir: givenDataDir } = {}) {
  const bin = binaryPath();
  await waitForBinary(bin);
  const dataDir = givenDataDir ?? mkdtempSync(path.join(tmpdir(), 'cartable-test-'));
  if (givenDataDir) keepDataDir = true;
  const args = ['serve', '--demo-if-empty', '--listen', '127.0.0.1:0', '--data-dir', dataDir];
  let child;
  for (let attempt = 0; ; attempt++) {
    try {
      child = spawn(bin, args, {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      await new Promise((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      break;
    } catch (error) {
      // ETXTBSY / ENOENT while the engineer relinks the binary.
      if (attempt >= 20) throw error;
      await sleep(500);
      await waitForBinary(bin);
    }
  }

  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  let exitInfo = null;
  exited.then((info) => { exitInfo = info; });

  const deadline = Date.now() + startTimeoutMs;
  let match = null;
  while (!(match = LISTEN_LINE.exec(out))) {
    if (exitInfo) {
      if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`Cartable exited during start (${JSON.stringify(exitInfo)}).\nstdout:\n${out}\nstderr:\n${err}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`Cartable did not print its listen line within ${startTimeoutMs} ms.\nstdout:\n${out}\nstderr:\n${err}`);
    }
    await sleep(25);
  }
  const url = match[1].replace(/\/$/, '');
  const port = Number(new URL(url).port);

  let stopped = null;
  async function stop({ timeoutMs = 15_000 } = {}) {
    if (stopped) return stopped;
    stopped = (async () => {
      if (!exitInfo) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const info = await exited;
      clearTimeout(timer);
      if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
      return info;
    })();
    return stopped;
  }

  return {
    url,
    port,
    pid: child.pid,
    process: child,
    dataDir,
    stop,
    exited,
    stdout: () => out,
    stderr: () => err,
  };
}

/** VmRSS / VmHWM of a process, in bytes (null when it is gone). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number((new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status) || [])[1]) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/**
 * A fetch client that keeps cookies (from Set-Cookie) and never follows
 * redirects, so tests can assert 303s and Location headers.
 */
export class Client {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookies = new Map();
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  setCookie(name, value) {
    this.cookies.set(name, value);
  }

  async fetch(pathOrUrl, options = {}) {
    const url = new URL(pathOrUrl, this.baseUrl);
    const headers = new Headers(options.headers || {});
    if (this.cookies.size && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    const response = await fetch(url, { ...options, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a))
        || attributes.some((a) => /^\s*expires\s*=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now());
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async get(p, options = {}) {
    const response = await this.fetch(p, options);
    return { response, status: response.status, text: await response.text() };
  }

  /** POST an application/x-www-form-urlencoded form. */
  async postForm(p, fields, options = {}) {
    const body = new URLSearchParams(fields).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...(options.headers || {}) };
    const response = await this.fetch(p, { ...options, method: 'POST', headers, body });
    return { response, status: response.status, text: await response.text() };
  }
}

/** The value of the hidden `csrf` field of a page (null when absent). */
export function csrfFrom(html) {
  const m = /<input[^>]*type="hidden"[^>]*name="csrf"[^>]*value="([^"]*)"/.exec(html)
    || /<input[^>]*name="csrf"[^>]*type="hidden"[^>]*value="([^"]*)"/.exec(html);
  return m ? m[1] : null;
}

export const SIGN_IN_FORM = '/connexion/identifiants?profil=eleve-parent&academie=montpellier';

/**
 * Sign in through the real forms: GET the credentials form (gets the csrf
 * cookie and token), then POST it. Returns {status, response, text, csrf}.
 */
export async function signIn(client, identifiant, motDePasse = DEMO_PASSWORD, { profil = 'eleve-parent', academie = 'montpellier' } = {}) {
  const form = await client.get(`/connexion/identifiants?profil=${encodeURIComponent(profil)}&academie=${encodeURIComponent(academie)}`);
  const csrf = csrfFrom(form.text);
  if (!csrf) throw new Error(`no csrf field on the sign-in form (status ${form.status})`);
  const result = await client.postForm('/connexion/identifiants', {
    csrf, profil, academie, identifiant, mot_de_passe: motDePasse,
  });
  return { ...result, csrf };
}

/** Sign in and assert success; returns the session cookie value. */
export async function signInOrThrow(client, identifiant, motDePasse = DEMO_PASSWORD, options) {
  const r = await signIn(client, identifiant, motDePasse, options);
  if (r.status !== 303 || !client.cookies.get('cartable_session')) {
    throw new Error(`sign-in of ${identifiant} failed: ${r.status}\n${r.text.slice(0, 500)}`);
  }
  if (new URL(r.response.headers.get("location"), client.baseUrl).pathname === '/premiere-connexion') {
    await acceptCharter(client);
  }
  return client.cookies.get('cartable_session');
}

/** « J'accepte la charte d'utilisation de l'ENT », as on the charter page. */
export async function acceptCharter(client) {
  const page = await client.get('/premiere-connexion');
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1];
  if (!version) throw new Error(`no charter to accept (status ${page.status})`);
  const r = await client.postForm('/premiere-connexion/charte', { csrf: csrfFrom(page.text), version });
  if (r.status !== 303) throw new Error(`accepting the charter failed: ${r.status}`);
  return r;
}

/**
 * Send raw bytes over a TCP socket and collect everything the server sends
 * back until it closes the connection or `idleMs` pass without data.
 */
export function rawExchange(port, data, { idleMs = 1500, totalMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks = [];
    let idleTimer;
    const finish = (closed) => {
      clearTimeout(idleTimer);
      clearTimeout(totalTimer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const arm = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => finish(false), idleMs);
    };
    const totalTimer = setTimeout(() => finish(false), totalMs);
    socket.on('connect', () => { socket.write(data); arm(); });
    socket.on('data', (d) => { chunks.push(d); arm(); });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (e) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') finish(true);
      else reject(e);
    });
  });
}

/** Split a raw byte stream into HTTP/1.1 responses (Content-Length framed). */
export function parseResponses(raw) {
  const responses = [];
  let rest = raw;
  while (rest.length) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.slice(0, end);
    const [statusLine, ...headerLines] = head.split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers = {};
    for (const line of headerLines) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const length = Number(headers['content-length'] || 0);
    const body = rest.slice(end + 4, end + 4 + length);
    responses.push({ statusLine, status, headers, body: Buffer.from(body, 'latin1').toString('utf8') });
    rest = rest.slice(end + 4 + length);
  }
  return responses;
}
