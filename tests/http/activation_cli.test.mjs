// `cartable user activation`: codes for the people the académie's feed
// brought (without a password), their letters as one print-ready HTML file
// per class, and the first sign-in with a letter's code over HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { binaryPath, Client, csrfFrom, signInOrThrow, startServer } from '../support/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const generator = path.resolve(here, '../../tools/aaf/generate.mjs');
const CODE = /[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}/g;

function cartable(args, { dataDir, input, cwd } = {}) {
  const full = dataDir ? [...args, '--data-dir', dataDir] : args;
  const result = spawnSync(binaryPath(), full, { input, cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function letters(html) {
  const found = [];
  const pattern = /<dd class="letter-login">([^<]+)<\/dd>\s*<dt>Code d'activation<\/dt><dd class="letter-code">([^<]+)<\/dd>/g;
  for (const match of html.matchAll(pattern)) found.push({ login: match[1], code: match[2] });
  return found;
}

test('user activation: letters per class from an AAF import, then a first sign-in with a code', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'cartable-activation-'));
  try {
    const help = cartable(['user', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /user activation --structure UAI \[--class CLASSE\]/);

    const generated = spawnSync(process.execPath, [generator, 'sample', path.join(work, 'sample')],
      { encoding: 'utf8', timeout: 120_000 });
    assert.equal(generated.status, 0, generated.stderr);
    const dataDir = path.join(work, 'data');
    const imported = cartable(['import', 'aaf', path.join(work, 'sample', 'complet')], { dataDir });
    assert.equal(imported.status, 0, imported.stderr);

    // Every class of the structure, into the current directory.
    const all = path.join(work, 'all');
    spawnSync('mkdir', ['-p', all]);
    const run = cartable(['user', 'activation', '--structure', '0300021U'], { dataDir, cwd: all });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /2NDE1 : \d+ lettre\(s\) dans .*lettres-activation-2nde1\.html/);
    assert.doesNotMatch(run.stdout + run.stderr, CODE, 'codes are in the letters only');
    const files = readdirSync(all).sort();
    assert.ok(files.includes('lettres-activation-2nde1.html'), files.join(', '));
    assert.ok(files.includes('lettres-activation-personnels.html'), files.join(', '));
    let total = 0;
    let guardians = 0;
    for (const file of files) {
      const html = readFileSync(path.join(all, file), 'utf8');
      assert.match(html, /^<!doctype html>/m);
      assert.match(html, /@media print/);
      assert.match(html, /size: A4/);
      assert.match(html, /break-after: page/);
      assert.match(html, /Madame, Monsieur,/);
      assert.match(html, /Première connexion avec un code d&#39;activation|Première connexion avec un code d'activation/);
      const found = letters(html);
      assert.ok(found.length > 0, file);
      assert.equal((html.match(/<article class="letter">/g) || []).length, found.length);
      total += found.length;
      guardians += (html.match(/responsable de /g) || []).length;
    }
    assert.ok(guardians > 0, 'guardians have letters under their children\'s class');
    const codes = new Set(files.flatMap((file) => letters(readFileSync(path.join(all, file), 'utf8')).map((l) => l.code)));
    assert.equal(codes.size, total, 'one code per person');

    // Nobody left without a code: a second run writes nothing.
    const again = cartable(['user', 'activation', '--structure', '0300021U', '--out', path.join(work, 'again')], { dataDir });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /aucune lettre écrite/);

    // One class, students only, new codes.
    const renewedDir = path.join(work, 'renewed');
    const renewed = cartable(['user', 'activation', '--structure', '0300021U', '--class', '2NDE1', '--profile', 'student',
      '--renew', '--out', renewedDir], { dataDir });
    assert.equal(renewed.status, 0, renewed.stderr);
    assert.deepEqual(readdirSync(renewedDir), ['lettres-activation-2nde1.html']);
    const renewedLetters = letters(readFileSync(path.join(renewedDir, 'lettres-activation-2nde1.html'), 'utf8'));
    assert.ok(renewedLetters.length > 0);
    for (const letter of renewedLetters) assert.ok(!codes.has(letter.code), 'a renewed code is new');

    const unknown = cartable(['user', 'activation', '--structure', '0300021U', '--class', 'XYZ'], { dataDir, cwd: work });
    assert.notEqual(unknown.status, 0);
    assert.match(unknown.stderr, /Aucune classe « XYZ »/);
    const nowhere = cartable(['user', 'activation', '--structure', '9999999Z'], { dataDir, cwd: work });
    assert.notEqual(nowhere.status, 0);

    // The first sign-in with the renewed code sets the password.
    const { login, code } = renewedLetters[0];
    const server = await startServer({ dataDir, keepDataDir: true });
    try {
      const client = new Client(server.url);
      const form = await client.get('/connexion/activation');
      assert.equal(form.status, 200);
      const wrong = await client.postForm('/connexion/activation', {
        csrf: csrfFrom(form.text), identifiant: login, code: 'AAAA-BBBB-CCCC',
        mot_de_passe: 'Cévennes-2027', confirmation: 'Cévennes-2027',
      });
      assert.equal(wrong.status, 401);
      const activated = await client.postForm('/connexion/activation', {
        csrf: csrfFrom(wrong.text), identifiant: login, code: code.toLowerCase().replaceAll('-', ''),
        mot_de_passe: 'Cévennes-2027', confirmation: 'Cévennes-2027',
      });
      assert.equal(activated.status, 303, activated.text.slice(0, 500));
      assert.equal(activated.response.headers.get('location'), '/premiere-connexion');

      const other = new Client(server.url);
      await signInOrThrow(other, login, 'Cévennes-2027');
      const home = await other.get('/accueil');
      assert.equal(home.status, 200);
      assert.ok(!server.stderr().includes(code) && !server.stdout().includes(code), 'no code in the logs');
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
