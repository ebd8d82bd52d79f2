// SPDX-License-Identifier: AGPL-3.0-or-later
// « Mes données »: everything the ENT holds about the person, as a ZIP
// archive (a JSON file and the person's files), assembled from what each
// service registered in Services::personal_data_exporters.
#include "core/identity/api_tokens.h"
#include "core/identity/charter.h"
#include "core/identity/identity_store.h"
#include "core/log.h"
#include "core/view/frame.h"
#include "services/preferences/preferences.h"
#include "services/preferences/preferences_handlers.h"
#include <boost/json.hpp>
#include <ctime>
#include <fstream>
#include <sstream>
#include <zip.h>

namespace cartable::preferences {

namespace {

std::string iso_time(long long when)
{
    if (when <= 0)
        return {};
    auto time = static_cast<std::time_t>(when);
    std::tm utc {};
    gmtime_r(&time, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

// The account itself: identity, contact, choices, links, classes, charter,
// devices, linked accounts.
ErrorOr<PersonalData> export_account(Context& context, identity::User const& person)
{
    return context.database().read([&](soci::session& session) -> ErrorOr<PersonalData> {
        boost::json::object account;
        account["identifiant"] = person.login;
        account["civilite"] = person.civility;
        account["prenom"] = person.first_name;
        account["nom"] = person.last_name;
        account["profil"] = access::profile_label(person.profile);
        account["fonction"] = person.function;
        if (auto structure = identity::store::find_structure(session, person.structure_id))
            account["etablissement"] = structure->name + " (" + structure->uai + ")";
        auto contact = identity::store::find_contact(session, person.id);
        account["coordonnees"]
            = boost::json::object { { "adresse", contact.address }, { "code_postal", contact.postal_code },
                  { "ville", contact.city }, { "telephone_personnel", contact.phone_home },
                  { "telephone_professionnel", contact.phone_work }, { "telephone_mobile", contact.phone_mobile },
                  { "email_annuaire", contact.email }, { "liste_rouge", contact.unlisted } };
        auto choices = choices_of(session, person.id);
        account["preferences"] = boost::json::object { { "email_de_reception", choices.notification_email },
            { "notifications_etablissement", choices.notify_structure },
            { "notifications_partenaires", choices.notify_partners }, { "telephone_1", choices.extra_phone_1 },
            { "telephone_2", choices.extra_phone_2 }, { "sms", std::string(sms_code(choices.sms_phone)) },
            { "quand_et_comment_me_joindre", choices.reach_note } };
        boost::json::array children;
        for (auto const& child : identity::store::children_of(session, person.id))
            children.push_back(boost::json::value(child.display_name()));
        account["enfants"] = std::move(children);
        boost::json::array classes;
        for (auto const& school_class : identity::store::classes_of(session, person))
            classes.push_back(boost::json::value(school_class.name));
        account["classes_et_groupes"] = std::move(classes);
        boost::json::array linked;
        for (auto const& other : identity::store::linked_accounts(session, person.id))
            linked.push_back(boost::json::value(other.login));
        account["comptes_rapproches"] = std::move(linked);
        boost::json::array devices;
        for (auto const& token : identity::api_tokens::list(session, person.id))
            devices.push_back(
                boost::json::object { { "appareil", token.name }, { "associe_le", iso_time(token.created_at) },
                    { "derniere_utilisation", iso_time(token.last_used_at) } });
        account["appareils_associes"] = std::move(devices);
        boost::json::array acceptances;
        long long version = 0;
        long long accepted_at = 0;
        soci::statement statement = (session.prepare << "SELECT version, accepted_at FROM identity_charter_acceptance "
                                                        "WHERE user_id = :user ORDER BY version",
            soci::use(person.id), soci::into(version), soci::into(accepted_at));
        statement.execute();
        while (statement.fetch())
            acceptances.push_back(
                boost::json::object { { "version", version }, { "acceptee_le", iso_time(accepted_at) } });
        account["charte_acceptations"] = std::move(acceptances);
        return PersonalData { boost::json::serialize(account), {} };
    });
}

// Pretty enough for a person who opens the file: one key a line at the top.
std::string assemble(std::vector<std::pair<std::string, std::string>> const& parts, long long now)
{
    std::string json = "{\n  \"exporte_le\": \"" + iso_time(now) + "\"";
    for (auto const& [name, value] : parts)
        json += ",\n  " + boost::json::serialize(boost::json::value(name)) + ": " + value;
    return json + "\n}\n";
}

constexpr char const* README = "Vos données dans l'ENT\n"
                               "======================\n\n"
                               "mes-donnees.json : tout ce que l'ENT conserve à votre sujet (compte, coordonnées, "
                               "préférences, publications, raccourcis, consultations de vos coordonnées par le "
                               "personnel…), au format JSON, lisible avec un éditeur de texte.\n"
                               "fichiers/ : les fichiers que vous avez déposés.\n\n"
                               "Pour faire rectifier une information qui vient de l'annuaire de votre établissement, "
                               "adressez-vous à son secrétariat.\n";

} // namespace

ErrorOr<void> register_account_export(Services& services)
{
    services.personal_data_exporters.emplace_back("compte", export_account);
    return {};
}

ErrorOr<http::Response> show_my_data(Context& context)
{
    auto const person_id = context.user().id;
    auto erase = TRY(context.database().read([&](soci::session& session) -> ErrorOr<long long> {
        long long value = 0;
        session << "SELECT erase_contributions FROM identity_user WHERE id = :id", soci::use(person_id),
            soci::into(value);
        return value;
    }));
    view::Data data;
    data.set("csrf_token", context.csrf_token());
    data.set("erase", erase != 0);
    data.set("saved", context.request.query.get("enregistre") == "1");
    return view::render(context, "preferences/my_data", std::move(data), "Mes données");
}

// The person's objection, at any time before closure, to keeping their
// public contributions under « Ancien membre ».
ErrorOr<http::Response> save_contributions_choice(Context& context)
{
    auto const person_id = context.user().id;
    long long erase = context.request.form.get("supprimer") == "1" ? 1 : 0;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "UPDATE identity_user SET erase_contributions = :erase WHERE id = :id", soci::use(erase),
            soci::use(person_id);
        identity::store::audit(session, person_id, "contributions_choice", erase ? "supprimer" : "conserver");
        return true;
    }));
    return http::Response::redirect("/preferences/mes-donnees?enregistre=1");
}

