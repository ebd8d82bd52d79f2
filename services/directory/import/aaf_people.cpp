// SPDX-License-Identifier: AGPL-3.0-or-later
// The people of the feed (students, guardians, staff): docs/aaf.md,
// « Attributes read, by kind ».
#include "core/validate.h"
#include "services/directory/import/aaf_importer.h"
#include "services/directory/import/import_text.h"
#include <algorithm>
#include <set>

namespace cartable::directory::aaf {

namespace {

template<typename Values> void sort_unique(Values& values)
{
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
}

std::string function_of(std::vector<std::string> const& functions, std::string const& national)
{
    for (auto const& value : functions) {
        auto parts = split(value);
        if (parts.size() < 3)
            continue;
        auto code = parts[1];
        if (code == "ENS")
            continue;
        if (code == "EDU")
            return "CPE";
        if (code == "DOC")
            return "Documentaliste";
        // The job itself when the feed gives it (« PROVISEUR »,
        // « SECRETARIAT »), else the function's label.
        if (parts.size() >= 5 && !parts[4].empty() && parts[4] != "-")
            return title_case(parts[4]);
        auto label = title_case(parts[2]);
        if (code == "DIR" && (label.empty() || label == "Direction"))
            return "Direction";
        return label;
    }
    return national == "DOC" ? "Documentaliste" : "";
}

} // namespace

// Everything the database holds of the batch's people, a few statements
// for all of them (the records are compared with it, row by row).
void Importer::read_known(soci::session& session, Kind kind, std::vector<Record> const& records)
{
    m_known.people.clear();
    m_known.contacts.clear();
    m_known.memberships.clear();
    m_known.link_sources.clear();
    m_known.functions.clear();
    m_known.teachings.clear();
    m_known.head_classes.clear();
    m_known.structure_of_students.clear();
    std::vector<std::string> externals;
    externals.reserve(records.size());
    for (auto const& record : records) {
        if (!record.id.empty())
            externals.push_back(record.id);
    }
    std::span<std::string const> keys(externals);
    db::prepared<queries::People>(session).each(keys, [&](queries::PersonTuple const& row) {
        auto& person = m_known.people[std::get<0>(row)];
        std::tie(std::ignore, person.id, person.civility, person.first_name, person.last_name, person.profile,
            person.function, person.structure_id, person.active, person.national_profile, person.birth_date,
            person.mef_id)
            = row;
    });
    std::vector<long long> ids;
    for (auto const& [external, person] : m_known.people)
        ids.push_back(person.id);
    std::span<long long const> people(ids);
    if (!ids.empty()) {
        db::prepared<queries::Contacts>(session).each(people, [&](queries::ContactTuple const& row) {
            auto& contact = m_known.contacts[std::get<0>(row)];
            std::tie(std::ignore, contact.fields[0], contact.fields[1], contact.fields[2], contact.fields[3],
                contact.fields[4], contact.fields[5], contact.fields[6], contact.unlisted)
                = row;
        });
    }
    if (kind == Kind::Student) {
        if (!ids.empty()) {
            db::prepared<queries::Memberships>(session).each(people, [&](auto const& row) {
                m_known.memberships[std::get<0>(row)].emplace_back(std::get<1>(row), std::get<2>(row));
            });
        }
        // By jointure: some may remain of a person no longer there.
        db::prepared<queries::LinkSources>(session).each(
            keys, [&](queries::LinkSourceTuple const& row) { m_known.link_sources[std::get<0>(row)].push_back(row); });
    } else if (kind == Kind::Staff && !ids.empty()) {
        db::prepared<queries::Functions>(session).each(
            people, [&](queries::FunctionTuple const& row) { m_known.functions[std::get<0>(row)].push_back(row); });
        db::prepared<queries::Teachings>(session).each(people, [&](auto const& row) {
            m_known.teachings[std::get<0>(row)].emplace_back(std::get<1>(row), std::get<2>(row));
        });
        db::prepared<queries::HeadClasses>(session).each(
            people, [&](auto const& row) { m_known.head_classes[std::get<0>(row)].push_back(std::get<1>(row)); });
    } else if (kind == Kind::Guardian) {
        std::vector<std::string> students;
        for (auto const& record : records) {
            if (auto const* named = record.values("ENTAuxPersRelEleveEleve"))
                students.insert(students.end(), named->begin(), named->end());
        }
        sort_unique(students);
        db::prepared<queries::StructuresOfPeople>(session).each(std::span<std::string const>(students),
            [&](auto const& row) { m_known.structure_of_students[std::get<0>(row)] = std::get<1>(row); });
    }
}

std::optional<Rejected> Importer::apply_person(soci::session& session, Kind kind, Record const& record)
{
    PersonRow row;
    auto found = m_known.people.find(record.id);
    bool known = found != m_known.people.end();
    if (known)
        row = found->second;

    if (record.operation == Operation::Delete) {
        if (!known)
            return Rejected { "suppression d'une personne inconnue" };
        auto& count = counts(session, row.structure_id, person_profile_label(kind));
        if (row.active) {
            db::prepared<queries::DepartPerson>(session)(m_options.now, row.id);
            ++count.departed;
        } else {
            ++count.unchanged;
        }
        return std::nullopt;
    }
    if (!known && record.operation == Operation::Modify)
        return Rejected { "modification d'une personne inconnue" };

    PersonRow wanted = row;
    if (record.has("sn") || !known) {
        wanted.last_name = record.first("sn");
        if (wanted.last_name.empty())
            return Rejected { "nom de famille (sn) absent" };
    }
    if (record.has("givenName") || !known) {
        wanted.first_name = record.first("givenName");
        if (wanted.first_name.empty())
            return Rejected { "prénom (givenName) absent" };
    }
    if (record.has("personalTitle"))
        wanted.civility = civility_of(record.first("personalTitle"));
    if (record.has("ENTPersonDateNaissance")) {
        auto text = record.first("ENTPersonDateNaissance");
        if (text.empty()) {
            wanted.birth_date.clear();
        } else {
            auto date = iso_date(text);
            if (!date)
                return Rejected { "date de naissance « " + text + " » invalide (jj/mm/aaaa attendu)" };
            wanted.birth_date = *date;
        }
    }
    if (kind == Kind::Student && record.has("ENTEleveMEF"))
        wanted.mef_id = record.first("ENTEleveMEF");
    if (auto refusal = where_person_belongs(session, kind, record, known, wanted))
        return refusal;

    bool changed = false;
    Person person { row.id, !known };
    if (known) {
        changed = wanted.civility != row.civility || wanted.first_name != row.first_name
            || wanted.last_name != row.last_name || wanted.profile != row.profile || wanted.function != row.function
            || wanted.structure_id != row.structure_id || row.active == 0
            || wanted.national_profile != row.national_profile || wanted.birth_date != row.birth_date
            || wanted.mef_id != row.mef_id;
        if (changed)
            db::prepared<queries::UpdatePerson>(session)(wanted.civility, wanted.first_name, wanted.last_name,
                wanted.profile, wanted.function, wanted.structure_id, wanted.national_profile, wanted.birth_date,
                wanted.mef_id, row.id);
    } else {
        person.ref = add_person(session, wanted, record.id);
    }

    // Contact details from the feed (the liste rouge choice is the person's).
    changed = apply_contact(session, record, person) || changed;
    if (kind == Kind::Student) {
        changed = apply_memberships(session, record, person, "ENTEleveClasses", "class") || changed;
        changed = apply_memberships(session, record, person, "ENTEleveGroupes", "group") || changed;
        auto links = apply_link_sources(session, record);
        if (!links)
            return Rejected { "lien responsable (ENTElevePersRelEleve) mal formé : 6 champs séparés par $ attendus" };
        changed = *links || changed;
        m_touched_students.push_back(record.id);
    } else if (kind == Kind::Guardian) {
        m_touched_guardians.push_back(record.id);
    } else {
        apply_functions(session, record, person);
        changed = apply_teachings(session, record, person) || changed;
        apply_head_classes(session, record, person);
    }
    if (m_report.full)
        m_seen.insert(record.id);

    auto& count = counts(session, wanted.structure_id, profile_label(wanted.profile));
    if (!known)
        ++count.created;
    else if (changed)
        ++count.updated;
    else
        ++count.unchanged;
    return std::nullopt;
}

// The structure and profile of the person: the structure of attachment,
// or for a guardian the structure of one of the children.
std::optional<Rejected> Importer::where_person_belongs(
    soci::session& session, Kind kind, Record const& record, bool known, PersonRow& wanted)
{
    if (kind == Kind::Guardian) {
        if (!known || record.has("ENTAuxPersRelEleveEleve")) {
            std::optional<long long> structure;
            if (auto const* students = record.values("ENTAuxPersRelEleveEleve")) {
                for (auto const& student : *students) {
                    if (auto found = m_known.structure_of_students.find(student);
                        found != m_known.structure_of_students.end()) {
                        structure = found->second;
                        break;
                    }
                }
            }
            if (!structure) {
                if (auto linked = db::prepared<queries::StructureOfLinkedStudent>(session).first(record.id))
                    structure = std::get<0>(*linked);
            }
            if (!structure && !known)
                return Rejected { "responsable sans élève connu (ENTAuxPersRelEleveEleve)" };
            if (structure)
                wanted.structure_id = *structure;
        }
        wanted.profile = "guardian";
        wanted.national_profile = "TUT";
        return std::nullopt;
    }
    if (record.has("ENTPersonStructRattach") || !known) {
        auto external = split(record.first("ENTPersonStructRattach"))[0];
        if (external.empty())
            return Rejected { "établissement de rattachement (ENTPersonStructRattach) absent" };
        auto structure = structure_by_external(session, external);
        if (!structure)
            return Rejected { "établissement de rattachement « " + std::string(external) + " » inconnu" };
        wanted.structure_id = structure->id;
    }
    if (kind == Kind::Student) {
        wanted.profile = "student";
        wanted.national_profile = "ELV";
        return std::nullopt;
    }
    if (record.has("ENTPersonProfils") || !known) {
        auto const* profiles = record.values("ENTPersonProfils");
        std::string national = profiles && !profiles->empty() ? profiles->front() : "National_ENS";
        if (national.starts_with("National_"))
            national = national.substr(9);
        wanted.national_profile = national;
        wanted.profile = (national == "ENS" || national == "DOC") ? "teacher" : "staff";
    }
    if (auto const* functions = record.values("ENTPersonFonctions"))
        wanted.function = function_of(*functions, wanted.national_profile);
    return std::nullopt;
}

// A new person, inserted at the end of the batch; its reference until then.
long long Importer::add_person(soci::session& session, PersonRow const& person, std::string const& external)
{
    m_new_people.add({ new_login(session, person.first_name, person.last_name), person.civility, person.first_name,
        person.last_name, person.profile, person.function, person.structure_id, m_options.now, external,
        person.national_profile, person.birth_date, person.mef_id });
    return -static_cast<long long>(m_new_people.rows.size());
}

// A login nobody has: « prenom.nom », then « prenom.nom2 »… For a full
// export the logins taken are read once; for a delta (a few new people)
// those of the name are looked up, 64 candidates at a time. What is known
// of a name is kept: the suffixes below the last one given are taken (a
// common name would try hundreds).
std::string Importer::new_login(soci::session& session, std::string const& first, std::string const& last)
{
    if (m_report.full && !m_logins_loaded) {
        db::prepared<queries::AllLogins>(session).each([&](auto const& row) { m_logins.insert(std::get<0>(row)); });
        m_logins_loaded = true;
    }
    auto base = login_part(first) + "." + login_part(last);
    auto& name = m_login_names[base];
    auto candidate_of = [&](int suffix) { return suffix == 1 ? base : base + std::to_string(suffix); };
    for (int suffix = name.next;; ++suffix) {
        if (!m_logins_loaded && suffix > name.looked_up) {
            std::vector<std::string> candidates;
            for (int next = suffix; next < suffix + static_cast<int>(import::MANY); ++next)
                candidates.push_back(candidate_of(next));
            db::prepared<queries::LoginsTaken>(session).each(
                std::span<std::string const>(candidates), [&](auto const& row) { m_logins.insert(std::get<0>(row)); });
            name.looked_up = suffix + static_cast<int>(import::MANY) - 1;
        }
        auto candidate = candidate_of(suffix);
        if (!m_logins.contains(candidate)) {
            name.next = suffix + 1;
            m_logins.insert(candidate);
            return candidate;
        }
    }
}

bool Importer::apply_contact(soci::session& session, Record const& record, Person person)
{
    static constexpr std::string_view FIELDS[] = { "ENTPersonAdresse", "ENTPersonCodePostal", "ENTPersonVille",
        "homePhone", "telephoneNumber", "mobile", "mail" };
    bool any = false;
    for (auto name : FIELDS)
        any = any || record.has(name);
    if (!any)
        return false;
    Contact contact;
    bool stored = false; // a row to update
    if (!person.is_new) {
        if (auto found = m_known.contacts.find(person.ref); found != m_known.contacts.end()) {
            contact = found->second;
            stored = true;
        }
    }
    bool changed = false;
    for (std::size_t index = 0; index < std::size(FIELDS); ++index) {
        auto const* values = record.values(FIELDS[index]);
        if (!record.has(FIELDS[index]))
            continue;
        std::string value;
        for (auto const& line : *values) {
            if (!value.empty())
                value += ", "; // multi-line addresses
            value += line;
        }
        if (index >= 3 && index <= 5 && !value.empty())
            value = validate::phone_number(value).value_or(value);
        if (contact.fields[index] != value) {
            contact.fields[index] = std::move(value);
            changed = true;
        }
    }
    if (!changed)
        return false;
    auto const& fields = contact.fields;
    if (stored)
        db::prepared<queries::UpdateContact>(session)(
            fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], person.ref);
    else
        m_new_contacts.add({ person.ref, fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6],
            contact.unlisted });
    return true;
}

