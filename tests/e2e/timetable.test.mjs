// « Emploi du temps »: Louis CHAMSON finds ÉCONOMIE-GESTION with Samuel
// BEAUMONT on Monday at 08:00 in the week grid; on a 390 px phone he sees
// one day, without horizontal scrolling, and goes to the next; the CPE
// cancels a lesson and Louis sees « Annulé » with the note.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serverAndBrowser } from '../support/browser.mjs';
import { Client, signInOrThrow, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);
const WEEK = '2030-03-04'; // a Monday far from the demo's changes

async function signedInContext(login, options = {}) {
  const client = new Client(shared.server.url);
  const session = await signInOrThrow(client, login);
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 }, ...options });
  await context.addCookies([{ name: 'cartable_session', value: session, url: shared.server.url }]);
  return context;
}

test('Louis reads his week, then one day at a time on a phone', { timeout: 90_000 }, async () => {
  const desk = await signedInContext('louis.chamson');
  const phone = await signedInContext('louis.chamson', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    const page = await desk.newPage();
    await page.goto(`${shared.server.url}/accueil`);
    await page.getByRole('link', { name: 'Emploi du temps', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Emploi du temps' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Emploi du temps', exact: true }).getAttribute('aria-current'), 'page');
    const grid = page.locator('table.timetable-week');
    assert.ok(await grid.isVisible());
    const firstDay = await grid.locator('thead th').nth(1).innerText();
    assert.match(firstDay, /^lundi/);
    const eight = grid.locator('tbody tr', { has: page.getByRole('rowheader', { name: '08:00' }) });
    const monday = eight.locator('td').first();
    const text = await monday.innerText();
    assert.ok(text.includes('ÉCONOMIE-GESTION') && text.includes('Samuel BEAUMONT') && text.includes('08:00 – 10:00'), text);
    assert.ok(!(await page.locator('.timetable-day').isVisible()), 'the day list is for phones');
    await page.getByRole('link', { name: /Semaine suivante/ }).click();
    await page.getByRole('heading', { level: 2, name: /Semaine du/ }).waitFor();

    const small = await phone.newPage();
    await small.goto(`${shared.server.url}/emploi-du-temps?jour=${WEEK}`);
    assert.ok(!(await small.locator('table.timetable-week').isVisible()), 'no grid on a phone');
    const day = small.locator('.timetable-day');
    assert.ok(await day.isVisible());
    assert.match(await day.getByRole('heading', { level: 2 }).innerText(), /^lundi 4 mars 2030/);
    assert.ok((await day.innerText()).includes('ÉCONOMIE-GESTION'));
    const width = await small.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling (${width})`);
    await day.getByRole('link', { name: /Jour suivant/ }).click();
    await small.getByRole('heading', { level: 2, name: /^mardi 5 mars 2030/ }).waitFor();
    assert.ok((await small.evaluate(() => document.documentElement.scrollWidth)) <= 390);
  } finally {
    await desk.close();
    await phone.close();
  }
});

test('the CPE cancels a lesson; Louis sees « Annulé »', { timeout: 90_000 }, async () => {
  const cpe = await signedInContext('nathalie.vidal');
  const student = await signedInContext('louis.chamson');
  try {
    const page = await cpe.newPage();
    await page.goto(`${shared.server.url}/emploi-du-temps`);
    await page.getByLabel('Classe ou groupe').selectOption({ label: 'TPRO' });
    await page.getByRole('button', { name: 'Afficher' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Emploi du temps de la classe TPRO' }).waitFor();
    await page.goto(`${page.url()}&semaine=${WEEK}`);
    await page.getByRole('link', { name: /^Modifier ce cours : ÉCONOMIE-GESTION, 08:00/ }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Modifier ce cours' }).waitFor();
    await page.getByLabel('Annuler ce cours').check();
    await page.getByLabel(/^Note/).fill('Professeur en formation');
    await page.getByRole('button', { name: 'Enregistrer le changement' }).press('Enter');
    await page.getByText('Le changement est enregistré').waitFor();

    const mine = await student.newPage();
    await mine.goto(`${shared.server.url}/emploi-du-temps?semaine=${WEEK}`);
    const grid = mine.locator('table.timetable-week');
    const eight = grid.locator('tbody tr', { has: mine.getByRole('rowheader', { name: '08:00' }) });
    const monday = await eight.locator('td').first().innerText();
    assert.ok(monday.includes('Annulé') && monday.includes('Professeur en formation'), monday);
    assert.equal(await eight.locator('td').first().locator('s').first().innerText(), 'ÉCONOMIE-GESTION');
    assert.equal(await mine.getByRole('link', { name: /Modifier ce cours/ }).count(), 0);
  } finally {
    await cpe.close();
    await student.close();
  }
});
