// The bulletins (issue #8): the principal, Philippe GARNIER, opens the
// bulletins of TPRO for the current trimestre, writes his appraisal of Louis
// CHAMSON and publishes them; André CHAMSON, on his phone (390 px), finds
// Louis's bulletin and downloads the PDF, whose text (pdftotext) names Louis
// and carries the appraisal. The « Notes » tab (/evaluations) is another
// part's: the test opens « Bulletins » by its address.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoHorizontalScroll, serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

function signIn(page, login) {
  return signInToAccueil(page, shared.server.url, login, DEMO_PASSWORD);
}

test('principal_publishes_tpro_bulletins_and_a_father_downloads_the_pdf_on_his_phone', { timeout: 120_000 }, async () => {
  const appraisal = 'Trimestre sérieux : Louis doit maintenant gagner en autonomie.';
  const direction = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const principal = await direction.newPage();
  const principalMonitor = watchPage(principal);
  await signIn(principal, 'philippe.garnier');
  await principal.goto(`${shared.server.url}/evaluations/bulletins`);
  await principal.getByRole('heading', { level: 1, name: 'Bulletins' }).waitFor();
  const tpro = principal.getByRole('row', { name: /^TPRO/ });
  await tpro.getByText('Non publiés').first().waitFor();
  await tpro.getByRole('link', { name: /^Trimestre 1/ }).click();
  await principal.getByRole('heading', { level: 1, name: /^Bulletins – TPRO – Trimestre 1/ }).waitFor();
  await principal.getByText('Bulletins non publiés : les familles ne les voient pas encore.').waitFor();
  const form = principal.getByRole('region', { name: 'Appréciation du chef d\'établissement' });
  await form.getByLabel('Appréciation – Louis CHAMSON').fill(appraisal);
  await form.getByRole('button', { name: 'Enregistrer les appréciations' }).click();
  await principal.getByText('Les appréciations sont enregistrées.').waitFor();
  await principal.getByRole('button', { name: 'Publier les bulletins' }).click();
  await principal.getByText(/^Les bulletins sont publiés/).waitFor();
  await principal.getByText(/^Bulletins publiés le /).waitFor();
  await principal.getByRole('button', { name: 'Retirer la publication' }).waitFor();
  principalMonitor.check();
  await direction.close();

  const phone = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 }, acceptDownloads: true });
  const father = await phone.newPage();
  const fatherMonitor = watchPage(father);
  await signIn(father, 'andre.chamson');
  await father.goto(`${shared.server.url}/evaluations/bulletins`);
  await father.getByRole('heading', { level: 1, name: 'Bulletins' }).waitFor();
  await father.locator('form.report-chooser').getByLabel('Profil affiché').selectOption({ label: 'Louis CHAMSON' });
  await father.getByRole('button', { name: 'Afficher' }).click();
  await father.getByRole('heading', { name: 'Bulletins de Louis CHAMSON' }).waitFor();
  await father.getByRole('link', { name: /^Bulletin du Trimestre 1/ }).waitFor();
  await assertNoHorizontalScroll(father);
  const [download] = await Promise.all([
    father.waitForEvent('download'),
    father.getByRole('link', { name: 'Télécharger le bulletin (PDF)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^Bulletin Trimestre 1 Louis CHAMSON\.pdf$/);
  const directory = mkdtempSync(join(tmpdir(), 'bulletin-'));
  try {
    const file = join(directory, 'bulletin.pdf');
    await download.saveAs(file);
    assert.ok(readFileSync(file).subarray(0, 4).toString() === '%PDF');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    assert.match(text, /Louis CHAMSON/);
    assert.match(text, /Bulletin du Trimestre 1/);
    assert.match(text, /Trimestre sérieux : Louis doit maintenant gagner en/);
    assert.match(text, /Fait au Vigan/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  // The page of the bulletin itself fits the phone too.
  await father.getByRole('link', { name: /^Bulletin du Trimestre 1/ }).click();
  await father.getByRole('heading', { level: 1, name: 'Bulletin du Trimestre 1 – Louis CHAMSON' }).waitFor();
  await assertNoHorizontalScroll(father);
  fatherMonitor.check();
  await phone.close();
});
