// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include <vector>

namespace cartable {
struct Services;
}

namespace cartable::account {

// Name of the session cookie; its value is the session id (never logged).
inline constexpr char const* SESSION_COOKIE = "cartable_session";

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
// The default charter for a deployment that has none.
ErrorOr<void> start(Services&);

} // namespace cartable::account
