// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/context.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/view/frame.h"
#include "services/publishing/publishing.h"
#include <charconv>

namespace cartable::publishing {

namespace {

constexpr char const* READ_PUBLIC = "publishing.read_public";
constexpr char const* READ_PORTALS = "publishing.read_portals";

std::string iso_date(long long when)
{
    auto time = static_cast<std::time_t>(when);
    std::tm local {};
    localtime_r(&time, &local);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &local);
    return text;
}

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
    for (auto const& item : content.news) {
        view::Data entry;
        entry.set("title", item.title);
        entry.set("summary", item.summary);
        entry.set("url", "/portail/" + uai + "/actualites/" + std::to_string(item.id));
        entry.set("age", i18n::format_relative(item.published_at, context.now));
        entry.set("iso_date", iso_date(item.published_at));
        news.push_back(std::move(entry));
    }
    data.set("news", std::move(news));
    view::List events;
    for (auto const& event : content.events) {
        view::Data entry;
        entry.set("title", event.title);
        entry.set("place", event.place);
        entry.set("when", i18n::format_long_datetime(event.starts_at));
        events.push_back(std::move(entry));
    }
    data.set("events", std::move(events));
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
              if (!structure || !news || news->structure_id != structure->id)
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
    data.set("body", news.body);
    data.set("published", i18n::format_long_datetime(news.published_at));
    data.set("back_url", "/portail/" + uai);
    view::Page page { news.title, view::Templates::instance().render("publishing/news", data) };
    view::set_public_structure(page, structure);
    return view::render_page(context, page);
}

// « Mes portails »: the académie's and the région's pages, with their
// announcements and the structures of this ENT that belong to them.
ErrorOr<http::Response> show_scope_portal(Context& context, Scope scope)
{
    auto structure = context.services.structure(context.user().structure_id, context.now);
    if (!structure)
        return Error::not_found();
    auto const& key = scope == Scope::Academy ? structure->academy : structure->region;
    if (key.empty())
        return Error::not_found("Votre établissement n'est rattaché à aucun portail de ce niveau.");
    auto content = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::pair<std::vector<Announcement>, std::vector<identity::Structure>>> {
            return std::pair { announcements_of_scope(session, scope, key, context.now, 10),
                identity::store::list_structures(session) };
        }));
    view::Data data;
    bool academy = scope == Scope::Academy;
    data.set("title", (academy ? "Académie de " : "Région ") + key);
    data.set("intro",
        academy ? "Les annonces de l'académie pour ses établissements, ses élèves, leurs familles et ses personnels."
                : "Les annonces de la Région pour ses lycées, leurs élèves, leurs familles et leurs personnels.");
    data.set("announcements", announcements_view(content.first));
    view::List structures;
    for (auto const& other : content.second) {
        if ((academy ? other.academy : other.region) != key)
            continue;
        view::Data entry;
        entry.set("name", other.name);
        entry.set("city", other.city);
        entry.set("url", "/portail/" + other.uai);
        structures.push_back(std::move(entry));
    }
    data.set("structures", std::move(structures));
    return view::render(
        context, "publishing/scope_portal", std::move(data), (academy ? "Académie de " : "Région ") + key);
}

ErrorOr<http::Response> show_academy_portal(Context& context)
{
    return show_scope_portal(context, Scope::Academy);
}
ErrorOr<http::Response> show_region_portal(Context& context)
{
    return show_scope_portal(context, Scope::Region);
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
    TRY(registry.declare({ READ_PUBLIC, access::Scope::Public, {}, access::Risk::Read,
        "Lire le portail public d'un établissement et ses actualités publiques" }));
    return registry.declare({ READ_PORTALS, access::Scope::SignedIn, {}, access::Risk::Read,
        "Lire les portails de son académie et de sa région (« Mes portails »)" });
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/", READ_PUBLIC, show_front_page, http::Lane::Public },
        { Method::Get, "/portail/{uai}", READ_PUBLIC, show_portal, http::Lane::Public },
        { Method::Get, "/portail/{uai}/actualites/{news_id}", READ_PUBLIC, show_news },
        { Method::Get, "/portails/academie", READ_PORTALS, show_academy_portal },
        { Method::Get, "/portails/region", READ_PORTALS, show_region_portal },
    };
}

} // namespace cartable::publishing
