// SPDX-License-Identifier: AGPL-3.0-or-later
// « Personnes »: the administrators' search of their structure's people, a
// person's sheet, and what they do to an account (deactivate, reactivate, a
// new activation code, the objection to keeping contributions).
#include "core/http/static_files.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/identity/sessions.h"
#include "core/log.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/account/activation.h"
#include "services/admin/admin.h"
#include "services/admin/console.h"
#include "services/directory/directory.h"
#include "services/directory/import/import_text.h"
#include <charconv>

namespace cartable::admin {

namespace {

constexpr int PAGE_SIZE = 50;

struct PersonRow {
    identity::User user;
    long long departed_at { 0 };
    long long deleted_at { 0 };
    bool has_password { false };
    std::string source;
};

std::string state_of(PersonRow const& row)
{
    if (row.deleted_at != 0)
        return "Données supprimées";
    if (row.departed_at != 0)
        return "Parti le " + i18n::format_short_date(static_cast<std::time_t>(row.departed_at));
    if (!row.user.active)
        return "Désactivé";
    if (!row.has_password)
        return "En attente d'activation";
    return "Actif";
}

constexpr char const* PERSON_COLUMNS
    = "u.id, u.login, u.civility, u.first_name, u.last_name, u.profile, u.function, u.structure_id, u.active, "
      "u.platform_admin, u.departed_at, u.personal_data_deleted_at, CASE WHEN u.password_hash = '' THEN 0 ELSE 1 "
      "END, u.source";

struct RowBinder {
    PersonRow row;
    std::string profile;
    long long active { 0 };
    long long platform { 0 };
    long long has_password { 0 };
    void bind(soci::details::prepare_temp_type& prepared)
    {
        prepared, soci::into(row.user.id), soci::into(row.user.login), soci::into(row.user.civility),
            soci::into(row.user.first_name), soci::into(row.user.last_name), soci::into(profile),
            soci::into(row.user.function), soci::into(row.user.structure_id), soci::into(active), soci::into(platform),
            soci::into(row.departed_at), soci::into(row.deleted_at), soci::into(has_password), soci::into(row.source);
    }
    PersonRow get() const
    {
        auto result = row;
        result.user.profile = access::profile_from_code(profile).value_or(access::Profile::Student);
        result.user.active = active != 0;
        result.user.platform_admin = platform != 0;
        result.has_password = has_password != 0;
        return result;
    }
};

struct Search {
    std::string words;
    std::string profile;
    long long class_id { 0 };
    std::string state;
    long long page { 1 };
};

std::vector<PersonRow> search(soci::session& session, long long structure_id, Search const& search)
{
    std::string pattern = "%" + search.words + "%";
    for (auto& c : pattern)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string sql = std::string("SELECT ") + PERSON_COLUMNS
        + " FROM identity_user u WHERE u.structure_id = :structure AND (LOWER(u.last_name || ' ' || u.first_name || "
          "' ' || u.login) LIKE :pattern OR LOWER(u.first_name || ' ' || u.last_name) LIKE :again)";
    if (!search.profile.empty())
        sql += " AND u.profile = :profile";
    if (search.class_id != 0)
        sql += " AND u.id IN (SELECT user_id FROM identity_class_member WHERE class_id = :class UNION SELECT "
               "teacher_id FROM identity_teaching WHERE class_id = :class_again)";
    if (search.state == "actifs")
        sql += " AND u.active = 1";
    else if (search.state == "desactives")
        sql += " AND u.active = 0";
    else if (search.state == "partis")
        sql += " AND u.departed_at <> 0";
    else if (search.state == "en-attente")
        sql += " AND u.active = 1 AND u.password_hash = ''";
    sql += " ORDER BY u.last_name, u.first_name, u.id LIMIT " + std::to_string(PAGE_SIZE + 1) + " OFFSET "
        + std::to_string((search.page - 1) * PAGE_SIZE);
    RowBinder binder;
    auto prepared = (session.prepare << sql, soci::use(structure_id), soci::use(pattern), soci::use(pattern));
    if (!search.profile.empty())
        prepared, soci::use(search.profile);
    if (search.class_id != 0)
        prepared, soci::use(search.class_id), soci::use(search.class_id);
    binder.bind(prepared);
    soci::statement statement(prepared);
    std::vector<PersonRow> result;
    if (statement.execute(true)) {
        do
            result.push_back(binder.get());
        while (statement.fetch());
    }
    return result;
}

std::optional<PersonRow> find_person(soci::session& session, long long id)
{
    RowBinder binder;
    auto prepared
        = (session.prepare << std::string("SELECT ") + PERSON_COLUMNS + " FROM identity_user u WHERE u.id = :id",
            soci::use(id));
    binder.bind(prepared);
    soci::statement statement(prepared);
    if (!statement.execute(true))
        return std::nullopt;
    return binder.get();
}

// The person of the path, if the administrator may act on them: their own
// structure's people (any structure's for the platform's administrators),
// never a platform administrator unless one is too.
ErrorOr<PersonRow> person_in_reach(Context& context)
{
    auto id = parse_id(context.request.parameter("id"));
    auto found = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::optional<PersonRow>> { return find_person(session, id); }));
    auto const& admin = context.user();
    if (!found || (found->user.structure_id != admin.structure_id && !admin.platform_admin))
        return Error::not_found();
    if (found->user.platform_admin && !admin.platform_admin)
        return Error::forbidden("Seul un administrateur de la plateforme agit sur ce compte.",
            "platform administrator's account refused to a structure administrator");
    return *found;
}

