// The timetable as calendar applications read it: the private link of a
// student and of a guardian (both children, each first name before the
// subject), parsed by Python's icalendar (Debian python3-icalendar; the
// parsing is skipped when it is not installed), times in Paris with the
// offset of their date (summer or winter time).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Client, csrfFrom, signInOrThrow, startServer } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
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
        'location': str(event.get('LOCATION', '')),
        'status': str(event.get('STATUS', '')),
        'description': str(event.get('DESCRIPTION', '')),
        'start': start.isoformat(),
        'end': end.isoformat(),
        'offset': start.utcoffset().total_seconds(),
        'utc': start.timestamp(),
    })
print(json.dumps({'name': str(calendar.get('X-WR-CALNAME')), 'timezones': [str(t.get('TZID')) for t in calendar.walk('VTIMEZONE')], 'events': events}))
`;
  const run = spawnSync(python, ['-c', script], { input: Buffer.from(text, 'utf8'), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

// The offset of Paris on that instant, in seconds, from the platform's own
// time-zone database (not from our code).
function parisOffset(utcSeconds) {
  const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', timeZoneName: 'shortOffset' })
    .formatToParts(new Date(utcSeconds * 1000)).find((part) => part.type === 'timeZoneName').value; // « GMT+1 »
  return Number(name.replace('GMT', '')) * 3600;
}

async function feedOf(login) {
  const client = new Client(server.url);
  await signInOrThrow(client, login);
  const page = await client.get('/emploi-du-temps/abonnement');
  assert.equal(page.status, 200);
  const made = await client.postForm('/emploi-du-temps/abonnement', { csrf: csrfFrom(page.text) });
  assert.equal(made.status, 200);
  const link = /\/emploi-du-temps\/calendrier\/[A-Za-z0-9_-]+\.ics/.exec(made.text)?.[0];
  assert.ok(link, 'the link is shown once');
  const again = await client.get('/emploi-du-temps/abonnement');
  assert.ok(!again.text.includes(link), 'and only once');
  return { client, link };
}

test('a student follows his timetable by a private link', async () => {
  const { client, link } = await feedOf('louis.chamson');
  const calendarApp = new Client(server.url); // no cookie
  const feed = await calendarApp.get(link);
  assert.equal(feed.status, 200);
  assert.equal(feed.response.headers.get('content-type'), 'text/calendar; charset=utf-8');
  assert.ok(!/[^\r]\n/.test(feed.text), 'every line ends with CRLF');
  for (const line of feed.text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
  assert.ok(feed.text.includes('STATUS:CANCELLED'), 'the demo lesson of a teacher in training');

  if (python) {
    const calendar = parse(feed.text);
    assert.equal(calendar.name, 'Emploi du temps – Louis CHAMSON');
    assert.deepEqual(calendar.timezones, ['Europe/Paris']);
    assert.ok(calendar.events.length > 40, `${calendar.events.length} lessons`);
    const eco = calendar.events.filter((event) => event.summary.startsWith('ÉCONOMIE-GESTION'));
    assert.ok(eco.length > 0);
    for (const event of calendar.events) {
      // Wall-clock hours of the timetable whatever the season, with Paris's offset of that date.
      assert.equal(event.offset, parisOffset(event.utc), `${event.start}`);
      assert.match(event.start, /T(08|09|10|11|13|14|15|16):(00|15|30):00\+0[12]:00$/);
    }
    const monday = eco.find((event) => new Date(event.start).getUTCDay() === 1 && event.start.includes('T08:00:00'));
    assert.ok(monday, 'ÉCONOMIE-GESTION on Mondays at 08:00');
    assert.equal(monday.location, 'Salle B12');
    assert.ok(monday.description.includes('Samuel BEAUMONT'));
    const cancelled = calendar.events.find((event) => event.status === 'CANCELLED');
    assert.ok(cancelled.description.includes('Professeur en formation'));
    assert.ok(!calendar.events.some((event) => event.summary.startsWith('HISTOIRE')), 'T STMG is not his class');
  }

  // « Révoquer le lien »: the former link is not found; the log keeps no token.
  const page = await client.get('/emploi-du-temps/abonnement');
  const renewed = await client.postForm('/emploi-du-temps/abonnement', { csrf: csrfFrom(page.text) });
  const second = /\/emploi-du-temps\/calendrier\/[A-Za-z0-9_-]+\.ics/.exec(renewed.text)?.[0];
  assert.notEqual(second, link);
  assert.equal((await calendarApp.get(link)).status, 404);
  assert.equal((await calendarApp.get(second)).status, 200);
  const token = link.slice('/emploi-du-temps/calendrier/'.length, -'.ics'.length);
  assert.ok(!server.stdout().includes(token) && !server.stderr().includes(token));
});

test("a guardian's link holds each child's lessons, named", async () => {
  const { link } = await feedOf('andre.chamson');
  const feed = await new Client(server.url).get(link);
  assert.equal(feed.status, 200);
  if (python) {
    const calendar = parse(feed.text);
    assert.ok(calendar.events.some((event) => event.summary === 'Louis : ÉCONOMIE-GESTION'));
    assert.ok(calendar.events.some((event) => event.summary === 'Pauline : HISTOIRE-GÉOGRAPHIE'));
    assert.ok(calendar.events.every((event) => /^(Louis|Pauline) : /.test(event.summary)));
    assert.equal(new Set(calendar.events.map((event) => event.uid)).size, calendar.events.length, 'unique UIDs');
  } else {
    assert.ok(feed.text.includes('SUMMARY:Louis : ÉCONOMIE-GESTION'));
    assert.ok(feed.text.includes('SUMMARY:Pauline : HISTOIRE-GÉOGRAPHIE'));
  }
});
