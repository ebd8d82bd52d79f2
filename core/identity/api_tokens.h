// SPDX-License-Identifier: AGPL-3.0-or-later
// Personal access tokens of the REST API (« Application mobile »): named by
// the person, shown once, kept as a SHA-256, revocable.
#pragma once

#include "core/identity/identity.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace cartable::identity::api_tokens {

struct Token {
    long long id { 0 };
    std::string name; // « Téléphone d'André »
    long long created_at { 0 };
    long long last_used_at { 0 };
};

struct Created {
    long long id { 0 };
    std::string token; // shown to the person once, never stored
};

inline constexpr std::string_view PREFIX = "cartable_";

Created create(soci::session&, long long user_id, std::string const& name, long long now);
struct Resumed {
    User user;
    long long token_id { 0 };
    bool should_touch { false }; // its last use is more than a minute old
};

// The person a token stands for, if it is known, not revoked, and the
// account active. Reads only: the caller notes the use with touch() when
// should_touch says so, so that most API calls write nothing.
std::optional<Resumed> resume(soci::session&, std::string const& token, long long now);
void touch(soci::session&, long long token_id, long long now);
// The person's tokens in use, newest first.
std::vector<Token> list(soci::session&, long long user_id);
// Whether a token of that person was revoked now.
bool revoke(soci::session&, long long user_id, long long token_id, long long now);

} // namespace cartable::identity::api_tokens
