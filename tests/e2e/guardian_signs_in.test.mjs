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
    // The browser asks for /favicon.ico by itself: not part of the pages. The
    // contact step refused on purpose (a wrong address) answers 400.
    const refusedOnPurpose = r.status() === 400 && r.request().method() === 'POST';
    if (r.status() >= 400 && !refusedOnPurpose && !r.url().endsWith('/favicon.ico')) failedLoads.push(`${r.status()} ${r.url()}`);
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

    // First connection: « 1 Charte d'utilisation », then « 2 Contact et préférences ».
    await page.waitForURL('**/premiere-connexion');
    const steps = page.getByRole('list', { name: 'Première connexion' });
    assert.match(await steps.textContent(), /1\s*Charte d'utilisation[\s\S]*2\s*Contact et préférences/);
    const charter = page.getByRole('region', { name: /Charte d'utilisation de l'espace numérique de travail/ });
    await charter.getByText('arrêté du 30 novembre 2006', { exact: false }).waitFor();
    assert.equal(await charter.evaluate((e) => getComputedStyle(e).overflowY), 'auto', 'the charter scrolls in its frame');
    // Before accepting, nothing else opens: Accueil brings the charter back.
    await page.goto(`${shared.server.url}/accueil`);
    await page.waitForURL('**/premiere-connexion');
    await page.getByRole('button', { name: "J'accepte la charte d'utilisation de l'ENT" }).click();

    await page.waitForURL('**/premiere-connexion/contact');
    await page.getByRole('heading', { name: 'Informations de contact et préférences' }).waitFor();
    await page.getByText("Les informations de contact renseignées concernent l'ensemble de vos enfants").waitFor();
    const email = page.getByLabel('Email de réception');
    assert.equal(await email.inputValue(), 'andre.chamson@outlook.fr', 'the directory address is offered');
    await email.fill('andre.chamson@exemple');
    await page.getByLabel('Réception de notifications ENT de mon établissement').check();
    await page.getByRole('button', { name: 'Enregistrer mes informations' }).click();
    await page.getByText("L'adresse email saisie n'est pas valide", { exact: false }).first().waitFor();
    await page.getByLabel('Email de réception').fill('andre.chamson@outlook.fr');
    await page.getByRole('button', { name: 'Enregistrer mes informations' }).click();
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
    const otherErrors = consoleErrors.filter((m) => !/Failed to load resource: the server responded with a status of (404|400)/.test(m) || failedLoads.length);
    assert.deepEqual(otherErrors, [], 'no console error (e.g. CSP violations)');
  } finally {
    await context.close();
  }
});
