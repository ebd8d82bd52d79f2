// SPDX-License-Identifier: AGPL-3.0-or-later
// « Évaluations »: assessments and marks per class and subject, averages per
// period (core/school/averages.h), relevés de notes and bulletins as PDF
// (services/assessments/README.md).
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include <soci/soci.h>

namespace cartable {
struct Services;
}

namespace cartable::assessments {

// The demo school's assessments of TPRO (after the classes and teachings).
void add_demo_assessments(soci::session&, long long structure_id, long long now);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
ErrorOr<void> start(Services&);

} // namespace cartable::assessments
