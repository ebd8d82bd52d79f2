// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/attendance/attendance_internal.h"

namespace cartable::attendance {

std::vector<http::Route> desk_routes()
{
    return {};
}

} // namespace cartable::attendance
