// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/error.h"
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cartable::http {

// Name/value pairs from a query string or an application/x-www-form-urlencoded
// body, in the order they came. Values are decoded and valid UTF-8.
class FormFields {
public:
    void add(std::string name, std::string value) { m_items.emplace_back(std::move(name), std::move(value)); }
    // The first value of that name, or an empty string.
    std::string get(std::string_view name) const;
    std::vector<std::string> all(std::string_view name) const;
    bool has(std::string_view name) const;
    std::vector<std::pair<std::string, std::string>> const& items() const { return m_items; }
    bool empty() const { return m_items.empty(); }

private:
    std::vector<std::pair<std::string, std::string>> m_items;
};

// Decodes %XX and '+' (as space when plus_is_space). Fails on a truncated or
// non-hex escape.
ErrorOr<std::string> percent_decode(std::string_view text, bool plus_is_space = true);
std::string percent_encode(std::string_view text);

bool is_valid_utf8(std::string_view text);

// Parses "a=1&b=2". Empty pieces are skipped; a name without '=' gets "".
// Fails (ErrorKind::Invalid, French message) on a bad escape or on a name or
// value that is not valid UTF-8, or beyond max_fields pairs.
ErrorOr<FormFields> parse_urlencoded(std::string_view body, std::size_t max_fields = 1000);

} // namespace cartable::http
