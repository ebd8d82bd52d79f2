// « Préférences »: André CHAMSON opens his preferences from the top bar,
// adds a complementary phone number (a wrong one first), chooses it for SMS
// notifications and says when to reach him (300 characters at most).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { acceptFirstConnection, assertNoHorizontalScroll, serverAndBrowser, signInInBrowser, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

const tabs = (page) => page.getByRole('navigation', { name: 'Préférences' });
const phonesOf = (page) => page.getByRole('region', { name: 'Contact téléphonique' });

// A 300-character note with accents (each accented letter is one character).
function noteOf(length) {
  const base = 'Plutôt le soir après 18 h, sauf le mercredi où je suis joignable dès 14 h ; préférez un SMS à un appel. Été comme hiver, merci ! ';
  let note = '';
  while (note.length < length) note += base;
  note = note.slice(0, length - 1) + 'é';
  assert.equal([...note].length, length);
  return note;
}

test('guardian_edits_his_preferences', { timeout: 60_000 }, async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const monitor = watchPage(page);
  try {
    await signInInBrowser(page, shared.server.url, 'andre.chamson', DEMO_PASSWORD);
    await acceptFirstConnection(page);

    await page.getByRole('banner').getByRole('link', { name: 'Préférences' }).click();
    await page.waitForURL('**/preferences');
    await page.getByRole('heading', { level: 1, name: 'Préférences' }).waitFor();
    const tabNames = (await tabs(page).getByRole('link').allInnerTexts()).map((s) => s.trim());
    assert.deepEqual(tabNames, ['Résumé', 'Mes préférences', 'Rapprochement de comptes', 'Application mobile']);
    assert.equal(await tabs(page).getByRole('link', { name: 'Résumé' }).getAttribute('aria-current'), 'page');

    // Résumé as the directory knows it.
    await page.getByRole('region', { name: 'Vos coordonnées' }).getByText('1 Boulevard Pasteur').waitFor();
    await page.getByText('30120 LE VIGAN').waitFor();
    const phones = phonesOf(page);
    assert.match(await phones.innerText(), /Téléphone mobile :\s*\+33 6 12 12 12 12/);
    assert.match(await phones.innerText(), /Téléphone 1 :\s*Aucun numéro/);
    const summaryBefore = await page.locator('main').innerText();

    // The phone page of Préférences.
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalScroll(page);
    await page.setViewportSize({ width: 1280, height: 800 });

    // A wrong number: the field says why, nothing is saved.
    await tabs(page).getByRole('link', { name: 'Mes préférences' }).click();
    await page.waitForURL('**/preferences/modifier');
    assert.equal(await tabs(page).getByRole('link', { name: 'Mes préférences' }).getAttribute('aria-current'), 'page');
    await page.getByLabel('Téléphone 1').fill('04 67 81');
    await page.getByRole('button', { name: 'Enregistrer mes informations' }).first().click();
    const phone1 = page.getByLabel('Téléphone 1');
    await phone1.waitFor();
    assert.equal(await phone1.getAttribute('aria-invalid'), 'true');
    const describedBy = await phone1.getAttribute('aria-describedby');
    const fieldMessage = await page.locator(`[id="${describedBy}"]`).innerText();
    assert.match(fieldMessage, /Le téléphone 1 n'est pas un numéro de téléphone valide/);
    await page.getByRole('alert').getByText("Vos informations n'ont pas été enregistrées", { exact: false }).waitFor();
    assert.equal(await phone1.inputValue(), '04 67 81', 'what was typed is kept to be corrected');

    await tabs(page).getByRole('link', { name: 'Résumé' }).click();
    await page.waitForURL('**/preferences');
    assert.equal(await page.locator('main').innerText(), summaryBefore, 'Résumé unchanged after the refused form');

    // A good number, chosen for SMS, and a 300-character note.
    await tabs(page).getByRole('link', { name: 'Mes préférences' }).click();
    await page.waitForURL('**/preferences/modifier');
    await page.getByLabel('Téléphone 1').fill('04 67 81 22 90');
    const sms = page.getByLabel('Notification SMS, votre préférence');
    const smsOptions = await sms.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })));
    const phone1Option = smsOptions.find((o) => /^Téléphone 1\b/.test(o.label));
    assert.ok(phone1Option, `« Téléphone 1 » is offered: ${smsOptions.map((o) => o.label).join(' | ')}`);
    await sms.selectOption(phone1Option.value);
    const note = noteOf(300);
    await page.getByLabel('Quand et comment me joindre ?').fill(note);
    await page.getByRole('button', { name: 'Enregistrer mes informations' }).first().click();

    await page.waitForURL(/\/preferences(\?.*)?$/);
    assert.equal(await tabs(page).getByRole('link', { name: 'Résumé' }).getAttribute('aria-current'), 'page');
    await page.getByRole('status').getByText('Vos informations ont été enregistrées', { exact: false }).waitFor();
    assert.match(await phonesOf(page).innerText(), /Téléphone 1 :\s*\+33 4 67 81 22 90/);
    const smsRegion = page.getByRole('region', { name: 'Appels et notification SMS' });
    assert.match(await smsRegion.innerText(), /Notification SMS, votre préférence :\s*Téléphone 1 : \+33 4 67 81 22 90/);
    assert.equal(await smsRegion.locator('.reach-note').innerText(), note, 'the note, accents included');

    // The form shows what was saved.
    await tabs(page).getByRole('link', { name: 'Mes préférences' }).click();
    await page.waitForURL('**/preferences/modifier');
    assert.equal(await page.getByLabel('Quand et comment me joindre ?').inputValue(), note);
    assert.equal(await page.getByLabel('Téléphone 1').inputValue(), '+33 4 67 81 22 90');

    // 301 characters are refused with the message; the saved note stays.
    const tooLong = noteOf(301);
    await page.getByLabel('Quand et comment me joindre ?').fill(tooLong);
    await page.getByRole('button', { name: 'Enregistrer mes informations' }).first().click();
    const joindre = page.getByLabel('Quand et comment me joindre ?');
    await page.getByText('« Quand et comment me joindre ? » ne doit pas dépasser 300 caractères (vous en avez saisi 301).').first().waitFor();
    assert.equal(await joindre.getAttribute('aria-invalid'), 'true');
    await tabs(page).getByRole('link', { name: 'Résumé' }).click();
    await page.waitForURL('**/preferences');
    assert.equal(await page.getByRole('region', { name: 'Appels et notification SMS' }).locator('.reach-note').innerText(), note);

    monitor.check();
  } finally {
    await context.close();
  }
});

