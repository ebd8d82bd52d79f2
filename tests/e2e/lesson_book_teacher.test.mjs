// The scenario, teacher's side: Samuel BEAUMONT opens his week of
// lessons in the « Cahier de textes », clicks « Saisir la séance » on a TPRO
// lesson (a week the demo left empty), writes the title, the content in the
// editor and homework due tomorrow, saves: the lesson shows « Séance
// saisie ». Then the page on a phone, without horizontal scrolling.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoHorizontalScroll, serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

// The next school day after today in Paris, « 2026-11-30 ».
function tomorrow() {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const day = new Date(`${today}T12:00:00Z`);
  do {
    day.setUTCDate(day.getUTCDate() + 1);
  } while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  return day.toISOString().slice(0, 10);
}

test('teacher_enters_a_seance_and_homework_for_tomorrow_from_his_week', { timeout: 120_000 }, async () => {
  const title = 'Le contrat à durée déterminée : cas de recours';
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const monitor = watchPage(page);
  await signInToAccueil(page, shared.server.url, 'samuel.beaumont', DEMO_PASSWORD);
  await page.goto(`${shared.server.url}/cahier-de-textes/enseignant`);
  await page.getByRole('heading', { level: 1, name: 'Cahier de textes' }).waitFor();
  // Three weeks back: lessons the demo left without séance.
  for (let i = 0; i < 3; i += 1) {
    await page.getByRole('link', { name: 'Semaine précédente' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cahier de textes' }).waitFor();
  }
  const lesson = page.locator('li.lesson-book-lesson', { hasText: 'TPRO' })
    .filter({ has: page.getByRole('link', { name: 'Saisir la séance' }) }).first();
  await lesson.getByRole('link', { name: 'Saisir la séance' }).click();
  await page.getByRole('heading', { level: 1, name: 'Saisir la séance' }).waitFor();
  assert.match(await page.getByLabel('Classe et matière').locator('option:checked').textContent(), /TPRO – ÉCONOMIE-GESTION/);
  await page.getByLabel('Titre').fill(title);
  const content = page.getByRole('textbox', { name: /^Contenu/ });
  await content.click();
  await page.keyboard.type('Les cas de recours au CDD, sa durée maximale et son renouvellement.');
  await page.getByLabel('Pour le').fill(tomorrow());
  await page.getByLabel('Description').fill('Relire la synthèse et faire l\'exercice 2 du document 6.');
  await page.getByLabel(/^Durée estimée/).fill('30');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('La séance est enregistrée.').waitFor();
  const entered = page.locator('li.lesson-book-lesson', { hasText: title });
  await entered.getByText('Séance saisie').waitFor();
  await entered.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByText('Les cas de recours au CDD').waitFor();
  await page.getByRole('heading', { name: /^Travail à faire pour le / }).waitFor();
  monitor.check();
  await context.close();

  const phone = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const small = await phone.newPage();
  await signInToAccueil(small, shared.server.url, 'samuel.beaumont', DEMO_PASSWORD);
  await small.goto(`${shared.server.url}/cahier-de-textes/enseignant`);
  await small.getByRole('heading', { level: 1, name: 'Cahier de textes' }).waitFor();
  await assertNoHorizontalScroll(small);
  await phone.close();
});
