// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo school's évaluations.
#include "services/assessments/assessments_internal.h"

namespace cartable::assessments {

void add_demo_assessments(soci::session& session, long long structure_id, long long now)
{
    school::periods_of(session, structure_id, now / 86400);
}

} // namespace cartable::assessments
