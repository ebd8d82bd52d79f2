// A 100 MB upload streamed to /admin/depot must not grow the server's memory:
// VmRSS is sampled every 5 ms during the upload and must stay under 50 MB.
import assert from 'node:assert/strict';
import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Client, csrfFrom, memoryOf, signInOrThrow, startServer } from '../support/server.mjs';
import { listedFiles, patternChunk, streamMultipart } from '../support/upload.mjs';

const SIZE = 100 * 1000 * 1000; // 100 MB
const LIMIT = 50 * 1000 * 1000; // 50 MB

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

function sha256OfPattern(size) {
  const hash = createHash('sha256');
  const chunk = patternChunk(0, 1 << 20); // repeats every 256 bytes
  for (let offset = 0; offset < size; offset += chunk.length) {
    hash.update(chunk.subarray(0, Math.min(chunk.length, size - offset)));
  }
  return hash.digest('hex');
}

async function sha256OfFile(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

test('a 100 MB upload is streamed to disk with VmRSS under 50 MB', { timeout: 60_000 }, async (t) => {
  const client = new Client(server.url);
  await signInOrThrow(client, 'admin.ent', undefined, { profil: 'autre' });
  const csrf = csrfFrom((await client.get('/admin/depot')).text);
  assert.ok(csrf);
  // argon2id allocated 64 MiB during sign-in: let the allocator give it back.
  await sleep(1000);

  const before = memoryOf(server.pid);
  const samples = [];
  const sampler = setInterval(() => {
    const m = memoryOf(server.pid);
    if (m) samples.push(m.rss);
  }, 5); // the upload takes a tenth of a second or less

  let r;
  const started = Date.now();
  try {
    r = await streamMultipart({
      url: `${server.url}/admin/depot`, cookie: client.cookieHeader(), fields: { csrf },
      fileName: 'annuaire-100mo.xml', size: SIZE, chunkSize: 1 << 20,
    });
  } finally {
    clearInterval(sampler);
  }
  const seconds = (Date.now() - started) / 1000;
  const max = Math.max(...samples);
  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  t.diagnostic(`upload of ${mb(SIZE)} in ${seconds.toFixed(2)} s; VmRSS before ${mb(before.rss)}, max during ${mb(max)} over ${samples.length} samples`);

  assert.ok(samples.length >= 3, 'enough samples');
  assert.equal(r.status, 200, r.body.slice(0, 300));
  assert.ok(r.body.includes('1 fichier déposé.'), 'success message');
  assert.ok(max < LIMIT, `max VmRSS during the upload ${mb(max)} must stay under ${mb(LIMIT)}`);

  const file = path.join(server.dataDir, 'import', 'inbox', '0300027A', 'annuaire-100mo.xml');
  assert.equal(statSync(file).size, SIZE, 'complete file on disk');
  assert.equal(await sha256OfFile(file), sha256OfPattern(SIZE), 'same bytes as sent');
  const row = listedFiles(r.body).find((cells) => cells[0] === 'annuaire-100mo.xml');
  assert.ok(row, 'the file is listed');
  assert.match(row[1], /^95[,.]4 Mo$|^100 000 000 octets$|^100[,.]0 Mo$/, `listed size ${row[1]}`);
});
