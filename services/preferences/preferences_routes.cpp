// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/context.h"
#include "services/preferences/preferences.h"
#include "services/preferences/preferences_handlers.h"

namespace cartable::preferences {

namespace {

constexpr char const* MANAGE = "preferences.manage";
constexpr char const* LINK = "preferences.link_accounts";
constexpr char const* API_READ = "api.read_self";

} // namespace

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ MANAGE, access::Scope::SignedIn, {}, access::Risk::PersonalData,
        "Voir et modifier ses préférences, ses coordonnées et ses appareils associés" }));
    TRY(registry.declare({ LINK, access::Scope::SignedIn, {}, access::Risk::PersonalData,
        "Rapprocher ses comptes et passer de l'un à l'autre" }));
    TRY(registry.declare(
        { API_READ, access::Scope::SignedIn, {}, access::Risk::Read, "API : lire son identité et ses enfants" }));
    return {};
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/premiere-connexion/contact", MANAGE, show_contact_step },
        { Method::Post, "/premiere-connexion/contact", MANAGE, save_contact_step },
        { Method::Get, "/preferences", MANAGE, show_summary },
        { Method::Get, "/preferences/modifier", MANAGE, show_edit },
        { Method::Post, "/preferences/modifier", MANAGE, save_edit },
        { Method::Get, "/preferences/comptes", LINK, show_links },
        // Checking the other account's password takes ~200 ms of a core.
        { Method::Post, "/preferences/comptes", LINK, link_account, http::Lane::Slow },
        { Method::Post, "/preferences/comptes/{id}/delier", LINK, unlink_account },
        { Method::Post, "/comptes/basculer", LINK, switch_account },
        { Method::Get, "/preferences/application-mobile", MANAGE, show_mobile },
        { Method::Post, "/preferences/application-mobile", MANAGE, pair_device },
        { Method::Post, "/preferences/application-mobile/{id}/revoquer", MANAGE, revoke_device },
        { Method::Get, "/api/v1/moi", API_READ, api_me },
        { Method::Get, "/preferences/mes-donnees", MANAGE, show_my_data },
        { Method::Get, "/preferences/mes-donnees.zip", MANAGE, download_my_data },
        { Method::Post, "/preferences/mes-donnees/contributions", MANAGE, save_contributions_choice },
    };
}

ErrorOr<void> start(Services& services)
{
    services.frame_contributors.emplace_back(add_linked_accounts_to_frame);
    return register_account_export(services);
}

} // namespace cartable::preferences
