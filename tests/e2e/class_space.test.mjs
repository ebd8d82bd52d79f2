// The scenario in « Classe TPRO »: Samuel BEAUMONT publishes an
// article and shares a folder, lets parents in as visitors; André CHAMSON,
// on his phone, finds the class in his menu, reads the article (« Par
// SAMUEL BEAUMONT, publié le … »), sees the folder with the quota line and
// cannot post anywhere. (Two browsers chatting live: tests/e2e/chat.test.mjs.)
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

test('teacher_publishes_in_tpro_lets_parents_visit_and_a_father_reads_without_posting', { timeout: 120_000 }, async () => {
  const title = 'Sortie au salon de l\'étudiant de Montpellier';
  const samuel = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const teacher = await samuel.newPage();
  const teacherMonitor = watchPage(teacher);
  await signIn(teacher, 'samuel.beaumont');
  await menu(teacher).getByText('ESPACE DES CLASSES').click();
  await menu(teacher).getByRole('link', { name: 'Classe TPRO' }).click();
  await teacher.getByRole('heading', { level: 1, name: 'Classe TPRO' }).waitFor();
  await teacher.getByRole('heading', { name: /^Tous les articles \(\d+\)$/ }).waitFor();
  await teacher.getByRole('link', { name: 'Nouvel article' }).click();
  await teacher.getByLabel('Titre', { exact: true }).fill(title);
  const body = teacher.getByRole('textbox', { name: 'Contenu', exact: true });
  await body.click();
  await teacher.keyboard.type('Rendez-vous jeudi à 8 h devant le lycée, retour prévu vers 17 h.');
  await teacher.getByRole('button', { name: 'Publier' }).click();
  await teacher.getByText('L\'article est publié.').waitFor();
  await teacher.getByText(/^Par SAMUEL BEAUMONT, publié le /).waitFor();

  // A folder shared with the class, with a file in it.
  const tabs = teacher.getByRole('navigation', { name: 'Rubriques de l\'espace' });
  await tabs.getByRole('link', { name: 'Dossiers partagés' }).click();
  await teacher.getByLabel('Nom du dossier').fill('Sortie au salon');
  await teacher.getByLabel('Description').fill('Le programme et l\'autorisation de sortie.');
  await teacher.getByRole('button', { name: 'Créer le dossier' }).click();
  await teacher.getByRole('link', { name: 'Sortie au salon', exact: true }).click();
  await teacher.getByRole('heading', { name: 'Sortie au salon' }).waitFor();
  await teacher.getByLabel('Fichiers (plusieurs à la fois si besoin)').setInputFiles({
    name: 'Autorisation de sortie.txt', mimeType: 'text/plain',
    buffer: Buffer.from('Autorisation de sortie au salon de l\'étudiant, à signer par les parents.\n'),
  });
  await teacher.getByRole('button', { name: 'Envoyer' }).click();
  await teacher.getByRole('cell', { name: /Autorisation de sortie\.txt/ }).first().waitFor();

  // Parents come in as visitors.
  await teacher.getByRole('navigation', { name: 'Rubriques de l\'espace' }).getByRole('link', { name: 'Membres' }).click();
  await teacher.getByLabel('Laisser les parents entrer en visiteurs (lecture seule)').check();
  await teacher.getByRole('button', { name: 'Enregistrer les paramètres' }).click();
  await teacher.getByText('Les paramètres sont enregistrés.').waitFor();
  teacherMonitor.check();
  await samuel.close();

  // André, on his phone: the class is in his menu; he reads, cannot post.
  const andre = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const father = await andre.newPage();
  const fatherMonitor = watchPage(father);
  await signIn(father, 'andre.chamson');
  const toggle = father.getByRole('button', { name: /MENU/ });
  if (await toggle.isVisible()) await toggle.click();
  await menu(father).getByText('ESPACE DES CLASSES').click();
  await menu(father).getByRole('link', { name: 'Classe TPRO' }).click();
  await father.getByText('Vous êtes visiteur de cet espace.', { exact: false }).waitFor();
  await father.getByRole('link', { name: title }).click();
  await father.getByRole('heading', { name: title }).waitFor();
  await father.getByText(/^Par SAMUEL BEAUMONT, publié le \w+ \d+ \w+ \d{4} \d{2}:\d{2}/).waitFor();
  assert.equal(await father.getByRole('link', { name: 'Nouvel article' }).count(), 0);
  assert.equal(await father.getByLabel('Votre commentaire').count(), 0);
  assert.equal(await father.getByRole('link', { name: 'Modifier' }).count(), 0);
  await assertNoHorizontalScroll(father);
  fatherMonitor.check();
  // The shared folders: the folder, who added it, the quota line; no upload.
  const spaceTabs = father.getByRole('navigation', { name: 'Rubriques de l\'espace' });
  await spaceTabs.getByRole('link', { name: 'Dossiers partagés' }).click();
  await father.getByText(/^Espace utilisé : [\d.]+ (octets?|Ko|Mo), disponible : [\d.]+ (Ko|Mo|Go)$/).waitFor();
  await father.getByRole('link', { name: 'Sortie au salon', exact: true }).waitFor();
  assert.ok(await father.getByText('Ajouté par SAMUEL BEAUMONT').count() > 0);
  assert.equal(await father.getByRole('button', { name: 'Créer le dossier' }).count(), 0);
  await father.getByRole('link', { name: 'Sortie au salon', exact: true }).click();
  await father.getByRole('cell', { name: /Autorisation de sortie\.txt/ }).first().waitFor();
  assert.equal(await father.getByLabel('Fichiers (plusieurs à la fois si besoin)').count(), 0);
  // The chat: he reads, has no form.
  await spaceTabs.getByRole('link', { name: 'Chat' }).click();
  await father.getByRole('heading', { name: 'Chat de la classe' }).waitFor();
  assert.equal(await father.getByLabel('Votre message').count(), 0);
  fatherMonitor.check();
  // Even by the address, the form is refused.
  const response = await father.goto(father.url().replace(/\/chat.*$/, '/blog/nouveau'));
  assert.equal(response.status(), 403);
  await father.getByText('En visiteur, vous pouvez lire cet espace, sans y publier.').waitFor();
  await andre.close();
});
