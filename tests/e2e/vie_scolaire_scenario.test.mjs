// The whole scenario (#8), through the real pages: Samuel BEAUMONT
// calls the roll of a TPRO lesson and marks Louis CHAMSON absent; André
// CHAMSON, his father, is notified, justifies the absence with a PDF; the CPE
// accepts it; André sees « justifiée ». Samuel enters marks for TPRO and
// publishes them; André sees Louis's mark and the class average; the
// principal publishes the bulletins of the period; André downloads the PDF.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoHorizontalScroll, serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { tproLessonNow } from '../support/attendance_fixture.mjs';
import { schoolToday } from '../support/lesson_book_fixture.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function person(login, width = 1280, options = {}) {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width, height: 844 }, ...options });
  const page = await context.newPage();
  const monitor = watchPage(page);
  await signInToAccueil(page, shared.server.url, login, DEMO_PASSWORD);
  return { context, page, monitor };
}

// The default period of today (core/school/periods.h): trimestres 1 Sept –
// 30 Nov, 1 Dec – 15 March, 16 March – 31 Aug.
function currentPeriod() {
  const date = new Date(schoolToday() * 86_400_000);
  const month = date.getUTCMonth() + 1;
  const day = date.getUTCDate();
  if (month >= 9 && month <= 11) return 'Trimestre 1';
  if (month === 12 || month <= 2 || (month === 3 && day <= 15)) return 'Trimestre 2';
  return 'Trimestre 3';
}

