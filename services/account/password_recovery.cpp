// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/account/password_recovery.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/identity/tokens.h"
#include "core/validate.h"
#include "core/view/view.h"
#include "services/preferences/preferences.h"

namespace cartable::account::recovery {

namespace {

// Expired links are dropped a day after their end (the audit keeps the rest).
constexpr long long KEPT_AFTER_EXPIRY = 24LL * 3600;

std::optional<Recipient> recipient_of(soci::session& session, std::string const& login)
{
    auto found = identity::store::find_user_for_sign_in(session, login);
    if (!found || !found->first.active || found->second.empty())
        return std::nullopt;
    auto email = preferences::reception_email(session, found->first.id);
    if (email.empty() || !validate::is_email(email))
        return std::nullopt;
    return Recipient { found->first, email };
}

} // namespace

std::vector<Recipient> recipients(soci::session& session, std::string const& identifier)
{
    std::vector<Recipient> result;
    if (auto by_login = recipient_of(session, identifier)) {
        result.push_back(std::move(*by_login));
        return result;
    }
    if (!validate::is_email(identifier))
        return result;
    for (auto id : preferences::people_reached_at(session, identifier)) {
        auto person = identity::store::find_user(session, id);
        if (!person)
            continue;
        if (auto recipient = recipient_of(session, person->login))
            result.push_back(std::move(*recipient));
        if (result.size() >= MAX_ACCOUNTS)
            break;
    }
    return result;
}

std::string issue(soci::session& session, long long user_id, long long now)
{
    auto token = identity::random_token();
    auto digest = identity::token_digest(token);
    long long expires_at = now + VALIDITY_SECONDS;
    long long forgotten = now - KEPT_AFTER_EXPIRY;
    session << "DELETE FROM account_password_reset WHERE expires_at < :before", soci::use(forgotten);
    session << "INSERT INTO account_password_reset (user_id, token_digest, created_at, expires_at, used_at) "
               "VALUES (:user, :digest, :created, :expires, 0)",
        soci::use(user_id), soci::use(digest), soci::use(now), soci::use(expires_at);
    return token;
}

std::optional<identity::User> check(soci::session& session, std::string const& token, long long now)
{
    auto digest = identity::token_digest(token);
    long long user_id = 0;
    session << "SELECT user_id FROM account_password_reset WHERE token_digest = :digest AND used_at = 0 "
               "AND expires_at > :now",
        soci::use(digest), soci::use(now), soci::into(user_id);
    if (!session.got_data())
        return std::nullopt;
    auto person = identity::store::find_user(session, user_id);
    if (!person || !person->active)
        return std::nullopt;
    return person;
}

bool consume(soci::session& session, long long user_id, std::string const& token, long long now)
{
    auto digest = identity::token_digest(token);
    soci::statement statement = (session.prepare << "UPDATE account_password_reset SET used_at = :now "
                                                    "WHERE user_id = :user AND token_digest = :digest AND used_at = 0 "
                                                    "AND expires_at > :again",
        soci::use(now), soci::use(user_id), soci::use(digest), soci::use(now));
    statement.execute(true);
    if (statement.get_affected_rows() != 1)
        return false;
    // The other links sent meanwhile are worth nothing now.
    session << "UPDATE account_password_reset SET used_at = :now WHERE user_id = :user AND used_at = 0", soci::use(now),
        soci::use(user_id);
    return true;
}

notify::Email message(Recipient const& recipient, MessageContext const& context, long long expires_at)
{
    auto until = i18n::format_time(static_cast<std::time_t>(expires_at));
    notify::Email email;
    email.recipient = recipient.email;
    email.subject = "Nouveau mot de passe – " + context.deployment_name;
    email.text = "Bonjour,\n\n"
                 "Une demande de nouveau mot de passe a été faite pour votre compte « "
        + recipient.person.login + " » de l'ENT " + context.deployment_name
        + ".\n\n"
          "Pour choisir votre nouveau mot de passe, ouvrez ce lien (valable une heure, jusqu'à "
        + until + ", et une seule fois) :\n\n" + context.link
        + "\n\n"
          "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste "
          "inchangé.\n\n"
          "Ce message est envoyé automatiquement, merci de ne pas y répondre.\n";
    view::Data data;
    data.set("deployment_name", context.deployment_name);
    data.set("login", recipient.person.login);
    data.set("link", context.link);
    data.set("until", until);
    email.html = view::Templates::instance().render("account/recovery_email", data);
    email.expires_at = expires_at;
    return email;
}

} // namespace cartable::account::recovery
