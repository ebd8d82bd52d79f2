// SPDX-License-Identifier: AGPL-3.0-or-later
// « Nouvelle actualité » and « Modifier l'actualité »: the form, its checks,
// and the news saved only when every field is right.
#include "core/identity/identity_store.h"
#include "core/view/frame.h"
#include "services/notifications/notifications.h"
#include "services/publishing/news_image.h"
#include "services/publishing/publication_handlers.h"
#include "services/publishing/publishing_forms.h"
#include "services/publishing/publishing_scopes.h"

namespace cartable::publishing {

namespace {

struct Told {
    std::vector<long long> people;
    std::size_t outbox_rows { 0 };
};

// « Nouvel article »: every active member of the structure but its author
// is told of a news item of the structure published now (one published
// later is not announced). Written in the publication's transaction.
Told tell_members(soci::session& session, NewsItem const& news, std::string const& structure_uai,
    std::string const& public_url, long long now)
{
    Told told;
    if (news.scope != Scope::Structure || news.published_at > now || structure_uai.empty())
        return told;
    std::vector<long long> members;
    {
        long long id = 0;
        soci::statement statement = (session.prepare << "SELECT id FROM identity_user WHERE structure_id = :structure "
                                                        "AND active = 1 AND id <> :author ORDER BY id",
            soci::use(news.structure_id), soci::use(news.author_id), soci::into(id));
        statement.execute();
        while (statement.fetch())
            members.push_back(id);
    }
    for (auto id : members) {
        notifications::Notification notice;
        notice.recipient_id = id;
        notice.event = notifications::Event::Article;
        notice.structure_id = news.structure_id;
        notice.title = std::string("Nouvel article : ").append(news.title);
        notice.link = news_url(news, structure_uai);
        notice.summary = std::string("Un nouvel article est publié sur le portail de votre établissement : « ")
                             .append(news.title)
                             .append(" ».");
        auto published = notifications::publish(session, notice, public_url, now);
        if (published.in_ent)
            told.people.push_back(id);
        told.outbox_rows += published.outbox_rows();
    }
    return told;
}

struct NewsForm {
    std::string title;
    std::string summary;
    std::string body;
    std::string date;
    std::string visibility; // "public" or "membres"
    bool remove_image { false };
};

NewsForm read_form(http::Request const& request)
{
    auto const& form = request.form;
    return { trimmed(form.get("titre")), trimmed(form.get("resume")), form.get("texte"), trimmed(form.get("date")),
        form.get("visibilite"), form.get("supprimer_image") == "1" };
}

http::UploadedFile const* chosen_image(http::Request const& request)
{
    for (auto const& file : request.files) {
        // A file input left empty still sends an empty part.
        if (file.field_name == "image" && (file.size > 0 || !file.file_name.empty()))
            return &file;
    }
    return nullptr;
}

FieldErrors check(NewsForm const& form, http::UploadedFile const* image)
{
    FieldErrors errors;
    if (form.title.empty())
        errors.add("titre", "Le titre est obligatoire.");
    else if (character_count(form.title) > 200)
        errors.add("titre", "Le titre ne doit pas dépasser 200 caractères.");
    if (character_count(form.summary) > 300)
        errors.add("resume", "Le résumé ne doit pas dépasser 300 caractères.");
    if (character_count(form.body) > 20000)
        errors.add("texte", "Le texte ne doit pas dépasser 20 000 caractères.");
    if (image) {
        if (auto message = image_error(*image))
            errors.add("image", *message);
    }
    if (!parse_date(form.date))
        errors.add("date", "Indiquez la date de publication (jj/mm/aaaa).");
    if (form.visibility != "public" && form.visibility != "membres")
        errors.add("visibilite", "Choisissez la visibilité : Public ou Membres.");
    return errors;
}

http::Response form_page(Context& context, Place const& place, NewsForm const& form,
    std::optional<NewsItem> const& news, FieldErrors const& errors)
{
    view::Data data;
    bool editing = news.has_value();
    data.set("heading", editing ? "Modifier l'actualité" : "Nouvelle actualité");
    data.set("action", editing ? "/publication/actualites/" + std::to_string(news->id) : "/publication/actualites");
    data.set("place_label", place.label);
    data.set("portee", scope_slug(place.scope));
    data.set("cle", place.key);
    data.set("title", form.title);
    data.set("summary", form.summary);
    data.set("body", form.body);
    data.set("date", form.date);
    data.set("is_public", form.visibility == "public");
    data.set("is_members", form.visibility == "membres");
    if (editing && !news->image_name.empty())
        data.set("image_url", "/publication/images/" + std::to_string(news->id));
    errors.put_into(data);
    return view::render(context, "publishing/news_form", std::move(data),
        editing ? "Modifier l'actualité" : "Nouvelle actualité", view::MenuEntry::None, errors.empty() ? 200 : 400);
}

// The day chosen: now if it is today (« il y a 5 minutes »), else 08:00 that day.
long long publication_time(std::string const& date, long long now)
{
    auto day = *parse_date(date);
    if (date == date_input(now))
        return now;
    return day + 8LL * 3600;
}

ErrorOr<NewsItem> news_to_edit(Context& context, Place& place)
{
    auto id = parse_id(context.request.parameter("news_id"));
    if (!id)
        return Error::not_found();
    auto news = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::optional<NewsItem>> { return find_news(session, *id); }));
    if (!news)
        return Error::not_found();
    place = TRY(place_for_object(context, news->scope, news->scope_key, news->structure_id));
    return *news;
}

} // namespace

