// SPDX-License-Identifier: AGPL-3.0-or-later
// « PUBLICATION »: the places a person publishes in, each with its news,
// agenda dates and announcements, and the way to change them.
#include "core/i18n/format.h"
#include "core/view/frame.h"
#include "services/publishing/publication_handlers.h"
#include "services/publishing/publishing_scopes.h"

namespace cartable::publishing {

namespace {

struct PlaceContent {
    std::vector<NewsItem> news;
    std::vector<Event> events;
    std::vector<Announcement> announcements;
};

std::string done_message(std::string const& done)
{
    if (done == "publiee")
        return "La publication est enregistrée.";
    if (done == "modifiee")
        return "Les modifications sont enregistrées.";
    if (done == "supprimee")
        return "La publication est supprimée.";
    return {};
}

view::Data place_view(Place const& place, PlaceContent const& content, long long now)
{
    view::Data data;
    data.set("label", place.label);
    auto query = "?portee=" + scope_slug(place.scope) + "&cle=" + http::percent_encode(place.key);
    data.set("new_news_url", "/publication/actualites/nouvelle" + query);
    data.set("new_event_url", "/publication/agenda/nouvelle" + query);
    data.set("new_announcement_url", "/publication/annonces/nouvelle" + query);
    view::List news;
    for (auto const& item : content.news) {
        auto entry = news_entry(item, {}, now);
        auto base = "/publication/actualites/" + std::to_string(item.id);
        entry.set("edit_url", base + "/modifier");
        entry.set("remove_url", base + "/supprimer");
        entry.set("visibility", item.is_public ? "Public" : "Membres");
        news.push_back(std::move(entry));
    }
    data.set("news", std::move(news));
    view::List events;
    for (auto const& event : content.events) {
        view::Data entry;
        entry.set("title", event.title);
        entry.set("place", event.place);
        entry.set("when", i18n::format_long_datetime(event.starts_at));
        auto base = "/publication/agenda/" + std::to_string(event.id);
        entry.set("edit_url", base + "/modifier");
        entry.set("remove_url", base + "/supprimer");
        entry.set("visibility", event.is_public ? "Public" : "Membres");
        events.push_back(std::move(entry));
    }
    data.set("events", std::move(events));
    view::List announcements;
    for (auto const& announcement : content.announcements) {
        view::Data entry;
        entry.set("title", announcement.title);
        entry.set("author", announcement.author);
        entry.set("period",
            "du " + i18n::format_short_date(announcement.starts_at) + " au "
                + i18n::format_short_date(announcement.ends_at));
        auto base = "/publication/annonces/" + std::to_string(announcement.id);
        entry.set("edit_url", base + "/modifier");
        entry.set("remove_url", base + "/supprimer");
        announcements.push_back(std::move(entry));
    }
    data.set("announcements", std::move(announcements));
    return data;
}

} // namespace

ErrorOr<http::Response> show_publication(Context& context)
{
    auto places = TRY(places_of(context));
    bool may_grant = context.services.capabilities.allows(GRANT, context.user().profile, context.user().platform_admin);
    if (places.empty() && !may_grant)
        return Error::forbidden("Vous n'avez le droit de publier ni pour votre établissement, ni pour l'académie, la "
                                "région ou la plateforme.",
            "publishing page without a place");
    auto contents = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<PlaceContent>> {
        std::vector<PlaceContent> result;
        for (auto const& place : places) {
            PlaceContent content;
            content.news = news_of_place(session, place.scope, place.key, place.structure_id, true, context.now);
            // Dates of the last three months too, to correct them.
            content.events = events_of_place(
                session, place.scope, place.key, place.structure_id, context.now - 90LL * 24 * 3600, 100);
            content.announcements = all_announcements_of(session, place.scope, place.key);
            result.push_back(std::move(content));
        }
        return result;
    }));
    view::Data data;
    view::List list;
    for (std::size_t index = 0; index < places.size(); ++index)
        list.push_back(place_view(places[index], contents[index], context.now));
    data.set("places", std::move(list));
    data.set("may_grant", may_grant);
    auto message = done_message(context.request.query.get("fait"));
    if (!message.empty())
        data.set("message", message);
    return view::render(context, "publishing/publication", std::move(data), "Publication");
}

http::Response removal_page(
    Context& context, std::string const& what, std::string const& title, std::string const& object_url)
{
    view::Data data;
    data.set("what", what);
    data.set("title", title);
    data.set("action", object_url + "/supprimer");
    return view::render(context, "publishing/confirm_removal", std::move(data), "Supprimer " + what);
}

} // namespace cartable::publishing
