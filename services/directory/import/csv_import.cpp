// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/directory/import/csv_import.h"
#include "core/access/capability.h"
#include "core/identity/identity.h"
#include "core/identity/identity_store.h"
#include "core/validate.h"
#include "services/directory/import/csv_reader.h"
#include "services/directory/import/import_run.h"
#include "services/directory/import/import_text.h"
#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace cartable::directory::csv {

namespace {

enum class FileKind {
    Students,
    Guardians,
    Staff,
};

struct FileSpec {
    FileKind kind;
    char const* name;
    std::vector<char const*> required;
};

std::vector<FileSpec> const& file_specs()
{
    static std::vector<FileSpec> const specs = {
        { FileKind::Students, STUDENTS_FILE, { "identifiant", "nom", "prenom" } },
        { FileKind::Guardians, GUARDIANS_FILE, { "identifiant", "nom", "prenom", "eleves" } },
        { FileKind::Staff, STAFF_FILE, { "identifiant", "nom", "prenom", "profil" } },
    };
    return specs;
}

// The columns of a file, by their key (column_key), to their position.
class Columns {
public:
    explicit Columns(std::vector<std::string> const& header)
    {
        for (std::size_t index = 0; index < header.size(); ++index)
            m_index.emplace(column_key(header[index]), index); // the first of two same-named columns wins
    }

    bool has(std::string const& name) const { return m_index.contains(column_key(name)); }

    std::string get(Row const& row, std::string const& name) const
    {
        auto found = m_index.find(column_key(name));
        if (found == m_index.end() || found->second >= row.fields.size())
            return {};
        return row.fields[found->second];
    }

private:
    std::map<std::string, std::size_t> m_index;
};

std::vector<std::string> split_list(std::string const& text, char separator)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find(separator, start);
        if (end == std::string::npos)
            end = text.size();
        auto part = text.substr(start, end - start);
        while (!part.empty() && (part.front() == ' ' || part.front() == '\t'))
            part.erase(part.begin());
        while (!part.empty() && (part.back() == ' ' || part.back() == '\t'))
            part.pop_back();
        if (!part.empty())
            parts.push_back(part);
        start = end + 1;
    }
    return parts;
}

std::string label_of(std::string const& profile_code)
{
    return std::string(
        access::profile_label(access::profile_from_code(profile_code).value_or(access::Profile::Student)));
}

struct PersonRow {
    long long id { 0 };
    std::string civility;
    std::string first_name;
    std::string last_name;
    std::string profile;
    std::string function;
    long long structure_id { 0 };
    long long active { 1 };
    std::string national_profile;
    std::string birth_date;
};

// What a row of personnels.csv's `profil` means.
struct StaffProfile {
    char const* profile;
    char const* national;
    char const* function;
};

std::optional<StaffProfile> staff_profile(std::string const& text)
{
    auto key = column_key(text);
    if (key == "enseignant")
        return StaffProfile { "teacher", "ENS", "" };
    if (key == "documentaliste")
        return StaffProfile { "teacher", "DOC", "Documentaliste" };
    if (key == "direction")
        return StaffProfile { "staff", "DIR", "Direction" };
    if (key == "cpe")
        return StaffProfile { "staff", "EDU", "CPE" };
    if (key == "personnel")
        return StaffProfile { "staff", "ETA", "" };
    return std::nullopt;
}

// A guardian link as kept: the student, « père », the AAF code, parental authority.
using Link = std::tuple<long long, std::string, std::string, long long>;

class Importer {
public:
    Importer(Options const& options, Report& report, std::string uai, long long structure_id, std::string label)
        : m_options(options)
        , m_report(report)
        , m_uai(std::move(uai))
        , m_structure_id(structure_id)
        , m_label(std::move(label))
    { }

    std::string external_of(std::string const& identifier) const { return "csv:" + m_uai + ":" + identifier; }

