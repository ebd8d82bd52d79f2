// Sign-in throttling per account and per address (low limits via env).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, DEMO_PASSWORD, signIn, startServer } from '../support/server.mjs';

const TOO_MANY = 'Trop de tentatives de connexion ont échoué';

let perAccount;
let perAddress;
before(async () => {
  [perAccount, perAddress] = await Promise.all([
    startServer({ env: { CARTABLE_SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '3', CARTABLE_SIGN_IN_MAX_FAILURES_PER_ADDRESS: '1000' } }),
    startServer({ env: { CARTABLE_SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '1000', CARTABLE_SIGN_IN_MAX_FAILURES_PER_ADDRESS: '4' } }),
  ]);
});
after(async () => { await Promise.all([perAccount?.stop(), perAddress?.stop()]); });

test('after N failures for an account, even the right password gets 429', async () => {
  const client = new Client(perAccount.url);
  for (let i = 0; i < 3; i++) {
    const r = await signIn(client, 'samuel.beaumont', `mauvais-${i}`);
    assert.equal(r.status, 401, `failure ${i + 1}`);
  }
  const r = await signIn(client, 'samuel.beaumont', DEMO_PASSWORD);
  assert.equal(r.status, 429);
  assert.ok(r.text.includes(TOO_MANY), r.text);
  assert.match(r.response.headers.get('content-type'), /text\/html/);
  assert.equal(client.cookies.get('cartable_session'), undefined, 'no session while throttled');
  // Another account is not affected by this account's failures.
  const other = await signIn(new Client(perAccount.url), 'marie.delmas', DEMO_PASSWORD);
  assert.equal(other.status, 303);
});

test('an unknown identifier is throttled the same way (no enumeration)', async () => {
  const client = new Client(perAccount.url);
  for (let i = 0; i < 3; i++) {
    const r = await signIn(client, 'fantome.inexistant', `mauvais-${i}`);
    assert.equal(r.status, 401, `failure ${i + 1}`);
  }
  const r = await signIn(client, 'fantome.inexistant', DEMO_PASSWORD);
  assert.equal(r.status, 429);
  assert.ok(r.text.includes(TOO_MANY));
});

test('after N failures from one address, every account is refused with 429', async () => {
  const client = new Client(perAddress.url);
  const names = ['emma.roux', 'lucas.martin', 'hugo.fabre', 'personne.inconnue'];
  for (const name of names) {
    const r = await signIn(client, name, 'mauvais');
    assert.equal(r.status, 401, name);
  }
  const r = await signIn(new Client(perAddress.url), 'julien.favier', DEMO_PASSWORD);
  assert.equal(r.status, 429);
  assert.ok(r.text.includes(TOO_MANY));
});
