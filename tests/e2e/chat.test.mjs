// « Chat » of the TPRO space: Samuel BEAUMONT and Louis CHAMSON, each in
// his own browser, see who is online and each other's messages as they are
// sent (WebSocket); a third browser without JavaScript posts with the plain
// form and the two others receive it live. The server refuses a socket
// opened from another site, and one opened without an upgrade.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { serverAndBrowser, signInToAccueil, watchPage } from '../support/browser.mjs';
import { Client, DEMO_PASSWORD, signInOrThrow, startServer } from '../support/server.mjs';

const shared = serverAndBrowser(before, after, startServer);

async function openChat(browser, login, javaScriptEnabled = true) {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 }, javaScriptEnabled });
  const page = await context.newPage();
  const monitor = watchPage(page);
  await signInToAccueil(page, shared.server.url, login, DEMO_PASSWORD);
  // « ESPACE DES CLASSES » in the menu leads to the class's space.
  const href = await page.locator('a[href^="/espaces/"]', { hasText: 'Classe TPRO' }).first().getAttribute('href');
  await page.goto(new URL(href, shared.server.url).href);
  await page.getByRole('navigation', { name: "Rubriques de l'espace" }).getByRole('link', { name: 'Chat' }).click();
  await page.getByRole('heading', { level: 2, name: 'Chat de la classe' }).waitFor();
  return { context, page, monitor };
}

function messages(page) {
  return page.getByRole('list', { name: 'Messages' });
}

async function send(page, text) {
  await page.getByLabel('Votre message').fill(text);
  await page.getByRole('button', { name: 'Envoyer' }).click();
}

test('Samuel BEAUMONT and Louis CHAMSON chat live, and see who is online', async () => {
  const samuel = await openChat(shared.browser, 'samuel.beaumont');
  await samuel.page.getByText('Connecté : les messages arrivent en direct.').waitFor();
  // The demo's history is there.
  await messages(samuel.page).getByText('Merci, c\'est noté !').waitFor();

  const louis = await openChat(shared.browser, 'louis.chamson');
  await louis.page.getByText('Connecté : les messages arrivent en direct.').waitFor();
  await samuel.page.getByText('En ligne : Louis CHAMSON, Samuel BEAUMONT').waitFor();
  await louis.page.getByText('En ligne : Louis CHAMSON, Samuel BEAUMONT').waitFor();

  await send(samuel.page, 'Bonsoir Louis, avez-vous trouvé une entreprise pour votre prochaine PFMP ?');
  await messages(louis.page).getByText('avez-vous trouvé une entreprise pour votre prochaine PFMP ?').waitFor();
  await messages(samuel.page).getByText('avez-vous trouvé une entreprise pour votre prochaine PFMP ?').waitFor();
  assert.equal(await samuel.page.getByLabel('Votre message').inputValue(), '', 'the field is emptied once sent');

  await send(louis.page, 'Oui monsieur, au Super U du Vigan, à partir du 12 janvier.');
  await messages(samuel.page).getByText('au Super U du Vigan').waitFor();
  const last = messages(samuel.page).getByRole('listitem').last();
  assert.match(await last.textContent(), /Louis CHAMSON/);

  // A payload arrives as text, not as markup.
  await send(louis.page, '<img src=x onerror="document.title=1">');
  await messages(samuel.page).getByText('<img src=x onerror="document.title=1">').waitFor();
  assert.equal(await samuel.page.locator('.chat-messages img').count(), 0);

  // Louis without JavaScript (another browser): the plain form posts, the
  // others receive it live; his page shows it after the redirect.
  const plain = await openChat(shared.browser, 'louis.chamson', false);
  assert.equal(await plain.page.getByText('Connecté : les messages arrivent en direct.').count(), 0);
  await send(plain.page, 'Message envoyé sans JavaScript.');
  await messages(plain.page).getByText('Message envoyé sans JavaScript.').waitFor();
  await messages(samuel.page).getByText('Message envoyé sans JavaScript.').waitFor();
  await messages(louis.page).getByText('Message envoyé sans JavaScript.').waitFor();
  // An empty message: the French reason on the form.
  await plain.page.getByLabel('Votre message').evaluate((area) => area.removeAttribute('required'));
  await send(plain.page, '   ');
  await plain.page.getByText("Écrivez un message avant de l'envoyer.").waitFor();

  // Louis closes his browser: Samuel sees him leave.
  await louis.context.close();
  await plain.context.close();
  await samuel.page.getByText('En ligne : Samuel BEAUMONT', { exact: true }).waitFor();
  samuel.monitor.check();
  await samuel.context.close();
});

function upgrade(port, path, headers) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, headers });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode);
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', reject);
    request.end();
  });
}

test('the socket: same origin, an upgrade, and a role in the space', async () => {
  const client = new Client(shared.server.url);
  await signInOrThrow(client, 'louis.chamson');
  const menu = await client.get('/accueil');
  const space = /href="(\/espaces\/\d+)"[^>]*>Classe TPRO</.exec(menu.text)[1];
  const port = new URL(shared.server.url).port;
  const base = {
    cookie: client.cookieHeader(),
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  };
  const host = `127.0.0.1:${port}`;
  assert.equal(await upgrade(port, `${space}/chat/direct`, { ...base, host, origin: `http://${host}` }), 101);
  assert.equal(await upgrade(port, `${space}/chat/direct`, { ...base, host, origin: 'http://evil.example.com' }), 403);
  assert.equal((await client.get(`${space}/chat/direct`)).status, 426);
  // Without a session: to the sign-in page; another class's space: not found.
  assert.equal(await upgrade(port, `${space}/chat/direct`, { ...base, cookie: '', host, origin: `http://${host}` }), 303);
  assert.equal(await upgrade(port, '/espaces/999999/chat/direct', { ...base, host, origin: `http://${host}` }), 404);
});
