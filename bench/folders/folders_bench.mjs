// The « Dossiers partagés » benchmark against the real server (release
// build): a folder of 1 000 files listed (p50, p99), a 100 MB
// upload and download with curl compared with `cp` of the same file, and
// the server's resident memory meanwhile.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomFillSync as fill } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, csrfFrom, memoryOf, signInOrThrow, startServer } from '../../tests/support/server.mjs';

const BIG = 100 * 1024 * 1024;
const FILES = 1000;
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

function run(command, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, stdout: result.stdout };
}

// Runs curl while sampling the server's RSS every 10 ms.
async function curlWatched(pid, args) {
  let peak = 0;
  const timer = setInterval(() => { peak = Math.max(peak, memoryOf(pid)?.rss ?? 0); }, 10);
  const started = process.hrtime.bigint();
  const out = await new Promise((resolve, reject) => {
    const child = spawn('curl', args);
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`curl exited ${code}`))));
  });
  clearInterval(timer);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, out, peak };
}

// Sequential GETs through one keep-alive connection (node's fetch), after
// a warm-up: p50, p99 of the whole exchange as the client sees it.
async function latencies(client, url, count = 400) {
  for (let index = 0; index < 20; index++) await client.get(url);
  const times = [];
  for (let index = 0; index < count; index++) {
    const started = process.hrtime.bigint();
    const { status } = await client.get(url);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (status !== 200) throw new Error(`${url} answered ${status}`);
  }
  times.sort((a, b) => a - b);
  const at = (p) => times[Math.min(times.length - 1, Math.floor((times.length * p) / 100))];
  return { p50: at(50), p99: at(99) };
}

const work = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), 'cartable-folders-bench-'));
const server = await startServer({ env: { CARTABLE_LOG_LEVEL: 'warn' } });
try {
  const client = new Client(server.url);
  const session = await signInOrThrow(client, 'samuel.beaumont');
  let space = null;
  for (let id = 1; id <= 60 && !space; id++) {
    const page = await client.get(`/espaces/${id}/dossiers`);
    if (page.status === 200 && page.text.includes('<h1 class="page-title">Classe TPRO</h1>')) space = `/espaces/${id}`;
  }
  let page = await client.get(`${space}/dossiers`);
  const csrf = csrfFrom(page.text);
  await client.postForm(`${space}/dossiers`, { csrf, dossier: '0', nom: 'Mille fichiers', description: 'Banc d\'essai' });
  page = await client.get(`${space}/dossiers`);
  const folderPath = /href="(\/espaces\/\d+\/dossiers\/\d+)">Mille fichiers</.exec(page.text)[1];
  const folder = folderPath.split('/').pop();

  // 1 000 small files, 100 per request, with names like a class's work.
  for (let batch = 0; batch < FILES / 100; batch++) {
    const form = new FormData();
    form.set('csrf', csrf);
    form.set('dossier', folder);
    for (let index = 0; index < 100; index++) {
      const number = batch * 100 + index + 1;
      form.append('fichiers', new Blob([`Devoir ${number} : analyse d'une entreprise du Vigan.\n`.repeat(20)]),
        `Devoir ${String(number).padStart(4, '0')} - économie-gestion.txt`);
    }
    const response = await client.fetch(`${space}/fichiers`, { method: 'POST', body: form });
    if (response.status !== 303) throw new Error(`upload batch ${batch}: ${response.status}`);
    await response.arrayBuffer();
  }
  const listing = await client.get(folderPath);
  const rows = (listing.text.match(/class="folder-item/g) || []).length;
  const listed = await latencies(client, folderPath);
  const last = await latencies(client, `${folderPath}?page=10`);
  const root = await latencies(client, `${space}/dossiers`);
  const members = await latencies(client, `${space}/membres`);

  // 100 MB of random bytes (no compression anywhere to help).
  const big = path.join(work, 'Rapport de stage.bin');
  const descriptor = openSync(big, 'w');
  const chunk = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < BIG; written += chunk.length) {
    fill(chunk);
    writeSync(descriptor, chunk);
  }
  closeSync(descriptor);
  run('sync', []);
  const copies = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const copy = path.join(work, `copie-${attempt}.bin`);
    copies.push(run('cp', [big, copy]).seconds);
    rmSync(copy);
  }
  const cp = copies.sort((a, b) => a - b)[1];
  const before = memoryOf(server.pid);
  const uploads = [];
  const downloads = [];
  let peak = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const up = await curlWatched(server.pid, ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Cookie: cartable_session=${session}`,
      '-F', `csrf=${csrf}`, '-F', 'dossier=0', '-F', `fichiers=@${big}`, `${server.url}${space}/fichiers`]);
    if (up.out !== '303') throw new Error(`upload answered ${up.out}`);
    uploads.push(up.seconds);
    peak = Math.max(peak, up.peak);
    page = await client.get(`${space}/dossiers`);
    const ids = [...page.text.matchAll(/href="(\/espaces\/\d+\/fichiers\/\d+)" download>Rapport de stage[^<]*\.bin</g)].map((m) => m[1]);
    const target = path.join(work, 'recu.bin');
    const down = await curlWatched(server.pid, ['-sS', '-o', target, '-w', '%{http_code}', '-H', `Cookie: cartable_session=${session}`,
      `${server.url}${ids[ids.length - 1]}`]);
    if (down.out !== '200' || statSync(target).size !== BIG) throw new Error(`download answered ${down.out}`);
    if (attempt === 0) run('cmp', [big, target]);
    downloads.push(down.seconds);
    peak = Math.max(peak, down.peak);
    rmSync(target);
    // Into the trash and out of the quota for the next round.
    const id = ids[ids.length - 1].split('/').pop();
    await client.postForm(`${space}/elements/${id}/supprimer`, { csrf });
    await client.postForm(`${space}/dossiers/corbeille/vider`, { csrf });
  }
  const median = (values) => values.sort((a, b) => a - b)[1];
  const up = median(uploads);
  const down = median(downloads);
  const after = memoryOf(server.pid);
  const rate = (seconds) => (BIG / seconds / 1024 / 1024).toFixed(0);
  const ms = (value) => `${value.toFixed(2)} ms`;
  console.log(`folder of ${FILES} files, its first page (${rows} rows): p50 ${ms(listed.p50)}, p99 ${ms(listed.p99)}`);
  console.log(`the same folder, its last page: p50 ${ms(last.p50)}, p99 ${ms(last.p99)}`);
  console.log(`the root folder (3 items, the tree of ${FILES + 3} read): p50 ${ms(root.p50)}, p99 ${ms(root.p99)}`);
  console.log(`the space's « Membres » page, for comparison: p50 ${ms(members.p50)}, p99 ${ms(members.p99)}`);
  console.log(`cp of 100 MB (median of 3): ${(cp * 1000).toFixed(0)} ms, ${rate(cp)} MB/s`);
  console.log(`upload of 100 MB with curl (median of 3): ${(up * 1000).toFixed(0)} ms, ${rate(up)} MB/s, ${(cp / up * 100).toFixed(0)} % of cp`);
  console.log(`download of 100 MB with curl (median of 3): ${(down * 1000).toFixed(0)} ms, ${rate(down)} MB/s, ${(cp / down * 100).toFixed(0)} % of cp`);
  console.log(`server RSS: ${mb(before.rss)} MB before, peak ${mb(peak)} MB during the transfers, ${mb(after.rss)} MB after (VmHWM ${mb(after.hwm)} MB)`);
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
