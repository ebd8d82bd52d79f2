// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace cartable::identity {

// 256 random bits as 43 base64url characters: session ids, CSRF tokens.
std::string random_token();
// The SHA-256 of a token, in hex: what the database keeps of a session id,
// so that a copy of the database does not hand out sessions.
std::string token_digest(std::string_view token);
// Comparison whose time does not depend on where the strings differ.
bool constant_time_equals(std::string_view a, std::string_view b);

} // namespace cartable::identity
