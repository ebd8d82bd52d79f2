// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/identity/identity.h"
#include "core/notify/outbox.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <vector>

// « Mot de passe oublié » : a link to the person's reception address
// (« Email de réception », preferences) that lets them choose a new
// password. The link carries 256 random bits; only their SHA-256 is kept,
// valid one hour, used once. Nothing about whether an account exists ever
// shows in the answer.
namespace cartable::account::recovery {

inline constexpr long long VALIDITY_SECONDS = 3600;
// One request reaches at most this many accounts sharing an address.
inline constexpr std::size_t MAX_ACCOUNTS = 5;
inline constexpr char const* LINK_PATH = "/connexion/nouveau-mot-de-passe/";

// Who a request reaches: active accounts with a password (the others get
// their access from an activation letter) and a reception address.
struct Recipient {
    identity::User person;
    std::string email;
};
// By login, or else (an address typed) by reception address.
std::vector<Recipient> recipients(soci::session&, std::string const& identifier);

// Issues a link's token to the person and returns it (for the e-mail only).
std::string issue(soci::session&, long long user_id, long long now);
// The person the token belongs to, if it is unused, unexpired and the
// account still active.
std::optional<identity::User> check(soci::session&, std::string const& token, long long now);
// Uses the token if it still is valid, and with it every other link of the
// person; false if it was used or expired meanwhile.
bool consume(soci::session&, long long user_id, std::string const& token, long long now);

// The message: French text and HTML, the link, the login; nothing else
// about the person.
struct MessageContext {
    std::string deployment_name;
    std::string link; // <public_url>/connexion/nouveau-mot-de-passe/<token>
    std::string login;
};
notify::Email message(Recipient const&, MessageContext const&, long long expires_at);

} // namespace cartable::account::recovery