ErrorOr<http::Response> download_my_data(Context& context)
{
    auto const person = context.user();
    std::vector<std::pair<std::string, std::string>> parts;
    std::vector<std::pair<std::string, std::filesystem::path>> files;
    for (auto const& [name, exporter] : context.services.personal_data_exporters) {
        auto part = TRY(exporter(context, person));
        parts.emplace_back(name, std::move(part.json));
        for (auto& file : part.files)
            files.push_back(std::move(file));
    }
    auto json = assemble(parts, context.now);

    zip_error_t error;
    zip_error_init(&error);
    auto* source = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (!source)
        return Error::internal("zip: cannot create a buffer");
    auto* archive = zip_open_from_source(source, ZIP_TRUNCATE, &error);
    if (!archive) {
        zip_source_free(source);
        return Error::internal("zip: cannot open the archive");
    }
    zip_source_keep(source);
    auto add_text = [&](char const* name, std::string const& text) {
        auto* entry = zip_source_buffer(archive, text.data(), text.size(), 0);
        return entry && zip_file_add(archive, name, entry, ZIP_FL_ENC_UTF_8) >= 0;
    };
    bool ok = add_text("mes-donnees.json", json) && add_text("LISEZMOI.txt", README);
    for (auto const& [name, path] : files) {
        if (!ok)
            break;
        auto* entry = zip_source_file(archive, path.c_str(), 0, -1);
        ok = entry && zip_file_add(archive, ("fichiers/" + name).c_str(), entry, ZIP_FL_ENC_UTF_8) >= 0;
    }
    // Closing writes the archive into the buffer source (the texts above
    // are read now, while they still live).
    if (zip_close(archive) < 0 || !ok) {
        if (!ok)
            zip_discard(archive);
        zip_source_free(source);
        return Error::internal("zip: writing the archive failed");
    }
    std::string body;
    if (zip_source_open(source) == 0) {
        char buffer[65536];
        zip_int64_t read = 0;
        while ((read = zip_source_read(source, buffer, sizeof buffer)) > 0)
            body.append(buffer, static_cast<std::size_t>(read));
        zip_source_close(source);
    }
    zip_source_free(source);

    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        identity::store::audit(session, person.id, "personal_data_exported", "");
        return true;
    }));
    http::Response response;
    response.status = 200;
    response.body = std::move(body);
    response.set_header("Content-Type", "application/zip");
    response.set_header("Content-Disposition", "attachment; filename=\"mes-donnees-ent.zip\"");
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

} // namespace cartable::preferences
