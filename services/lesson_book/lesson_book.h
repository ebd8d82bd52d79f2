// SPDX-License-Identifier: AGPL-3.0-or-later
// « Cahier de textes »: séances and travail à faire per class or group and
// subject, for the teachers who write them, the students and guardians who
// read them, the direction and inspectors who put their visa.
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include <soci/soci.h>
#include <vector>

namespace cartable {
struct Services;
}

namespace cartable::lesson_book {

// The demo school's lesson book: séances and homework of TPRO and T STMG
// around today (after the timetable).
void add_demo_lesson_book(soci::session&, long long structure_id, long long now);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
ErrorOr<void> start(Services&);

} // namespace cartable::lesson_book
