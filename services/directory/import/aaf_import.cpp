// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/directory/import/aaf_import.h"
#include "core/identity/identity.h"
#include "core/identity/identity_store.h"
#include "core/validate.h"
#include "services/directory/import/aaf_queries.h"
#include "services/directory/import/aaf_reader.h"
#include "services/directory/import/import_run.h"
#include "services/directory/import/import_text.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_set>

namespace cartable::directory::aaf {

namespace {

using access::Profile;

// A record that cannot be applied: its reason, in French.
struct Rejected {
    std::string reason;
};

std::vector<std::string> split(std::string const& text, char separator)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos)
            return parts;
        start = end + 1;
    }
}

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

// « MONTPELLIER » → « Montpellier », « AIX-MARSEILLE » → « Aix-Marseille ».
std::string title_case(std::string const& text)
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

std::string label_of(std::string const& profile_code)
{
    return std::string(access::profile_label(access::profile_from_code(profile_code).value_or(Profile::Student)));
}

using queries::PersonRow;

class Importer {
public:
    Importer(Options const& options, Report& report)
        : m_options(options)
        , m_report(report)
    { }

    // One record, in the session of its batch's transaction.
    std::optional<Rejected> apply(soci::session& session, Kind kind, Record const& record)
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

    // After every file: guardian links from the students' records, and for
    // a full export the departures.
    void finish(soci::session& session)
    {
        resolve_links(session);
        if (m_report.full)
            depart_absent(session);
    }

    void count_rejection(Kind kind, std::string const& structure_label)
    {
        if (kind == Kind::Structure || kind == Kind::Subject || kind == Kind::Mef) {
            ++m_report.structures.rejected;
            return;
        }
        ++counts(structure_label.empty() ? std::string("(établissement inconnu)") : structure_label,
            person_profile_label(kind))
              .rejected;
    }

    // The structure a rejected record belongs to, as far as it is known.
    std::string structure_label_of(soci::session& session, Record const& record)
    {
        auto found = m_structures.find(split(record.first("ENTPersonStructRattach"), '$').front());
        if (found != m_structures.end())
            return found->second.label;
        long long structure_id = 0;
        session << "SELECT structure_id FROM identity_user WHERE external_id = :e", soci::use(record.id),
            soci::into(structure_id);
        return session.got_data() ? label_of_structure(session, structure_id) : std::string();
    }

    std::string label_of_structure(soci::session& session, long long structure_id)
    {
        for (auto const& [external, structure] : m_structures) {
            if (structure.id == structure_id)
                return structure.label;
        }
        std::string name;
        std::string uai;
        std::string external;
        session << "SELECT name, uai, external_id FROM identity_structure WHERE id = :id", soci::use(structure_id),
            soci::into(name), soci::into(uai), soci::into(external);
        if (!session.got_data())
            return "(établissement " + std::to_string(structure_id) + ")";
        KnownStructure known { structure_id, name + " (" + uai + ")" };
        m_structures[external.empty() ? "#" + std::to_string(structure_id) : external] = known;
        return known.label;
    }

    long long import_id { 0 };

private:
    struct KnownStructure {
        long long id { 0 };
        std::string label; // « LYCEE JEAN MOULIN (0300021U) »
    };

    static std::string person_profile_label(Kind kind)
    {
        return label_of(kind == Kind::Student ? "student" : kind == Kind::Guardian ? "guardian" : "staff");
    }

    Counts& counts(std::string const& structure, std::string const& profile)
    {
        return m_report.people[structure][profile];
    }

    std::optional<KnownStructure> structure_by_external(soci::session& session, std::string const& external)
    {
        if (auto found = m_structures.find(external); found != m_structures.end())
            return found->second;
        long long id = 0;
        std::string name;
        std::string uai;
        session << "SELECT id, name, uai FROM identity_structure WHERE external_id = :external", soci::use(external),
            soci::into(id), soci::into(name), soci::into(uai);
        if (!session.got_data())
            return std::nullopt;
        KnownStructure known { id, name + " (" + uai + ")" };
        m_structures[external] = known;
        return known;
    }

    std::optional<long long> class_id(
        soci::session& session, long long structure_id, std::string const& kind, std::string const& code)
    {
        auto key = std::to_string(structure_id) + "$" + kind + "$" + code;
        if (auto found = m_classes.find(key); found != m_classes.end())
            return found->second;
        long long id = 0;
        session << "SELECT id FROM identity_class WHERE structure_id = :structure AND kind = :kind AND name = :name",
            soci::use(structure_id), soci::use(kind), soci::use(code), soci::into(id);
        if (!session.got_data())
            return std::nullopt;
        m_classes[key] = id;
        return id;
    }

