#!/usr/bin/env node
// SPDX-License-Identifier: AGPL-3.0-or-later
//
// AAF feed generator (format: docs/aaf.md), for the importer's tests and the
// benchmark. Node 18+, no dependency, deterministic (seeded PRNG).
//
//   node tools/aaf/generate.mjs sample OUTDIR
//   node tools/aaf/generate.mjs academy OUTDIR [--structures 400] [--students 300000]
//        [--guardians-per-student 1.5] [--staff 30000] [--delta 10000] [--seed 42] [--per-file 50000]
//
// See tools/aaf/README.md for what each set contains.

import fs from 'node:fs';
import path from 'node:path';

const YEAR = 2026;
const TRANSMISSION = '01/09/2026';
const KINDS = ['EtabEducNat', 'MatiereEducNat', 'MefEducNat', 'Eleve', 'PersRelEleve', 'PersEducNat'];
const CATEGORY = {
  EtabEducNat: 'Etablissement',
  MatiereEducNat: 'Matiere',
  MefEducNat: 'MEF',
  Eleve: 'Eleve',
  PersRelEleve: 'PersRelEleve',
  PersEducNat: 'PersEducNat',
};
const PROFILE_OF = {
  // National_DOC counts as a teacher (DOMAIN.md: « enseignant, documentaliste » → teacher).
  National_ENS: 'teacher', National_DOC: 'teacher',
  National_DIR: 'staff', National_EVS: 'staff', National_ETA: 'staff', National_ACA: 'staff', National_COL: 'staff',
};

// ---------------------------------------------------------------------------
// Deterministic pseudo-random numbers (mulberry32).

class Rng {
  constructor(seed) { this.state = seed >>> 0; }
  next() {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n) { return Math.floor(this.next() * n); }
  range(lo, hi) { return lo + this.int(hi - lo + 1); }
  chance(p) { return this.next() < p; }
  pick(list) { return list[this.int(list.length)]; }
  digits(n) { let s = ''; for (let i = 0; i < n; i++) s += this.int(10); return s; }
}

function mixSeed(seed, salt) {
  let h = (seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------
// XML text, one element per line, two spaces of indentation.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
function esc(text) {
  const s = String(text);
  return /[&<>"]/.test(s) ? s.replace(/[&<>"]/g, (c) => ESCAPES[c]) : s;
}

function list(values) {
  if (values === undefined || values === null) return [];
  return Array.isArray(values) ? values.filter((v) => v !== undefined && v !== null) : [values];
}

function attrText(name, values, ind) {
  const vs = list(values);
  if (vs.length === 0) return '';
  if (vs.length === 1) return `${ind}<attr name="${name}"><value>${esc(vs[0])}</value></attr>\n`;
  let s = `${ind}<attr name="${name}">\n`;
  for (const v of vs) s += `${ind}  <value>${esc(v)}</value>\n`;
  return s + `${ind}</attr>\n`;
}

// attrs: [[name, value | [values]]]; absent (undefined / empty list) attributes are left out.
function addRequest(kind, id, attrs) {
  let s = '  <addRequest>\n    <operationalAttributes>\n'
    + `      <attr name="categoriePersonne"><value>${CATEGORY[kind]}</value></attr>\n`
    + `      <attr name="dateTransmission"><value>${TRANSMISSION}</value></attr>\n`
    + `    </operationalAttributes>\n    <identifier><id>${esc(id)}</id></identifier>\n    <attributes>\n`;
  for (const [name, values] of attrs) s += attrText(name, values, '      ');
  return s + '    </attributes>\n  </addRequest>\n';
}

// mods: [[name, [values], operation = 'replace']]; no value empties the attribute.
function modifyRequest(id, mods) {
  let s = `  <modifyRequest>\n    <identifier><id>${esc(id)}</id></identifier>\n    <modifications>\n`;
  for (const [name, values, operation = 'replace'] of mods) {
    const vs = list(values);
    if (vs.length === 0) {
      s += `      <modification name="${name}" operation="${operation}"></modification>\n`;
      continue;
    }
    s += `      <modification name="${name}" operation="${operation}">\n`;
    for (const v of vs) s += `        <value>${esc(v)}</value>\n`;
    s += '      </modification>\n';
  }
  return s + '    </modifications>\n  </modifyRequest>\n';
}

function deleteRequest(id) {
  return `  <deleteRequest>\n    <identifier><id>${esc(id)}</id></identifier>\n  </deleteRequest>\n`;
}

const HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n';
const FOOTER = '</ficAlimMENESR>\n';

function countNewlines(s) {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

// One output file, written in chunks of about 1 MiB (memory stays flat).
class XmlFile {
  constructor(file, trackLines) {
    this.file = file;
    this.name = path.basename(file);
    this.fd = fs.openSync(file, 'w');
    this.track = trackLines;
    this.chunks = [];
    this.pending = 0;
    this.bytes = 0;
    this.newlines = 0;
    this.records = 0;
    this.counts = { addRequest: 0, modifyRequest: 0, deleteRequest: 0 };
    this.write(HEADER);
  }
  write(s) {
    this.chunks.push(s);
    this.pending += s.length;
    if (this.track) this.newlines += countNewlines(s);
    if (this.pending >= 1 << 20) this.flush();
  }
  // Returns the 1-based line of the record's opening tag.
  record(type, text) {
    const line = this.newlines + 1;
    this.write(text);
    this.records++;
    this.counts[type]++;
    return line;
  }
  flush() {
    if (this.chunks.length === 0) return;
    const buffer = Buffer.from(this.chunks.join(''), 'utf8');
    this.chunks = [];
    this.pending = 0;
    let offset = 0;
    while (offset < buffer.length) offset += fs.writeSync(this.fd, buffer, offset, buffer.length - offset);
    this.bytes += buffer.length;
  }
  close() {
    this.write(FOOTER);
    this.flush();
    fs.closeSync(this.fd);
  }
}

function fileName(mode, kind, index) {
  return `ENT${YEAR}_${mode}_${kind}_${String(index).padStart(4, '0')}.xml`;
}

// The files of one kind: a new file every `perFile` records.
class KindSink {
  constructor(dir, mode, kind, perFile, trackLines = false) {
    Object.assign(this, { dir, mode, kind, perFile, trackLines });
    this.current = null;
    this.files = [];
  }
  record(type, text) {
    if (!this.current || this.current.records >= this.perFile) {
      if (this.current) this.current.close();
      this.current = new XmlFile(path.join(this.dir, fileName(this.mode, this.kind, this.files.length)), this.trackLines);
      this.files.push(this.current);
    }
    return { file: this.current.name, line: this.current.record(type, text) };
  }
  add(id, attrs) { return this.record('addRequest', addRequest(this.kind, id, attrs)); }
  modify(id, mods) { return this.record('modifyRequest', modifyRequest(id, mods)); }
  remove(id) { return this.record('deleteRequest', deleteRequest(id)); }
  close() { if (this.current) this.current.close(); this.current = null; }
}

function prepareDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.readdirSync(dir)) if (/^ENT.*\.xml$/.test(name)) fs.rmSync(path.join(dir, name));
}

// ---------------------------------------------------------------------------
// Names and places.

const FIRST_F = ['Emma', 'Jade', 'Louise', 'Alice', 'Chloé', 'Lina', 'Léa', 'Rose', 'Anna', 'Mila', 'Inès', 'Ambre',
  'Julia', 'Mia', 'Léna', 'Manon', 'Juliette', 'Lou', 'Zoé', 'Camille', 'Agathe', 'Éva', 'Nina', 'Margaux', 'Romane',
  'Clémence', 'Maëlys', 'Anaïs', 'Élodie', 'Héloïse', 'Océane', 'Noémie', 'Aïcha', 'Yasmine', 'Salomé', 'Capucine',
  'Mathilde', 'Pauline', 'Sarah', 'Lucie', 'Marion', 'Justine', 'Célia', 'Amandine', 'Estelle', 'Laëtitia', 'Sandrine',
  'Nathalie', 'Sophie', 'Isabelle', 'Céline', 'Aurélie', 'Émilie', 'Virginie', 'Karine', 'Stéphanie', 'Hélène',
  'Christelle', 'Fatima', 'Awa', 'Carmen', 'Mónica', 'Noëlle', 'Solène', 'Maïwenn', 'Gaëlle', 'Bérénice', 'Faustine'];
const FIRST_M = ['Gabriel', 'Léo', 'Raphaël', 'Arthur', 'Louis', 'Jules', 'Adam', 'Maël', 'Lucas', 'Hugo', 'Noé',
  'Liam', 'Sacha', 'Tom', 'Éthan', 'Nathan', 'Théo', 'Enzo', 'Mathis', 'Timéo', 'Nolan', 'Axel', 'Yanis', 'Clément',
  'Baptiste', 'Kévin', 'Jérôme', 'François', 'Loïc', 'Anthony', 'Mathéo', 'Évan', 'Aurélien', 'Rémi', 'Benoît',
  'Mickaël', 'Stéphane', 'Frédéric', 'Sébastien', 'Cédric', 'Hervé', 'Jean-Pierre', 'Jean-Marc', 'Pierre', 'Olivier',
  'Nicolas', 'Thierry', 'Laurent', 'Éric', 'Pascal', 'Yann', 'Karim', 'Mohamed', 'Moussa', 'José', 'Joël', 'Gaël',
  'Anthelme', 'Bastien', 'Quentin', 'Valentin', 'Florian', 'Damien', 'Grégoire', 'Fabien', 'Régis'];
