// SPDX-License-Identifier: AGPL-3.0-or-later
// The families' side of the lesson book.
#include "core/context.h"
#include "services/lesson_book/lesson_book_internal.h"

namespace cartable::lesson_book {

ErrorOr<void> declare_family_capabilities(access::CapabilityRegistry&)
{
    return {};
}

std::vector<http::Route> family_routes()
{
    return {};
}

ErrorOr<void> start_family(Services&)
{
    return {};
}

} // namespace cartable::lesson_book
