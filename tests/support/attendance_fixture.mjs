// The vie scolaire's browser tests: a TPRO lesson of Samuel BEAUMONT under
// way now, whatever the day and hour the tests run (a change of the
// timetable moves the Monday 08:00 lesson of a week ahead to today).
import { schoolToday, sql } from './lesson_book_fixture.mjs';

// Minutes since midnight in the school's time zone.
function schoolMinute() {
  const text = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date());
  const [hours, minutes] = text.split(':').map(Number);
  return hours * 60 + minutes;
}

export function tproLessonNow(dataDir) {
  const today = schoolToday();
  const monday = today - ((new Date(today * 86_400_000).getUTCDay() + 6) % 7) + 56;
  const start = Math.max(0, schoolMinute() - 150);
  const end = Math.min(1440, start + 210);
  const slot = sql(dataDir, "SELECT s.id FROM timetable_slot s JOIN identity_class c ON c.id = s.class_id "
    + "WHERE c.name = 'TPRO' AND s.weekday = 0 AND s.start_minute = 480;");
  sql(dataDir, `INSERT INTO timetable_change (slot_id, day, new_day, new_start, new_end, note, created_at) `
    + `VALUES (${slot}, ${monday}, ${today}, ${start}, ${end}, 'Cours déplacé', 0);`);
  return { slot, slotDay: monday };
}
