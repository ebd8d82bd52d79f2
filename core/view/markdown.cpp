// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/view/markdown.h"
#include <algorithm>
#include <cctype>
#include <md4c-html.h>

namespace cartable::view {

namespace {

bool is_safe_address(std::string_view address)
{
    auto colon = address.find(':');
    auto slash = address.find_first_of("/?#");
    if (colon == std::string_view::npos || (slash != std::string_view::npos && slash < colon))
        return true; // relative: no scheme
    std::string scheme;
    for (char c : address.substr(0, colon))
        scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return scheme == "http" || scheme == "https" || scheme == "mailto";
}

// md4c writes attribute values between double quotes with their quotes
// escaped: each href and src is checked in place.
std::string keep_safe_addresses(std::string const& html)
{
    std::string result;
    result.reserve(html.size());
    std::string_view rest(html);
    while (!rest.empty()) {
        auto href = rest.find("href=\"");
        auto src = rest.find("src=\"");
        auto position = std::min(href, src);
        if (position == std::string_view::npos) {
            result += rest;
            break;
        }
        auto start = position + (position == href ? 6 : 5);
        auto end = rest.find('"', start);
        if (end == std::string_view::npos) {
            result += rest;
            break;
        }
        result += rest.substr(0, start);
        auto address = rest.substr(start, end - start);
        result += is_safe_address(address) ? address : std::string_view("#");
        rest.remove_prefix(end);
    }
    return result;
}

} // namespace

std::string markdown_to_html(std::string_view markdown)
{
    std::string html;
    md_html(
        markdown.data(), static_cast<MD_SIZE>(markdown.size()),
        [](MD_CHAR const* text, MD_SIZE size, void* out) { static_cast<std::string*>(out)->append(text, size); }, &html,
        MD_DIALECT_COMMONMARK | MD_FLAG_TABLES | MD_FLAG_NOHTML, 0);
    return keep_safe_addresses(html);
}

} // namespace cartable::view
