// Debian's Chromium, headless, driven by playwright-core: the flags this
// closed sandbox needs (no network, root).
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A server and a browser for one browser test file, started together and
// stopped after it (node:test's before/after).
export function serverAndBrowser(before, after, startServer) {
  const shared = { server: null, browser: null };
  before(async () => {
    [shared.server, shared.browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.stop();
  });
  return shared;
}

/**
 * First connection in the browser, by the guide's labels: « 1 Charte
 * d'utilisation » then « 2 Contact et préférences », ending on Accueil.
 */
export async function acceptFirstConnection(page) {
  await page.waitForURL('**/premiere-connexion');
  await page.getByRole('button', { name: "J'accepte la charte d'utilisation de l'ENT" }).click();
  await page.waitForURL('**/premiere-connexion/contact');
  await page.getByRole('button', { name: 'Enregistrer mes informations' }).click();
  await page.waitForURL('**/accueil');
}

/**
 * Console errors and resources that fail to load, for one page; check()
 * asserts there were none. A refused POST (4xx on purpose) does not count.
 */
export function watchPage(page) {
  const consoleErrors = [];
  const failedLoads = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('response', (r) => {
    const refusedOnPurpose = r.status() >= 400 && r.status() < 500 && r.request().method() === 'POST';
    if (r.status() >= 400 && !refusedOnPurpose && !r.url().endsWith('/favicon.ico')) failedLoads.push(`${r.status()} ${r.url()}`);
  });
  return {
    check() {
      assert.deepEqual(failedLoads, [], 'every resource of the pages loads');
      const others = consoleErrors.filter((m) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(m));
      assert.deepEqual(others, [], 'no console error (e.g. CSP violations)');
    },
  };
}

/** The credentials form, filled and sent (« Identifiant », « Mot de passe », « Valider »). */
export async function signInInBrowser(page, baseUrl, login, password) {
  await page.goto(`${baseUrl}/connexion/identifiants?profil=eleve-parent&academie=montpellier`);
  await page.getByLabel('Identifiant').fill(login);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Valider' }).click();
}

/**
 * Signs in with the demo password and reaches « Accueil », accepting the
 * charter on the first connection.
 */
export async function signInToAccueil(page, baseUrl, login, password) {
  await signInInBrowser(page, baseUrl, login, password);
  await page.waitForURL(/\/(accueil|premiere-connexion)$/);
  if (page.url().endsWith('/premiere-connexion')) await acceptFirstConnection(page);
  await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
}

/** The page fits a phone's width (390 px) without horizontal scrolling. */
export async function assertNoHorizontalScroll(page, width = 390) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width + 1, `no horizontal scrolling at ${width} px (scrollWidth ${scrollWidth})`);
}
