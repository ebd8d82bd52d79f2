// The roll call on a phone (issue #8): Samuel BEAUMONT, 390 px wide, opens
// « Vie scolaire », taps « Faire l'appel » on his lesson of TPRO, marks Louis
// CHAMSON absent and Lucas MARTIN late, « Valider l'appel »; Nathalie
// VIDAL, the CPE, sees Louis absent on the desk. The demo's timetable runs
// Monday to Friday: the lesson is moved to today, around the present hour,
// with the sqlite3 tool, so the test does not depend on the day it runs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoHorizontalScroll, serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { tproLessonNow } from '../support/attendance_fixture.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

test('teacher_calls_the_roll_on_a_phone_and_the_cpe_sees_it', { timeout: 120_000 }, async () => {
  tproLessonNow(shared.server.dataDir);
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const teacher = await context.newPage();
  await signInToAccueil(teacher, shared.server.url, 'samuel.beaumont', DEMO_PASSWORD);
  // « Vie scolaire » in the menu leads a teacher to the roll call (the
  // families' half of the service answers /vie-scolaire; before it lands,
  // the roll call's own address).
  await teacher.getByRole('button', { name: 'MENU' }).click();
  const landing = teacher.waitForResponse((response) => new URL(response.url()).pathname === '/vie-scolaire');
  await teacher.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Vie scolaire' }).click();
  if ((await landing).status() === 404) await teacher.goto(`${shared.server.url}/vie-scolaire/appel`);
  const monitor = watchPage(teacher);
  await teacher.getByRole('heading', { level: 1, name: "Faire l'appel" }).waitFor();
  await assertNoHorizontalScroll(teacher);
  // The lesson under way comes first, with its big button.
  const current = teacher.locator('.call-current');
  await current.getByText('TPRO').first().waitFor();
  await current.getByText('Appel à faire').waitFor();
  await current.getByRole('link', { name: "Faire l'appel" }).click();
  await teacher.waitForURL(/\/vie-scolaire\/appel\/\d+\/\d{4}-\d\d-\d\d$/);
  await teacher.getByRole('heading', { level: 1, name: /Appel : TPRO/ }).waitFor();
  await assertNoHorizontalScroll(teacher);
  // One radio group per student, named by the legend.
  const louis = teacher.getByRole('group', { name: 'CHAMSON Louis' });
  assert.equal(await louis.getByRole('radio', { name: 'Présent' }).isChecked(), true, 'present by default');
  await louis.getByRole('radio', { name: 'Absent' }).check();
  const lucas = teacher.getByRole('group', { name: 'MARTIN Lucas' });
  await lucas.getByRole('radio', { name: 'En retard' }).check();
  await lucas.getByLabel('Minutes de retard').fill('10');
  await teacher.getByRole('button', { name: "Valider l'appel" }).click();
  await teacher.getByText('Appel validé.').waitFor();
  await teacher.locator('.call-current').getByText(/Appel fait à \d\d:\d\d/).waitFor();
  await assertNoHorizontalScroll(teacher);
  monitor.check();

  // The CPE's desk shows Louis absent today.
  const cpeContext = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const cpe = await cpeContext.newPage();
  const cpeMonitor = watchPage(cpe);
  await signInToAccueil(cpe, shared.server.url, 'nathalie.vidal', DEMO_PASSWORD);
  await cpe.goto(`${shared.server.url}/vie-scolaire/bureau`);
  await cpe.getByRole('heading', { level: 1, name: 'Bureau de la vie scolaire' }).waitFor();
  const row = cpe.getByRole('row', { name: /Louis CHAMSON/ });
  await row.getByText('Absence').waitFor();
  await row.getByText('non justifiée').waitFor();
  await cpe.getByRole('row', { name: /Lucas MARTIN/ }).getByText('(10 min)').waitFor();
  // The desk at 390 px too.
  await cpe.setViewportSize({ width: 390, height: 844 });
  await assertNoHorizontalScroll(cpe);
  cpeMonitor.check();
  await context.close();
  await cpeContext.close();
});
