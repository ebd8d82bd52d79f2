// `cartable import csv`: its help, its usage, a dry run and a real run on
// the demo's structure with the French report (a Windows-1252 file among
// them), a re-run that changes nothing, and an unknown structure refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binaryPath } from '../support/server.mjs';

function cartable(args, { dataDir } = {}) {
  const full = dataDir ? [...args, '--data-dir', dataDir] : args;
  const result = spawnSync(binaryPath(), full, { encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Windows-1252 bytes of a text made of Latin-1 letters (é = 0xE9).
const latin1 = (text) => Buffer.from(text, 'latin1');

test('import csv: help, dry run, French report, idempotent re-run, unknown structure', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'cartable-csv-cli-'));
  try {
    const help = cartable(['import', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /import csv DOSSIER --structure UAI \[--dry-run\]/);
    assert.match(help.stdout, /eleves\.csv/);

    const dataDir = path.join(work, 'data');
    const demo = cartable(['demo'], { dataDir });
    assert.equal(demo.status, 0, demo.stderr);

    const files = path.join(work, 'csv');
    mkdirSync(files);
    writeFileSync(path.join(files, 'eleves.csv'), latin1(
      'identifiant;nom;prénom;civilité;date_naissance;classe;groupes\r\n'
      + 'C1;FABRE;Hélène;Mme;14/05/2011;5B;\r\n'
      + 'C2;ROCHE;Émile;M.;30/13/2011;5B;\r\n'
      + 'C3;VIDAL;Loïc;M.;02/02/2011;5B;"LATIN,THEATRE"\r\n'));
    writeFileSync(path.join(files, 'responsables.csv'),
      '\ufeffidentifiant;nom;prenom;civilite;adresse;code_postal;ville;telephone_domicile;telephone_travail;'
      + 'telephone_portable;mail;eleves;lien;autorite_parentale\n'
      + 'G1;FABRE;Paul;M.;2 rue Basse;30120;LE VIGAN;;;0612345678;paul.fabre@example.fr;C1;pere;oui\n');
    writeFileSync(path.join(files, 'personnels.csv'),
      'identifiant,nom,prenom,civilite,profil,fonction,mail,classes_matieres\n'
      + 'S1,BRUN,Lise,Mme,enseignant,,lise.brun@example.fr,"5B:FRANCAIS"\n');

    const usage = cartable(['import', 'csv', files], { dataDir });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--structure UAI/);

    const plan = cartable(['import', 'csv', files, '--structure', '0300027A', '--dry-run'], { dataDir });
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, /Simulation de l'import CSV \(rien n'a été modifié\) – établissement 0300027A : 3 fichier\(s\), 5 ligne\(s\)/);
    assert.match(plan.stdout, /Total Élève : 2 créé\(s\)/);

    const done = cartable(['import', 'csv', files, '--structure', '0300027a'], { dataDir });
    assert.equal(done.status, 0, done.stderr);
    assert.match(done.stdout, /^Import CSV – établissement 0300027A/);
    assert.match(done.stdout, /Personnes : 4 créée\(s\)/);
    assert.match(done.stdout, /Total Responsable légal : 1 créé\(s\)/);
    assert.match(done.stdout, /Total Enseignant : 1 créé\(s\)/);
    assert.match(done.stdout, /Rejets : 1/);
    assert.match(done.stdout, /eleves\.csv ligne 3 \(C2\) : date de naissance « 30\/13\/2011 » invalide/);
    const listed = cartable(['user', 'list'], { dataDir });
    assert.match(listed.stdout, /helene\.fabre/);

    const again = cartable(['import', 'csv', files, '--structure', '0300027A'], { dataDir });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /Personnes : 0 créée\(s\), 0 modifiée\(s\), 4 inchangée\(s\), 0 partie\(s\)/);

    const unknown = cartable(['import', 'csv', files, '--structure', '0999999Z'], { dataDir });
    assert.notEqual(unknown.status, 0);
    assert.match(unknown.stderr, /Aucun établissement n'a l'UAI « 0999999Z »/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
