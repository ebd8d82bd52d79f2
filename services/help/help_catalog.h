// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cartable::help {

struct Label {
    std::string_view code;
    std::string_view label;
};

// The help's sections and profiles, in the order the help centre shows them.
std::vector<Label> const& sections();
std::vector<Label> const& profiles();
std::string_view section_label(std::string_view code);

struct HelpPage {
    std::string slug;
    std::string title;
    std::string section;
    std::vector<std::string> profiles;
    bool is_faq { false };
    int position { 0 };
    std::string html; // Markdown rendered by md4c, raw HTML refused
    std::string text; // plain text, for the search index and excerpts
    std::string digest;
};

// The pages of help/fr/*.md carried in the program, parsed once. A page
// with a malformed header is a bug: the program refuses to start.
std::vector<HelpPage> const& pages();
HelpPage const* find_page(std::string_view slug);

// Markdown to HTML (CommonMark, tables; any raw HTML is escaped).
std::string render_markdown(std::string_view markdown);

} // namespace cartable::help
