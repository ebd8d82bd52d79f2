// SPDX-License-Identifier: AGPL-3.0-or-later
// The space's folders tab (comes with its own change).
#include "services/class_space/class_space_internal.h"

namespace cartable::class_space {

std::vector<http::Route> folder_routes()
{
    return {};
}

} // namespace cartable::class_space
