// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/identity/tokens.h"
#include <string_view>

namespace cartable::identity {

struct SessionLimits {
    long long idle_seconds { 2 * 3600 };
    long long absolute_seconds { 12 * 3600 };
};

enum class SessionState { Active, IdleExpired, AbsoluteExpired };

// A session ends when unused for idle_seconds, and in any case
// absolute_seconds after sign-in.
inline SessionState judge_session(long long created_at, long long last_seen_at, long long now, SessionLimits limits)
{
    if (now - created_at >= limits.absolute_seconds)
        return SessionState::AbsoluteExpired;
    if (now - last_seen_at >= limits.idle_seconds)
        return SessionState::IdleExpired;
    return SessionState::Active;
}

// Writing last_seen on every request would make every page a write; once a
// minute (or a tenth of the idle limit, if shorter) is precise enough.
inline bool should_touch_session(long long last_seen_at, long long now, SessionLimits limits)
{
    long long step = limits.idle_seconds / 10 < 60 ? limits.idle_seconds / 10 : 60;
    return now - last_seen_at >= step;
}

// A state-changing request must carry the token of its session (or, before
// sign-in, of its pre-session cookie); an empty expected token never matches.
inline bool csrf_token_matches(std::string_view expected, std::string_view provided)
{
    return !expected.empty() && constant_time_equals(expected, provided);
}

// Throttling of sign-in: refused once the identifier or the address has
// failed this many times within the window, whether or not the identifier
// exists (so the answer tells nothing about accounts).
inline bool sign_in_throttled(
    long long failures_for_account, long long failures_for_address, int max_for_account, int max_for_address)
{
    return failures_for_account >= max_for_account || failures_for_address >= max_for_address;
}

} // namespace cartable::identity
