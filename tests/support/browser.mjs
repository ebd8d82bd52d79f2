// Debian's Chromium, headless, driven by playwright-core: the flags this
// closed sandbox needs (no network, root).
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