    // The profiles whose file was read whole: their absent people depart.
    void cover(FileKind kind)
    {
        if (kind == FileKind::Students)
            m_covered.insert("student");
        else if (kind == FileKind::Guardians)
            m_covered.insert("guardian");
        else {
            m_covered.insert("teacher");
            m_covered.insert("staff");
        }
    }

    // One row, in the session of its batch's transaction: the reason of its
    // rejection, if it is rejected. Everything is checked before anything
    // is written.
    std::optional<std::string> apply(
        soci::session& session, FileSpec const& file, Columns const& columns, Row const& row)
    {
        auto identifier = columns.get(row, "identifiant");
        if (identifier.empty())
            return "identifiant absent";
        auto external = external_of(identifier);
        if (auto seen = m_seen.find(external); seen != m_seen.end())
            return "identifiant « " + identifier + " » déjà présent dans " + seen->second.first + " ligne "
                + std::to_string(seen->second.second);
        // Seen even if rejected below: a person whose row is wrong is not
        // departed for it.
        m_seen.emplace(external, std::pair { std::string(file.name), row.line });

        PersonRow wanted;
        wanted.last_name = columns.get(row, "nom");
        if (wanted.last_name.empty())
            return std::string("nom absent");
        wanted.first_name = columns.get(row, "prenom");
        if (wanted.first_name.empty())
            return std::string("prénom absent");
        bool has_civility = columns.has("civilite");
        if (has_civility)
            wanted.civility = civility_of(columns.get(row, "civilite"));
        bool has_birth = file.kind == FileKind::Students && columns.has("date_naissance");
        if (has_birth) {
            auto text = columns.get(row, "date_naissance");
            if (!text.empty()) {
                auto date = iso_date(text);
                if (!date)
                    return "date de naissance « " + text + " » invalide (jj/mm/aaaa attendu)";
                wanted.birth_date = *date;
            }
        }

        std::vector<Link> links;
        std::vector<std::pair<std::string, std::string>> teachings; // class code, subject
        switch (file.kind) {
        case FileKind::Students:
            wanted.profile = "student";
            wanted.national_profile = "ELV";
            break;
        case FileKind::Guardians: {
            wanted.profile = "guardian";
            wanted.national_profile = "TUT";
            auto link_text = columns.get(row, "lien");
            auto link_key = column_key(link_text);
            std::string relationship;
            std::string code;
            if (link_text.empty() || link_key == "autre") {
                relationship = "autre";
                code = "90";
            } else if (link_key == "pere") {
                relationship = "père";
                code = "10";
            } else if (link_key == "mere") {
                relationship = "mère";
                code = "20";
            } else if (link_key == "tuteur") {
                relationship = "tuteur";
                code = "37";
            } else {
                return "lien « " + link_text + " » inconnu (pere, mere, tuteur ou autre attendu)";
            }
            auto authority_text = columns.get(row, "autorite_parentale");
            auto authority_key = column_key(authority_text);
            long long legal = 1;
            if (authority_key == "non" || authority_key == "n" || authority_key == "0")
                legal = 0;
            else if (!authority_text.empty() && authority_key != "oui" && authority_key != "o" && authority_key != "1")
                return "autorité parentale « " + authority_text + " » invalide (oui ou non attendu)";
            auto students = split_list(columns.get(row, "eleves"), ',');
            if (students.empty())
                return std::string("responsable sans élève (colonne eleves vide)");
            for (auto const& student : students) {
                long long student_id = 0;
                std::string student_external = external_of(student);
                session << "SELECT id FROM identity_user WHERE external_id = :e AND profile = 'student'",
                    soci::use(student_external), soci::into(student_id);
                // Known, and named by this run's students file when there is one.
                auto seen = m_seen.find(student_external);
                bool listed
                    = !m_covered.contains("student") || (seen != m_seen.end() && seen->second.first == STUDENTS_FILE);
                if (!session.got_data() || !listed)
                    return "élève « " + student + " » inconnu (absent de " + std::string(STUDENTS_FILE) + ")";
                links.emplace_back(student_id, relationship, code, legal);
            }
            std::sort(links.begin(), links.end());
            links.erase(std::unique(links.begin(), links.end(),
                            [](Link const& a, Link const& b) { return std::get<0>(a) == std::get<0>(b); }),
                links.end());
            break;
        }
        case FileKind::Staff: {
            auto profile_text = columns.get(row, "profil");
            auto profile = staff_profile(profile_text);
            if (!profile)
                return "profil « " + profile_text
                    + " » inconnu (enseignant, direction, cpe, documentaliste ou personnel attendu)";
            wanted.profile = profile->profile;
            wanted.national_profile = profile->national;
            auto function = columns.get(row, "fonction");
            wanted.function = function.empty() ? std::string(profile->function) : function;
            for (auto const& value : split_list(columns.get(row, "classes_matieres"), ',')) {
                auto colon = value.find(':');
                auto class_code = colon == std::string::npos ? std::string() : value.substr(0, colon);
                auto subject = colon == std::string::npos ? std::string() : value.substr(colon + 1);
                while (!class_code.empty() && class_code.back() == ' ')
                    class_code.pop_back();
                while (!subject.empty() && subject.front() == ' ')
                    subject.erase(subject.begin());
                if (class_code.empty() || subject.empty())
                    return "classes_matieres « " + value + " » mal formé (CLASSE:MATIERE attendu)";
                teachings.emplace_back(class_code, subject);
            }
            break;
        }
        }

        // Written from here on.
        PersonRow row_before;
        session << "SELECT id, civility, first_name, last_name, profile, function, structure_id, active, "
                   "national_profile, birth_date FROM identity_user WHERE external_id = :external",
            soci::use(external), soci::into(row_before.id), soci::into(row_before.civility),
            soci::into(row_before.first_name), soci::into(row_before.last_name), soci::into(row_before.profile),
            soci::into(row_before.function), soci::into(row_before.structure_id), soci::into(row_before.active),
            soci::into(row_before.national_profile), soci::into(row_before.birth_date);
        bool known = session.got_data();
        if (known) {
            if (!has_civility)
                wanted.civility = row_before.civility;
            if (!has_birth)
                wanted.birth_date = row_before.birth_date;
        }
        wanted.structure_id = m_structure_id;
        long long user_id = row_before.id;
        bool changed = false;
        if (known) {
            changed = wanted.civility != row_before.civility || wanted.first_name != row_before.first_name
                || wanted.last_name != row_before.last_name || wanted.profile != row_before.profile
                || wanted.function != row_before.function || wanted.structure_id != row_before.structure_id
                || row_before.active == 0 || wanted.national_profile != row_before.national_profile
                || wanted.birth_date != row_before.birth_date;
            if (changed)
                session << "UPDATE identity_user SET civility = :civility, first_name = :first, last_name = :last, "
                           "profile = :profile, function = :function, structure_id = :structure, active = 1, "
                           "departed_at = 0, national_profile = :national, birth_date = :birth, source = 'csv' "
                           "WHERE id = :id",
                    soci::use(wanted.civility), soci::use(wanted.first_name), soci::use(wanted.last_name),
                    soci::use(wanted.profile), soci::use(wanted.function), soci::use(wanted.structure_id),
                    soci::use(wanted.national_profile), soci::use(wanted.birth_date), soci::use(user_id);
        } else {
            auto login = new_login(session, wanted.first_name, wanted.last_name);
            long long created = m_options.now;
            session << "INSERT INTO identity_user (login, civility, first_name, last_name, profile, function, "
                       "structure_id, password_hash, active, is_demo, created_at, external_id, source, "
                       "national_profile, birth_date) VALUES (:login, :civility, :first, :last, :profile, "
                       ":function, :structure, '', 1, 0, :created, :external, 'csv', :national, :birth) "
                       "RETURNING id",
                soci::use(login), soci::use(wanted.civility), soci::use(wanted.first_name), soci::use(wanted.last_name),
                soci::use(wanted.profile), soci::use(wanted.function), soci::use(wanted.structure_id),
                soci::use(created), soci::use(external), soci::use(wanted.national_profile),
                soci::use(wanted.birth_date), soci::into(user_id);
        }

        changed = apply_contact(session, columns, row, user_id) || changed;
        auto& count = m_report.people[m_label][label_of(wanted.profile)];
        switch (file.kind) {
        case FileKind::Students:
            if (columns.has("classe")) {
                auto code = columns.get(row, "classe");
                std::vector<std::string> codes;
                if (!code.empty())
                    codes.push_back(code);
                changed = apply_memberships(session, user_id, "class", codes) || changed;
            }
            if (columns.has("groupes"))
                changed = apply_memberships(session, user_id, "group", split_list(columns.get(row, "groupes"), ','))
                    || changed;
            break;
        case FileKind::Guardians:
            changed = apply_links(session, user_id, links) || changed;
            count.linked += static_cast<long long>(links.size());
            m_report.guardian_links += static_cast<long long>(links.size());
            break;
        case FileKind::Staff:
            if (columns.has("classes_matieres")) {
                changed = apply_teachings(session, user_id, teachings) || changed;
                count.linked += static_cast<long long>(teachings.size());
            }
            break;
        }

        if (!known)
            ++count.created;
        else if (changed)
            ++count.updated;
        else
            ++count.unchanged;
        return std::nullopt;
    }

