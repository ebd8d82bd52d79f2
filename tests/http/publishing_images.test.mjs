// The image of a news item: refused unless its first bytes are JPEG, PNG or
// WebP (whatever its name says), nothing saved then; a public news item's
// image is served to anyone, a members' one only to members.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, csrfFrom, signInOrThrow, startServer } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1d1f6e40000000049454e44ae426082', 'hex'),
]);

async function publisher() {
  const client = new Client(server.url);
  await signInOrThrow(client, 'philippe.garnier');
  const page = await client.get('/publication/actualites/nouvelle?portee=etablissement&cle=0300027A');
  assert.equal(page.status, 200);
  return { client, csrf: csrfFrom(page.text) };
}

function newsForm(csrf, title, visibility, image, imageName) {
  const form = new FormData();
  form.append('csrf', csrf);
  form.append('portee', 'etablissement');
  form.append('cle', '0300027A');
  form.append('titre', title);
  form.append('resume', '');
  form.append('texte', 'Le texte.');
  form.append('date', new Date().toISOString().slice(0, 10));
  form.append('visibilite', visibility);
  form.append('image', new Blob([image]), imageName);
  return form;
}

const images = () => {
  const directory = path.join(server.dataDir, 'publishing', 'images');
  return existsSync(directory) ? readdirSync(directory) : [];
};

test('a file that is not an image is refused with the field message, nothing saved', async () => {
  const { client, csrf } = await publisher();
  const before = images().length;
  const response = await client.fetch('/publication/actualites', {
    method: 'POST',
    body: newsForm(csrf, 'Affiche du concert', 'public', Buffer.from('<svg onload="alert(1)"></svg>'), 'affiche.png'),
  });
  const html = await response.text();
  assert.equal(response.status, 400);
  assert.match(html, /L(&#39;|')image doit être un fichier JPEG, PNG ou WebP\./);
  assert.match(html, /aria-describedby="image-erreur"/);
  assert.match(html, /value="Affiche du concert"/, 'the title comes back');
  assert.equal(images().length, before);
  const list = await client.get('/publication');
  assert.doesNotMatch(list.text, /Affiche du concert/);
});

test('an image over 2 Mo is refused', async () => {
  const { client, csrf } = await publisher();
  const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
  const response = await client.fetch('/publication/actualites', {
    method: 'POST', body: newsForm(csrf, 'Trop lourde', 'public', big, 'grande.png'),
  });
  assert.match(await response.text(), /L(&#39;|')image ne doit pas dépasser 2 Mo\./);
  assert.equal(response.status, 400);
});

test('a PNG is kept; public image to anyone, members image only to members', async () => {
  const { client, csrf } = await publisher();
  for (const [title, visibility] of [['Photo du cross', 'public'], ['Photo du conseil', 'membres']]) {
    const response = await client.fetch('/publication/actualites', {
      method: 'POST', body: newsForm(csrf, title, visibility, PNG, 'photo.png'),
    });
    await response.text();
    assert.equal(response.status, 303, title);
  }
  const list = (await client.get('/publication')).text;
  const idOf = (title) => {
    const row = list.split('<tr>').find((r) => r.includes(title));
    return /\/publication\/actualites\/(\d+)\/modifier/.exec(row)[1];
  };
  const anonymous = new Client(server.url);
  const open = await anonymous.fetch(`/publication/images/${idOf('Photo du cross')}`);
  assert.equal(open.status, 200);
  assert.equal(open.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await open.arrayBuffer()), PNG);
  const hidden = await anonymous.get(`/publication/images/${idOf('Photo du conseil')}`);
  assert.equal(hidden.status, 404);
  const member = new Client(server.url);
  await signInOrThrow(member, 'louis.chamson');
  const seen = await member.fetch(`/publication/images/${idOf('Photo du conseil')}`);
  await seen.arrayBuffer();
  assert.equal(seen.status, 200);
});
