// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/context.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/log.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/directory/directory.h"
#include "services/directory/import_launch.h"
#include "services/preferences/preferences.h"
#include <boost/json.hpp>
#include <charconv>

namespace cartable::directory {

namespace {

constexpr char const* SEARCH = "directory.search";
constexpr int MAX_RESULTS = 50;

struct Found {
    identity::User person;
    std::vector<std::string> classes;
};

std::vector<Found> search(soci::session& session, long long structure_id, std::string const& words,
    std::string const& profile, long long class_id, int limit)
{
    std::string pattern = "%";
    for (char c : words)
        pattern += (c == '%' || c == '_') ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    pattern += "%";
    std::vector<Found> result;
    long long id = 0;
    long long const row_limit = limit;
    soci::statement statement
        = (session.prepare << "SELECT id FROM identity_user WHERE structure_id = :structure AND active = 1 "
                              "AND (LOWER(first_name || ' ' || last_name) LIKE :pattern "
                              "OR LOWER(last_name || ' ' || first_name) LIKE :again) "
                              "AND (:profile = '' OR profile = :profile_again) "
                              "AND (:class = 0 OR id IN (SELECT user_id FROM identity_class_member WHERE class_id = "
                              ":class2) OR id IN (SELECT teacher_id FROM identity_teaching WHERE class_id = :class3) "
                              "OR id IN (SELECT g.guardian_id FROM identity_guardian_link g JOIN identity_class_member "
                              "m ON m.user_id = g.student_id WHERE m.class_id = :class4)) "
                              "ORDER BY last_name, first_name, id LIMIT :limit",
            soci::use(structure_id), soci::use(pattern), soci::use(pattern), soci::use(profile), soci::use(profile),
            soci::use(class_id), soci::use(class_id), soci::use(class_id), soci::use(class_id), soci::use(row_limit),
            soci::into(id));
    statement.execute();
    std::vector<long long> ids;
    while (statement.fetch())
        ids.push_back(id);
    for (auto person_id : ids) {
        auto person = identity::store::find_user(session, person_id);
        if (!person)
            continue;
        Found found { *person, {} };
        if (person->profile == access::Profile::Student) {
            for (auto const& school_class : identity::store::classes_of(session, *person))
                found.classes.push_back(school_class.name);
        }
        result.push_back(std::move(found));
    }
    return result;
}

ErrorOr<http::Response> show_search(Context& context)
{
    auto words = std::string(trim_text(context.request.query.get("q")));
    auto profile = context.request.query.get("profil");
    if (!profile.empty() && !access::profile_from_code(profile))
        profile.clear();
    auto const structure_id = context.user().structure_id;
    view::Data data;
    data.set("q", words);
    view::List profiles;
    for (auto option :
        { access::Profile::Student, access::Profile::Guardian, access::Profile::Teacher, access::Profile::Staff }) {
        view::Data entry;
        entry.set("value", std::string(access::profile_code(option)));
        entry.set("label", std::string(access::profile_label(option)));
        entry.set("selected", profile == access::profile_code(option));
        profiles.push_back(std::move(entry));
    }
    data.set("profiles", std::move(profiles));
    // The structure's classes and groups, to narrow the search.
    auto classes
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<identity::SchoolClass>> {
              identity::User staff;
              staff.profile = access::Profile::Staff;
              staff.structure_id = structure_id;
              return identity::store::classes_of(session, staff);
          }));
    long long class_id = 0;
    auto class_text = context.request.query.get("classe");
    std::from_chars(class_text.data(), class_text.data() + class_text.size(), class_id);
    if (std::none_of(classes.begin(), classes.end(), [&](auto const& entry) { return entry.id == class_id; }))
        class_id = 0; // only this structure's classes
    view::List class_options;
    for (auto const& entry : classes) {
        view::Data option;
        option.set("value", std::to_string(entry.id));
        option.set("label", (entry.kind == "group" ? "Groupe " : "Classe ") + entry.name);
        option.set("selected", entry.id == class_id);
        class_options.push_back(std::move(option));
    }
    data.set("classes", std::move(class_options));
    if (words.size() >= 2 || !profile.empty() || class_id != 0) {
        auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Found>> {
            return search(session, structure_id, words.substr(0, 100), profile, class_id, MAX_RESULTS);
        }));
        view::List results;
        for (auto const& entry : found) {
            view::Data item;
            item.set("name", entry.person.display_name());
            item.set("profile",
                entry.person.function.empty() ? std::string(access::profile_label(entry.person.profile))
                                              : entry.person.function);
            std::string classes;
            for (auto const& name : entry.classes)
                classes += (classes.empty() ? "" : ", ") + name;
            item.set("classes", classes);
            item.set("url", "/annuaire/personne/" + std::to_string(entry.person.id));
            results.push_back(std::move(item));
        }
        data.set("searched", true);
        data.set("count", std::to_string(found.size()));
        data.set("results", std::move(results));
    } else if (!words.empty()) {
        data.set("error", "Saisissez au moins deux lettres du nom ou du prénom.");
    }
    return view::render(context, "directory/search", std::move(data), "Annuaire");
}

