// The « Forum » tab of the TPRO space. Without JavaScript: Louis CHAMSON
// opens a topic; Samuel BEAUMONT sees it « Nouveau », quotes it with
// « Citer », answers, pins and locks it; Louis can no longer reply. With
// JavaScript: « Citer » puts the quotation in the editor.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoHorizontalScroll, serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

async function openForum(javaScriptEnabled, login) {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 }, javaScriptEnabled });
  const page = await context.newPage();
  const monitor = watchPage(page);
  await signInToAccueil(page, shared.server.url, login, DEMO_PASSWORD);
  const classes = page.getByRole('navigation', { name: 'Menu principal' }).locator('summary', { hasText: 'ESPACE DES CLASSES' });
  await classes.click(); // the menu's section opens with a click (or Entrée)
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Classe TPRO' }).click();
  await page.getByRole('heading', { level: 1, name: 'Classe TPRO' }).waitFor();
  await page.getByRole('navigation', { name: 'Rubriques de l\'espace' }).getByRole('link', { name: 'Forum' }).click();
  await page.getByRole('heading', { level: 2, name: 'Forum' }).waitFor();
  const current = page.getByRole('navigation', { name: 'Rubriques de l\'espace' }).locator('[aria-current="page"]');
  assert.equal((await current.textContent()).trim(), 'Forum');
  return { context, page, monitor };
}

test('forum_without_javascript_topic_quote_pin_lock', { timeout: 120_000 }, async () => {
  const louis = await openForum(false, 'louis.chamson');
  let page = louis.page;
  await page.getByRole('link', { name: 'Questions sur le stage en entreprise' }).click();
  await page.getByLabel('Titre du sujet').fill('Horaires du stage chez Cévennes Bureautique');
  await page.getByLabel('Premier message').fill('Bonjour,\nmon tuteur propose 8 h – 16 h. Est-ce que cela convient ?');
  await page.getByRole('button', { name: 'Publier le sujet' }).click();
  await page.getByRole('heading', { level: 2, name: 'Horaires du stage chez Cévennes Bureautique' }).waitFor();
  const topicUrl = page.url();
  louis.monitor.check();

  const samuel = await openForum(false, 'samuel.beaumont');
  page = samuel.page;
  await page.getByRole('link', { name: 'Questions sur le stage en entreprise' }).click();
  const item = page.getByRole('listitem').filter({ hasText: 'Horaires du stage chez Cévennes Bureautique' });
  await item.getByText('Nouveau', { exact: true }).waitFor();
  await item.getByRole('link', { name: 'Horaires du stage chez Cévennes Bureautique' }).click();
  await page.getByRole('link', { name: 'Citer le message de Louis CHAMSON' }).click();
  const answer = page.getByLabel('Votre réponse');
  assert.match(await answer.inputValue(), /^> Louis CHAMSON a écrit :\n> Bonjour,/);
  await answer.focus();
  await answer.press('Control+End');
  await page.keyboard.type('Oui, c\'est conforme à la convention.');
  await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await page.locator('.forum-post blockquote', { hasText: 'Louis CHAMSON a écrit' }).waitFor();
  await page.getByText('Oui, c\'est conforme à la convention.').waitFor();
  await page.getByRole('button', { name: 'Épingler' }).click();
  await page.getByRole('button', { name: 'Désépingler' }).waitFor();
  await page.getByRole('button', { name: 'Verrouiller' }).click();
  await page.getByText('Ce sujet est verrouillé : on ne peut plus y répondre.').waitFor();
  samuel.monitor.check();
  await samuel.context.close();

  page = louis.page;
  await page.goto(topicUrl);
  await page.getByText('Ce sujet est verrouillé : on ne peut plus y répondre.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Envoyer la réponse' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: /^Citer/ }).count(), 0);
  louis.monitor.check();
  await louis.context.close();
});

test('forum_quote_in_the_editor', { timeout: 90_000 }, async () => {
  const samuel = await openForum(true, 'samuel.beaumont');
  const page = samuel.page;
  await page.getByRole('link', { name: 'Révisions du bac : économie-gestion' }).click();
  await page.getByRole('link', { name: 'Sujet de 2024 : la gestion des stocks' }).click();
  await page.getByRole('link', { name: 'Citer le message de Louis CHAMSON' }).first().click();
  const editor = page.getByRole('textbox', { name: 'Votre réponse' });
  await editor.locator('blockquote', { hasText: 'Louis CHAMSON a écrit :' }).waitFor();
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('Attention aux unités : la rotation n\'en a pas.');
  await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await page.getByText('Attention aux unités : la rotation n\'en a pas.').waitFor();
  assert.ok(await page.locator('.forum-post blockquote', { hasText: 'Louis CHAMSON a écrit' }).count() >= 1);
  assert.equal(await page.locator('.forum-post script').count(), 0);
  // On a phone's width, the topic, its tools and the editor fit.
  await page.setViewportSize({ width: 390, height: 844 });
  await assertNoHorizontalScroll(page);
  samuel.monitor.check();
  await samuel.context.close();
});
