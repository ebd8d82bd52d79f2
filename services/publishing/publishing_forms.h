// SPDX-License-Identifier: AGPL-3.0-or-later
// What the publication forms share: reading dates, counting characters,
// collecting each field's French message for the form shown again.
#pragma once

#include "core/view/mustache.h"
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cartable::publishing {

// Characters as a person counts them (UTF-8 code points).
std::size_t character_count(std::string_view text);
std::string trimmed(std::string_view text);
// « 2025-03-14 » (a date input) as local midnight of that day.
std::optional<long long> parse_date(std::string const& text);
// « 2025-03-14T09:30 » (a datetime-local input) as local time.
std::optional<long long> parse_datetime(std::string const& text);
// « 2025-03-14 » as the last second of that day (the end of a display period).
std::optional<long long> parse_date_end(std::string const& text);
std::string date_input(long long when);
std::string datetime_input(long long when);
// Parses a positive id of a path.
std::optional<long long> parse_id(std::string const& text);

// The messages of a form's fields. Each shows next to its field (the
// template reads "<field>_error") and in the list at the top of the form.
class FieldErrors {
public:
    void add(std::string field, std::string message);
    bool empty() const { return m_errors.empty(); }
    bool has(std::string_view field) const;
    void put_into(view::Data& data) const;

private:
    std::vector<std::pair<std::string, std::string>> m_errors;
};

} // namespace cartable::publishing
