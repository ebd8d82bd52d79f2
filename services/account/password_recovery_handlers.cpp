// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/account/password_recovery_handlers.h"
#include "core/identity/identity_store.h"
#include "core/identity/passwords.h"
#include "core/identity/sessions.h"
#include "core/log.h"
#include "core/notify/delivery.h"
#include "core/view/frame.h"
#include "services/account/account.h"
#include "services/account/password_recovery.h"
#include "services/account/sign_in_handlers.h"

namespace cartable::account {

namespace {

constexpr std::size_t MAX_IDENTIFIER = 254;
constexpr std::size_t TOKEN_LENGTH = 43;
constexpr char const* TOO_MANY_REQUESTS
    = "Trop de demandes ont été faites pour cet identifiant ou depuis cette adresse. Patientez quelques minutes avant "
      "de réessayer.";

// Requests are counted like sign-in failures, per identifier and per
// address, under keys of their own: asking for links does not lock anyone
// out of signing in, and nobody can flood a mailbox.
ThrottleKeys recovery_keys(Context const& context, std::string const& identifier)
{
    return { "recovery:account:" + identifier, "recovery:address:" + context.request.remote_address };
}

ErrorOr<http::Response> forgotten_page(
    Context& context, std::string const& error, bool sent, std::string const& identifier, int status)
{
    view::Data data;
    data.set("error", error);
    data.set("sent", sent);
    data.set("identifier", identifier);
    return view::render(
        context, "account/forgotten_password", std::move(data), "Mot de passe oublié", view::MenuEntry::None, status);
}

ErrorOr<http::Response> link_invalid_page(Context& context)
{
    return view::render(
        context, "account/recovery_link_invalid", view::Data {}, "Lien expiré", view::MenuEntry::None, 410);
}

ErrorOr<http::Response> new_password_page(
    Context& context, std::string const& token, std::string const& login, std::string const& error, int status)
{
    view::Data data;
    data.set("action", recovery::LINK_PATH + token);
    data.set("login", login);
    data.set("error", error);
    auto response = view::render(
        context, "account/new_password", std::move(data), "Nouveau mot de passe", view::MenuEntry::None, status);
    response.set_header("Cache-Control", "no-store");
    return response;
}

// The address of links in e-mails: the configured public URL, never the
// request's Host header (which whoever asks could choose); without one, the
// address the server listens on.
std::string public_base_url(Config const& config)
{
    auto url = config.public_url;
    if (url.empty()) {
        auto host
            = config.listen_host.find(':') != std::string::npos ? "[" + config.listen_host + "]" : config.listen_host;
        url = "http://" + host + ":" + std::to_string(config.listen_port);
    }
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

} // namespace

ErrorOr<http::Response> show_forgotten_password_form(Context& context)
{
    return forgotten_page(context, {}, false, {}, 200);
}

// The answer is the same sentence whether an account was found or not, and
// costs the same write either way; the messages leave with the transaction
// that issued their links (core/notify's outbox).
ErrorOr<http::Response> request_password_link(Context& context)
{
    auto identifier = normalized_login(context.request.form.get("identifiant"));
    if (identifier.empty())
        return forgotten_page(context, "Saisissez votre identifiant ou votre adresse électronique.", false, {}, 400);
    if (identifier.size() > MAX_IDENTIFIER)
        return forgotten_page(context, {}, true, {}, 200);

    auto keys = recovery_keys(context, identifier);
    auto throttled_now = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<bool> { return throttled(session, context, keys); }));
    if (throttled_now)
        return forgotten_page(context, TOO_MANY_REQUESTS, false, identifier, 429);