const LAST = ['MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', 'RICHARD', 'PETIT', 'DURAND', 'LEROY', 'MOREAU',
  'SIMON', 'LAURENT', 'LEFÈVRE', 'MICHEL', 'GARCÍA', 'DAVID', 'BERTRAND', 'ROUX', 'VINCENT', 'FOURNIER', 'MOREL',
  'GIRARD', 'ANDRÉ', 'MERCIER', 'DUPONT', 'LAMBERT', 'BONNET', 'FRANÇOIS', 'MARTÍNEZ', 'LEGRAND', 'GARNIER', 'FAURE',
  'ROUSSEAU', 'BLANC', 'GUÉRIN', 'MULLER', 'HENRY', 'ROUSSEL', 'NICOLAS', 'PERRIN', 'MORIN', 'MATHIEU', 'CLÉMENT',
  'GAUTHIER', 'DUMONT', 'LOPEZ', 'FONTAINE', 'CHEVALIER', 'ROBIN', 'MASSON', 'SANCHEZ', 'GÉRARD', 'NGUYEN', 'BOYER',
  'DENIS', 'LEMAIRE', 'DUVAL', 'JOLY', 'GAUTIER', 'ROGER', 'ROCHE', 'ROY', 'NOËL', 'MEYER', 'LUCAS', 'MEUNIER',
  'JEAN', 'PÉREZ', 'MARCHAND', 'DUFOUR', 'BLANCHARD', 'MARIE', 'BARBIER', 'BRUN', 'DUMAS', 'BRUNET', 'SCHMITT',
  'LEROUX', 'COLIN', 'FERNANDEZ', 'PIERRE', 'RENARD', 'ARNAUD', 'ROLLAND', 'CARON', 'AUBERT', 'GIRAUD', 'LECLERC',
  'VIDAL', 'BOURGEOIS', 'RENAUD', 'LEMOINE', 'PICARD', 'GAILLARD', 'PHILIPPE', 'LECLERCQ', 'LACROIX', 'FABRE',
  'DUPUIS', 'OLIVIER', 'RODRIGUEZ', 'DA SILVA', 'HUBERT', 'LOUIS', 'CHARLES', 'GUILLOT', 'RIVIÈRE', 'LE GALL',
  'GUILLAUME', 'ADAM', 'RÉMY', 'MOULIN', 'GONZÁLEZ', 'BERGER', 'COLLET', 'NGUYỄN', 'N\'DIAYE', 'DIALLO', 'TRAORÉ',
  'BENALI', 'HADDAD', 'CHERKAOUI', 'BOUZID', 'ESTÈVE', 'CHAMSON', 'TEISSIER', 'MAURIN', 'CASTAN', 'SABATIER',
  'SERRE', 'PAGÈS', 'VALETTE', 'AUSSET', 'CABANE', 'TEULON', 'SOULIER', 'FALGUIÈRE', 'BOISSIER', 'CHABERT', 'DELMAS',
  'COSTE', 'PONS', 'BOUDON', 'ARNAL', 'MAZEL', 'ROQUES', 'LAFONT', 'DELORME', 'SALLES', 'GRAS', 'REY', 'COMBES',
  'CAUSSE', 'BOISSET', 'FAVIER', 'BEAUMONT', 'PLANTIER', 'SOUSTELLE', 'MALZAC', 'CAMBON', 'ROUVIÈRE', 'ABRIC',
  'VIGNAL', 'BOUSCHET', 'RAVEL', 'CLAPARÈDE', 'SAUVEPLANE', 'DE LA TOUR', 'D\'ARGENCE', 'LE GALLÈS', 'O\'NEILL',
  'MÉJEAN', 'BRÈS', 'ROUQUETTE', 'ASTRUC', 'CHAPTAL', 'GRÉGOIRE', 'LÉVÊQUE', 'BÉNÉZET', 'PÉLISSIER', 'FÉLINES'];
const STREETS = ['rue de la République', 'avenue Jean Jaurès', 'boulevard Gambetta', 'rue Victor Hugo',
  'chemin des Mûriers', 'rue des Châtaigniers', 'place de la Mairie', 'impasse des Oliviers', 'route d\'Anduze',
  'rue du Faubourg du Soleil', 'allée des Cévennes', 'rue Émile Zola', 'avenue de la Libération', 'chemin de la Tour',
  'rue Pasteur', 'quai du Gardon', 'rue des Écoles', 'montée de la Citadelle', 'rue Louis Pasteur', 'chemin du Mas Neuf'];
const CITIES = {
  '011': [['CARCASSONNE', '11000'], ['NARBONNE', '11100'], ['CASTELNAUDARY', '11400'], ['LIMOUX', '11300'],
    ['LÉZIGNAN-CORBIÈRES', '11200'], ['QUILLAN', '11500']],
  '030': [['ALÈS', '30100'], ['NÎMES', '30000'], ['LE VIGAN', '30120'], ['BEAUCAIRE', '30300'], ['UZÈS', '30700'],
    ['BAGNOLS-SUR-CÈZE', '30200'], ['SAINT-HIPPOLYTE-DU-FORT', '30170'], ['LA GRAND-COMBE', '30110'],
    ['ANDUZE', '30140'], ['VAUVERT', '30600'], ['SOMMIÈRES', '30250'], ['PONT-SAINT-ESPRIT', '30130']],
  '034': [['MONTPELLIER', '34000'], ['BÉZIERS', '34500'], ['SÈTE', '34200'], ['LUNEL', '34400'], ['AGDE', '34300'],
    ['LODÈVE', '34700'], ['GANGES', '34190'], ['PÉZENAS', '34120'], ['CLERMONT-L\'HÉRAULT', '34800'],
    ['CASTELNAU-LE-LEZ', '34170'], ['FRONTIGNAN', '34110']],
  '048': [['MENDE', '48000'], ['MARVEJOLS', '48100'], ['FLORAC TROIS RIVIÈRES', '48400'], ['LANGOGNE', '48300'],
    ['SAINT-CHÉLY-D\'APCHER', '48200']],
  '066': [['PERPIGNAN', '66000'], ['PRADES', '66500'], ['CÉRET', '66400'], ['ARGELÈS-SUR-MER', '66700'],
    ['RIVESALTES', '66600'], ['FONT-ROMEU-ODEILLO-VIA', '66120']],
};
const DEPARTMENTS = [['030', 0.3], ['034', 0.4], ['066', 0.15], ['011', 0.12], ['048', 0.03]];
const NAMESAKES = ['JEAN MOULIN', 'MARIE CURIE', 'JEAN JAURÈS', 'ALPHONSE DAUDET', 'GEORGES BRASSENS', 'JULES FERRY',
  'VICTOR HUGO', 'PAUL VALÉRY', 'JEAN MERMOZ', 'LOUIS FEUILLADE', 'FLORIAN', 'JEAN-BAPTISTE DUMAS', 'LA SALLE',
  'ALBERT CAMUS', 'ANDRÉ CHAMSON', 'GASTON DOUMERGUE', 'FRÉDÉRIC BAZILLE', 'JOLIOT-CURIE', 'LUCIE AUBRAC',
  'SIMONE VEIL', 'JEAN MACÉ', 'PIERRE DE COUBERTIN', 'CHARLES DE GAULLE', 'ARAGO', 'JOSEPH VALLOT', 'GEORGES POMPIDOU',
  'MARCEL PAGNOL', 'JACQUES PRÉVERT', 'JEAN ROSTAND', 'LES FONTAINES', 'LES GARRIGUES', 'DU MONT AIGOUAL',
  'DES CÉVENNES', 'CLÉMENCE ROYER', 'OLYMPE DE GOUGES', 'JULES VERNE', 'ÉMILE ZOLA', 'LOUIS PASTEUR', 'GAMBETTA'];
const KIND_LABEL = { LYC: 'LYCEE', CLG: 'COLLEGE', LP: 'LYCEE PROFESSIONNEL', EREA: 'EREA' };

const UAI_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
export function uaiCheckLetter(digits) { return UAI_LETTERS[Number(digits) % 23]; }

