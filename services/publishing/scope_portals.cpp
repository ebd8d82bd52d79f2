// SPDX-License-Identifier: AGPL-3.0-or-later
// « Mes portails »: the académie's, the région's and the platform's (« Site
// inter-établissements ») pages, each with its news, agenda and announcements.
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/view/frame.h"
#include "services/publishing/publication_handlers.h"
#include "services/publishing/publishing_forms.h"
#include "services/publishing/publishing_scopes.h"

namespace cartable::publishing {

namespace {

struct ScopePortalContent {
    std::vector<NewsItem> news;
    std::vector<Event> events;
    std::vector<Announcement> announcements;
    std::vector<identity::Structure> structures;
};

std::string portal_slug(Scope scope)
{
    switch (scope) {
    case Scope::Academy:
        return "academie";
    case Scope::Region:
        return "region";
    default:
        return "inter-etablissements";
    }
}

std::string intro(Scope scope)
{
    switch (scope) {
    case Scope::Academy:
        return "Les actualités, l'agenda et les annonces de l'académie pour ses établissements, ses élèves, leurs "
               "familles et ses personnels.";
    case Scope::Region:
        return "Les actualités, l'agenda et les annonces de la Région pour ses lycées, leurs élèves, leurs familles "
               "et leurs personnels.";
    default:
        return "Les actualités, l'agenda et les annonces communs à tous les établissements de cet ENT.";
    }
}

// The académie or région of the person's structure; empty for the platform.
ErrorOr<std::string> scope_key_of_person(Context& context, Scope scope)
{
    if (scope == Scope::Platform)
        return std::string();
    auto structure = context.services.structure(context.user().structure_id, context.now);
    if (!structure)
        return Error::not_found();
    auto const& key = scope == Scope::Academy ? structure->academy : structure->region;
    if (key.empty())
        return Error::not_found("Votre établissement n'est rattaché à aucun portail de ce niveau.");
    return key;
}

ErrorOr<http::Response> show_scope_portal(Context& context, Scope scope)
{
    auto key = TRY(scope_key_of_person(context, scope));
    auto content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<ScopePortalContent> {
        ScopePortalContent result;
        result.news = news_of_place(session, scope, key, 0, false, context.now);
        if (result.news.size() > 10)
            result.news.resize(10);
        result.events = events_of_place(session, scope, key, 0, context.now, 10);
        result.announcements = announcements_of_scope(session, scope, key, context.now, 10);
        result.structures = identity::store::list_structures(session);
        return result;
    }));
    auto title = place_label(scope, key, {});
    view::Data data;
    data.set("title", title);
    data.set("intro", intro(scope));
    view::List news;
    for (auto const& item : content.news)
        news.push_back(news_entry(item, news_url(item, {}), context.now));
    data.set("news", std::move(news));
    data.set("events", events_view(content.events));
    data.set("announcements", announcements_view(content.announcements));
    view::List structures;
    for (auto const& other : content.structures) {
        if (scope != Scope::Platform && (scope == Scope::Academy ? other.academy : other.region) != key)
            continue;
        view::Data entry;
        entry.set("name", other.name);
        entry.set("city", other.city);
        entry.set("url", "/portail/" + other.uai);
        structures.push_back(std::move(entry));
    }
    data.set("structures", std::move(structures));
    return view::render(context, "publishing/scope_portal", std::move(data), title);
}

} // namespace

ErrorOr<http::Response> show_academy_portal(Context& context)
{
    return show_scope_portal(context, Scope::Academy);
}

ErrorOr<http::Response> show_region_portal(Context& context)
{
    return show_scope_portal(context, Scope::Region);
}

ErrorOr<http::Response> show_platform_portal(Context& context)
{
    return show_scope_portal(context, Scope::Platform);
}

// One news item of the académie, the région or the platform, read by the
// members of that place.
ErrorOr<http::Response> show_scope_news(Context& context)
{
    auto portal = context.request.parameter("portal");
    std::optional<Scope> scope;
    for (auto candidate : { Scope::Academy, Scope::Region, Scope::Platform }) {
        if (portal == portal_slug(candidate))
            scope = candidate;
    }
    auto id = parse_id(context.request.parameter("news_id"));
    if (!scope || !id)
        return Error::not_found();
    auto key = TRY(scope_key_of_person(context, *scope));
    auto news = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::optional<NewsItem>> { return find_news(session, *id); }));
    if (!news || news->scope != *scope || news->scope_key != key || news->published_at > context.now)
        return Error::not_found();
    view::Data data;
    data.set("title", news->title);
    data.set("summary", news->summary);
    data.set("body_html", render_news_markdown(news->body));
    data.set("published", i18n::format_long_datetime(news->published_at));
    data.set("author", news->author);
    if (!news->image_name.empty())
        data.set("image_url", "/publication/images/" + std::to_string(news->id));
    data.set("back_url", "/portails/" + portal);
    data.set("back_label", "Retour au portail « " + place_label(*scope, key, {}) + " »");
    return view::render(context, "publishing/news", std::move(data), news->title);
}

} // namespace cartable::publishing
