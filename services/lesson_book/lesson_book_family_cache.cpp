// SPDX-License-Identifier: AGPL-3.0-or-later
// The families' book through the node's cache of each class's weeks.
//
// Every student of a class reads the same séances and homework: a class's
// week (planned items included, with their files, each text sanitized once
// and the homework's plain-text excerpt made once) is read from the database
// once for all of them and kept ten seconds in `Services::shared_results`. A
// teacher's write forgets the weeks of its structure on this node at once
// (forget_weeks); on another node the change shows at most ten seconds
// later. What is the student's own is read each time, by statements
// prepared once per connection: his « Fait » ticks and his personal notes.
// What is published is decided at each request from `publish_at`, so planned
// items appear on time whatever the cache holds.
#include "core/db/prepared.h"
#include "core/html/rich_text.h"
#include "core/school_time.h"
#include "core/text.h"
#include "services/lesson_book/lesson_book_family_internal.h"
#include <algorithm>
#include <atomic>
#include <tuple>

namespace cartable::lesson_book::family {

namespace {

constexpr std::size_t EXCERPT_BYTES = 160;
constexpr char const* WEEK_PREFIX = "lesson_book.week:";

std::atomic<unsigned long long> next_serial { 1 };

} // namespace

// One class's (or group's) book for one week, Monday to Sunday.
struct ClassWeek {
    unsigned long long serial { next_serial++ }; // unique to this read of the week in the process
    std::vector<Homework> homework; // due in the week; descriptions sanitized
    std::vector<std::string> excerpts; // of each homework, same order
    std::vector<Seance> seances; // dated in the week; contents sanitized
    std::map<long long, std::vector<FileOf>> homework_files;
    std::map<long long, std::vector<FileOf>> seance_files;
};

namespace {

std::string structure_prefix(long long structure_id)
{
    return std::string(WEEK_PREFIX) + std::to_string(structure_id) + ":";
}

std::string week_key(long long structure_id, long long class_id, long long monday)
{
    return structure_prefix(structure_id) + std::to_string(class_id) + ":" + std::to_string(monday);
}

ClassWeek read_week(soci::session& session, long long class_id, long long monday)
{
    ClassWeek week;
    std::vector<long long> const classes { class_id };
    week.homework = homework_due(session, classes, monday, monday + 7, 0, true);
    week.seances = seances_between(session, classes, monday, monday + 7, 0, true);
    std::vector<long long> homework_ids;
    std::vector<long long> seance_ids;
    for (auto& homework : week.homework) {
        homework.description = html::sanitize(homework.description);
        week.excerpts.push_back(excerpt(html::plain_text(homework.description), EXCERPT_BYTES));
        homework_ids.push_back(homework.id);
    }
    for (auto& seance : week.seances) {
        seance.content = html::sanitize(seance.content);
        seance_ids.push_back(seance.id);
    }
    for (auto& file : files_of(session, homework_ids, seance_ids)) {
        if (file.homework_id != 0)
            week.homework_files[file.homework_id].push_back(std::move(file));
        else
            week.seance_files[file.seance_id].push_back(std::move(file));
    }
    return week;
}

// The homework ids a student ticked « Fait » among those due in [from, to).
struct DoneBetween : db::PreparedQuery {
    long long student { 0 };
    long long from { 0 };
    long long to { 0 };
    long long homework_id { 0 };
    soci::statement statement;

    explicit DoneBetween(soci::session& session)
        : statement((session.prepare << "SELECT d.homework_id FROM lesson_book_done d JOIN lesson_book_homework h ON "
                                        "h.id = d.homework_id WHERE d.student_id = :student AND h.due_day >= :from "
                                        "AND h.due_day < :to",
            soci::use(student), soci::use(from), soci::use(to), soci::into(homework_id)))
    { }

    std::vector<long long> fetch(long long student_id, long long from_day, long long to_day)
    {
        student = student_id;
        from = from_day;
        to = to_day;
        std::vector<long long> ids;
        fetch_all(statement, [&] { ids.push_back(homework_id); });
        std::sort(ids.begin(), ids.end());
        return ids;
    }
};

// A student's personal notes dated in [from, to).
struct NotesBetween : db::PreparedQuery {
    long long student { 0 };
    long long from { 0 };
    long long to { 0 };
    PersonalNote row;
    long long done { 0 };
    soci::statement statement;

    explicit NotesBetween(soci::session& session)
        : statement((session.prepare << "SELECT id, student_id, day, subject, text, done FROM lesson_book_personal "
                                        "WHERE student_id = :student AND day >= :from AND day < :to ORDER BY day, id",
            soci::use(student), soci::use(from), soci::use(to), soci::into(row.id), soci::into(row.student_id),
            soci::into(row.day), soci::into(row.subject), soci::into(row.text), soci::into(done)))
    { }

