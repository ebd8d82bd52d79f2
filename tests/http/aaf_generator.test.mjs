// The AAF feed generator (tools/aaf/generate.mjs): the sample sets are
// well-formed, expected.json agrees with the files, the malformed lines point
// at records, and the academy mode names and splits its files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const GENERATOR = fileURLToPath(new URL('../../tools/aaf/generate.mjs', import.meta.url));
const KINDS = ['EtabEducNat', 'MatiereEducNat', 'MefEducNat', 'Eleve', 'PersRelEleve', 'PersEducNat'];
const REQUESTS = ['addRequest', 'modifyRequest', 'deleteRequest'];

function generate(...args) {
  const result = spawnSync(process.execPath, [GENERATOR, ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

function count(text, tag) { return text.split(`<${tag}>`).length - 1; }

// Starts with the declaration and <ficAlimMENESR>; every tag closed in order.
function assertWellFormed(name, text) {
  assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n'), `${name}: header`);
  assert.ok(text.endsWith('</ficAlimMENESR>\n'), `${name}: footer`);
  const stack = [];
  for (const [, closing, tag, , selfClosing] of text.slice(text.indexOf('?>') + 2).matchAll(/<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g)) {
    if (selfClosing) continue;
    if (!closing) stack.push(tag);
    else assert.equal(stack.pop(), tag, `${name}: </${tag}> closes another element`);
  }
  assert.deepEqual(stack, [], `${name}: unclosed elements`);
  assert.doesNotMatch(text.replace(/&(amp|lt|gt|quot|apos);/g, ''), /&/, `${name}: bare &`);
}

// The add records of a file: id and attributes (values trimmed, empty ones dropped).
function addRecords(text) {
  const decode = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return [...text.matchAll(/<addRequest>([\s\S]*?)<\/addRequest>/g)].map(([, body]) => {
    const attributes = {};
    const inner = body.slice(body.indexOf('<attributes>'));
    for (const [, name, values] of inner.matchAll(/<attr name="([^"]+)">([\s\S]*?)<\/attr>/g)) {
      const vs = [...values.matchAll(/<value>([\s\S]*?)<\/value>/g)].map(([, v]) => decode(v).trim()).filter(Boolean);
      if (vs.length) attributes[name] = vs;
    }
    return { id: /<id>([^<]*)<\/id>/.exec(body)[1], attributes };
  });
}

function readSet(dir) {
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]));
}