function fold(text) {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function date(day, month, year) { return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`; }
// Of age (18) on the transmission date, 1 September 2026.
function majeur(dob) {
  const [d, m, y] = dob.split('/').map(Number);
  return (YEAR - y > 18 || (YEAR - y === 18 && (m < 9 || (m === 9 && d <= 1)))) ? 'O' : 'N';
}
function phone(rng, prefix) { return `+33 ${prefix} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`; }

// ---------------------------------------------------------------------------
// Sample mode: two structures of the académie de Montpellier, hand-shaped.

const L = '1001'; // LYCEE JEAN MOULIN
const C = '1002'; // COLLEGE MARIE CURIE

const SAMPLE_STRUCTURES = [
  {
    id: L, uai: '0300021U', name: 'LYCEE JEAN MOULIN   ', type: 'LYC', city: 'ALÈS', postal: '30100',
    street: '1 avenue Jean Moulin',
    classes: [['2NDE1', 'SECONDE 1'], ['2NDE2', 'SECONDE 2'], ['1G1', 'PREMIERE GENERALE 1'], ['TSTMG1', 'TERMINALE STMG 1']],
    groups: [['ANG-LV1-2NDE', 'ANGLAIS LV1 SECONDE'], ['SPE-SES-1G', 'SPECIALITE SES PREMIERE']],
  },
  {
    id: C, uai: '0300950K', name: 'COLLEGE MARIE CURIE', type: 'CLG', city: 'SAINT-HIPPOLYTE-DU-FORT', postal: '30170',
    street: '12 rue Marie Curie',
    classes: [['6A', 'SIXIEME A'], ['5B', 'CINQUIEME B'], ['3C', 'TROISIEME C']],
    groups: [['LATIN-5', 'LATIN CINQUIEME']],
  },
];

const SAMPLE_SUBJECTS = [
  ['061300', 'MATHEMATIQUES'], ['020100', 'FRANCAIS'], ['040600', 'HISTOIRE-GEOGRAPHIE'], ['030201', '\tANGLAIS LV1 '],
  ['076700', 'SCIENCES ECONOMIQUES ET SOCIALES'], ['065000', 'PHYSIQUE-CHIMIE'],
  ['100100', 'EDUCATION PHYSIQUE ET SPORTIVE'], ['020700', 'LATIN'],
];

// [jointure, label, MEFSTAT11 (optional)]
const SAMPLE_MEFS = [
  ['20010018110', '2NDE GENERALE ET TECHNOLOGIQUE', '20110019110'],
  ['20111001110', '1ERE GENERALE', '20111001110'],
  ['21233101110', 'TERMINALE STMG', '21233101110'],
  ['10010012110', '6EME', undefined],
];
const MEF_OF_CLASS = { '2NDE1': '20010018110', '2NDE2': '20010018110', '1G1': '20111001110', TSTMG1: '21233101110',
  '6A': '10010012110' }; // 5B and 3C carry no ENTEleveMEF (optional)

// Guardian: [title, given, link, options]; student: [title, given, structure, class, birth date, options].
function g(title, given, link, o = {}) { return { title, given, link, ...o }; }
function k(title, given, structure, cls, dob, o = {}) { return { title, given, structure, cls, dob, ...o }; }

// The families: 40 students, 45 guardians. The special cases come first.
const SAMPLE_FAMILIES = [
  // Children in the TWO structures; the student's groups are emptied by the delta.
  ['LE GALLÈS', [g('M.', 'Yann', 10), g('Mme', 'Anne', 20, { pay: 0 })],
    [k('Mme', 'Élodie', L, '2NDE1', '14/03/2010', { groups: ['ANG-LV1-2NDE'], mail: 'elodie.legalles@laposte.net' }),
      k('M.', 'Noé', C, '6A', '02/11/2014', { other: 'Yves Marie' })]],
  ['N\'DIAYE', [g('Mme', 'Awa', 20), g('M.', 'Ibrahima', 10, { pay: 0 })],
    [k('Mme', 'Aïssatou', L, '2NDE2', '30/06/2010', { groups: ['ANG-LV1-2NDE'] }),
      k('M.', 'Moussa', L, '1G1', '08/01/2009', { groups: ['SPE-SES-1G'] })]],
  // Père 10 with legal responsibility, mère 20 without (no financial responsibility nor payment either).
  ['GARCÍA', [g('M.', 'José', 10), g('Mme', 'Carmen', 20, { fin: 0, legal: 0, pay: 0, sn: 'LÓPEZ' })],
    [k('Mme', 'Chloé', L, 'TSTMG1', '21/04/2008', { mail: '   ' })]],
  // A tutor (37), not of the family name.
  ['ROUSSEL', [g('M.', 'Bernard', 37, { sn: 'MOREL' })], [k('M.', 'Lucas', C, '3C', '17/09/2011')]],
  // Mother and grandmother (50, contact only).
  ['FABRE', [g('Mme', 'Sandrine', 20), g('MME', 'Odette', 50, { fin: 0, legal: 0, pay: 0 })],
    [k('M.', 'Mathis', L, '2NDE1', '05/05/2010', { classRaw: '\t1001$2NDE1\t', groups: ['ANG-LV1-2NDE'] })]],
  // Sibling pairs, both in the same structure; the first one changes class in the delta.
  ['MARTIN', [g('M.', 'Laurent', 10), g('Mme', 'Céline', 20, { pay: 0 })],
    [k('M.', 'Hugo', L, '2NDE1', '11/02/2010'), k('Mme', 'Clara', L, '1G1', '29/10/2009', { groups: ['SPE-SES-1G'] })]],
  ['VIDAL', [g('Mme', 'Nathalie', 20), g('M.', 'Éric', 10, { pay: 0 })],
    [k('M.', 'Théo', L, '2NDE2', '03/12/2010'), k('Mme', 'Sarah', L, 'TSTMG1', '15/07/2008')]],
  ['LAFONT', [g('M.', 'Hervé', 10), g('Mme', 'Sophie', 20, { pay: 0, sn: 'BOISSET' })],
    [k('M.', 'Enzo', L, '2NDE2', '19/08/2010', { groups: ['ANG-LV1-2NDE'] }), k('M.', 'Raphaël', L, '1G1', '07/04/2009')]],
  ['SERRE', [g('Mme', 'Aurélie', 20), g('M.', 'Pascal', 10, { pay: 0 })],
    [k('Mme', 'Louise', C, '6A', '23/01/2015'), k('M.', 'Jules', C, '5B', '12/06/2013', { groups: ['LATIN-5'] })]],
  ['MAURIN', [g('M', 'Stéphane', 10), g('Mme', 'Karine', 20, { pay: 0 })],
    [k('M.', 'Gabriel', C, '6A', '09/09/2014'), k('Mme', 'Emma', C, '3C', '26/02/2011')]],
  ['DURAND', [g('Mme', 'Virginie', 20), g('M.', 'Thierry', 10, { pay: 0 })],
    [k('M.', 'Sacha', C, '5B', '31/10/2013'), k('M.', 'Éthan', C, '3C', '04/04/2011')]],
  // Two guardians, one child.
  ['BONNET', [g('M.', 'Frédéric', 10), g('Mme', 'Isabelle', 20, { pay: 0 })],
    [k('Mme', 'Jade', L, '2NDE1', '18/11/2010', { groups: ['ANG-LV1-2NDE'] })]],
  ['ESTÈVE', [g('Mme', 'Hélène', 20), g('M.', 'Jean-Marc', 10, { pay: 0 })],
    [k('Mme', 'Manon', L, '2NDE2', '27/05/2010', { regime: 'DP DAN' })]],
  ['PONS', [g('M.', 'Cédric', 10), g('Mme', 'Maïwenn', 20, { pay: 0, sn: 'LE GALL' })],
    [k('Mme', 'Maëlys', L, '1G1', '13/12/2009')]],
  // One guardian, one child.
  ['ROUX', [g('Mme', 'Estelle', 20, { addressRaw: true })], [k('Mme', 'Léa', L, '2NDE1', '06/07/2010', { givenRaw: '  Léa ' })]],
  ['GIRAUD', [g('M.', 'Olivier', 10)], [k('M.', 'Nathan', L, '2NDE1', '22/03/2010')]],
  ['PERRIN', [g('Mme', 'Stéphanie', 20)], [k('Mme', 'Zoé', L, '2NDE1', '01/09/2010', { groups: ['ANG-LV1-2NDE'] })]],
  ['BRUN', [g('M.', 'Joël', 10)], [k('M.', 'Camille', L, '2NDE2', '16/01/2011')]],
  ['HADDAD', [g('Mme', 'Fatima', 20)], [k('Mme', 'Lina', L, '2NDE2', '10/10/2010')]],
  ['DELORME', [g('M.', 'Jérôme', 10)], [k('M.', 'François', L, '1G1', '25/03/2009', { groups: ['SPE-SES-1G'] })]],
  ['CHERKAOUI', [g('MLLE', 'Yasmine', 20)], [k('M.', 'Adam', L, '1G1', '14/08/2009')]],
  ['BOUZID', [g('M.', 'Karim', 10)], [k('M.', 'Yanis', L, 'TSTMG1', '02/02/2008')]],
  // Of age; departed by the delta.
  ['OLIVIER', [g('Mme', 'Christelle', 20)], [k('M.', 'Kévin', L, 'TSTMG1', '30/12/2007')]],
  ['TEISSIER', [g('Mme', 'Sandrine', 20)], [k('Mme', 'Anaïs', L, 'TSTMG1', '08/11/2008')]],
  ['CASTAN', [g('M.', 'Sébastien', 10)], [k('Mme', 'Ambre', C, '6A', '19/05/2014')]],
  ['BOISSIER', [g('Mme', 'Émilie', 20)], [k('M.', 'Tom', C, '6A', '03/03/2015')]],
  ['ANDRÉ', [g('M.', 'Mickaël', 10)], [k('Mme', 'Rose', C, '6A', '28/07/2014')]],
  ['VALETTE', [g('Mme', 'Gaëlle', 20)], [k('M.', 'Jules', C, '5B', '20/12/2013', { groups: ['LATIN-5'] })]],
  ['GRAS', [g('M.', 'Régis', 10)], [k('Mme', 'Alice', C, '5B', '11/04/2013', { groups: ['LATIN-5'] })]],
  ['SALLES', [g('Mme', 'Solène', 20)], [k('Mme', 'Éva', C, '5B', '06/02/2013', { groups: ['LATIN-5'] })]],
  ['AUSSET', [g('Mme', 'Bérénice', 20)], [k('Mme', 'Lou', C, '3C', '17/06/2011')]],
  ['PAGÈS', [g('M.', 'Grégoire', 10)], [k('M.', 'Nolan', C, '3C', '02/10/2011')]],
];

// Staff and teachers: [title, given, sn, profile, structure, functions, classes taught, groups taught, head of].
const SAMPLE_STAFF = [
  ['Mme', 'Hélène', 'CABANE', 'National_DIR', L, [`${L}$DIR$DIRECTION$-$PROVISEUR`]],
  ['M.', 'Olivier', 'MAZEL', 'National_EVS', L, [`${L}$EDU$EDUCATION$-$CONSEILLER PRINCIPAL D'EDUCATION`]],
  ['Mme', 'Sylvie', 'ROQUES', 'National_DOC', L, [`${L}$DOC$DOCUMENTATION$L0100$DOCUMENTATION`]],
  ['Mme', 'Martine', 'BOYER', 'National_ETA', L, [`${L}$ADF$ADMINISTRATION$-$SECRETARIAT`]],
  ['M.', 'Pierre', 'ARNAL', 'National_ENS', L, [`${L}$ENS$ENSEIGNEMENT$L1300$MATHEMATIQUES`],
    ['2NDE1', '2NDE2', '1G1', 'TSTMG1'].map((c) => `${L}$${c}$061300`), [], [`${L}$2NDE1`]],
  ['Mme', 'Cécile', 'BOUDON', 'National_ENS', L,
    [`${L}$ENS$ENSEIGNEMENT$L0202$LETTRES MODERNES`, `${L}$ENS$ENSEIGNEMENT$L1000$HISTOIRE GEOGRAPHIE`],
    [`${L}$2NDE1$020100`, `${L}$2NDE2$020100`, `${L}$1G1$020100`, `${L}$1G1$040600`, `${L}$TSTMG1$040600`]],
  ['Mme', 'Nadia', 'BELKACEM', 'National_ENS', L, [`${L}$ENS$ENSEIGNEMENT$L0422$ANGLAIS`],
    [`${L}$1G1$030201`, `${L}$TSTMG1$030201`], [` ${L}$ANG-LV1-2NDE$030201\n      `], [`${L}$TSTMG1`]],
  // Attached to the lycée, also teaches a class of the collège (its ENTAuxEnsClassesMatieres names the collège).
  ['M.', 'Marc', 'TEULON', 'National_ENS', L,
    [`${L}$ENS$ENSEIGNEMENT$L1500$PHYSIQUE CHIMIE`, `${L}$ENS$ENSEIGNEMENT$L8012$SCIENCES ECONOMIQUES ET SOCIALES`],
    [`${L}$2NDE1$065000`, `${L}$2NDE2$065000`, `${C}$3C$065000`, `${L}$1G1$076700`, `${L}$TSTMG1$076700`],
    [`${L}$SPE-SES-1G$076700`]],
  ['M.', 'François', 'SOUSTELLE', 'National_DIR', C, [`${C}$DIR$DIRECTION$-$PRINCIPAL`]],
  ['Mme', 'Agnès', 'PLANTIER', 'National_EVS', C, [`${C}$EDU$EDUCATION$-$CONSEILLER PRINCIPAL D'EDUCATION`]],
  ['Mme', 'Lucie', 'FALGUIÈRE', 'National_ENS', C,
    [`${C}$ENS$ENSEIGNEMENT$L0202$LETTRES MODERNES`, `${C}$ENS$ENSEIGNEMENT$L0201$LETTRES CLASSIQUES`],
    [`${C}$6A$020100`, `${C}$5B$020100`, `${C}$3C$020100`], [`${C}$LATIN-5$020700`], [`${C}$3C`]],
  ['M.', 'Rémi', 'SOULIER', 'National_ENS', C, [`${C}$ENS$ENSEIGNEMENT$L1900$EDUCATION PHYSIQUE ET SPORTIVE`],
    [`${C}$6A$100100`, `${C}$5B$100100`, `${C}$3C$100100`]],
];

function buildSample() {
  const rng = new Rng(20260901);
  const students = [];
  const guardians = [];
  let studentId = 3000001;
  let guardianId = 4000001;
  for (const [sn, gs, ks] of SAMPLE_FAMILIES) {
    const family = [];
    for (const spec of gs) {
      const structure = SAMPLE_STRUCTURES.find((s) => s.id === ks[0].structure);
      const [city, postal] = rng.chance(0.6) ? [structure.city, structure.postal]
        : rng.pick(CITIES['030'].filter(([c]) => c !== 'NÎMES'));
      const guardian = {
        id: String(guardianId++), title: spec.title, sn: spec.sn ?? sn, given: spec.given, link: spec.link,
        fin: spec.fin ?? 1, legal: spec.legal ?? 1, contact: spec.contact ?? 1, pay: spec.pay ?? 1,
        address: `${rng.range(1, 48)} ${rng.pick(STREETS)}`, postal, city,
        home: rng.chance(0.5) ? phone(rng, '4') : undefined, work: rng.chance(0.3) ? phone(rng, '4') : undefined,
        mobile: phone(rng, rng.pick(['6', '7'])), children: [],
      };
      guardian.mail = rng.chance(0.8)
        ? `${fold(guardian.given)}.${fold(guardian.sn)}@${rng.pick(['orange.fr', 'gmail.com', 'laposte.net', 'free.fr'])}`
        : undefined;
      if (spec.addressRaw) guardian.addressRaw = `\n        ${guardian.address}\n      `;
      family.push(guardian);
      guardians.push(guardian);
    }
    for (const spec of ks) {
      const student = { id: String(studentId++), sn, ...spec, guardians: family };
      if (rng.chance(0.5)) student.home = family[0];
      students.push(student);
      for (const guardian of family) guardian.children.push(student);
    }
  }
  const staff = SAMPLE_STAFF.map(([title, given, sn, profile, structure, functions, classes = [], groups = [], heads = []], i) => ({
    id: String(5000001 + i), title, given, sn, profile, structure, functions, classes, groups, heads,
    mail: `${fold(given)}.${fold(sn)}@ac-montpellier.fr`,
  }));
  return { students, guardians, staff };
}

function structureAttrs(s) {
  return [
    ['ENTStructureJointure', s.id], ['ENTStructureUAI', s.uai], ['ENTStructureNomCourant', s.name],
    ['ENTStructureTypeStruct', s.type], ['ENTServAcAcademie', 'MONTPELLIER'], ['ENTStructureRegion', 'OCCITANIE'],
    ['street', s.street], ['postalCode', s.postal], ['l', s.city],
    ['ENTStructureClasses', s.classes.map(([c, l]) => `${c}$${l}`)],
    ['ENTStructureGroupes', s.groups.map(([c, l]) => `${c}$${l}`)],
  ];
}

function studentAttrs(st) {
  const link = (gd) => `${gd.id}$${gd.link}$${gd.fin}$${gd.legal}$${gd.contact}$${gd.pay}`;
  return [
    ['ENTPersonJointure', st.id], ['personalTitle', st.title], ['sn', st.noSn ? undefined : st.sn],
    ['givenName', st.givenRaw ?? st.given], ['ENTPersonAutresPrenoms', st.other],
    ['ENTPersonDateNaissance', st.dob], ['ENTPersonStructRattach', st.structure],
    ['ENTEleveClasses', st.classRaw ?? `${st.structure}$${st.cls}`],
    ['ENTEleveGroupes', (st.groups ?? []).map((gr) => `${st.structure}$${gr}`)],
    ['ENTEleveMEF', MEF_OF_CLASS[st.cls]], ['ENTEleveMajeur', majeur(st.dob)], ['ENTEleveRegime', st.regime],
    ['ENTElevePersRelEleve', st.linksRaw ?? st.guardians.map(link)],
    ['ENTPersonAdresse', st.home?.address], ['ENTPersonCodePostal', st.home?.postal], ['ENTPersonVille', st.home?.city],
    ['mail', st.mail],
  ];
}

function guardianAttrs(gd) {
  return [
    ['ENTPersonJointure', gd.id], ['personalTitle', gd.title], ['sn', gd.sn], ['givenName', gd.given],
    ['ENTPersonAdresse', gd.addressRaw ?? gd.address], ['ENTPersonCodePostal', gd.postal], ['ENTPersonVille', gd.city],
    ['homePhone', gd.home], ['telephoneNumber', gd.work], ['mobile', gd.mobile], ['mail', gd.mail],
    ['ENTAuxPersRelEleveEleve', gd.children.map((c) => c.id)],
  ];
}

function staffAttrs(p) {
  return [
    ['ENTPersonJointure', p.id], ['personalTitle', p.title], ['sn', p.sn], ['givenName', p.given], ['mail', p.mail],
    ['ENTPersonProfils', p.profile], ['ENTPersonStructRattach', p.structure], ['ENTPersonFonctions', p.functions],
    ['ENTAuxEnsClassesMatieres', p.classes], ['ENTAuxEnsGroupesMatieres', p.groups],
    ['ENTAuxEnsClassesPrincipal', p.heads],
  ];
}

// Writes the six complet files into dir; `extra[kind]` holds malformed records to slip in after record n.
function writeSampleComplet(dir, data, extra = {}) {
  prepareDir(dir);
  const rejected = [];
  const files = {};
  const write = (kind, records) => {
    const sink = new KindSink(dir, 'Complet', kind, Infinity, true);
    const inserts = extra[kind] ?? [];
    const emitInserts = (position) => {
      for (const bad of inserts.filter((b) => b.after === position)) {
        const at = bad.type === 'modifyRequest' ? sink.modify(bad.id, bad.mods) : sink.add(bad.id, bad.attrs);
        rejected.push({ file: at.file, line: at.line, reason: bad.reason, attribute: bad.attribute, id: bad.id });
      }
    };
    emitInserts(0);
    records.forEach(([id, attrs], i) => { sink.add(id, attrs); emitInserts(i + 1); });
    sink.close();
    for (const f of sink.files) files[f.name] = { kind, ...f.counts };
  };
  write('EtabEducNat', SAMPLE_STRUCTURES.map((s) => [s.id, structureAttrs(s)]));
  write('MatiereEducNat', SAMPLE_SUBJECTS.map(([code, label]) => [code,
    [['ENTMatJointure', code], ['ENTMatCode', code], ['ENTLibelleMatiere', label]]]));
  write('MefEducNat', SAMPLE_MEFS.map(([id, label, stat]) => [id,
    [['ENTMEFJointure', id], ['ENTLibelleMEF', label], ['ENTMEFSTAT11', stat]]]));
  write('Eleve', data.students.map((st) => [st.id, studentAttrs(st)]));
  write('PersRelEleve', data.guardians.map((gd) => [gd.id, guardianAttrs(gd)]));
  write('PersEducNat', data.staff.map((p) => [p.id, staffAttrs(p)]));
  return { files, rejected };
}

function zeroProfiles() { return { student: 0, guardian: 0, teacher: 0, staff: 0 }; }

function recordsByKind(files) {
  const records = Object.fromEntries(KINDS.map((kind) => [kind, 0]));
  for (const f of Object.values(files)) records[f.kind] += f.addRequest + f.modifyRequest + f.deleteRequest;
  return records;
}

function teachingKeys(p) {
  return new Set([...p.classes, ...p.groups].map((v) => `${p.id}$${v.trim()}`));
}

function sampleCounts(data) {
  const created = zeroProfiles();
  created.student = data.students.length;
  created.guardian = data.guardians.length;
  const profiles = {};
  for (const p of data.staff) {
    created[PROFILE_OF[p.profile]]++;
    profiles[p.profile] = (profiles[p.profile] ?? 0) + 1;
  }
  const teachings = data.staff.reduce((n, p) => n + teachingKeys(p).size, 0);
  return {
    created, profiles,
    structures: SAMPLE_STRUCTURES.length,
    classes: SAMPLE_STRUCTURES.reduce((n, s) => n + s.classes.length, 0),
    groups: SAMPLE_STRUCTURES.reduce((n, s) => n + s.groups.length, 0),
    subjects: SAMPLE_SUBJECTS.length, mefs: SAMPLE_MEFS.length,
    guardian_links: data.students.reduce((n, s) => n + s.guardians.length, 0),
    teachings, head_teachers: data.staff.reduce((n, p) => n + p.heads.length, 0),
    class_members: data.students.length,
    group_members: data.students.reduce((n, s) => n + (s.groups?.length ?? 0), 0),
  };
}

function generateSample(outDir) {
  const data = buildSample();
  const byName = (given, sn) => data.students.find((s) => s.given === given && s.sn === sn);
  const guardianByName = (given, sn) => data.guardians.find((x) => x.given === given && x.sn === sn);
  const staffByName = (sn) => data.staff.find((p) => p.sn === sn);
  const counts = sampleCounts(data);
  const base = { updated: zeroProfiles(), departed: zeroProfiles(), teachings_removed: 0, rejected: [] };

  // 1. complet
  const complet = writeSampleComplet(path.join(outDir, 'complet'), data);
  const expected = {
    format: 'cartable-aaf-sample/1',
    generator: 'node tools/aaf/generate.mjs sample OUTDIR',
    notes: [
      'Counts are those of an import into an empty directory (for delta: applied after complet).',
      'records: records read per kind (addRequest + modifyRequest + deleteRequest), rejected ones included.',
      'created.teacher counts National_ENS and National_DOC (documentaliste); created.staff National_DIR, National_EVS, National_ETA; see profiles.',
      'teachings: distinct (teacher, structure, class or group, subject) from ENTAuxEnsClassesMatieres and ENTAuxEnsGroupesMatieres, including one class of the other structure (cases.cross_structure_teaching).',
      'rejected[].line: 1-based line of the record\'s opening tag (<addRequest> or <modifyRequest>).',
      'Values are written with odd white space where listed in complet.trimmed; compare after trimming.',
    ],
    complet: { files: complet.files, records: recordsByKind(complet.files), ...counts, ...base },
  };
  const teulon = staffByName('TEULON');
  const roux = byName('Léa', 'ROUX');
  const fabre = byName('Mathis', 'FABRE');
  const estelle = guardianByName('Estelle', 'ROUX');
  expected.complet.trimmed = [
    { kind: 'EtabEducNat', id: L, attribute: 'ENTStructureNomCourant', value: 'LYCEE JEAN MOULIN' },
    { kind: 'MatiereEducNat', id: '030201', attribute: 'ENTLibelleMatiere', value: 'ANGLAIS LV1' },
    { kind: 'Eleve', id: roux.id, attribute: 'givenName', value: 'Léa' },
    { kind: 'Eleve', id: fabre.id, attribute: 'ENTEleveClasses', value: `${L}$2NDE1` },
    { kind: 'Eleve', id: byName('Chloé', 'GARCÍA').id, attribute: 'mail', value: null },
    { kind: 'PersRelEleve', id: estelle.id, attribute: 'ENTPersonAdresse', value: estelle.address },
    { kind: 'PersEducNat', id: staffByName('BELKACEM').id, attribute: 'ENTAuxEnsGroupesMatieres', value: `${L}$ANG-LV1-2NDE$030201` },
  ];
  const garcia = byName('Chloé', 'GARCÍA');
  expected.cases = {
    lycee: { jointure: L, uai: '0300021U' }, college: { jointure: C, uai: '0300950K' },
    guardian_in_two_structures: guardianByName('Yann', 'LE GALLÈS').id,
    student_with_guardian_without_legal_responsibility: { student: garcia.id, pere: garcia.guardians[0].id, mere_not_legal: garcia.guardians[1].id },
    tutor: guardianByName('Bernard', 'MOREL').id,
    other_family_member: guardianByName('Odette', 'FABRE').id,
    head_teachers: data.staff.filter((p) => p.heads.length).map((p) => ({ teacher: p.id, of: p.heads })),
    cross_structure_teaching: { teacher: teulon.id, attached_to: L, value: `${C}$3C$065000` },
    staff_functions: Object.fromEntries(data.staff.filter((p) => p.profile !== 'National_ENS').map((p) => [p.id, p.functions[0]])),
  };

  // 2. malformed: the complet set plus 6 rejected records.
  const guardian0 = data.guardians[0].id;
  const rogue = (id, o, fields = {}) => ({
    id, after: o.after, reason: o.reason, attribute: o.attribute, type: 'addRequest',
    attrs: studentAttrs({ id, title: 'M.', sn: 'REJETÉ', given: 'Paul', structure: L, cls: '2NDE1', dob: '10/10/2010',
      guardians: [data.guardians[0]], ...fields }),
  });
  const malformed = writeSampleComplet(path.join(outDir, 'malformed'), data, {
    EtabEducNat: [{ id: '1099', after: 1, reason: 'bad-uai', attribute: 'ENTStructureUAI', type: 'addRequest',
      attrs: structureAttrs({ id: '1099', uai: '030095K', name: 'COLLEGE SANS UAI', type: 'CLG', city: 'ANDUZE',
        postal: '30140', street: '3 rue des Écoles', classes: [['6Z', 'SIXIEME Z']], groups: [] }) }],
    Eleve: [
      rogue('3999901', { after: 3, reason: 'missing-attribute', attribute: 'sn' }, { noSn: true, given: 'Sansnom' }),
      rogue('3999902', { after: 10, reason: 'unknown-structure', attribute: 'ENTPersonStructRattach' }, { structure: '9999' }),
      rogue('3999903', { after: 17, reason: 'bad-date', attribute: 'ENTPersonDateNaissance' }, { dob: '31/02/2009', sn: 'DATEFAUSSE' }),
      rogue('3999904', { after: 25, reason: 'bad-compound', attribute: 'ENTElevePersRelEleve' }, { linksRaw: [`${guardian0}$10$1`] }),
      { id: data.students[4].id, after: 32, reason: 'unsupported-operation', attribute: 'ENTEleveClasses',
        type: 'modifyRequest', mods: [['ENTEleveClasses', [`${L}$2NDE2`], 'add']] },
    ],
  });
  expected.malformed = {
    files: malformed.files, records: recordsByKind(malformed.files), ...counts, ...base,
    rejected: malformed.rejected,
  };

  // 3. delta: only the kinds that change.
  const deltaDir = path.join(outDir, 'delta');
  prepareDir(deltaDir);
  const deltaFiles = {};
  const hugo = byName('Hugo', 'MARTIN');
  const elodie = byName('Élodie', 'LE GALLÈS');
  const kevin = byName('Kévin', 'OLIVIER');
  const jose = guardianByName('José', 'GARCÍA');
  const arnal = staffByName('ARNAL');
  const newGuardian = {
    id: String(4000001 + data.guardians.length), title: 'Mme', sn: 'COMBES', given: 'Nathalie', link: 20,
    fin: 1, legal: 1, contact: 1, pay: 1, address: '7 chemin des Mûriers', postal: '30140', city: 'ANDUZE',
    mobile: '+33 6 71 20 45 88', mail: 'nathalie.combes@orange.fr', children: [],
  };
  const newStudent = { id: String(3000001 + data.students.length), title: 'Mme', sn: 'COMBES', given: 'Juliette',
    structure: L, cls: '2NDE2', dob: '09/01/2011', groups: ['ANG-LV1-2NDE'], guardians: [newGuardian], home: newGuardian };
  newGuardian.children.push(newStudent);
  const newMobile = '+33 6 98 76 54 32';
  const arnalClasses = [`${L}$2NDE1$061300`, `${L}$2NDE2$061300`, `${L}$TSTMG1$061300`, `${L}$1G1$065000`];
  const writeDelta = (kind, fn) => {
    const sink = new KindSink(deltaDir, 'Delta', kind, Infinity, true);
    fn(sink);
    sink.close();
    for (const f of sink.files) deltaFiles[f.name] = { kind, ...f.counts };
  };
  writeDelta('Eleve', (sink) => {
    sink.add(newStudent.id, studentAttrs(newStudent));
    sink.modify(hugo.id, [['ENTEleveClasses', [`${L}$2NDE2`]]]);
    sink.modify(elodie.id, [['ENTEleveGroupes', []]]);
    sink.remove(kevin.id);
  });
  writeDelta('PersRelEleve', (sink) => {
    sink.add(newGuardian.id, guardianAttrs(newGuardian));
    sink.modify(jose.id, [['mobile', [newMobile]]]);
  });
  writeDelta('PersEducNat', (sink) => sink.modify(arnal.id, [['ENTAuxEnsClassesMatieres', arnalClasses]]));
  const before = teachingKeys(arnal);
  const after = teachingKeys({ ...arnal, classes: arnalClasses });
  expected.delta = {
    files: deltaFiles, records: recordsByKind(deltaFiles),
    created: { student: 1, guardian: 1, teacher: 0, staff: 0 },
    updated: { student: 2, guardian: 1, teacher: 1, staff: 0 },
    departed: { student: 1, guardian: 0, teacher: 0, staff: 0 },
    profiles: {}, structures: 0, classes: 0, groups: 0, subjects: 0, mefs: 0,
    guardian_links: 1,
    teachings: [...after].filter((x) => !before.has(x)).length,
    teachings_removed: [...before].filter((x) => !after.has(x)).length,
    head_teachers: 0, class_members: 1, group_members: 1, rejected: [],
    after: {
      active: { student: counts.created.student, guardian: counts.created.guardian + 1,
        teacher: counts.created.teacher, staff: counts.created.staff },
      teachings: counts.teachings - [...before].filter((x) => !after.has(x)).length + [...after].filter((x) => !before.has(x)).length,
    },
    cases: {
      added_student: newStudent.id, added_guardian: newGuardian.id,
      class_changed: { student: hugo.id, from: `${L}$2NDE1`, to: `${L}$2NDE2` },
      groups_emptied: { student: elodie.id, was: elodie.groups.map((x) => `${L}$${x}`) },
      mobile_changed: { guardian: jose.id, to: newMobile },
      deleted_student: kevin.id,
      teachings_replaced: { teacher: arnal.id, to: arnalClasses },
    },
  };
  fs.writeFileSync(path.join(outDir, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  const all = { ...complet.files, ...malformed.files, ...deltaFiles };
  console.log(`aaf sample: ${Object.keys(all).length} files in ${outDir} (complet, delta, malformed) and expected.json`);
}

// ---------------------------------------------------------------------------
// Academy mode: a synthetic académie, written as a stream.

const SUBJECTS = {
  '020100': ['FRANCAIS', 'L0202', 'LETTRES MODERNES'],
  '061300': ['MATHEMATIQUES', 'L1300', 'MATHEMATIQUES'],
  '040600': ['HISTOIRE-GEOGRAPHIE', 'L1000', 'HISTOIRE GEOGRAPHIE'],
  '030201': ['ANGLAIS LV1', 'L0422', 'ANGLAIS'],
  '030602': ['ESPAGNOL LV2', 'L0426', 'ESPAGNOL'],
  '030102': ['ALLEMAND LV2', 'L0421', 'ALLEMAND'],
  '062900': ['SCIENCES DE LA VIE ET DE LA TERRE', 'L1600', 'SCIENCES DE LA VIE ET DE LA TERRE'],
  '065000': ['PHYSIQUE-CHIMIE', 'L1500', 'PHYSIQUE CHIMIE'],
  '070800': ['TECHNOLOGIE', 'L1400', 'TECHNOLOGIE'],
  '100100': ['EDUCATION PHYSIQUE ET SPORTIVE', 'L1900', 'EDUCATION PHYSIQUE ET SPORTIVE'],
  '080100': ['ARTS PLASTIQUES', 'L1800', 'ARTS PLASTIQUES'],
  '090100': ['EDUCATION MUSICALE', 'L1700', 'EDUCATION MUSICALE'],
  '020700': ['LATIN', 'L0201', 'LETTRES CLASSIQUES'],
  '076700': ['SCIENCES ECONOMIQUES ET SOCIALES', 'L8012', 'SCIENCES ECONOMIQUES ET SOCIALES'],
  '013000': ['PHILOSOPHIE', 'L0100', 'PHILOSOPHIE'],
  '071200': ['SCIENCES NUMERIQUES ET TECHNOLOGIE', 'L1411', 'SCIENCES INDUSTRIELLES DE L\'INGENIEUR'],
  '042400': ['ECONOMIE-GESTION', 'L8011', 'ECONOMIE ET GESTION'],
  '044800': ['VENTE', 'P8039', 'ECONOMIE GESTION OPTION COMMERCE ET VENTE'],
  '052400': ['ELECTROTECHNIQUE', 'P5200', 'GENIE ELECTRIQUE'],
  '066600': ['PREVENTION SANTE ENVIRONNEMENT', 'P7200', 'BIOTECHNOLOGIES SANTE ENVIRONNEMENT'],
};
const SUBJECTS_OF = {
  CLG: ['020100', '061300', '040600', '030201', '030602', '030102', '062900', '065000', '070800', '100100', '080100',
    '090100', '020700'],
  LYC: ['020100', '061300', '040600', '030201', '030602', '030102', '062900', '065000', '100100', '076700', '013000',
    '071200', '042400'],
  LP: ['020100', '061300', '040600', '030201', '100100', '042400', '044800', '052400', '066600'],
  EREA: ['020100', '061300', '040600', '030201', '100100', '070800', '066600'],
};
// level: [code prefix, label, age on 1 September, MEF jointure, class naming: letter | number]
const LEVELS = {
  CLG: [['6', 'SIXIEME', 11, '10010012110', 'letter'], ['5', 'CINQUIEME', 12, '10110001110', 'letter'],
    ['4', 'QUATRIEME', 13, '10210001110', 'letter'], ['3', 'TROISIEME', 14, '10310019110', 'letter']],
  LYC: [['2NDE', 'SECONDE', 15, '20010018110', 'number'], ['1G', 'PREMIERE GENERALE', 16, '20111001110', 'number'],
    ['1STMG', 'PREMIERE STMG', 16, '21133101110', 'number'], ['TG', 'TERMINALE GENERALE', 17, '20211001110', 'number'],
    ['TSTMG', 'TERMINALE STMG', 17, '21233101110', 'number']],
  LP: [['2PRO', 'SECONDE PROFESSIONNELLE', 15, '24725000410', 'number'], ['1PRO', '1ERE PROFESSIONNELLE', 16, '24725000420', 'number'],
    ['TPRO', 'TERMINALE PROFESSIONNELLE', 17, '24725000430', 'number'], ['1CAP', '1ERE ANNEE CAP', 15, '24025000210', 'number'],
    ['2CAP', '2EME ANNEE CAP', 16, '24025000220', 'number']],
  EREA: [['6SEGPA', 'SIXIEME SEGPA', 11, '16610002110', 'number'], ['3SEGPA', 'TROISIEME SEGPA', 14, '16910002110', 'number'],
    ['1CAP', '1ERE ANNEE CAP', 15, '24025000210', 'number'], ['2CAP', '2EME ANNEE CAP', 16, '24025000220', 'number']],
};
const MEFS = new Map();
for (const levels of Object.values(LEVELS)) for (const [, label, , mef] of levels) MEFS.set(mef, label);
const GROUPS_OF = {
  CLG: [['LATIN', '5', '020700'], ['LATIN', '4', '020700'], ['LATIN', '3', '020700'], ['ESP-LV2', '5', '030602'],
    ['ESP-LV2', '4', '030602'], ['ALL-LV2', '5', '030102'], ['ALL-LV2', '3', '030102']],
  LYC: [['ANG-LV1', '2NDE', '030201'], ['ESP-LV2', '2NDE', '030602'], ['SPE-SES', '1G', '076700'],
    ['SPE-MATHS', '1G', '061300'], ['SPE-PC', 'TG', '065000'], ['SPE-SES', 'TG', '076700']],
  LP: [['ANG-LV1', '2PRO', '030201'], ['ANG-LV1', '1CAP', '030201']],
  EREA: [['ANG-LV1', '3SEGPA', '030201']],
};
const WEIGHT = { CLG: 1, LYC: 2.2, LP: 0.9, EREA: 0.3 };

function parseOptions(args) {
  const options = { structures: 400, students: 300000, 'guardians-per-student': 1.5, staff: 30000, delta: 0, seed: 42,
    'per-file': 50000 };
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!m || !(m[1] in options)) throw new Error(`option inconnue : ${args[i]}`);
    const value = m[2] ?? args[++i];
    const number = Number(value);
    if (value === undefined || !Number.isFinite(number) || number < 0) throw new Error(`valeur invalide pour --${m[1]}`);
    options[m[1]] = number;
  }
  for (const key of ['structures', 'students', 'staff', 'delta', 'seed', 'per-file']) options[key] = Math.floor(options[key]);
  if (options.structures < 1 || options['per-file'] < 1) throw new Error('--structures et --per-file doivent valoir au moins 1');
  return options;
}

// Splits total into parts proportional to weights (largest remainder).
function apportion(total, weights) {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) parts[order[j][1]]++;
  return parts;
}

