// The issue's scenario on the families' side (the homework is written into
// the database as the teachers' pages would): Louis CHAMSON, on his phone,
// sees the ÉCONOMIE-GESTION homework due tomorrow in « Travail à faire » on
// the Accueil and in the Cahier de textes, and ticks « Fait »; André
// CHAMSON, his father, sees it with the tick and cannot change it; the
// print page holds the week.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoHorizontalScroll, launchBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { seedLessonBook } from '../support/lesson_book_fixture.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = { server: null, browser: null, seeded: null };
before(async () => {
  [shared.server, shared.browser] = await Promise.all([startServer(), launchBrowser()]);
  shared.seeded = seedLessonBook(shared.server.dataDir);
});
after(async () => {
  await shared.browser?.close();
  await shared.server?.stop();
});

const HOMEWORK = 'Lire le dossier 4 sur la relation client et répondre aux questions 1 à 5';

test('louis_ticks_done_and_his_father_sees_the_tick', { timeout: 120_000 }, async () => {
  const phone = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const louis = await phone.newPage();
  const louisMonitor = watchPage(louis);
  await signInToAccueil(louis, shared.server.url, 'louis.chamson', DEMO_PASSWORD);
  const block = louis.getByRole('region', { name: 'Travail à faire' });
  await block.getByText('Pour demain – ÉCONOMIE-GESTION').waitFor();
  await block.getByText(HOMEWORK).waitFor();
  assert.equal(await block.getByText('Exercices planifiés secrets').count(), 0);
  await assertNoHorizontalScroll(louis);
  await block.getByRole('link', { name: 'ÉCONOMIE-GESTION' }).first().click();
  await louis.getByRole('heading', { level: 1, name: 'Cahier de textes – Louis CHAMSON' }).waitFor();
  const tabs = louis.getByRole('navigation', { name: 'Vues du cahier de textes' });
  assert.equal(await tabs.getByRole('link', { name: 'Travail à faire' }).getAttribute('aria-current'), 'page');
  const homework = louis.locator('article.lesson-book-homework', { hasText: HOMEWORK });
  await homework.getByText('Durée estimée : 30 min', { exact: false }).waitFor();
  await assertNoHorizontalScroll(louis);
  await homework.getByRole('button', { name: 'Marquer comme fait' }).click();
  await louis.locator('article.lesson-book-homework', { hasText: HOMEWORK }).getByText('Fait', { exact: true }).waitFor();
  await louis.locator('article.lesson-book-homework', { hasText: HOMEWORK })
    .getByRole('button', { name: 'Marquer comme non fait' }).waitFor();

  // A personal note, marked as such.
  await louis.getByRole('link', { name: 'Ajouter une note personnelle' }).click();
  await louis.getByLabel('Matière (facultatif)').fill('Anglais');
  await louis.getByLabel('Texte').fill('Réviser le vocabulaire de l\'unité 3 avec Emma');
  await louis.getByRole('button', { name: 'Enregistrer' }).click();
  const note = louis.locator('article.lesson-book-note', { hasText: 'Réviser le vocabulaire' });
  await note.getByText('Note personnelle').waitFor();

  // The week view and its print page.
  await louis.getByRole('navigation', { name: 'Vues du cahier de textes' }).getByRole('link', { name: 'Par semaine' }).click();
  await louis.getByText('Cours sur la fidélisation de la clientèle').waitFor();
  await assertNoHorizontalScroll(louis);
  louisMonitor.check();
  await phone.close();

  const andreContext = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const andre = await andreContext.newPage();
  const andreMonitor = watchPage(andre);
  await signInToAccueil(andre, shared.server.url, 'andre.chamson', DEMO_PASSWORD);
  await andre.getByLabel('Profil affiché').selectOption({ label: 'Louis CHAMSON' });
  await andre.getByRole('button', { name: 'Afficher' }).click();
  const fatherBlock = andre.getByRole('region', { name: 'Travail à faire' });
  await fatherBlock.getByText('Pour demain – ÉCONOMIE-GESTION – Fait ✓').waitFor();
  await andre.goto(`${shared.server.url}/cahier-de-textes`);
  await andre.getByLabel('Profil affiché').selectOption({ label: 'Louis CHAMSON' });
  await andre.getByRole('button', { name: 'Afficher' }).click();
  const seen = andre.locator('article.lesson-book-homework', { hasText: HOMEWORK });
  await seen.getByText('Fait', { exact: true }).waitFor();
  assert.equal(await seen.getByRole('button').count(), 0, 'a guardian never changes « Fait »');
  await andre.locator('article.lesson-book-note', { hasText: 'Réviser le vocabulaire' }).getByText('Note personnelle').waitFor();
  assert.equal(await andre.getByRole('link', { name: 'Ajouter une note personnelle' }).count(), 0);
  await assertNoHorizontalScroll(andre);
  // Pauline's book does not show Louis's homework.
  await andre.getByLabel('Profil affiché').selectOption({ label: 'Pauline CHAMSON' });
  await andre.getByRole('button', { name: 'Afficher' }).click();
  await andre.getByText('Étude de cas Décathlon', { exact: false }).waitFor();
  assert.equal(await andre.getByText(HOMEWORK).count(), 0);
  // Print: the week, and a real PDF to download.
  await andre.getByRole('link', { name: 'Imprimer' }).click();
  await andre.getByRole('heading', { level: 1, name: /^Cahier de textes – Pauline CHAMSON – du / }).waitFor();
  await andre.getByText('Étude de cas Décathlon', { exact: false }).first().waitFor();
  await assertNoHorizontalScroll(andre);
  const href = await andre.getByRole('link', { name: 'Télécharger en PDF' }).getAttribute('href');
  const pdf = await andre.request.get(new URL(href, andre.url()).toString());
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  andreMonitor.check();
  await andreContext.close();
});
