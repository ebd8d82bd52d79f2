// `cartable import aaf`: its help, the report on the terminal, the import
// history in the console, and a crash in the middle of an import (the
// process killed) that leaves a consistent directory a new run completes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { binaryPath, Client, signInOrThrow, startServer } from '../support/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const generator = path.resolve(here, '../../tools/aaf/generate.mjs');

function cartable(args, { dataDir, input } = {}) {
  const full = dataDir ? [...args, '--data-dir', dataDir] : args;
  const result = spawnSync(binaryPath(), full, { input, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function generate(mode, out, extra = []) {
  const result = spawnSync(process.execPath, [generator, mode, out, ...extra], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, result.stderr);
}

function people(dataDir) {
  const listed = cartable(['user', 'list'], { dataDir });
  assert.equal(listed.status, 0, listed.stderr);
  return listed.stdout.trim().split('\n').length;
}

test('import aaf: help, French report, history in the console', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'cartable-aaf-cli-'));
  try {
    const help = cartable(['import', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /import aaf DOSSIER \[--dry-run\]/);
    assert.match(cartable(['--help']).stdout, /\bimport\b/);

    generate('sample', path.join(work, 'sample'));
    const dataDir = path.join(work, 'data');
    const expected = JSON.parse(readFileSync(path.join(work, 'sample', 'expected.json'), 'utf8'));

    const plan = cartable(['import', 'aaf', path.join(work, 'sample', 'complet'), '--dry-run'], { dataDir });
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, /Simulation de l'import AAF \(rien n'a été modifié\)/);
    assert.match(plan.stdout, new RegExp(`Total Élève : ${expected.complet.created.student} créé\\(s\\)`));
    assert.match(plan.stdout, new RegExp(`Total Responsable légal : ${expected.complet.created.guardian} créé\\(s\\)`));
    assert.doesNotMatch(plan.stderr, /\r\[/, 'no progress bar when stderr is not a terminal');

    const done = cartable(['import', 'aaf', path.join(work, 'sample', 'malformed')], { dataDir });
    assert.equal(done.status, 0, done.stderr);
    assert.match(done.stdout, /Rejets : 6/);
    assert.match(done.stdout, /ENT2026_Complet_Eleve_0000\.xml ligne \d+ \(3999903\) : date de naissance « 31\/02\/2009 » invalide/);

    const mixed = cartable(['import', 'aaf', path.join(work, 'nowhere')], { dataDir });
    assert.notEqual(mixed.status, 0);
    assert.match(mixed.stderr, /n'existe pas/);

    // The administrator reads the report in the console.
    const added = cartable(['user', 'add', '--login', 'admin.lycee', '--first-name', 'Claire', '--last-name', 'ESTÈVE',
      '--profile', 'admin', '--platform-admin', '--structure', '0300021U', '--password-stdin'], { dataDir, input: 'mot-de-passe-admin\n' });
    assert.equal(added.status, 0, added.stderr);
    const server = await startServer({ dataDir, keepDataDir: true });
    try {
      const client = new Client(server.url);
      await signInOrThrow(client, 'admin.lycee', 'mot-de-passe-admin', { profil: 'autre' });
      const history = await client.get('/admin/imports');
      assert.equal(history.status, 200);
      assert.match(history.text, /AAF – export complet \(simulation\)/);
      assert.match(history.text, /AAF – export complet<\/td>/);
      const link = /href="(\/admin\/imports\/\d+)"/.exec(history.text)[1];
      const report = await client.get(link);
      assert.equal(report.status, 200);
      assert.match(report.text, /Rapport d&#39;import|Rapport d'import/);
      assert.match(report.text, /3999903/);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('import aaf: a crash in the middle leaves a consistent directory that a new run completes', { timeout: 300_000 }, async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'cartable-aaf-crash-'));
  try {
    generate('academy', path.join(work, 'academy'), ['--structures', '6', '--students', '20000', '--staff', '800']);
    const files = path.join(work, 'academy', 'complet');

    // The reference: the same files imported without interruption.
    const reference = path.join(work, 'reference');
    const started = Date.now();
    assert.equal(cartable(['import', 'aaf', files], { dataDir: reference }).status, 0);
    const duration = Date.now() - started;
    const expectedPeople = people(reference);

    // Killed (SIGKILL: no clean-up) while the students are being imported:
    // a third of the way (a fixed delay would outlast a quick import).
    const dataDir = path.join(work, 'data');
    assert.equal(cartable(['migrate'], { dataDir }).status, 0);
    const child = spawn(binaryPath(), ['import', 'aaf', files, '--data-dir', dataDir], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, duration / 3));
    child.kill('SIGKILL');
    await exited;

    // What was committed is whole: the database opens and lists people.
    const partial = people(dataDir);
    assert.ok(partial < expectedPeople, `the import was interrupted (${partial} of ${expectedPeople})`);

    const rerun = cartable(['import', 'aaf', files], { dataDir });
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.equal(people(dataDir), expectedPeople);
    const again = cartable(['import', 'aaf', files], { dataDir });
    assert.match(again.stdout, /Personnes : 0 créée\(s\), 0 modifiée\(s\)/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
