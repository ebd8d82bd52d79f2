// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo school's vie scolaire.
#include "services/attendance/attendance_internal.h"

namespace cartable::attendance {

void add_demo_attendance(soci::session& session, long long structure_id, long long /*now*/)
{
    motives_of(session, structure_id);
}

} // namespace cartable::attendance
