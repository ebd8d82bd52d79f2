// SPDX-License-Identifier: AGPL-3.0-or-later
// The lesson book's reads shared by its pages, feeds and API.
#include "core/db/id_lists.h"
#include "services/lesson_book/lesson_book_internal.h"

namespace cartable::lesson_book {

using db::id_list;

namespace {

constexpr char const* HOMEWORK_COLUMNS
    = "h.id, h.structure_id, h.class_id, c.name, h.subject_id, s.label, COALESCE(h.author_id, 0), "
      "COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), COALESCE(h.session_id, 0), h.given_day, h.due_day, "
      "h.description, h.estimated_minutes, h.hand_in_online, h.publish_at, h.created_at, h.updated_at, "
      "h.due_changed_at FROM lesson_book_homework h JOIN identity_class c ON c.id = h.class_id JOIN "
      "identity_subject s ON s.id = h.subject_id LEFT JOIN identity_user u ON u.id = h.author_id ";

Homework homework_of(soci::row const& row)
{
    Homework homework;
    homework.id = integer_at(row, 0);
    homework.structure_id = integer_at(row, 1);
    homework.class_id = integer_at(row, 2);
    homework.class_name = row.get<std::string>(3);
    homework.subject_id = integer_at(row, 4);
    homework.subject_label = row.get<std::string>(5);
    homework.author_id = integer_at(row, 6);
    homework.author_name = homework.author_id != 0 ? row.get<std::string>(7) + " " + row.get<std::string>(8)
                                                   : std::string("Ancien membre");
    homework.session_id = integer_at(row, 9);
    homework.given_day = integer_at(row, 10);
    homework.due_day = integer_at(row, 11);
    homework.description = row.get<std::string>(12);
    homework.estimated_minutes = integer_at(row, 13);
    homework.hand_in_online = integer_at(row, 14) != 0;
    homework.publish_at = integer_at(row, 15);
    homework.created_at = integer_at(row, 16);
    homework.updated_at = integer_at(row, 17);
    homework.due_changed_at = integer_at(row, 18);
    return homework;
}

constexpr char const* SEANCE_COLUMNS
    = "x.id, x.structure_id, x.class_id, c.name, x.subject_id, s.label, COALESCE(x.author_id, 0), "
      "COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), x.day, x.start_minute, x.end_minute, x.slot_id, "
      "x.title, x.content, x.links, x.publish_at, x.created_at, x.updated_at FROM lesson_book_session x JOIN "
      "identity_class c ON c.id = x.class_id JOIN identity_subject s ON s.id = x.subject_id LEFT JOIN "
      "identity_user u ON u.id = x.author_id ";

Seance seance_of(soci::row const& row)
{
    Seance seance;
    seance.id = integer_at(row, 0);
    seance.structure_id = integer_at(row, 1);
    seance.class_id = integer_at(row, 2);
    seance.class_name = row.get<std::string>(3);
    seance.subject_id = integer_at(row, 4);
    seance.subject_label = row.get<std::string>(5);
    seance.author_id = integer_at(row, 6);
    seance.author_name = seance.author_id != 0 ? row.get<std::string>(7) + " " + row.get<std::string>(8)
                                               : std::string("Ancien membre");
    seance.day = integer_at(row, 9);
    seance.start_minute = integer_at(row, 10);
    seance.end_minute = integer_at(row, 11);
    seance.slot_id = integer_at(row, 12);
    seance.title = row.get<std::string>(13);
    seance.content = row.get<std::string>(14);
    seance.links = row.get<std::string>(15);
    seance.publish_at = integer_at(row, 16);
    seance.created_at = integer_at(row, 17);
    seance.updated_at = integer_at(row, 18);
    return seance;
}

} // namespace

std::filesystem::path attachment_directory(Config const& config)
{
    return config.data_directory / "lesson_book" / "attachments";
}

std::vector<Homework> homework_due(soci::session& session, std::vector<long long> const& class_ids, long long from_day,
    long long to_day, long long now, bool planned_too)
{
    std::vector<Homework> list;
    if (class_ids.empty())
        return list;
    long long const published_before = planned_too ? (1LL << 62) : now;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT " << HOMEWORK_COLUMNS << "WHERE h.class_id IN (" << id_list(class_ids)
                           << ") AND h.due_day >= :from AND h.due_day < :to AND "
                              "h.publish_at <= :now ORDER BY h.due_day, s.label, h.id",
            soci::use(from_day), soci::use(to_day), soci::use(published_before));
    for (auto const& row : rows)
        list.push_back(homework_of(row));
    return list;
}

std::vector<Seance> seances_between(soci::session& session, std::vector<long long> const& class_ids, long long from_day,
    long long to_day, long long now, bool planned_too)
{
    std::vector<Seance> list;
    if (class_ids.empty())
        return list;
    long long const published_before = planned_too ? (1LL << 62) : now;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT " << SEANCE_COLUMNS << "WHERE x.class_id IN (" << id_list(class_ids)
                           << ") AND x.day >= :from AND x.day < :to AND x.publish_at <= "
                              ":now ORDER BY x.day, x.start_minute, s.label, x.id",
            soci::use(from_day), soci::use(to_day), soci::use(published_before));
    for (auto const& row : rows)
        list.push_back(seance_of(row));
    return list;
}

std::optional<Homework> homework_by_id(soci::session& session, long long id)
{
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT " << HOMEWORK_COLUMNS << "WHERE h.id = :id", soci::use(id));
    for (auto const& row : rows)
        return homework_of(row);
    return std::nullopt;
}

std::optional<Seance> seance_by_id(soci::session& session, long long id)
{
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT " << SEANCE_COLUMNS << "WHERE x.id = :id", soci::use(id));
    for (auto const& row : rows)
        return seance_of(row);
    return std::nullopt;
}

std::vector<long long> done_by(soci::session& session, long long student_id, std::vector<long long> const& homework_ids)
{
    std::vector<long long> done;
    if (homework_ids.empty())
        return done;
    soci::rowset<long long> rows = (session.prepare << "SELECT homework_id FROM lesson_book_done WHERE student_id = "
                                                       ":student AND homework_id IN ("
                                                    << id_list(homework_ids) << ") ORDER BY homework_id",
        soci::use(student_id));
    for (auto id : rows)
        done.push_back(id);
    return done;
}

} // namespace cartable::lesson_book