    void count_rejection(FileKind kind, Columns const& columns, Row const& row)
    {
        std::string profile = "student";
        if (kind == FileKind::Guardians)
            profile = "guardian";
        else if (kind == FileKind::Staff)
            profile = staff_profile(columns.get(row, "profil")).value_or(StaffProfile { "staff", "", "" }).profile;
        ++m_report.people[m_label][label_of(profile)].rejected;
    }

    // The people of the structure, from these files, of a profile whose
    // file was read, who are not in it any more: departed.
    void depart_absent(soci::session& session)
    {
        std::vector<std::pair<long long, std::string>> absent;
        long long id = 0;
        std::string profile;
        std::string external;
        std::string prefix = "csv:" + m_uai + ":%";
        soci::statement statement = (session.prepare << "SELECT id, profile, external_id FROM identity_user "
                                                        "WHERE structure_id = :structure AND source = 'csv' "
                                                        "AND active = 1 AND external_id LIKE :prefix",
            soci::use(m_structure_id), soci::use(prefix), soci::into(id), soci::into(profile), soci::into(external));
        statement.execute();
        while (statement.fetch()) {
            if (m_covered.contains(profile) && !m_seen.contains(external))
                absent.emplace_back(id, profile);
        }
        for (auto const& [person, person_profile] : absent) {
            session << "UPDATE identity_user SET active = 0, departed_at = :now WHERE id = :id",
                soci::use(m_options.now), soci::use(person);
            ++m_report.people[m_label][label_of(person_profile)].departed;
        }
    }

private:
    std::string new_login(soci::session& session, std::string const& first, std::string const& last)
    {
        auto base = login_part(first) + "." + login_part(last);
        auto candidate = base;
        for (int suffix = 2;; ++suffix) {
            long long taken = 0;
            session << "SELECT COUNT(*) FROM identity_user WHERE login = :login", soci::use(candidate),
                soci::into(taken);
            if (taken == 0)
                return candidate;
            candidate = base + std::to_string(suffix);
        }
    }

