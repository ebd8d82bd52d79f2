// SPDX-License-Identifier: AGPL-3.0-or-later
// « Nouvelle annonce » and « Modifier l'annonce »: author, title, text,
// « En savoir plus » link, display period and the profiles it reaches.
#include "core/identity/identity_store.h"
#include "core/view/frame.h"
#include "services/publishing/publication_handlers.h"
#include "services/publishing/publishing_forms.h"
#include "services/publishing/publishing_scopes.h"
#include <algorithm>

namespace cartable::publishing {

namespace {

constexpr access::Profile ALL_PROFILES[] = { access::Profile::Student, access::Profile::Guardian,
    access::Profile::Teacher, access::Profile::Staff, access::Profile::Admin };

struct AnnouncementForm {
    std::string author;
    std::string title;
    std::string body;
    std::string link;
    std::string starts;
    std::string ends;
    std::vector<access::Profile> profiles;
};

AnnouncementForm read_form(http::Request const& request)
{
    auto const& form = request.form;
    AnnouncementForm result { trimmed(form.get("auteur")), trimmed(form.get("titre")), trimmed(form.get("texte")),
        trimmed(form.get("lien")), trimmed(form.get("debut")), trimmed(form.get("fin")), {} };
    for (auto const& code : form.all("profils")) {
        auto profile = access::profile_from_code(code);
        if (profile && std::find(result.profiles.begin(), result.profiles.end(), *profile) == result.profiles.end())
            result.profiles.push_back(*profile);
    }
    return result;
}

// « En savoir plus » leads to a web page: http or https, nothing else
// (never javascript:), and no blank that would hide a second address.
bool is_web_address(std::string const& link)
{
    auto lower = link.substr(0, 8);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    bool scheme = lower.starts_with("https://") || lower.starts_with("http://");
    bool blank = std::any_of(link.begin(), link.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
    auto host_start = lower.starts_with("https://") ? 8u : 7u;
    return scheme && !blank && link.size() > host_start;
}

FieldErrors check(AnnouncementForm const& form)
{
    FieldErrors errors;
    if (form.author.empty())
        errors.add("auteur", "L'auteur est obligatoire.");
    else if (character_count(form.author) > 200)
        errors.add("auteur", "L'auteur ne doit pas dépasser 200 caractères.");
    if (form.title.empty())
        errors.add("titre", "Le titre est obligatoire.");
    else if (character_count(form.title) > 200)
        errors.add("titre", "Le titre ne doit pas dépasser 200 caractères.");
    if (form.body.empty())
        errors.add("texte", "Le texte est obligatoire.");
    else if (character_count(form.body) > 2000)
        errors.add("texte", "Le texte ne doit pas dépasser 2 000 caractères.");
    if (!form.link.empty() && (!is_web_address(form.link) || form.link.size() > 2000))
        errors.add("lien", "Le lien « En savoir plus » doit être une adresse web commençant par http:// ou https://.");
    auto starts = parse_date(form.starts);
    auto ends = parse_date(form.ends);
    if (!starts)
        errors.add("debut", "Indiquez la date de début de l'affichage.");
    if (!ends)
        errors.add("fin", "Indiquez la date de fin de l'affichage.");
    if (starts && ends && *ends < *starts)
        errors.add("fin", "La fin de l'affichage doit être le même jour que le début ou après.");
    return errors;
}

http::Response form_page(Context& context, Place const& place, AnnouncementForm const& form,
    std::optional<long long> announcement_id, FieldErrors const& errors)
{
    view::Data data;
    bool editing = announcement_id.has_value();
    data.set("heading", editing ? "Modifier l'annonce" : "Nouvelle annonce");
    data.set("action",
        editing ? "/publication/annonces/" + std::to_string(*announcement_id) : std::string("/publication/annonces"));
    data.set("place_label", place.label);
    data.set("portee", scope_slug(place.scope));
    data.set("cle", place.key);
    data.set("author", form.author);
    data.set("title", form.title);
    data.set("body", form.body);
    data.set("link", form.link);
    data.set("starts", form.starts);
    data.set("ends", form.ends);
    view::List profiles;
    for (auto profile : ALL_PROFILES) {
        view::Data entry;
        entry.set("code", std::string(access::profile_code(profile)));
        entry.set("label", std::string(access::profile_label(profile)));
        entry.set("checked", std::find(form.profiles.begin(), form.profiles.end(), profile) != form.profiles.end());
        profiles.push_back(std::move(entry));
    }
    data.set("profiles", std::move(profiles));
    errors.put_into(data);
    return view::render(context, "publishing/announcement_form", std::move(data),
        editing ? "Modifier l'annonce" : "Nouvelle annonce", view::MenuEntry::None, errors.empty() ? 200 : 400);
}

void apply(AnnouncementForm const& form, Announcement& announcement)
{
    announcement.author = form.author;
    announcement.title = form.title;
    announcement.body = form.body;
    announcement.link_url = form.link;
    announcement.profiles = form.profiles;
    announcement.starts_at = *parse_date(form.starts);
    announcement.ends_at = *parse_date_end(form.ends);
}

ErrorOr<Announcement> announcement_to_edit(Context& context, Place& place)
{
    auto id = parse_id(context.request.parameter("announcement_id"));
    if (!id)
        return Error::not_found();
    auto announcement
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Announcement>> {
              return find_announcement(session, *id);
          }));
    if (!announcement)
        return Error::not_found();
    place = TRY(place_for_object(context, announcement->scope, announcement->scope_key, 0));
    return *announcement;
}

} // namespace

