// A guardian follows the sign-in guide in a real browser, by its French labels.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { serverAndBrowser } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const screenshots = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');

mkdirSync(screenshots, { recursive: true });
const shared = serverAndBrowser(before, after, startServer);

test('André CHAMSON signs in from the portal and sees his Accueil', { timeout: 60_000 }, async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const failedLoads = [];
  page.on('response', (r) => {
    // The browser asks for /favicon.ico by itself: not part of the pages.
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) failedLoads.push(`${r.status()} ${r.url()}`);
  });
  try {
    await page.goto(`${shared.server.url}/`);
    await page.getByText('CITE SCOLAIRE ANDRE CHAMSON').first().waitFor();
    await page.getByRole('link', { name: 'Se connecter', exact: true }).click();
    await page.waitForURL('**/connexion');

    const eleveParent = page.locator('details', { has: page.locator('summary', { hasText: 'Élève ou parent' }) });
    await page.locator('summary', { hasText: 'Élève ou parent' }).click();
    assert.equal(await eleveParent.evaluate((d) => d.open), true, 'the « Élève ou parent » choice opened');
    await eleveParent.getByLabel('académie de Montpellier').check();
    await eleveParent.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/connexion/identifiants?**');
    await page.getByText("EduConnect n'est pas encore raccordée", { exact: false }).waitFor();

    await page.getByLabel('Identifiant').fill('andre.chamson');
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/accueil');

    await page.getByText('André CHAMSON').first().waitFor();
    const profile = page.getByLabel('Profil affiché');
    await profile.waitFor();
    const options = await profile.locator('option').allTextContents();
    assert.ok(options.includes('Louis CHAMSON'), `options: ${options.join(', ')}`);

    const classes = page.locator('details', { has: page.locator('summary', { hasText: 'ESPACE DES CLASSES' }) });
    await page.locator('summary', { hasText: 'ESPACE DES CLASSES' }).click();
    await classes.getByRole('link', { name: 'Classe TPRO' }).waitFor({ state: 'visible' });
    assert.ok(await classes.getByRole('link', { name: 'Classe TPRO' }).isVisible());

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'cartable_session');
    assert.ok(session?.httpOnly, 'HttpOnly session cookie');
    assert.equal(session.sameSite, 'Lax');

    await page.screenshot({ path: path.join(screenshots, 'accueil-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(screenshots, 'accueil-phone.png'), fullPage: true });

    assert.deepEqual(failedLoads, [], 'every resource of the pages loads');
    const otherErrors = consoleErrors.filter((m) => !/Failed to load resource: the server responded with a status of 404/.test(m) || failedLoads.length);
    assert.deepEqual(otherErrors, [], 'no console error (e.g. CSP violations)');
  } finally {
    await context.close();
  }
});
