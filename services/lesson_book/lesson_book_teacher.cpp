// SPDX-License-Identifier: AGPL-3.0-or-later
// The teachers' side of the lesson book.
#include "core/context.h"
#include "services/lesson_book/lesson_book.h"
#include "services/lesson_book/lesson_book_internal.h"

namespace cartable::lesson_book {

ErrorOr<void> declare_teacher_capabilities(access::CapabilityRegistry&)
{
    return {};
}

std::vector<http::Route> teacher_routes()
{
    return {};
}

ErrorOr<void> start_teacher(Services&)
{
    return {};
}

void add_demo_lesson_book(soci::session&, long long, long long) { }

} // namespace cartable::lesson_book
