// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string_view>

namespace cartable {

// Without the spaces and tabs around it (HTTP's "optional white space").
constexpr std::string_view trim_blanks(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

// Without the white space (spaces, tabs, line breaks) around it.
constexpr std::string_view trim_text(std::string_view text)
{
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

} // namespace cartable
