// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/assessments/assessments.h"
#include "services/attendance/attendance.h"
#include "services/class_space/class_space.h"
#include "services/lesson_book/lesson_book.h"
#include "services/liaison_book/liaison_book.h"
#include "services/mail/mail.h"
#include "services/publishing/publishing.h"
#include "services/timetable/timetable.h"
#include <ctime>
#include <map>

namespace cartable::app {

namespace {

using access::Profile;

struct DemoPerson {
    char const* login;
    char const* civility;
    char const* first_name;
    char const* last_name;
    Profile profile;
    char const* function;
    char const* class_name; // for students
};

// The guide's people first: André CHAMSON, his son Louis in TPRO, the
// teacher Samuel BEAUMONT; then enough of a school to be believable.
constexpr DemoPerson PEOPLE[] = {
    { "andre.chamson", "M.", "André", "CHAMSON", Profile::Guardian, "", nullptr },
    { "louis.chamson", "M.", "Louis", "CHAMSON", Profile::Student, "", "TPRO" },
    { "pauline.chamson", "Mme", "Pauline", "CHAMSON", Profile::Student, "", "T STMG" },
    { "emma.roux", "Mme", "Emma", "ROUX", Profile::Student, "", "TPRO" },
    { "lucas.martin", "M.", "Lucas", "MARTIN", Profile::Student, "", "TPRO" },
    { "ines.benali", "Mme", "Inès", "BENALI", Profile::Student, "", "T STMG" },
    { "hugo.fabre", "M.", "Hugo", "FABRE", Profile::Student, "", "T STMG" },
    { "sophie.roux", "Mme", "Sophie", "ROUX", Profile::Guardian, "", nullptr },
    { "karim.benali", "M.", "Karim", "BENALI", Profile::Guardian, "", nullptr },
    { "samuel.beaumont", "M.", "Samuel", "BEAUMONT", Profile::Teacher, "", nullptr },
    { "marie.delmas", "Mme", "Marie", "DELMAS", Profile::Teacher, "", nullptr },
    { "julien.favier", "M.", "Julien", "FAVIER", Profile::Teacher, "", nullptr },
    { "nathalie.vidal", "Mme", "Nathalie", "VIDAL", Profile::Staff, "CPE", nullptr },
    { "philippe.garnier", "M.", "Philippe", "GARNIER", Profile::Staff, "Proviseur", nullptr },
    // The région's administrator of the platform, and the cité scolaire's own.
    { "admin.ent", "Mme", "Claire", "ESTÈVE", Profile::Admin, "", nullptr },
    { "olivier.pradel", "M.", "Olivier", "PRADEL", Profile::Admin, "Secrétariat de direction", nullptr },
    // André CHAMSON also teaches (his second account, to link in Préférences).
    { "achamson", "M.", "André", "CHAMSON", Profile::Teacher, "", nullptr },
};

struct DemoContact {
    char const* login;
    identity::Contact contact;
};

// What the académie's feed would bring: addresses and numbers of the families.
DemoContact const CONTACTS[] = {
    { "andre.chamson",
        { "1 Boulevard Pasteur", "30120", "LE VIGAN", "+33 4 77 88 22 55", "", "+33 6 12 12 12 12",
            "andre.chamson@outlook.fr", false } },
    { "sophie.roux",
        { "14 rue des Châtaigniers", "30120", "LE VIGAN", "+33 4 67 81 02 33", "+33 4 67 81 40 10", "+33 6 45 21 87 90",
            "sophie.roux@orange.fr", false } },
    { "karim.benali",
        { "3 place du Quai", "30120", "MOLIÈRES-CAVAILLAC", "", "", "+33 7 81 55 63 02", "karim.benali@gmail.com",
            false } },
};

struct GuardianLink {
    char const* guardian;
    char const* student;
    char const* relationship;
};

constexpr GuardianLink LINKS[] = {
    { "andre.chamson", "louis.chamson", "père" },
    { "andre.chamson", "pauline.chamson", "père" },
    { "sophie.roux", "emma.roux", "mère" },
    { "karim.benali", "ines.benali", "père" },
};

struct Teaching {
    char const* teacher;
    char const* class_name;
    char const* subject_code;
};

struct Subject {
    char const* code; // BCN code of the subject
    char const* label;
};

constexpr Subject SUBJECTS[] = {
    { "042400", "ÉCONOMIE-GESTION" },
    { "061300", "MATHÉMATIQUES" },
    { "020100", "FRANÇAIS" },
    { "040600", "HISTOIRE-GÉOGRAPHIE" },
};

constexpr Teaching TEACHINGS[] = {
    { "samuel.beaumont", "TPRO", "042400" },
    { "samuel.beaumont", "T STMG", "042400" },
    { "marie.delmas", "TPRO", "061300" },
    { "marie.delmas", "T STMG", "061300" },
    { "julien.favier", "TPRO", "020100" },
    { "julien.favier", "T STMG", "040600" },
};

constexpr long long DAY = 24LL * 3600;

// A local time on a day counted from today, as a school would set it.
long long day_at(long long now, int days, int hour, int minute = 0)
{
    auto time = static_cast<std::time_t>(now + days * DAY);
    std::tm local {};
    localtime_r(&time, &local);
    local.tm_hour = hour;
    local.tm_min = minute;
    local.tm_sec = 0;
    local.tm_isdst = -1;
    return static_cast<long long>(std::mktime(&local));
}

} // namespace

std::string demo_accounts_text()
{
    std::string text = "Comptes de démonstration (mot de passe : " + std::string(DEMO_PASSWORD) + ") :\n";
    for (auto const& person : PEOPLE) {
        text += "  " + std::string(person.login) + " – " + person.first_name + " " + person.last_name + ", "
            + std::string(access::profile_label(person.profile));
        if (*person.function)
            text += " (" + std::string(person.function) + ")";
        if (person.class_name)
            text += ", classe " + std::string(person.class_name);
        text += "\n";
    }
    return text;
}

ErrorOr<DemoOutcome> load_demo_school(Services& services)
{
    // One hash for every demo account: argon2id costs 200 ms each.
    auto password_hash = TRY(services.password_hasher->hash(DEMO_PASSWORD));
    auto now = static_cast<long long>(std::time(nullptr));
    return services.database->write([&](soci::session& session) -> ErrorOr<DemoOutcome> {
        if (identity::store::holds_non_demo_data(session))
            return Error::conflict("Cette base contient des données réelles : la démonstration n'y est pas chargée.");
        if (identity::store::find_structure_by_uai(session, "0300027A"))
            return DemoOutcome::AlreadyThere;

        identity::Structure structure;
        structure.uai = "0300027A";
        structure.name = "CITE SCOLAIRE ANDRE CHAMSON";
        structure.kind = "Cité scolaire";
        structure.city = "Le Vigan";
        structure.academy = "Montpellier";
        structure.region = "Occitanie";
        structure.welcome_text
            = "Bienvenue sur notre nouvel Espace Numérique de Travail (plus communément appelé \"ENT\") ! "
              "L'initialisation de ce nouveau service étant en cours, les contenus apparaitront "
              "progressivement, n'hésitez pas à revenir nous voir régulièrement.";
        structure.is_demo = true;
        auto structure_id = identity::store::create_structure(session, structure);

        std::map<std::string, long long> classes;
        for (auto const* name : { "TPRO", "T STMG" })
            classes[name] = identity::store::create_class(session, { 0, structure_id, name, "class" });
        std::map<std::string, long long> subjects;
        for (auto const& subject : SUBJECTS)
            subjects[subject.code]
                = identity::store::create_subject(session, structure_id, subject.code, subject.label);

        std::map<std::string, long long> people;
        for (auto const& person : PEOPLE) {
            identity::User user;
            user.login = person.login;
            user.civility = person.civility;
            user.first_name = person.first_name;
            user.last_name = person.last_name;
            user.profile = person.profile;
            user.function = person.function;
            user.structure_id = structure_id;
            user.is_demo = true;
            user.platform_admin = std::string_view(person.login) == "admin.ent";
            people[person.login] = identity::store::create_user(session, user, password_hash);
            if (person.class_name)
                identity::store::add_class_member(session, classes.at(person.class_name), people[person.login]);
        }
        for (auto const& entry : CONTACTS)
            identity::store::save_contact(session, people.at(entry.login), entry.contact);
        for (auto const& link : LINKS)
            identity::store::link_guardian(
                session, people.at(link.guardian), people.at(link.student), link.relationship);
        for (auto const& teaching : TEACHINGS)
            identity::store::add_teaching(session, people.at(teaching.teacher), classes.at(teaching.class_name),
                subjects.at(teaching.subject_code));

        publishing::NewsItem arrival;
        arrival.structure_id = structure_id;
        arrival.title = "Le nouvel Espace Numérique de Travail arrive dans notre établissement";
        arrival.summary
            = "Nouvelles fonctionnalités, nouvelle ergonomie : connectez-vous pour découvrir les nouveautés "
              "réservées aux membres de l'établissement !";
        arrival.body
            = "Messagerie, cahier de textes, carnet de liaison, espaces des classes : retrouvez tous vos services "
              "au même endroit, depuis un ordinateur ou un téléphone. Les identifiants vous sont remis par le "
              "secrétariat ; en cas de difficulté, adressez-vous à la vie scolaire.";
        arrival.is_public = true;
        arrival.published_at = day_at(now, -32, 10, 15);
        publishing::add_news(session, arrival);

        publishing::NewsItem council;
        council.structure_id = structure_id;
        council.title = "Conseils de classe du premier trimestre";
        council.summary
            = "Les conseils de classe des terminales se tiennent du 8 au 12 décembre ; les bulletins seront "
              "consultables dans l'ENT la semaine suivante.";
        council.body = "Les délégués des élèves et des parents recevront la convocation par le carnet de liaison.";
        council.is_public = false;
        council.published_at = day_at(now, -3, 17, 40);
        publishing::add_news(session, council);

        publishing::Event open_day { 0, structure_id, "Journée portes ouvertes", "Cité scolaire, hall d'accueil",
            day_at(now, 20, 9), day_at(now, 20, 16), true };
        publishing::add_event(session, open_day);
        publishing::Event meeting { 0, structure_id, "Réunion parents-professeurs des terminales", "Salle polyvalente",
            day_at(now, 9, 17, 30), day_at(now, 9, 20), true };
        publishing::add_event(session, meeting);
        publishing::Announcement orientation;
        orientation.scope = publishing::Scope::Region;
        orientation.scope_key = "Occitanie";
        orientation.author = "Région Occitanie / Pyrénées - Méditerranée";
        orientation.title = "Rencontres autour des métiers de l'industrie";
        orientation.body = "La Maison de l'Orientation de Bellefontaine à Toulouse organise deux rencontres autour des "
                           "métiers de l'industrie, de 14h00 à 17h00. Un secteur porteur de nombreux métiers souvent "
                           "méconnus : venez les découvrir !";
        orientation.link_url = "https://www.laregion.fr/";
        orientation.profiles = { Profile::Student, Profile::Guardian, Profile::Teacher, Profile::Staff };
        orientation.starts_at = day_at(now, -2, 8);
        orientation.ends_at = day_at(now, 40, 18);
        publishing::add_announcement(session, orientation, now);

        publishing::Announcement support;
        support.scope = publishing::Scope::Platform;
        support.author = "L'équipe support produit";
        support.title = "Bienvenue dans votre nouvel ENT";
        support.body = "Pensez à vérifier votre adresse de réception des notifications dans vos préférences. L'aide en "
                       "ligne (« ? » en haut à droite) répond aux questions les plus fréquentes.";
        support.link_url = "/aide";
        support.starts_at = day_at(now, -10, 7);
        support.ends_at = day_at(now, 60, 23);
        publishing::add_announcement(session, support, now);

        publishing::Announcement holidays;
        holidays.scope = publishing::Scope::Academy;
        holidays.scope_key = "Montpellier";
        holidays.author = "Académie de Montpellier";
        holidays.title = "Calendrier des épreuves du baccalauréat";
        holidays.body
            = "Les dates des épreuves écrites du baccalauréat et du baccalauréat professionnel sont publiées. "
              "Les candidats recevront leur convocation par leur établissement.";
        holidays.profiles = { Profile::Student, Profile::Guardian, Profile::Teacher, Profile::Staff };
        holidays.starts_at = day_at(now, -5, 9);
        holidays.ends_at = day_at(now, 30, 18);
        publishing::add_announcement(session, holidays, now);

        publishing::add_demo_publications(session, structure_id, people.at("admin.ent"), now);
        class_space::ensure_spaces(session, now);
        class_space::add_demo_blog(session, now);
        class_space::add_demo_agenda(session, now);
        class_space::add_demo_chat(session, now);
        class_space::add_demo_forum(session, now);
        TRY(class_space::add_demo_folders(session, services, now));
        mail::add_demo_messages(session, now);
        timetable::add_demo_timetable(session, structure_id, now);
        lesson_book::add_demo_lesson_book(session, structure_id, now);
        liaison_book::add_demo_notes(session, now);
        attendance::add_demo_attendance(session, structure_id, now);
        assessments::add_demo_assessments(session, structure_id, now);
        identity::store::audit(session, std::nullopt, "demo_loaded", "0300027A");
        return DemoOutcome::Loaded;
    });
}

} // namespace cartable::app