ErrorOr<http::Response> show_new_announcement_form(Context& context)
{
    auto place = TRY(place_from_form(context, context.request.query.get("portee"), context.request.query.get("cle")));
    AnnouncementForm form;
    form.author = default_author(place);
    form.starts = date_input(context.now);
    form.ends = date_input(context.now + 14LL * 24 * 3600);
    return form_page(context, place, form, std::nullopt, {});
}

ErrorOr<http::Response> publish_announcement(Context& context)
{
    auto place = TRY(place_from_form(context, context.request.form.get("portee"), context.request.form.get("cle")));
    auto form = read_form(context.request);
    auto errors = check(form);
    if (!errors.empty())
        return form_page(context, place, form, std::nullopt, errors);
    Announcement announcement;
    announcement.scope = place.scope;
    announcement.scope_key = place.key;
    apply(form, announcement);
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        auto id = add_announcement(session, announcement, context.now);
        identity::store::audit(session, context.user().id, "announcement_published", std::to_string(id));
        return true;
    }));
    forget_cached_pages(context);
    return http::Response::redirect("/publication?fait=publiee");
}

ErrorOr<http::Response> show_edit_announcement_form(Context& context)
{
    Place place;
    auto announcement = TRY(announcement_to_edit(context, place));
    AnnouncementForm form { announcement.author, announcement.title, announcement.body, announcement.link_url,
        date_input(announcement.starts_at), date_input(announcement.ends_at), announcement.profiles };
    return form_page(context, place, form, announcement.id, {});
}

ErrorOr<http::Response> save_announcement(Context& context)
{
    Place place;
    auto announcement = TRY(announcement_to_edit(context, place));
    auto form = read_form(context.request);
    auto errors = check(form);
    if (!errors.empty())
        return form_page(context, place, form, announcement.id, errors);
    apply(form, announcement);
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        update_announcement(session, announcement);
        identity::store::audit(session, context.user().id, "announcement_changed", std::to_string(announcement.id));
        return true;
    }));
    forget_cached_pages(context);
    return http::Response::redirect("/publication?fait=modifiee");
}

ErrorOr<http::Response> confirm_announcement_removal(Context& context)
{
    Place place;
    auto announcement = TRY(announcement_to_edit(context, place));
    return removal_page(
        context, "l'annonce", announcement.title, "/publication/annonces/" + std::to_string(announcement.id));
}

ErrorOr<http::Response> remove_announcement(Context& context)
{
    Place place;
    auto announcement = TRY(announcement_to_edit(context, place));
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        delete_announcement(session, announcement.id);
        identity::store::audit(session, context.user().id, "announcement_removed", std::to_string(announcement.id));
        return true;
    }));
    forget_cached_pages(context);
    return http::Response::redirect("/publication?fait=supprimee");
}

} // namespace cartable::publishing
