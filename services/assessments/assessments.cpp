// SPDX-License-Identifier: AGPL-3.0-or-later
// The évaluations' capabilities, routes and start.
#include "services/assessments/assessments.h"
#include "core/context.h"
#include "services/assessments/assessments_internal.h"

namespace cartable::assessments {

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ READ, access::Scope::SignedIn, {}, access::Risk::Read,
        "Consulter les notes et les bulletins (les siens, ceux de ses enfants, de ses classes)" }));
    TRY(registry.declare({ GRADE, access::Scope::Structure, { access::Profile::Teacher }, access::Risk::Write,
        "Créer des évaluations et saisir les notes de ses classes" }));
    return registry.declare({ REPORT, access::Scope::Structure, { access::Profile::Staff, access::Profile::Admin },
        access::Risk::Write, "Publier les bulletins de l'établissement" });
}

std::vector<http::Route> routes()
{
    auto all = grade_routes();
    for (auto& route : report_routes())
        all.push_back(std::move(route));
    return all;
}

ErrorOr<void> start(Services&)
{
    return {};
}

} // namespace cartable::assessments