std::string person_url(PersonRow const& person)
{
    return "/admin/personnes/" + std::to_string(person.user.id);
}

void audit_on(soci::session& session, Context& context, PersonRow const& person, std::string const& action)
{
    identity::store::audit_in(session, context.user().id, person.user.structure_id, action,
        person.user.display_name() + " (" + person.user.login + ")");
}

} // namespace

ErrorOr<http::Response> show_people(Context& context)
{
    auto structure = TRY(administered_structure(context));
    auto const& query = context.request.query;
    Search wanted;
    wanted.words = std::string(trim_text(query.get("q"))).substr(0, 100);
    wanted.profile = query.get("profil");
    if (!wanted.profile.empty() && !access::profile_from_code(wanted.profile))
        wanted.profile.clear();
    wanted.class_id = parse_id(query.get("classe"));
    wanted.state = query.get("etat");
    wanted.page = std::max(1LL, std::min(parse_id(query.get("page")), 100000LL));
    auto classes
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<identity::SchoolClass>> {
              identity::User staff;
              staff.profile = access::Profile::Staff;
              staff.structure_id = structure.id;
              return identity::store::classes_of(session, staff);
          }));
    if (std::none_of(classes.begin(), classes.end(), [&](auto const& entry) { return entry.id == wanted.class_id; }))
        wanted.class_id = 0;
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<PersonRow>> {
        return search(session, structure.id, wanted);
    }));
    bool more = found.size() > static_cast<std::size_t>(PAGE_SIZE);
    if (more)
        found.pop_back();

    auto data = console_data(context, structure);
    data.set("q", wanted.words);
    view::List profiles;
    for (auto profile : PROFILES) {
        view::Data option;
        option.set("value", std::string(access::profile_code(profile)));
        option.set("label", std::string(access::profile_label(profile)));
        option.set("selected", wanted.profile == access::profile_code(profile));
        profiles.push_back(std::move(option));
    }
    data.set("profiles", std::move(profiles));
    view::List class_options;
    for (auto const& entry : classes) {
        view::Data option;
        option.set("value", std::to_string(entry.id));
        option.set("label", (entry.kind == "group" ? "Groupe " : "Classe ") + entry.name);
        option.set("selected", entry.id == wanted.class_id);
        class_options.push_back(std::move(option));
    }
    data.set("classes", std::move(class_options));
    view::List states;
    for (auto const& [value, label] : std::vector<std::pair<std::string, std::string>> { { "actifs", "Actifs" },
             { "en-attente", "En attente d'activation" }, { "desactives", "Désactivés" }, { "partis", "Partis" } }) {
        view::Data option;
        option.set("value", value);
        option.set("label", label);
        option.set("selected", wanted.state == value);
        states.push_back(std::move(option));
    }
    data.set("states", std::move(states));
    view::List rows;
    for (auto const& person : found) {
        view::Data row;
        row.set("name", person.user.display_name());
        row.set("login", person.user.login);
        row.set("profile",
            person.user.function.empty()
                ? std::string(access::profile_label(person.user.profile))
                : std::string(access::profile_label(person.user.profile)) + " – " + person.user.function);
        row.set("state", state_of(person));
        row.set("url", person_url(person));
        rows.push_back(std::move(row));
    }
    data.set("people", std::move(rows));
    data.set("page", std::to_string(wanted.page));
    auto link = [&](long long page) {
        std::string url = "/admin/personnes?q=" + http::percent_encode(wanted.words) + "&profil=" + wanted.profile
            + "&classe=" + (wanted.class_id ? std::to_string(wanted.class_id) : std::string())
            + "&etat=" + http::percent_encode(wanted.state) + "&page=" + std::to_string(page);
        return url + structure_query(context, structure, '&');
    };
    if (wanted.page > 1)
        data.set("previous_url", link(wanted.page - 1));
    if (more)
        data.set("next_url", link(wanted.page + 1));
    return view::render(context, "admin/people", std::move(data), "Personnes");
}

