// SPDX-License-Identifier: AGPL-3.0-or-later
// The reads every page of the évaluations shares: a class's period with its
// assessments, marks and averages.
#include "core/db/id_lists.h"
#include "core/db/row.h"
#include "core/identity/identity_store.h"
#include "services/assessments/assessments_internal.h"
#include <algorithm>
#include <map>

namespace cartable::assessments {

namespace {

constexpr char const* STORED_COLUMNS
    = "SELECT a.id, a.structure_id, a.class_id, c.name, a.subject_id, s.label, COALESCE(a.teacher_id, 0), "
      "COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), a.period_id, a.day, a.title, a.scale, a.coefficient, "
      "a.published_at FROM assessments_assessment a JOIN identity_class c ON c.id = a.class_id JOIN "
      "identity_subject s ON s.id = a.subject_id LEFT JOIN identity_user u ON u.id = a.teacher_id ";

Stored stored_of(soci::row const& row)
{
    Stored stored;
    stored.id = db::integer_at(row, 0);
    stored.structure_id = db::integer_at(row, 1);
    stored.class_id = db::integer_at(row, 2);
    stored.class_name = row.get<std::string>(3);
    stored.subject_id = db::integer_at(row, 4);
    stored.subject_label = row.get<std::string>(5);
    stored.teacher_id = db::integer_at(row, 6);
    auto const first = row.get<std::string>(7);
    auto const last = row.get<std::string>(8);
    if (!last.empty())
        stored.teacher_name = first + " " + last;
    stored.period_id = db::integer_at(row, 9);
    stored.day = db::integer_at(row, 10);
    stored.title = row.get<std::string>(11);
    stored.scale = db::integer_at(row, 12);
    stored.coefficient_hundredths = db::integer_at(row, 13);
    stored.published_at = db::integer_at(row, 14);
    return stored;
}

} // namespace

std::optional<Stored> find_assessment(soci::session& session, long long assessment_id)
{
    soci::rowset<soci::row> rows
        = (session.prepare << std::string(STORED_COLUMNS) + "WHERE a.id = :id", soci::use(assessment_id));
    for (auto const& row : rows)
        return stored_of(row);
    return std::nullopt;
}

ErrorOr<ClassPeriod> class_period(
    soci::session& session, long long class_id, long long period_id, bool published_only, long long now)
{
    ClassPeriod result;
    soci::indicator found = soci::i_null;
    session << "SELECT id, structure_id, name, kind FROM identity_class WHERE id = :id", soci::use(class_id),
        soci::into(result.school_class.id, found), soci::into(result.school_class.structure_id),
        soci::into(result.school_class.name), soci::into(result.school_class.kind);
    if (!session.got_data() || found != soci::i_ok)
        return Error::not_found();
    auto period = school::find_period(session, period_id);
    if (!period || period->structure_id != result.school_class.structure_id)
        return Error::not_found();
    result.period = std::move(*period);
    result.rounding = rounding_of(session, result.school_class.structure_id);

    std::vector<long long> student_ids;
    {
        soci::rowset<soci::row> rows
            = (session.prepare << "SELECT u.id FROM identity_class_member m JOIN identity_user u ON u.id = "
                                  "m.user_id WHERE m.class_id = :class AND u.profile = 'student' AND u.active = 1 "
                                  "ORDER BY u.last_name, u.first_name, u.id",
                soci::use(class_id));
        for (auto const& row : rows)
            student_ids.push_back(db::integer_at(row, 0));
    }
    auto users = identity::store::find_users(session, student_ids);
    std::map<long long, identity::User> by_id;
    for (auto& user : users)
        by_id.emplace(user.id, std::move(user));
    for (auto const id : student_ids)
        if (auto const user = by_id.find(id); user != by_id.end())
            result.students.push_back(user->second);

    // The class, and the groups its students are in.
    std::vector<long long> class_ids { class_id };
    if (!student_ids.empty() && result.school_class.kind == "class") {
        soci::rowset<soci::row> rows = (session.prepare << "SELECT DISTINCT c.id FROM identity_class c JOIN "
                                                           "identity_class_member m ON m.class_id = c.id WHERE "
                                                           "c.kind = 'group' AND m.user_id IN ("
                + db::id_list(student_ids) + ")");
        for (auto const& row : rows)
            class_ids.push_back(db::integer_at(row, 0));
    }
    auto const classes = db::id_list(class_ids);

    {
        std::map<long long, Subject> subjects;
        soci::rowset<soci::row> rows = (session.prepare
            << "SELECT s.id, s.label, u.id, u.first_name, u.last_name FROM identity_teaching t JOIN "
               "identity_subject s ON s.id = t.subject_id JOIN identity_user u ON u.id = t.teacher_id WHERE "
               "t.class_id IN ("
                + classes + ") ORDER BY s.label, u.last_name, u.first_name");
        for (auto const& row : rows) {
            auto& subject = subjects[db::integer_at(row, 0)];
            subject.id = db::integer_at(row, 0);
            subject.label = row.get<std::string>(1);
            auto const teacher = db::integer_at(row, 2);
            if (std::find(subject.teacher_ids.begin(), subject.teacher_ids.end(), teacher) != subject.teacher_ids.end())
                continue;
            subject.teacher_ids.push_back(teacher);
            if (!subject.teacher_names.empty())
                subject.teacher_names += ", ";
            subject.teacher_names += row.get<std::string>(3);
            subject.teacher_names += ' ';
            subject.teacher_names += row.get<std::string>(4);
        }
        for (auto& [id, subject] : subjects)
            result.subjects.push_back(std::move(subject));
        std::sort(result.subjects.begin(), result.subjects.end(),
            [](Subject const& a, Subject const& b) { return a.label < b.label; });
    }

    {
        std::string query
            = std::string(STORED_COLUMNS) + "WHERE a.class_id IN (" + classes + ") AND a.period_id = :period";
        if (published_only)
            query += " AND a.published_at > 0 AND a.published_at <= :now";
        query += " ORDER BY s.label, a.day, a.id";
        soci::rowset<soci::row> rows = published_only ? (session.prepare << query, soci::use(period_id), soci::use(now))
                                                      : (session.prepare << query, soci::use(period_id));
        for (auto const& row : rows)
            result.assessments.push_back(stored_of(row));
    }

    std::map<long long, std::size_t> position;
    for (auto const& stored : result.assessments) {
        position[stored.id] = result.marked.size();
        result.marked.push_back(stored.marks());
    }
    if (!result.assessments.empty()) {
        std::vector<long long> ids;
        for (auto const& stored : result.assessments)
            ids.push_back(stored.id);
        soci::rowset<soci::row> rows = (session.prepare
            << "SELECT assessment_id, student_id, hundredths, code FROM assessments_mark WHERE assessment_id IN ("
                + db::id_list(ids) + ")");
        for (auto const& row : rows) {
            school::Mark mark;
            if (row.get_indicator(2) != soci::i_null)
                mark.hundredths = db::integer_at(row, 2);
            mark.code = school::code_from_store(row.get<std::string>(3));
            if (mark.blank())
                continue;
            result.marked[position.at(db::integer_at(row, 0))].marks[db::integer_at(row, 1)] = mark;
        }
    }
    result.averages = school::period_averages(result.marked, student_ids);
    return result;
}

} // namespace cartable::assessments
