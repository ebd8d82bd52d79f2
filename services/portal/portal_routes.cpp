// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/portal/portal.h"
#include "services/portal/portal_handlers.h"

namespace cartable::portal {

namespace capability {
constexpr char const* READ_HOME = "portal.read_home";
constexpr char const* STATIC_FILES = "portal.static_files";
} // namespace capability

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare(
        { capability::READ_HOME, access::Scope::SignedIn, {}, access::Risk::Read, "Voir sa page d'accueil" }));
    TRY(registry.declare({ capability::STATIC_FILES, access::Scope::Public, {}, access::Risk::Read,
        "Feuille de style, scripts et images de l'interface" }));
    return {};
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/accueil", capability::READ_HOME, show_home },
        { Method::Get, "/static/{fingerprint}/{file}", capability::STATIC_FILES, serve_fingerprinted_asset,
            http::Lane::Inline },
        { Method::Get, "/static/{file}", capability::STATIC_FILES, serve_asset, http::Lane::Inline },
    };
}

} // namespace cartable::portal