// Replaces the person's classes (or groups) by those the record gives.
bool Importer::apply_memberships(
    soci::session& session, Record const& record, Person person, char const* attribute, char const* kind)
{
    auto const* values = record.values(attribute);
    if (!values)
        return false;
    std::vector<long long> wanted;
    for (auto const& value : *values) {
        auto parts = split(value);
        if (parts.size() < 2 || parts[1].empty())
            continue;
        auto structure = structure_by_external(session, parts[0]);
        if (!structure)
            continue;
        wanted.push_back(ensure_class(session, structure->id, kind, parts[1], nullptr));
    }
    sort_unique(wanted);
    std::vector<long long> current;
    if (!person.is_new) {
        if (auto found = m_known.memberships.find(person.ref); found != m_known.memberships.end()) {
            for (auto const& [class_of, class_kind] : found->second) {
                if (class_kind == kind)
                    current.push_back(class_of);
            }
        }
    }
    sort_unique(current);
    if (current == wanted)
        return false;
    for (auto id : current) {
        if (!std::binary_search(wanted.begin(), wanted.end(), id))
            db::prepared<queries::DeleteMember>(session)(id, person.ref);
    }
    for (auto id : wanted) {
        if (!std::binary_search(current.begin(), current.end(), id))
            m_new_members.add({ id, person.ref });
    }
    return true;
}

