// SPDX-License-Identifier: AGPL-3.0-or-later
// The timetable's capabilities, routes and start.
#include "services/timetable/timetable.h"
#include "core/context.h"

namespace cartable::timetable {

namespace {

constexpr char const* READ = "timetable.read";
constexpr char const* MANAGE = "timetable.manage";

} // namespace

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ READ, access::Scope::SignedIn, {}, access::Risk::Read,
        "Consulter l'emploi du temps (le sien, celui de ses enfants ou de ses classes)" }));
    return registry.declare({ MANAGE, access::Scope::Structure, { access::Profile::Staff, access::Profile::Admin },
        access::Risk::Write, "Saisir et importer l'emploi du temps, ses modifications" });
}

std::vector<http::Route> routes()
{
    return {};
}

ErrorOr<void> start(Services&)
{
    return {};
}

} // namespace cartable::timetable
