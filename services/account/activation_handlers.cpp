// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/account/activation_handlers.h"
#include "core/http/static_files.h"
#include "core/identity/identity_store.h"
#include "core/identity/passwords.h"
#include "core/identity/sessions.h"
#include "core/log.h"
#include "core/view/frame.h"
#include "services/account/activation.h"
#include "services/account/sign_in_handlers.h"

namespace cartable::account {

namespace {

// The same answer whether the identifier or the code was wrong.
constexpr char const* WRONG_CODE
    = "Identifiant ou code d'activation incorrect, ou code expiré ou déjà utilisé. Vérifiez la lettre remise par "
      "l'établissement.";
constexpr std::size_t MAX_FIELD = 128;

ErrorOr<http::Response> activation_page(Context& context, std::string const& error, int status)
{
    view::Data data;
    if (!error.empty())
        data.set("error", error);
    data.set("login", context.request.form.get("identifiant"));
    return view::render(
        context, "account/activation", std::move(data), "Première connexion", view::MenuEntry::None, status);
}

// The structure the page works on: the administrator's own, and no other.
ErrorOr<identity::Structure> own_structure(Context& context, std::string const& asked)
{
    auto const structure_id = context.user().structure_id;
    auto structure
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<identity::Structure>> {
              return identity::store::find_structure(session, structure_id);
          }));
    if (!structure)
        return Error::not_found();
    if (!asked.empty() && asked != structure->uai)
        return Error::forbidden("error.forbidden", "activation letters of another structure refused");
    return *structure;
}

struct AdminForm {
    std::string class_name;
    std::string profile;
    bool renew { false };
    std::string error;
};

ErrorOr<http::Response> admin_page(
    Context& context, identity::Structure const& structure, AdminForm const& form, int status)
{
    auto counts
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<activation::ClassCount>> {
              return activation::class_counts(session, structure.id, context.now);
          }));
    view::Data data;
    data.set("structure_name", structure.name);
    data.set("uai", structure.uai);
    data.set("error", form.error);
    view::List classes;
    for (auto const& count : counts) {
        view::Data entry;
        entry.set("name", count.name);
        entry.set("people", std::to_string(count.people));
        entry.set("without_password", std::to_string(count.without_password));
        entry.set("with_valid_code", std::to_string(count.with_valid_code));
        entry.set("selected", count.name == form.class_name);
        classes.push_back(std::move(entry));
    }
    data.set("has_classes", !counts.empty());
    data.set("classes", std::move(classes));
    view::List profiles;
    for (auto option :
        { access::Profile::Student, access::Profile::Guardian, access::Profile::Teacher, access::Profile::Staff }) {
        view::Data entry;
        entry.set("value", std::string(access::profile_code(option)));
        entry.set("label", std::string(access::profile_label(option)));
        entry.set("selected", form.profile == access::profile_code(option));
        profiles.push_back(std::move(entry));
    }
    data.set("profiles", std::move(profiles));
    data.set("renew", form.renew);
    return view::render(
        context, "account/activation_admin", std::move(data), "Codes d'activation", view::MenuEntry::None, status);
}

} // namespace

ErrorOr<http::Response> show_activation_form(Context& context)
{
    if (context.signed_in())
        return http::Response::redirect("/accueil");
    return activation_page(context, {}, 200);
}