// A note written on several lines: a line break counts as one character
// (the browser sends it as CR LF), so 300 characters fit.
async function saveMultiLineNote(login) {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const monitor = watchPage(page);
  await signInInBrowser(page, shared.server.url, login, DEMO_PASSWORD);
  await acceptFirstConnection(page);
  await page.goto(`${shared.server.url}/preferences/modifier`);
  const lines = ['Le matin : au travail, par SMS seulement.', 'Le soir après 18 h : appelez-moi.', ''];
  lines[2] = 'Très volontiers le week-end ' + 'é'.repeat(300 - lines[0].length - lines[1].length - 2 - 28);
  const note = lines.join('\n');
  assert.equal([...note].length, 300);
  await page.getByLabel('Quand et comment me joindre ?').fill(note);
  await page.getByRole('button', { name: 'Enregistrer mes informations' }).first().click();
  await page.waitForURL(/\/preferences(\?.*)?$/);
  return { context, page, monitor, note };
}

test('a_note_of_300_characters_on_several_lines_is_accepted', { timeout: 60_000 }, async () => {
  const { context, page, monitor, note } = await saveMultiLineNote('sophie.roux');
  try {
    await page.getByRole('status').getByText('Vos informations ont été enregistrées', { exact: false }).waitFor();
    await page.getByRole('navigation', { name: 'Préférences' }).getByRole('link', { name: 'Mes préférences' }).click();
    await page.waitForURL('**/preferences/modifier');
    assert.equal(await page.getByLabel('Quand et comment me joindre ?').inputValue(), note, 'the form gives back the three lines');
    monitor.check();
  } finally {
    await context.close();
  }
});

// Product bug (found by this scenario): the Résumé shows the note's lines
// run together (.reach-note has no white-space: pre-line).
test('the_resume_keeps_the_lines_of_the_note', { timeout: 60_000 }, async () => {
  const { context, page } = await saveMultiLineNote('karim.benali');
  try {
    const shown = page.getByRole('region', { name: 'Appels et notification SMS' }).locator('.reach-note');
    assert.equal((await shown.innerText()).split('\n').length, 3, `the Résumé keeps the three lines: ${await shown.innerText()}`);
  } finally {
    await context.close();
  }
});