// The links a student's record gives, kept by jointure until the guardians
// are known (resolve_links). Nothing when a value is malformed.
std::optional<bool> Importer::apply_link_sources(soci::session& session, Record const& record)
{
    auto const* values = record.values("ENTElevePersRelEleve");
    if (!values)
        return false;
    std::vector<queries::LinkSourceTuple> links;
    for (auto const& value : *values) {
        auto parts = split(value);
        if (parts.size() != 6 || parts[0].empty())
            return std::nullopt;
        queries::LinkSourceTuple link { record.id, std::string(parts[0]), std::string(parts[1]), 0, 0, 0, 0 };
        long long* flags[] = { &std::get<3>(link), &std::get<4>(link), &std::get<5>(link), &std::get<6>(link) };
        for (std::size_t index = 0; index < 4; ++index) {
            auto flag = parts[index + 2];
            if (flag != "0" && flag != "1" && flag != "O" && flag != "N" && !flag.empty())
                return std::nullopt;
            *flags[index] = (flag == "1" || flag == "O") ? 1 : 0;
        }
        // One link per guardian: the first the record gives.
        auto same_guardian
            = [&](queries::LinkSourceTuple const& other) { return std::get<1>(other) == std::get<1>(link); };
        if (std::none_of(links.begin(), links.end(), same_guardian))
            links.push_back(std::move(link));
    }
    auto sorted = links;
    std::sort(sorted.begin(), sorted.end());
    auto& current = m_known.link_sources[record.id];
    std::sort(current.begin(), current.end());
    if (sorted == current)
        return false;
    if (!current.empty())
        db::prepared<queries::DeleteLinkSources>(session)(record.id);
    for (auto& link : links)
        m_new_link_sources.add(std::move(link));
    return false; // links are counted when resolved
}

