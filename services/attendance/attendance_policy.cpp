// SPDX-License-Identifier: AGPL-3.0-or-later
// Who records, corrects, justifies, decides and sees (services/attendance/README.md).
#include "core/db/row.h"
#include "core/identity/identity_store.h"
#include "services/attendance/attendance_internal.h"

namespace cartable::attendance {

Rights right_from(Facts const& facts)
{
    Rights rights;
    if (facts.is_self) {
        rights.sees = true;
        return rights;
    }
    if (facts.guardian) {
        rights.sees = true;
        rights.justifies = facts.legal_guardian;
        return rights;
    }
    if (!facts.same_structure)
        return rights;
    if (facts.profile == access::Profile::Staff && facts.vie_scolaire) {
        rights.sees = true;
        rights.records = true;
        rights.decides = true;
        rights.punishes = true;
        return rights;
    }
    if (facts.direction) {
        rights.sees = true;
        rights.punishes = true;
        return rights;
    }
    if (facts.profile == access::Profile::Teacher && facts.teaches_student) {
        rights.sees = true;
        rights.punishes = true;
    }
    return rights;
}

Facts facts_of(soci::session& session, identity::User const& person, long long student_id)
{
    Facts facts;
    facts.profile = person.profile;
    facts.vie_scolaire = identity::is_vie_scolaire(person);
    facts.direction = identity::is_direction(person);
    auto const student = identity::store::find_user(session, student_id);
    if (!student || student->profile != access::Profile::Student)
        return facts;
    facts.same_structure = student->structure_id == person.structure_id;
    facts.is_self = person.id == student_id;
    if (person.profile == access::Profile::Guardian) {
        long long legal = 0;
        soci::indicator found = soci::i_null;
        session << "SELECT legal FROM identity_guardian_link WHERE guardian_id = :guardian AND student_id = :student",
            soci::use(person.id), soci::use(student_id), soci::into(legal, found);
        facts.guardian = session.got_data() && found == soci::i_ok;
        facts.legal_guardian = facts.guardian && legal != 0;
    }
    if (person.profile == access::Profile::Teacher && facts.same_structure) {
        long long count = 0;
        session << "SELECT COUNT(*) FROM identity_teaching t JOIN identity_class_member m ON m.class_id = t.class_id "
                   "WHERE t.teacher_id = :teacher AND m.user_id = :student",
            soci::use(person.id), soci::use(student_id), soci::into(count);
        facts.teaches_student = count > 0;
    }
    return facts;
}

Rights rights_toward(soci::session& session, identity::User const& person, long long student_id)
{
    return right_from(facts_of(session, person, student_id));
}

bool may_edit_call(identity::User const& person, long long teacher_id, long long day, long long today)
{
    if (person.profile == access::Profile::Staff && identity::is_vie_scolaire(person))
        return true;
    return person.profile == access::Profile::Teacher && person.id == teacher_id && day == today;
}

bool runs_desk(identity::User const& person)
{
    return (person.profile == access::Profile::Staff && identity::is_vie_scolaire(person))
        || identity::is_direction(person);
}

std::vector<Motive> motives_of(soci::session& session, long long structure_id)
{
    auto read = [&] {
        std::vector<Motive> motives;
        soci::rowset<soci::row> rows
            = (session.prepare << "SELECT id, label, for_guardians, accepted FROM attendance_motive WHERE "
                                  "structure_id = :structure AND active = 1 ORDER BY position, id",
                soci::use(structure_id));
        for (auto const& row : rows) {
            Motive motive;
            motive.id = db::integer_at(row, 0);
            motive.label = row.get<std::string>(1);
            motive.for_guardians = db::integer_at(row, 2) != 0;
            motive.accepted = db::integer_at(row, 3) != 0;
            motives.push_back(std::move(motive));
        }
        return motives;
    };
    auto motives = read();
    long long stored = 0;
    session << "SELECT COUNT(*) FROM attendance_motive WHERE structure_id = :structure", soci::use(structure_id),
        soci::into(stored);
    if (stored > 0)
        return motives;
    struct Default {
        char const* label;
        long long for_guardians;
        long long accepted;
    };
    static constexpr Default defaults[] = {
        { "Maladie", 1, 1 },
        { "Rendez-vous médical", 1, 1 },
        { "Raison familiale", 1, 0 },
        { "Transport (grève, intempéries)", 1, 0 },
        { "Convocation officielle (examen, administration)", 1, 1 },
        { "Panne de réveil", 1, 0 },
        { "Activité scolaire (sortie, compétition UNSS)", 0, 0 },
        { "Autre", 1, 0 },
    };
    long long position = 0;
    for (auto const& motive : defaults) {
        ++position;
        std::string const label = motive.label;
        session << "INSERT INTO attendance_motive (structure_id, label, for_guardians, accepted, position) VALUES "
                   "(:structure, :label, :guardians, :accepted, :position) ON CONFLICT (structure_id, label) DO "
                   "NOTHING",
            soci::use(structure_id), soci::use(label), soci::use(motive.for_guardians), soci::use(motive.accepted),
            soci::use(position);
    }
    return read();
}

std::optional<Motive> find_motive(soci::session& session, long long structure_id, long long motive_id)
{
    for (auto& motive : motives_of(session, structure_id))
        if (motive.id == motive_id)
            return std::move(motive);
    return std::nullopt;
}

Settings settings_of(soci::session& session, long long structure_id)
{
    Settings settings;
    long long half_days = 0;
    long long lateness = 0;
    soci::indicator found = soci::i_null;
    session << "SELECT alert_half_days, alert_lateness FROM attendance_setting WHERE structure_id = :structure",
        soci::use(structure_id), soci::into(half_days, found), soci::into(lateness);
    if (session.got_data() && found == soci::i_ok) {
        settings.alert_half_days = half_days;
        settings.alert_lateness = lateness;
    }
    return settings;
}

} // namespace cartable::attendance
