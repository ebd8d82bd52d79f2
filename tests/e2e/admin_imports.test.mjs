// The secretariat's September: the structure's administrator deposits the
// CSV files, runs a simulation then the import, reads the report, prints the
// class's activation letters; a new guardian activates the account with the
// letter's code and signs in to find the child.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { acceptFirstConnection, assertNoHorizontalScroll, serverAndBrowser, signInInBrowser, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

let files;
before(() => {
  files = mkdtempSync(path.join(tmpdir(), 'cartable-csv-'));
  writeFileSync(path.join(files, 'eleves.csv'),
    'identifiant;nom;prenom;civilite;date_naissance;classe;groupes\n'
    + 'V101;ESPAZE;Margot;Mme;14/05/2008;TPRO;\n'
    + 'V102;;Sans Nom;M.;;TPRO;\n');
  writeFileSync(path.join(files, 'responsables.csv'),
    'Identifiant;Nom;Prénom;Civilité;Adresse;Code postal;Ville;Téléphone domicile;Téléphone travail;'
    + 'Téléphone portable;Mail;Élèves;Lien;Autorité parentale\n'
    + 'R101;ESPAZE;Jean;M.;4 rue du Pont;30120;LE VIGAN;;;06 21 43 65 87;jean.espaze@example.fr;V101;pere;oui\n');
});
after(() => { if (files) rmSync(files, { recursive: true, force: true }); });

async function openAdministration(page) {
  const menu = page.getByRole('navigation', { name: 'Menu principal' });
  await menu.locator('summary', { hasText: 'ÉTABLISSEMENT' }).click();
  await menu.getByRole('link', { name: 'Administration' }).click();
  await page.waitForURL('**/admin');
}

test('administrator_imports_prints_letters_and_a_guardian_activates', { timeout: 120_000 }, async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const monitor = watchPage(page);
  let login;
  let code;
  try {
    await signInInBrowser(page, shared.server.url, 'olivier.pradel', DEMO_PASSWORD);
    await acceptFirstConnection(page);
    await openAdministration(page);
    await page.getByRole('link', { name: 'Dépôt des fichiers d\'import' }).click();
    await page.waitForURL('**/admin/depot');
    await page.getByLabel(/Fichiers à déposer/).setInputFiles([path.join(files, 'eleves.csv'), path.join(files, 'responsables.csv')]);
    await page.getByRole('button', { name: 'Déposer', exact: true }).click();
    await page.getByRole('status').getByText('2 fichiers déposés.').waitFor();

    // A simulation first: its report says nothing was changed.
    await page.getByLabel('Simulation (ne rien changer)').check();
    await page.getByRole('button', { name: 'Lancer l\'import des fichiers CSV' }).click();
    await page.waitForURL(/\/admin\/imports\/\d+$/);
    assert.match(await page.locator('pre.import-report').innerText(), /Simulation de l'import/);
    await page.goto(`${shared.server.url}/admin/depot`);

    // Then the import itself; the report lists the rejected line.
    await page.getByRole('button', { name: 'Lancer l\'import des fichiers CSV' }).click();
    await page.waitForURL(/\/admin\/imports\/\d+$/);
    await page.getByRole('heading', { name: 'Rapport d\'import' }).waitFor();
    const report = await page.locator('pre.import-report').innerText();
    assert.doesNotMatch(report, /Simulation/);
    assert.match(report, /créé/);
    const rejected = page.getByRole('row').filter({ hasText: 'eleves.csv' });
    assert.equal(await rejected.count(), 1, 'the line without a name is rejected');
    assert.match(await rejected.innerText(), /\b3\b/);
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalScroll(page);
    await page.setViewportSize({ width: 1280, height: 800 });

    // Letters for TPRO.
    await openAdministration(page);
    await page.getByRole('link', { name: 'Codes d\'activation' }).click();
    await page.waitForURL('**/admin/activation');
    await page.getByLabel('Classe').selectOption('TPRO');
    await page.getByRole('button', { name: 'Imprimer les lettres' }).click();
    const letter = page.locator('article.letter').filter({ hasText: 'Jean ESPAZE' });
    await letter.waitFor();
    assert.match(await letter.innerText(), /responsable de Margot ESPAZE, classe TPRO/);
    login = (await letter.locator('.letter-login').innerText()).trim();
    code = (await letter.locator('.letter-code').innerText()).trim();
    assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    // The journal keeps the administrator's actions.
    await page.goto(`${shared.server.url}/admin/journal`);
    await page.getByRole('cell', { name: 'Import de l\'annuaire lancé' }).first().waitFor();
    await page.getByRole('cell', { name: 'Lettres d\'activation imprimées' }).first().waitFor();
    monitor.check();
  } finally {
    await context.close();
  }

  // Jean ESPAZE, on his phone, with the letter.
  const phone = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const guardian = await phone.newPage();
  const watched = watchPage(guardian);
  try {
    await guardian.goto(`${shared.server.url}/connexion/identifiants?profil=eleve-parent&academie=montpellier`);
    await guardian.getByRole('link', { name: 'Première connexion avec un code d\'activation' }).click();
    await guardian.waitForURL('**/connexion/activation');
    await guardian.getByRole('textbox', { name: 'Identifiant' }).fill(login);
    await guardian.getByRole('textbox', { name: 'Code d\'activation' }).fill(code.toLowerCase().replaceAll('-', ' '));
    await guardian.getByLabel('Nouveau mot de passe', { exact: true }).fill('Aigoual-2027');
    await guardian.getByLabel('Confirmer le mot de passe', { exact: true }).fill('Aigoual-2027');
    await guardian.getByRole('button', { name: 'Activer mon compte' }).click();
    await acceptFirstConnection(guardian);
    // « Profil affiché » offers his daughter.
    assert.equal(await guardian.locator('option', { hasText: 'Margot ESPAZE' }).count(), 1);
    await assertNoHorizontalScroll(guardian);
    watched.check();
  } finally {
    await phone.close();
  }
});
