// « PUBLICATION »: Claire ESTÈVE, administratrice, publishes a public news
// item for the structure (it shows on the public portal) and an
// announcement for the région (André CHAMSON reads it on his Accueil).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serverAndBrowser } from '../support/browser.mjs';
import { Client, signInOrThrow, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

// A browser context signed in through the real forms (the test helper).
async function signedInContext(login) {
  const client = new Client(shared.server.url);
  const session = await signInOrThrow(client, login);
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ name: 'cartable_session', value: session, url: shared.server.url }]);
  return context;
}

test('admin_publishes_news_and_a_region_announcement', { timeout: 90_000 }, async () => {
  const admin = await signedInContext('admin.ent');
  const visitor = await shared.browser.newContext({ locale: 'fr-FR' });
  const guardian = await signedInContext('andre.chamson');
  try {
    const page = await admin.newPage();
    await page.goto(`${shared.server.url}/publication`);
    await page.getByRole('heading', { level: 1, name: 'Publication' }).waitFor();

    const structure = page.getByRole('region', { name: 'CITE SCOLAIRE ANDRE CHAMSON' });
    await structure.getByRole('link', { name: 'Nouvelle actualité' }).click();
    await page.waitForURL('**/publication/actualites/nouvelle?**');
    await page.getByLabel(/^Titre/).fill('Réunion parents-professeurs');
    await page.getByLabel(/^Résumé/).fill('Les professeurs des terminales reçoivent les familles jeudi à 17 h 30.');
    await page.getByLabel(/^Texte/).fill('Rendez-vous en **salle polyvalente**. Prenez le carnet de liaison.');
    await page.getByLabel(/^Public/).check();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL('**/publication?fait=publiee');
    await page.getByText('La publication est enregistrée.').waitFor();

    const portal = await visitor.newPage();
    await portal.goto(`${shared.server.url}/portail/0300027A`);
    const news = portal.locator('.news-item', { hasText: 'Réunion parents-professeurs' });
    await news.waitFor();
    assert.match(await news.locator('.age').innerText(), /à l'instant|il y a \d+ minute/);
    await news.getByRole('link', { name: 'Réunion parents-professeurs' }).click();
    await portal.locator('.news-page strong', { hasText: 'salle polyvalente' }).waitFor();

    await page.goto(`${shared.server.url}/publication`);
    const region = page.getByRole('region', { name: 'Région Occitanie' });
    await region.getByRole('link', { name: 'Nouvelle annonce' }).click();
    await page.waitForURL('**/publication/annonces/nouvelle?**');
    assert.equal(await page.getByLabel('Auteur').inputValue(), 'Région Occitanie / Pyrénées - Méditerranée');
    await page.getByLabel(/^Titre/).fill('Inscriptions au salon régional de l\'apprentissage');
    await page.getByLabel('Texte').fill('Les lycéens et leurs familles peuvent s\'inscrire jusqu\'à la fin du mois.');
    await page.getByLabel(/^Lien « En savoir plus »/).fill('https://www.laregion.fr/');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL('**/publication?fait=publiee');

    const home = await guardian.newPage();
    await home.goto(`${shared.server.url}/accueil`);
    const announcement = home.locator('.announcement', { hasText: 'Inscriptions au salon régional de l\'apprentissage' });
    await announcement.waitFor();
    assert.match(await announcement.innerText(), /Région Occitanie \/ Pyrénées - Méditerranée/);
    assert.equal(await announcement.getByRole('link', { name: 'En savoir plus' }).getAttribute('href'),
      'https://www.laregion.fr/');
  } finally {
    await Promise.all([admin.close(), visitor.close(), guardian.close()]);
  }
});