    std::optional<long long> class_id(soci::session& session, std::string const& kind, std::string const& code)
    {
        auto key = kind + "$" + code;
        if (auto found = m_classes.find(key); found != m_classes.end())
            return found->second;
        long long id = 0;
        session << "SELECT id FROM identity_class WHERE structure_id = :structure AND kind = :kind AND name = :name",
            soci::use(m_structure_id), soci::use(kind), soci::use(code), soci::into(id);
        if (!session.got_data())
            return std::nullopt;
        m_classes[key] = id;
        return id;
    }

    // The class (or group) of that code in the structure, created if new.
    long long ensure_class(soci::session& session, std::string const& kind, std::string const& code)
    {
        if (auto existing = class_id(session, kind, code))
            return *existing;
        long long id = 0;
        session << "INSERT INTO identity_class (structure_id, name, kind, label) VALUES (:structure, :name, :kind, "
                   ":label) RETURNING id",
            soci::use(m_structure_id), soci::use(code), soci::use(kind), soci::use(code), soci::into(id);
        m_classes[kind + "$" + code] = id;
        ++(kind == "class" ? m_report.classes_created : m_report.groups_created);
        return id;
    }

    bool apply_contact(soci::session& session, Columns const& columns, Row const& row, long long user_id)
    {
        static constexpr std::pair<char const*, int> FIELDS[]
            = { { "adresse", 0 }, { "code_postal", 1 }, { "ville", 2 }, { "telephone_domicile", 3 },
                  { "telephone_travail", 4 }, { "telephone_portable", 5 }, { "mail", 6 } };
        bool any = false;
        for (auto const& [name, index] : FIELDS)
            any = any || columns.has(name);
        if (!any)
            return false;
        auto contact = identity::store::find_contact(session, user_id);
        auto before = contact;
        std::string* targets[] = { &contact.address, &contact.postal_code, &contact.city, &contact.phone_home,
            &contact.phone_work, &contact.phone_mobile, &contact.email };
        for (auto const& [name, index] : FIELDS) {
            if (!columns.has(name))
                continue;
            auto value = columns.get(row, name);
            if (index >= 3 && index <= 5 && !value.empty())
                value = validate::phone_number(value).value_or(value);
            *targets[index] = value;
        }
        bool changed = contact.address != before.address || contact.postal_code != before.postal_code
            || contact.city != before.city || contact.phone_home != before.phone_home
            || contact.phone_work != before.phone_work || contact.phone_mobile != before.phone_mobile
            || contact.email != before.email;
        if (changed)
            identity::store::save_contact(session, user_id, contact);
        return changed;
    }

