// Lesson-book rows for the families' browser and HTTP tests, written with
// the sqlite3 command-line tool into the test server's database, in place
// of the demo's (the teachers' pages are tested in lesson_book_teacher.test.mjs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

// Today in the school's calendar (Europe/Paris), as days since 1970-01-01.
export function schoolToday() {
  const text = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const [year, month, day] = text.split('-').map(Number);
  return Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
}

export function isoDay(days) {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

// Runs SQL on the test server's SQLite database; its output, trimmed.
export function sql(dataDir, statements) {
  const run = spawnSync('sqlite3', [path.join(dataDir, 'cartable.sqlite3')], { input: statements, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sqlite3: ${run.stderr}`);
  return run.stdout.trim();
}

const quote = (text) => `'${String(text).replaceAll("'", "''")}'`;

// A séance today 08:00–09:00 and a homework due tomorrow in TPRO
// (ÉCONOMIE-GESTION), a homework due tomorrow in T STMG, and a planned one
// (published in three days). Returns their ids.
export function seedLessonBook(dataDir) {
  const today = schoolToday();
  const now = Math.floor(Date.now() / 1000);
  const klass = (name) => `(SELECT id FROM identity_class WHERE name = ${quote(name)})`;
  const subject = (label) => `(SELECT id FROM identity_subject WHERE label = ${quote(label)})`;
  const teacher = (login) => `(SELECT id FROM identity_user WHERE login = ${quote(login)})`;
  const structure = `(SELECT structure_id FROM identity_class WHERE name = 'TPRO')`;
  const homework = (className, label, login, due, text, publishAt) =>
    `INSERT INTO lesson_book_homework (structure_id, class_id, subject_id, author_id, given_day, due_day, description, `
    + `estimated_minutes, hand_in_online, publish_at, created_at, updated_at) VALUES (${structure}, ${klass(className)}, `
    + `${subject(label)}, ${teacher(login)}, ${today}, ${due}, ${quote(text)}, 30, 0, ${publishAt}, ${now}, ${now}) RETURNING id;\n`;
  // The demo's lesson book makes way for these rows (the tests count them).
  const out = sql(dataDir,
    'PRAGMA foreign_keys = ON;\nDELETE FROM lesson_book_homework;\nDELETE FROM lesson_book_session;\n'
    + `INSERT INTO lesson_book_session (structure_id, class_id, subject_id, author_id, day, start_minute, end_minute, title, `
    + `content, publish_at, created_at, updated_at) VALUES (${structure}, ${klass('TPRO')}, ${subject('ÉCONOMIE-GESTION')}, `
    + `${teacher('samuel.beaumont')}, ${today}, 480, 540, 'La relation client', '<p>Cours sur la fidélisation de la clientèle</p>', 0, ${now}, ${now}) RETURNING id;\n`
    + homework('TPRO', 'ÉCONOMIE-GESTION', 'samuel.beaumont', today + 1,
      '<p>Lire le dossier 4 sur la relation client et répondre aux questions 1 à 5</p>', 0)
    + homework('T STMG', 'ÉCONOMIE-GESTION', 'samuel.beaumont', today + 1, '<p>Étude de cas Décathlon : la stratégie omnicanale</p>', 0)
    + homework('TPRO', 'MATHÉMATIQUES', 'marie.delmas', today + 2, '<p>Exercices planifiés secrets</p>', now + 3 * 86_400));
  const [seance, tpro, stmg, planned] = out.split('\n').map(Number);
  return { today, seance, tpro, stmg, planned };
}
