// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/access/capability.h"
#include "core/context.h"
#include "core/error.h"
#include "core/http/router.h"
#include <vector>

namespace cartable::help {

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
// Brings the search index up to date with the pages the program carries.
ErrorOr<void> start(Services&);

} // namespace cartable::help
