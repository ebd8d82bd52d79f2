// The `cartable` command line: help on each command, routes with their
// capability, local accounts, the demo school's guard, migrations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binaryPath, DEMO_PASSWORD, startServer, Client, signIn } from '../support/server.mjs';

function cartable(args, { input, dataDir } = {}) {
  const full = dataDir ? [...args, '--data-dir', dataDir] : args;
  const result = spawnSync(binaryPath(), full, { input, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('every command has a French --help', () => {
  const general = cartable(['--help']);
  assert.equal(general.status, 0);
  for (const command of ['serve', 'migrate', 'demo', 'user', 'routes']) assert.match(general.stdout, new RegExp(`\\b${command}\\b`));
  for (const [command, expected] of [['serve', /--demo-if-empty/], ['migrate', /migrations/], ['demo', /démonstration/],
    ['user', /user add --login/], ['routes', /capacité/]]) {
    const help = cartable([command, '--help']);
    assert.equal(help.status, 0, command);
    assert.match(help.stdout, expected, command);
  }
  const config = cartable(['--help-config']);
  assert.match(config.stdout, /CARTABLE_DATABASE/);
  const unknown = cartable(['nimportequoi']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /Commande inconnue/);
});

test('routes lists every route with its method, path and capability', () => {
  const routes = cartable(['routes']);
  assert.equal(routes.status, 0);
  const lines = routes.stdout.trim().split('\n').slice(1);
  assert.ok(lines.length >= 8);
  for (const line of lines) assert.match(line, /^(GET|POST)\s+\/\S*\s+[a-z_]+\.[a-z_]+\s+\S+/, line);
  assert.match(routes.stdout, /POST\s+\/connexion\/identifiants\s+account\.sign_in\s+public/);
  assert.match(routes.stdout, /GET\s+\/admin\/depot\s+admin\.deposit_import_files\s+établissement/);
});

test('local accounts: add, sign in, change the password, list; the demo refuses real data', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cartable-cli-'));
  try {
    assert.equal(cartable(['migrate'], { dataDir }).status, 0);
    assert.match(cartable(['migrate'], { dataDir }).stdout, /à jour/);
    const demo = cartable(['demo'], { dataDir });
    assert.equal(demo.status, 0);
    assert.match(demo.stdout, new RegExp(`mot de passe : ${DEMO_PASSWORD}`));
    assert.match(cartable(['demo'], { dataDir }).stdout, /déjà chargé/);

    const add = ['user', 'add', '--login', 'Jean.Dupont', '--first-name', 'Jean', '--last-name', 'DUPONT',
      '--profile', 'teacher', '--structure', '0300027A', '--password-stdin'];
    const weak = cartable(add, { dataDir, input: 'court\n' });
    assert.equal(weak.status, 1);
    assert.match(weak.stderr, /au moins 8 caractères/);
    const added = cartable(add, { dataDir, input: 'premier-mot-de-passe\n' });
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /jean\.dupont/);
    assert.equal(cartable(add, { dataDir, input: 'premier-mot-de-passe\n' }).status, 1);
    const changed = cartable(['user', 'passwd', 'jean.dupont', '--password-stdin'], { dataDir, input: 'second-mot-de-passe\n' });
    assert.equal(changed.status, 0, changed.stderr);
    const list = cartable(['user', 'list'], { dataDir });
    assert.match(list.stdout, /jean\.dupont\s+teacher\s+Jean DUPONT/);
    assert.match(list.stdout, /andre\.chamson\s+guardian\s+André CHAMSON/);

    // Real data now: the demo is refused.
    const refused = cartable(['demo'], { dataDir });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /données réelles/);

    const server = await startServer({ dataDir, keepDataDir: true });
    try {
      const client = new Client(server.url);
      assert.equal((await signIn(client, 'jean.dupont', 'premier-mot-de-passe')).status, 401);
      assert.equal((await signIn(client, 'jean.dupont', 'second-mot-de-passe')).status, 303);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('backup and restore bring the database and files back', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cartable-backup-data-'));
  const backupDir = path.join(mkdtempSync(path.join(tmpdir(), 'cartable-backup-')), 'sauvegarde');
  try {
    assert.equal(cartable(['demo'], { dataDir }).status, 0);
    mkdirSync(path.join(dataDir, 'import', 'inbox'), { recursive: true });
    writeFileSync(path.join(dataDir, 'import', 'inbox', 'ENT_Complet.xml'), '<ficAlimMENESR/>');
    const backup = cartable(['backup', backupDir], { dataDir });
    assert.equal(backup.status, 0, backup.stderr);
    assert.equal(cartable(['backup', backupDir], { dataDir }).status, 2, 'an existing backup is never overwritten');

    const add = ['user', 'add', '--login', 'apres.sauvegarde', '--first-name', 'Après', '--last-name', 'SAUVEGARDE',
      '--profile', 'teacher', '--structure', '0300027A', '--password-stdin'];
    assert.equal(cartable(add, { dataDir, input: 'un-mot-de-passe\n' }).status, 0);
    rmSync(path.join(dataDir, 'import'), { recursive: true, force: true });

    const restore = cartable(['restore', backupDir], { dataDir });
    assert.equal(restore.status, 0, restore.stderr);
    const list = cartable(['user', 'list'], { dataDir }).stdout;
    assert.doesNotMatch(list, /apres\.sauvegarde/);
    assert.match(list, /andre\.chamson/);
    assert.equal(readFileSync(path.join(dataDir, 'import', 'inbox', 'ENT_Complet.xml'), 'utf8'), '<ficAlimMENESR/>');

    // Not a backup: refused, nothing replaced.
    const empty = mkdtempSync(path.join(tmpdir(), 'cartable-not-a-backup-'));
    assert.equal(cartable(['restore', empty], { dataDir }).status, 2);
    rmSync(empty, { recursive: true, force: true });
    assert.match(cartable(['user', 'list'], { dataDir }).stdout, /andre\.chamson/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(path.dirname(backupDir), { recursive: true, force: true });
  }
});
