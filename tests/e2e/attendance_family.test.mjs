// The issue's scenario on the families' side of the vie scolaire (the
// absences are written into the database as the roll call will): André
// CHAMSON, on his phone, opens « Vie scolaire », sees Louis's absence
// « non justifiée », « Justifier » with a PDF; Nathalie VIDAL, the CPE, finds
// it in « Justificatifs à traiter » and « Accepter »; André sees
// « justifiée », then declares an absence in advance.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoHorizontalScroll, serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { isoDay, schoolToday } from '../support/lesson_book_fixture.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

function sql(statements) {
  const run = spawnSync('sqlite3', [path.join(shared.server.dataDir, 'cartable.sqlite3')], { input: statements, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sqlite3: ${run.stderr}`);
  return run.stdout.trim();
}

// An absence of Louis CHAMSON yesterday 08:00–09:00, as the roll call records it.
function louisAbsentYesterday() {
  const now = Math.floor(Date.now() / 1000);
  const louis = "(SELECT id FROM identity_user WHERE login = 'louis.chamson')";
  return Number(sql(`INSERT INTO attendance_event (structure_id, student_id, kind, day, start_minute, end_minute, recorded_at) `
    + `VALUES ((SELECT structure_id FROM identity_user WHERE login = 'louis.chamson'), ${louis}, 'absence', `
    + `${schoolToday() - 1}, 480, 540, ${now}) RETURNING id;\n`));
}

// « lundi 30 novembre 2026 », as the pages write a day.
function longDay(days) {
  const text = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(days * 86_400_000));
  return text.replace(/^(\S+) 1 /, '$1 1er ');
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('guardian_justifies_absence', { timeout: 120_000 }, async () => {
  const event = louisAbsentYesterday();
  const phone = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const father = await phone.newPage();
  const fatherMonitor = watchPage(father);
  await signInToAccueil(father, shared.server.url, 'andre.chamson', DEMO_PASSWORD);
  await father.goto(`${shared.server.url}/vie-scolaire`);
  await father.getByRole('heading', { level: 1, name: 'Absences et retards – Louis CHAMSON' }).waitFor();
  const children = father.getByRole('navigation', { name: 'Profil affiché' });
  assert.equal(await children.getByRole('link', { name: 'Louis CHAMSON' }).getAttribute('aria-current'), 'page');
  const yesterday = longDay(schoolToday() - 1);
  const row = father.getByRole('row', { name: new RegExp(`^${yesterday} 08:00 – 09:00`) });
  await row.getByText('non justifiée').waitFor();
  await assertNoHorizontalScroll(father);
  await row.getByRole('link', { name: /^Justifier/ }).click();
  await father.getByRole('heading', { level: 1, name: 'Justifier une absence de Louis CHAMSON' }).waitFor();
  await assertNoHorizontalScroll(father);
  await father.getByLabel('Motif').selectOption({ label: 'Raison familiale' });
  await father.getByLabel('Commentaire').fill('Obsèques de son grand-père à Alès.');
  await father.getByLabel('Justificatif (photo ou PDF)').setInputFiles({ name: 'faire-part.pdf', mimeType: 'application/pdf', buffer: PDF });
  await father.getByRole('button', { name: 'Envoyer le justificatif' }).click();
  await father.getByText(/^Votre justificatif a bien été reçu le /).waitFor();
  await father.getByRole('link', { name: 'faire-part.pdf' }).waitFor();
  await father.getByText('en attente', { exact: true }).first().waitFor();
  await assertNoHorizontalScroll(father);

  // The CPE, at her desk.
  const desk = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const cpe = await desk.newPage();
  const cpeMonitor = watchPage(cpe);
  await signInToAccueil(cpe, shared.server.url, 'nathalie.vidal', DEMO_PASSWORD);
  await cpe.goto(`${shared.server.url}/vie-scolaire/justificatifs`);
  await cpe.getByRole('heading', { level: 1, name: 'Justificatifs à traiter' }).waitFor();
  const item = cpe.getByRole('listitem').filter({ hasText: 'Obsèques de son grand-père à Alès.' });
  await item.getByRole('link', { name: 'faire-part.pdf' }).waitFor();
  await item.getByLabel('Commentaire').fill('Toutes nos condoléances.');
  await item.getByRole('button', { name: /^Accepter/ }).click();
  await cpe.getByText('Le justificatif est accepté : la famille en est informée.').waitFor();
  assert.equal(await cpe.getByText('Obsèques de son grand-père à Alès.').count(), 0);
  await cpe.setViewportSize({ width: 390, height: 844 });
  await assertNoHorizontalScroll(cpe);
  cpeMonitor.check();
  await desk.close();

  // André sees the decision.
  await father.goto(`${shared.server.url}/vie-scolaire`);
  await father.getByRole('row', { name: new RegExp(`^${yesterday} 08:00 – 09:00`) }).getByText('justifiée', { exact: true }).waitFor();
  assert.equal(await father.getByRole('link', { name: /^Justifier/ }).count(), 0);
  await father.goto(`${shared.server.url}/notifications`);
  await father.getByText('Justificatif accepté pour Louis CHAMSON').first().waitFor();
  assert.ok(event > 0);

  // An absence declared in advance, with a rendez-vous médical.
  await father.goto(`${shared.server.url}/vie-scolaire`);
  await father.getByRole('link', { name: 'Déclarer une absence à l\'avance' }).click();
  await father.getByRole('heading', { level: 1, name: 'Déclarer une absence à l\'avance' }).waitFor();
  await assertNoHorizontalScroll(father);
  const day = isoDay(schoolToday() + 3);
  await father.getByLabel('Du', { exact: true }).fill(day);
  await father.getByLabel('à partir de').fill('14:00');
  await father.getByLabel('Au', { exact: true }).fill(day);
  await father.getByLabel('Motif').selectOption({ label: 'Rendez-vous médical' });
  await father.getByLabel('Commentaire').fill('Consultation chez l\'ophtalmologiste à Ganges.');
  await father.getByRole('button', { name: 'Envoyer la déclaration' }).click();
  await father.getByText(/^Votre déclaration d'absence a bien été reçue le /).waitFor();
  await father.getByText('acceptée', { exact: true }).first().waitFor();
  await father.getByRole('link', { name: 'Absences et retards' }).click();
  await father.getByRole('link', { name: /^Déclaration d'absence – Du / }).waitFor();
  fatherMonitor.check();
  await phone.close();
});
