// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/displayed_child.h"
#include <algorithm>
#include <string>

namespace cartable {

namespace {

long long child_named(std::vector<identity::User> const& children, std::string_view text)
{
    auto const found = std::find_if(children.begin(), children.end(),
        [&](identity::User const& child) { return std::to_string(child.id) == text; });
    return found == children.end() ? 0 : found->id;
}

} // namespace

ErrorOr<void> remember_displayed_child(Context& context)
{
    auto const asked = context.request.query.get("enfant");
    if (asked.empty() || context.request.cookie(DISPLAYED_CHILD_COOKIE) == asked)
        return {};
    auto const children = TRY(context.services.children_of(context.user().id, context.now));
    if (child_named(children, asked) == 0)
        return {};
    context.cookies.push_back({ DISPLAYED_CHILD_COOKIE, asked, "/", std::nullopt, true,
        context.config().secure_cookies(), http::SameSite::Lax });
    return {};
}

long long displayed_child(Context const& context, std::vector<identity::User> const& children)
{
    if (children.empty())
        return 0;
    if (auto remembered = context.request.cookie(DISPLAYED_CHILD_COOKIE)) {
        if (auto const id = child_named(children, *remembered); id != 0)
            return id;
    }
    return children.front().id;
}

} // namespace cartable