function buildStructures(o) {
  const rng = new Rng(mixSeed(o.seed, 1));
  const used = new Set();
  const structures = [];
  for (let i = 0; i < o.structures; i++) {
    const type = i < 4 ? ['LYC', 'CLG', 'LP', 'EREA'][i] : weighted(rng, [['CLG', 0.58], ['LYC', 0.22], ['LP', 0.16], ['EREA', 0.04]]);
    const dept = i === 0 ? '030' : weighted(rng, DEPARTMENTS);
    let uai;
    do {
      const digits = dept + String(rng.int(10000)).padStart(4, '0');
      uai = digits + uaiCheckLetter(digits);
    } while (used.has(uai));
    used.add(uai);
    const [city, postal] = rng.pick(CITIES[dept]);
    structures.push({
      index: i, id: String(10001 + i), uai, type, dept, city, postal,
      name: `${KIND_LABEL[type]} ${rng.pick(NAMESAKES)}`, street: `${rng.range(1, 60)} ${rng.pick(STREETS)}`,
      weight: WEIGHT[type] * (0.6 + 0.8 * rng.next()),
    });
  }
  const studentCounts = apportion(o.students, structures.map((s) => s.weight));
  const staffCounts = apportion(o.staff, structures.map((s, i) => studentCounts[i] + 1));
  let studentStart = 0;
  let staffStart = 0;
  for (const s of structures) {
    s.students = studentCounts[s.index];
    s.staff = staffCounts[s.index];
    s.studentStart = studentStart;
    s.staffStart = staffStart;
    studentStart += s.students;
    staffStart += s.staff;
    const levels = LEVELS[s.type];
    s.levels = levels.map(([code, label, age, mef, naming]) => {
      const n = Math.max(1, Math.round(s.students / levels.length / 28));
      const classes = [];
      for (let c = 0; c < n; c++) {
        const suffix = naming === 'letter' ? String.fromCharCode(65 + (c % 26)) + (c >= 26 ? Math.floor(c / 26) : '')
          : String(c + 1);
        classes.push([`${code}${suffix}`, `${label} ${suffix}`]);
      }
      const groups = GROUPS_OF[s.type].filter(([, lv]) => lv === code)
        .map(([name, lv, subject]) => [`${name}-${lv}`, `${SUBJECTS[subject][0]} ${label}`, subject]);
      return { code, label, age, mef, classes, groups };
    });
    s.classes = s.levels.flatMap((lv) => lv.classes);
    s.groups = s.levels.flatMap((lv) => lv.groups);
    s.subjects = SUBJECTS_OF[s.type];
    // Staff roles by position: direction, vie scolaire, documentation, secretariat, then teachers.
    const roles = ['DIR'];
    if (s.staff >= 40) roles.push('DIR2');
    for (let e = Math.max(1, Math.round(s.students / 450)); e > 0; e--) roles.push('EDU');
    roles.push('DOC', 'SEC', 'GES');
    s.roles = roles;
    s.firstTeacher = Math.min(roles.length, s.staff);
    s.teachers = s.staff - s.firstTeacher;
  }
  return structures;
}