test('sample: well-formed files, expected.json matches them, malformed lines point at records', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'aaf-sample-'));
  try {
    generate('sample', out);
    const expected = JSON.parse(readFileSync(path.join(out, 'expected.json'), 'utf8'));
    for (const set of ['complet', 'delta', 'malformed']) {
      const files = readSet(path.join(out, set));
      const mode = set === 'delta' ? 'Delta' : 'Complet';
      assert.deepEqual(Object.keys(files).sort(), Object.keys(expected[set].files).sort(), set);
      const records = Object.fromEntries(KINDS.map((kind) => [kind, 0]));
      for (const [name, text] of Object.entries(files)) {
        assert.match(name, new RegExp(`^ENT2026_${mode}_(${KINDS.join('|')})_0000\\.xml$`));
        assertWellFormed(`${set}/${name}`, text);
        const entry = expected[set].files[name];
        assert.equal(entry.kind, name.split('_')[2]);
        for (const request of REQUESTS) assert.equal(count(text, request), entry[request], `${set}/${name} ${request}`);
        records[entry.kind] += REQUESTS.reduce((n, r) => n + count(text, r), 0);
      }
      assert.deepEqual(expected[set].records, records, set);
      for (const key of ['created', 'updated', 'departed']) {
        assert.deepEqual(Object.keys(expected[set][key]), ['student', 'guardian', 'teacher', 'staff'], `${set}.${key}`);
      }
    }
    assert.equal(Object.keys(readSet(path.join(out, 'complet'))).length, 6);
    assert.deepEqual(Object.keys(readSet(path.join(out, 'delta'))).map((n) => n.split('_')[2]).sort(),
      ['Eleve', 'PersEducNat', 'PersRelEleve']);

    // The complet counts, recomputed from the records themselves.
    const complet = readSet(path.join(out, 'complet'));
    const kindOf = (kind) => addRecords(complet[`ENT2026_Complet_${kind}_0000.xml`]);
    const structures = kindOf('EtabEducNat');
    const students = kindOf('Eleve');
    const guardians = kindOf('PersRelEleve');
    const staff = kindOf('PersEducNat');
    const c = expected.complet;
    assert.equal(c.structures, structures.length);
    assert.deepEqual(structures.map((s) => s.attributes.ENTStructureUAI[0]).sort(), ['0300021U', '0300950K']);
    assert.deepEqual(structures.map((s) => s.attributes.ENTStructureNomCourant[0]).sort(), ['COLLEGE MARIE CURIE', 'LYCEE JEAN MOULIN']);
    assert.equal(c.classes, structures.reduce((n, s) => n + s.attributes.ENTStructureClasses.length, 0));
    assert.equal(c.groups, structures.reduce((n, s) => n + (s.attributes.ENTStructureGroupes?.length ?? 0), 0));
    assert.equal(c.subjects, kindOf('MatiereEducNat').length);
    assert.equal(c.mefs, kindOf('MefEducNat').length);
    assert.equal(c.created.student, students.length);
    assert.equal(c.created.guardian, guardians.length);
    assert.equal(c.created.teacher + c.created.staff, staff.length);
    assert.equal(c.guardian_links, students.reduce((n, s) => n + s.attributes.ENTElevePersRelEleve.length, 0));
    const teachings = new Set(staff.flatMap((p) => [...(p.attributes.ENTAuxEnsClassesMatieres ?? []),
      ...(p.attributes.ENTAuxEnsGroupesMatieres ?? [])].map((v) => `${p.id}$${v}`)));
    assert.equal(c.teachings, teachings.size);
    assert.equal(c.head_teachers, staff.reduce((n, p) => n + (p.attributes.ENTAuxEnsClassesPrincipal?.length ?? 0), 0));
    assert.ok(students.length >= 35 && guardians.length >= 40 && staff.length >= 10);
    // Every reference resolves, every link is a 6-field compound.
    const structureIds = new Set(structures.map((s) => s.id));
    const guardianIds = new Set(guardians.map((g) => g.id));
    for (const s of students) {
      assert.ok(structureIds.has(s.attributes.ENTPersonStructRattach[0]), s.id);
      for (const link of s.attributes.ENTElevePersRelEleve) {
        const fields = link.split('$');
        assert.equal(fields.length, 6, link);
        assert.ok(guardianIds.has(fields[0]), link);
      }
    }
    // The special cases are there.
    const twoStructures = expected.cases.guardian_in_two_structures;
    const childrenStructures = new Set(students.filter((s) => s.attributes.ENTElevePersRelEleve
      .some((l) => l.startsWith(`${twoStructures}$`))).map((s) => s.attributes.ENTPersonStructRattach[0]));
    assert.equal(childrenStructures.size, 2);
    const garcia = students.find((s) => s.id === expected.cases.student_with_guardian_without_legal_responsibility.student);
    // link code and legal responsibility of each guardian
    assert.deepEqual(garcia.attributes.ENTElevePersRelEleve.map((l) => [l.split('$')[1], l.split('$')[3]]), [['10', '1'], ['20', '0']]);
    assert.ok(students.some((s) => s.attributes.ENTElevePersRelEleve.some((l) => l.split('$')[1] === '37')));
    for (const trimmed of expected.complet.trimmed) {
      const record = kindOf(trimmed.kind).find((r) => r.id === trimmed.id);
      assert.deepEqual(record.attributes[trimmed.attribute]?.[0] ?? null, trimmed.value, `${trimmed.id} ${trimmed.attribute}`);
    }
    const text = Object.values(complet).join('');
    for (const name of ['Élodie', 'Noé', 'Chloé', 'François', 'LE GALLÈS', 'N\'DIAYE', 'GARCÍA']) assert.ok(text.includes(`>${name}<`), name);

    // Malformed: one rejection per case, each line an opening tag of the record with that id.
    const malformed = readSet(path.join(out, 'malformed'));
    const reasons = expected.malformed.rejected.map((r) => r.reason).sort();
    assert.deepEqual(reasons, ['bad-compound', 'bad-date', 'bad-uai', 'missing-attribute', 'unknown-structure', 'unsupported-operation']);
    for (const rejection of expected.malformed.rejected) {
      assert.deepEqual(Object.keys(rejection), ['file', 'line', 'reason', 'attribute', 'id']);
      const lines = malformed[rejection.file].split('\n');
      assert.match(lines[rejection.line - 1], /^\s*<(addRequest|modifyRequest)>$/, JSON.stringify(rejection));
      assert.equal(lines[rejection.line].trim(), rejection.reason === 'unsupported-operation'
        ? `<identifier><id>${rejection.id}</id></identifier>` : '<operationalAttributes>');
      const rest = lines.slice(rejection.line - 1);
      const record = rest.slice(0, rest.findIndex((l) => /<\/(addRequest|modifyRequest)>/.test(l)) + 1).join('\n');
      assert.ok(record.includes(`<id>${rejection.id}</id>`), JSON.stringify(rejection));
      if (rejection.reason === 'unsupported-operation') assert.match(record, /operation="add"/);
      else assert.ok(record.includes(`<attr name="${rejection.attribute}">`) !== (rejection.reason === 'missing-attribute'), JSON.stringify(rejection));
    }
    assert.equal(expected.malformed.created.student, expected.complet.created.student);
    for (const kind of KINDS) {
      const rejected = expected.malformed.rejected.filter((r) => r.file.includes(`_${kind}_`)).length;
      assert.equal(expected.malformed.records[kind], expected.complet.records[kind] + rejected, kind);
    }

    // Deterministic: a second run writes the same bytes.
    const again = mkdtempSync(path.join(tmpdir(), 'aaf-sample-'));
    try {
      generate('sample', again);
      assert.equal(readFileSync(path.join(again, 'expected.json'), 'utf8'), readFileSync(path.join(out, 'expected.json'), 'utf8'));
      for (const set of ['complet', 'delta', 'malformed']) assert.deepEqual(readSet(path.join(again, set)), readSet(path.join(out, set)));
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('academy: tiny académie, files named and split by --per-file, delta of N changes', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'aaf-academy-'));
  try {
    const stdout = generate('academy', out, '--structures', '3', '--students', '200', '--staff', '30', '--delta', '50',
      '--per-file', '80', '--seed', '7');
    assert.match(stdout, /^aaf academy: \d+ files, \d+ records, \d+ bytes .* s /);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    const complet = readSet(path.join(out, 'complet'));
    const perKind = {};
    for (const [name, text] of Object.entries(complet)) {
      const m = /^ENT2026_Complet_([A-Za-z]+)_(\d{4})\.xml$/.exec(name);
      assert.ok(m && KINDS.includes(m[1]), name);
      assertWellFormed(name, text);
      const records = REQUESTS.reduce((n, r) => n + count(text, r), 0);
      assert.ok(records >= 1 && records <= 80, `${name}: ${records} records`);
      assert.equal(count(text, 'addRequest'), records, name);
      assert.equal(summary.complet[name].addRequest, records, name);
      (perKind[m[1]] ??= []).push([Number(m[2]), records]);
    }
    assert.deepEqual(Object.keys(perKind).sort(), [...KINDS].sort());
    for (const [kind, files] of Object.entries(perKind)) {
      files.sort((a, b) => a[0] - b[0]);
      assert.deepEqual(files.map(([i]) => i), files.map((_, i) => i), `${kind}: numbered from 0000 without gap`);
      for (const [, records] of files.slice(0, -1)) assert.equal(records, 80, `${kind}: only the last file is partial`);
    }
    assert.equal(perKind.Eleve.length, 3); // 200 students, 80 a file
    assert.equal(perKind.Eleve.reduce((n, [, r]) => n + r, 0), 200);
    assert.equal(perKind.EtabEducNat[0][1], 3);
    assert.equal(perKind.PersEducNat.reduce((n, [, r]) => n + r, 0), 30);
    const guardians = perKind.PersRelEleve.reduce((n, [, r]) => n + r, 0);
    assert.equal(summary.created.guardian, guardians);
    assert.ok(guardians > 200 && guardians < 300, String(guardians));

    const structures = Object.entries(complet).filter(([n]) => n.includes('EtabEducNat')).flatMap(([, t]) => addRecords(t));
    const uais = structures.map((s) => s.attributes.ENTStructureUAI[0]);
    assert.equal(new Set(uais).size, 3);
    for (const uai of uais) {
      assert.match(uai, /^\d{7}[A-Z]$/);
      assert.equal(uai[7], 'ABCDEFGHJKLMNPRSTUVWXYZ'[Number(uai.slice(0, 7)) % 23], `${uai}: check letter`);
    }
    const students = Object.entries(complet).filter(([n]) => n.includes('_Eleve_')).flatMap(([, t]) => addRecords(t));
    assert.equal(new Set(students.map((s) => s.id)).size, 200);
    const structureIds = new Set(structures.map((s) => s.id));
    for (const s of students) {
      assert.ok(structureIds.has(s.attributes.ENTPersonStructRattach[0]));
      assert.match(s.attributes.ENTPersonDateNaissance[0], /^\d\d\/\d\d\/\d{4}$/);
      for (const link of s.attributes.ENTElevePersRelEleve) assert.match(link, /^\d+\$(10|20|37|50|90)\$[01]\$[01]\$[01]\$[01]$/);
    }

    const delta = readSet(path.join(out, 'delta'));
    let changes = 0;
    for (const [name, text] of Object.entries(delta)) {
      assert.match(name, /^ENT2026_Delta_(Eleve|PersRelEleve|PersEducNat)_\d{4}\.xml$/);
      assertWellFormed(name, text);
      changes += REQUESTS.reduce((n, r) => n + count(text, r), 0);
    }
    assert.equal(changes, 50);
    const all = Object.values(delta).join('');
    for (const request of REQUESTS) assert.ok(count(all, request) > 0, request);
    assert.doesNotMatch(all, /operation="(?!replace")/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
