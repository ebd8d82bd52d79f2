// SPDX-License-Identifier: AGPL-3.0-or-later
// The timetable's capabilities, routes and start.
#include "services/timetable/timetable.h"
#include "core/context.h"
#include "services/timetable/timetable_internal.h"

namespace cartable::timetable {

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ READ, access::Scope::SignedIn, {}, access::Risk::Read,
        "Consulter l'emploi du temps (le sien, celui de ses enfants ou de ses classes)" }));
    TRY(registry.declare({ FEED, access::Scope::Public, {}, access::Risk::Read,
        "Suivre son emploi du temps depuis une application d'agenda, par son lien privé (le jeton du lien tient lieu "
        "de connexion)" }));
    return registry.declare({ MANAGE, access::Scope::Structure, { access::Profile::Staff, access::Profile::Admin },
        access::Risk::Write, "Saisir et importer l'emploi du temps, ses modifications" });
}

std::vector<http::Route> routes()
{
    std::vector<http::Route> all;
    for (auto part : { week_routes, change_routes, manage_routes, import_routes, feed_routes }) {
        for (auto& route : part())
            all.push_back(std::move(route));
    }
    return all;
}

ErrorOr<void> start(Services&)
{
    return {};
}

} // namespace cartable::timetable