// The first sign-in with the letter's code. Checked in this order: the form,
// the password rules, the throttle, the identifier and code together (one
// answer for both); then the password is hashed, the code used, the
// password set and a session opened in one transaction.
ErrorOr<http::Response> activate(Context& context)
{
    auto const& form = context.request.form;
    auto login = normalized_login(form.get("identifiant"));
    auto code = form.get("code");
    auto password = form.get("mot_de_passe");
    auto confirmation = form.get("confirmation");
    if (login.empty() || code.empty() || password.empty())
        return activation_page(
            context, "Saisissez votre identifiant, le code d'activation et votre nouveau mot de passe.", 400);
    if (login.size() > MAX_FIELD || code.size() > MAX_FIELD)
        return activation_page(context, WRONG_CODE, 401);
    if (auto strength = identity::check_password_strength(password); strength.is_error())
        return activation_page(context, strength.error().message_key, 400);
    if (password != confirmation)
        return activation_page(context, "Les deux mots de passe saisis sont différents.", 400);

    auto keys = throttle_keys(context, login);
    auto looked_up = context.database().read([&](soci::session& session) -> ErrorOr<std::optional<identity::User>> {
        if (throttled(session, context, keys))
            return Error::too_many(THROTTLED, "activation throttled");
        return activation::check(session, login, code, context.now);
    });
    if (looked_up.is_error() && looked_up.error().kind == ErrorKind::TooMany)
        return activation_page(context, THROTTLED, 429);
    auto person = TRY(std::move(looked_up));
    if (!person) {
        TRY(record_failure(context, keys));
        log::info("activation failed from " + context.request.remote_address);
        return activation_page(context, WRONG_CODE, 401);
    }

    auto hashed = context.services.password_hasher->hash(password);
    if (hashed.is_error() && hashed.error().kind == ErrorKind::TooMany)
        return activation_page(context, hashed.error().message_key, 429);
    auto hash = TRY(std::move(hashed));
    auto const user_id = person->id;
    auto opened = open_session(
        context, *person, keys, "account_activated", "activation code", [&](soci::session& session) -> ErrorOr<void> {
            // Used meanwhile by another request: refused as a wrong code.
            if (!activation::consume(session, user_id, code, context.now))
                return Error::unauthenticated(WRONG_CODE, "activation code used meanwhile");
            identity::store::set_password_hash(session, user_id, hash);
            return {};
        });
    if (opened.is_error() && opened.error().kind == ErrorKind::Unauthenticated)
        return activation_page(context, WRONG_CODE, 401);
    return opened;
}

ErrorOr<http::Response> show_activation_admin(Context& context)
{
    auto structure = TRY(own_structure(context, context.request.query.get("etablissement")));
    return admin_page(context, structure, {}, 200);
}

ErrorOr<http::Response> print_activation_letters(Context& context)
{
    auto const& request_form = context.request.form;
    auto structure = TRY(own_structure(context, request_form.get("etablissement")));
    AdminForm form;
    form.class_name = request_form.get("classe");
    form.profile = request_form.get("profil");
    form.renew = request_form.get("renouveler") == "1" || request_form.get("renouveler") == "on";
    activation::Selection selection;
    selection.structure_id = structure.id;
    selection.class_name = form.class_name;
    selection.renew = form.renew;
    if (!form.profile.empty()) {
        selection.profile = access::profile_from_code(form.profile);
        if (!selection.profile || *selection.profile == access::Profile::Admin)
            form.error = "Choisissez un profil de la liste.";
    }
    if (form.error.empty() && !form.class_name.empty()) {
        auto counts
            = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<activation::ClassCount>> {
                  return activation::class_counts(session, structure.id, context.now);
              }));
        bool known = false;
        for (auto const& count : counts)
            known = known || count.name == form.class_name;
        if (!known)
            form.error = "Cette classe n'existe pas dans votre établissement.";
    }
    if (!form.error.empty())
        return admin_page(context, structure, form, 400);

    auto const admin_id = context.user().id;
    auto letters
        = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::vector<activation::Letter>> {
              auto issued = activation::generate(session, selection, context.now);
              identity::store::audit(session, admin_id, "activation_codes_issued",
                  std::to_string(issued.size()) + " codes, structure " + structure.uai
                      + (form.class_name.empty() ? std::string() : ", classe " + form.class_name)
                      + (form.profile.empty() ? std::string() : ", profil " + form.profile)
                      + (form.renew ? ", renouvelés" : ""));
              return issued;
          }));
    log::info("activation: " + std::to_string(letters.size()) + " codes issued for structure " + structure.uai);
    activation::LetterPage page;
    page.structure = structure;
    page.ent_url = context.public_url();
    page.stylesheet_url = http::static_url("lettres.css");
    page.title = "Lettres d'activation" + (form.class_name.empty() ? std::string() : " – " + form.class_name);
    auto response = http::Response::html(activation::letters_html(page, letters));
    response.set_header("Cache-Control", "no-store");
    return response;
}

} // namespace cartable::account
