// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/account/account.h"
#include "services/account/capabilities.h"
#include "services/account/sign_in_handlers.h"

namespace cartable::account {

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ capability::SIGN_IN, access::Scope::Public, {}, access::Risk::Write,
        "Se connecter à l'ENT avec un compte local" }));
    TRY(registry.declare({ capability::SIGN_OUT, access::Scope::SignedIn, {}, access::Risk::Write, "Se déconnecter" }));
    return {};
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/connexion", capability::SIGN_IN, choose_profile },
        { Method::Get, "/connexion/identifiants", capability::SIGN_IN, show_credentials_form },
        // Hashing a password takes ~200 ms of a core: its own small pool.
        { Method::Post, "/connexion/identifiants", capability::SIGN_IN, sign_in, http::Lane::Slow },
        { Method::Post, "/deconnexion", capability::SIGN_OUT, sign_out },
    };
}

} // namespace cartable::account
