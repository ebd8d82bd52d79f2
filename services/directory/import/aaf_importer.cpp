// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/directory/import/aaf_importer.h"
#include "core/identity/identity.h"
#include "core/identity/identity_store.h"
#include "services/directory/import/import_text.h"
#include <algorithm>
#include <cctype>

namespace cartable::directory::aaf {

namespace {

using access::Profile;

bool is_uai(std::string const& text)
{
    if (text.size() != 8)
        return false;
    for (std::size_t index = 0; index < 7; ++index) {
        if (text[index] < '0' || text[index] > '9')
            return false;
    }
    return std::isalpha(static_cast<unsigned char>(text[7])) != 0;
}

std::string structure_kind(std::string const& code)
{
    if (code == "LYC")
        return "Lycée";
    if (code == "CLG")
        return "Collège";
    if (code == "LP" || code == "LPO")
        return "Lycée professionnel";
    if (code == "EREA")
        return "EREA";
    return code;
}

std::string relationship_of(std::string const& code)
{
    if (code == "10")
        return "père";
    if (code == "20")
        return "mère";
    if (code == "37")
        return "tuteur";
    if (code == "50")
        return "autre membre de la famille";
    return "autre";
}

} // namespace

Fields split(std::string_view text, char separator)
{
    Fields fields;
    std::size_t start = 0;
    while (true) {
        auto end = text.find(separator, start);
        if (fields.count < fields.parts.size())
            fields.parts[fields.count] = text.substr(start, end == std::string_view::npos ? end : end - start);
        ++fields.count;
        if (end == std::string_view::npos)
            return fields;
        start = end + 1;
    }
}

std::string title_case(std::string_view text)
{
    std::string result;
    bool start = true;
    for (std::size_t index = 0; index < text.size(); ++index) {
        auto c = static_cast<unsigned char>(text[index]);
        if (c < 0x80) {
            result += static_cast<char>(start ? std::toupper(c) : std::tolower(c));
            start = !std::isalpha(c);
        } else if (c == 0xC3 && index + 1 < text.size()) {
            auto next = static_cast<unsigned char>(text[index + 1]);
            result += static_cast<char>(c);
            // Capital accented letters (À–Þ) to small ones (à–þ) inside a word.
            result += static_cast<char>(!start && next >= 0x80 && next <= 0x9E ? next + 0x20 : next);
            ++index;
            start = false;
        } else {
            result += static_cast<char>(c);
        }
    }
    return result;
}

void Importer::apply_batch(soci::session& session, Kind kind, std::vector<Record> const& records,
    std::string const& file, std::vector<Rejection>& rejected)
{
    // Left by a batch that failed (its transaction rolled back).
    m_new_people.rows.clear();
    m_new_contacts.rows.clear();
    m_new_members.rows.clear();
    m_new_link_sources.rows.clear();
    m_new_functions.rows.clear();
    m_new_teachings.rows.clear();
    m_new_head_classes.rows.clear();
    if (kind == Kind::Student || kind == Kind::Guardian || kind == Kind::Staff)
        read_known(session, kind, records);
    for (auto const& record : records) {
        if (auto refusal = apply(session, kind, record)) {
            count_rejection(session, kind, record);
            rejected.push_back({ file, record.line, record.id, refusal->reason });
        }
    }
    write_pending(session);
}

std::optional<Rejected> Importer::apply(soci::session& session, Kind kind, Record const& record)
{
    if (!record.malformed.empty())
        return Rejected { record.malformed };
    if (record.id.empty())
        return Rejected { "identifiant (<identifier><id>) absent" };
    switch (kind) {
    case Kind::Structure:
        return apply_structure(session, record);
    case Kind::Subject:
        return apply_subject(session, record);
    case Kind::Mef:
        return apply_mef(session, record);
    case Kind::Student:
    case Kind::Guardian:
    case Kind::Staff:
        return apply_person(session, kind, record);
    }
    return std::nullopt;
}

void Importer::finish(soci::session& session)
{
    m_new_guardian_links.rows.clear();
    resolve_links(session);
    if (m_report.full)
        depart_absent(session);
}

void Importer::count_rejection(soci::session& session, Kind kind, Record const& record)
{
    if (kind == Kind::Structure || kind == Kind::Subject || kind == Kind::Mef) {
        ++m_report.structures.rejected;
        return;
    }
    auto label = structure_label_of(session, record);
    ++m_report.people[label.empty() ? std::string("(établissement inconnu)") : label][person_profile_label(kind)]
          .rejected;
}

// The structure a rejected record belongs to, as far as it is known.
std::string Importer::structure_label_of(soci::session& session, Record const& record)
{
    auto external = split(record.first("ENTPersonStructRattach"))[0];
    if (auto found = m_structures.find(std::string(external)); found != m_structures.end())
        return found->second.label;
    if (auto known = m_known.people.find(record.id); known != m_known.people.end())
        return label_of_structure(session, known->second.structure_id);
    return {};
}

std::string const& Importer::label_of_structure(soci::session& session, long long structure_id)
{
    if (auto found = m_structure_labels.find(structure_id); found != m_structure_labels.end())
        return found->second;
    std::string name;
    std::string uai;
    std::string external;
    session << "SELECT name, uai, external_id FROM identity_structure WHERE id = :id", soci::use(structure_id),
        soci::into(name), soci::into(uai), soci::into(external);
    if (!session.got_data())
        return m_structure_labels[structure_id] = "(établissement " + std::to_string(structure_id) + ")";
    KnownStructure known { structure_id, name + " (" + uai + ")" };
    m_structures[external.empty() ? "#" + std::to_string(structure_id) : external] = known;
    return m_structure_labels[structure_id] = known.label;
}

Counts& Importer::counts(soci::session& session, long long structure_id, std::string const& profile_label)
{
    // The report's map of the structure, found once by its label.
    auto found = m_counts.find(structure_id);
    if (found == m_counts.end())
        found = m_counts.emplace(structure_id, &m_report.people[label_of_structure(session, structure_id)]).first;
    return (*found->second)[profile_label];
}

std::string const& Importer::profile_label(std::string const& profile_code)
{
    auto found = m_profile_labels.find(profile_code);
    if (found == m_profile_labels.end())
        found = m_profile_labels
                    .emplace(profile_code,
                        std::string(
                            access::profile_label(access::profile_from_code(profile_code).value_or(Profile::Student))))
                    .first;
    return found->second;
}

std::string const& Importer::person_profile_label(Kind kind)
{
    return profile_label(kind == Kind::Student ? "student" : kind == Kind::Guardian ? "guardian" : "staff");
}

std::optional<Importer::KnownStructure> Importer::structure_by_external(
    soci::session& session, std::string_view external_view)
{
    m_key.assign(external_view);
    if (auto found = m_structures.find(m_key); found != m_structures.end())
        return found->second;
    std::string external(external_view);
    long long id = 0;
    std::string name;
    std::string uai;
    session << "SELECT id, name, uai FROM identity_structure WHERE external_id = :external", soci::use(external),
        soci::into(id), soci::into(name), soci::into(uai);
    if (!session.got_data())
        return std::nullopt;
    KnownStructure known { id, name + " (" + uai + ")" };
    m_structures[external] = known;
    m_structure_labels[id] = known.label;
    return known;
}

// The classes and subjects of a structure, read once when first needed.
void Importer::load_structure(soci::session& session, long long structure_id)
{
    if (!m_loaded_structures.insert(structure_id).second)
        return;
    db::prepared<queries::ClassesOf>(session).each(structure_id, [&](auto const& row) {
        auto const& [id, kind, name, label] = row;
        m_key.assign(std::to_string(structure_id)).append("$").append(kind).append("$").append(name);
        m_classes.try_emplace(m_key, KnownClass { id, label });
    });
    db::prepared<queries::SubjectsOf>(session).each(structure_id, [&](auto const& row) {
        m_key.assign(std::to_string(structure_id)).append("$").append(std::get<1>(row));
        m_structure_subjects.try_emplace(m_key, std::get<0>(row));
    });
}

// The class (or group) of that code in the structure, created if need be.
// Its label is the structure's record's (`label`); a class only named by a
// member or a teacher is labelled with its code.
long long Importer::ensure_class(soci::session& session, long long structure_id, std::string_view kind,
    std::string_view code, std::string_view const* label)
{
    auto key = [&] { m_key.assign(std::to_string(structure_id)).append("$").append(kind).append("$").append(code); };
    key();
    auto found = m_classes.find(m_key);
    if (found == m_classes.end() && !m_loaded_structures.contains(structure_id)) {
        load_structure(session, structure_id);
        key();
        found = m_classes.find(m_key);
    }
    if (found == m_classes.end()) {
        std::string kind_text(kind);
        std::string name(code);
        if (auto existing = db::prepared<queries::FindClass>(session).first(structure_id, kind_text, name)) {
            found = m_classes.emplace(m_key, KnownClass { std::get<0>(*existing), std::get<1>(*existing) }).first;
        } else {
            std::string new_label(label ? *label : code);
            long long id = 0;
            session << "INSERT INTO identity_class (structure_id, name, kind, label) VALUES (:structure, :name, "
                       ":kind, :label) RETURNING id",
                soci::use(structure_id), soci::use(name), soci::use(kind_text), soci::use(new_label), soci::into(id);
            ++(kind == "class" ? m_report.classes_created : m_report.groups_created);
            return m_classes.emplace(m_key, KnownClass { id, new_label }).first->second.id;
        }
    }
    if (label && found->second.label != *label) {
        std::string new_label(*label);
        session << "UPDATE identity_class SET label = :label WHERE id = :id", soci::use(new_label),
            soci::use(found->second.id);
        found->second.label = new_label;
    }
    return found->second.id;
}

std::optional<Rejected> Importer::apply_structure(soci::session& session, Record const& record)
{
    if (record.operation == Operation::Delete)
        return Rejected { "un établissement ne se supprime pas par le flux : l'administrateur le ferme" };
    long long id = 0;
    std::string uai;
    std::string name;
    std::string kind;
    std::string city;
    std::string academy;
    std::string region;
    session << "SELECT id, uai, name, kind, city, academy, region FROM identity_structure WHERE external_id = :e",
        soci::use(record.id), soci::into(id), soci::into(uai), soci::into(name), soci::into(kind), soci::into(city),
        soci::into(academy), soci::into(region);
    bool known = session.got_data();
    if (!known && record.operation == Operation::Modify)
        return Rejected { "modification d'un établissement inconnu" };
    if (record.has("ENTStructureUAI") || !known) {
        auto new_uai = record.first("ENTStructureUAI");
        for (auto& c : new_uai)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (!is_uai(new_uai))
            return Rejected { "UAI « " + new_uai + " » invalide (7 chiffres et une lettre attendus)" };
        if (!known) {
            // A structure created by hand or by the demo is adopted.
            session << "SELECT id, name, kind, city, academy, region FROM identity_structure WHERE uai = :uai",
                soci::use(new_uai), soci::into(id), soci::into(name), soci::into(kind), soci::into(city),
                soci::into(academy), soci::into(region);
            known = session.got_data();
        }
        uai = new_uai;
    }
    if (record.has("ENTStructureNomCourant") || !known) {
        name = record.first("ENTStructureNomCourant");
        if (name.empty())
            return Rejected { "nom de l'établissement (ENTStructureNomCourant) absent" };
    }
    if (record.has("ENTStructureTypeStruct"))
        kind = structure_kind(record.first("ENTStructureTypeStruct"));
    if (record.has("l"))
        city = record.first("l");
    if (record.has("ENTServAcAcademie"))
        academy = title_case(record.first("ENTServAcAcademie"));
    if (record.has("ENTStructureRegion"))
        region = record.first("ENTStructureRegion");
    std::optional<long long> parent;
    if (auto const* parents = record.values("ENTStructureParent"); parents && !parents->empty()) {
        if (auto found = structure_by_external(session, parents->front()))
            parent = found->id;
    }
    long long parent_value = parent.value_or(0);
    soci::indicator parent_indicator = parent ? soci::i_ok : soci::i_null;
    if (known) {
        soci::statement update = (session.prepare
                << "UPDATE identity_structure SET uai = :uai, name = :name, kind = :kind, city = :city, "
                   "academy = :academy, region = :region, external_id = :external, source = 'aaf' "
                   "WHERE id = :id AND (uai <> :uai2 OR name <> :name2 OR kind <> :kind2 OR city <> :city2 "
                   "OR academy <> :academy2 OR region <> :region2 OR external_id <> :external2)",
            soci::use(uai), soci::use(name), soci::use(kind), soci::use(city), soci::use(academy), soci::use(region),
            soci::use(record.id), soci::use(id), soci::use(uai), soci::use(name), soci::use(kind), soci::use(city),
            soci::use(academy), soci::use(region), soci::use(record.id));
        update.execute(true);
        if (update.get_affected_rows() > 0)
            ++m_report.structures.updated;
        else
            ++m_report.structures.unchanged;
        if (parent)
            session << "UPDATE identity_structure SET parent_id = :parent WHERE id = :id",
                soci::use(parent_value, parent_indicator), soci::use(id);
    } else {
        long long created = m_options.now;
        session << "INSERT INTO identity_structure (uai, name, kind, city, academy, region, welcome_text, is_demo, "
                   "created_at, external_id, parent_id, source) VALUES (:uai, :name, :kind, :city, :academy, "
                   ":region, '', 0, :created, :external, :parent, 'aaf') RETURNING id",
            soci::use(uai), soci::use(name), soci::use(kind), soci::use(city), soci::use(academy), soci::use(region),
            soci::use(created), soci::use(record.id), soci::use(parent_value, parent_indicator), soci::into(id);
        ++m_report.structures.created;
    }
    KnownStructure structure { id, name + " (" + uai + ")" };
    m_structures[record.id] = structure;
    m_structure_labels[id] = structure.label;
    m_counts.erase(id);
    m_exported_structures.push_back(record.id);
    for (auto const& [attribute, kind_code] :
        { std::pair { "ENTStructureClasses", "class" }, std::pair { "ENTStructureGroupes", "group" } }) {
        if (auto const* values = record.values(attribute)) {
            for (auto const& value : *values) {
                auto parts = split(value);
                if (parts[0].empty())
                    continue;
                auto label = parts.size() > 1 ? parts[1] : parts[0];
                ensure_class(session, id, kind_code, parts[0], &label);
            }
        }
    }
    return std::nullopt;
}

std::optional<Rejected> Importer::apply_subject(soci::session& session, Record const& record)
{
    if (record.operation == Operation::Delete)
        return std::nullopt; // a subject stays while teachings name it
    auto label = record.first("ENTLibelleMatiere");
    auto code = record.first("ENTMatCode");
    std::string old_label;
    std::string old_code;
    session << "SELECT label, code FROM directory_subject WHERE external_id = :id", soci::use(record.id),
        soci::into(old_label), soci::into(old_code);
    if (session.got_data()) {
        if (!record.has("ENTLibelleMatiere"))
            label = old_label;
        if (!record.has("ENTMatCode"))
            code = old_code;
        if (label != old_label || code != old_code)
            session << "UPDATE directory_subject SET label = :label, code = :code WHERE external_id = :id",
                soci::use(label), soci::use(code), soci::use(record.id);
    } else {
        if (label.empty())
            return Rejected { "libellé de la matière (ENTLibelleMatiere) absent" };
        session << "INSERT INTO directory_subject (external_id, code, label) VALUES (:id, :code, :label)",
            soci::use(record.id), soci::use(code), soci::use(label);
    }
    m_subjects[record.id] = { code.empty() ? record.id : code, label };
    ++m_report.subjects;
    return std::nullopt;
}

std::optional<Rejected> Importer::apply_mef(soci::session& session, Record const& record)
{
    if (record.operation == Operation::Delete)
        return std::nullopt;
    auto label = record.first("ENTLibelleMEF");
    auto stat = record.first("ENTMEFSTAT11");
    long long known = 0;
    session << "SELECT COUNT(*) FROM directory_mef WHERE external_id = :id", soci::use(record.id), soci::into(known);
    if (known) {
        if (record.has("ENTLibelleMEF") && !label.empty())
            session << "UPDATE directory_mef SET label = :label WHERE external_id = :id", soci::use(label),
                soci::use(record.id);
    } else {
        if (label.empty())
            return Rejected { "libellé du MEF (ENTLibelleMEF) absent" };
        session << "INSERT INTO directory_mef (external_id, label, stat_code) VALUES (:id, :label, :stat)",
            soci::use(record.id), soci::use(label), soci::use(stat);
    }
    ++m_report.mefs;
    return std::nullopt;
}

// The structure's subject row for an académie subject (teachings are kept
// per structure).
std::optional<long long> Importer::subject_of_structure(
    soci::session& session, long long structure_id, std::string const& subject_external)
{
    auto found = m_subjects.find(subject_external);
    if (found == m_subjects.end()) {
        std::string code;
        std::string label;
        session << "SELECT code, label FROM directory_subject WHERE external_id = :id", soci::use(subject_external),
            soci::into(code), soci::into(label);
        if (!session.got_data())
            return std::nullopt;
        found = m_subjects.emplace(subject_external, std::pair { code.empty() ? subject_external : code, label }).first;
    }
    auto const& [code, label] = found->second;
    load_structure(session, structure_id);
    m_key.assign(std::to_string(structure_id)).append("$").append(code);
    if (auto known = m_structure_subjects.find(m_key); known != m_structure_subjects.end())
        return known->second;
    auto key = m_key;
    long long id = 0;
    if (auto existing = db::prepared<queries::FindSubject>(session).first(structure_id, code))
        id = std::get<0>(*existing);
    else
        id = identity::store::create_subject(session, structure_id, code, label);
    m_structure_subjects.emplace(std::move(key), id);
    return id;
}

// Guardian links are kept by jointure (directory_link_source) until the
// guardians are known: afterwards the links of every student whose record
// or whose guardian's record was read are made what the records say.
void Importer::resolve_links(soci::session& session)
{
    auto students = std::move(m_touched_students);
    std::sort(m_touched_guardians.begin(), m_touched_guardians.end());
    m_touched_guardians.erase(
        std::unique(m_touched_guardians.begin(), m_touched_guardians.end()), m_touched_guardians.end());
    db::prepared<queries::StudentsOfGuardians>(session).each(std::span<std::string const>(m_touched_guardians),
        [&](auto const& row) { students.push_back(std::get<0>(row)); });
    std::sort(students.begin(), students.end());
    students.erase(std::unique(students.begin(), students.end()), students.end());

    using Link = queries::LinkTuple; // (student, guardian id, code, four flags)
    auto by_guardian = [](Link const& a, Link const& b) { return std::get<1>(a) < std::get<1>(b); };
    std::unordered_map<std::string, long long> ids;
    std::unordered_map<std::string, std::vector<Link>> wanted;
    std::unordered_map<std::string, std::vector<Link>> current;
    constexpr std::size_t STUDENTS_AT_ONCE = 16 * import::MANY;
    for (std::size_t start = 0; start < students.size(); start += STUDENTS_AT_ONCE) {
        auto some = std::span<std::string const>(students).subspan(
            start, std::min(STUDENTS_AT_ONCE, students.size() - start));
        ids.clear();
        wanted.clear();
        current.clear();
        db::prepared<queries::PersonIds>(session).each(
            some, [&](auto const& row) { ids[std::get<0>(row)] = std::get<1>(row); });
        db::prepared<queries::WantedLinks>(session).each(
            some, [&](Link const& row) { wanted[std::get<0>(row)].push_back(row); });
        db::prepared<queries::CurrentLinks>(session).each(
            some, [&](Link const& row) { current[std::get<0>(row)].push_back(row); });
        for (auto const& student : some) {
            auto id = ids.find(student);
            if (id == ids.end())
                continue;
            auto& links = wanted[student];
            auto& now = current[student];
            std::sort(links.begin(), links.end(), by_guardian);
            std::sort(now.begin(), now.end(), by_guardian);
            m_report.guardian_links += static_cast<long long>(links.size());
            if (links == now)
                continue;
            if (!now.empty())
                db::prepared<queries::DeleteGuardianLinks>(session)(id->second);
            for (auto const& [external, guardian, code, financial, legal, contact, payment] : links)
                m_new_guardian_links.add(
                    { guardian, id->second, relationship_of(code), financial, legal, contact, payment, code });
        }
        m_new_guardian_links.flush(session);
    }
}

void Importer::depart_absent(soci::session& session)
{
    // The structures this export describes: people of other structures are
    // none of its business.
    std::sort(m_exported_structures.begin(), m_exported_structures.end());
    m_exported_structures.erase(
        std::unique(m_exported_structures.begin(), m_exported_structures.end()), m_exported_structures.end());
    for (auto const& external_structure : m_exported_structures) {
        auto const structure = m_structures.at(external_structure);
        std::vector<std::pair<long long, std::string>> absent;
        db::prepared<queries::ActivePeopleOf>(session).each(structure.id, [&](auto const& row) {
            if (!m_seen.contains(std::get<2>(row)))
                absent.emplace_back(std::get<0>(row), std::get<1>(row));
        });
        for (auto const& [person, person_profile] : absent) {
            db::prepared<queries::DepartPerson>(session)(m_options.now, person);
            ++m_report.people[structure.label][profile_label(person_profile)].departed;
        }
    }
}

} // namespace cartable::directory::aaf
