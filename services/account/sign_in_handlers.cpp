// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/account/sign_in_handlers.h"
#include "core/identity/identity_store.h"
#include "core/identity/sessions.h"
#include "core/log.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/account/account.h"
#include <algorithm>
#include <ctime>
#include <set>

namespace cartable::account {

namespace {

constexpr char const* WRONG_CREDENTIALS = "Identifiant ou mot de passe incorrect.";

// The académie's code in forms: its name in lower case without accents.
std::string academy_code(std::string const& name)
{
    std::string code;
    for (std::size_t index = 0; index < name.size(); ++index) {
        unsigned char c = static_cast<unsigned char>(name[index]);
        if (c == 0xC3 && index + 1 < name.size()) {
            unsigned char next = static_cast<unsigned char>(name[++index]);
            bool is_e = (next >= 0xA8 && next <= 0xAB) || (next >= 0x88 && next <= 0x8B); // è é ê ë, È É Ê Ë
            code += is_e ? 'e' : '-';
            continue;
        }
        code += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '-';
    }
    return code;
}

ErrorOr<std::vector<std::string>> academies(Context& context)
{
    return context.database().read([](soci::session& session) -> ErrorOr<std::vector<std::string>> {
        std::set<std::string> names;
        for (auto const& structure : identity::store::list_structures(session)) {
            if (!structure.academy.empty())
                names.insert(structure.academy);
        }
        return std::vector<std::string>(names.begin(), names.end());
    });
}

std::string notice_for(std::string const& profile)
{
    if (profile == "eleve-parent")
        return "La connexion par EduConnect n'est pas encore raccordée à cet ENT : saisissez l'identifiant et le mot "
               "de "
               "passe que votre établissement vous a remis.";
    if (profile == "personnel")
        return "La connexion par le guichet de votre académie n'est pas encore raccordée à cet ENT : saisissez "
               "l'identifiant et le mot de passe de votre compte ENT.";
    return "Saisissez l'identifiant et le mot de passe de votre compte ENT.";
}

ErrorOr<http::Response> credentials_page(Context& context, std::string const& error, int status)
{
    auto const& source = context.request.is_state_changing() ? context.request.form : context.request.query;
    auto profile = source.get("profil");
    if (profile != "eleve-parent" && profile != "personnel")
        profile = "autre";
    auto academy = source.get("academie");
    std::string academy_label;
    for (auto const& name : TRY(academies(context))) {
        if (academy_code(name) == academy)
            academy_label = "académie de " + name;
    }
    if (academy_label.empty())
        academy.clear();
    view::Data data;
    data.set("profile", profile);
    data.set("academy", academy);
    data.set("academy_label", academy_label);
    data.set("notice", notice_for(profile));
    data.set("changed", context.request.query.get("mot_de_passe") == "change");
    if (!error.empty())
        data.set("error", error);
    data.set("login", context.request.form.get("identifiant"));
    return view::render(context, "account/credentials", data, "Connexion", view::MenuEntry::None, status);
}

} // namespace

std::string normalized_login(std::string text)
{
    std::transform(
        text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::string(trim_text(text));
}

ThrottleKeys throttle_keys(Context const& context, std::string const& login)
{
    return { "account:" + login, "address:" + context.request.remote_address };
}

bool throttled(soci::session& session, Context const& context, ThrottleKeys const& keys)
{
    auto const& config = context.config();
    long long since = context.now - config.sign_in_window_seconds;
    auto account_failures = identity::sessions::recent_failures(session, keys.account, since);
    auto address_failures = identity::sessions::recent_failures(session, keys.address, since);
    return identity::sign_in_throttled(account_failures, address_failures, config.sign_in_max_failures_per_account,
        config.sign_in_max_failures_per_address);
}

ErrorOr<void> record_failure(Context& context, ThrottleKeys const& keys)
{
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        identity::sessions::record_failure(session, keys.account, context.now);
        identity::sessions::record_failure(session, keys.address, context.now);
        return true;
    }));
    return {};
}

