// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/portal/portal_handlers.h"
#include "core/displayed_child.h"
#include "core/http/static_files.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/view/frame.h"
#include "services/publishing/publishing.h"
#include <charconv>

namespace cartable::portal {

namespace {

struct HomeContent {
    std::vector<identity::User> children;
    std::vector<publishing::NewsItem> news;
    std::vector<publishing::Announcement> announcements;
    std::string structure_uai;
};

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
    HomeContent content;
    if (auto cached = context.services.shared_results.find(shared_key, context.now)) {
        content = *std::static_pointer_cast<HomeContent const>(*cached);
    } else {
        content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<HomeContent> {
            HomeContent result;
            publishing::Reach reach { user.structure_id, structure ? structure->academy : std::string(),
                structure ? structure->region : std::string() };
            result.news = publishing::news_reaching(session, reach, context.now, 3);
            if (structure)
                result.announcements = publishing::announcements_for(
                    session, structure->uai, structure->academy, structure->region, user.profile, context.now, 3);
            return result;
        }));
        context.services.shared_results.store(shared_key, std::make_shared<HomeContent const>(content), context.now);
    }
    if (user.profile == access::Profile::Guardian)
        content.children = TRY(context.services.children_of(user.id, context.now));
    if (structure)
        content.structure_uai = structure->uai;

    long long chosen = displayed_child(context, content.children);
    auto requested = context.request.query.get("enfant");
    if (!requested.empty()) {
        long long id = 0;
        auto parsed = std::from_chars(requested.data(), requested.data() + requested.size(), id);
        bool is_own_child = parsed.ec == std::errc {}
            && std::any_of(
                content.children.begin(), content.children.end(), [&](auto const& child) { return child.id == id; });
        if (!is_own_child)
            return Error::forbidden(
                "Vous ne pouvez afficher que le profil de vos enfants.", "guardian asked for another child");
        chosen = id;
    }

    view::Data data;
    data.set("welcome_name", user.display_name());
    data.set("profile_label", std::string(access::profile_label(user.profile)));
    data.set("is_guardian", user.profile == access::Profile::Guardian);
    view::List children;
    for (auto const& child : content.children) {
        view::Data entry;
        entry.set("id", std::to_string(child.id));
        entry.set("name", child.display_name());
        entry.set("selected", child.id == chosen);
        children.push_back(std::move(entry));
    }
    data.set("children", std::move(children));
    view::List news;
    for (auto const& item : content.news) {
        view::Data entry;
        entry.set("title", item.title);
        entry.set("summary", item.summary);
        entry.set("date", i18n::format_long_date(item.published_at));
        entry.set("url", publishing::news_url(item, content.structure_uai));
        news.push_back(std::move(entry));
    }
    data.set("news", std::move(news));
    data.set("announcements", publishing::announcements_view(content.announcements));

    // The blocks other services feed follow the chosen child.
    identity::User const* subject = &user;
    for (auto const& child : content.children) {
        if (child.id == chosen)
            subject = &child;
    }
    for (auto const& [block, name] : { std::pair { HomeBlock::Homework, "homework" },
             std::pair { HomeBlock::Messages, "messages" }, std::pair { HomeBlock::Spaces, "spaces" } }) {
        auto source = context.services.home_block_sources.find(block);
        data.set(std::string(name) + "_ready", source != context.services.home_block_sources.end());
        if (source == context.services.home_block_sources.end())
            continue;
        // A source answers not_found when its service holds no data yet for
        // the structure (« données non initialisées »).
        auto offered = source->second(context, *subject);
        if (offered.is_error() && offered.error().kind == ErrorKind::NotFound) {
            data.set(std::string(name) + "_ready", false);
            continue;
        }
        view::List items;
        for (auto const& item : TRY(std::move(offered))) {
            view::Data entry;
            entry.set("title", item.title);
            entry.set("meta", item.meta);
            entry.set("text", item.text);
            entry.set("url", item.url);
            items.push_back(std::move(entry));
        }
        data.set(name, std::move(items));
    }
    return view::render(context, "portal/home", data, "Accueil", view::MenuEntry::Home);
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