    // Replaces the person's classes (or groups) of the structure by these.
    bool apply_memberships(
        soci::session& session, long long user_id, std::string const& kind, std::vector<std::string> const& codes)
    {
        std::set<long long> wanted;
        for (auto const& code : codes)
            wanted.insert(ensure_class(session, kind, code));
        std::set<long long> current;
        long long member_of = 0;
        soci::statement statement = (session.prepare << "SELECT m.class_id FROM identity_class_member m JOIN "
                                                        "identity_class c ON c.id = m.class_id WHERE m.user_id = :user "
                                                        "AND c.kind = :kind AND c.structure_id = :structure",
            soci::use(user_id), soci::use(kind), soci::use(m_structure_id), soci::into(member_of));
        statement.execute();
        while (statement.fetch())
            current.insert(member_of);
        if (current == wanted)
            return false;
        for (auto id : current) {
            if (!wanted.contains(id))
                session << "DELETE FROM identity_class_member WHERE class_id = :class AND user_id = :user",
                    soci::use(id), soci::use(user_id);
        }
        for (auto id : wanted) {
            if (!current.contains(id))
                identity::store::add_class_member(session, id, user_id);
        }
        return true;
    }

    // Replaces the guardian's links by these.
    static bool apply_links(soci::session& session, long long guardian_id, std::vector<Link> const& wanted)
    {
        std::vector<Link> current;
        long long student = 0;
        std::string relationship;
        std::string code;
        long long legal = 0;
        soci::statement statement = (session.prepare << "SELECT student_id, relationship, link_code, legal FROM "
                                                        "identity_guardian_link WHERE guardian_id = :g",
            soci::use(guardian_id), soci::into(student), soci::into(relationship), soci::into(code), soci::into(legal));
        statement.execute();
        while (statement.fetch())
            current.emplace_back(student, relationship, code, legal);
        std::sort(current.begin(), current.end());
        if (current == wanted)
            return false;
        session << "DELETE FROM identity_guardian_link WHERE guardian_id = :g", soci::use(guardian_id);
        for (auto const& [student_id, link_relationship, link_code, link_legal] : wanted) {
            long long financial = 0;
            long long contact = 1;
            long long payment = 0;
            session << "INSERT INTO identity_guardian_link (guardian_id, student_id, relationship, financial, legal, "
                       "contact, payment, link_code) VALUES (:g, :s, :r, :f, :l, :c, :p, :code)",
                soci::use(guardian_id), soci::use(student_id), soci::use(link_relationship), soci::use(financial),
                soci::use(link_legal), soci::use(contact), soci::use(payment), soci::use(link_code);
        }
        return true;
    }

