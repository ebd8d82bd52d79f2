// The lesson book's private iCalendar link as calendar applications read
// it, parsed by Python's icalendar (Debian python3-icalendar; the parsing is
// skipped when it is not installed): a guardian's link holds both children's
// homework (all-day, on the due day) and séances (at their hour in Paris),
// never what is not published yet; a revoked link answers 404.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { isoDay, seedLessonBook } from '../support/lesson_book_fixture.mjs';
import { Client, csrfFrom, signInOrThrow, startServer } from '../support/server.mjs';

let server;
let seeded;
before(async () => {
  server = await startServer();
  seeded = seedLessonBook(server.dataDir);
});
after(async () => { await server?.stop(); });

const python = ['python3', '/usr/bin/python3'].find(
  (candidate) => spawnSync(candidate, ['-c', 'import icalendar'], { encoding: 'utf8' }).status === 0);

function parse(text) {
  const script = `
import json, sys
from icalendar import Calendar
calendar = Calendar.from_ical(sys.stdin.buffer.read())
events = []
for event in calendar.walk('VEVENT'):
    start = event.decoded('DTSTART')
    end = event.decoded('DTEND')
    events.append({
        'uid': str(event.get('UID')),
        'summary': str(event.get('SUMMARY')),
        'description': str(event.get('DESCRIPTION', '')),
        'start': start.isoformat(),
        'end': end.isoformat(),
        'offset': start.utcoffset().total_seconds() if hasattr(start, 'utcoffset') and start.utcoffset() is not None else None,
    })
print(json.dumps({'name': str(calendar.get('X-WR-CALNAME')), 'timezones': [str(t.get('TZID')) for t in calendar.walk('VTIMEZONE')], 'events': events}))
`;
  const run = spawnSync(python, ['-c', script], { input: Buffer.from(text, 'utf8'), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

async function makeLink(client) {
  const page = await client.get('/cahier-de-textes/calendrier');
  assert.equal(page.status, 200);
  const made = await client.postForm('/cahier-de-textes/calendrier', { csrf: csrfFrom(page.text) });
  assert.equal(made.status, 200);
  const match = made.text.match(/value="(https?:\/\/[^"]*\/cahier-de-textes\/calendrier\/[^"]+\.ics)"/);
  assert.ok(match, 'the link is shown once');
  return new URL(match[1]).pathname;
}

test('a guardian\'s private link: both children, published only, read as RFC 5545', async () => {
  const andre = new Client(server.url);
  await signInOrThrow(andre, 'andre.chamson');
  const path = await makeLink(andre);
  const anonymous = new Client(server.url);
  const feed = await anonymous.get(path);
  assert.equal(feed.status, 200);
  assert.match(feed.response.headers.get('content-type'), /^text\/calendar/);
  assert.ok(feed.text.includes('\r\n'));
  assert.ok(!feed.text.includes('planifiés'), 'a planned homework stays hidden');
  if (!python) return;
  const calendar = parse(feed.text);
  assert.equal(calendar.name, 'Cahier de textes – André CHAMSON');
  assert.deepEqual(calendar.timezones, ['Europe/Paris']);
  const louis = calendar.events.find((event) => event.summary.startsWith('Louis – À faire : ÉCONOMIE-GESTION'));
  assert.ok(louis, JSON.stringify(calendar.events));
  assert.equal(louis.start, isoDay(seeded.today + 1));
  assert.equal(louis.end, isoDay(seeded.today + 2));
  assert.match(louis.description, /Lire le dossier 4/);
  const pauline = calendar.events.find((event) => event.summary.startsWith('Pauline – À faire : ÉCONOMIE-GESTION'));
  assert.ok(pauline);
  assert.match(pauline.summary, /Décathlon/);
  const seance = calendar.events.find((event) => event.summary === 'Louis – ÉCONOMIE-GESTION – La relation client');
  assert.ok(seance);
  assert.ok(seance.start.startsWith(`${isoDay(seeded.today)}T08:00:00`), seance.start);
  assert.ok(seance.offset === 3600 || seance.offset === 7200);
});

test('a student\'s link holds only his class; a revoked link answers 404', async () => {
  const louis = new Client(server.url);
  await signInOrThrow(louis, 'louis.chamson');
  const first = await makeLink(louis);
  const anonymous = new Client(server.url);
  const feed = await anonymous.get(first);
  assert.equal(feed.status, 200);
  assert.ok(feed.text.includes('Lire le dossier 4'));
  assert.ok(!feed.text.includes('Décathlon'));
  const second = await makeLink(louis); // « Révoquer le lien »: a new one
  assert.notEqual(first, second);
  assert.equal((await anonymous.get(first)).status, 404);
  assert.equal((await anonymous.get(second)).status, 200);
  assert.equal((await anonymous.get('/cahier-de-textes/calendrier/inconnu.ics')).status, 404);
});
