// The agenda of a class space as calendar applications read it: the export
// and the private subscription link, parsed by Python's icalendar (Debian
// python3-icalendar; the parsing is skipped when it is not installed).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Client, csrfFrom, signInOrThrow, startServer } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// The system's Python holds the Debian package, whichever python3 comes first.
const python = ['python3', '/usr/bin/python3'].find(
  (candidate) => spawnSync(candidate, ['-c', 'import icalendar'], { encoding: 'utf8' }).status === 0);
const hasIcalendar = python !== undefined;

// The events of a calendar text, as icalendar reads them.
function parse(text) {
  const script = `
import json, sys
from icalendar import Calendar
calendar = Calendar.from_ical(sys.stdin.buffer.read())
events = []
for event in calendar.walk('VEVENT'):
    start = event.decoded('DTSTART')
    end = event.decoded('DTEND')
    rule = event.get('RRULE')
    events.append({
        'uid': str(event.get('UID')),
        'summary': str(event.get('SUMMARY')),
        'location': str(event.get('LOCATION', '')),
        'description': str(event.get('DESCRIPTION', '')),
        'start': start.isoformat(),
        'end': end.isoformat(),
        'offset': start.utcoffset().total_seconds() if hasattr(start, 'utcoffset') and start.utcoffset() is not None else None,
        'freq': str(rule['FREQ'][0]) if rule else None,
        'until': rule['UNTIL'][0].isoformat() if rule and 'UNTIL' in rule else None,
    })
print(json.dumps({'name': str(calendar.get('X-WR-CALNAME')), 'timezones': [str(t.get('TZID')) for t in calendar.walk('VTIMEZONE')], 'events': events}))
`;
  const run = spawnSync(python, ['-c', script], { input: Buffer.from(text, 'utf8'), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

async function tproSpace(client) {
  for (let id = 1; id <= 40; id += 1) {
    const page = await client.get(`/espaces/${id}/agenda`);
    if (page.status === 200 && page.text.includes('<h1 class="page-title">Classe TPRO</h1>')) return `/espaces/${id}`;
  }
  throw new Error('no TPRO space');
}

const TITLE = 'Oral blanc d’économie-gestion, groupe 1; salle B12 \\ apportez le dossier professionnel complet (évalué)';

test('the export and the private link read as RFC 5545 by a calendar library', async () => {
  const teacher = new Client(server.url);
  await signInOrThrow(teacher, 'samuel.beaumont');
  const base = await tproSpace(teacher);
  const form = await teacher.get(`${base}/agenda/nouveau`);
  assert.equal(form.status, 200);
  const made = await teacher.postForm(`${base}/agenda`, {
    csrf: csrfFrom(form.text), titre: TITLE, lieu: 'Salle B12, bâtiment B', description: 'Première ligne\nDeuxième ligne',
    debut_date: '2027-03-02', debut_heure: '10:00', fin_date: '2027-03-02', fin_heure: '11:30',
    repetition: 'hebdomadaire', jusqu_au: '2027-04-13',
  });
  assert.equal(made.status, 303, made.text.slice(0, 500));

  const exported = await teacher.get(`${base}/agenda.ics`);
  assert.equal(exported.status, 200);
  assert.equal(exported.response.headers.get('content-type'), 'text/calendar; charset=utf-8');
  assert.ok(!/[^\r]\n/.test(exported.text), 'every line ends with CRLF');
  for (const line of exported.text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);

  const page = await teacher.get(`${base}/agenda/abonnement`);
  const renewed = await teacher.postForm(`${base}/agenda/abonnement`, { csrf: csrfFrom(page.text) });
  assert.equal(renewed.status, 200);
  const link = /\/agenda\/abonnement\/[A-Za-z0-9_-]+\.ics/.exec(renewed.text)?.[0];
  assert.ok(link, 'the link is shown once');
  const calendarApp = new Client(server.url); // no cookie
  const feed = await calendarApp.get(link);
  assert.equal(feed.status, 200);
  assert.equal(feed.text.replace(/DTSTAMP:.*\r\n/g, ''), exported.text.replace(/DTSTAMP:.*\r\n/g, ''));

  if (hasIcalendar) {
    const calendar = parse(feed.text);
    assert.equal(calendar.name, 'Classe TPRO');
    assert.deepEqual(calendar.timezones, ['Europe/Paris']);
    const oral = calendar.events.find((event) => event.summary === TITLE);
    assert.ok(oral, JSON.stringify(calendar.events.map((event) => event.summary)));
    assert.equal(oral.location, 'Salle B12, bâtiment B');
    assert.equal(oral.description, 'Première ligne\nDeuxième ligne');
    assert.equal(oral.start, '2027-03-02T10:00:00+01:00');
    assert.equal(oral.end, '2027-03-02T11:30:00+01:00');
    assert.equal(oral.freq, 'WEEKLY');
    assert.equal(oral.until, '2027-04-13T21:59:59+00:00'); // the end of 13 April in Paris (summer time)
    assert.ok(calendar.events.some((event) => event.summary === 'Conseil de classe du 1er trimestre'));
  }

  // « Révoquer le lien »: the former link is not found.
  const again = await teacher.get(`${base}/agenda/abonnement`);
  const second = await teacher.postForm(`${base}/agenda/abonnement`, { csrf: csrfFrom(again.text) });
  const secondLink = /\/agenda\/abonnement\/[A-Za-z0-9_-]+\.ics/.exec(second.text)?.[0];
  assert.notEqual(secondLink, link);
  assert.equal((await calendarApp.get(link)).status, 404);
  assert.equal((await calendarApp.get(secondLink)).status, 200);
  // The server's log does not hold the secret.
  const token = link.slice('/agenda/abonnement/'.length, -'.ics'.length);
  assert.ok(!server.stdout().includes(token) && !server.stderr().includes(token));
});
