// SPDX-License-Identifier: AGPL-3.0-or-later
// Rich text written by people (a message, later an article or a comment):
// parsed as a browser would (gumbo, HTML5), then rebuilt from an allowlist.
#pragma once

#include <string>
#include <string_view>

namespace cartable::html {

// The HTML a person may send, rebuilt from an allowlist: paragraphs, line
// breaks, emphasis, lists, quotations, headings (h2 to h4), simple tables,
// links (http, https, mailto or relative) and images (https or relative).
// Scripts, styles, frames, forms and their content are dropped; any other
// element is replaced by its content; only the attributes of the allowlist
// survive (never an event attribute, a style or a javascript: URL). Links
// get rel="noopener noreferrer nofollow". The result is well formed and
// safe to insert in a page as is.
std::string sanitize(std::string_view untrusted_html);

// The text of rich text, for searching, quoting and notifications: block
// elements end with a line break, runs of blank lines are kept to one.
std::string plain_text(std::string_view html);

// Plain text written in a textarea as rich text: escaped, each blank-line
// separated paragraph a <p>, single line breaks <br>.
std::string from_plain_text(std::string_view text);

// Whether a URL may appear in an href (http, https, mailto, or relative).
bool is_safe_link(std::string_view url);

} // namespace cartable::html
