// SPDX-License-Identifier: AGPL-3.0-or-later
// The timetable's reads: slots, the week's letter, lessons with their
// changes applied.
#include "core/db/id_lists.h"
#include "core/db/row.h"
#include "core/identity/tokens.h"
#include "core/school_time.h"
#include "services/timetable/timetable_internal.h"
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace cartable::timetable {

using db::id_list;

namespace {

using db::integer_at;

constexpr char const* SLOT_COLUMNS
    = "s.id, s.structure_id, s.class_id, c.name, c.kind, s.subject_id, sub.label, COALESCE(s.teacher_id, 0), "
      "COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), s.weekday, s.start_minute, s.end_minute, s.week, "
      "s.room, s.valid_from, s.valid_until "
      "FROM timetable_slot s JOIN identity_class c ON c.id = s.class_id "
      "JOIN identity_subject sub ON sub.id = s.subject_id LEFT JOIN identity_user u ON u.id = s.teacher_id ";

Slot slot_of(soci::row const& row)
{
    Slot slot;
    slot.id = integer_at(row, 0);
    slot.structure_id = integer_at(row, 1);
    slot.class_id = integer_at(row, 2);
    slot.class_name = row.get<std::string>(3);
    slot.class_kind = row.get<std::string>(4);
    slot.subject_id = integer_at(row, 5);
    slot.subject_label = row.get<std::string>(6);
    slot.teacher_id = integer_at(row, 7);
    auto first = row.get<std::string>(8);
    auto last = row.get<std::string>(9);
    if (slot.teacher_id != 0)
        slot.teacher_name = first + " " + last;
    slot.weekday = static_cast<int>(integer_at(row, 10));
    slot.start_minute = integer_at(row, 11);
    slot.end_minute = integer_at(row, 12);
    slot.week = row.get<std::string>(13);
    slot.room = row.get<std::string>(14);
    slot.valid_from = integer_at(row, 15);
    slot.valid_until = integer_at(row, 16);
    return slot;
}

struct Change {
    long long slot_id { 0 };
    long long day { 0 };
    bool cancelled { false };
    long long new_day { 0 };
    long long new_start { 0 };
    long long new_end { 0 };
    std::string new_room;
    long long replacement_id { 0 };
    std::string replacement_name;
    std::string note;
};

constexpr char const* CHANGE_COLUMNS
    = "ch.slot_id, ch.day, ch.cancelled, ch.new_day, ch.new_start, ch.new_end, ch.new_room, "
      "COALESCE(ch.replacement_teacher_id, 0), COALESCE(r.first_name, ''), COALESCE(r.last_name, ''), ch.note "
      "FROM timetable_change ch LEFT JOIN identity_user r ON r.id = ch.replacement_teacher_id ";

Change change_of(soci::row const& row)
{
    Change change;
    change.slot_id = integer_at(row, 0);
    change.day = integer_at(row, 1);
    change.cancelled = integer_at(row, 2) != 0;
    change.new_day = integer_at(row, 3);
    change.new_start = integer_at(row, 4);
    change.new_end = integer_at(row, 5);
    change.new_room = row.get<std::string>(6);
    change.replacement_id = integer_at(row, 7);
    if (change.replacement_id != 0)
        change.replacement_name = row.get<std::string>(8) + " " + row.get<std::string>(9);
    change.note = row.get<std::string>(10);
    return change;
}

long long week_a_monday(soci::session& session, long long structure_id)
{
    long long monday = 4; // 1970-01-05
    soci::indicator indicator = soci::i_ok;
    session << "SELECT week_a_monday FROM timetable_setting WHERE structure_id = :structure",
        soci::into(monday, indicator), soci::use(structure_id);
    return session.got_data() && indicator == soci::i_ok ? monday : 4;
}

char letter_for(long long monday_of_a, long long day)
{
    auto const weeks = school_time::floor_div(day - monday_of_a, 7);
    return school_time::floor_div(weeks, 2) * 2 == weeks ? 'A' : 'B';
}

bool slot_meets(Slot const& slot, long long day, long long monday_of_a)
{
    if (school_time::weekday(day) != slot.weekday)
        return false;
    if (slot.valid_from != 0 && day < slot.valid_from)
        return false;
    if (slot.valid_until != 0 && day > slot.valid_until)
        return false;
    return slot.week.empty() || slot.week[0] == letter_for(monday_of_a, day);
}

Lesson lesson_of(Slot const& slot, long long day, Change const* change)
{
    Lesson lesson;
    lesson.slot_id = slot.id;
    lesson.slot_day = day;
    lesson.day = day;
    lesson.start_minute = slot.start_minute;
    lesson.end_minute = slot.end_minute;
    lesson.structure_id = slot.structure_id;
    lesson.class_id = slot.class_id;
    lesson.class_name = slot.class_name;
    lesson.subject_id = slot.subject_id;
    lesson.subject_label = slot.subject_label;
    lesson.teacher_id = slot.teacher_id;
    lesson.teacher_name = slot.teacher_name;
    lesson.usual_teacher_id = slot.teacher_id;
    lesson.room = slot.room;
    lesson.week = slot.week;
    if (change == nullptr)
        return lesson;
    lesson.note = change->note;
    if (!change->new_room.empty() && change->new_room != slot.room) {
        lesson.room = change->new_room;
        lesson.room_changed = true;
    }
    if (change->replacement_id != 0) {
        lesson.teacher_id = change->replacement_id;
        lesson.teacher_name = change->replacement_name;
        lesson.status = LessonStatus::Replaced;
    }
    if (change->new_day != 0) {
        lesson.day = change->new_day;
        lesson.start_minute = change->new_start;
        lesson.end_minute = change->new_end;
        lesson.status = LessonStatus::Moved;
    }
    if (change->cancelled)
        lesson.status = LessonStatus::Cancelled;
    return lesson;
}

// The lessons of these slots in [from_day, to_day), changes applied,
// including lessons of the slots moved into the range from elsewhere.
std::vector<Lesson> expand(soci::session& session, std::vector<Slot> const& slots, long long from_day, long long to_day)
{
    std::vector<Lesson> lessons;
    if (slots.empty() || to_day <= from_day)
        return lessons;
    std::map<long long, Slot const*> by_id;
    std::vector<long long> ids;
    for (auto const& slot : slots) {
        by_id[slot.id] = &slot;
        ids.push_back(slot.id);
    }
    // The changes of these slots' lessons dated in the range or moved into it.
    std::map<std::pair<long long, long long>, Change> changes;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT " << CHANGE_COLUMNS << "WHERE ch.slot_id IN (" << id_list(ids)
                           << ") AND ((ch.day >= :from AND ch.day < :to) OR (ch.new_day >= "
                              ":from2 AND ch.new_day < :to2))",
            soci::use(from_day), soci::use(to_day), soci::use(from_day), soci::use(to_day));
    for (auto const& row : rows) {
        auto change = change_of(row);
        changes[{ change.slot_id, change.day }] = change;
    }
    std::map<long long, long long> mondays; // by structure
    for (auto const& slot : slots) {
        if (!mondays.contains(slot.structure_id))
            mondays[slot.structure_id] = week_a_monday(session, slot.structure_id);
    }
    for (auto day = from_day; day < to_day; ++day) {
        for (auto const& slot : slots) {
            if (!slot_meets(slot, day, mondays[slot.structure_id]))
                continue;
            auto found = changes.find({ slot.id, day });
            auto lesson = lesson_of(slot, day, found == changes.end() ? nullptr : &found->second);
            if (lesson.day >= from_day && lesson.day < to_day)
                lessons.push_back(std::move(lesson));
        }
    }
    // Lessons moved into the range from a date outside it.
    for (auto const& [key, change] : changes) {
        if (key.second >= from_day && key.second < to_day)
            continue;
        auto const& slot = *by_id.at(key.first);
        if (!slot_meets(slot, key.second, mondays[slot.structure_id]))
            continue;
        lessons.push_back(lesson_of(slot, key.second, &change));
    }
    std::sort(lessons.begin(), lessons.end(), [](Lesson const& a, Lesson const& b) {
        return std::tie(a.day, a.start_minute, a.class_name, a.slot_id)
            < std::tie(b.day, b.start_minute, b.class_name, b.slot_id);
    });
    return lessons;
}

std::vector<Slot> slots_where(soci::session& session, std::string const& condition, long long value)
{
    std::vector<Slot> slots;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT " << SLOT_COLUMNS << "WHERE " << condition, soci::use(value));
    for (auto const& row : rows)
        slots.push_back(slot_of(row));
    return slots;
}

} // namespace

char week_letter(soci::session& session, long long structure_id, long long day)
{
    return letter_for(week_a_monday(session, structure_id), day);
}

std::optional<Slot> slot_by_id(soci::session& session, long long slot_id)
{
    auto slots = slots_where(session, "s.id = :id", slot_id);
    if (slots.empty())
        return std::nullopt;
    return slots.front();
}

std::vector<Lesson> lessons_of_classes(
    soci::session& session, std::vector<long long> const& class_ids, long long from_day, long long to_day)
{
    if (class_ids.empty())
        return {};
    std::vector<Slot> slots;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT " << SLOT_COLUMNS << "WHERE s.class_id IN (" << id_list(class_ids) << ")");
    for (auto const& row : rows)
        slots.push_back(slot_of(row));
    return expand(session, slots, from_day, to_day);
}

std::vector<Lesson> lessons_of_teacher(
    soci::session& session, long long teacher_id, long long from_day, long long to_day)
{
    // His slots, and the slots he replaces in within the range.
    std::vector<Slot> slots;
    soci::rowset<soci::row> rows = (session.prepare << "SELECT " << SLOT_COLUMNS
                                                    << "WHERE s.teacher_id = :teacher OR s.id IN (SELECT slot_id FROM "
                                                       "timetable_change WHERE replacement_teacher_id = :replacing)",
        soci::use(teacher_id), soci::use(teacher_id));
    for (auto const& row : rows)
        slots.push_back(slot_of(row));
    auto lessons = expand(session, slots, from_day, to_day);
    // Keep his own lessons (replaced ones too, so he sees them) and those he replaces in.
    std::erase_if(lessons,
        [&](Lesson const& lesson) { return lesson.usual_teacher_id != teacher_id && lesson.teacher_id != teacher_id; });
    return lessons;
}

std::optional<Lesson> lesson(soci::session& session, long long slot_id, long long slot_day)
{
    auto slot = slot_by_id(session, slot_id);
    if (!slot || !slot_meets(*slot, slot_day, week_a_monday(session, slot->structure_id)))
        return std::nullopt;
    std::optional<Change> change;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT " << CHANGE_COLUMNS << "WHERE ch.slot_id = :slot AND ch.day = :day",
            soci::use(slot_id), soci::use(slot_day));
    for (auto const& row : rows)
        change = change_of(row);
    return lesson_of(*slot, slot_day, change ? &*change : nullptr);
}

