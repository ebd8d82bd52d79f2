// SPDX-License-Identifier: AGPL-3.0-or-later
// The lesson book's capabilities, routes and start.
#include "services/lesson_book/lesson_book.h"
#include "core/context.h"
#include "services/lesson_book/lesson_book_internal.h"

namespace cartable::lesson_book {

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ READ, access::Scope::SignedIn, {}, access::Risk::Read,
        "Consulter le cahier de textes (ses classes, ses enfants, son établissement)" }));
    TRY(registry.declare({ WRITE, access::Scope::Structure, { access::Profile::Teacher }, access::Risk::Write,
        "Remplir le cahier de textes de ses classes" }));
    TRY(declare_teacher_capabilities(registry));
    return declare_family_capabilities(registry);
}

std::vector<http::Route> routes()
{
    auto all = teacher_routes();
    for (auto& route : family_routes())
        all.push_back(std::move(route));
    for (auto& route : hand_in_routes())
        all.push_back(std::move(route));
    return all;
}

ErrorOr<void> start(Services& services)
{
    TRY(start_teacher(services));
    return start_family(services);
}

} // namespace cartable::lesson_book
