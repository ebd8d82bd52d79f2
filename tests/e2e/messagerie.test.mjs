// « Messagerie »: André CHAMSON writes to his son's teacher Samuel BEAUMONT,
// finding him by name, by the guide's labels; Samuel reads and replies. The
// bell of the top bar tells each of them, and leads to the message.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

function signIn(page, login) {
  return signInToAccueil(page, shared.server.url, login, DEMO_PASSWORD);
}

async function openMessagerie(page) {
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: /^Messagerie/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Messagerie' }).waitFor();
}

async function writeAndReply(subject, javaScriptEnabled) {
  const andre = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 }, javaScriptEnabled });
  const page = await andre.newPage();
  const monitor = watchPage(page);
  await signIn(page, 'andre.chamson');
  await openMessagerie(page);
  await page.getByRole('link', { name: 'Nouveau message' }).click();
  await page.getByLabel('Rechercher un destinataire par son nom').fill('beaumont');
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
  await page.getByRole('button', { name: 'Ajouter Samuel BEAUMONT' }).click();
  await page.getByRole('button', { name: 'Retirer Samuel BEAUMONT' }).waitFor();
  await page.getByLabel('Objet', { exact: true }).fill(subject);
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Bonjour Monsieur,\nLouis pourra-t-il venir avec son appareil photo ?\nA. Chamson');
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.getByText('Votre message est envoyé.').waitFor();
  await page.getByRole('link', { name: subject }).waitFor();
  monitor.check();

  const samuel = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 }, javaScriptEnabled });
  const teacher = await samuel.newPage();
  const teacherMonitor = watchPage(teacher);
  await signIn(teacher, 'samuel.beaumont');
  await teacher.getByRole('banner').getByRole('link', { name: /^Notifications \(\d+ non lues?\)$/ }).waitFor();
  const menuEntry = teacher.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: /^Messagerie/ });
  assert.match(await menuEntry.textContent(), /\(\d+/, 'the unread messages beside « Messagerie »');
  const latest = teacher.getByRole('region', { name: 'Derniers messages' });
  await latest.getByRole('link', { name: subject }).waitFor();
  await openMessagerie(teacher);
  await teacher.getByRole('link', { name: new RegExp(subject) }).click();
  await teacher.getByText('Louis pourra-t-il venir avec son appareil photo ?').waitFor();
  await teacher.getByRole('link', { name: 'Répondre', exact: true }).click();
  const body = teacher.getByRole('textbox', { name: 'Message', exact: true });
  if (javaScriptEnabled) {
    // The rich-text editor opens with the quoted message: type above it.
    await body.click();
    await teacher.keyboard.press('Control+Home');
    await teacher.keyboard.type('Bonjour, oui, bien sûr.');
  } else {
    await body.fill(`Bonjour,\nOui, bien sûr.\n${await body.inputValue()}`);
  }
  await teacher.getByRole('button', { name: 'Envoyer' }).click();
  await teacher.getByText('Votre message est envoyé.').waitFor();
  teacherMonitor.check();

  await page.reload();
  // The bell: the reply is the newest notification, and opens it (reading
  // the message reads its notification).
  await page.getByRole('banner').getByRole('link', { name: /^Notifications \(\d+ non lues?\)$/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
  await page.getByRole('link', { name: 'Nouveau message de Samuel BEAUMONT' }).first().click();
  await page.waitForURL(/\/messagerie\/messages\/\d+$/);
  await page.getByText(/[Oo]ui, bien sûr\./).first().waitFor();
  await page.getByRole('heading', { name: new RegExp(`Re : ${subject}`) }).waitFor();
  await page.reload();
  assert.doesNotMatch(await page.getByRole('banner').getByRole('link', { name: /^Notifications/ }).textContent(), /non lue/);
  // And the messagerie lists the reply as read.
  await openMessagerie(page);
  await page.getByRole('link', { name: new RegExp(`Re : ${subject}`) }).waitFor();
  monitor.check();
  await andre.close();
  await samuel.close();
}

test('guardian_writes_to_a_teacher_who_replies', { timeout: 90_000 }, async () => {
  await writeAndReply('Sortie au musée Cévenol', true);
});

test('guardian_writes_to_a_teacher_who_replies_without_javascript', { timeout: 90_000 }, async () => {
  await writeAndReply('Appareil photo pour la sortie', false);
});
