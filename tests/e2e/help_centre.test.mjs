// The « ? » of the top bar opens the help centre; a guardian finds how to
// print the lesson book by searching, and reads a frequent question.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { acceptFirstConnection, serverAndBrowser, signInInBrowser } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

test('guardian_searches_the_help_centre', { timeout: 60_000 }, async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    await signInInBrowser(page, shared.server.url, 'andre.chamson', DEMO_PASSWORD);
    await acceptFirstConnection(page);

    await page.getByRole('link', { name: 'Aide en ligne' }).click();
    await page.waitForURL('**/aide');
    await page.getByRole('heading', { name: /Aide en ligne – mon ENT Occitanie/ }).waitFor();
    await page.getByRole('heading', { name: 'Les questions les plus fréquentes' }).waitFor();

    // A frequent question opens in place, without leaving the page.
    const question = page.locator('details.faq').first();
    await question.locator('summary').click();
    assert.equal(await question.evaluate((d) => d.open), true);

    await page.getByLabel('Rechercher').fill('imprimer le cahier de textes');
    await page.getByRole('button', { name: 'OK' }).click();
    await page.waitForURL('**/aide/recherche**');
    const first = page.locator('.help-result h2 a').first();
    assert.match(await first.innerText(), /imprimer le cahier de textes/i);
    await first.click();
    await page.getByRole('heading', { level: 1, name: /imprimer le cahier de textes/i }).waitFor();
  } finally {
    await context.close();
  }
});
