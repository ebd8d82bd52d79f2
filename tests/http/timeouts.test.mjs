// Timeouts: a client that stops half-way through its request, or keeps an
// idle connection, is let go; the server keeps answering others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../support/server.mjs';

function closedWithin(port, data, limitMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(data));
    const give_up = setTimeout(() => { socket.destroy(); resolve(null); }, limitMs);
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => { clearTimeout(give_up); resolve(Date.now() - started); });
  });
}

test('slow or idle clients are disconnected after the configured time', async () => {
  const server = await startServer({ env: { CARTABLE_REQUEST_TIMEOUT_SECONDS: '1', CARTABLE_KEEP_ALIVE_SECONDS: '1' } });
  try {
    // Half a request header, then nothing (a slowloris client).
    const half = await closedWithin(server.port, 'GET /portail/0300027A HTTP/1.1\r\nHost: x\r\n', 6000);
    assert.ok(half !== null && half < 4000, `half-sent request closed after ${half} ms`);
    // A connection opened and never used.
    const idle = await closedWithin(server.port, '', 6000);
    assert.ok(idle !== null && idle < 4000, `idle connection closed after ${idle} ms`);
    // A body announced and never sent.
    const body = await closedWithin(server.port,
      'POST /connexion/identifiants HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nabc', 6000);
    assert.ok(body !== null && body < 4000, `unfinished body closed after ${body} ms`);
    const page = await fetch(new URL("/portail/0300027A", server.url));
    assert.equal(page.status, 200);
  } finally {
    await server.stop();
  }
});