ErrorOr<http::Response> open_session(Context& context, identity::User const& user, ThrottleKeys const& keys,
    std::string const& audit_action, std::string const& audit_detail,
    std::function<ErrorOr<void>(soci::session&)> const& within)
{
    auto const& config = context.config();
    auto previous = context.request.cookie(SESSION_COOKIE);
    auto created = TRY(context.database().write([&](soci::session& session) -> ErrorOr<identity::NewSession> {
        if (within)
            TRY(within(session));
        // A new id at every sign-in: a session id planted before sign-in
        // is worth nothing after it.
        if (previous)
            identity::sessions::end(session, *previous);
        identity::sessions::clear_failures(session, keys.account);
        // Now, not when the request came: hashing may have taken a while.
        auto created_at = static_cast<long long>(std::time(nullptr));
        auto result = identity::sessions::create(session, user.id, context.request.remote_address, created_at);
        identity::store::audit(session, user.id, audit_action, audit_detail);
        return result;
    }));
    log::info("signed in: user " + std::to_string(user.id) + " (" + audit_action + ")");
    context.cookies.push_back(
        { SESSION_COOKIE, created.token, "/", std::nullopt, true, config.secure_cookies(), http::SameSite::Lax });
    // Straight to the charter when the person has not accepted the one in force.
    auto charter_version = TRY(context.services.charter_version(context.now));
    return http::Response::redirect(user.charter_version < charter_version ? "/premiere-connexion" : "/accueil");
}

ErrorOr<http::Response> choose_profile(Context& context)
{
    if (context.signed_in())
        return http::Response::redirect("/accueil");
    view::Data data;
    view::List list;
    for (auto const& name : TRY(academies(context))) {
        view::Data entry;
        entry.set("code", academy_code(name));
        entry.set("label", "académie de " + name);
        list.push_back(std::move(entry));
    }
    data.set("academies", std::move(list));
    return view::render(context, "account/choose_profile", data, "Se connecter");
}

ErrorOr<http::Response> show_credentials_form(Context& context)
{
    if (context.signed_in())
        return http::Response::redirect("/accueil");
    return credentials_page(context, {}, 200);
}

// Sign-in with a local account. The answer to a wrong identifier and to a
// wrong password is the same, in the same time; failures are counted per
// identifier and per address, and past the limit the form answers 429
// without looking at the password.
ErrorOr<http::Response> sign_in(Context& context)
{
    auto const& form = context.request.form;
    auto login = normalized_login(form.get("identifiant"));
    auto password = form.get("mot_de_passe");
    if (login.empty() || password.empty())
        return credentials_page(context, "Saisissez votre identifiant et votre mot de passe.", 400);
    if (login.size() > 128 || password.size() > 128)
        return credentials_page(context, WRONG_CREDENTIALS, 401);

    auto keys = throttle_keys(context, login);
    auto looked_up = context.database().read(
        [&](soci::session& session) -> ErrorOr<std::optional<std::pair<identity::User, std::string>>> {
            if (throttled(session, context, keys))
                return Error::too_many(THROTTLED, "sign-in throttled");
            return identity::store::find_user_for_sign_in(session, login);
        });
    if (looked_up.is_error() && looked_up.error().kind == ErrorKind::TooMany)
        return credentials_page(context, THROTTLED, 429);
    auto candidate = TRY(std::move(looked_up));

    auto verification
        = context.services.password_hasher->verify(candidate ? candidate->second : std::string(), password);
    if (verification.is_error() && verification.error().kind == ErrorKind::TooMany)
        return credentials_page(context, verification.error().message_key, 429);
    auto verified = TRY(std::move(verification));
    if (!verified || !candidate || !candidate->first.active) {
        TRY(record_failure(context, keys));
        log::info("sign-in failed from " + context.request.remote_address);
        return credentials_page(context, WRONG_CREDENTIALS, 401);
    }
    return open_session(context, candidate->first, keys, "sign_in", "local account");
}

ErrorOr<http::Response> sign_out(Context& context)
{
    auto token = context.request.cookie(SESSION_COOKIE);
    auto user_id = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        if (token)
            identity::sessions::end(session, *token);
        identity::store::audit(session, user_id, "sign_out", "");
        return true;
    }));
    context.cookies.push_back(
        { SESSION_COOKIE, "", "/", 0, true, context.config().secure_cookies(), http::SameSite::Lax });
    return http::Response::redirect("/");
}

} // namespace cartable::account
