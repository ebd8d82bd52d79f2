// SPDX-License-Identifier: AGPL-3.0-or-later
// What the parts of a space (blog, agenda, forum, chat, shared folders)
// share: the space of the path and the person's role in it, the refusals,
// and the tabs every page of a space shows.
#pragma once

#include "core/context.h"
#include "core/error.h"
#include "core/http/message.h"
#include "core/http/router.h"
#include "core/view/view.h"
#include "services/class_space/class_space.h"
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cartable::class_space {

// The capabilities of every route of a space; the object policy (the role
// in the space) is checked by the handler through `space_in_reach`.
inline constexpr char const* READ = "class_space.read"; // any role
inline constexpr char const* POST = "class_space.post"; // contributors and managers
inline constexpr char const* MANAGE = "class_space.manage"; // managers

struct Loaded {
    Space space;
    Role role { Role::None };
};

// The space of the path's {space} parameter and the person's role in it;
// « not found » when the person has none (nobody learns that it exists).
ErrorOr<Loaded> space_in_reach(Context& context);
// The same for a space id known otherwise (a WebSocket, a subscription).
ErrorOr<Loaded> space_in_reach(Context& context, long long space_id);

// Refusals with a French message: a visitor may not post, an archived
// space is read-only, only managers moderate.
ErrorOr<void> require_post(Loaded const& loaded);
ErrorOr<void> require_manage(Loaded const& loaded);

std::string space_path(Space const& space); // "/espaces/12"
std::string title_of(Space const& space); // « Classe TPRO »

enum class Tab { Blog, Agenda, Forum, Chat, Folders, Members };

// A page of a space: the space's title, the person's role, the tabs with
// the current one marked, then the tab's template rendered with `data`
// (which also receives space_path, may_post, may_manage, archived,
// csrf_token).
http::Response render_tab(Context& context, Loaded const& loaded, Tab tab, std::string_view template_name,
    view::Data data, std::string const& page_title = {});

// Where the blog's images are kept: <data>/class_space/images.
inline std::filesystem::path blog_image_directory(std::filesystem::path const& data_directory)
{
    return data_directory / "class_space" / "images";
}

// Texts for a template's list: [{text}] (a form's errors).
inline view::List text_list(std::vector<std::string> const& texts)
{
    view::List list;
    for (auto const& text : texts) {
        view::Data entry;
        entry.set("text", text);
        list.push_back(std::move(entry));
    }
    return list;
}

// An INSERT's new id on either engine.
inline long long insert_returning_id(soci::session& session, std::string const& sql, auto&&... values)
{
    long long id = 0;
    bool const returning = session.get_backend_name() == "postgresql";
    soci::statement statement(session);
    (statement.exchange(soci::use(values)), ...);
    if (returning)
        statement.exchange(soci::into(id));
    statement.alloc();
    statement.prepare(returning ? sql + " RETURNING id" : sql);
    statement.define_and_bind();
    statement.execute(true);
    if (!returning)
        session << "SELECT last_insert_rowid()", soci::into(id);
    return id;
}

// The person's spaces (kept a minute, forgotten on a change of settings or
// members).
ErrorOr<std::vector<Space>> cached_spaces(Context& context);
void forget_spaces(Context& context);
// The Accueil's « Blogs & Forums » of a set of spaces is read once for all
// who follow the same spaces and kept ten seconds; an article or forum
// post written (or a space renamed) forgets them all on this node.
void forget_latest(Services& services);

// The Accueil's « Blogs & Forums »: the latest articles of those spaces.
std::vector<HomeItem> latest_items(
    soci::session& session, std::vector<Space> const& spaces, std::vector<long long> const& ids, int limit);

// « Mes espaces », free spaces, members, the end of the year.
std::vector<http::Route> space_list_routes();
ErrorOr<void> declare_space_list_capabilities(access::CapabilityRegistry& registry);
void start_space_list(Services& services);
// « Mes données » and the departure of the blog's authors.
void start_blog(Services& services);
// Spaces archived more than a year ago are deleted; how many.
long long purge_archived_spaces(soci::session& session, long long now);

// The routes of each part, gathered by `routes()`.
std::vector<http::Route> blog_routes();
std::vector<http::Route> agenda_routes();
std::vector<http::Route> forum_routes();
std::vector<http::Route> chat_routes();
std::vector<http::Route> folder_routes();

} // namespace cartable::class_space
