// Public pages, the sign-in guide, sign-in success/failure and session rotation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { acceptCharter, Client, csrfFrom, DEMO_PASSWORD, SIGN_IN_FORM, signIn, startServer } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

describe('public pages', () => {
  test('the portal shows the school, its news, agenda and a « Se connecter » link', async () => {
    for (const p of ['/', '/portail/0300027A']) {
      const { status, text } = await new Client(server.url).get(p);
      assert.equal(status, 200, p);
      assert.match(text, /CITE SCOLAIRE ANDRE CHAMSON/);
      assert.match(text, /LE VIGAN - ACADÉMIE DE MONTPELLIER/);
      assert.match(text, /<a[^>]*href="\/connexion"[^>]*>Se connecter<\/a>/);
      for (const section of ['Actualités', 'Agenda', "L'établissement", 'Accès directs']) {
        assert.ok(text.includes(`>${section}</h2>`), `section « ${section} » on ${p}`);
      }
      assert.match(text, /Le nouvel Espace Numérique de Travail arrive dans notre établissement/);
      assert.match(text, /il y a 1 mois/);
    }
  });

  test('the portal page has no stray template text', async () => {
    const { text } = await new Client(server.url).get('/portail/0300027A');
    const main = text.slice(text.indexOf('<main'), text.indexOf('</main>'));
    assert.doesNotMatch(main, /\{\{|\}\}/, 'template delimiters leaked into the page');
  });

  test('the chooser offers three profiles and the academy choice', async () => {
    const { status, text } = await new Client(server.url).get('/connexion');
    assert.equal(status, 200);
    const summaries = [...text.matchAll(/<summary>([\s\S]*?)<\/summary>/g)].map((m) => m[1]);
    for (const label of ['Élève ou parent', "Personnel de l'Éducation nationale", 'Autres utilisateurs']) {
      assert.ok(summaries.some((s) => s.includes(label)), `summary « ${label} »`);
    }
    const first = text.slice(text.indexOf('Élève ou parent'), text.indexOf('</details>'));
    assert.match(first, /<form[^>]*method="get"[^>]*action="\/connexion\/identifiants"/);
    assert.match(first, /<input type="radio" name="academie" value="montpellier"[^>]*>\s*académie de Montpellier/);
    assert.match(first, /<button[^>]*>Valider<\/button>/);
  });

  test('the credentials form has csrf, profile, academy, labelled fields and the EduConnect notice', async () => {
    const client = new Client(server.url);
    const { status, text, response } = await client.get(SIGN_IN_FORM);
    assert.equal(status, 200);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('cartable_csrf='));
    assert.ok(cookie, 'cartable_csrf cookie set');
    assert.match(cookie, /;\s*HttpOnly/i);
    const token = client.cookies.get('cartable_csrf');
    assert.equal(token.length, 43);
    assert.equal(csrfFrom(text), token, 'double submit: field equals cookie');
    assert.match(text, /<form[^>]*method="post"[^>]*action="\/connexion\/identifiants"/);
    assert.match(text, /<input type="hidden" name="profil" value="eleve-parent">/);
    assert.match(text, /<input type="hidden" name="academie" value="montpellier">/);
    assert.match(text, /<label for="identifiant">Identifiant<\/label>/);
    assert.match(text, /<input id="identifiant" name="identifiant"/);
    assert.match(text, /<label for="mot_de_passe">Mot de passe<\/label>/);
    assert.match(text, /<input id="mot_de_passe" name="mot_de_passe" type="password"/);
    assert.match(text, /EduConnect n(&apos;|&#39;|')est pas encore raccordée/);
    // The cookie is not replaced when the browser already has one.
    const again = await client.get(SIGN_IN_FORM);
    assert.equal(again.response.headers.getSetCookie().filter((c) => c.startsWith('cartable_csrf=')).length, 0);
    assert.equal(csrfFrom(again.text), token);
  });
});

describe('sign-in', () => {
  test('right credentials: 303 to /accueil with an HttpOnly SameSite=Lax session cookie', async () => {
    const client = new Client(server.url);
    const { status, response } = await signIn(client, 'andre.chamson', DEMO_PASSWORD);
    assert.equal(status, 303);
    assert.equal(response.headers.get('location'), '/premiere-connexion'); // the charter first
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('cartable_session='));
    assert.ok(cookie, 'session cookie');
    assert.match(cookie, /^cartable_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    // Nothing but the charter before it is accepted.
    const gated = await client.get('/accueil');
    assert.equal(gated.status, 303);
    assert.equal(gated.response.headers.get('location'), '/premiere-connexion');
    await acceptCharter(client);
    const accueil = await client.get('/accueil');
    assert.equal(accueil.status, 200);
    assert.match(accueil.text, /André CHAMSON/);
  });

  test('wrong password: 401 « Identifiant ou mot de passe incorrect. », no session', async () => {
    const client = new Client(server.url);
    const { status, text } = await signIn(client, 'andre.chamson', 'pas-le-bon');
    assert.equal(status, 401);
    assert.ok(text.includes('Identifiant ou mot de passe incorrect.'));
    assert.equal(client.cookies.get('cartable_session'), undefined);
  });

  test('unknown identifier: the same 401 text (no account enumeration)', async () => {
    const client = new Client(server.url);
    const { status, text } = await signIn(client, 'personne.inconnue', DEMO_PASSWORD);
    assert.equal(status, 401);
    assert.ok(text.includes('Identifiant ou mot de passe incorrect.'));
    assert.equal(client.cookies.get('cartable_session'), undefined);
  });

  test('empty fields: 400', async () => {
    const client = new Client(server.url);
    assert.equal((await signIn(client, '', '')).status, 400);
    assert.equal((await signIn(client, 'andre.chamson', '')).status, 400);
    assert.equal(client.cookies.get('cartable_session'), undefined);
  });

  test('each sign-in gets a new session id', async () => {
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const client = new Client(server.url);
      assert.equal((await signIn(client, 'andre.chamson')).status, 303);
      ids.push(client.cookies.get('cartable_session'));
    }
    assert.ok(ids[0] && ids[1]);
    assert.notEqual(ids[0], ids[1]);
  });

  test('a session id planted before sign-in is not reused (no fixation)', async () => {
    const client = new Client(server.url);
    const planted = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    client.setCookie('cartable_session', planted);
    assert.equal((await signIn(client, 'andre.chamson')).status, 303);
    const id = client.cookies.get('cartable_session');
    assert.ok(id);
    assert.notEqual(id, planted);
    const attacker = new Client(server.url);
    attacker.setCookie('cartable_session', planted);
    assert.equal((await attacker.get('/accueil')).status, 303);
  });

  test('GET /accueil without a session redirects to /connexion', async () => {
    const { status, response } = await new Client(server.url).get('/accueil');
    assert.equal(status, 303);
    assert.equal(new URL(response.headers.get('location'), server.url).pathname, '/connexion');
  });
});