ErrorOr<http::Response> show_person(Context& context)
{
    auto text = context.request.parameter("id");
    long long id = 0;
    auto parsed = std::from_chars(text.data(), text.data() + text.size(), id);
    if (parsed.ec != std::errc {} || parsed.ptr != text.data() + text.size())
        return Error::not_found();
    auto const viewer = context.user();
    struct Card {
        identity::User person;
        identity::Contact contact;
        preferences::Choices choices;
        std::vector<std::string> classes;
    };
    auto card = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Card> {
        auto person = identity::store::find_user(session, id);
        // Nobody sees another structure's people.
        if (!person || !person->active || person->structure_id != viewer.structure_id)
            return Error::not_found("Cette personne n'est pas dans l'annuaire de votre établissement.");
        Card result { *person, identity::store::find_contact(session, id), preferences::choices_of(session, id), {} };
        if (person->profile == access::Profile::Student) {
            for (auto const& school_class : identity::store::classes_of(session, *person))
                result.classes.push_back("Classe " + school_class.name);
        }
        return result;
    }));
    view::Data data;
    data.set("name", card.person.display_name());
    data.set("civility", card.person.civility);
    data.set("profile", std::string(access::profile_label(card.person.profile)));
    data.set("function", card.person.function);
    std::string classes;
    for (auto const& name : card.classes)
        classes += (classes.empty() ? "" : ", ") + name;
    data.set("classes", classes);
    bool visible = may_see_coordinates(viewer, card.person, card.contact);
    data.set("coordinates_visible", visible);
    data.set("unlisted", card.contact.unlisted);
    if (visible) {
        data.set("address", card.contact.address);
        data.set("postal_code", card.contact.postal_code);
        data.set("city", card.contact.city);
        data.set("phone_home", card.contact.phone_home);
        data.set("phone_work", card.contact.phone_work);
        data.set("phone_mobile", card.contact.phone_mobile);
        data.set("extra_phone_1", card.choices.extra_phone_1);
        data.set("extra_phone_2", card.choices.extra_phone_2);
        data.set("reach_note", card.choices.reach_note);
        data.set("has_coordinates",
            !card.contact.address.empty() || !card.contact.phone_home.empty() || !card.contact.phone_work.empty()
                || !card.contact.phone_mobile.empty() || !card.choices.extra_phone_1.empty()
                || !card.choices.extra_phone_2.empty());
    }
    // Every read of another person's coordinates by staff is logged for
    // the direction (who, whom, what, when).
    bool staff = viewer.profile == access::Profile::Staff || viewer.profile == access::Profile::Admin
        || viewer.profile == access::Profile::Teacher;
    if (visible && staff && card.person.id != viewer.id) {
        std::string what = card.contact.unlisted ? "coordonnées (liste rouge)" : "coordonnées";
        auto logged = context.database().write([&](soci::session& session) -> ErrorOr<bool> {
            record_access(session, viewer.id, card.person, what, context.now);
            return true;
        });
        if (logged.is_error())
            log::error("directory: " + logged.error().detail);
    }
    return view::render(context, "directory/person", std::move(data), card.person.display_name());
}

constexpr char const* IMPORT_REPORTS = "directory.read_import_reports";
constexpr char const* IMPORT_RUN = "directory.run_import";
constexpr char const* ACCESS_LOG = "directory.read_access_log";

