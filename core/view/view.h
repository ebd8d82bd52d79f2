// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/error.h"
#include "core/view/mustache.h"
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cartable::view {

// Logic-less Mustache templates carried in the program, parsed once at start. A template is named
// "<owner>/<file>": services/account/templates/sign_in.mustache is
// "account/sign_in", core/view/templates/frame.mustache is "view/frame".
// Values are HTML-escaped; {{{ }}} only for HTML we produced ourselves.
class Templates {
public:
    static Templates const& instance();

    // Renders a template; a missing or malformed template is a bug and
    // throws (the server answers 500 and logs it).
    std::string render(std::string_view name, Data const& data) const;
    bool has(std::string_view name) const;
    // Whether the template shows a form's CSRF token (decided once, at start).
    bool needs_csrf_token(std::string_view name) const;
    std::vector<std::string> names() const;
    // The source of a template (for its example context, in the tests).
    std::string_view source(std::string_view name) const;

private:
    Templates();
    struct Entry {
        std::string_view source;
        Template compiled;
        bool needs_csrf_token { false };
    };
    std::map<std::string, Entry, std::less<>> m_entries;
};

} // namespace cartable::view