// A staff member's functions (the first of each structure, code and
// discipline).
void Importer::apply_functions(soci::session& session, Record const& record, Person person)
{
    auto const* values = record.values("ENTPersonFonctions");
    if (!values)
        return;
    std::vector<queries::FunctionTuple> wanted;
    for (auto const& value : *values) {
        auto parts = split(value);
        if (parts.size() < 2)
            continue;
        auto structure = structure_by_external(session, parts[0]);
        if (!structure)
            continue;
        queries::FunctionTuple function { person.ref, structure->id, std::string(parts[1]), std::string(parts[2]),
            std::string(parts[3]), std::string(parts[4]) };
        auto same = [&](queries::FunctionTuple const& other) {
            return std::get<1>(other) == std::get<1>(function) && std::get<2>(other) == std::get<2>(function)
                && std::get<4>(other) == std::get<4>(function);
        };
        if (std::none_of(wanted.begin(), wanted.end(), same))
            wanted.push_back(std::move(function));
    }
    if (!person.is_new) {
        auto sorted = wanted;
        std::sort(sorted.begin(), sorted.end());
        auto& current = m_known.functions[person.ref];
        std::sort(current.begin(), current.end());
        if (sorted == current)
            return;
        if (!current.empty())
            db::prepared<queries::DeleteFunctions>(session)(person.ref);
    }
    for (auto& function : wanted)
        m_new_functions.add(std::move(function));
}