test('roll_call_justification_marks_and_bulletin_from_teacher_to_father', { timeout: 300_000 }, async () => {
  // Samuel BEAUMONT on his phone: « Vie scolaire », « Faire l'appel » of
  // his TPRO lesson under way (moved to now, whatever the day the test
  // runs), Louis absent, « Valider l'appel ».
  tproLessonNow(shared.server.dataDir);
  const samuel = await person('samuel.beaumont', 390);
  await samuel.page.getByRole('button', { name: 'MENU' }).click();
  await samuel.page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Vie scolaire' }).click();
  await samuel.page.getByRole('heading', { level: 1, name: 'Faire l\'appel' }).waitFor();
  const current = samuel.page.locator('.call-current');
  await current.getByText('TPRO').first().waitFor();
  await current.getByRole('link', { name: 'Faire l\'appel' }).click();
  await samuel.page.getByRole('group', { name: 'CHAMSON Louis' }).getByRole('radio', { name: 'Absent' }).check();
  await samuel.page.getByRole('button', { name: 'Valider l\'appel' }).click();
  await samuel.page.getByText('Appel validé.').waitFor();
  await assertNoHorizontalScroll(samuel.page);
  samuel.monitor.check();
  await samuel.context.close();

  // André CHAMSON is told, and justifies with a PDF.
  const andre = await person('andre.chamson', 390);
  await andre.page.goto(`${shared.server.url}/notifications`);
  await andre.page.getByText('Absence de Louis CHAMSON').first().waitFor();
  await andre.page.goto(`${shared.server.url}/vie-scolaire?eleve=${await childId(andre.page)}`);
  await andre.page.getByRole('heading', { level: 1, name: 'Absences et retards – Louis CHAMSON' }).waitFor();
  await andre.page.getByText('non justifiée', { exact: true }).first().waitFor();
  await andre.page.getByRole('link', { name: /^Justifier/ }).first().click();
  await andre.page.getByLabel('Motif').selectOption({ label: 'Raison familiale' });
  await andre.page.getByLabel('Commentaire').fill('Rendez-vous chez le notaire à Nîmes avec toute la famille.');
  await andre.page.getByLabel('Justificatif (photo ou PDF)').setInputFiles({ name: 'convocation.pdf', mimeType: 'application/pdf', buffer: PDF });
  await andre.page.getByRole('button', { name: 'Envoyer le justificatif' }).click();
  await andre.page.getByText(/^Votre justificatif a bien été reçu le /).waitFor();
  await andre.page.getByText('en attente', { exact: true }).first().waitFor();
  await assertNoHorizontalScroll(andre.page);

  // The CPE accepts it.
  const cpe = await person('nathalie.vidal');
  await cpe.page.goto(`${shared.server.url}/vie-scolaire/justificatifs`);
  const item = cpe.page.getByRole('listitem').filter({ hasText: 'Rendez-vous chez le notaire à Nîmes' });
  await item.getByRole('link', { name: 'convocation.pdf' }).waitFor();
  await item.getByRole('button', { name: /^Accepter/ }).click();
  await cpe.page.getByText('Le justificatif est accepté : la famille en est informée.').waitFor();
  cpe.monitor.check();
  await cpe.context.close();

  // André sees « justifiée ».
  await andre.page.goto(`${shared.server.url}/vie-scolaire?eleve=${await childId(andre.page)}`);
  await andre.page.getByRole('row').filter({ hasText: 'Raison familiale' }).getByText('justifiée', { exact: true }).first().waitFor();

  // Samuel enters marks for TPRO and publishes them.
  const title = 'La rupture du contrat de travail';
  const teacher = await person('samuel.beaumont');
  await teacher.page.goto(`${shared.server.url}/evaluations`);
  await teacher.page.getByRole('link', { name: 'Nouvelle évaluation' }).click();
  await teacher.page.getByLabel('Classe et matière').selectOption({ label: 'TPRO — ÉCONOMIE-GESTION' });
  await teacher.page.getByLabel('Titre').fill(title);
  await teacher.page.getByRole('button', { name: 'Créer l\'évaluation' }).click();
  await teacher.page.getByRole('heading', { level: 1, name: 'Saisie des notes' }).waitFor();
  await teacher.page.getByLabel('Note de Louis CHAMSON').fill('16');
  await teacher.page.getByLabel('Note de Lucas MARTIN').fill('9,5');
  await teacher.page.getByLabel('Note de Emma ROUX').fill('13');
  await teacher.page.getByRole('button', { name: 'Enregistrer les notes' }).click();
  await teacher.page.getByText('Les notes sont enregistrées.').waitFor();
  await teacher.page.getByRole('button', { name: 'Publier les notes' }).click();
  await teacher.page.getByText('Les notes sont publiées', { exact: false }).waitFor();
  teacher.monitor.check();
  await teacher.context.close();

  // André sees Louis's mark and the class average.
  await andre.page.goto(`${shared.server.url}/evaluations?eleve=${await childId(andre.page)}`);
  const mark = andre.page.locator('li.grades-mark', { hasText: title });
  await mark.getByText('Note : 16 /20').waitFor();
  assert.match(await mark.innerText(), /Moyenne de la classe\s*12,83/);
  await assertNoHorizontalScroll(andre.page);

  // The principal publishes the period's bulletins of TPRO.
  const period = currentPeriod();
  const principal = await person('philippe.garnier');
  await principal.page.goto(`${shared.server.url}/evaluations/bulletins`);
  await principal.page.getByRole('row', { name: /^TPRO/ }).getByRole('link', { name: new RegExp(`^${period}`) }).click();
  await principal.page.getByRole('heading', { level: 1, name: new RegExp(`^Bulletins – TPRO – ${period}`) }).waitFor();
  await principal.page.getByRole('button', { name: 'Publier les bulletins' }).click();
  await principal.page.getByText(/^Les bulletins sont publiés/).waitFor();
  principal.monitor.check();
  await principal.context.close();

  // André downloads Louis's bulletin.
  await andre.context.close();
  const phone = await person('andre.chamson', 390, { acceptDownloads: true });
  await phone.page.goto(`${shared.server.url}/notifications`);
  await phone.page.getByText(`Bulletin du ${period} disponible`).first().waitFor();
  await phone.page.goto(`${shared.server.url}/evaluations/bulletins?eleve=${await childId(phone.page)}`);
  const [download] = await Promise.all([
    phone.page.waitForEvent('download'),
    phone.page.getByRole('link', { name: 'Télécharger le bulletin (PDF)' }).first().click(),
  ]);
  const directory = mkdtempSync(join(tmpdir(), 'scenario-'));
  try {
    const file = join(directory, 'bulletin.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    assert.match(text, /Louis CHAMSON/);
    assert.match(text, new RegExp(`Bulletin du ${period}`));
    assert.match(text, /ÉCONOMIE-GESTION/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  await assertNoHorizontalScroll(phone.page);
  phone.monitor.check();
  await phone.context.close();
});

// Louis's id, read from the « Profil affiché » choices of the Accueil.
async function childId(page) {
  if (!childId.cached) {
    await page.goto(`${shared.server.url}/accueil`);
    const value = await page.getByLabel('Profil affiché').locator('option', { hasText: 'Louis CHAMSON' }).getAttribute('value');
    childId.cached = value;
  }
  return childId.cached;
}
