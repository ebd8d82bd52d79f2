// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/context.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/view/frame.h"
#include "services/publishing/news_image.h"
#include "services/publishing/publication_handlers.h"
#include "services/publishing/publishing_scopes.h"
#include <charconv>

namespace cartable::publishing {

namespace {

struct PortalContent {
    identity::Structure structure;
    std::vector<NewsItem> news;
    std::vector<Event> events;
};

// A visitor's portal is the same for everyone: kept rendered for a few
// seconds, it costs no database read (the benchmark's first page).
std::optional<http::Response> cached_public_page(Context& context, std::string const& key)
{
    if (context.signed_in())
        return std::nullopt;
    auto html = context.services.public_pages.find(key, context.now);
    if (!html)
        return std::nullopt;
    auto response = http::Response::html(std::move(*html));
    response.set_header("Cache-Control", "no-cache");
    return response;
}

http::Response remember_public_page(Context& context, std::string const& key, http::Response response)
{
    if (!context.signed_in() && response.status == 200)
        context.services.public_pages.store(key, response.body, context.now);
    return response;
}

ErrorOr<http::Response> show_portal_of(Context& context, std::string const& uai)
{
    auto key = "portal:" + uai;
    if (auto cached = cached_public_page(context, key))
        return *cached;
    auto content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<PortalContent> {
        auto structure = identity::store::find_structure_by_uai(session, uai);
        if (!structure)
            return Error::not_found("Cet établissement n'existe pas sur cet ENT.");
        return PortalContent { *structure, latest_news(session, structure->id, Audience::Public, 5),
            upcoming_events(session, structure->id, context.now, 5) };
    }));
    view::Data data;
    data.set("welcome", content.structure.welcome_text);
    view::List news;
    for (auto const& item : content.news)
        news.push_back(news_entry(item, "/portail/" + uai + "/actualites/" + std::to_string(item.id), context.now));
    data.set("news", std::move(news));
    data.set("events", events_view(content.events));
    view::Data structure;
    structure.set("name", content.structure.name);
    structure.set("kind", content.structure.kind);
    structure.set("city", content.structure.city);
    structure.set("academy", content.structure.academy);
    structure.set("region", content.structure.region);
    structure.set("uai", content.structure.uai);
    data.set("structure", std::move(structure));
    view::Page page { "Portail", view::Templates::instance().render("publishing/portal", data) };
    view::set_public_structure(page, content.structure);
    return remember_public_page(context, key, view::render_page(context, page));
}

ErrorOr<http::Response> show_portal(Context& context)
{
    return show_portal_of(context, context.request.parameter("uai"));
}

// The deployment's front page: the portal of its structure, or the list of
// its structures when it serves several.
ErrorOr<http::Response> show_front_page(Context& context)
{
    if (auto cached = cached_public_page(context, "front"))
        return *cached;
    auto structures
        = TRY(context.database().read([](soci::session& session) -> ErrorOr<std::vector<identity::Structure>> {
              return identity::store::list_structures(session);
          }));
    if (structures.size() == 1)
        return remember_public_page(context, "front", TRY(show_portal_of(context, structures.front().uai)));
    view::Data data;
    view::List list;
    for (auto const& structure : structures) {
        view::Data entry;
        entry.set("name", structure.name);
        entry.set("city", structure.city);
        entry.set("url", "/portail/" + structure.uai);
        list.push_back(std::move(entry));
    }
    data.set("structures", std::move(list));
    return remember_public_page(
        context, "front", view::render(context, "publishing/structures", data, "Établissements"));
}

ErrorOr<http::Response> show_news(Context& context)
{
    auto uai = context.request.parameter("uai");
    auto text = context.request.parameter("news_id");
    long long news_id = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), news_id).ec != std::errc {})
        return Error::not_found();
    auto found
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::pair<identity::Structure, NewsItem>> {
              auto structure = identity::store::find_structure_by_uai(session, uai);
              auto news = find_news(session, news_id);
              if (!structure || !news || news->scope != Scope::Structure || news->structure_id != structure->id
                  || news->published_at > context.now)
                  return Error::not_found();
              return std::pair { *structure, *news };
          }));
    auto& [structure, news] = found;
    // Members' news are read inside the ENT, by members of the structure.
    if (!news.is_public && (!context.signed_in() || context.user().structure_id != structure.id))
        return Error::not_found();
    view::Data data;
    data.set("title", news.title);
    data.set("summary", news.summary);
    data.set("body_html", render_news_markdown(news.body));
    data.set("published", i18n::format_long_datetime(news.published_at));
    data.set("author", news.author);
    if (!news.image_name.empty())
        data.set("image_url", "/publication/images/" + std::to_string(news.id));
    data.set("back_url", "/portail/" + uai);
    data.set("back_label", "Retour au portail");
    view::Page page { news.title, view::Templates::instance().render("publishing/news", data) };
    view::set_public_structure(page, structure);
    return view::render_page(context, page);
}

} // namespace

