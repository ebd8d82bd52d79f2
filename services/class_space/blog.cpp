// SPDX-License-Identifier: AGPL-3.0-or-later
// The space's blog (« Blog », its first tab).
#include "services/class_space/class_space_internal.h"

namespace cartable::class_space {

namespace {

ErrorOr<http::Response> show_blog(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    view::Data data;
    data.set("count", "0");
    return render_tab(context, loaded, Tab::Blog, "class_space/blog", std::move(data));
}

} // namespace

std::vector<http::Route> blog_routes()
{
    using http::Method;
    return {
        { Method::Get, "/espaces/{space}", READ, show_blog },
    };
}

} // namespace cartable::class_space
