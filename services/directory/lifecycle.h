// SPDX-License-Identifier: AGPL-3.0-or-later
// The personal-data lifecycle of the directory: a departed person's account
// is deactivated at once, their personal data deleted three months later.
#pragma once

#include "core/context.h"
#include <soci/soci.h>
#include <vector>

namespace cartable::directory {

inline constexpr long long RETENTION_SECONDS = 92LL * 24 * 3600; // three months

// Deletes the personal data of the people who left more than three months
// before `now`: name replaced by « Ancien membre », login, birth date,
// directory keys, contact details, preferences, sessions, tokens, links and
// memberships removed. Their public contributions stay, attributed to
// « Ancien membre », unless they objected at closure: then each service's
// handler removes them. Returns how many people were concerned.
long long delete_expired_personal_data(
    soci::session&, long long now, std::vector<DepartureHandler> const& handlers = {});

} // namespace cartable::directory
