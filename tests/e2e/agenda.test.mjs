// « Agenda » of the TPRO space: Samuel BEAUMONT adds the weekly
// « Accompagnement personnalisé » with the keyboard-reachable form, finds it
// in the month grid and the week; the same works without JavaScript; Louis
// CHAMSON reads it and cannot change it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serverAndBrowser } from '../support/browser.mjs';
import { Client, signInOrThrow, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

async function signedInContext(login, options = {}) {
  const client = new Client(shared.server.url);
  const session = await signInOrThrow(client, login);
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 }, ...options });
  await context.addCookies([{ name: 'cartable_session', value: session, url: shared.server.url }]);
  return context;
}

async function openTproAgenda(page) {
  for (let id = 1; id <= 40; id += 1) {
    const response = await page.goto(`${shared.server.url}/espaces/${id}/agenda`);
    if (response.status() === 200 && (await page.getByRole('heading', { level: 1, name: 'Classe TPRO' }).count()) === 1) {
      return `${shared.server.url}/espaces/${id}`;
    }
  }
  throw new Error('no TPRO space');
}

async function addWeeklyEvent(page, title) {
  await page.getByRole('link', { name: 'Nouvel événement' }).click();
  await page.getByRole('heading', { level: 2, name: 'Nouvel événement' }).waitFor();
  await page.getByLabel('Titre').fill(title);
  await page.getByLabel(/^Lieu/).fill('Salle B12');
  const start = page.getByRole('group', { name: 'Début' });
  await start.getByLabel('Date').fill('2027-03-02');
  await start.getByLabel('Heure').fill('10:00');
  const end = page.getByRole('group', { name: 'Fin' });
  await end.getByLabel('Date').fill('2027-03-02');
  await end.getByLabel('Heure').fill('11:00');
  await page.getByLabel(/^Description/).fill('Méthodologie du dossier professionnel.\nApportez votre classeur.');
  await page.getByLabel('Toutes les semaines').check();
  await page.getByLabel("jusqu'au").fill('2027-03-30');
  await page.getByRole('button', { name: "Ajouter l'événement" }).press('Enter');
  await page.getByRole('heading', { level: 2, name: title }).waitFor();
}

test('the teacher adds a weekly event, shown by month and by week', { timeout: 90_000 }, async () => {
  const teacher = await signedInContext('samuel.beaumont');
  const student = await signedInContext('louis.chamson');
  try {
    const page = await teacher.newPage();
    const base = await openTproAgenda(page);
    assert.equal(await page.getByRole('link', { name: 'Agenda', exact: true }).getAttribute('aria-current'), 'page');
    assert.equal(await page.getByRole('link', { name: 'Mois', exact: true }).getAttribute('aria-current'), 'page');

    // With JavaScript, « Toute la journée » greys the hours out.
    await page.getByRole('link', { name: 'Nouvel événement' }).click();
    await page.getByLabel('Toute la journée').check();
    assert.ok(await page.getByRole('group', { name: 'Début' }).getByLabel('Heure').isDisabled());
    await page.getByLabel('Toute la journée').uncheck();
    await page.goto(`${base}/agenda`);

    // A mistake is said on the form, in French.
    await page.getByRole('link', { name: 'Nouvel événement' }).click();
    await page.getByLabel('Titre').fill('Accompagnement personnalisé');
    await page.getByRole('group', { name: 'Début' }).getByLabel('Heure').fill('10:00');
    await page.getByLabel('Toutes les semaines').check();
    await page.getByRole('button', { name: "Ajouter l'événement" }).click();
    await page.getByRole('alert').getByText("Indiquez jusqu'à quelle date l'événement se répète.").waitFor();
    assert.equal(await page.getByLabel('Titre').inputValue(), 'Accompagnement personnalisé');
    await page.goto(`${base}/agenda`);

    await addWeeklyEvent(page, 'Accompagnement personnalisé (groupe 2)');
    await page.getByText('mardi 2 mars 2027, de 10:00 à 11:00').waitFor();
    await page.getByText("Tous les mardis jusqu'au mardi 30 mars 2027").waitFor();
    const eventUrl = page.url();

    await page.goto(`${base}/agenda?vue=mois&mois=2027-03`);
    const grid = page.getByRole('table', { name: 'mars 2027' });
    await grid.waitFor();
    assert.equal(await grid.getByRole('link', { name: /Accompagnement personnalisé \(groupe 2\)/ }).count(), 5);
    await page.getByRole('link', { name: /Mois suivant/ }).click();
    await page.getByRole('table', { name: 'avril 2027' }).waitFor();
    await page.goto(`${base}/agenda?vue=semaine&semaine=2027-03-10`);
    await page.getByRole('heading', { level: 2, name: 'Semaine du lundi 8 mars 2027' }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'mardi 9 mars 2027' }).waitFor();

    // The student reads it, without a way to change it.
    const reader = await student.newPage();
    await reader.goto(eventUrl);
    await reader.getByRole('heading', { level: 2, name: 'Accompagnement personnalisé (groupe 2)' }).waitFor();
    assert.equal(await reader.getByRole('link', { name: 'Modifier', exact: true }).count(), 0);
    assert.equal(await reader.getByRole('button', { name: /Supprimer/ }).count(), 0);
  } finally {
    await teacher.close();
    await student.close();
  }
});

test('without JavaScript the agenda works the same', { timeout: 90_000 }, async () => {
  const teacher = await signedInContext('samuel.beaumont', { javaScriptEnabled: false });
  try {
    const page = await teacher.newPage();
    await openTproAgenda(page);
    await addWeeklyEvent(page, 'Oral blanc (sans JavaScript)');
    await page.getByRole('link', { name: 'Modifier', exact: true }).click();
    await page.getByLabel('Titre').fill('Oral blanc, groupe 1 (sans JavaScript)');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByText("L'événement est enregistré.").waitFor();
    await page.getByRole('button', { name: /Supprimer l'événement/ }).click();
    await page.getByText("L'événement est supprimé.").waitFor();
  } finally {
    await teacher.close();
  }
});
