// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include <string>

namespace cartable::app {

// Every demo account signs in with this password (demo data only).
inline constexpr char const* DEMO_PASSWORD = "demo-vigan";

// The demo school of the user guide: Cité scolaire André Chamson, Le Vigan.
// Refuses a database holding anything but demo data; does nothing when the
// demo school is already there.
enum class DemoOutcome { Loaded, AlreadyThere };
ErrorOr<DemoOutcome> load_demo_school(Services& services);

// Lines telling who can sign in, printed at start.
std::string demo_accounts_text();

} // namespace cartable::app
