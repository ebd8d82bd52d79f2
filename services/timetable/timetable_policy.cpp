// SPDX-License-Identifier: AGPL-3.0-or-later
// Whose timetable a person reads, and who enters it.
#include "core/school_time.h"
#include "services/timetable/timetable_internal.h"

namespace cartable::timetable {

bool may_read(Facts const& facts)
{
    if (facts.itself || facts.own_child)
        return true;
    if (!facts.same_structure)
        return false;
    return facts.member || facts.teaches || facts.staff;
}

bool may_manage(identity::User const& person, long long structure_id)
{
    using access::Profile;
    return person.structure_id == structure_id
        && (person.profile == Profile::Staff || person.profile == Profile::Admin);
}

long long today(Context const& context)
{
    return school_time::day_of_unix(context.now);
}

std::optional<Target> find_target(soci::session& session, TargetKind kind, long long id)
{
    Target target;
    target.kind = kind;
    target.id = id;
    if (kind == TargetKind::Class) {
        session << "SELECT structure_id, name FROM identity_class WHERE id = :id", soci::into(target.structure_id),
            soci::into(target.label), soci::use(id);
        if (!session.got_data())
            return std::nullopt;
        return target;
    }
    std::string profile;
    std::string first;
    std::string last;
    session << "SELECT structure_id, profile, first_name, last_name FROM identity_user WHERE id = :id",
        soci::into(target.structure_id), soci::into(profile), soci::into(first), soci::into(last), soci::use(id);
    if (!session.got_data())
        return std::nullopt;
    if (profile != (kind == TargetKind::Student ? "student" : "teacher"))
        return std::nullopt;
    target.label = first + ' ';
    target.label += last;
    return target;
}

Facts facts_of(soci::session& session, identity::User const& person, Target const& target)
{
    using access::Profile;
    Facts facts;
    facts.same_structure = person.structure_id == target.structure_id;
    facts.staff = person.profile == Profile::Staff || person.profile == Profile::Admin;
    switch (target.kind) {
    case TargetKind::Student: {
        facts.itself = person.id == target.id && person.profile == Profile::Student;
        if (person.profile == Profile::Guardian) {
            long long links = 0;
            session << "SELECT COUNT(*) FROM identity_guardian_link WHERE guardian_id = :guardian AND student_id = "
                       ":student",
                soci::into(links), soci::use(person.id), soci::use(target.id);
            facts.own_child = links != 0;
        }
        break;
    }
    case TargetKind::Teacher:
        facts.itself = person.id == target.id && person.profile == Profile::Teacher;
        break;
    case TargetKind::Class: {
        if (person.profile == Profile::Student) {
            long long member = 0;
            session << "SELECT COUNT(*) FROM identity_class_member WHERE class_id = :class AND user_id = :user",
                soci::into(member), soci::use(target.id), soci::use(person.id);
            facts.member = member != 0;
        } else if (person.profile == Profile::Teacher) {
            long long teaches = 0;
            session << "SELECT COUNT(*) FROM identity_teaching WHERE class_id = :class AND teacher_id = :teacher",
                soci::into(teaches), soci::use(target.id), soci::use(person.id);
            facts.teaches = teaches != 0;
        }
        break;
    }
    }
    return facts;
}

std::vector<Lesson> lessons_of(soci::session& session, Target const& target, long long from_day, long long to_day)
{
    switch (target.kind) {
    case TargetKind::Class:
        return lessons_of_classes(session, { target.id }, from_day, to_day);
    case TargetKind::Teacher:
        return lessons_of_teacher(session, target.id, from_day, to_day);
    case TargetKind::Student:
        break;
    }
    std::vector<long long> classes;
    soci::rowset<long long> rows
        = (session.prepare << "SELECT class_id FROM identity_class_member WHERE user_id = :user ORDER BY class_id",
            soci::use(target.id));
    for (auto id : rows)
        classes.push_back(id);
    return lessons_of_classes(session, classes, from_day, to_day);
}

} // namespace cartable::timetable
