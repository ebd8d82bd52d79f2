// SPDX-License-Identifier: AGPL-3.0-or-later
// « Nouvelle date » and « Modifier la date » of an agenda: title, place,
// start and end, public or members only.
#include "core/identity/identity_store.h"
#include "core/view/frame.h"
#include "services/publishing/publication_handlers.h"
#include "services/publishing/publishing_forms.h"
#include "services/publishing/publishing_scopes.h"

namespace cartable::publishing {

namespace {

struct EventForm {
    std::string title;
    std::string place;
    std::string starts;
    std::string ends;
    std::string visibility;
};

EventForm read_form(http::Request const& request)
{
    auto const& form = request.form;
    return { trimmed(form.get("titre")), trimmed(form.get("lieu")), trimmed(form.get("debut")),
        trimmed(form.get("fin")), form.get("visibilite") };
}

FieldErrors check(EventForm const& form)
{
    FieldErrors errors;
    if (form.title.empty())
        errors.add("titre", "Le titre est obligatoire.");
    else if (character_count(form.title) > 200)
        errors.add("titre", "Le titre ne doit pas dépasser 200 caractères.");
    if (character_count(form.place) > 200)
        errors.add("lieu", "Le lieu ne doit pas dépasser 200 caractères.");
    auto starts = parse_datetime(form.starts);
    auto ends = parse_datetime(form.ends);
    if (!starts)
        errors.add("debut", "Indiquez la date et l'heure de début.");
    if (!ends)
        errors.add("fin", "Indiquez la date et l'heure de fin.");
    if (starts && ends && *ends < *starts)
        errors.add("fin", "La fin doit être au même moment que le début ou après.");
    if (form.visibility != "public" && form.visibility != "membres")
        errors.add("visibilite", "Choisissez la visibilité : Public ou Membres.");
    return errors;
}

http::Response form_page(Context& context, Place const& place, EventForm const& form, std::optional<long long> event_id,
    FieldErrors const& errors)
{
    view::Data data;
    bool editing = event_id.has_value();
    data.set("heading", editing ? "Modifier la date de l'agenda" : "Nouvelle date de l'agenda");
    data.set(
        "action", editing ? "/publication/agenda/" + std::to_string(*event_id) : std::string("/publication/agenda"));
    data.set("place_label", place.label);
    data.set("portee", scope_slug(place.scope));
    data.set("cle", place.key);
    data.set("title", form.title);
    data.set("place", form.place);
    data.set("starts", form.starts);
    data.set("ends", form.ends);
    data.set("is_public", form.visibility == "public");
    data.set("is_members", form.visibility == "membres");
    errors.put_into(data);
    return view::render(context, "publishing/event_form", std::move(data),
        editing ? "Modifier la date de l'agenda" : "Nouvelle date de l'agenda", view::MenuEntry::None,
        errors.empty() ? 200 : 400);
}

void apply(EventForm const& form, Event& event)
{
    event.title = form.title;
    event.place = form.place;
    event.starts_at = *parse_datetime(form.starts);
    event.ends_at = *parse_datetime(form.ends);
    event.is_public = form.visibility == "public";
}

ErrorOr<Event> event_to_edit(Context& context, Place& place)
{
    auto id = parse_id(context.request.parameter("event_id"));
    if (!id)
        return Error::not_found();
    auto event = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::optional<Event>> { return find_event(session, *id); }));
    if (!event)
        return Error::not_found();
    place = TRY(place_for_object(context, event->scope, event->scope_key, event->structure_id));
    return *event;
}

} // namespace

ErrorOr<http::Response> show_new_event_form(Context& context)
{
    auto place = TRY(place_from_form(context, context.request.query.get("portee"), context.request.query.get("cle")));
    EventForm form;
    form.visibility = "public";
    return form_page(context, place, form, std::nullopt, {});
}

ErrorOr<http::Response> publish_event(Context& context)
{
    auto place = TRY(place_from_form(context, context.request.form.get("portee"), context.request.form.get("cle")));
    auto form = read_form(context.request);
    auto errors = check(form);
    if (!errors.empty())
        return form_page(context, place, form, std::nullopt, errors);
    Event event;
    event.scope = place.scope;
    event.scope_key = place.scope == Scope::Structure ? std::string() : place.key;
    event.structure_id = place.structure_id;
    apply(form, event);
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        auto id = add_event(session, event);
        identity::store::audit(session, context.user().id, "event_published", std::to_string(id));
        return true;
    }));
    forget_cached_pages(context);
    return http::Response::redirect("/publication?fait=publiee");
}

ErrorOr<http::Response> show_edit_event_form(Context& context)
{
    Place place;
    auto event = TRY(event_to_edit(context, place));
    EventForm form { event.title, event.place, datetime_input(event.starts_at), datetime_input(event.ends_at),
        event.is_public ? "public" : "membres" };
    return form_page(context, place, form, event.id, {});
}

ErrorOr<http::Response> save_event(Context& context)
{
    Place place;
    auto event = TRY(event_to_edit(context, place));
    auto form = read_form(context.request);
    auto errors = check(form);
    if (!errors.empty())
        return form_page(context, place, form, event.id, errors);
    apply(form, event);
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        update_event(session, event);
        identity::store::audit(session, context.user().id, "event_changed", std::to_string(event.id));
        return true;
    }));
    forget_cached_pages(context);
    return http::Response::redirect("/publication?fait=modifiee");
}

ErrorOr<http::Response> confirm_event_removal(Context& context)
{
    Place place;
    auto event = TRY(event_to_edit(context, place));
    return removal_page(context, "la date", event.title, "/publication/agenda/" + std::to_string(event.id));
}

ErrorOr<http::Response> remove_event(Context& context)
{
    Place place;
    auto event = TRY(event_to_edit(context, place));
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        delete_event(session, event.id);
        identity::store::audit(session, context.user().id, "event_removed", std::to_string(event.id));
        return true;
    }));
    forget_cached_pages(context);
    return http::Response::redirect("/publication?fait=supprimee");
}

} // namespace cartable::publishing