    // The structure's subject of that code or label, created if new.
    long long subject_id(soci::session& session, std::string const& subject)
    {
        if (auto found = m_subjects.find(subject); found != m_subjects.end())
            return found->second;
        long long id = 0;
        session << "SELECT id FROM identity_subject WHERE structure_id = :structure AND (code = :code OR label = "
                   ":label) ORDER BY id",
            soci::use(m_structure_id), soci::use(subject), soci::use(subject), soci::into(id);
        if (!session.got_data())
            id = identity::store::create_subject(session, m_structure_id, subject, subject);
        m_subjects[subject] = id;
        return id;
    }

    // Replaces the teacher's teachings by these (a code naming a group of
    // the structure is that group, else a class, created if new).
    bool apply_teachings(
        soci::session& session, long long user_id, std::vector<std::pair<std::string, std::string>> const& teachings)
    {
        std::set<std::pair<long long, long long>> wanted;
        for (auto const& [code, subject] : teachings) {
            auto group = class_id(session, "group", code);
            auto taught = group && !class_id(session, "class", code) ? *group : ensure_class(session, "class", code);
            wanted.emplace(taught, subject_id(session, subject));
        }
        std::set<std::pair<long long, long long>> current;
        long long class_of = 0;
        long long subject = 0;
        soci::statement statement
            = (session.prepare << "SELECT class_id, subject_id FROM identity_teaching WHERE teacher_id = :t",
                soci::use(user_id), soci::into(class_of), soci::into(subject));
        statement.execute();
        while (statement.fetch())
            current.emplace(class_of, subject);
        m_report.teachings += static_cast<long long>(wanted.size());
        if (current == wanted)
            return false;
        session << "DELETE FROM identity_teaching WHERE teacher_id = :t", soci::use(user_id);
        for (auto const& [teaching_class, teaching_subject] : wanted)
            identity::store::add_teaching(session, user_id, teaching_class, teaching_subject);
        return true;
    }

    Options const& m_options;
    Report& m_report;
    std::string m_uai;
    long long m_structure_id { 0 };
    std::string m_label; // « LYCEE JEAN MOULIN (0300021U) »
    std::set<std::string> m_covered;
    std::map<std::string, std::pair<std::string, int>> m_seen; // external id → file and line
    std::map<std::string, long long> m_classes;
    std::map<std::string, long long> m_subjects;
};

struct InputFile {
    FileSpec const* spec { nullptr };
    std::filesystem::path path;
};

} // namespace

std::string report_text(Report const& report, std::string const& uai_given)
{
    std::string uai = uai_given;
    for (auto& c : uai)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto text = report.text();
    auto first_line_end = text.find('\n');
    auto seconds_at = text.rfind(" en ", first_line_end);
    std::string title = report.dry_run ? "Simulation de l'import CSV (rien n'a été modifié)" : "Import CSV";
    title += " – établissement " + uai + " : " + std::to_string(report.files) + " fichier(s), "
        + std::to_string(report.records) + " ligne(s)";
    if (seconds_at != std::string::npos && seconds_at < first_line_end)
        title += text.substr(seconds_at, first_line_end - seconds_at);
    return title + text.substr(first_line_end);
}

