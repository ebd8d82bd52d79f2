// SIGTERM: the server stops accepting, finishes the requests in progress
// (here a slow upload), then exits with code 0.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { Client, csrfFrom, signInOrThrow, startServer } from '../support/server.mjs';
import { streamMultipart } from '../support/upload.mjs';

test('SIGTERM during a slow upload lets it finish, then exits 0', { timeout: 30_000 }, async () => {
  const server = await startServer({ keepDataDir: true });
  try {
    const client = new Client(server.url);
    await signInOrThrow(client, 'admin.ent', undefined, { profil: 'autre' });
    const csrf = csrfFrom((await client.get('/admin/depot')).text);

    const SIZE = 2 * 1024 * 1024;
    const CHUNK = 128 * 1024; // 16 chunks, 100 ms apart: about 1.6 s
    let signalled = false;
    let exitedAt = null;
    server.exited.then(() => { exitedAt = Date.now(); });
    const upload = streamMultipart({
      url: `${server.url}/admin/depot`, cookie: client.cookieHeader(), fields: { csrf },
      fileName: 'lent.xml', size: SIZE, chunkSize: CHUNK,
      beforeChunk: async (offset) => {
        if (offset === 4 * CHUNK && !signalled) {
          signalled = true;
          process.kill(server.pid, 'SIGTERM');
        }
        await sleep(100);
      },
    });
    const r = await upload;
    const answeredAt = Date.now();
    assert.ok(signalled, 'SIGTERM was sent during the upload');
    assert.equal(r.status, 200, r.body.slice(0, 300));
    assert.ok(r.body.includes('1 fichier déposé.'));
    assert.ok(exitedAt === null || exitedAt >= answeredAt - 50, 'the server did not exit before answering');
    const { code, signal } = await Promise.race([
      server.exited,
      sleep(10_000, null, { ref: false }).then(() => ({ code: 'timeout', signal: null })),
    ]);
    assert.equal(signal, null, 'exited by itself');
    assert.equal(code, 0, 'exit code 0');
    assert.equal(statSync(path.join(server.dataDir, 'import', 'inbox', '0300027A', 'lent.xml')).size, SIZE, 'complete file on disk');
  } finally {
    await server.stop();
    const { rmSync } = await import('node:fs');
    rmSync(server.dataDir, { recursive: true, force: true });
  }
});

test('SIGTERM with idle keep-alive connections exits promptly with code 0', { timeout: 20_000 }, async () => {
  const server = await startServer();
  const net = await import('node:net');
  const socket = net.connect({ host: '127.0.0.1', port: server.port });
  await new Promise((r) => socket.once('connect', r));
  socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  await new Promise((r) => socket.once('data', r));
  socket.on('error', () => {});
  const started = Date.now();
  const { code, signal } = await server.stop();
  socket.destroy();
  assert.equal(signal, null);
  assert.equal(code, 0);
  assert.ok(Date.now() - started < 5000, `stopped in ${Date.now() - started} ms`);
});
