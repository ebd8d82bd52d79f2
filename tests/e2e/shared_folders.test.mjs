// « Dossiers partagés » of the class TPRO: Samuel BEAUMONT opens the folder
// « Stage en entreprise », sends two files at once with the progress bar,
// then downloads one; the download is an attachment and honours a byte
// Range (206, 416).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serverAndBrowser, watchPage } from '../support/browser.mjs';
import { Client, signInOrThrow, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

// The space whose title is « Classe TPRO » among the first ids.
async function spaceOf(client, title) {
  for (let id = 1; id <= 60; id++) {
    const { status, text } = await client.get(`/espaces/${id}/dossiers`);
    if (status === 200 && text.includes(`<h1 class="page-title">${title}</h1>`)) return `/espaces/${id}`;
  }
  throw new Error(`no space ${title}`);
}

test('teacher_shares_files_in_a_class_folder', { timeout: 120_000 }, async () => {
  const client = new Client(shared.server.url);
  const session = await signInOrThrow(client, 'samuel.beaumont');
  const space = await spaceOf(client, 'Classe TPRO');
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  await context.addCookies([{ name: 'cartable_session', value: session, url: shared.server.url }]);
  try {
    const page = await context.newPage();
    const monitor = watchPage(page);
    await page.goto(`${shared.server.url}${space}/dossiers`);
    await page.getByRole('heading', { level: 2, name: 'Dossiers partagés' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Dossiers partagés' }).first().getAttribute('aria-current'), 'page');
    await page.getByText(/^Espace utilisé : \d+ (octets|Ko), disponible : 300 Mo$/).waitFor();
    const row = page.getByRole('row', { name: /Stage en entreprise/ });
    await row.getByText('Ajouté par SAMUEL BEAUMONT').waitFor();
    await row.getByRole('link', { name: 'Stage en entreprise', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Stage en entreprise' }).waitFor();
    await page.getByRole('link', { name: 'Convention de stage 2026.pdf', exact: true }).waitFor();

    // The progress bar's changes, kept across the page's reload.
    await page.evaluate(() => {
      const bar = document.querySelector('progress');
      new MutationObserver(() => {
        sessionStorage.setItem('progress', String(bar.value));
        sessionStorage.setItem('shown', String(!bar.closest('.upload-progress').hidden));
      }).observe(bar.closest('form'), { attributes: true, subtree: true, childList: true, characterData: true });
    });
    const uploads = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/fichiers')) uploads.push(request.resourceType());
    });
    const report = 'Compte rendu de la visite de l\'entreprise Cévennes Bois, le 12 janvier.\n'.repeat(40_000);
    await page.getByLabel(/^Fichiers/).setInputFiles([
      { name: 'Compte rendu de visite.txt', mimeType: 'text/plain', buffer: Buffer.from(report) },
      { name: 'Planning des stages – janvier.csv', mimeType: 'text/csv', buffer: Buffer.from('Élève;Entreprise\nLouis CHAMSON;Cévennes Bois\n') },
    ]);
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await page.waitForURL(/\/dossiers\/\d+\?envoye=2$/);
    await page.getByText('2 fichiers sont ajoutés.').waitFor();
    assert.deepEqual(uploads, ['xhr']);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('shown')), 'true');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('progress')), '100');
    const sent = page.getByRole('row', { name: /Compte rendu de visite\.txt/ });
    await sent.getByText('Ajouté par SAMUEL BEAUMONT').waitFor();
    await sent.getByText('2.8 Mo').waitFor();
    await page.getByRole('link', { name: 'Planning des stages – janvier.csv', exact: true }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Planning des stages – janvier.csv', exact: true }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'Planning des stages – janvier.csv');
    const chunks = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), 'Élève;Entreprise\nLouis CHAMSON;Cévennes Bois\n');
    monitor.check();

    // The same file through HTTP: headers, then ranges.
    const href = await sent.getByRole('link', { name: 'Compte rendu de visite.txt', exact: true }).getAttribute('href');
    const whole = await client.fetch(href);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('x-content-type-options'), 'nosniff');
    assert.match(whole.headers.get('content-security-policy'), /sandbox/);
    assert.match(whole.headers.get('content-disposition'), /^attachment; .*filename\*=UTF-8''Compte%20rendu%20de%20visite\.txt$/);
    assert.equal(Number(whole.headers.get('content-length')), Buffer.byteLength(report));
    await whole.arrayBuffer();
    const part = await client.fetch(href, { headers: { range: 'bytes=0-13' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 0-13/${Buffer.byteLength(report)}`);
    assert.equal(await part.text(), 'Compte rendu d');
    const beyond = await client.fetch(href, { headers: { range: 'bytes=99999999-' } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${Buffer.byteLength(report)}`);
    await beyond.arrayBuffer();
  } finally {
    await context.close();
  }
});
