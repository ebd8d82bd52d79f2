// The scenario of the carnet de liaison (issue #7): Nathalie VIDAL,
// the CPE, writes a note to the TPRO guardians; André CHAMSON, on his phone,
// finds it under « Mots pour Louis CHAMSON » with « À signer » and clicks
// « J'ai pris connaissance »; the CPE's follow-up shows one more signature.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoHorizontalScroll, serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

function signIn(page, login) {
  return signInToAccueil(page, shared.server.url, login, DEMO_PASSWORD);
}

function menu(page) {
  return page.getByRole('navigation', { name: 'Menu principal' });
}

test('cpe_writes_to_tpro_guardians_and_sees_andre_sign', { timeout: 120_000 }, async () => {
  const title = 'Photo de classe le jeudi 17 décembre';
  const cpeContext = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const cpe = await cpeContext.newPage();
  const cpeMonitor = watchPage(cpe);
  await signIn(cpe, 'nathalie.vidal');
  await menu(cpe).getByRole('link', { name: 'Carnet de liaison' }).click();
  await cpe.getByRole('heading', { level: 1, name: 'Carnet de liaison' }).waitFor();
  await cpe.getByRole('link', { name: 'Nouveau mot' }).click();
  await cpe.getByLabel('TPRO', { exact: true }).check();
  await cpe.getByLabel('Titre', { exact: true }).fill(title);
  await cpe.getByLabel('Catégorie').selectOption({ label: 'Vie scolaire' });
  const text = cpe.getByRole('textbox', { name: 'Texte du mot', exact: true });
  await text.click();
  await cpe.keyboard.type('Le photographe passera en TPRO le jeudi 17 décembre à 10 h. Merci de prévoir une tenue correcte.');
  await cpe.getByLabel('Demander une réponse aux familles').check();
  await cpe.getByRole('button', { name: 'Envoyer le mot' }).click();
  await cpe.getByText('Votre mot est envoyé aux familles.').waitFor();
  const row = cpe.getByRole('row', { name: new RegExp(title) });
  await row.getByRole('link', { name: '0 signature sur 2' }).waitFor();

  // André, on his phone.
  const andreContext = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const father = await andreContext.newPage();
  const fatherMonitor = watchPage(father);
  await signIn(father, 'andre.chamson');
  await father.goto(`${shared.server.url}/carnet-de-liaison`);
  await father.getByRole('heading', { name: 'Mots pour Louis CHAMSON' }).waitFor();
  const item = father.getByRole('listitem').filter({ hasText: title });
  await item.getByText('À signer').waitFor();
  await assertNoHorizontalScroll(father);
  await item.getByRole('link', { name: title }).click();
  await father.getByRole('heading', { level: 1, name: title }).waitFor();
  await father.getByText('Le photographe passera en TPRO').waitFor();
  await assertNoHorizontalScroll(father);
  await father.getByRole('button', { name: 'J\'ai pris connaissance' }).click();
  await father.getByText('Votre signature est enregistrée.').waitFor();
  await father.getByText(/^Signé par André CHAMSON le [^ ]+ \d+ [^ ]+ \d{4} \d{2}:\d{2}$/).waitFor();
  assert.equal(await father.getByRole('button', { name: 'J\'ai pris connaissance' }).count(), 0);
  await father.getByLabel('Votre réponse').fill('Louis sera bien présent.');
  await father.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await father.getByText('Votre réponse est envoyée.').waitFor();
  fatherMonitor.check();
  await andreContext.close();

  // The CPE's follow-up: one signature more, André's reply beside it.
  await cpe.goto(`${shared.server.url}/carnet-de-liaison`);
  await cpe.getByRole('row', { name: new RegExp(title) }).getByRole('link', { name: '1 signature sur 2' }).click();
  await cpe.getByRole('heading', { level: 1, name: `Suivi – ${title}` }).waitFor();
  const andreRow = cpe.getByRole('row', { name: /Louis CHAMSON/ });
  await andreRow.getByText(/^Signé le /).waitFor();
  await andreRow.getByText('Louis sera bien présent.').waitFor();
  await cpe.getByRole('button', { name: 'Relancer' }).click();
  await cpe.getByText('Rappel envoyé aux responsables qui n\'ont pas encore signé (1).').waitFor();
  // On a phone, the table scrolls inside its box, never the page; the form too.
  await cpe.setViewportSize({ width: 390, height: 844 });
  await assertNoHorizontalScroll(cpe);
  await cpe.goto(`${shared.server.url}/carnet-de-liaison/nouveau`);
  await cpe.getByRole('heading', { level: 1, name: 'Nouveau mot' }).waitFor();
  await assertNoHorizontalScroll(cpe);
  cpeMonitor.check();
  await cpeContext.close();
});