long long integer_of(soci::row const& row, std::size_t index)
{
    return integer_at(row, index);
}

std::vector<Slot> slots_of_class(soci::session& session, long long class_id)
{
    auto slots = slots_where(session, "s.class_id = :class ORDER BY s.weekday, s.start_minute, s.id", class_id);
    return slots;
}

std::vector<Slot> slots_of_structure(soci::session& session, long long structure_id)
{
    return slots_where(session, "s.structure_id = :structure ORDER BY s.weekday, s.start_minute, s.id", structure_id);
}

std::string slot_when(Slot const& slot)
{
    return school_time::weekday_name(slot.weekday) + " de " + school_time::clock(slot.start_minute) + " à "
        + school_time::clock(slot.end_minute);
}

namespace {

bool weeks_meet(std::string const& one, std::string const& other)
{
    return one.empty() || other.empty() || one == other;
}

bool periods_meet(Slot const& one, Slot const& other)
{
    auto const one_end = one.valid_until == 0 ? (1LL << 40) : one.valid_until;
    auto const other_end = other.valid_until == 0 ? (1LL << 40) : other.valid_until;
    return one.valid_from <= other_end && other.valid_from <= one_end;
}

std::string upper_ascii(std::string text)
{
    for (auto& c : text)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

} // namespace

std::optional<std::string> slot_refusal_among(Slot const& slot, std::vector<Slot> const& others)
{
    if (slot.end_minute <= slot.start_minute)
        return std::string("L'heure de fin doit être après l'heure de début.");
    for (auto const& other : others) {
        if (other.id != 0 && other.id == slot.id)
            continue;
        if (other.weekday != slot.weekday || other.start_minute >= slot.end_minute
            || slot.start_minute >= other.end_minute || !weeks_meet(slot.week, other.week)
            || !periods_meet(slot, other))
            continue;
        auto const when = slot_when(other);
        if (other.class_id == slot.class_id)
            return other.class_name + " a déjà cours le " + when + " (" + other.subject_label + ").";
        if (slot.teacher_id != 0 && other.teacher_id == slot.teacher_id)
            return other.teacher_name + " enseigne déjà le " + when + " (" + other.class_name + ").";
        if (!slot.room.empty() && other.structure_id == slot.structure_id
            && upper_ascii(other.room) == upper_ascii(slot.room))
            return "La salle " + other.room + " est déjà occupée le " + when + " (" + other.class_name + ").";
    }
    return std::nullopt;
}

std::optional<std::string> change_refusal(soci::session& session, Slot const& slot, ChangeInput const& change)
{
    if (change.cancelled)
        return std::nullopt;
    bool const moved = change.new_day != 0;
    auto const day = moved ? change.new_day : change.day;
    auto const start = moved ? change.new_start : slot.start_minute;
    auto const end = moved ? change.new_end : slot.end_minute;
    auto const teacher = change.replacement_id != 0 ? change.replacement_id : slot.teacher_id;
    auto const room = change.new_room.empty() ? slot.room : change.new_room;
    std::vector<long long> classes;
    for (auto const& [id, name] : classes_of_structure(session, slot.structure_id))
        classes.push_back(id);
    for (auto const& other : lessons_of_classes(session, classes, day, day + 1)) {
        if ((other.slot_id == slot.id && other.slot_day == change.day) || other.status == LessonStatus::Cancelled
            || other.day != day || other.start_minute >= end || start >= other.end_minute)
            continue;
        auto const when = school_time::long_day(day) + " de " + school_time::clock(other.start_minute) + " à "
            + school_time::clock(other.end_minute);
        if (other.class_id == slot.class_id)
            return other.class_name + " a déjà cours le " + when + " (" + other.subject_label + ").";
        if (teacher != 0 && other.teacher_id == teacher)
            return other.teacher_name + " enseigne déjà le " + when + " (" + other.class_name + ").";
        if (!room.empty() && upper_ascii(other.room) == upper_ascii(room))
            return "La salle " + other.room + " est déjà occupée le " + when + " (" + other.class_name + ").";
    }
    return std::nullopt;
}

std::optional<std::string> slot_refusal(soci::session& session, Slot const& slot, long long ignored_slot)
{
    auto others = slots_of_structure(session, slot.structure_id);
    std::erase_if(others, [&](Slot const& other) { return other.id == ignored_slot; });
    return slot_refusal_among(slot, others);
}

long long insert_slot(soci::session& session, Slot const& slot, long long now)
{
    long long const weekday = slot.weekday;
    soci::indicator teacher_indicator = slot.teacher_id == 0 ? soci::i_null : soci::i_ok;
    long long id = 0;
    session << "INSERT INTO timetable_slot (structure_id, class_id, subject_id, teacher_id, weekday, start_minute, "
               "end_minute, week, room, valid_from, valid_until, created_at) VALUES (:structure, :class, :subject, "
               ":teacher, :weekday, :start, :end, :week, :room, :from, :until, :now) RETURNING id",
        soci::use(slot.structure_id), soci::use(slot.class_id), soci::use(slot.subject_id),
        soci::use(slot.teacher_id, teacher_indicator), soci::use(weekday), soci::use(slot.start_minute),
        soci::use(slot.end_minute), soci::use(slot.week), soci::use(slot.room), soci::use(slot.valid_from),
        soci::use(slot.valid_until), soci::use(now), soci::into(id);
    return id;
}

void update_slot(soci::session& session, Slot const& slot)
{
    long long const weekday = slot.weekday;
    soci::indicator teacher_indicator = slot.teacher_id == 0 ? soci::i_null : soci::i_ok;
    session << "UPDATE timetable_slot SET class_id = :class, subject_id = :subject, teacher_id = :teacher, weekday = "
               ":weekday, start_minute = :start, end_minute = :end, week = :week, room = :room, valid_from = :from, "
               "valid_until = :until WHERE id = :id",
        soci::use(slot.class_id), soci::use(slot.subject_id), soci::use(slot.teacher_id, teacher_indicator),
        soci::use(weekday), soci::use(slot.start_minute), soci::use(slot.end_minute), soci::use(slot.week),
        soci::use(slot.room), soci::use(slot.valid_from), soci::use(slot.valid_until), soci::use(slot.id);
}

void delete_slot(soci::session& session, long long slot_id)
{
    session << "DELETE FROM timetable_change WHERE slot_id = :slot", soci::use(slot_id);
    session << "DELETE FROM timetable_slot WHERE id = :slot", soci::use(slot_id);
}

long long week_a_monday_of(soci::session& session, long long structure_id)
{
    return week_a_monday(session, structure_id);
}

void set_week_a_monday(soci::session& session, long long structure_id, long long monday)
{
    session << "DELETE FROM timetable_setting WHERE structure_id = :structure", soci::use(structure_id);
    session << "INSERT INTO timetable_setting (structure_id, week_a_monday) VALUES (:structure, :monday)",
        soci::use(structure_id), soci::use(monday);
}

void save_change(soci::session& session, ChangeInput const& change, long long author_id, long long now)
{
    delete_change(session, change.slot_id, change.day);
    long long const cancelled = change.cancelled ? 1 : 0;
    soci::indicator replacement_indicator = change.replacement_id == 0 ? soci::i_null : soci::i_ok;
    soci::indicator author_indicator = author_id == 0 ? soci::i_null : soci::i_ok;
    session << "INSERT INTO timetable_change (slot_id, day, cancelled, new_day, new_start, new_end, new_room, "
               "replacement_teacher_id, note, author_id, created_at) VALUES (:slot, :day, :cancelled, :new_day, "
               ":new_start, :new_end, :new_room, :replacement, :note, :author, :now)",
        soci::use(change.slot_id), soci::use(change.day), soci::use(cancelled), soci::use(change.new_day),
        soci::use(change.new_start), soci::use(change.new_end), soci::use(change.new_room),
        soci::use(change.replacement_id, replacement_indicator), soci::use(change.note),
        soci::use(author_id, author_indicator), soci::use(now);
}

void delete_change(soci::session& session, long long slot_id, long long day)
{
    session << "DELETE FROM timetable_change WHERE slot_id = :slot AND day = :day", soci::use(slot_id), soci::use(day);
}

std::string renew_feed_token(soci::session& session, long long user_id, long long now)
{
    auto token = identity::random_token();
    auto digest = identity::token_digest(token);
    session << "DELETE FROM timetable_feed WHERE user_id = :person", soci::use(user_id);
    session << "INSERT INTO timetable_feed (user_id, token_digest, created_at) VALUES (:person, :digest, :now)",
        soci::use(user_id), soci::use(digest), soci::use(now);
    return token;
}

std::optional<long long> feed_created_at(soci::session& session, long long user_id)
{
    long long created = 0;
    session << "SELECT created_at FROM timetable_feed WHERE user_id = :person", soci::into(created), soci::use(user_id);
    if (!session.got_data())
        return std::nullopt;
    return created;
}

std::optional<long long> feed_owner(soci::session& session, std::string const& token)
{
    auto digest = identity::token_digest(token);
    long long owner = 0;
    session << "SELECT user_id FROM timetable_feed WHERE token_digest = :digest", soci::into(owner), soci::use(digest);
    if (!session.got_data())
        return std::nullopt;
    return owner;
}

namespace {

std::vector<std::pair<long long, std::string>> pairs_of(soci::rowset<soci::row> const& rows)
{
    std::vector<std::pair<long long, std::string>> pairs;
    for (auto const& row : rows)
        pairs.emplace_back(integer_at(row, 0), row.get<std::string>(1));
    return pairs;
}

} // namespace

std::vector<std::pair<long long, std::string>> teachers_of(soci::session& session, long long structure_id)
{
    std::vector<std::pair<long long, std::string>> teachers;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT id, first_name, last_name FROM identity_user WHERE structure_id = :structure "
                              "AND profile = 'teacher' AND active = 1 ORDER BY last_name, first_name, id",
            soci::use(structure_id));
    for (auto const& row : rows) {
        auto name = row.get<std::string>(1);
        name += ' ';
        name += row.get<std::string>(2);
        teachers.emplace_back(integer_at(row, 0), std::move(name));
    }
    return teachers;
}

std::vector<std::pair<long long, std::string>> subjects_of(soci::session& session, long long structure_id)
{
    return pairs_of((session.prepare << "SELECT id, label FROM identity_subject WHERE structure_id = :structure "
                                        "ORDER BY label, id",
        soci::use(structure_id)));
}

std::vector<std::pair<long long, std::string>> classes_of_structure(soci::session& session, long long structure_id)
{
    return pairs_of((session.prepare << "SELECT id, name FROM identity_class WHERE structure_id = :structure ORDER "
                                        "BY kind, name, id",
        soci::use(structure_id)));
}

} // namespace cartable::timetable
