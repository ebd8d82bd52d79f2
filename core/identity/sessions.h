// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/error.h"
#include "core/identity/identity.h"
#include "core/identity/session_rules.h"
#include <optional>
#include <soci/soci.h>
#include <string>

namespace cartable::identity {

struct NewSession {
    std::string token; // goes to the cookie only, never to the log
    std::string csrf_token;
};

struct ActiveSession {
    std::string digest;
    std::string csrf_token;
    User user;
    long long created_at { 0 };
    long long last_seen_at { 0 };
};

namespace sessions {

NewSession create(soci::session&, long long user_id, std::string const& remote_address, long long now);
// The session of that token if it is still active; an expired one is deleted.
std::optional<ActiveSession> resume(soci::session&, std::string const& token, long long now, SessionLimits limits);
void touch(soci::session&, std::string const& digest, long long now);
void end(soci::session&, std::string const& token);
void end_all_for_user(soci::session&, long long user_id);

long long recent_failures(soci::session&, std::string const& throttle_key, long long since);
void record_failure(soci::session&, std::string const& throttle_key, long long now);
void clear_failures(soci::session&, std::string const& throttle_key);
// Old rows of failures and sessions, dropped now and then.
void purge(soci::session&, long long now, SessionLimits limits, long long failure_window);

} // namespace sessions
} // namespace cartable::identity
