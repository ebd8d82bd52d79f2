// « Notifications »: without JavaScript, André CHAMSON chooses, from his
// Préférences, SMS for Louis's absences and quiet hours; a bad hour is
// refused in French and nothing is saved; both pages fit a phone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { acceptFirstConnection, assertNoHorizontalScroll, serverAndBrowser, signInInBrowser, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

test('guardian_chooses_his_notifications_without_javascript', { timeout: 90_000 }, async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
  const page = await context.newPage();
  const monitor = watchPage(page);
  await signInInBrowser(page, shared.server.url, 'andre.chamson', DEMO_PASSWORD);
  await page.waitForURL(/\/(accueil|premiere-connexion)$/);
  if (page.url().endsWith('/premiere-connexion')) await acceptFirstConnection(page);
  await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();

  // A number for SMS first (« Notification SMS, votre préférence »).
  await page.getByRole('banner').getByRole('link', { name: 'Préférences', exact: true }).click();
  await page.getByRole('navigation', { name: 'Préférences' }).getByRole('link', { name: 'Mes préférences' }).click();
  await page.getByLabel('Téléphone 1').fill('06 12 34 56 78');
  await page.getByLabel('Notification SMS, votre préférence').selectOption('telephone1');
  await page.getByRole('button', { name: 'Enregistrer mes informations' }).first().click();
  await page.getByText('Vos informations ont été enregistrées.').waitFor();

  await page.getByRole('link', { name: /Choisir les notifications reçues/ }).click();
  await page.getByRole('heading', { name: 'Choix des notifications' }).waitFor();
  const louis = page.getByRole('table', { name: 'Pour Louis CHAMSON' });
  await louis.getByRole('checkbox', { name: 'Absence ou retard enregistré : par SMS' }).check();
  await page.getByLabel('Début des heures calmes').fill('21:00');
  await page.getByLabel('Fin des heures calmes').fill('07:00');
  await page.getByRole('button', { name: 'Enregistrer mes choix' }).click();
  await page.getByText('Vos choix de notifications sont enregistrés.').waitFor();
  assert.equal(await louis.getByRole('checkbox', { name: 'Absence ou retard enregistré : par SMS' }).isChecked(), true);
  assert.equal(await page.getByRole('table', { name: 'Pour Pauline CHAMSON' })
    .getByRole('checkbox', { name: 'Absence ou retard enregistré : par SMS' }).isChecked(), false);
  assert.equal(await page.getByLabel('Début des heures calmes').inputValue(), '21:00');

  // A bad hour: a French message, nothing saved.
  await louis.getByRole('checkbox', { name: 'Absence ou retard enregistré : par SMS' }).uncheck();
  await page.getByLabel('Fin des heures calmes').fill('21:00');
  await page.getByRole('button', { name: 'Enregistrer mes choix' }).click();
  await page.getByRole('alert').getByText("L'heure de début et l'heure de fin doivent être différentes.").waitFor();
  await page.goto(`${shared.server.url}/preferences/notifications`);
  assert.equal(await page.getByRole('table', { name: 'Pour Louis CHAMSON' })
    .getByRole('checkbox', { name: 'Absence ou retard enregistré : par SMS' }).isChecked(), true);
  assert.equal(await page.getByLabel('Fin des heures calmes').inputValue(), '07:00');

  await page.setViewportSize({ width: 390, height: 844 });
  await assertNoHorizontalScroll(page);
  await page.getByRole('banner').getByRole('link', { name: /^Notifications/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
  await page.getByText("Vous n'avez aucune notification.").waitFor();
  await assertNoHorizontalScroll(page);
  monitor.check();
  await context.close();
});