ErrorOr<http::Response> show_person(Context& context)
{
    auto person = TRY(person_in_reach(context));
    struct Sheet {
        identity::Contact contact;
        std::vector<std::string> classes;
        std::vector<std::pair<std::string, long long>> relatives;
        std::string birth_date;
        std::string external_id;
        long long code_expires { 0 };
        long long code_used { 0 };
        std::string code_hint;
        long long erase_contributions { 0 };
        long long created_at { 0 };
    };
    auto const viewer_id = context.user().id;
    auto sheet = TRY(context.database().write([&](soci::session& session) -> ErrorOr<Sheet> {
        Sheet result;
        result.contact = identity::store::find_contact(session, person.user.id);
        session << "SELECT birth_date, external_id, erase_contributions, created_at FROM identity_user WHERE id = :id",
            soci::use(person.user.id), soci::into(result.birth_date), soci::into(result.external_id),
            soci::into(result.erase_contributions), soci::into(result.created_at);
        for (auto const& entry : identity::store::classes_of(session, person.user)) {
            if (person.user.profile == access::Profile::Student || person.user.profile == access::Profile::Teacher)
                result.classes.push_back((entry.kind == "group" ? "Groupe " : "Classe ") + entry.name);
        }
        std::string first;
        std::string last;
        long long id = 0;
        soci::statement relatives = (session.prepare
                << "SELECT u.id, u.first_name, u.last_name FROM identity_guardian_link g JOIN identity_user u ON "
                   "u.id = CASE WHEN g.guardian_id = :person THEN g.student_id ELSE g.guardian_id END WHERE "
                   "g.guardian_id = :again OR g.student_id = :third ORDER BY u.first_name",
            soci::use(person.user.id), soci::use(person.user.id), soci::use(person.user.id), soci::into(id),
            soci::into(first), soci::into(last));
        relatives.execute();
        while (relatives.fetch())
            result.relatives.emplace_back(std::string(first).append(" ").append(last), id);
        soci::indicator found = soci::i_null;
        session << "SELECT expires_at, used_at, code_hint FROM account_activation WHERE user_id = :id",
            soci::use(person.user.id), soci::into(result.code_expires, found), soci::into(result.code_used),
            soci::into(result.code_hint);
        if (!session.got_data())
            result.code_expires = 0;
        if (person.user.id != viewer_id)
            directory::record_access(session, viewer_id, person.user, "fiche (console d'administration)", context.now);
        return result;
    }));
    auto structure = context.services.structure(person.user.structure_id, context.now);
    view::Data data;
    if (structure) {
        data = console_data(context, *structure);
    }
    data.set("id", std::to_string(person.user.id));
    data.set("name", person.user.display_name());
    data.set("civility", person.user.civility);
    data.set("login", person.user.login);
    data.set("profile", std::string(access::profile_label(person.user.profile)));
    data.set("function", person.user.function);
    data.set("platform_admin_account", person.user.platform_admin);
    data.set("state", state_of(person));
    data.set("active", person.user.active);
    data.set("may_reactivate", !person.user.active && person.deleted_at == 0);
    data.set("self", person.user.id == viewer_id);
    data.set("source",
        person.source == "aaf"       ? "Annuaire académique (AAF)"
            : person.source == "csv" ? "Fichier CSV"
                                     : "Compte local");
    data.set("external_id", sheet.external_id);
    data.set("birth_date", sheet.birth_date);
    data.set("created", i18n::format_long_date(static_cast<std::time_t>(sheet.created_at)));
    data.set("email", sheet.contact.email);
    data.set("phone", sheet.contact.phone_mobile.empty() ? sheet.contact.phone_home : sheet.contact.phone_mobile);
    data.set("unlisted", sheet.contact.unlisted);
    std::string classes;
    for (auto const& name : sheet.classes)
        classes += (classes.empty() ? "" : ", ") + name;
    data.set("classes", classes);
    view::List relatives;
    for (auto const& [name, id] : sheet.relatives) {
        view::Data entry;
        entry.set("name", name);
        entry.set("url", "/admin/personnes/" + std::to_string(id));
        relatives.push_back(std::move(entry));
    }
    data.set("has_relatives", !relatives.empty());
    data.set("relatives", std::move(relatives));
    data.set("relatives_label", person.user.profile == access::Profile::Guardian ? "Enfants" : "Responsables");
    data.set("has_password", person.has_password);
    if (!person.has_password && sheet.code_expires > context.now && sheet.code_used == 0)
        data.set("code_state",
            "Code d'activation valable jusqu'au " + i18n::format_long_date(static_cast<std::time_t>(sheet.code_expires))
                + " (il finit par « " + sheet.code_hint + " »)");
    else if (!person.has_password)
        data.set("code_state", "Aucun code d'activation valable");
    data.set("erase_contributions", sheet.erase_contributions != 0);
    return view::render(context, "admin/person", std::move(data), person.user.display_name());
}

