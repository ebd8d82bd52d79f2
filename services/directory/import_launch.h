// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"

namespace cartable::directory {

// POST /admin/imports: imports what waits in the console's inbox.
ErrorOr<http::Response> launch_import(Context&);

} // namespace cartable::directory
