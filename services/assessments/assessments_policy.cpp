// SPDX-License-Identifier: AGPL-3.0-or-later
// Who grades, reads, appraises and publishes (services/assessments/README.md).
#include "core/db/row.h"
#include "core/identity/identity_store.h"
#include "services/assessments/assessments_internal.h"

namespace cartable::assessments {

Rights right_from(Facts const& facts)
{
    Rights rights;
    if (facts.member || facts.guardian_of_member) {
        rights.reads_published = true;
        return rights;
    }
    if (!facts.same_structure)
        return rights;
    if (facts.profile == access::Profile::Teacher) {
        rights.grades = facts.teaches_subject;
        rights.reads_all = facts.teaches_class || facts.head_teacher;
        rights.appraises_class = facts.head_teacher;
        return rights;
    }
    if (facts.direction) {
        rights.reads_all = true;
        rights.publishes_reports = true;
        return rights;
    }
    if (facts.profile == access::Profile::Staff && facts.vie_scolaire)
        rights.reads_all = true; // the CPE sits in the class council
    return rights;
}

Facts facts_of(soci::session& session, identity::User const& person, long long class_id, long long subject_id)
{
    Facts facts;
    facts.profile = person.profile;
    facts.direction = identity::is_direction(person);
    facts.vie_scolaire = identity::is_vie_scolaire(person);
    long long structure_id = 0;
    soci::indicator found = soci::i_null;
    session << "SELECT structure_id FROM identity_class WHERE id = :class", soci::use(class_id),
        soci::into(structure_id, found);
    if (!session.got_data() || found != soci::i_ok)
        return facts;
    facts.same_structure = structure_id == person.structure_id;
    long long count = 0;
    switch (person.profile) {
    case access::Profile::Student:
        session << "SELECT COUNT(*) FROM identity_class_member WHERE class_id = :class AND user_id = :person",
            soci::use(class_id), soci::use(person.id), soci::into(count);
        facts.member = count > 0;
        break;
    case access::Profile::Guardian:
        session << "SELECT COUNT(*) FROM identity_guardian_link g JOIN identity_class_member m ON m.user_id = "
                   "g.student_id WHERE g.guardian_id = :person AND m.class_id = :class",
            soci::use(person.id), soci::use(class_id), soci::into(count);
        facts.guardian_of_member = count > 0;
        break;
    case access::Profile::Teacher: {
        soci::rowset<soci::row> rows = (session.prepare << "SELECT subject_id FROM identity_teaching WHERE "
                                                           "teacher_id = :person AND class_id = :class",
            soci::use(person.id), soci::use(class_id));
        for (auto const& row : rows) {
            facts.teaches_class = true;
            if (db::integer_at(row, 0) == subject_id)
                facts.teaches_subject = true;
        }
        session << "SELECT COUNT(*) FROM directory_head_teacher WHERE class_id = :class AND teacher_id = :person",
            soci::use(class_id), soci::use(person.id), soci::into(count);
        facts.head_teacher = count > 0;
        break;
    }
    default:
        break;
    }
    return facts;
}

Rights rights_toward(soci::session& session, identity::User const& person, long long class_id, long long subject_id)
{
    return right_from(facts_of(session, person, class_id, subject_id));
}

school::Assessment Stored::marks() const
{
    school::Assessment assessment;
    assessment.id = id;
    assessment.subject_id = subject_id;
    assessment.scale = scale;
    assessment.coefficient_hundredths = coefficient_hundredths;
    return assessment;
}

school::Rounding rounding_of(soci::session& session, long long structure_id)
{
    std::string rounding;
    soci::indicator found = soci::i_null;
    session << "SELECT rounding FROM assessments_setting WHERE structure_id = :structure", soci::use(structure_id),
        soci::into(rounding, found);
    if (!session.got_data() || found != soci::i_ok)
        return school::Rounding::Hundredth;
    return school::rounding_from_store(rounding);
}

} // namespace cartable::assessments