    long long ensure_class(soci::session& session, long long structure_id, std::string const& kind,
        std::string const& code, std::string const& label)
    {
        if (auto existing = class_id(session, structure_id, kind, code)) {
            session << "UPDATE identity_class SET label = :label WHERE id = :id AND label <> :again", soci::use(label),
                soci::use(*existing), soci::use(label);
            return *existing;
        }
        long long id = 0;
        session << "INSERT INTO identity_class (structure_id, name, kind, label) VALUES (:structure, :name, :kind, "
                   ":label) RETURNING id",
            soci::use(structure_id), soci::use(code), soci::use(kind), soci::use(label), soci::into(id);
        m_classes[std::to_string(structure_id) + "$" + kind + "$" + code] = id;
        ++(kind == "class" ? m_report.classes_created : m_report.groups_created);
        return id;
    }

    std::optional<Rejected> apply_structure(soci::session& session, Record const& record)
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
                soci::use(uai), soci::use(name), soci::use(kind), soci::use(city), soci::use(academy),
                soci::use(region), soci::use(record.id), soci::use(id), soci::use(uai), soci::use(name),
                soci::use(kind), soci::use(city), soci::use(academy), soci::use(region), soci::use(record.id));
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
                soci::use(uai), soci::use(name), soci::use(kind), soci::use(city), soci::use(academy),
                soci::use(region), soci::use(created), soci::use(record.id), soci::use(parent_value, parent_indicator),
                soci::into(id);
            ++m_report.structures.created;
        }
        m_structures[record.id] = KnownStructure { id, name + " (" + uai + ")" };
        m_exported_structures.insert(record.id);
        for (auto const& [attribute, kind_code] :
            { std::pair { "ENTStructureClasses", "class" }, std::pair { "ENTStructureGroupes", "group" } }) {
            if (auto const* values = record.values(attribute)) {
                for (auto const& value : *values) {
                    auto parts = split(value, '$');
                    if (parts.front().empty())
                        continue;
                    ensure_class(session, id, kind_code, parts.front(), parts.size() > 1 ? parts[1] : parts.front());
                }
            }
        }
        return std::nullopt;
    }

    std::optional<Rejected> apply_subject(soci::session& session, Record const& record)
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

    std::optional<Rejected> apply_mef(soci::session& session, Record const& record)
    {
        if (record.operation == Operation::Delete)
            return std::nullopt;
        auto label = record.first("ENTLibelleMEF");
        auto stat = record.first("ENTMEFSTAT11");
        long long known = 0;
        session << "SELECT COUNT(*) FROM directory_mef WHERE external_id = :id", soci::use(record.id),
            soci::into(known);
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

    // The structure's subject row for an académie subject (teachings are
    // kept per structure).
    std::optional<long long> subject_of_structure(
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
            found = m_subjects.emplace(subject_external, std::pair { code.empty() ? subject_external : code, label })
                        .first;
        }
        auto const& [code, label] = found->second;
        long long id = 0;
        session << "SELECT id FROM identity_subject WHERE structure_id = :structure AND code = :code",
            soci::use(structure_id), soci::use(code), soci::into(id);
        if (session.got_data())
            return id;
        return identity::store::create_subject(session, structure_id, code, label);
    }

    // A login nobody has: « prenom.nom », then « prenom.nom2 »… The logins
    // taken are read once per run.
    std::string new_login(soci::session& session, std::string const& first, std::string const& last)
    {
        if (!m_logins_loaded) {
            std::string login;
            soci::statement statement = (session.prepare << "SELECT login FROM identity_user", soci::into(login));
            statement.execute();
            while (statement.fetch())
                m_logins.insert(login);
            m_logins_loaded = true;
        }
        auto base = login_part(first) + "." + login_part(last);
        auto candidate = base;
        for (int suffix = 2; m_logins.contains(candidate); ++suffix)
            candidate = base + std::to_string(suffix);
        m_logins.insert(candidate);
        return candidate;
    }

    std::optional<Rejected> apply_person(soci::session& session, Kind kind, Record const& record)
    {
        PersonRow row;
        auto found = db::prepared<queries::FindPerson>(session).find(record.id);
        bool known = found.has_value();
        if (found)
            row = *found;
        auto structure_label = [&]() { return label_of_structure(session, row.structure_id); };

        if (record.operation == Operation::Delete) {
            if (!known)
                return Rejected { "suppression d'une personne inconnue" };
            if (row.active) {
                session << "UPDATE identity_user SET active = 0, departed_at = :now WHERE id = :id",
                    soci::use(m_options.now), soci::use(row.id);
                ++counts(structure_label(), person_profile_label(kind)).departed;
            } else {
                ++counts(structure_label(), person_profile_label(kind)).unchanged;
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

        // Where the person belongs.
        if (kind == Kind::Guardian) {
            if (!known || record.has("ENTAuxPersRelEleveEleve")) {
                std::optional<long long> structure;
                if (auto const* students = record.values("ENTAuxPersRelEleveEleve")) {
                    for (auto const& student : *students) {
                        if (auto found_student = db::prepared<queries::FindPerson>(session).find(student)) {
                            structure = found_student->structure_id;
                            break;
                        }
                    }
                }
                if (!structure) {
                    long long id = 0;
                    session << "SELECT u.structure_id FROM directory_link_source l JOIN identity_user u "
                               "ON u.external_id = l.student_external WHERE l.guardian_external = :g",
                        soci::use(record.id), soci::into(id);
                    if (session.got_data())
                        structure = id;
                }
                if (!structure && !known)
                    return Rejected { "responsable sans élève connu (ENTAuxPersRelEleveEleve)" };
                if (structure)
                    wanted.structure_id = *structure;
            }
            wanted.profile = "guardian";
            wanted.national_profile = "TUT";
        } else {
            if (record.has("ENTPersonStructRattach") || !known) {
                auto external = split(record.first("ENTPersonStructRattach"), '$').front();
                if (external.empty())
                    return Rejected { "établissement de rattachement (ENTPersonStructRattach) absent" };
                auto structure = structure_by_external(session, external);
                if (!structure)
                    return Rejected { "établissement de rattachement « " + external + " » inconnu" };
                wanted.structure_id = structure->id;
            }
            if (kind == Kind::Student) {
                wanted.profile = "student";
                wanted.national_profile = "ELV";
            } else if (record.has("ENTPersonProfils") || !known) {
                auto profiles = record.values("ENTPersonProfils");
                std::string national = profiles && !profiles->empty() ? profiles->front() : "National_ENS";
                if (national.starts_with("National_"))
                    national = national.substr(9);
                wanted.national_profile = national;
                wanted.profile = (national == "ENS" || national == "DOC") ? "teacher" : "staff";
            }
            if (kind == Kind::Staff && record.has("ENTPersonFonctions"))
                wanted.function = function_of(*record.values("ENTPersonFonctions"), wanted.national_profile);
        }
        if (!known && kind == Kind::Staff && wanted.function.empty() && record.values("ENTPersonFonctions"))
            wanted.function = function_of(*record.values("ENTPersonFonctions"), wanted.national_profile);

        bool changed = false;
        if (known) {
            changed = wanted.civility != row.civility || wanted.first_name != row.first_name
                || wanted.last_name != row.last_name || wanted.profile != row.profile || wanted.function != row.function
                || wanted.structure_id != row.structure_id || row.active == 0
                || wanted.national_profile != row.national_profile || wanted.birth_date != row.birth_date
                || wanted.mef_id != row.mef_id;
            if (changed)
                session << "UPDATE identity_user SET civility = :civility, first_name = :first, last_name = :last, "
                           "profile = :profile, function = :function, structure_id = :structure, active = 1, "
                           "departed_at = 0, national_profile = :national, birth_date = :birth, mef_id = :mef, "
                           "source = 'aaf' WHERE id = :id",
                    soci::use(wanted.civility), soci::use(wanted.first_name), soci::use(wanted.last_name),
                    soci::use(wanted.profile), soci::use(wanted.function), soci::use(wanted.structure_id),
                    soci::use(wanted.national_profile), soci::use(wanted.birth_date), soci::use(wanted.mef_id),
                    soci::use(row.id);
        } else {
            auto login = new_login(session, wanted.first_name, wanted.last_name);
            row.id = db::prepared<queries::InsertPerson>(session).insert(login, wanted, m_options.now, record.id);
        }
        row.structure_id = wanted.structure_id;

        // Contact details from the feed (the liste rouge choice is the person's).
        // A new person has nothing yet: no need to read what to replace.
        m_new_person = !known;
        changed = apply_contact(session, kind, record, row.id) || changed;
        if (kind == Kind::Student) {
            changed = apply_memberships(session, record, row.id, "ENTEleveClasses", "class") || changed;
            changed = apply_memberships(session, record, row.id, "ENTEleveGroupes", "group") || changed;
            auto links = apply_link_sources(session, record);
            if (!links)
                return Rejected { "lien responsable (ENTElevePersRelEleve) mal formé : 6 champs séparés par $ "
                                  "attendus" };
            changed = *links || changed;
            m_touched_students.insert(record.id);
        } else if (kind == Kind::Guardian) {
            m_touched_guardians.insert(record.id);
        } else {
            changed = apply_functions(session, record, row.id) || changed;
            changed = apply_teachings(session, record, row.id) || changed;
        }
        if (m_report.full)
            m_seen.insert(record.id);

        auto& count = counts(structure_label(), label_of(wanted.profile));
        if (!known)
            ++count.created;
        else if (changed)
            ++count.updated;
        else
            ++count.unchanged;
        return std::nullopt;
    }

    static std::string function_of(std::vector<std::string> const& functions, std::string const& national)
    {
        for (auto const& value : functions) {
            auto parts = split(value, '$');
            if (parts.size() < 3)
                continue;
            auto const& code = parts[1];
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

    bool apply_contact(soci::session& session, Kind kind, Record const& record, long long user_id)
    {
        static constexpr std::pair<char const*, int> FIELDS[]
            = { { "ENTPersonAdresse", 0 }, { "ENTPersonCodePostal", 1 }, { "ENTPersonVille", 2 }, { "homePhone", 3 },
                  { "telephoneNumber", 4 }, { "mobile", 5 }, { "mail", 6 } };
        bool any = false;
        for (auto const& [name, index] : FIELDS)
            any = any || record.has(name);
        if (!any)
            return false;
        auto contact = m_new_person ? identity::Contact {} : identity::store::find_contact(session, user_id);
        auto before = contact;
        std::string* targets[] = { &contact.address, &contact.postal_code, &contact.city, &contact.phone_home,
            &contact.phone_work, &contact.phone_mobile, &contact.email };
        for (auto const& [name, index] : FIELDS) {
            if (!record.has(name))
                continue;
            std::string value;
            if (auto const* values = record.values(name)) {
                for (auto const& line : *values)
                    value += (value.empty() ? "" : ", ") + line; // multi-line addresses
            }
            if (index >= 3 && index <= 5 && !value.empty())
                value = validate::phone_number(value).value_or(value);
            *targets[index] = value;
        }
        (void)kind;
        bool changed = contact.address != before.address || contact.postal_code != before.postal_code
            || contact.city != before.city || contact.phone_home != before.phone_home
            || contact.phone_work != before.phone_work || contact.phone_mobile != before.phone_mobile
            || contact.email != before.email;
        if (changed && m_new_person) {
            std::string const* const values[7] = { &contact.address, &contact.postal_code, &contact.city,
                &contact.phone_home, &contact.phone_work, &contact.phone_mobile, &contact.email };
            db::prepared<queries::InsertContact>(session).insert(user_id, values);
        } else if (changed) {
            identity::store::save_contact(session, user_id, contact);
        }
        return changed;
    }

    // Replaces the person's classes (or groups) by those the record gives.
    bool apply_memberships(
        soci::session& session, Record const& record, long long user_id, char const* attribute, char const* kind)
    {
        auto const* values = record.values(attribute);
        if (!values)
            return false;
        std::set<long long> wanted;
        for (auto const& value : *values) {
            auto parts = split(value, '$');
            if (parts.size() < 2 || parts[1].empty())
                continue;
            auto structure = structure_by_external(session, parts[0]);
            if (!structure)
                continue;
            wanted.insert(ensure_class(session, structure->id, kind, parts[1], parts[1]));
        }
        std::set<long long> current;
        if (!m_new_person) {
            long long class_id = 0;
            std::string kind_text(kind);
            soci::statement statement = (session.prepare << "SELECT m.class_id FROM identity_class_member m JOIN "
                                                            "identity_class c ON c.id = m.class_id WHERE m.user_id = "
                                                            ":user AND c.kind = :kind",
                soci::use(user_id), soci::use(kind_text), soci::into(class_id));
            statement.execute();
            while (statement.fetch())
                current.insert(class_id);
        }
        if (current == wanted)
            return false;
        for (auto id : current) {
            if (!wanted.contains(id))
                session << "DELETE FROM identity_class_member WHERE class_id = :class AND user_id = :user",
                    soci::use(id), soci::use(user_id);
        }
        auto& insert = db::prepared<queries::InsertMember>(session);
        for (auto id : wanted) {
            if (!current.contains(id))
                insert.insert(id, user_id);
        }
        return true;
    }

    // The links a student's record gives, kept by jointure until the
    // guardians are known. Nothing when a value is malformed.
    std::optional<bool> apply_link_sources(soci::session& session, Record const& record)
    {
        auto const* values = record.values("ENTElevePersRelEleve");
        if (!values)
            return false;
        struct Link {
            std::string guardian;
            std::string code;
            long long flags[4] { 0, 0, 0, 0 };
        };
        std::vector<Link> links;
        for (auto const& value : *values) {
            auto parts = split(value, '$');
            if (parts.size() != 6 || parts[0].empty())
                return std::nullopt;
            Link link { parts[0], parts[1], {} };
            for (int index = 0; index < 4; ++index) {
                auto const& flag = parts[static_cast<std::size_t>(index) + 2];
                if (flag != "0" && flag != "1" && flag != "O" && flag != "N" && !flag.empty())
                    return std::nullopt;
                link.flags[index] = (flag == "1" || flag == "O") ? 1 : 0;
            }
            links.push_back(std::move(link));
        }
        if (!m_new_person)
            session << "DELETE FROM directory_link_source WHERE student_external = :student", soci::use(record.id);
        auto& insert = db::prepared<queries::InsertLinkSource>(session);
        for (auto const& link : links)
            insert.insert(record.id, link.guardian, link.code, link.flags);
        return false; // links are counted when resolved
    }

    bool apply_functions(soci::session& session, Record const& record, long long user_id)
    {
        auto const* values = record.values("ENTPersonFonctions");
        if (!values)
            return false;
        if (!m_new_person)
            session << "DELETE FROM directory_function WHERE user_id = :user", soci::use(user_id);
        for (auto const& value : *values) {
            auto parts = split(value, '$');
            if (parts.size() < 2)
                continue;
            auto structure = structure_by_external(session, parts[0]);
            if (!structure)
                continue;
            parts.resize(5);
            session << "INSERT INTO directory_function (user_id, structure_id, code, label, discipline_code, "
                       "discipline_label) SELECT :user, :structure, :code, :label, :discipline, :discipline_label "
                       "WHERE NOT EXISTS (SELECT 1 FROM directory_function WHERE user_id = :user2 AND structure_id = "
                       ":structure2 AND code = :code2 AND discipline_code = :discipline2)",
                soci::use(user_id), soci::use(structure->id), soci::use(parts[1]), soci::use(parts[2]),
                soci::use(parts[3]), soci::use(parts[4]), soci::use(user_id), soci::use(structure->id),
                soci::use(parts[1]), soci::use(parts[3]);
        }
        return false;
    }

    bool apply_teachings(soci::session& session, Record const& record, long long user_id)
    {
        bool changed = false;
        auto const* classes = record.values("ENTAuxEnsClassesMatieres");
        auto const* groups = record.values("ENTAuxEnsGroupesMatieres");
        if (classes || groups) {
            std::set<std::pair<long long, long long>> wanted;
            for (auto const& [values, kind] : { std::pair { classes, "class" }, std::pair { groups, "group" } }) {
                if (!values)
                    continue;
                for (auto const& value : *values) {
                    auto parts = split(value, '$');
                    if (parts.size() < 3)
                        continue;
                    auto structure = structure_by_external(session, parts[0]);
                    if (!structure)
                        continue;
                    auto class_of = ensure_class(session, structure->id, kind, parts[1], parts[1]);
                    auto subject = subject_of_structure(session, structure->id, parts[2]);
                    if (subject)
                        wanted.emplace(class_of, *subject);
                }
            }
            std::set<std::pair<long long, long long>> current;
            if (!m_new_person) {
                long long class_of = 0;
                long long subject = 0;
                soci::statement statement
                    = (session.prepare << "SELECT class_id, subject_id FROM identity_teaching WHERE teacher_id = :t",
                        soci::use(user_id), soci::into(class_of), soci::into(subject));
                statement.execute();
                while (statement.fetch())
                    current.emplace(class_of, subject);
            }
            if (current != wanted) {
                changed = true;
                if (!m_new_person)
                    session << "DELETE FROM identity_teaching WHERE teacher_id = :t", soci::use(user_id);
                for (auto const& [teaching_class, teaching_subject] : wanted)
                    identity::store::add_teaching(session, user_id, teaching_class, teaching_subject);
            }
            m_report.teachings += static_cast<long long>(wanted.size());
        }
        if (auto const* principal = record.values("ENTAuxEnsClassesPrincipal")) {
            session << "DELETE FROM directory_head_teacher WHERE teacher_id = :t", soci::use(user_id);
            for (auto const& value : *principal) {
                auto parts = split(value, '$');
                if (parts.size() < 2)
                    continue;
                auto structure = structure_by_external(session, parts[0]);
                if (!structure)
                    continue;
                auto class_of = ensure_class(session, structure->id, "class", parts[1], parts[1]);
                session << "INSERT INTO directory_head_teacher (class_id, teacher_id) VALUES (:c, :t)",
                    soci::use(class_of), soci::use(user_id);
                ++m_report.head_teachers;
            }
        }
        return changed;
    }

    void resolve_links(soci::session& session)
    {
        std::set<std::string> students = m_touched_students;
        {
            std::string guardian;
            std::string student;
            soci::statement statement = (session.prepare << "SELECT student_external FROM directory_link_source "
                                                            "WHERE guardian_external = :g",
                soci::use(guardian), soci::into(student));
            for (auto const& touched : m_touched_guardians) {
                guardian = touched;
                statement.execute();
                while (statement.fetch())
                    students.insert(student);
            }
        }
        struct Link {
            long long guardian { 0 };
            std::string code;
            long long financial { 0 }, legal { 0 }, contact { 0 }, payment { 0 };
            bool operator==(Link const&) const = default;
        };
        // Prepared once for all the students (thousands of them).
        std::string external;
        long long student_id = 0;
        Link row;
        std::string relationship;
        soci::statement find_student = (session.prepare << "SELECT id FROM identity_user WHERE external_id = :e",
            soci::use(external), soci::into(student_id));
        soci::statement wanted_links
            = (session.prepare << "SELECT u.id, l.link_code, l.financial, l.legal, l.contact, l.payment FROM "
                                  "directory_link_source l JOIN identity_user u ON u.external_id = "
                                  "l.guardian_external WHERE l.student_external = :s ORDER BY u.id",
                soci::use(external), soci::into(row.guardian), soci::into(row.code), soci::into(row.financial),
                soci::into(row.legal), soci::into(row.contact), soci::into(row.payment));
        soci::statement current_links
            = (session.prepare << "SELECT guardian_id, link_code, financial, legal, contact, payment FROM "
                                  "identity_guardian_link WHERE student_id = :s ORDER BY guardian_id",
                soci::use(student_id), soci::into(row.guardian), soci::into(row.code), soci::into(row.financial),
                soci::into(row.legal), soci::into(row.contact), soci::into(row.payment));
        soci::statement remove_links
            = (session.prepare << "DELETE FROM identity_guardian_link WHERE student_id = :s", soci::use(student_id));
        soci::statement insert_link
            = (session.prepare << "INSERT INTO identity_guardian_link (guardian_id, student_id, relationship, "
                                  "financial, legal, contact, payment, link_code) VALUES (:g, :s, :r, :f, :l, :c, "
                                  ":p, :code)",
                soci::use(row.guardian), soci::use(student_id), soci::use(relationship), soci::use(row.financial),
                soci::use(row.legal), soci::use(row.contact), soci::use(row.payment), soci::use(row.code));
        std::vector<Link> wanted;
        std::vector<Link> current;
        for (auto const& student : students) {
            external = student;
            if (!find_student.execute(true))
                continue;
            wanted.clear();
            current.clear();
            wanted_links.execute();
            while (wanted_links.fetch())
                wanted.push_back(row);
            // The links as they are now, to change only what differs.
            current_links.execute();
            while (current_links.fetch())
                current.push_back(row);
            m_report.guardian_links += static_cast<long long>(wanted.size());
            if (current == wanted)
                continue;
            remove_links.execute(true);
            for (auto const& link : wanted) {
                row = link;
                relationship = relationship_of(link.code);
                insert_link.execute(true);
            }
        }
    }

    static std::string relationship_of(std::string const& code)
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

    void depart_absent(soci::session& session)
    {
        // The structures this export describes: people of other structures
        // are none of its business.
        for (auto const& external_structure : m_exported_structures) {
            auto const& structure = m_structures.at(external_structure);
            std::vector<std::pair<long long, std::string>> absent;
            long long id = 0;
            std::string profile;
            std::string person_external;
            soci::statement statement = (session.prepare << "SELECT id, profile, external_id FROM identity_user "
                                                            "WHERE structure_id = :structure AND source = 'aaf' "
                                                            "AND active = 1",
                soci::use(structure.id), soci::into(id), soci::into(profile), soci::into(person_external));
            statement.execute();
            while (statement.fetch()) {
                if (!m_seen.contains(person_external))
                    absent.emplace_back(id, profile);
            }
            for (auto const& [person, person_profile] : absent) {
                session << "UPDATE identity_user SET active = 0, departed_at = :now WHERE id = :id",
                    soci::use(m_options.now), soci::use(person);
                ++counts(structure.label, label_of(person_profile)).departed;
            }
        }
    }

    Options const& m_options;
    Report& m_report;
    std::map<std::string, KnownStructure> m_structures;
    std::set<std::string> m_exported_structures; // those the files describe
    std::map<std::string, long long> m_classes;
    std::map<std::string, std::pair<std::string, std::string>> m_subjects;
    std::set<std::string> m_touched_students;
    std::set<std::string> m_touched_guardians;
    std::unordered_set<std::string> m_seen; // the people a full export names
    std::unordered_set<std::string> m_logins;
    bool m_logins_loaded { false };
    bool m_new_person { false };
};

struct InputFile {
    std::filesystem::path path;
    Kind kind { Kind::Structure };
    long long bytes { 0 };
};

std::string number(long long value)
{
    auto text = std::to_string(value);
    std::string result;
    int digits = 0;
    for (auto it = text.rbegin(); it != text.rend(); ++it) {
        if (digits > 0 && digits % 3 == 0 && *it != '-')
            result.insert(result.begin(), ' ');
        result.insert(result.begin(), *it);
        ++digits;
    }
    return result;
}

} // namespace

Counts Report::totals() const
{
    Counts total;
    for (auto const& [structure, profiles] : people) {
        for (auto const& [profile, counts] : profiles) {
            total.created += counts.created;
            total.updated += counts.updated;
            total.unchanged += counts.unchanged;
            total.departed += counts.departed;
            total.linked += counts.linked;
            total.rejected += counts.rejected;
        }
    }
    return total;
}

std::string Report::text() const
{
    std::ostringstream out;
    out << (dry_run ? "Simulation de l'import AAF (rien n'a été modifié)" : "Import AAF") << " – "
        << (full ? "export complet" : "export partiel (delta)") << " : " << files << " fichier(s), " << number(records)
        << " enregistrement(s)";
    char seconds_text[32];
    std::snprintf(seconds_text, sizeof seconds_text, "%.1f", seconds);
    out << " en " << seconds_text << " s\n";
    out << "Établissements : " << structures.created << " créé(s), " << structures.updated << " modifié(s), "
        << structures.unchanged << " inchangé(s)\n";
    out << "Classes créées : " << classes_created << " ; groupes créés : " << groups_created
        << " ; matières : " << subjects << " ; MEF : " << mefs << "\n";
    out << "Liens responsable–élève : " << guardian_links << " ; enseignements : " << teachings
        << " ; professeurs principaux : " << head_teachers << "\n";
    auto total = totals();
    out << "Personnes : " << number(total.created) << " créée(s), " << number(total.updated) << " modifiée(s), "
        << number(total.unchanged) << " inchangée(s), " << number(total.departed) << " partie(s), "
        << number(total.rejected) << " rejetée(s)\n";
    std::map<std::string, Counts> by_profile;
    for (auto const& [structure, profiles] : people) {
        for (auto const& [profile, counts] : profiles) {
            auto& total_of = by_profile[profile];
            total_of.created += counts.created;
            total_of.updated += counts.updated;
            total_of.unchanged += counts.unchanged;
            total_of.departed += counts.departed;
            total_of.rejected += counts.rejected;
        }
    }
    for (auto const& [profile, counts] : by_profile)
        out << "  Total " << profile << " : " << number(counts.created) << " créé(s), " << number(counts.updated)
            << " modifié(s), " << number(counts.unchanged) << " inchangé(s), " << number(counts.departed)
            << " parti(s), " << number(counts.rejected) << " rejeté(s)\n";
    out << "Par établissement :\n";
    for (auto const& [structure, profiles] : people) {
        out << "  " << structure << "\n";
        for (auto const& [profile, counts] : profiles)
            out << "    " << profile << " : " << counts.created << " créé(s), " << counts.updated << " modifié(s), "
                << counts.unchanged << " inchangé(s), " << counts.departed << " parti(s), " << counts.rejected
                << " rejeté(s)\n";
    }
    out << "Rejets : " << rejections.size() << "\n";
    for (auto const& rejection : rejections)
        out << "  " << rejection.file << " ligne " << rejection.line
            << (rejection.record_id.empty() ? "" : " (" + rejection.record_id + ")") << " : " << rejection.reason
            << "\n";
    return out.str();
}

ErrorOr<Report> import_directory(db::Database& database, std::filesystem::path const& directory, Options const& options)
{
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error))
        return Error::invalid("Le dossier " + directory.string() + " n'existe pas.");
    std::vector<InputFile> files;
    int full_files = 0;
    for (auto const& entry : std::filesystem::directory_iterator(directory, error)) {
        if (!entry.is_regular_file())
            continue;
        auto name = entry.path().filename().string();
        auto kind = kind_of_file(name);
        if (!kind)
            continue;
        full_files += is_full_export(name) ? 1 : 0;
        files.push_back({ entry.path(), *kind, static_cast<long long>(entry.file_size()) });
    }
    if (files.empty())
        return Error::invalid(
            "Aucun fichier AAF (ENT…_Complet_… ou ENT…_Delta_….xml) dans " + directory.string() + ".");
    if (full_files != 0 && full_files != static_cast<int>(files.size()))
        return Error::invalid(
            "Ce dossier mélange un export complet et un export partiel (delta) : importez-les séparément.");
    std::sort(files.begin(), files.end(), [](InputFile const& a, InputFile const& b) {
        return a.kind != b.kind ? a.kind < b.kind : a.path.filename() < b.path.filename();
    });

    Report report;
    report.full = full_files != 0;
    report.dry_run = options.dry_run;
    report.files = static_cast<int>(files.size());
    long long bytes_total = 0;
    for (auto const& file : files)
        bytes_total += file.bytes;
    auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };

    Importer importer(options, report);
    report.import_id = TRY(import::open_record(
        database, "aaf", report.full ? "complet" : "delta", options.dry_run, directory.string(), options.now));
    importer.import_id = report.import_id;

    // Reads every file and applies its records, a batch per call of `apply`.
    auto run = [&](auto&& apply_batch) -> ErrorOr<void> {
        long long bytes_before = 0;
        for (std::size_t index = 0; index < files.size(); ++index) {
            auto const& file = files[index];
            auto name = file.path.filename().string();
            auto reader = TRY(Reader::open(file.path));
            std::vector<Record> batch;
            bool more = true;
            while (more) {
                batch.clear();
                while (batch.size() < static_cast<std::size_t>(options.batch_size)) {
                    auto next = reader->next();
                    if (next.is_error()) {
                        report.rejections.push_back({ name, 0, {}, next.error().message_key });
                        more = false;
                        break;
                    }
                    if (!next.value()) {
                        more = false;
                        break;
                    }
                    batch.push_back(std::move(*next.release_value()));
                }
                std::vector<Rejection> rejected;
                TRY(apply_batch([&](soci::session& session) -> ErrorOr<bool> {
                    rejected.clear();
                    for (auto const& record : batch) {
                        if (auto refusal = importer.apply(session, file.kind, record)) {
                            importer.count_rejection(file.kind, importer.structure_label_of(session, record));
                            rejected.push_back({ name, record.line, record.id, refusal->reason });
                        }
                    }
                    return true;
                }));
                report.records += static_cast<long long>(batch.size());
                report.rejections.insert(report.rejections.end(), rejected.begin(), rejected.end());
                if (options.progress)
                    options.progress({ name, static_cast<int>(index) + 1, static_cast<int>(files.size()),
                        report.records, bytes_before + reader->bytes_read(), bytes_total, elapsed() });
            }
            bytes_before += file.bytes;
        }
        return apply_batch([&](soci::session& session) -> ErrorOr<bool> {
            importer.finish(session);
            return true;
        });
    };

    auto outcome = import::run_batches(database, options.dry_run, run);
    report.seconds = elapsed();
    TRY(import::close_record(database, report, report.text(), outcome));
    return report;
}

} // namespace cartable::directory::aaf