function weighted(rng, table) {
  let x = rng.next() * table.reduce((a, [, w]) => a + w, 0);
  for (const [value, w] of table) if ((x -= w) < 0) return value;
  return table[table.length - 1][0];
}

function findByStart(structures, index, start, count) {
  let lo = 0;
  let hi = structures.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (structures[mid][start] <= index) lo = mid; else hi = mid - 1;
  }
  while (lo < structures.length - 1 && structures[lo][count] === 0 && structures[lo][start] <= index) lo++;
  return structures[lo];
}

function randomDob(rng, age) {
  const late = rng.chance(0.08) ? 1 : 0;
  // Born between September (year - age - 1) and August (year - age).
  const month = rng.range(1, 12);
  const year = YEAR - age - late - (month >= 9 ? 1 : 0);
  const days = [31, year % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return date(rng.range(1, days), month, year);
}

const STUDENT_BASE = 10000000;
const GUARDIAN_BASE = 20000000;
const STAFF_BASE = 30000000;

// The families: each the same in every pass (its own PRNG state, consumed identically).
function* families(o, structures) {
  const rng = new Rng(mixSeed(o.seed, 2));
  const p = Math.max(1, o['guardians-per-student']);
  let student = 0;
  let guardian = 0;
  let cursor = 0;
  while (student < o.students) {
    const r = rng.next();
    const kids = Math.min(o.students - student, r < 0.8 ? 1 : r < 0.97 ? 2 : 3);
    const count = Math.floor(p) + (rng.next() < p - Math.floor(p) ? 1 : 0);
    while (cursor < structures.length - 1 && structures[cursor].studentStart + structures[cursor].students <= student) cursor++;
    const structure = structures[cursor];
    const sn = rng.pick(LAST);
    const guardians = [];
    for (let i = 0; i < count; i++) {
      let link = i === 0 ? (count === 1 ? weighted(rng, [[20, 0.66], [10, 0.24], [37, 0.06], [50, 0.04]]) : 10) : i === 1 ? 20 : 50;
      if (i === 0 && count > 1 && rng.chance(0.5)) link = 20;
      if (i === 1 && guardians[0].link === 20) link = 10;
      const legal = link === 50 || link === 90 ? 0 : i === 1 && rng.chance(0.03) ? 0 : 1;
      guardians.push({
        id: String(GUARDIAN_BASE + guardian + i + 1), link, fin: legal && i < 2 ? 1 : 0, legal, contact: 1,
        pay: i === 0 ? 1 : 0, sn: i > 0 && rng.chance(0.15) ? rng.pick(LAST) : sn,
      });
    }
    const [city, postal] = rng.chance(0.7) ? [structure.city, structure.postal] : rng.pick(CITIES[structure.dept]);
    yield {
      firstStudent: student, kids, sn, guardians, address: `${rng.range(1, 120)} ${rng.pick(STREETS)}`, city, postal,
    };
    student += kids;
    guardian += count;
  }
}

function linkValue(gd) { return `${gd.id}$${gd.link}$${gd.fin}$${gd.legal}$${gd.contact}$${gd.pay}`; }

function academyStudent(rng, structure, index, family) {
  const female = rng.chance(0.5);
  const level = rng.pick(structure.levels);
  const cls = rng.pick(level.classes)[0];
  const dob = randomDob(rng, level.age);
  const groups = level.groups.filter(() => rng.chance(0.35)).map(([code]) => `${structure.id}$${code}`);
  const given = rng.pick(female ? FIRST_F : FIRST_M);
  const withAddress = rng.chance(0.6);
  return [
    ['ENTPersonJointure', String(STUDENT_BASE + index + 1)], ['personalTitle', female ? 'Mme' : 'M.'], ['sn', family.sn],
    ['givenName', given], ['ENTPersonDateNaissance', dob], ['ENTPersonStructRattach', structure.id],
    ['ENTEleveClasses', `${structure.id}$${cls}`], ['ENTEleveGroupes', groups], ['ENTEleveMEF', level.mef],
    ['ENTEleveMajeur', majeur(dob)], ['ENTElevePersRelEleve', family.guardians.map(linkValue)],
    ['ENTPersonAdresse', withAddress ? family.address : undefined], ['ENTPersonCodePostal', withAddress ? family.postal : undefined],
    ['ENTPersonVille', withAddress ? family.city : undefined],
  ];
}

function academyGuardian(rng, gd, family, children) {
  const female = gd.link === 20 || (gd.link !== 10 && rng.chance(0.5));
  const given = rng.pick(female ? FIRST_F : FIRST_M);
  return [
    ['ENTPersonJointure', gd.id], ['personalTitle', female ? (rng.chance(0.02) ? 'MME' : 'Mme') : 'M.'], ['sn', gd.sn],
    ['givenName', given], ['ENTPersonAdresse', family.address], ['ENTPersonCodePostal', family.postal],
    ['ENTPersonVille', family.city], ['homePhone', rng.chance(0.4) ? phone(rng, rng.pick(['4', '9'])) : undefined],
    ['telephoneNumber', rng.chance(0.2) ? phone(rng, '4') : undefined], ['mobile', rng.chance(0.9) ? phone(rng, rng.pick(['6', '7'])) : undefined],
    ['mail', rng.chance(0.75) ? `${fold(given)}.${fold(gd.sn)}${rng.int(100)}@${rng.pick(['orange.fr', 'gmail.com', 'laposte.net', 'free.fr', 'sfr.fr'])}` : undefined],
    ['ENTAuxPersRelEleveEleve', children],
  ];
}

// The teaching of a teacher: subject, classes, groups, head of.
function teacherDuties(rng, s, t) {
  const subject = s.subjects[t % s.subjects.length];
  const classes = new Set();
  const n = Math.min(s.classes.length, rng.range(2, 6));
  while (classes.size < n) classes.add(rng.pick(s.classes)[0]);
  const heads = [];
  for (let c = t; c < s.classes.length; c += Math.max(1, s.teachers)) heads.push(s.classes[c][0]);
  for (const h of heads) classes.add(h);
  const groups = s.groups.filter((gr) => gr[2] === subject && rng.chance(0.6)).map(([code]) => `${s.id}$${code}$${subject}`);
  return { subject, classes: [...classes].map((c) => `${s.id}$${c}$${subject}`), groups, heads: heads.map((c) => `${s.id}$${c}`) };
}

const ROLE = {
  DIR: ['National_DIR', (s) => `${s.id}$DIR$DIRECTION$-$${s.type === 'CLG' ? 'PRINCIPAL' : 'PROVISEUR'}`],
  DIR2: ['National_DIR', (s) => `${s.id}$DIR$DIRECTION$-$${s.type === 'CLG' ? 'PRINCIPAL ADJOINT' : 'PROVISEUR ADJOINT'}`],
  EDU: ['National_EVS', (s) => `${s.id}$EDU$EDUCATION$-$CONSEILLER PRINCIPAL D'EDUCATION`],
  DOC: ['National_DOC', (s) => `${s.id}$DOC$DOCUMENTATION$L0100$DOCUMENTATION`],
  SEC: ['National_ETA', (s) => `${s.id}$ADF$ADMINISTRATION$-$SECRETARIAT`],
  GES: ['National_ETA', (s) => `${s.id}$ADF$ADMINISTRATION$-$GESTIONNAIRE`],
};

function academyStaff(rng, s, local) {
  const female = rng.chance(0.6);
  const given = rng.pick(female ? FIRST_F : FIRST_M);
  const sn = rng.pick(LAST);
  const id = String(STAFF_BASE + s.staffStart + local + 1);
  const attrs = [['ENTPersonJointure', id], ['personalTitle', female ? 'Mme' : 'M.'], ['sn', sn], ['givenName', given],
    ['mail', `${fold(given)}.${fold(sn)}${local}@ac-montpellier.fr`]];
  if (local < s.firstTeacher) {
    const [profile, fn] = ROLE[s.roles[local]];
    attrs.push(['ENTPersonProfils', profile], ['ENTPersonStructRattach', s.id], ['ENTPersonFonctions', fn(s)]);
    return { attrs, profile, duties: null };
  }
  const duties = teacherDuties(rng, s, local - s.firstTeacher);
  const [, discipline, label] = SUBJECTS[duties.subject];
  attrs.push(['ENTPersonProfils', 'National_ENS'], ['ENTPersonStructRattach', s.id],
    ['ENTPersonFonctions', `${s.id}$ENS$ENSEIGNEMENT$${discipline}$${label}`],
    ['ENTAuxEnsClassesMatieres', duties.classes], ['ENTAuxEnsGroupesMatieres', duties.groups],
    ['ENTAuxEnsClassesPrincipal', duties.heads]);
  return { attrs, profile: 'National_ENS', duties };
}

function generateAcademy(outDir, o) {
  const started = process.hrtime.bigint();
  const structures = buildStructures(o);
  const perFile = o['per-file'];
  const completDir = path.join(outDir, 'complet');
  prepareDir(completDir);
  const sinks = [];
  const sink = (dir, mode, kind) => { const k = new KindSink(dir, mode, kind, perFile); sinks.push(k); return k; };
  const totals = { student: 0, guardian: 0, teacher: 0, staff: 0, structures: structures.length, classes: 0, groups: 0,
    subjects: 0, mefs: 0, guardian_links: 0, teachings: 0, head_teachers: 0 };

  let out = sink(completDir, 'Complet', 'EtabEducNat');
  for (const s of structures) {
    out.add(s.id, [
      ['ENTStructureJointure', s.id], ['ENTStructureUAI', s.uai], ['ENTStructureNomCourant', s.name],
      ['ENTStructureTypeStruct', s.type], ['ENTServAcAcademie', 'MONTPELLIER'], ['ENTStructureRegion', 'OCCITANIE'],
      ['street', s.street], ['postalCode', s.postal], ['l', s.city],
      ['ENTStructureClasses', s.classes.map(([c, l]) => `${c}$${l}`)],
      ['ENTStructureGroupes', s.groups.map(([c, l]) => `${c}$${l}`)],
    ]);
    totals.classes += s.classes.length;
    totals.groups += s.groups.length;
  }
  out.close();
  out = sink(completDir, 'Complet', 'MatiereEducNat');
  for (const [code, [label]] of Object.entries(SUBJECTS)) {
    out.add(code, [['ENTMatJointure', code], ['ENTMatCode', code], ['ENTLibelleMatiere', label]]);
    totals.subjects++;
  }
  out.close();
  out = sink(completDir, 'Complet', 'MefEducNat');
  for (const [mef, label] of MEFS) {
    out.add(mef, [['ENTMEFJointure', mef], ['ENTLibelleMEF', label], ['ENTMEFSTAT11', mef]]);
    totals.mefs++;
  }
  out.close();

  // Students, then guardians: two passes over the same families.
  out = sink(completDir, 'Complet', 'Eleve');
  let rng = new Rng(mixSeed(o.seed, 3));
  let cursor = 0;
  for (const family of families(o, structures)) {
    for (let k = 0; k < family.kids; k++) {
      const index = family.firstStudent + k;
      while (cursor < structures.length - 1 && structures[cursor].studentStart + structures[cursor].students <= index) cursor++;
      out.add(String(STUDENT_BASE + index + 1), academyStudent(rng, structures[cursor], index, family));
      totals.student++;
      totals.guardian_links += family.guardians.length;
    }
  }
  out.close();
  out = sink(completDir, 'Complet', 'PersRelEleve');
  rng = new Rng(mixSeed(o.seed, 4));
  for (const family of families(o, structures)) {
    const children = [];
    for (let k = 0; k < family.kids; k++) children.push(String(STUDENT_BASE + family.firstStudent + k + 1));
    for (const gd of family.guardians) {
      out.add(gd.id, academyGuardian(rng, gd, family, children));
      totals.guardian++;
    }
  }
  out.close();
  out = sink(completDir, 'Complet', 'PersEducNat');
  rng = new Rng(mixSeed(o.seed, 5));
  for (const s of structures) {
    for (let local = 0; local < s.staff; local++) {
      const { attrs, profile, duties } = academyStaff(rng, s, local);
      out.add(attrs[0][1], attrs);
      totals[PROFILE_OF[profile]]++;
      if (duties) {
        totals.teachings += duties.classes.length + duties.groups.length;
        totals.head_teachers += duties.heads.length;
      }
    }
  }
  out.close();

  let delta = null;
  if (o.delta === 0 && fs.existsSync(path.join(outDir, 'delta'))) prepareDir(path.join(outDir, 'delta'));
  if (o.delta > 0) delta = writeAcademyDelta(path.join(outDir, 'delta'), o, structures, totals.guardian, sink);

  const summary = { format: 'cartable-aaf-academy/1', options: o, complet: {}, delta: delta ? {} : null, created: totals,
    delta_changes: delta };
  let bytes = 0;
  let records = 0;
  for (const k of sinks) {
    const target = k.mode === 'Complet' ? summary.complet : summary.delta;
    for (const f of k.files) {
      target[f.name] = { kind: k.kind, ...f.counts, bytes: f.bytes };
      bytes += f.bytes;
      records += f.records;
    }
  }
  fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  const files = sinks.reduce((n, k) => n + k.files.length, 0);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`aaf academy: ${files} files, ${records} records, ${bytes} bytes (${(bytes / 1048576).toFixed(1)} Mio), `
    + `${seconds.toFixed(1)} s -> ${outDir} (${o.structures} structures, ${totals.student} students, `
    + `${totals.guardian} guardians, ${totals.teacher + totals.staff} staff, ${o.delta} delta changes)`);
}

