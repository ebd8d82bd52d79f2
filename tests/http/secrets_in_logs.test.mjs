// Passwords, session ids and CSRF tokens never appear on stdout/stderr,
// while the access log does have one line per request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, csrfFrom, DEMO_PASSWORD, rawExchange, signIn, signInOrThrow, startServer } from '../support/server.mjs';

test('secrets never reach the server output; the access log has one line per request', { timeout: 30_000 }, async () => {
  const server = await startServer({ env: { CARTABLE_ACCESS_LOG: 'true' } });
  const secrets = new Set();
  let requests = 0;
  try {
    const wrongPassword = 'Secret-Faux-Mot-De-Passe-9731';
    const a = new Client(server.url);
    const failed = await signIn(a, 'andre.chamson', wrongPassword);
    requests += 2;
    assert.equal(failed.status, 401);
    secrets.add(wrongPassword);
    secrets.add(failed.csrf);

    const session = await signInOrThrow(a, 'andre.chamson', DEMO_PASSWORD);
    requests += 2;
    secrets.add(session);
    const accueil = await a.get('/accueil');
    requests += 1;
    const sessionCsrf = csrfFrom(accueil.text);
    secrets.add(sessionCsrf);

    // Secrets in a query string (a form sent with GET by mistake) and in headers.
    const leaked = 'Secret-Dans-La-Requete-5517';
    await a.get(`/connexion/identifiants?profil=eleve-parent&identifiant=andre.chamson&mot_de_passe=${leaked}`);
    requests += 1;
    secrets.add(leaked);
    await a.get('/accueil', { headers: { 'x-csrf-token': sessionCsrf } });
    requests += 1;
    await rawExchange(server.port, `GET /accueil HTTP/1.1\r\nHost: x\r\nCookie: cartable_session=${session}\r\nX-Bad header\r\n\r\n`);

    const sign = await a.postForm('/deconnexion', { csrf: sessionCsrf });
    requests += 1;
    assert.equal(sign.status, 303);

    const admin = new Client(server.url);
    const adminSession = await signInOrThrow(admin, 'admin.ent', DEMO_PASSWORD, { profil: 'autre' });
    requests += 2;
    secrets.add(adminSession);
  } finally {
    await server.stop();
  }
  const stdout = server.stdout();
  const stderr = server.stderr();
  for (const secret of secrets) {
    assert.ok(secret && secret.length >= 8);
    assert.ok(!stdout.includes(secret), `stdout must not contain ${secret}`);
    assert.ok(!stderr.includes(secret), `stderr must not contain ${secret}`);
  }
  // The demo password is only printed by the demo banner, never in the log.
  assert.ok(!stderr.includes(DEMO_PASSWORD), 'stderr must not contain the password');
  const stdoutWithoutBanner = stdout.split('\n').filter((l) => !/^Comptes de démonstration \(mot de passe : /.test(l)).join('\n');
  assert.ok(!stdoutWithoutBanner.includes(DEMO_PASSWORD), 'stdout has the password outside the demo banner');
  assert.ok(!/cartable_session=/.test(stdout + stderr), 'no cookie header logged');

  const accessLines = stderr.split('\n').filter((l) => / access /.test(l));
  assert.ok(accessLines.length >= requests, `${accessLines.length} access lines for at least ${requests} requests`);
  assert.ok(accessLines.some((l) => l.includes('POST /connexion/identifiants 401')));
  assert.ok(accessLines.some((l) => l.includes('POST /connexion/identifiants 303')));
});