    recovery::MessageContext message_context { context.config().deployment_name,
        public_base_url(context.config()) + recovery::LINK_PATH, {} };
    auto sent = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::size_t> {
        identity::sessions::record_failure(session, keys.account, context.now);
        identity::sessions::record_failure(session, keys.address, context.now);
        auto reached = recovery::recipients(session, identifier);
        for (auto const& recipient : reached) {
            auto token = recovery::issue(session, recipient.person.id, context.now);
            auto message = message_context;
            message.link += token;
            message.login = recipient.person.login;
            notify::enqueue_email(
                session, recovery::message(recipient, message, context.now + recovery::VALIDITY_SECONDS), context.now);
            identity::store::audit(session, recipient.person.id, "password_link_sent", "by e-mail");
        }
        return reached.size();
    }));
    if (sent > 0)
        notify::wake_delivery(context.services);
    log::info(
        "password link requested from " + context.request.remote_address + ": " + std::to_string(sent) + " message(s)");
    return forgotten_page(context, {}, true, {}, 200);
}

ErrorOr<http::Response> show_new_password_form(Context& context)
{
    auto token = context.request.parameter("token");
    if (token.size() != TOKEN_LENGTH)
        return link_invalid_page(context);
    auto person = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<identity::User>> {
        return recovery::check(session, token, context.now);
    }));
    if (!person)
        return link_invalid_page(context);
    return new_password_page(context, token, person->login, {}, 200);
}

// Checked in this order: the link, the password rules, then the hash (slow
// lane); then in one transaction the link is used, the password set, every
// session of the person ended, an audit line written.
ErrorOr<http::Response> set_new_password(Context& context)
{
    auto token = context.request.parameter("token");
    // Links are 256 random bits: only the address is worth counting.
    ThrottleKeys keys { "recovery:link", "recovery:address:" + context.request.remote_address };
    auto const& form = context.request.form;
    auto password = form.get("mot_de_passe");
    auto confirmation = form.get("confirmation");

    auto looked_up = context.database().read([&](soci::session& session) -> ErrorOr<std::optional<identity::User>> {
        if (throttled(session, context, keys))
            return Error::too_many(TOO_MANY_REQUESTS, "password link throttled");
        if (token.size() != TOKEN_LENGTH)
            return std::optional<identity::User>();
        return recovery::check(session, token, context.now);
    });
    if (looked_up.is_error() && looked_up.error().kind == ErrorKind::TooMany)
        return forgotten_page(context, TOO_MANY_REQUESTS, false, {}, 429);
    auto person = TRY(std::move(looked_up));
    if (!person) {
        // A wrong link counts against the address, like a wrong password.
        TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
            identity::sessions::record_failure(session, keys.address, context.now);
            return true;
        }));
        return link_invalid_page(context);
    }
    if (auto strength = identity::check_password_strength(password); strength.is_error())
        return new_password_page(context, token, person->login, strength.error().message_key, 400);
    if (password != confirmation)
        return new_password_page(context, token, person->login, "Les deux mots de passe saisis sont différents.", 400);

    auto hashed = context.services.password_hasher->hash(password);
    if (hashed.is_error() && hashed.error().kind == ErrorKind::TooMany)
        return new_password_page(context, token, person->login, hashed.error().message_key, 429);
    auto hash = TRY(std::move(hashed));
    auto const user_id = person->id;
    auto sign_in_keys = throttle_keys(context, person->login);
    auto changed = TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        // Used meanwhile by another request: nothing changes.
        if (!recovery::consume(session, user_id, token, context.now))
            return false;
        identity::store::set_password_hash(session, user_id, hash);
        identity::sessions::end_all_for_user(session, user_id);
        identity::sessions::clear_failures(session, sign_in_keys.account);
        identity::store::audit(session, user_id, "password_reset", "e-mail link");
        return true;
    }));
    if (!changed)
        return link_invalid_page(context);
    log::info("password reset by e-mail link: user " + std::to_string(user_id));
    // Whatever session this browser had is over too.
    context.cookies.push_back(
        { SESSION_COOKIE, "", "/", 0, true, context.config().secure_cookies(), http::SameSite::Lax });
    return http::Response::redirect("/connexion/identifiants?mot_de_passe=change");
}

} // namespace cartable::account