namespace {

struct LocalAccountForm {
    std::string civility;
    std::string first_name;
    std::string last_name;
    std::string profile;
    std::string function;
    std::string email;
    std::map<std::string, std::string> errors;
};

// The profiles a local account may have: people outside the académie's feed
// (an outside speaker, a tutor, an assistant) are staff or teachers.
constexpr std::array<access::Profile, 2> LOCAL_PROFILES { access::Profile::Staff, access::Profile::Teacher };

ErrorOr<http::Response> local_account_page(
    Context& context, identity::Structure const& structure, LocalAccountForm const& form, int status)
{
    auto data = console_data(context, structure);
    data.set("civility_m", form.civility == "M.");
    data.set("civility_mme", form.civility == "Mme");
    data.set("first_name", form.first_name);
    data.set("last_name", form.last_name);
    data.set("function", form.function);
    data.set("email", form.email);
    view::List profiles;
    for (auto profile : LOCAL_PROFILES) {
        view::Data option;
        option.set("value", std::string(access::profile_code(profile)));
        option.set("label", std::string(access::profile_label(profile)));
        option.set("selected", form.profile == access::profile_code(profile));
        profiles.push_back(std::move(option));
    }
    data.set("profiles", std::move(profiles));
    for (auto const& [field, message] : form.errors)
        data.set("error_" + field, message);
    if (!form.errors.empty())
        data.set("error", "Le compte n'a pas été créé : corrigez les champs signalés.");
    return view::render(
        context, "admin/local_account", std::move(data), "Créer un compte local", view::MenuEntry::None, status);
}

} // namespace

ErrorOr<http::Response> show_local_account_form(Context& context)
{
    auto structure = TRY(administered_structure(context));
    LocalAccountForm form;
    form.profile = "staff";
    return local_account_page(context, structure, form, 200);
}

// A local account: no password, an activation code whose letter is shown
// once to print.
ErrorOr<http::Response> create_local_account(Context& context)
{
    auto structure = TRY(administered_structure(context));
    auto const& fields = context.request.form;
    LocalAccountForm form;
    form.civility = fields.get("civilite");
    form.first_name = std::string(trim_text(fields.get("prenom")));
    form.last_name = std::string(trim_text(fields.get("nom")));
    form.profile = fields.get("profil");
    form.function = std::string(trim_text(fields.get("fonction")));
    form.email = std::string(trim_text(fields.get("email")));
    if (form.civility != "M." && form.civility != "Mme")
        form.civility.clear();
    if (form.first_name.empty() || form.first_name.size() > 100)
        form.errors["first_name"] = "Indiquez le prénom (100 caractères au plus).";
    if (form.last_name.empty() || form.last_name.size() > 100)
        form.errors["last_name"] = "Indiquez le nom (100 caractères au plus).";
    auto profile = access::profile_from_code(form.profile);
    if (!profile || std::find(LOCAL_PROFILES.begin(), LOCAL_PROFILES.end(), *profile) == LOCAL_PROFILES.end())
        form.errors["profile"] = "Choisissez le profil : personnel ou enseignant.";
    if (form.function.size() > 100)
        form.errors["function"] = "La fonction tient en 100 caractères.";
    if (!form.email.empty() && !validate::is_email(form.email))
        form.errors["email"] = "Cette adresse électronique n'est pas valide (exemple : prenom.nom@exemple.fr).";
    if (!form.errors.empty())
        return local_account_page(context, structure, form, 400);

    identity::User user;
    user.civility = form.civility;
    user.first_name = form.first_name;
    user.last_name = form.last_name;
    for (auto& c : user.last_name)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    user.profile = *profile;
    user.function = form.function;
    user.structure_id = structure.id;
    auto const actor = context.user().id;
    auto created
        = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::pair<identity::User, std::string>> {
              auto base = directory::login_part(form.first_name) + "." + directory::login_part(form.last_name);
              for (auto& c : base)
                  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
              user.login = base;
              for (int suffix = 2; identity::store::find_user_for_sign_in(session, user.login); ++suffix)
                  user.login = base + std::to_string(suffix);
              user.id = identity::store::create_user(session, user, "");
              if (!form.email.empty()) {
                  identity::Contact contact;
                  contact.email = form.email;
                  identity::store::save_contact(session, user.id, contact);
              }
              auto code = account::activation::issue(session, user.id, context.now);
              identity::store::audit_in(session, actor, structure.id, "user_added",
                  user.display_name() + " (" + user.login + "), compte local");
              return std::pair { user, code };
          }));
    context.services.forget_directory();
    account::activation::Letter letter;
    letter.person = created.first;
    letter.group = account::activation::STAFF_GROUP;
    letter.code = account::activation::grouped(created.second);
    letter.expires_at = context.now + account::activation::VALIDITY_SECONDS;
    account::activation::LetterPage page;
    page.structure = structure;
    page.ent_url = context.public_url();
    page.stylesheet_url = http::static_url("lettres.css");
    page.title = "Lettre d'activation – " + created.first.display_name();
    auto response = http::Response::html(account::activation::letters_html(page, { letter }));
    response.set_header("Cache-Control", "no-store");
    return response;
}

