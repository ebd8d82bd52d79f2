// « Nouveau message » with JavaScript: Samuel BEAUMONT types the start of a
// name and picks André CHAMSON from the suggestions, puts a word in bold
// with the toolbar, attaches the permission slip and sends; André reads the
// formatting and downloads the file. On a phone's width, nothing scrolls
// sideways.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoHorizontalScroll, serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

function signIn(page, login) {
  return signInToAccueil(page, shared.server.url, login, DEMO_PASSWORD);
}

test('teacher_picks_a_suggestion_writes_in_bold_and_attaches_a_file', { timeout: 90_000 }, async () => {
  const folder = mkdtempSync(join(tmpdir(), 'cartable-piece-'));
  const slip = join(folder, 'autorisation-sortie.pdf');
  writeFileSync(slip, '%PDF-1.4\n% Autorisation de sortie au musée Cévenol\n');

  const samuel = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 }, acceptDownloads: true });
  const page = await samuel.newPage();
  const monitor = watchPage(page);
  await signIn(page, 'samuel.beaumont');
  await page.goto(`${shared.server.url}/messagerie/nouveau`);
  await page.getByLabel('Rechercher un destinataire par son nom').pressSequentially('chams', { delay: 30 });
  // Suggested without pressing « Rechercher ».
  // André CHAMSON is also a teacher (a second account): the profile tells them apart.
  await page.getByRole('button', { name: 'Ajouter André CHAMSON (Responsable légal)' }).click();
  await page.getByRole('button', { name: 'Retirer André CHAMSON' }).waitFor();
  await page.getByLabel('Objet', { exact: true }).fill('Autorisation de sortie');
  const editor = page.getByRole('textbox', { name: 'Message', exact: true });
  await editor.click();
  await page.keyboard.type('Merci de signer ');
  await page.getByRole('toolbar', { name: 'Mise en forme' }).getByRole('button', { name: 'Gras' }).click();
  await page.keyboard.type('avant mardi');
  await page.getByRole('toolbar', { name: 'Mise en forme' }).getByRole('button', { name: 'Gras' }).click();
  await page.keyboard.type(' le document joint.');
  await page.getByLabel(/Ajouter des fichiers/).setInputFiles(slip);
  await assertNoHorizontalScroll(page);
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.getByText('Votre message est envoyé.').waitFor();
  monitor.check();
  await samuel.close();

  const andre = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 }, acceptDownloads: true });
  const reader = await andre.newPage();
  const readerMonitor = watchPage(reader);
  await signIn(reader, 'andre.chamson');
  await reader.goto(`${shared.server.url}/messagerie`);
  await reader.getByRole('link', { name: /Autorisation de sortie/ }).click();
  const bold = reader.locator('.mail-body :is(b, strong)');
  await bold.waitFor();
  assert.equal((await bold.textContent()).trim(), 'avant mardi');
  assert.equal(await reader.locator('.mail-body script').count(), 0);
  const attachments = reader.getByRole('region', { name: 'Pièces jointes' });
  const [download] = await Promise.all([
    reader.waitForEvent('download'),
    attachments.getByRole('link', { name: 'autorisation-sortie.pdf' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'autorisation-sortie.pdf');
  const saved = join(folder, 'recu.pdf');
  await download.saveAs(saved);
  assert.match(readFileSync(saved, 'utf8'), /Autorisation de sortie au musée Cévenol/);
  await assertNoHorizontalScroll(reader);
  readerMonitor.check();
  await andre.close();
});
