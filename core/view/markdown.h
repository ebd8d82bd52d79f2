// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace cartable::view {

// Markdown typed by people (the charter, help pages, news) as HTML safe to
// put in a page: CommonMark with tables (md4c), raw HTML shown as text, and
// only web, mail and relative addresses kept in links and images (a
// javascript: link becomes "#").
std::string markdown_to_html(std::string_view markdown);

} // namespace cartable::view
