// « Profil affiché »: André CHAMSON, guardian of two children, chooses on his
// Accueil which child the page follows — with and without JavaScript.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { acceptFirstConnection, assertNoHorizontalScroll, serverAndBrowser, signInInBrowser, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

async function chooseAndCheck(page, expectPath) {
  const profile = page.getByLabel('Profil affiché');
  await profile.waitFor();
  const options = (await profile.locator('option').allTextContents()).map((s) => s.trim());
  assert.deepEqual(options.slice().sort(), ['Louis CHAMSON', 'Pauline CHAMSON'], `the children only: ${options.join(', ')}`);
  assert.equal((await profile.locator('option:checked').textContent()).trim(), 'Louis CHAMSON', 'the first child is shown first');

  // Without JavaScript the list needs a button to send the choice.
  const form = page.locator('form', { has: profile });
  const submit = form.getByRole('button');
  assert.equal(await submit.count(), 1, 'the « Profil affiché » form has a submit button');
  assert.equal(await submit.getAttribute('type'), 'submit');

  await profile.selectOption({ label: 'Pauline CHAMSON' });
  // With JavaScript the page may update by itself; otherwise « Afficher » sends it.
  await page.waitForURL('**/accueil?enfant=*', { timeout: 1500 }).catch(() => null);
  if (!/enfant=/.test(page.url())) {
    await submit.click();
    await page.waitForURL('**/accueil?enfant=*');
  }
  const after = page.getByLabel('Profil affiché');
  assert.equal((await after.locator('option:checked').textContent()).trim(), 'Pauline CHAMSON', 'Pauline is the chosen child');
  assert.match(page.url(), expectPath);

  for (const heading of ['Travail à faire', 'Derniers messages', 'Annonces', 'Actualités', 'Blogs & Forums']) {
    await page.getByRole('heading', { level: 2, name: heading, exact: true }).waitFor();
  }
  const messages = page.getByRole('region', { name: 'Derniers messages' });
  assert.equal(await messages.getByRole('link', { name: 'Accéder à la messagerie' }).getAttribute('href'), '/messagerie');
}

test('guardian_chooses_the_displayed_profile', { timeout: 60_000 }, async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const monitor = watchPage(page);
  try {
    await signInInBrowser(page, shared.server.url, 'andre.chamson', DEMO_PASSWORD);
    await acceptFirstConnection(page);
    await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
    await chooseAndCheck(page, /\/accueil\?enfant=\d+$/);

    // Accueil from the left menu.
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Accueil', exact: true }).click();
    await page.getByLabel('Profil affiché').waitFor();

    // The Accueil on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByLabel('Profil affiché').waitFor();
    await assertNoHorizontalScroll(page);
    monitor.check();
  } finally {
    await context.close();
  }
});

test('guardian_chooses_the_displayed_profile_without_javascript', { timeout: 60_000 }, async () => {
  const context = await shared.browser.newContext({
    locale: 'fr-FR', viewport: { width: 1280, height: 800 }, javaScriptEnabled: false,
  });
  const page = await context.newPage();
  const monitor = watchPage(page);
  try {
    await signInInBrowser(page, shared.server.url, 'andre.chamson', DEMO_PASSWORD);
    // Already accepted in the other test, or not: either way we end on Accueil.
    await page.waitForURL(/\/(accueil|premiere-connexion)$/);
    if (page.url().endsWith('/premiere-connexion')) await acceptFirstConnection(page);
    await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
    await chooseAndCheck(page, /\/accueil\?enfant=\d+$/);
    monitor.check();

    // Someone else's child is refused (a 403 on purpose).
    const other = await page.goto(`${shared.server.url}/accueil?enfant=999999`);
    assert.equal(other.status(), 403);
    await page.getByText('Vous ne pouvez afficher que le profil de vos enfants.').waitFor();
  } finally {
    await context.close();
  }
});
