// « Liste rouge »: André CHAMSON hides his coordinates; another guardian no
// longer sees them in the « Annuaire », the CPE still does.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { acceptFirstConnection, assertNoHorizontalScroll, serverAndBrowser, signInInBrowser, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

async function signedInPage(login) {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const monitor = watchPage(page);
  await signInInBrowser(page, shared.server.url, login, DEMO_PASSWORD);
  await acceptFirstConnection(page);
  return { context, page, monitor };
}

// ÉTABLISSEMENT → « Annuaire », then search by « Nom ou prénom ».
async function searchDirectory(page, words) {
  const menu = page.getByRole('navigation', { name: 'Menu principal' });
  await menu.locator('summary', { hasText: 'ÉTABLISSEMENT' }).click();
  await menu.getByRole('link', { name: 'Annuaire', exact: true }).click();
  await page.waitForURL('**/annuaire');
  await page.getByRole('heading', { level: 1, name: 'Annuaire' }).waitFor();
  await page.getByLabel('Nom ou prénom').fill(words);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.waitForURL('**/annuaire?**');
  return page.getByRole('region', { name: /résultat\(s\)/ });
}

const guardianRow = (results) => results.getByRole('row').filter({ hasText: 'André CHAMSON' }).filter({ hasText: 'Responsable légal' });

const HIDDEN = ['1 Boulevard Pasteur', 'LE VIGAN', '+33 6 12 12 12 12', '12 12 12 12', 'Pasteur'];

test('guardian_puts_his_coordinates_on_the_liste_rouge', { timeout: 90_000 }, async () => {
  const andre = await signedInPage('andre.chamson');
  let sophie;
  let nathalie;
  try {
    const { page } = andre;
    await page.getByRole('banner').getByRole('link', { name: 'Préférences' }).click();
    await page.waitForURL('**/preferences');
    const tabs = page.getByRole('navigation', { name: 'Préférences' });
    await page.getByText('Liste rouge désactivée').waitFor();
    assert.equal(await page.getByText('Ces informations sont sur liste rouge').count(), 0);

    await tabs.getByRole('link', { name: 'Mes préférences' }).click();
    await page.waitForURL('**/preferences/modifier');
    const box = page.getByLabel('Activer la liste rouge');
    assert.equal(await box.isChecked(), false);
    await page.getByText('ces informations ne seront visibles que par des personnes explicitement autorisées', { exact: false }).first().waitFor();
    await box.check();
    await page.getByRole('button', { name: 'Enregistrer mes informations' }).first().click();
    await page.waitForURL(/\/preferences(\?.*)?$/);
    await page.getByText('Liste rouge activée').waitFor();
    const coordinates = page.getByRole('region', { name: 'Vos coordonnées' });
    await coordinates.getByText('Ces informations sont sur liste rouge').waitFor();
    await coordinates.getByText('1 Boulevard Pasteur').waitFor(); // he still sees his own address
    await page.getByRole('region', { name: 'Notification par email' }).getByText('Ces informations sont sur liste rouge').waitFor();
    andre.monitor.check();

    // Another guardian searches the directory.
    sophie = await signedInPage('sophie.roux');
    const results = await searchDirectory(sophie.page, 'chamson');
    // Two André CHAMSON: the guardian and his teacher account.
    assert.equal(await results.getByRole('link', { name: 'André CHAMSON' }).count(), 2);
    const link = guardianRow(results).getByRole('link', { name: 'André CHAMSON' });
    const listing = await results.innerText();
    for (const text of HIDDEN) assert.ok(!listing.includes(text), `the results do not show « ${text} »`);
    assert.ok(!(await sophie.page.content()).includes('Pasteur'), 'the results page does not carry the address at all');

    await link.click();
    await sophie.page.waitForURL('**/annuaire/personne/*');
    const card = sophie.page.getByRole('article', { name: /André CHAMSON/ });
    await card.getByRole('heading', { level: 2, name: 'Coordonnées' }).waitFor();
    await card.getByText('Ces informations sont sur liste rouge.', { exact: true }).waitFor();
    const cardText = await card.innerText();
    for (const text of HIDDEN) assert.ok(!cardText.includes(text), `the card does not show « ${text} »`);
    const html = await sophie.page.content();
    assert.ok(!html.includes('Pasteur') && !html.includes('12 12 12 12'), 'nor does its HTML');

    // The card on a phone.
    await sophie.page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalScroll(sophie.page);
    await sophie.page.getByRole('link', { name: "Retour à l'annuaire" }).click();
    await sophie.page.waitForURL('**/annuaire');
    sophie.monitor.check();

    // The CPE is allowed to see them.
    nathalie = await signedInPage('nathalie.vidal');
    const staffResults = await searchDirectory(nathalie.page, 'chamson');
    await guardianRow(staffResults).getByRole('link', { name: 'André CHAMSON' }).click();
    await nathalie.page.waitForURL('**/annuaire/personne/*');
    const staffCard = nathalie.page.getByRole('article', { name: /André CHAMSON/ });
    await staffCard.getByText("Ces informations sont sur liste rouge : vous les voyez parce que l'établissement vous y autorise.").waitFor();
    assert.match(await staffCard.innerText(), /Adresse :\s*1 Boulevard Pasteur, 30120 LE VIGAN/);
    assert.match(await staffCard.innerText(), /Téléphone mobile :\s*\+33 6 12 12 12 12/);
    nathalie.monitor.check();

    // André takes his coordinates off the list: Sophie sees them again.
    await tabs.getByRole('link', { name: 'Mes préférences' }).click();
    await page.waitForURL('**/preferences/modifier');
    await page.getByLabel('Activer la liste rouge').uncheck();
    await page.getByRole('button', { name: 'Enregistrer mes informations' }).first().click();
    await page.waitForURL(/\/preferences(\?.*)?$/);
    await page.getByText('Liste rouge désactivée').waitFor();
    await sophie.page.goBack();
    await sophie.page.reload();
    const again = sophie.page.getByRole('article', { name: /André CHAMSON/ });
    assert.match(await again.innerText(), /Adresse :\s*1 Boulevard Pasteur, 30120 LE VIGAN/);

    // And on the list again: the card she has open hides them at once.
    await tabs.getByRole('link', { name: 'Mes préférences' }).click();
    await page.getByLabel('Activer la liste rouge').check();
    await page.getByRole('button', { name: 'Enregistrer mes informations' }).first().click();
    await page.getByText('Liste rouge activée').waitFor();
    await sophie.page.reload();
    await again.getByText('Ces informations sont sur liste rouge.', { exact: true }).waitFor();
    assert.ok(!(await again.innerText()).includes('Pasteur'));
  } finally {
    await Promise.all([andre.context.close(), sophie?.context.close(), nathalie?.context.close()]);
  }
});
