// The scenario: Samuel BEAUMONT writes to « Parents de la classe
// TPRO »; André CHAMSON, on his phone, finds it by the bell, reads it and
// replies; the teacher's bell shows the reply, which opens from it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoHorizontalScroll, serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

function signIn(page, login) {
  return signInToAccueil(page, shared.server.url, login, DEMO_PASSWORD);
}

function bell(page) {
  return page.getByRole('banner').getByRole('link', { name: /^Notifications/ });
}

test('teacher_writes_to_the_parents_of_tpro_a_father_replies_and_the_bell_shows_it', { timeout: 120_000 }, async () => {
  const subject = 'Réunion parents-professeurs de TPRO';
  const samuel = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const teacher = await samuel.newPage();
  const teacherMonitor = watchPage(teacher);
  await signIn(teacher, 'samuel.beaumont');
  await teacher.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: /^Messagerie/ }).click();
  await teacher.getByRole('link', { name: 'Nouveau message' }).click();
  await teacher.getByLabel('Ajouter une liste').selectOption({ label: 'Parents de la classe TPRO' });
  await teacher.getByRole('button', { name: 'Ajouter la liste' }).click();
  await teacher.getByRole('button', { name: 'Retirer André CHAMSON' }).waitFor();
  await teacher.getByLabel('Objet', { exact: true }).fill(subject);
  await teacher.getByRole('textbox', { name: 'Message', exact: true }).fill(
    'Madame, Monsieur,\nLa réunion parents-professeurs de TPRO aura lieu mardi 14 janvier à 17 h 30, salle B12.\nS. Beaumont');
  await teacher.getByRole('button', { name: 'Envoyer' }).click();
  await teacher.getByText('Votre message est envoyé.').waitFor();
  teacherMonitor.check();

  // André, on his phone: the bell counts the message and leads to it.
  const andre = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const father = await andre.newPage();
  const fatherMonitor = watchPage(father);
  await signIn(father, 'andre.chamson');
  assert.match(await bell(father).getAttribute('title'), /^Notifications \(\d+ non lues?\)$/);
  await bell(father).click();
  await father.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
  await father.getByRole('link', { name: 'Nouveau message de Samuel BEAUMONT' }).first().click();
  await father.getByRole('heading', { name: subject }).waitFor();
  await father.getByText(/aura lieu mardi 14 janvier/).waitFor();
  await assertNoHorizontalScroll(father);
  await father.getByRole('link', { name: 'Répondre', exact: true }).click();
  const body = father.getByRole('textbox', { name: 'Message', exact: true });
  await body.click();
  await father.keyboard.press('Control+Home');
  await father.keyboard.type('Bonjour Monsieur, je serai présent. A. Chamson');
  await father.getByRole('button', { name: 'Envoyer' }).click();
  await father.getByText('Votre message est envoyé.').waitFor();
  fatherMonitor.check();
  await andre.close();

  // The teacher's bell shows the reply; following it opens the reply.
  await teacher.goto(`${shared.server.url}/accueil`);
  assert.match(await bell(teacher).getAttribute('title'), /^Notifications \(\d+ non lues?\)$/);
  await bell(teacher).click();
  await teacher.getByRole('link', { name: 'Nouveau message de André CHAMSON' }).first().click();
  await teacher.getByRole('heading', { name: `Re : ${subject}` }).waitFor();
  await teacher.getByText('je serai présent').waitFor();
  teacherMonitor.check();
  await samuel.close();
});
