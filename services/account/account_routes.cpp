// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/account/account.h"
#include "services/account/activation_handlers.h"
#include "services/account/capabilities.h"
#include "services/account/charter_handlers.h"
#include "services/account/mail_delivery_handlers.h"
#include "services/account/password_recovery_handlers.h"
#include "services/account/sign_in_handlers.h"

namespace cartable::account {

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ capability::SIGN_IN, access::Scope::Public, {}, access::Risk::Write,
        "Se connecter à l'ENT avec un compte local" }));
    TRY(registry.declare({ capability::SIGN_OUT, access::Scope::SignedIn, {}, access::Risk::Write, "Se déconnecter" }));
    TRY(registry.declare({ capability::READ_CHARTER, access::Scope::SignedIn, {}, access::Risk::Write,
        "Lire et accepter la charte d'utilisation" }));
    TRY(registry.declare({ capability::MANAGE_CHARTER, access::Scope::Deployment, {}, access::Risk::Configuration,
        "Publier une nouvelle version de la charte et voir qui l'a acceptée" }));
    TRY(registry.declare({ capability::PRINT_ACTIVATION_LETTERS, access::Scope::Structure, { access::Profile::Admin },
        access::Risk::PersonalData, "Imprimer les lettres d'activation des comptes de son établissement" }));
    TRY(registry.declare({ capability::WATCH_MAIL_DELIVERY, access::Scope::Deployment, {}, access::Risk::PersonalData,
        "Suivre l'envoi des courriels et relancer ceux qui ont échoué" }));
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
        { Method::Get, "/connexion/activation", capability::SIGN_IN, show_activation_form },
        // Sets the password: hashed in the small pool, like sign-in.
        { Method::Post, "/connexion/activation", capability::SIGN_IN, activate, http::Lane::Slow },
        { Method::Get, "/connexion/mot-de-passe-oublie", capability::SIGN_IN, show_forgotten_password_form },
        { Method::Post, "/connexion/mot-de-passe-oublie", capability::SIGN_IN, request_password_link },
        // The token is a path parameter named "token": the access log masks it.
        { Method::Get, "/connexion/nouveau-mot-de-passe/{token}", capability::SIGN_IN, show_new_password_form },
        { Method::Post, "/connexion/nouveau-mot-de-passe/{token}", capability::SIGN_IN, set_new_password,
            http::Lane::Slow },
        { Method::Post, "/deconnexion", capability::SIGN_OUT, sign_out, http::Lane::Worker, true },
        { Method::Get, "/premiere-connexion", capability::READ_CHARTER, show_charter_step, http::Lane::Worker, true },
        { Method::Post, "/premiere-connexion/charte", capability::READ_CHARTER, accept_charter, http::Lane::Worker,
            true },
        { Method::Get, "/charte", capability::READ_CHARTER, show_charter, http::Lane::Worker, true },
        { Method::Get, "/admin/charte", capability::MANAGE_CHARTER, show_charter_admin },
        { Method::Post, "/admin/charte", capability::MANAGE_CHARTER, publish_charter },
        { Method::Get, "/admin/activation", capability::PRINT_ACTIVATION_LETTERS, show_activation_admin },
        { Method::Post, "/admin/activation/lettres", capability::PRINT_ACTIVATION_LETTERS, print_activation_letters },
        { Method::Get, "/admin/envois", capability::WATCH_MAIL_DELIVERY, show_mail_delivery },
        { Method::Post, "/admin/envois/{id}/reessayer", capability::WATCH_MAIL_DELIVERY, retry_mail_now },
    };
}

ErrorOr<void> start(Services& services)
{
    return ensure_charter(services);
}

} // namespace cartable::account