    std::vector<PersonalNote> fetch(long long student_id, long long from_day, long long to_day)
    {
        student = student_id;
        from = from_day;
        to = to_day;
        std::vector<PersonalNote> notes;
        fetch_all(statement, [&] {
            notes.push_back(row);
            notes.back().done = done != 0;
        });
        return notes;
    }
};

} // namespace

void forget_weeks(Services& services, long long structure_id)
{
    auto const prefix = structure_prefix(structure_id);
    services.shared_results.forget_if([&](std::string const& key) { return key.starts_with(prefix); });
}

ErrorOr<BookParts> book_parts(Context& context, identity::User const& student, Window const& window)
{
    auto& services = context.services;
    auto const now = context.now;
    auto const classes = TRY(services.classes_of(student, now));
    auto const first_monday = window.from - school_time::weekday(window.from);
    struct Wanted {
        std::string key;
        long long class_id;
        long long monday;
        std::shared_ptr<ClassWeek const> week;
    };
    std::vector<Wanted> wanted;
    for (auto monday = first_monday; monday < window.to; monday += 7) {
        for (auto const& school_class : classes) {
            Wanted one { week_key(school_class.structure_id, school_class.id, monday), school_class.id, monday, {} };
            if (auto cached = services.shared_results.find(one.key, now))
                one.week = std::static_pointer_cast<ClassWeek const>(*cached);
            wanted.push_back(std::move(one));
        }
    }
    BookParts parts;
    parts.m_window = window;
    parts.m_now = now;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        for (auto& one : wanted) {
            if (one.week)
                continue;
            one.week = std::make_shared<ClassWeek const>(read_week(session, one.class_id, one.monday));
            services.shared_results.store(one.key, one.week, now);
        }
        if (window.ticks)
            parts.m_done = db::prepared<DoneBetween>(session).fetch(student.id, window.from, window.to);
        if (window.notes)
            parts.m_notes = db::prepared<NotesBetween>(session).fetch(student.id, window.from, window.to);
        return true;
    }));
    auto& print = parts.m_fingerprint;
    auto const number = [&](long long value) {
        print += std::to_string(value);
        print += ',';
    };
    for (auto& one : wanted) {
        number(static_cast<long long>(one.week->serial));
        print += '[';
        for (auto const& homework : one.week->homework) {
            if (parts.shown(homework.due_day, homework.publish_at))
                number(homework.id);
        }
        print += '|';
        for (auto const& seance : one.week->seances) {
            if (parts.shown(seance.day, seance.publish_at))
                number(seance.id);
        }
        print += ']';
        parts.m_weeks.push_back(std::move(one.week));
    }
    print += "done:";
    for (auto id : parts.m_done)
        number(id);
    print += "notes:";
    for (auto const& note : parts.m_notes) {
        number(note.id);
        number(note.day);
        number(note.done ? 1 : 0);
        number(static_cast<long long>(note.subject.size()));
        print += note.subject;
        number(static_cast<long long>(note.text.size()));
        print += note.text;
    }
    return parts;
}

bool BookParts::shown(long long day, long long publish_at) const
{
    return day >= m_window.from && day < m_window.to && publish_at <= m_now;
}

std::vector<std::pair<Homework const*, std::string const*>> BookParts::homework() const
{
    std::vector<std::pair<Homework const*, std::string const*>> list;
    for (auto const& week : m_weeks) {
        for (std::size_t index = 0; index < week->homework.size(); ++index) {
            if (shown(week->homework[index].due_day, week->homework[index].publish_at))
                list.emplace_back(&week->homework[index], &week->excerpts[index]);
        }
    }
    std::sort(list.begin(), list.end(), [](auto const& left, auto const& right) {
        return std::tie(left.first->due_day, left.first->subject_label, left.first->id)
            < std::tie(right.first->due_day, right.first->subject_label, right.first->id);
    });
    return list;
}

Book BookParts::book() const
{
    Book book;
    book.done = m_done;
    book.notes = m_notes;
    for (auto const& week : m_weeks) {
        for (auto const& homework : week->homework) {
            if (!shown(homework.due_day, homework.publish_at))
                continue;
            book.homework.push_back(homework);
            if (auto files = week->homework_files.find(homework.id); files != week->homework_files.end())
                book.homework_files.emplace(homework.id, files->second);
        }
        if (!m_window.seances)
            continue;
        for (auto const& seance : week->seances) {
            if (!shown(seance.day, seance.publish_at))
                continue;
            book.seances.push_back(seance);
            if (auto files = week->seance_files.find(seance.id); files != week->seance_files.end())
                book.seance_files.emplace(seance.id, files->second);
        }
    }
    // As the database orders them (lesson_book_reads.cpp).
    std::sort(book.homework.begin(), book.homework.end(), [](Homework const& left, Homework const& right) {
        return std::tie(left.due_day, left.subject_label, left.id)
            < std::tie(right.due_day, right.subject_label, right.id);
    });
    std::sort(book.seances.begin(), book.seances.end(), [](Seance const& left, Seance const& right) {
        return std::tie(left.day, left.start_minute, left.subject_label, left.id)
            < std::tie(right.day, right.start_minute, right.subject_label, right.id);
    });
    book.sanitized = true;
    return book;
}

} // namespace cartable::lesson_book::family
