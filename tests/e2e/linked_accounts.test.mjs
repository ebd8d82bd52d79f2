// « Rapprochement de comptes »: André CHAMSON, guardian and teacher, links
// his two accounts, switches from one to the other by « Changer de compte »
// without typing a password again, then removes the link.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { acceptFirstConnection, assertNoHorizontalScroll, serverAndBrowser, signInInBrowser, watchPage } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

const tabs = (page) => page.getByRole('navigation', { name: 'Préférences' });
const linkedList = (page) => page.getByRole('region', { name: 'Mes comptes rapprochés' });
const linkForm = (page) => page.getByRole('region', { name: 'Rapprocher un autre de mes comptes' });

async function tryToLink(page, login, password) {
  const form = linkForm(page);
  await form.getByLabel('Identifiant').fill(login);
  await form.getByLabel('Mot de passe').fill(password);
  await form.getByRole('button', { name: 'Rapprocher ce compte' }).click();
  await page.waitForLoadState();
}

// « Changer de compte » in the top bar, then the account to use.
async function switchTo(page, label) {
  const bar = page.getByRole('banner');
  await bar.locator('summary', { hasText: 'Changer de compte' }).click();
  await bar.getByRole('button', { name: label }).click();
}

test('guardian_links_his_teacher_account_and_switches', { timeout: 90_000 }, async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const monitor = watchPage(page);
  try {
    await signInInBrowser(page, shared.server.url, 'andre.chamson', DEMO_PASSWORD);
    await acceptFirstConnection(page);
    assert.equal(await page.getByRole('banner').getByText('Changer de compte').count(), 0, 'no other account yet');

    await page.getByRole('banner').getByRole('link', { name: 'Préférences' }).click();
    await page.waitForURL('**/preferences');
    await tabs(page).getByRole('link', { name: 'Rapprochement de comptes' }).click();
    await page.waitForURL('**/preferences/comptes');
    await linkedList(page).getByText('Aucun compte rapproché.').waitFor();

    // The page on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalScroll(page);
    await page.setViewportSize({ width: 1280, height: 800 });

    // A wrong password.
    await tryToLink(page, 'achamson', 'pas-le-bon-mot-de-passe');
    await page.getByRole('alert').getByText('Identifiant ou mot de passe incorrect.', { exact: true }).waitFor();
    await linkedList(page).getByText('Aucun compte rapproché.').waitFor();
    assert.equal(await linkForm(page).getByLabel('Identifiant').inputValue(), 'achamson', 'the login is kept');
    assert.equal(await linkForm(page).getByLabel('Mot de passe').inputValue(), '', 'the password is not sent back');

    // His son's account, with its right password: someone else's.
    await tryToLink(page, 'louis.chamson', DEMO_PASSWORD);
    await page.getByRole('alert').getByText('Ce compte appartient à une autre personne', { exact: false }).waitFor();
    await linkedList(page).getByText('Aucun compte rapproché.').waitFor();
    assert.equal(await page.getByRole('banner').getByText('Changer de compte').count(), 0);

    // His own teacher account.
    await tryToLink(page, 'achamson', DEMO_PASSWORD);
    await page.waitForURL('**/preferences/comptes?rapproche=1');
    await page.getByRole('status').getByText('Les deux comptes sont rapprochés', { exact: false }).waitFor();
    const item = linkedList(page).getByRole('listitem').filter({ hasText: 'identifiant achamson' });
    await item.waitFor();
    assert.match(await item.innerText(), /André CHAMSON/);
    assert.match(await item.innerText(), /Enseignant/);

    // Switch to the teacher account: no password, its own charter first.
    const sessionOf = async () => (await context.cookies()).find((c) => c.name === 'cartable_session')?.value;
    const guardianSession = await sessionOf();
    await switchTo(page, /André CHAMSON.*Enseignant/);
    await acceptFirstConnection(page);
    const teacherSession = await sessionOf();
    assert.ok(teacherSession && teacherSession !== guardianSession, 'a new session for the teacher account');
    const old = await fetch(`${shared.server.url}/accueil`, { headers: { cookie: `cartable_session=${guardianSession}` }, redirect: 'manual' });
    assert.notEqual(old.status, 200, 'the guardian session was ended by the switch');
    await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
    assert.match(await page.locator('.welcome').innerText(), /André CHAMSON[\s\S]*Enseignant/);
    assert.equal(await page.getByLabel('Profil affiché').count(), 0, 'the teacher has no children to choose');
    // The teacher's side of the link.
    await page.getByRole('banner').getByRole('link', { name: 'Préférences' }).click();
    await page.waitForURL('**/preferences');
    await page.getByText('identifiant achamson').first().waitFor();
    await tabs(page).getByRole('link', { name: 'Rapprochement de comptes' }).click();
    await linkedList(page).getByRole('listitem').filter({ hasText: 'identifiant andre.chamson' }).waitFor();

    // And back to the guardian account (charter already accepted).
    await switchTo(page, /André CHAMSON.*Responsable légal/);
    await page.waitForURL('**/accueil');
    await page.getByLabel('Profil affiché').waitFor();
    assert.match(await page.locator('.welcome').innerText(), /Responsable légal/);

    // Remove the link: « Changer de compte » goes away.
    await page.goto(`${shared.server.url}/preferences/comptes`);
    await linkedList(page).getByRole('listitem').filter({ hasText: 'identifiant achamson' })
      .getByRole('button', { name: 'Supprimer le rapprochement' }).click();
    await page.waitForURL('**/preferences/comptes?delie=1');
    await page.getByRole('status').getByText('Le rapprochement est supprimé.').waitFor();
    await linkedList(page).getByText('Aucun compte rapproché.').waitFor();
    assert.equal(await page.getByRole('banner').getByText('Changer de compte').count(), 0);

    monitor.check();
  } finally {
    await context.close();
  }
});