ErrorOr<Report> import_directory(db::Database& database, std::filesystem::path const& directory,
    std::string const& uai_given, Options const& options)
{
    std::string uai = uai_given;
    for (auto& c : uai)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error))
        return Error::invalid("Le dossier " + directory.string() + " n'existe pas.");
    std::vector<InputFile> files;
    for (auto const& spec : file_specs()) {
        // The file's name in any case (« Eleves.csv », « ELEVES.CSV »).
        for (auto const& entry : std::filesystem::directory_iterator(directory, error)) {
            if (entry.is_regular_file() && column_key(entry.path().filename().string()) == column_key(spec.name)) {
                files.push_back({ &spec, entry.path() });
                break;
            }
        }
    }
    if (files.empty())
        return Error::invalid("Aucun fichier " + std::string(STUDENTS_FILE) + ", " + GUARDIANS_FILE + " ou "
            + STAFF_FILE + " dans " + directory.string() + ".");

    auto structure = TRY(database.read([&](soci::session& session) -> ErrorOr<std::optional<identity::Structure>> {
        return identity::store::find_structure_by_uai(session, uai);
    }));
    if (!structure)
        return Error::not_found("Aucun établissement n'a l'UAI « " + uai
            + " » : créez-le d'abord (import AAF ou établissement de démonstration) avant d'importer ses fichiers "
              "CSV.");

    Report report;
    report.full = true;
    report.dry_run = options.dry_run;
    report.files = static_cast<int>(files.size());
    report.structures.unchanged = 1;
    auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };

    Importer importer(options, report, uai, structure->id, structure->name + " (" + structure->uai + ")");
    report.import_id
        = TRY(import::open_record(database, "csv", "complet", options.dry_run, directory.string(), options.now));

    auto run = [&](auto&& apply_batch) -> ErrorOr<void> {
        for (std::size_t index = 0; index < files.size(); ++index) {
            auto const& file = files[index];
            auto const& spec = *file.spec;
            auto table = read_file(file.path);
            if (table.is_error()) {
                report.rejections.push_back({ spec.name, 0, {}, "fichier refusé : " + table.error().message_key });
                continue;
            }
            Columns columns(table->header);
            std::string missing;
            for (auto const* required : spec.required) {
                if (!columns.has(required))
                    missing += (missing.empty() ? "" : ", ") + std::string(required);
            }
            if (!missing.empty()) {
                report.rejections.push_back({ spec.name, 1, {},
                    "fichier refusé : colonne(s) obligatoire(s) absente(s) de l'en-tête : " + missing });
                continue;
            }
            auto const& rows = table->rows;
            for (std::size_t start = 0; start < rows.size(); start += static_cast<std::size_t>(options.batch_size)) {
                auto end = std::min(rows.size(), start + static_cast<std::size_t>(options.batch_size));
                std::vector<Rejection> rejected;
                TRY(apply_batch([&](soci::session& session) -> ErrorOr<bool> {
                    rejected.clear();
                    for (auto position = start; position < end; ++position) {
                        auto const& row = rows[position];
                        if (auto reason = importer.apply(session, spec, columns, row)) {
                            importer.count_rejection(spec.kind, columns, row);
                            rejected.push_back({ spec.name, row.line, columns.get(row, "identifiant"), *reason });
                        }
                    }
                    return true;
                }));
                report.records += static_cast<long long>(end - start);
                report.rejections.insert(report.rejections.end(), rejected.begin(), rejected.end());
                if (options.progress)
                    options.progress({ spec.name, static_cast<int>(index) + 1, static_cast<int>(files.size()),
                        report.records, static_cast<long long>(end), static_cast<long long>(rows.size()), elapsed() });
            }
            importer.cover(spec.kind);
        }
        return apply_batch([&](soci::session& session) -> ErrorOr<bool> {
            importer.depart_absent(session);
            return true;
        });
    };

    auto outcome = import::run_batches(database, options.dry_run, run);
    report.seconds = elapsed();
    TRY(import::close_record(database, report, report_text(report, uai), outcome));
    return report;
}

} // namespace cartable::directory::csv
