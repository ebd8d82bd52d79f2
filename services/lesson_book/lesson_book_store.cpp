// SPDX-License-Identifier: AGPL-3.0-or-later
// The lesson book's writes (see lesson_book_store.h).
#include "services/lesson_book/lesson_book_store.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "services/notifications/notifications.h"

namespace cartable::lesson_book::store {

namespace {

// The class's students, then each one's guardians about that child.
std::size_t tell_families(soci::session& session, Writer const& writer, long long class_id, std::string const& title)
{
    notifications::Notification notice;
    notice.event = notifications::Event::Homework;
    notice.structure_id = writer.structure_id;
    notice.title = title;
    notice.link = "/cahier-de-textes";
    auto const students = students_of_class(session, class_id);
    if (students.empty())
        return 0;
    auto told = students.size();
    notifications::publish_to_many(session, notice, students, writer.public_url, writer.now);
    for (auto student : students) {
        auto const guardians = identity::store::active_guardians_of(session, student);
        if (guardians.empty())
            continue;
        auto about_child = notice;
        about_child.child_id = student;
        notifications::publish_to_many(session, about_child, guardians, writer.public_url, writer.now);
        told += guardians.size();
    }
    return told;
}

std::string subject_label(soci::session& session, long long subject_id)
{
    std::string label;
    session << "SELECT label FROM identity_subject WHERE id = :id", soci::into(label), soci::use(subject_id);
    return label;
}

bool due_tomorrow(Writer const& writer, HomeworkInput const& input)
{
    return input.publish_at <= writer.now && input.due_day == next_school_day(school_time::day_of_unix(writer.now));
}

} // namespace

long long next_school_day(long long day)
{
    auto next = day + 1;
    while (school_time::weekday(next) >= 5)
        ++next;
    return next;
}

std::vector<long long> students_of_class(soci::session& session, long long class_id)
{
    std::vector<long long> ids;
    soci::rowset<long long> rows
        = (session.prepare << "SELECT m.user_id FROM identity_class_member m JOIN identity_user u ON u.id = "
                              "m.user_id WHERE m.class_id = :class AND u.profile = 'student' AND u.active = 1 "
                              "ORDER BY m.user_id",
            soci::use(class_id));
    for (auto id : rows)
        ids.push_back(id);
    return ids;
}

long long insert_seance(soci::session& session, Writer const& writer, SeanceInput const& input)
{
    long long id = 0;
    session << "INSERT INTO lesson_book_session (structure_id, class_id, subject_id, author_id, day, start_minute, "
               "end_minute, slot_id, title, content, links, publish_at, created_at, updated_at) VALUES (:structure, "
               ":class, :subject, :author, :day, :start, :end, :slot, :title, :content, :links, :publish, :created, "
               ":updated) RETURNING id",
        soci::use(writer.structure_id), soci::use(input.class_id), soci::use(input.subject_id),
        soci::use(writer.author_id), soci::use(input.day), soci::use(input.start_minute), soci::use(input.end_minute),
        soci::use(input.slot_id), soci::use(input.title), soci::use(input.content), soci::use(input.links),
        soci::use(input.publish_at), soci::use(writer.now), soci::use(writer.now), soci::into(id);
    return id;
}

void update_seance(soci::session& session, long long seance_id, SeanceInput const& input, long long now)
{
    session << "UPDATE lesson_book_session SET class_id = :class, subject_id = :subject, day = :day, start_minute "
               "= :start, end_minute = :end, slot_id = :slot, title = :title, content = :content, links = :links, "
               "publish_at = :publish, updated_at = :now WHERE id = :id",
        soci::use(input.class_id), soci::use(input.subject_id), soci::use(input.day), soci::use(input.start_minute),
        soci::use(input.end_minute), soci::use(input.slot_id), soci::use(input.title), soci::use(input.content),
        soci::use(input.links), soci::use(input.publish_at), soci::use(now), soci::use(seance_id);
}

void delete_seance(soci::session& session, long long seance_id)
{
    session << "UPDATE lesson_book_homework SET session_id = NULL WHERE session_id = :id", soci::use(seance_id);
    session << "DELETE FROM lesson_book_attachment WHERE session_id = :id", soci::use(seance_id);
    session << "DELETE FROM lesson_book_session WHERE id = :id", soci::use(seance_id);
}

std::size_t insert_homework(
    soci::session& session, Writer const& writer, HomeworkInput const& input, long long* inserted_id)
{
    long long id = 0;
    long long const online = input.hand_in_online ? 1 : 0;
    std::optional<long long> seance;
    if (input.session_id != 0)
        seance = input.session_id;
    soci::indicator seance_indicator = seance ? soci::i_ok : soci::i_null;
    long long const seance_value = seance.value_or(0);
    session << "INSERT INTO lesson_book_homework (structure_id, class_id, subject_id, author_id, session_id, "
               "given_day, due_day, description, estimated_minutes, hand_in_online, publish_at, created_at, "
               "updated_at, told_at) VALUES (:structure, :class, :subject, :author, :seance, :given, :due, "
               ":description, :minutes, :online, :publish, :created, :updated, :told) RETURNING id",
        soci::use(writer.structure_id), soci::use(input.class_id), soci::use(input.subject_id),
        soci::use(writer.author_id), soci::use(seance_value, seance_indicator), soci::use(input.given_day),
        soci::use(input.due_day), soci::use(input.description), soci::use(input.estimated_minutes), soci::use(online),
        soci::use(input.publish_at), soci::use(writer.now), soci::use(writer.now),
        soci::use(input.publish_at <= writer.now ? writer.now : 0LL), soci::into(id);
    if (inserted_id != nullptr)
        *inserted_id = id;
    if (!due_tomorrow(writer, input))
        return 0;
    return tell_families(
        session, writer, input.class_id, "Nouveau travail pour demain en " + subject_label(session, input.subject_id));
}

std::size_t update_homework(
    soci::session& session, Writer const& writer, Homework const& before, HomeworkInput const& input)
{
    bool const due_changed = before.due_day != input.due_day;
    long long const changed_at = due_changed ? writer.now : before.due_changed_at;
    long long const online = input.hand_in_online ? 1 : 0;
    session << "UPDATE lesson_book_homework SET class_id = :class, subject_id = :subject, given_day = :given, "
               "due_day = :due, description = :description, estimated_minutes = :minutes, hand_in_online = "
               ":online, publish_at = :publish, updated_at = :now, due_changed_at = :changed, told_at = CASE WHEN "
               ":planned = 1 THEN 0 ELSE told_at END WHERE id = :id",
        soci::use(input.class_id), soci::use(input.subject_id), soci::use(input.given_day), soci::use(input.due_day),
        soci::use(input.description), soci::use(input.estimated_minutes), soci::use(online),
        soci::use(input.publish_at), soci::use(writer.now), soci::use(changed_at),
        soci::use(input.publish_at > writer.now ? 1LL : 0LL), soci::use(before.id);
    if (!due_changed || input.publish_at > writer.now)
        return 0;
    auto title = "Date changée : " + subject_label(session, input.subject_id) + " pour le "
        + school_time::long_day(input.due_day);
    return tell_families(session, writer, input.class_id, title);
}

std::size_t tell_planned_homework(soci::session& session, std::string const& public_url, long long now)
{
    struct Planned {
        long long id;
        long long structure_id;
        long long author_id;
        long long class_id;
        long long subject_id;
        long long due_day;
    };
    std::vector<Planned> planned;
    soci::rowset<soci::row> rows = (session.prepare << "SELECT id, structure_id, COALESCE(author_id, 0), class_id, "
                                                       "subject_id, due_day FROM lesson_book_homework WHERE told_at "
                                                       "= 0 AND publish_at <= :now ORDER BY id",
        soci::use(now));
    for (auto const& row : rows)
        planned.push_back({ integer_at(row, 0), integer_at(row, 1), integer_at(row, 2), integer_at(row, 3),
            integer_at(row, 4), integer_at(row, 5) });
    std::size_t told = 0;
    auto const tomorrow = next_school_day(school_time::day_of_unix(now));
    for (auto const& homework : planned) {
        // Claimed once, whichever node's sweep comes first.
        soci::statement claim = (session.prepare << "UPDATE lesson_book_homework SET told_at = :now WHERE id = :id "
                                                    "AND told_at = 0",
            soci::use(now), soci::use(homework.id));
        claim.execute(true);
        if (claim.get_affected_rows() == 0 || homework.due_day != tomorrow)
            continue;
        Writer const writer { homework.structure_id, homework.author_id, now, public_url };
        told += tell_families(session, writer, homework.class_id,
            "Nouveau travail pour demain en " + subject_label(session, homework.subject_id));
    }
    return told;
}

void delete_homework(soci::session& session, long long homework_id)
{
    session << "DELETE FROM lesson_book_homework WHERE id = :id", soci::use(homework_id);
}

std::optional<Homework> homework_of_seance(soci::session& session, long long seance_id)
{
    long long id = 0;
    soci::indicator indicator = soci::i_null;
    session << "SELECT MIN(id) FROM lesson_book_homework WHERE session_id = :id", soci::into(id, indicator),
        soci::use(seance_id);
    if (indicator != soci::i_ok || id == 0)
        return std::nullopt;
    return homework_by_id(session, id);
}

void add_visa(soci::session& session, Visa const& visa, long long author_id)
{
    session << "INSERT INTO lesson_book_visa (class_id, subject_id, author_id, author_name, until_day, comment, "
               "created_at) VALUES (:class, 0, :author, :name, :until, :comment, :created)",
        soci::use(visa.class_id), soci::use(author_id), soci::use(visa.author_name), soci::use(visa.until_day),
        soci::use(visa.comment), soci::use(visa.created_at);
}

std::vector<Visa> visas_of_class(soci::session& session, long long class_id)
{
    std::vector<Visa> list;
    soci::rowset<soci::row> rows = (session.prepare << "SELECT id, class_id, author_name, until_day, comment, "
                                                       "created_at FROM lesson_book_visa WHERE class_id = :class "
                                                       "ORDER BY created_at DESC, id DESC",
        soci::use(class_id));
    for (auto const& row : rows) {
        Visa visa;
        visa.id = integer_at(row, 0);
        visa.class_id = integer_at(row, 1);
        visa.author_name = row.get<std::string>(2);
        visa.until_day = integer_at(row, 3);
        visa.comment = row.get<std::string>(4);
        visa.created_at = integer_at(row, 5);
        list.push_back(std::move(visa));
    }
    return list;
}

std::vector<Reader> readers_of(soci::session& session, long long structure_id)
{
    std::vector<Reader> list;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT u.id, u.login, u.first_name, u.last_name, r.created_at FROM lesson_book_reader "
                              "r JOIN identity_user u ON u.id = r.user_id WHERE r.structure_id = :structure ORDER "
                              "BY u.last_name, u.first_name",
            soci::use(structure_id));
    for (auto const& row : rows) {
        Reader reader;
        reader.user_id = integer_at(row, 0);
        reader.login = row.get<std::string>(1);
        reader.name = row.get<std::string>(2) + " " + row.get<std::string>(3);
        reader.created_at = integer_at(row, 4);
        list.push_back(std::move(reader));
    }
    return list;
}

void grant_reader(
    soci::session& session, long long user_id, long long structure_id, long long granted_by, long long now)
{
    long long existing = 0;
    session << "SELECT COUNT(*) FROM lesson_book_reader WHERE user_id = :user AND structure_id = :structure",
        soci::into(existing), soci::use(user_id), soci::use(structure_id);
    if (existing != 0)
        return;
    session << "INSERT INTO lesson_book_reader (user_id, structure_id, granted_by, created_at) VALUES (:user, "
               ":structure, :by, :now)",
        soci::use(user_id), soci::use(structure_id), soci::use(granted_by), soci::use(now);
}

bool revoke_reader(soci::session& session, long long user_id, long long structure_id)
{
    soci::statement statement = (session.prepare << "DELETE FROM lesson_book_reader WHERE user_id = :user AND "
                                                    "structure_id = :structure",
        soci::use(user_id), soci::use(structure_id));
    statement.execute(true);
    return statement.get_affected_rows() > 0;
}

} // namespace cartable::lesson_book::store
