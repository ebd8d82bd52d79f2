// The scenario for the évaluations: Samuel BEAUMONT creates « Le
// contrat de travail » for TPRO in ÉCONOMIE-GESTION, types marks with the
// keyboard (Enter goes down to the next student), pastes a column copied
// from a spreadsheet, « Enregistrer les notes », « Publier les notes »;
// André CHAMSON, on his phone, picks Louis in « Profil affiché » and sees
// his mark and the class average, without horizontal scrolling.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoHorizontalScroll, serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

test('teacher_enters_and_publishes_marks_and_the_father_sees_them', { timeout: 120_000 }, async () => {
  const title = 'Le contrat de travail';
  const desk = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await desk.newPage();
  const monitor = watchPage(page);
  await signInToAccueil(page, shared.server.url, 'samuel.beaumont', DEMO_PASSWORD);
  await page.getByRole('link', { name: 'Évaluations', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Évaluations' }).waitFor();
  await page.getByRole('link', { name: 'Nouvelle évaluation' }).click();
  await page.getByLabel('Classe et matière').selectOption({ label: 'TPRO — ÉCONOMIE-GESTION' });
  await page.getByLabel('Titre').fill(title);
  await page.getByLabel('Coefficient', { exact: false }).fill('2');
  await page.getByRole('button', { name: "Créer l'évaluation" }).click();
  await page.getByRole('heading', { level: 1, name: 'Saisie des notes' }).waitFor();

  // The keyboard: a mark, Enter, the next student's input has the focus.
  const louis = page.getByLabel('Note de Louis CHAMSON');
  const lucas = page.getByLabel('Note de Lucas MARTIN');
  const emma = page.getByLabel('Note de Emma ROUX');
  await louis.focus();
  await page.keyboard.type('14,5');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), await lucas.getAttribute('id'));
  await page.keyboard.type('NR');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), await emma.getAttribute('id'));
  await page.keyboard.type('Abs');
  assert.equal(await page.url().includes('/evaluations/'), true, 'Enter did not submit the form');

  // A column pasted from a spreadsheet into Louis's input fills the rows below.
  await louis.evaluate((input) => {
    const data = new DataTransfer();
    data.setData('text/plain', '15\r\n11\r\n17\r\n');
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  assert.equal(await louis.inputValue(), '15');
  assert.equal(await lucas.inputValue(), '11');
  assert.equal(await emma.inputValue(), '17');
  await page.getByRole('button', { name: 'Enregistrer les notes' }).click();
  await page.getByText('Les notes sont enregistrées.').waitFor();
  assert.equal(await louis.inputValue(), '15');
  // (15 + 11 + 17) / 3
  await page.locator('.grades-figures dd', { hasText: '14,33' }).first().waitFor();
  await page.getByRole('button', { name: 'Publier les notes' }).click();
  await page.getByText('Les notes sont publiées', { exact: false }).waitFor();
  monitor.check();
  await desk.close();

  const phone = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const father = await phone.newPage();
  const fatherMonitor = watchPage(father);
  await signInToAccueil(father, shared.server.url, 'andre.chamson', DEMO_PASSWORD);
  await father.goto(`${shared.server.url}/evaluations`);
  await father.getByLabel('Profil affiché').selectOption({ label: 'Louis CHAMSON' });
  await father.getByRole('button', { name: 'Afficher', exact: true }).click();
  await father.getByRole('heading', { level: 1, name: 'Évaluations — Louis CHAMSON' }).waitFor();
  const subject = father.locator('section.grades-subject', { has: father.getByRole('heading', { name: 'ÉCONOMIE-GESTION' }) });
  const mark = subject.locator('li.grades-mark', { hasText: title });
  await mark.getByText('Note : 15 /20').waitFor();
  assert.match(await mark.innerText(), /Moyenne de la classe\s*14,33/);
  assert.match(await mark.innerText(), /Note la plus basse\s*11/);
  await assertNoHorizontalScroll(father);
  fatherMonitor.check();
  await phone.close();
});