// N changes: adds, replaces and deletes of students, guardians and staff, each person touched at most once.
function writeAcademyDelta(dir, o, structures, guardianCount, sink) {
  prepareDir(dir);
  const rng = new Rng(mixSeed(o.seed, 6));
  const eleve = sink(dir, 'Delta', 'Eleve');
  const rel = sink(dir, 'Delta', 'PersRelEleve');
  const pers = sink(dir, 'Delta', 'PersEducNat');
  const touched = new Set();
  const changes = { add: {}, replace: {}, delete: {} };
  const count = (op, kind) => { changes[op][kind] = (changes[op][kind] ?? 0) + 1; };
  const pickFresh = (n, base) => {
    if (n === 0) return null;
    for (let tries = 0; tries < 50; tries++) {
      const id = String(base + rng.int(n) + 1);
      if (!touched.has(id)) { touched.add(id); return id; }
    }
    return null;
  };
  const structureOfStudent = (id) => findByStart(structures, Number(id) - STUDENT_BASE - 1, 'studentStart', 'students');
  let nextStudent = o.students;
  let nextGuardian = guardianCount;
  let written = 0;
  while (written < o.delta) {
    const kind = weighted(rng, [['Eleve', 0.6], ['PersRelEleve', 0.25], ['PersEducNat', 0.15]]);
    let op = weighted(rng, [['add', 0.15], ['replace', 0.7], ['delete', 0.15]]);
    if (kind === 'Eleve' && op === 'add') {
      const s = rng.pick(structures);
      const level = rng.pick(s.levels);
      const id = String(STUDENT_BASE + ++nextStudent);
      // With a new guardian when there is room for its record; else linked to an existing one (90: autre).
      const withNewGuardian = written + 2 <= o.delta;
      const gd = withNewGuardian
        ? { id: String(GUARDIAN_BASE + ++nextGuardian), link: rng.chance(0.6) ? 20 : 10, fin: 1, legal: 1, contact: 1, pay: 1 }
        : guardianCount > 0
          ? { id: String(GUARDIAN_BASE + rng.int(guardianCount) + 1), link: 90, fin: 0, legal: 0, contact: 1, pay: 0 }
          : null;
      const female = rng.chance(0.5);
      const sn = rng.pick(LAST);
      const dob = randomDob(rng, level.age);
      eleve.add(id, [
        ['ENTPersonJointure', id], ['personalTitle', female ? 'Mme' : 'M.'], ['sn', sn],
        ['givenName', rng.pick(female ? FIRST_F : FIRST_M)], ['ENTPersonDateNaissance', dob],
        ['ENTPersonStructRattach', s.id], ['ENTEleveClasses', `${s.id}$${rng.pick(level.classes)[0]}`],
        ['ENTEleveMEF', level.mef], ['ENTEleveMajeur', majeur(dob)], ['ENTElevePersRelEleve', gd ? linkValue(gd) : undefined],
      ]);
      count('add', 'Eleve');
      written++;
      if (withNewGuardian) {
        const given = rng.pick(gd.link === 20 ? FIRST_F : FIRST_M);
        rel.add(gd.id, [
          ['ENTPersonJointure', gd.id], ['personalTitle', gd.link === 20 ? 'Mme' : 'M.'], ['sn', sn], ['givenName', given],
          ['ENTPersonAdresse', `${rng.range(1, 120)} ${rng.pick(STREETS)}`], ['ENTPersonCodePostal', s.postal],
          ['ENTPersonVille', s.city], ['mobile', phone(rng, '6')], ['ENTAuxPersRelEleveEleve', id],
        ]);
        count('add', 'PersRelEleve');
        written++;
      }
      continue;
    }
    if (op === 'add') op = 'replace'; // new guardians come with new students; new staff are rare: replace instead
    if (kind === 'Eleve') {
      const id = pickFresh(o.students, STUDENT_BASE);
      if (!id) break;
      if (op === 'delete') eleve.remove(id);
      else {
        const s = structureOfStudent(id);
        const what = rng.next();
        if (what < 0.5) eleve.modify(id, [['ENTEleveClasses', [`${s.id}$${rng.pick(s.classes)[0]}`]]]);
        else if (what < 0.8) {
          const groups = s.groups.filter(() => rng.chance(0.3)).map(([code]) => `${s.id}$${code}`);
          eleve.modify(id, [['ENTEleveGroupes', groups]]);
        } else {
          eleve.modify(id, [['ENTPersonAdresse', [`${rng.range(1, 120)} ${rng.pick(STREETS)}`]],
            ['ENTPersonCodePostal', [s.postal]], ['ENTPersonVille', [s.city]]]);
        }
      }
    } else if (kind === 'PersRelEleve') {
      const id = pickFresh(guardianCount, GUARDIAN_BASE);
      if (!id) break;
      if (op === 'delete') rel.remove(id);
      else {
        const what = rng.next();
        if (what < 0.5) rel.modify(id, [['mobile', [phone(rng, rng.pick(['6', '7']))]]]);
        else if (what < 0.8) rel.modify(id, [['mail', rng.chance(0.9) ? [`${fold(rng.pick(FIRST_F))}.${rng.int(10000)}@orange.fr`] : []]]);
        else rel.modify(id, [['homePhone', [phone(rng, '4')]], ['ENTPersonAdresse', [`${rng.range(1, 120)} ${rng.pick(STREETS)}`]]]);
      }
    } else {
      const id = pickFresh(o.staff, STAFF_BASE);
      if (!id) break;
      if (op === 'delete') pers.remove(id);
      else {
        const index = Number(id) - STAFF_BASE - 1;
        const s = findByStart(structures, index, 'staffStart', 'staff');
        const local = index - s.staffStart;
        if (local >= s.firstTeacher) {
          const duties = teacherDuties(rng, s, local - s.firstTeacher);
          pers.modify(id, [['ENTAuxEnsClassesMatieres', duties.classes]]);
        } else {
          pers.modify(id, [['mail', [`${fold(rng.pick(FIRST_M))}.${rng.int(10000)}@ac-montpellier.fr`]]]);
        }
      }
    }
    count(op, kind);
    written++;
  }
  for (const k of [eleve, rel, pers]) k.close();
  return changes;
}

// ---------------------------------------------------------------------------

function usage() {
  console.error('Usage :\n  node tools/aaf/generate.mjs sample DOSSIER\n'
    + '  node tools/aaf/generate.mjs academy DOSSIER [--structures 400] [--students 300000] '
    + '[--guardians-per-student 1.5] [--staff 30000] [--delta 10000] [--seed 42] [--per-file 50000]');
  process.exit(2);
}

const [mode, outDir, ...rest] = process.argv.slice(2);
if (!outDir || outDir.startsWith('--')) usage();
try {
  if (mode === 'sample' && rest.length === 0) generateSample(outDir);
  else if (mode === 'academy') generateAcademy(outDir, parseOptions(rest));
  else usage();
} catch (error) {
  console.error(`aaf: ${error.message}`);
  process.exit(1);
}