ErrorOr<http::Response> deactivate_person(Context& context)
{
    auto person = TRY(person_in_reach(context));
    if (person.user.id == context.user().id)
        return Error::invalid("Vous ne pouvez pas désactiver votre propre compte.");
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "UPDATE identity_user SET active = 0 WHERE id = :id", soci::use(person.user.id);
        identity::sessions::end_all_for_user(session, person.user.id);
        session << "UPDATE identity_api_token SET revoked_at = :now WHERE user_id = :id AND revoked_at = 0",
            soci::use(context.now), soci::use(person.user.id);
        audit_on(session, context, person, "user_deactivated");
        return true;
    }));
    context.services.forget_directory();
    return http::Response::redirect(person_url(person));
}

ErrorOr<http::Response> reactivate_person(Context& context)
{
    auto person = TRY(person_in_reach(context));
    if (person.deleted_at != 0)
        return Error::invalid("Les données personnelles de ce compte ont été supprimées : il ne peut plus être "
                              "réactivé.");
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "UPDATE identity_user SET active = 1, departed_at = 0 WHERE id = :id", soci::use(person.user.id);
        audit_on(session, context, person, "user_reactivated");
        return true;
    }));
    context.services.forget_directory();
    return http::Response::redirect(person_url(person));
}

// A new code replaces the password: the person was locked out (a forgotten
// password, no e-mail address); the letter is shown once, to print.
ErrorOr<http::Response> reset_activation(Context& context)
{
    auto person = TRY(person_in_reach(context));
    if (!person.user.active)
        return Error::invalid("Réactivez d'abord ce compte.");
    if (person.user.id == context.user().id)
        return Error::invalid("Vous ne pouvez pas renouveler le code de votre propre compte.");
    auto code = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::string> {
        session << "UPDATE identity_user SET password_hash = '' WHERE id = :id", soci::use(person.user.id);
        identity::sessions::end_all_for_user(session, person.user.id);
        auto issued = account::activation::issue(session, person.user.id, context.now);
        audit_on(session, context, person, "activation_code_reset");
        return issued;
    }));
    auto structure = context.services.structure(person.user.structure_id, context.now);
    if (!structure)
        return Error::not_found();
    account::activation::Letter letter;
    letter.person = person.user;
    letter.group = person.user.profile == access::Profile::Student
        ? "Élève"
        : std::string(access::profile_label(person.user.profile));
    letter.code = account::activation::grouped(code);
    letter.expires_at = context.now + account::activation::VALIDITY_SECONDS;
    account::activation::LetterPage page;
    page.structure = *structure;
    page.ent_url = context.public_url();
    page.stylesheet_url = http::static_url("lettres.css");
    page.title = "Lettre d'activation – " + person.user.display_name();
    log::info("admin: activation code renewed for user " + std::to_string(person.user.id));
    auto response = http::Response::html(account::activation::letters_html(page, { letter }));
    response.set_header("Cache-Control", "no-store");
    return response;
}

ErrorOr<http::Response> record_objection(Context& context)
{
    auto person = TRY(person_in_reach(context));
    long long erase = context.request.form.get("opposition") == "oui" ? 1 : 0;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "UPDATE identity_user SET erase_contributions = :erase WHERE id = :id", soci::use(erase),
            soci::use(person.user.id);
        audit_on(session, context, person, "contributions_objection");
        return true;
    }));
    return http::Response::redirect(person_url(person));
}

} // namespace cartable::admin
