// The whole scenario (#7), through the real pages: Samuel BEAUMONT
// enters a séance with homework for TPRO due the next school day from his
// week; Louis CHAMSON sees it in « Travail à faire » and ticks « Fait »;
// André CHAMSON, his father, sees it with the tick; the CPE sends a note to
// the TPRO guardians; André signs it; the CPE sees the signature count change.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoHorizontalScroll, serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

// The next school day after today in Paris, « 2026-11-30 ».
function nextSchoolDay() {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const day = new Date(`${today}T12:00:00Z`);
  do {
    day.setUTCDate(day.getUTCDate() + 1);
  } while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  return day.toISOString().slice(0, 10);
}

async function person(login, width = 1280) {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width, height: 844 } });
  const page = await context.newPage();
  const monitor = watchPage(page);
  await signInToAccueil(page, shared.server.url, login, DEMO_PASSWORD);
  return { context, page, monitor };
}

function menu(page) {
  return page.getByRole('navigation', { name: 'Menu principal' });
}

test('homework_from_the_teacher_to_the_family_and_a_note_signed_by_the_father', { timeout: 180_000 }, async () => {
  const homework = 'Relire la fiche sur la rupture du contrat de travail et faire l\'exercice 3';

  // Samuel BEAUMONT: from his week, a TPRO lesson without séance, two clicks.
  const samuel = await person('samuel.beaumont');
  await samuel.page.goto(`${shared.server.url}/cahier-de-textes/enseignant`);
  await samuel.page.getByRole('heading', { level: 1, name: 'Cahier de textes' }).waitFor();
  await samuel.page.getByRole('link', { name: 'Semaine suivante' }).click();
  await samuel.page.getByRole('heading', { level: 1, name: 'Cahier de textes' }).waitFor();
  const lesson = samuel.page.locator('li.lesson-book-lesson', { hasText: 'TPRO' })
    .filter({ has: samuel.page.getByRole('link', { name: 'Saisir la séance' }) }).first();
  await lesson.getByRole('link', { name: 'Saisir la séance' }).click();
  await samuel.page.getByRole('heading', { level: 1, name: 'Saisir la séance' }).waitFor();
  await samuel.page.getByLabel('Titre').fill('La rupture du contrat de travail');
  await samuel.page.getByRole('textbox', { name: /^Contenu/ }).click();
  await samuel.page.keyboard.type('Démission, licenciement, rupture conventionnelle : étude de trois cas.');
  await samuel.page.getByLabel('Pour le').fill(nextSchoolDay());
  await samuel.page.getByLabel('Description').fill(homework);
  await samuel.page.getByLabel(/^Durée estimée/).fill('30');
  await samuel.page.getByRole('button', { name: 'Enregistrer' }).click();
  await samuel.page.getByText('La séance est enregistrée.').waitFor();
  samuel.monitor.check();
  await samuel.context.close();

  // Louis CHAMSON, on his phone: « Travail à faire » on the Accueil, then « Fait ».
  const louis = await person('louis.chamson', 390);
  const block = louis.page.getByRole('region', { name: 'Travail à faire' });
  await block.getByText(homework).waitFor();
  await assertNoHorizontalScroll(louis.page);
  await louis.page.goto(`${shared.server.url}/cahier-de-textes`);
  const item = louis.page.locator('article.lesson-book-homework', { hasText: homework });
  await item.getByRole('button', { name: 'Marquer comme fait' }).click();
  await louis.page.locator('article.lesson-book-homework', { hasText: homework }).getByText('Fait', { exact: true }).waitFor();
  await assertNoHorizontalScroll(louis.page);
  louis.monitor.check();
  await louis.context.close();

  // André CHAMSON sees the homework with Louis's tick.
  const andre = await person('andre.chamson', 390);
  await andre.page.getByLabel('Profil affiché').selectOption({ label: 'Louis CHAMSON' });
  await andre.page.getByRole('button', { name: 'Afficher' }).click();
  await andre.page.getByRole('region', { name: 'Travail à faire' }).getByText(homework).waitFor();
  await andre.page.goto(`${shared.server.url}/cahier-de-textes`);
  await andre.page.getByLabel('Profil affiché').selectOption({ label: 'Louis CHAMSON' });
  await andre.page.getByRole('button', { name: 'Afficher' }).click();
  const seen = andre.page.locator('article.lesson-book-homework', { hasText: homework });
  await seen.getByText('Fait', { exact: true }).waitFor();
  assert.equal(await seen.getByRole('button').count(), 0, 'a guardian never changes « Fait »');

  // The CPE writes to the TPRO guardians.
  const title = 'Réunion parents-professeurs de TPRO';
  const cpe = await person('nathalie.vidal');
  await menu(cpe.page).getByRole('link', { name: 'Carnet de liaison' }).click();
  await cpe.page.getByRole('link', { name: 'Nouveau mot' }).click();
  await cpe.page.getByLabel('TPRO', { exact: true }).check();
  await cpe.page.getByLabel('Titre', { exact: true }).fill(title);
  await cpe.page.getByLabel('Catégorie').selectOption({ label: 'Convocation' });
  await cpe.page.getByRole('textbox', { name: 'Texte du mot', exact: true }).click();
  await cpe.page.keyboard.type('La réunion parents-professeurs de TPRO aura lieu le mardi 8 décembre à 17 h 30, salle polyvalente.');
  await cpe.page.getByRole('button', { name: 'Envoyer le mot' }).click();
  await cpe.page.getByText('Votre mot est envoyé aux familles.').waitFor();
  const row = cpe.page.getByRole('row', { name: new RegExp(title) });
  await row.getByRole('link', { name: /^0 signature sur \d+$/ }).waitFor();
  const total = (await row.getByRole('link', { name: /^0 signature sur \d+$/ }).textContent()).match(/sur (\d+)/)[1];

  // André signs it from his phone.
  const toggle = andre.page.getByRole('button', { name: /MENU/ });
  if (await toggle.isVisible()) await toggle.click();
  await menu(andre.page).getByRole('link', { name: 'Carnet de liaison' }).click();
  await andre.page.getByRole('link', { name: title }).first().click();
  await andre.page.getByRole('heading', { level: 1, name: title }).waitFor();
  await andre.page.getByRole('button', { name: 'J\'ai pris connaissance' }).click();
  await andre.page.getByText(/Signé par André CHAMSON le /).first().waitFor();
  await assertNoHorizontalScroll(andre.page);
  andre.monitor.check();
  await andre.context.close();

  // The CPE sees one more signature.
  await cpe.page.reload();
  await cpe.page.getByRole('row', { name: new RegExp(title) }).getByRole('link', { name: `1 signature sur ${total}` }).waitFor();
  cpe.monitor.check();
  await cpe.context.close();
});
