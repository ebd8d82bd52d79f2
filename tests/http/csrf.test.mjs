// CSRF double submit before sign-in, session token after sign-in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, csrfFrom, DEMO_PASSWORD, SIGN_IN_FORM, signInOrThrow, startServer } from '../support/server.mjs';

const EXPIRED = 'Le formulaire a expiré';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

const credentials = (extra = {}) => ({
  profil: 'eleve-parent', academie: 'montpellier', identifiant: 'andre.chamson', mot_de_passe: DEMO_PASSWORD, ...extra,
});

test('sign-in POST without the csrf field is refused with 403', async () => {
  const client = new Client(server.url);
  await client.get(SIGN_IN_FORM); // gets the cookie
  const r = await client.postForm('/connexion/identifiants', credentials());
  assert.equal(r.status, 403);
  assert.ok(r.text.includes(EXPIRED), r.text);
  assert.match(r.response.headers.get('content-type'), /text\/html/);
  assert.equal(client.cookies.get('cartable_session'), undefined);
});

test('sign-in POST with a wrong csrf value is refused with 403', async () => {
  const client = new Client(server.url);
  const form = await client.get(SIGN_IN_FORM);
  const token = csrfFrom(form.text);
  const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  const r = await client.postForm('/connexion/identifiants', credentials({ csrf: wrong }));
  assert.equal(r.status, 403);
  assert.ok(r.text.includes(EXPIRED));
  assert.equal(client.cookies.get('cartable_session'), undefined);
});

test('sign-in POST with a token but without the csrf cookie is refused with 403', async () => {
  const client = new Client(server.url);
  const form = await client.get(SIGN_IN_FORM);
  const token = csrfFrom(form.text);
  client.cookies.delete('cartable_csrf');
  const r = await client.postForm('/connexion/identifiants', credentials({ csrf: token }));
  assert.equal(r.status, 403);
  assert.ok(r.text.includes(EXPIRED));
});

test('a token from another browser does not work (double submit binds to the cookie)', async () => {
  const a = new Client(server.url);
  const b = new Client(server.url);
  await a.get(SIGN_IN_FORM);
  const tokenB = csrfFrom((await b.get(SIGN_IN_FORM)).text);
  const r = await a.postForm('/connexion/identifiants', credentials({ csrf: tokenB }));
  assert.equal(r.status, 403);
});

test('signed in: sign-out without or with a wrong token is refused and the session survives', async () => {
  const client = new Client(server.url);
  await signInOrThrow(client, 'andre.chamson');
  const accueil = await client.get('/accueil');
  const token = csrfFrom(accueil.text);
  assert.ok(token, 'the sign-out form carries a csrf field');

  const missing = await client.postForm('/deconnexion', {});
  assert.equal(missing.status, 403);
  assert.ok(missing.text.includes(EXPIRED));

  const wrong = await client.postForm('/deconnexion', { csrf: 'x'.repeat(43) });
  assert.equal(wrong.status, 403);
  assert.ok(wrong.text.includes(EXPIRED));

  const wrongHeader = await client.postForm('/deconnexion', {}, { headers: { 'x-csrf-token': 'y'.repeat(43) } });
  assert.equal(wrongHeader.status, 403);

  assert.equal((await client.get('/accueil')).status, 200, 'still signed in');
});

test('signed in: a session token of another session is refused', async () => {
  const a = new Client(server.url);
  const b = new Client(server.url);
  await signInOrThrow(a, 'andre.chamson');
  await signInOrThrow(b, 'andre.chamson');
  const tokenB = csrfFrom((await b.get('/accueil')).text);
  const r = await a.postForm('/deconnexion', { csrf: tokenB });
  assert.equal(r.status, 403);
  assert.equal((await a.get('/accueil')).status, 200);
});

test('signed in: the X-CSRF-Token header is accepted', async () => {
  const client = new Client(server.url);
  await signInOrThrow(client, 'andre.chamson');
  const token = csrfFrom((await client.get('/accueil')).text);
  const r = await client.postForm('/deconnexion', {}, { headers: { 'x-csrf-token': token } });
  assert.equal(r.status, 303);
  assert.equal((await client.get('/accueil')).status, 303);
});
