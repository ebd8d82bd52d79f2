// « Application mobile »: André CHAMSON pairs a phone (its token shown once,
// with a QR code), the token opens the API until it is revoked. « Raccourcis »:
// he adds the help page to his menu, then removes it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { acceptFirstConnection, assertNoHorizontalScroll, serverAndBrowser, signInInBrowser, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

async function signedInPage() {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const monitor = watchPage(page);
  await signInInBrowser(page, shared.server.url, 'andre.chamson', DEMO_PASSWORD);
  await page.waitForURL(/\/(accueil|premiere-connexion)$/);
  if (page.url().endsWith('/premiere-connexion')) await acceptFirstConnection(page);
  return { context, page, monitor };
}

async function me(token) {
  const response = await fetch(`${shared.server.url}/api/v1/moi`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.text() };
}

test('guardian_pairs_the_mobile_application_then_revokes_it', { timeout: 60_000 }, async () => {
  const { context, page, monitor } = await signedInPage();
  try {
    await page.getByRole('banner').getByRole('link', { name: 'Préférences' }).click();
    await page.waitForURL('**/preferences');
    await page.getByRole('navigation', { name: 'Préférences' }).getByRole('link', { name: 'Application mobile' }).click();
    await page.waitForURL('**/preferences/application-mobile');
    const devices = page.getByRole('region', { name: 'Appareils associés' });
    await devices.getByText('Aucun appareil associé.').waitFor();

    const pair = page.getByRole('region', { name: 'Associer un appareil' });
    await pair.getByLabel("Nom de l'appareil").fill("Téléphone d'André");
    await pair.getByRole('button', { name: 'Associer un appareil' }).click();
    await page.waitForLoadState();

    const pairing = page.getByRole('region', { name: "Associer « Téléphone d'André »" });
    await pairing.waitFor();
    const qr = pairing.getByRole('img', { name: /^Code QR/ });
    await qr.waitFor();
    assert.ok(await qr.isVisible(), 'the QR code is visible');
    const box = await qr.boundingBox();
    assert.ok(box.width >= 100 && box.height >= 100, `the QR code is large enough to scan (${box.width}×${box.height})`);
    const token = (await pairing.getByLabel("Jeton d'accès").inputValue()).trim();
    assert.ok(token.length >= 20, `a token is shown (${token})`);
    await pairing.getByText('Il ne sera plus affiché').waitFor();
    await devices.getByRole('row').filter({ hasText: "Téléphone d'André" }).waitFor();

    // The pairing page on a phone: the QR code fits.
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalScroll(page);
    await page.setViewportSize({ width: 1280, height: 800 });

    // The token opens the API.
    const ok = await me(token);
    assert.equal(ok.status, 200, ok.body);
    const body = JSON.parse(ok.body);
    assert.equal(body.identifiant, 'andre.chamson');
    assert.deepEqual(body.enfants.map((c) => `${c.prenom} ${c.nom}`).sort(), ['Louis CHAMSON', 'Pauline CHAMSON']);
    assert.notEqual((await me(`${token}x`)).status, 200, 'a altered token is refused');

    // Shown once: the page, opened again, has no token.
    await page.getByRole('navigation', { name: 'Préférences' }).getByRole('link', { name: 'Application mobile' }).click();
    await page.waitForURL('**/preferences/application-mobile');
    await page.getByRole('region', { name: 'Appareils associés' }).waitFor();
    assert.equal(await page.getByLabel("Jeton d'accès").count(), 0, 'the token is not shown again');
    assert.ok(!(await page.content()).includes(token), 'nor in the HTML');
    const row = page.getByRole('region', { name: 'Appareils associés' }).getByRole('row').filter({ hasText: "Téléphone d'André" });
    assert.doesNotMatch(await row.innerText(), /Jamais/i, 'the API call counts as a use');

    await row.getByRole('button', { name: "Révoquer Téléphone d'André" }).click();
    await page.waitForLoadState();
    await page.getByRole('status').getByText("L'appareil n'a plus accès à votre compte.").waitFor();
    await page.getByRole('region', { name: 'Appareils associés' }).getByText('Aucun appareil associé.').waitFor();
    const revoked = await me(token);
    assert.equal(revoked.status, 401, `a revoked token is refused: ${revoked.status} ${revoked.body}`);

    monitor.check();
  } finally {
    await context.close();
  }
});

test('guardian_adds_the_help_page_to_his_shortcuts', { timeout: 60_000 }, async () => {
  const { context, page, monitor } = await signedInPage();
  try {
    const menu = page.getByRole('navigation', { name: 'Menu principal' });
    const section = menu.locator('details', { has: page.locator('summary', { hasText: 'RACCOURCIS' }) });
    await section.locator('summary').click();
    await section.getByText('Aucun raccourci').waitFor();

    await page.getByRole('banner').getByRole('link', { name: 'Aide en ligne' }).click();
    await page.waitForURL('**/aide');
    const title = (await page.title()).split(' – ')[0];
    await page.getByRole('button', { name: 'Ajouter à mes raccourcis' }).click();
    await page.waitForLoadState();
    // Back on the help page, already saved.
    await page.getByText('Dans mes raccourcis').waitFor();
    assert.equal(new URL(page.url()).pathname, '/aide');
    assert.equal(await page.getByRole('button', { name: 'Ajouter à mes raccourcis' }).count(), 0);

    // RACCOURCIS lists it (open since there is one).
    assert.equal(await section.evaluate((d) => d.open), true, 'the RACCOURCIS section opens when it has shortcuts');
    const shortcut = section.getByRole('link', { name: title, exact: true });
    await shortcut.waitFor({ state: 'visible' });
    assert.equal(await shortcut.getAttribute('href'), '/aide');
    assert.equal(await section.getByText('Aucun raccourci').count(), 0);

    // The menu with shortcuts on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalScroll(page);
    await page.setViewportSize({ width: 1280, height: 800 });

    await section.getByRole('link', { name: 'Gérer mes raccourcis' }).click();
    await page.waitForURL('**/raccourcis');
    await page.getByRole('heading', { level: 1, name: 'Mes raccourcis' }).waitFor();
    const list = page.locator('main').getByRole('list');
    await list.getByRole('link', { name: title, exact: true }).waitFor();
    await list.getByRole('button', { name: `Retirer ${title} de mes raccourcis` }).click();
    await page.waitForURL('**/raccourcis?retire=1');
    await page.getByRole('status').getByText('Le raccourci est retiré de votre menu.').waitFor();
    await page.getByText("Vous n'avez pas encore de raccourci.").waitFor();
    const menuAfter = page.getByRole('navigation', { name: 'Menu principal' })
      .locator('details', { has: page.locator('summary', { hasText: 'RACCOURCIS' }) });
    assert.equal(await menuAfter.getByRole('link', { name: title, exact: true }).count(), 0, 'gone from the menu');

    monitor.check();
  } finally {
    await context.close();
  }
});