ErrorOr<http::Response> show_new_news_form(Context& context)
{
    auto place = TRY(place_from_form(context, context.request.query.get("portee"), context.request.query.get("cle")));
    NewsForm form;
    form.date = date_input(context.now);
    form.visibility = "public";
    return form_page(context, place, form, std::nullopt, {});
}

ErrorOr<http::Response> publish_news(Context& context)
{
    auto place = TRY(place_from_form(context, context.request.form.get("portee"), context.request.form.get("cle")));
    auto form = read_form(context.request);
    auto const* image = chosen_image(context.request);
    auto errors = check(form, image);
    if (!errors.empty())
        return form_page(context, place, form, std::nullopt, errors);

    NewsItem news;
    news.scope = place.scope;
    news.scope_key = place.scope == Scope::Structure ? std::string() : place.key;
    news.structure_id = place.structure_id;
    news.title = form.title;
    news.summary = form.summary;
    news.body = form.body;
    news.is_public = form.visibility == "public";
    news.published_at = publication_time(form.date, context.now);
    news.updated_at = context.now;
    news.author = context.user().display_name();
    news.author_id = context.user().id;
    if (image) {
        auto stored = TRY(keep_image(context.config(), *image));
        news.image_name = stored.name;
        news.image_type = stored.content_type;
    }
    std::string uai;
    if (news.scope == Scope::Structure) {
        if (auto structure = context.services.structure(news.structure_id, context.now))
            uai = structure->uai;
    }
    Told told;
    auto saved = context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        auto id = add_news(session, news);
        identity::store::audit(session, context.user().id, "news_published", std::to_string(id));
        news.id = id;
        told = tell_members(session, news, uai, context.public_url(), context.now);
        return id;
    });
    if (saved.is_error()) {
        remove_image(context.config(), news.image_name);
        return saved.release_error();
    }
    notifications::published(context.services, told.people, told.outbox_rows);
    forget_cached_pages(context);
    return http::Response::redirect("/publication?fait=publiee");
}

ErrorOr<http::Response> show_edit_news_form(Context& context)
{
    Place place;
    auto news = TRY(news_to_edit(context, place));
    NewsForm form { news.title, news.summary, news.body, date_input(news.published_at),
        news.is_public ? "public" : "membres", false };
    return form_page(context, place, form, news, {});
}

ErrorOr<http::Response> save_news(Context& context)
{
    Place place;
    auto news = TRY(news_to_edit(context, place));
    auto form = read_form(context.request);
    auto const* image = chosen_image(context.request);
    auto errors = check(form, image);
    if (!errors.empty())
        return form_page(context, place, form, news, errors);

    auto old_image = news.image_name;
    news.title = form.title;
    news.summary = form.summary;
    news.body = form.body;
    news.is_public = form.visibility == "public";
    if (form.date != date_input(news.published_at))
        news.published_at = publication_time(form.date, context.now);
    news.updated_at = context.now;
    if (image) {
        auto stored = TRY(keep_image(context.config(), *image));
        news.image_name = stored.name;
        news.image_type = stored.content_type;
    } else if (form.remove_image) {
        news.image_name.clear();
        news.image_type.clear();
    }
    auto saved = context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        update_news(session, news);
        identity::store::audit(session, context.user().id, "news_changed", std::to_string(news.id));
        return true;
    });
    if (saved.is_error()) {
        if (news.image_name != old_image)
            remove_image(context.config(), news.image_name);
        return saved.release_error();
    }
    if (news.image_name != old_image)
        remove_image(context.config(), old_image);
    forget_cached_pages(context);
    return http::Response::redirect("/publication?fait=modifiee");
}

ErrorOr<http::Response> confirm_news_removal(Context& context)
{
    Place place;
    auto news = TRY(news_to_edit(context, place));
    return removal_page(context, "l'actualité", news.title, "/publication/actualites/" + std::to_string(news.id));
}

ErrorOr<http::Response> remove_news(Context& context)
{
    Place place;
    auto news = TRY(news_to_edit(context, place));
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        delete_news(session, news.id);
        identity::store::audit(session, context.user().id, "news_removed", std::to_string(news.id));
        return true;
    }));
    remove_image(context.config(), news.image_name);
    forget_cached_pages(context);
    return http::Response::redirect("/publication?fait=supprimee");
}

} // namespace cartable::publishing