// « Journal des accès aux données personnelles », for the direction.
ErrorOr<http::Response> show_access_log(Context& context)
{
    auto const viewer = context.user();
    if (!identity::is_direction(viewer))
        return Error::forbidden("Seule la direction de l'établissement consulte ce journal.", "not direction");
    struct Entry {
        long long at { 0 };
        std::string viewer_first, viewer_last, viewer_profile, person_first, person_last, what;
    };
    auto entries = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Entry>> {
        std::vector<Entry> result;
        Entry row;
        soci::statement statement
            = (session.prepare << "SELECT l.at, v.first_name, v.last_name, v.profile, p.first_name, p.last_name, "
                                  "l.what FROM directory_access_log l JOIN identity_user v ON v.id = l.viewer_id "
                                  "JOIN identity_user p ON p.id = l.person_id WHERE l.structure_id = :structure "
                                  "ORDER BY l.at DESC, l.id DESC LIMIT 200",
                soci::use(viewer.structure_id), soci::into(row.at), soci::into(row.viewer_first),
                soci::into(row.viewer_last), soci::into(row.viewer_profile), soci::into(row.person_first),
                soci::into(row.person_last), soci::into(row.what));
        statement.execute();
        while (statement.fetch())
            result.push_back(row);
        return result;
    }));
    view::List list;
    for (auto const& entry : entries) {
        view::Data item;
        item.set("date", i18n::format_long_datetime(static_cast<std::time_t>(entry.at)));
        item.set("viewer", entry.viewer_first + " " + entry.viewer_last);
        auto profile = access::profile_from_code(entry.viewer_profile);
        item.set("profile", profile ? std::string(access::profile_label(*profile)) : entry.viewer_profile);
        item.set("person", entry.person_first + " " + entry.person_last);
        item.set("what", entry.what);
        list.push_back(std::move(item));
    }
    view::Data data;
    data.set("entries", std::move(list));
    return view::render(context, "directory/access_log", std::move(data), "Journal des accès aux données personnelles");
}

ErrorOr<http::Response> show_imports(Context& context)
{
    struct Row {
        long long id { 0 };
        std::string source;
        std::string mode;
        long long dry_run { 0 };
        long long started { 0 };
        long long finished { 0 };
        std::string status;
        long long records { 0 };
        long long rejected { 0 };
    };
    // The platform's administrators see every import, a structure's its own.
    long long all = context.user().platform_admin ? 1 : 0;
    long long structure_id = context.user().structure_id;
    auto rows = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Row>> {
        std::vector<Row> result;
        Row row;
        soci::statement statement
            = (session.prepare << "SELECT id, source, mode, dry_run, started_at, finished_at, status, records, "
                                  "rejected FROM directory_import WHERE :all = 1 OR structure_id = :structure ORDER "
                                  "BY id DESC LIMIT 100",
                soci::use(all), soci::use(structure_id), soci::into(row.id), soci::into(row.source),
                soci::into(row.mode), soci::into(row.dry_run), soci::into(row.started), soci::into(row.finished),
                soci::into(row.status), soci::into(row.records), soci::into(row.rejected));
        statement.execute();
        while (statement.fetch())
            result.push_back(row);
        return result;
    }));
    view::List list;
    for (auto const& row : rows) {
        view::Data entry;
        entry.set("url", "/admin/imports/" + std::to_string(row.id));
        entry.set("date", i18n::format_long_datetime(static_cast<std::time_t>(row.started)));
        entry.set("kind",
            (row.source == "aaf" ? std::string("AAF") : row.source) + " – "
                + (row.mode == "complet" ? "export complet" : "delta") + (row.dry_run ? " (simulation)" : ""));
        entry.set("status", row.status == "done" ? "terminé" : row.status == "running" ? "en cours" : "échoué");
        entry.set("records", std::to_string(row.records));
        entry.set("rejected", std::to_string(row.rejected));
        list.push_back(std::move(entry));
    }
    view::Data data;
    data.set("imports", std::move(list));
    if (context.request.query.get("lance") == "1")
        data.set("message",
            "L'import est lancé : il apparaît ci-dessous « en cours », puis « terminé » avec son "
            "rapport. Rechargez la page pour suivre son avancement.");
    return view::render(context, "directory/imports", std::move(data), "Imports de l'annuaire");
}

ErrorOr<http::Response> show_import(Context& context)
{
    auto text = context.request.parameter("id");
    long long id = 0;
    auto parsed = std::from_chars(text.data(), text.data() + text.size(), id);
    if (parsed.ec != std::errc {} || parsed.ptr != text.data() + text.size())
        return Error::not_found();
    struct Detail {
        std::string report;
        std::vector<std::tuple<std::string, long long, std::string, std::string>> rejections;
    };
    auto detail = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Detail> {
        Detail result;
        long long structure_id = 0;
        session << "SELECT report, structure_id FROM directory_import WHERE id = :id", soci::use(id),
            soci::into(result.report), soci::into(structure_id);
        if (!session.got_data() || (!context.user().platform_admin && structure_id != context.user().structure_id))
            return Error::not_found("Cet import n'existe pas.");
        std::string file;
        long long line = 0;
        std::string record;
        std::string reason;
        soci::statement statement = (session.prepare << "SELECT file, line, record_id, reason FROM "
                                                        "directory_import_rejection WHERE import_id = :id "
                                                        "ORDER BY file, line LIMIT 1000",
            soci::use(id), soci::into(file), soci::into(line), soci::into(record), soci::into(reason));
        statement.execute();
        while (statement.fetch())
            result.rejections.emplace_back(file, line, record, reason);
        return result;
    }));
    view::Data data;
    data.set("report", detail.report);
    view::List rejections;
    for (auto const& [file, line, record, reason] : detail.rejections) {
        view::Data entry;
        entry.set("file", file);
        entry.set("line", std::to_string(line));
        entry.set("record", record);
        entry.set("reason", reason);
        rejections.push_back(std::move(entry));
    }
    data.set("rejections", std::move(rejections));
    return view::render(context, "directory/import", std::move(data), "Rapport d'import");
}

} // namespace

