// Accueil, sign-out, session expiry (idle and absolute), children profiles.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, signInOrThrow, startServer } from '../support/server.mjs';

let server;
let shortIdle;
let shortAbsolute;
before(async () => {
  [server, shortIdle, shortAbsolute] = await Promise.all([
    startServer(),
    startServer({ env: { CARTABLE_SESSION_IDLE_SECONDS: '2', CARTABLE_SESSION_ABSOLUTE_SECONDS: '3600' } }),
    startServer({ env: { CARTABLE_SESSION_IDLE_SECONDS: '60', CARTABLE_SESSION_ABSOLUTE_SECONDS: '3' } }),
  ]);
});
after(async () => { await Promise.all([server?.stop(), shortIdle?.stop(), shortAbsolute?.stop()]); });

const redirectsToConnexion = (r, base) => r.status === 303
  && new URL(r.response.headers.get('location'), base).pathname === '/connexion';

const selectOptions = (html) => {
  const select = /<select id="enfant" name="enfant">([\s\S]*?)<\/select>/.exec(html);
  if (!select) return [];
  return [...select[1].matchAll(/<option value="(\d+)"( selected)?>([^<]*)<\/option>/g)]
    .map((m) => ({ id: m[1], selected: !!m[2], name: m[3] }));
};

describe('Accueil', () => {
  test('the guardian sees the frame, the menu and his children', async () => {
    const client = new Client(server.url);
    await signInOrThrow(client, 'andre.chamson');
    const { status, text } = await client.get('/accueil');
    assert.equal(status, 200);
    assert.match(text, /<button[^>]*>MENU<\/button>/);
    assert.match(text, /CITE SCOLAIRE ANDRE CHAMSON/);
    assert.match(text, /<summary>Mes portails<\/summary>/);
    assert.match(text, /<a[^>]*title="Préférences"/);
    assert.match(text, /<a[^>]*title="Aide en ligne"[^>]*>[\s\S]*?\?[\s\S]*?<\/a>/);
    assert.match(text, /André CHAMSON/);
    for (const entry of ['Accueil', 'Messagerie', 'Cahier de textes', 'Carnet de liaison']) {
      assert.match(text, new RegExp(`<a [^>]*>${entry}</a>`), entry);
    }
    for (const section of ['ÉTABLISSEMENT', 'PUBLICATION', 'ESPACE DES CLASSES']) {
      assert.match(text, new RegExp(`<summary>${section}`), section);
    }
    assert.match(text, />Classe TPRO</);
    assert.match(text, />Classe T STMG</);
    assert.match(text, /<label for="enfant">Profil affiché<\/label>/);
    const names = selectOptions(text).map((o) => o.name).sort();
    assert.deepEqual(names, ['Louis CHAMSON', 'Pauline CHAMSON']);
    assert.match(text, /<button type="submit">Se déconnecter<\/button>/);
  });

  test('the guardian can display each of his children, not another child (403)', async () => {
    const andre = new Client(server.url);
    await signInOrThrow(andre, 'andre.chamson');
    const own = selectOptions((await andre.get('/accueil')).text);
    assert.ok(own.length >= 2);
    for (const child of own) {
      const r = await andre.get(`/accueil?enfant=${child.id}`);
      assert.equal(r.status, 200, child.name);
      assert.equal(selectOptions(r.text).find((o) => o.selected)?.id, child.id, `${child.name} selected`);
    }
    const sophie = new Client(server.url);
    await signInOrThrow(sophie, 'sophie.roux');
    const others = selectOptions((await sophie.get('/accueil')).text);
    assert.ok(others.length >= 1, 'sophie.roux has a child');
    for (const child of others) {
      assert.ok(!own.some((o) => o.id === child.id));
      const r = await andre.get(`/accueil?enfant=${child.id}`);
      assert.equal(r.status, 403, `André must not display ${child.name}`);
    }
    assert.equal((await andre.get('/accueil?enfant=999999')).status, 403);
  });
});

describe('sign-out', () => {
  test('POST /deconnexion ends the session: 303 to /, cookie cleared, old cookie refused', async () => {
    const client = new Client(server.url);
    const oldId = await signInOrThrow(client, 'andre.chamson');
    const token = csrfFrom((await client.get('/accueil')).text);
    const r = await client.postForm('/deconnexion', { csrf: token });
    assert.equal(r.status, 303);
    assert.equal(new URL(r.response.headers.get('location'), server.url).pathname, '/');
    const cleared = r.response.headers.getSetCookie().find((c) => c.startsWith('cartable_session='));
    assert.ok(cleared, 'the session cookie is cleared');
    assert.match(cleared, /^cartable_session=;|Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    assert.equal(client.cookies.get('cartable_session'), undefined);

    const replay = new Client(server.url);
    replay.setCookie('cartable_session', oldId);
    assert.ok(redirectsToConnexion(await replay.get('/accueil'), server.url), 'old cookie no longer works');
  });
});

describe('expiry', () => {
  test('an idle session (2 s) expires; activity keeps it alive', async () => {
    const client = new Client(shortIdle.url);
    await signInOrThrow(client, 'andre.chamson');
    assert.equal((await client.get('/accueil')).status, 200);
    // The server counts whole seconds: a page every 0.4 s is never two
    // seconds after the last one, even on a loaded machine, and seven of them
    // keep the session alive well past its 2 s.
    for (let i = 0; i < 7; i++) {
      await sleep(400);
      assert.equal((await client.get('/accueil')).status, 200, `used within the idle time (${i + 1})`);
    }
    await sleep(3000);
    assert.ok(redirectsToConnexion(await client.get('/accueil'), shortIdle.url), 'expired after 3 s idle');
  });

  test('a session expires after its absolute lifetime even when used', async () => {
    const client = new Client(shortAbsolute.url);
    await signInOrThrow(client, 'andre.chamson');
    assert.equal((await client.get('/accueil')).status, 200);
    for (let i = 0; i < 3; i++) {
      await sleep(1000);
      await client.get('/accueil');
    }
    await sleep(1200);
    assert.ok(redirectsToConnexion(await client.get('/accueil'), shortAbsolute.url), 'expired after 4 s');
  });
});
