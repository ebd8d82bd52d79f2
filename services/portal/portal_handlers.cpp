// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/portal/portal_handlers.h"
#include "core/displayed_child.h"
#include "core/http/static_files.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "core/view/body_memo.h"
#include "core/view/frame.h"
#include "services/publishing/publishing.h"
#include <charconv>

namespace cartable::portal {

namespace {

struct HomeContent {
    std::vector<publishing::NewsItem> news;
    std::vector<publishing::Announcement> announcements;
};

constexpr char const* HOME_TEMPLATE = "portal/home";

// The Accueil's body per reader, rebuilt only when what it shows changed.
view::BodyMemo& home_memo()
{
    static view::BodyMemo memo(16U << 20U);
    return memo;
}

} // namespace

// Accueil. A guardian picks the child the page follows (« Profil affiché »);
// only their own children are offered and accepted.
ErrorOr<http::Response> show_home(Context& context)
{
    auto const& user = context.user();
    auto structure = context.services.structure(user.structure_id, context.now);
    // News and announcements are the same for everyone of a profile in a
    // structure: read once for all of them every few seconds.
    auto shared_key
        = "home:" + std::to_string(user.structure_id) + ":" + std::string(access::profile_code(user.profile));
    std::shared_ptr<HomeContent const> shared;
    if (auto cached = context.services.shared_results.find(shared_key, context.now)) {
        shared = std::static_pointer_cast<HomeContent const>(*cached);
    } else {
        shared
            = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::shared_ptr<HomeContent const>> {
                  HomeContent result;
                  publishing::Reach reach { user.structure_id, structure ? structure->academy : std::string(),
                      structure ? structure->region : std::string() };
                  result.news = publishing::news_reaching(session, reach, context.now, 3);
                  if (structure)
                      result.announcements = publishing::announcements_for(
                          session, structure->uai, structure->academy, structure->region, user.profile, context.now, 3);
                  return std::make_shared<HomeContent const>(std::move(result));
              }));
        context.services.shared_results.store(shared_key, shared, context.now);
    }
    auto const& content = *shared;
    std::vector<identity::User> children;
    if (user.profile == access::Profile::Guardian)
        children = TRY(context.services.children_of(user.id, context.now));
    auto const structure_uai = structure ? structure->uai : std::string();

    long long chosen = displayed_child(context, children);
    auto requested = context.request.query.get("enfant");
    if (!requested.empty()) {
        long long id = 0;
        auto parsed = std::from_chars(requested.data(), requested.data() + requested.size(), id);
        bool is_own_child = parsed.ec == std::errc {}
            && std::any_of(children.begin(), children.end(), [&](auto const& child) { return child.id == id; });
        if (!is_own_child)
            return Error::forbidden(
                "Vous ne pouvez afficher que le profil de vos enfants.", "guardian asked for another child");
        chosen = id;
    }

    // The blocks other services feed follow the chosen child.
    identity::User const* subject = &user;
    for (auto const& child : children) {
        if (child.id == chosen)
            subject = &child;
    }
    struct Block {
        std::string name;
        bool ready { false };
        std::vector<HomeItem> items;
    };
    std::vector<Block> blocks;
    for (auto const& [block, name] : { std::pair { HomeBlock::Homework, "homework" },
             std::pair { HomeBlock::Messages, "messages" }, std::pair { HomeBlock::Spaces, "spaces" } }) {
        auto& entry = blocks.emplace_back(Block { name, false, {} });
        auto source = context.services.home_block_sources.find(block);
        if (source == context.services.home_block_sources.end())
            continue;
        // A source answers not_found when its service holds no data yet for
        // the structure (« données non initialisées »).
        auto offered = source->second(context, *subject);
        if (offered.is_error() && offered.error().kind == ErrorKind::NotFound)
            continue;
        entry.items = TRY(std::move(offered));
        entry.ready = true;
    }

    // The body is built again only when something it shows changed (the
    // news and announcements are compared by identity).
    auto print = context.request.target + '\n' + context.csrf_token() + '\n' + user.display_name() + '\n'
        + std::string(access::profile_code(user.profile)) + '\n' + structure_uai + '\n' + std::to_string(chosen);
    auto const text = [&](std::string const& value) { print += '\n' + std::to_string(value.size()) + ':' + value; };
    for (auto const& child : children)
        text(std::to_string(child.id) + ' ' + child.display_name());
    for (auto const& block : blocks) {
        text(block.name + (block.ready ? " ready" : ""));
        for (auto const& item : block.items) {
            text(item.title);
            text(item.meta);
            text(item.text);
            text(item.url);
        }
    }
    print += '\n' + std::to_string(school_time::day_of_unix(context.now)); // « 29 novembre 2026 » dates
    return view::render_remembered(
        context, home_memo(), std::move(print), shared, HOME_TEMPLATE, "Accueil", view::MenuEntry::Home, [&] {
            view::Data data;
            data.set("welcome_name", user.display_name());
            data.set("profile_label", std::string(access::profile_label(user.profile)));
            data.set("is_guardian", user.profile == access::Profile::Guardian);
            view::List children_list;
            for (auto const& child : children) {
                view::Data entry;
                entry.set("id", std::to_string(child.id));
                entry.set("name", child.display_name());
                entry.set("selected", child.id == chosen);
                children_list.push_back(std::move(entry));
            }
            data.set("children", std::move(children_list));
            view::List news;
            for (auto const& item : content.news) {
                view::Data entry;
                entry.set("title", item.title);
                entry.set("summary", item.summary);
                entry.set("date", i18n::format_long_date(item.published_at));
                entry.set("url", publishing::news_url(item, structure_uai));
                news.push_back(std::move(entry));
            }
            data.set("news", std::move(news));
            data.set("announcements", publishing::announcements_view(content.announcements));
            for (auto const& block : blocks) {
                data.set(block.name + "_ready", block.ready);
                if (!block.ready)
                    continue;
                view::List items;
                for (auto const& item : block.items) {
                    view::Data entry;
                    entry.set("title", item.title);
                    entry.set("meta", item.meta);
                    entry.set("text", item.text);
                    entry.set("url", item.url);
                    items.push_back(std::move(entry));
                }
                data.set(block.name, std::move(items));
            }
            return data;
        });
}

ErrorOr<http::Response> serve_asset(Context& context)
{
    auto response = http::serve_static(context.request, {}, context.request.parameter("file"));
    if (response.status == 404)
        return http::Response::text("Fichier introuvable.", 404);
    return response;
}

ErrorOr<http::Response> serve_fingerprinted_asset(Context& context)
{
    auto response = http::serve_static(
        context.request, context.request.parameter("fingerprint"), context.request.parameter("file"));
    if (response.status == 404)
        return http::Response::text("Fichier introuvable.", 404);
    return response;
}

} // namespace cartable::portal
