// SPDX-License-Identifier: AGPL-3.0-or-later
// Who reads and writes a class's lesson book in a subject.
#include "services/lesson_book/lesson_book_internal.h"

namespace cartable::lesson_book {

Right right_from(Facts const& facts)
{
    if (!facts.same_structure)
        return Right::None;
    if (facts.teaches_subject)
        return Right::Write;
    if (facts.direction || facts.reader)
        return Right::ReadAll;
    if (facts.teaches_class || facts.student || facts.guardian)
        return Right::ReadPublished;
    return Right::None;
}

Facts facts_of(soci::session& session, identity::User const& person, long long class_id, long long subject_id)
{
    Facts facts;
    long long structure_id = 0;
    session << "SELECT structure_id FROM identity_class WHERE id = :class", soci::into(structure_id),
        soci::use(class_id);
    if (!session.got_data())
        return facts;
    facts.same_structure = structure_id == person.structure_id;
    if (!facts.same_structure) {
        // An inspector may read several structures.
        long long granted = 0;
        session << "SELECT COUNT(*) FROM lesson_book_reader WHERE user_id = :user AND structure_id = :structure",
            soci::into(granted), soci::use(person.id), soci::use(structure_id);
        facts.reader = granted != 0;
        facts.same_structure = facts.reader;
        return facts;
    }
    using access::Profile;
    switch (person.profile) {
    case Profile::Teacher: {
        long long subjects = 0;
        long long same = 0;
        session << "SELECT COUNT(*), COALESCE(SUM(CASE WHEN subject_id = :subject THEN 1 ELSE 0 END), 0) FROM "
                   "identity_teaching WHERE teacher_id = :teacher AND class_id = :class",
            soci::into(subjects), soci::into(same), soci::use(subject_id), soci::use(person.id), soci::use(class_id);
        facts.teaches_class = subjects != 0;
        facts.teaches_subject = same != 0;
        break;
    }
    case Profile::Student: {
        long long member = 0;
        session << "SELECT COUNT(*) FROM identity_class_member WHERE class_id = :class AND user_id = :user",
            soci::into(member), soci::use(class_id), soci::use(person.id);
        facts.student = member != 0;
        break;
    }
    case Profile::Guardian: {
        long long children = 0;
        session << "SELECT COUNT(*) FROM identity_class_member m JOIN identity_guardian_link g ON g.student_id = "
                   "m.user_id WHERE m.class_id = :class AND g.guardian_id = :guardian",
            soci::into(children), soci::use(class_id), soci::use(person.id);
        facts.guardian = children != 0;
        break;
    }
    case Profile::Staff:
    case Profile::Admin:
        break;
    }
    facts.direction = identity::is_direction(person);
    if (!facts.direction) {
        long long granted = 0;
        session << "SELECT COUNT(*) FROM lesson_book_reader WHERE user_id = :user AND structure_id = :structure",
            soci::into(granted), soci::use(person.id), soci::use(structure_id);
        facts.reader = granted != 0;
    }
    return facts;
}

std::vector<long long> classes_of_student(soci::session& session, long long student_id)
{
    std::vector<long long> ids;
    soci::rowset<long long> rows
        = (session.prepare << "SELECT class_id FROM identity_class_member WHERE user_id = :user ORDER BY class_id",
            soci::use(student_id));
    for (auto id : rows)
        ids.push_back(id);
    return ids;
}

std::vector<long long> classes_read_by(soci::session& session, identity::User const& person)
{
    std::vector<long long> ids;
    auto const collect = [&](soci::rowset<long long> const& rows) {
        for (auto id : rows)
            ids.push_back(id);
    };
    using access::Profile;
    if (identity::is_direction(person)) {
        collect((session.prepare << "SELECT id FROM identity_class WHERE structure_id = :structure ORDER BY id",
            soci::use(person.structure_id)));
        return ids;
    }
    switch (person.profile) {
    case Profile::Student:
        return classes_of_student(session, person.id);
    case Profile::Guardian:
        collect((session.prepare << "SELECT DISTINCT m.class_id FROM identity_class_member m JOIN "
                                    "identity_guardian_link g ON g.student_id = m.user_id WHERE g.guardian_id = "
                                    ":guardian ORDER BY m.class_id",
            soci::use(person.id)));
        break;
    case Profile::Teacher:
        collect((session.prepare << "SELECT DISTINCT class_id FROM identity_teaching WHERE teacher_id = :teacher "
                                    "ORDER BY class_id",
            soci::use(person.id)));
        break;
    case Profile::Staff:
    case Profile::Admin:
        break;
    }
    // An inspector's structures.
    collect((session.prepare << "SELECT c.id FROM identity_class c JOIN lesson_book_reader r ON r.structure_id = "
                                "c.structure_id WHERE r.user_id = :user ORDER BY c.id",
        soci::use(person.id)));
    return ids;
}

} // namespace cartable::lesson_book
