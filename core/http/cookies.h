// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cartable::http {

// Parses a Cookie request header ("a=1; b=2") leniently: malformed pieces are
// skipped, surrounding quotes of a value removed; never fails.
std::vector<std::pair<std::string, std::string>> parse_cookie_header(std::string_view header);
std::optional<std::string> find_cookie(std::string_view header, std::string_view name);

enum class SameSite { Lax, Strict, None };

struct SetCookie {
    std::string name;
    std::string value;
    std::string path { "/" };
    std::optional<long long> max_age_seconds; // absent: a session cookie; 0: delete
    bool http_only { true };
    bool secure { false };
    SameSite same_site { SameSite::Lax };
};

// The value of a Set-Cookie header. Names and values must be cookie-safe
// tokens (the caller's tokens are base64url or hex); others are refused by
// returning an empty string.
std::string to_set_cookie_header(SetCookie const& cookie);

} // namespace cartable::http
