// SPDX-License-Identifier: AGPL-3.0-or-later
// The families' reads: a student's book for a period, his personal notes,
// the files of séances and homework, and the small texts of dates.
#include "core/config/config.h"
#include "core/db/id_lists.h"
#include "core/school_time.h"
#include "core/text.h"
#include "services/lesson_book/lesson_book_family_internal.h"
#include <algorithm>

namespace cartable::lesson_book::family {

using db::id_list;

namespace {

PersonalNote note_of(soci::row const& row)
{
    PersonalNote note;
    note.id = integer_at(row, 0);
    note.student_id = integer_at(row, 1);
    note.day = integer_at(row, 2);
    note.subject = row.get<std::string>(3);
    note.text = row.get<std::string>(4);
    note.done = integer_at(row, 5) != 0;
    return note;
}

FileOf file_of(soci::row const& row)
{
    FileOf file;
    file.id = integer_at(row, 0);
    file.seance_id = integer_at(row, 1);
    file.homework_id = integer_at(row, 2);
    file.name = row.get<std::string>(3);
    file.stored_name = row.get<std::string>(4);
    file.size = integer_at(row, 5);
    file.content_type = row.get<std::string>(6);
    return file;
}

constexpr char const* NOTE_COLUMNS = "SELECT id, student_id, day, subject, text, done FROM lesson_book_personal ";
constexpr char const* FILE_COLUMNS = "SELECT id, COALESCE(session_id, 0), COALESCE(homework_id, 0), name, "
                                     "stored_name, size, content_type FROM lesson_book_attachment ";

} // namespace

std::vector<PersonalNote> personal_notes(
    soci::session& session, long long student_id, long long from_day, long long to_day)
{
    std::vector<PersonalNote> notes;
    soci::rowset<soci::row> rows = (session.prepare << NOTE_COLUMNS
                                                    << "WHERE student_id = :student AND day >= :from AND day < :to "
                                                       "ORDER BY day, id",
        soci::use(student_id), soci::use(from_day), soci::use(to_day));
    for (auto const& row : rows)
        notes.push_back(note_of(row));
    return notes;
}

std::optional<PersonalNote> personal_note_by_id(soci::session& session, long long id)
{
    soci::rowset<soci::row> rows = (session.prepare << NOTE_COLUMNS << "WHERE id = :id", soci::use(id));
    for (auto const& row : rows)
        return note_of(row);
    return std::nullopt;
}

std::vector<FileOf> files_of(
    soci::session& session, std::vector<long long> const& homework_ids, std::vector<long long> const& seance_ids)
{
    std::vector<FileOf> files;
    if (homework_ids.empty() && seance_ids.empty())
        return files;
    std::string where;
    if (!homework_ids.empty())
        where = "homework_id IN (" + id_list(homework_ids) + ")";
    if (!seance_ids.empty())
        where += std::string(where.empty() ? "" : " OR ") + "session_id IN (" + id_list(seance_ids) + ")";
    soci::rowset<soci::row> rows = (session.prepare << FILE_COLUMNS << "WHERE " << where << " ORDER BY name, id");
    for (auto const& row : rows)
        files.push_back(file_of(row));
    return files;
}

std::optional<FileOf> file_by_id(soci::session& session, long long id)
{
    soci::rowset<soci::row> rows = (session.prepare << FILE_COLUMNS << "WHERE id = :id", soci::use(id));
    for (auto const& row : rows)
        return file_of(row);
    return std::nullopt;
}

bool is_guardian_of(soci::session& session, long long guardian_id, long long student_id)
{
    long long count = 0;
    session << "SELECT COUNT(*) FROM identity_guardian_link WHERE guardian_id = :guardian AND student_id = :student",
        soci::into(count), soci::use(guardian_id), soci::use(student_id);
    return count != 0;
}

Book book_of(
    soci::session& session, long long student_id, long long from_day, long long to_day, long long now, bool with_notes)
{
    Book book;
    auto const classes = classes_of_student(session, student_id);
    book.homework = homework_due(session, classes, from_day, to_day, now, false);
    book.seances = seances_between(session, classes, from_day, to_day, now, false);
    std::vector<long long> homework_ids;
    std::vector<long long> seance_ids;
    for (auto const& homework : book.homework)
        homework_ids.push_back(homework.id);
    for (auto const& seance : book.seances)
        seance_ids.push_back(seance.id);
    book.done = done_by(session, student_id, homework_ids);
    for (auto& file : files_of(session, homework_ids, seance_ids)) {
        if (file.homework_id != 0)
            book.homework_files[file.homework_id].push_back(std::move(file));
        else
            book.seance_files[file.seance_id].push_back(std::move(file));
    }
    if (with_notes)
        book.notes = personal_notes(session, student_id, from_day, to_day);
    return book;
}

long long today_of(Context const& context)
{
    return school_time::day_of_unix(context.now);
}

ErrorOr<long long> day_parameter(std::string_view text, long long fallback)
{
    auto trimmed = trim_text(text);
    if (trimmed.empty())
        return fallback;
    auto day = school_time::parse_day(trimmed);
    if (!day)
        return Error::invalid("La date doit être de la forme 2026-12-01 ou 01/12/2026.", "bad day parameter");
    return *day;
}

std::string short_day(long long day)
{
    auto const date = school_time::civil_from_days(day);
    auto month = school_time::month_title(date.year, date.month);
    if (auto space = month.find(' '); space != std::string::npos)
        month.resize(space);
    return school_time::weekday_name(school_time::weekday(day)) + " " + std::to_string(date.day)
        + (date.day == 1 ? "er " : " ") + month;
}

std::string due_label(long long due_day, long long today)
{
    if (due_day == today)
        return "Pour aujourd'hui";
    if (due_day == today + 1)
        return "Pour demain";
    return "Pour le " + short_day(due_day);
}

std::string duration_label(long long minutes)
{
    if (minutes < 60)
        return std::to_string(minutes) + " min";
    auto hours = std::to_string(minutes / 60) + " h";
    if (minutes % 60 != 0)
        hours += " " + (minutes % 60 < 10 ? std::string("0") : std::string()) + std::to_string(minutes % 60);
    return hours;
}

std::string file_url(FileOf const& file)
{
    return "/cahier-de-textes/pieces-jointes/" + std::to_string(file.id);
}

} // namespace cartable::lesson_book::family