bool authorised_for_unlisted(identity::User const& viewer)
{
    if (viewer.profile == access::Profile::Admin)
        return true;
    if (viewer.profile != access::Profile::Staff)
        return false;
    // Direction and vie scolaire, by the function the directory gives them.
    std::string function;
    for (char c : viewer.function)
        function += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char const* known : { "proviseur", "principal", "direct", "cpe", "conseill", "gestionnaire", "secr" }) {
        if (function.find(known) != std::string::npos)
            return true;
    }
    return false;
}

bool may_see_coordinates(identity::User const& viewer, identity::User const& person, identity::Contact const& contact)
{
    if (viewer.id == person.id)
        return true;
    if (viewer.structure_id != person.structure_id)
        return false;
    // The people the structure authorises: direction, vie scolaire, administrators.
    if (authorised_for_unlisted(viewer))
        return true;
    return !contact.unlisted;
}

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ SEARCH, access::Scope::Structure,
        { access::Profile::Student, access::Profile::Guardian, access::Profile::Teacher, access::Profile::Staff,
            access::Profile::Admin },
        access::Risk::PersonalData, "Chercher une personne de l'établissement dans l'annuaire" }));
    TRY(registry.declare(
        { IMPORT_REPORTS, access::Scope::Structure, { access::Profile::Admin }, access::Risk::PersonalData,
            "Lire l'historique et les rapports des imports de l'annuaire (les siens ; tous pour la plateforme)" }));
    TRY(registry.declare({ IMPORT_RUN, access::Scope::Structure, { access::Profile::Admin }, access::Risk::PersonalData,
        "Lancer l'import des fichiers déposés (CSV de l'établissement ; AAF pour la plateforme)" }));
    TRY(registry.declare({ ACCESS_LOG, access::Scope::Structure, { access::Profile::Staff, access::Profile::Admin },
        access::Risk::PersonalData, "Lire le journal des accès aux données personnelles (direction)" }));
    return {};
}

// For « Mes données »: who among the staff read the person's coordinates.
ErrorOr<PersonalData> export_reads(Context& context, identity::User const& person)
{
    return context.database().read([&](soci::session& session) -> ErrorOr<PersonalData> {
        boost::json::array reads;
        long long at = 0;
        std::string first;
        std::string last;
        std::string what;
        soci::statement statement = (session.prepare << "SELECT l.at, v.first_name, v.last_name, l.what FROM "
                                                        "directory_access_log l JOIN identity_user v ON v.id = "
                                                        "l.viewer_id WHERE l.person_id = :person ORDER BY l.at",
            soci::use(person.id), soci::into(at), soci::into(first), soci::into(last), soci::into(what));
        statement.execute();
        while (statement.fetch()) {
            std::string viewer = first;
            viewer.append(" ").append(last);
            reads.push_back(boost::json::object { { "le", i18n::format_long_datetime(static_cast<std::time_t>(at)) },
                { "par", viewer }, { "donnees", what } });
        }
        return PersonalData { boost::json::serialize(reads), {} };
    });
}

ErrorOr<void> start(Services& services)
{
    services.personal_data_exporters.emplace_back("consultations_de_mes_coordonnees", export_reads);
    return {};
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/annuaire", SEARCH, show_search },
        { Method::Get, "/annuaire/personne/{id}", SEARCH, show_person },
        { Method::Get, "/admin/imports", IMPORT_REPORTS, show_imports },
        { Method::Post, "/admin/imports", IMPORT_RUN, launch_import },
        { Method::Get, "/admin/journal-des-acces", ACCESS_LOG, show_access_log },
        { Method::Get, "/admin/imports/{id}", IMPORT_REPORTS, show_import },
    };
}

void record_access(
    soci::session& session, long long viewer_id, identity::User const& person, std::string const& what, long long now)
{
    session << "INSERT INTO directory_access_log (at, viewer_id, person_id, structure_id, what) VALUES (:at, "
               ":viewer, :person, :structure, :what)",
        soci::use(now), soci::use(viewer_id), soci::use(person.id), soci::use(person.structure_id), soci::use(what);
}

} // namespace cartable::directory