bool Importer::apply_teachings(soci::session& session, Record const& record, Person person)
{
    auto const* classes = record.values("ENTAuxEnsClassesMatieres");
    auto const* groups = record.values("ENTAuxEnsGroupesMatieres");
    if (!classes && !groups)
        return false;
    std::vector<std::pair<long long, long long>> wanted; // class, subject
    for (auto const& [values, kind] : { std::pair { classes, "class" }, std::pair { groups, "group" } }) {
        if (!values)
            continue;
        for (auto const& value : *values) {
            auto parts = split(value);
            if (parts.size() < 3)
                continue;
            auto structure = structure_by_external(session, parts[0]);
            if (!structure)
                continue;
            auto class_of = ensure_class(session, structure->id, kind, parts[1], nullptr);
            if (auto subject = subject_of_structure(session, structure->id, std::string(parts[2])))
                wanted.emplace_back(class_of, *subject);
        }
    }
    sort_unique(wanted);
    m_report.teachings += static_cast<long long>(wanted.size());
    std::vector<std::pair<long long, long long>> current;
    if (!person.is_new) {
        if (auto found = m_known.teachings.find(person.ref); found != m_known.teachings.end())
            current = found->second;
    }
    sort_unique(current);
    if (current == wanted)
        return false;
    if (!current.empty())
        db::prepared<queries::DeleteTeachings>(session)(person.ref);
    for (auto const& [class_of, subject] : wanted)
        m_new_teachings.add({ person.ref, class_of, subject });
    return true;
}

// The classes whose « professeur principal » the teacher is.
void Importer::apply_head_classes(soci::session& session, Record const& record, Person person)
{
    auto const* principal = record.values("ENTAuxEnsClassesPrincipal");
    if (!principal)
        return;
    std::vector<long long> wanted;
    for (auto const& value : *principal) {
        auto parts = split(value);
        if (parts.size() < 2)
            continue;
        auto structure = structure_by_external(session, parts[0]);
        if (!structure)
            continue;
        wanted.push_back(ensure_class(session, structure->id, "class", parts[1], nullptr));
    }
    sort_unique(wanted);
    m_report.head_teachers += static_cast<long long>(wanted.size());
    std::vector<long long> current;
    if (!person.is_new) {
        if (auto found = m_known.head_classes.find(person.ref); found != m_known.head_classes.end())
            current = found->second;
    }
    sort_unique(current);
    if (current == wanted)
        return;
    if (!current.empty())
        db::prepared<queries::DeleteHeadClasses>(session)(person.ref);
    for (auto class_of : wanted)
        m_new_head_classes.add({ person.ref, class_of });
}

// The rows of the batch, people first: their ids replace their references
// in the rows that name them.
void Importer::write_pending(soci::session& session)
{
    if (!m_new_people.empty()) {
        std::vector<std::string> externals;
        externals.reserve(m_new_people.rows.size());
        for (auto const& row : m_new_people.rows)
            externals.push_back(std::get<8>(row));
        std::unordered_map<std::string, long long> ids;
        m_new_people.flush(session, [&](auto const& returned) { ids[std::get<1>(returned)] = std::get<0>(returned); });
        auto resolve = [&](long long& ref) {
            if (ref < 0)
                ref = ids.at(externals[static_cast<std::size_t>(-ref - 1)]);
        };
        for (auto& row : m_new_contacts.rows)
            resolve(std::get<0>(row));
        for (auto& row : m_new_members.rows)
            resolve(std::get<1>(row));
        for (auto& row : m_new_functions.rows)
            resolve(std::get<0>(row));
        for (auto& row : m_new_teachings.rows)
            resolve(std::get<0>(row));
        for (auto& row : m_new_head_classes.rows)
            resolve(std::get<0>(row));
    }
    m_new_contacts.flush(session);
    m_new_members.flush(session);
    m_new_link_sources.flush(session);
    m_new_functions.flush(session);
    m_new_teachings.flush(session);
    m_new_head_classes.flush(session);
}

} // namespace cartable::directory::aaf
