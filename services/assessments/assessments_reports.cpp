// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/assessments/assessments_internal.h"

namespace cartable::assessments {

std::vector<http::Route> report_routes()
{
    return {};
}

} // namespace cartable::assessments