view::List announcements_view(std::vector<Announcement> const& announcements)
{
    view::List list;
    for (auto const& announcement : announcements) {
        view::Data entry;
        entry.set("author", announcement.author);
        entry.set("title", announcement.title);
        entry.set("body", announcement.body);
        entry.set("date", i18n::format_long_date(announcement.starts_at));
        auto const& link = announcement.link_url;
        if (link.rfind("https://", 0) == 0 || link.rfind("http://", 0) == 0 || link.rfind('/', 0) == 0)
            entry.set("link", link);
        list.push_back(std::move(entry));
    }
    return list;
}

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    using access::Profile;
    TRY(registry.declare({ READ_PUBLIC, access::Scope::Public, {}, access::Risk::Read,
        "Lire le portail public d'un établissement et ses actualités publiques" }));
    TRY(registry.declare({ READ_PORTALS, access::Scope::SignedIn, {}, access::Risk::Read,
        "Lire les portails de son académie, de sa région et le site inter-établissements (« Mes portails »)" }));
    TRY(registry.declare({ PUBLISH_STRUCTURE, access::Scope::Structure, { Profile::Admin, Profile::Staff },
        access::Risk::Write, "Publier les actualités, l'agenda et les annonces de son établissement" }));
    TRY(registry.declare({ PUBLISH, access::Scope::SignedIn, {}, access::Risk::Write,
        "Publier pour son établissement (selon son profil) ou pour l'académie, la région ou la plateforme (sur "
        "autorisation)" }));
    return registry.declare({ GRANT, access::Scope::Deployment, {}, access::Risk::Configuration,
        "Autoriser des personnes à publier pour une académie, une région ou la plateforme" });
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/", READ_PUBLIC, show_front_page, http::Lane::Public },
        { Method::Get, "/portail/{uai}", READ_PUBLIC, show_portal, http::Lane::Public },
        { Method::Get, "/portail/{uai}/actualites/{news_id}", READ_PUBLIC, show_news },
        { Method::Get, "/publication/images/{news_id}", READ_PUBLIC, serve_news_image },
        { Method::Get, "/portails/academie", READ_PORTALS, show_academy_portal },
        { Method::Get, "/portails/region", READ_PORTALS, show_region_portal },
        { Method::Get, "/portails/inter-etablissements", READ_PORTALS, show_platform_portal },
        { Method::Get, "/portails/{portal}/actualites/{news_id}", READ_PORTALS, show_scope_news },
        { Method::Get, "/publication", PUBLISH, show_publication },
        { Method::Get, "/publication/actualites/nouvelle", PUBLISH, show_new_news_form },
        { Method::Post, "/publication/actualites", PUBLISH, publish_news },
        { Method::Get, "/publication/actualites/{news_id}/modifier", PUBLISH, show_edit_news_form },
        { Method::Post, "/publication/actualites/{news_id}", PUBLISH, save_news },
        { Method::Get, "/publication/actualites/{news_id}/supprimer", PUBLISH, confirm_news_removal },
        { Method::Post, "/publication/actualites/{news_id}/supprimer", PUBLISH, remove_news },
        { Method::Get, "/publication/annonces/nouvelle", PUBLISH, show_new_announcement_form },
        { Method::Post, "/publication/annonces", PUBLISH, publish_announcement },
        { Method::Get, "/publication/annonces/{announcement_id}/modifier", PUBLISH, show_edit_announcement_form },
        { Method::Post, "/publication/annonces/{announcement_id}", PUBLISH, save_announcement },
        { Method::Get, "/publication/annonces/{announcement_id}/supprimer", PUBLISH, confirm_announcement_removal },
        { Method::Post, "/publication/annonces/{announcement_id}/supprimer", PUBLISH, remove_announcement },
        { Method::Get, "/publication/agenda/nouvelle", PUBLISH, show_new_event_form },
        { Method::Post, "/publication/agenda", PUBLISH, publish_event },
        { Method::Get, "/publication/agenda/{event_id}/modifier", PUBLISH, show_edit_event_form },
        { Method::Post, "/publication/agenda/{event_id}", PUBLISH, save_event },
        { Method::Get, "/publication/agenda/{event_id}/supprimer", PUBLISH, confirm_event_removal },
        { Method::Post, "/publication/agenda/{event_id}/supprimer", PUBLISH, remove_event },
        { Method::Get, "/publication/droits", GRANT, show_grants },
        { Method::Post, "/publication/droits", GRANT, add_grant },
        { Method::Post, "/publication/droits/{grant_id}/retirer", GRANT, remove_grant },
    };
}

} // namespace cartable::publishing
