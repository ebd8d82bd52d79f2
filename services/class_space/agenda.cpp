// SPDX-License-Identifier: AGPL-3.0-or-later
// The space's agenda (« Agenda »): events with a place, a start and an end
// or the whole day, repeated every day or every week until a date; shown by
// month, by week or as a list of what comes; exported as iCalendar, and
// followed by calendar applications through a private link.
//
// Managers (the class's teachers, the CPE) add, change and remove any
// event; contributors (the students) add events and change or remove their
// own; visitors (the parents) read. An archived space is read-only.
#include "core/identity/identity_store.h"
#include "core/text.h"
#include "core/validate.h"
#include "services/class_space/agenda_model.h"
#include "services/class_space/agenda_store.h"
#include "services/class_space/class_space_internal.h"
#include <algorithm>
#include <map>

namespace cartable::class_space {

namespace {

using agenda::Event;
using agenda::MINUTES_PER_DAY;
using agenda::Repeat;

constexpr char const* FEED = "class_space.agenda_feed";
constexpr std::size_t TITLE_MAX = 200;
constexpr std::size_t PLACE_MAX = 200;
constexpr std::size_t DESCRIPTION_MAX = 5000;
constexpr long long LONGEST_EVENT_DAYS = 90;
constexpr long long LONGEST_REPETITION_DAYS = 366;
constexpr std::size_t MONTH_OCCURRENCES = 600;
constexpr std::size_t LIST_OCCURRENCES = 100;
constexpr long long FEED_EVENTS = 2000;

long long today(Context const& context)
{
    return agenda::floor_div(agenda::local_from_unix(context.now), MINUTES_PER_DAY);
}

std::string agenda_path(Space const& space)
{
    return space_path(space) + "/agenda";
}

std::string event_path(Space const& space, long long event_id)
{
    return agenda_path(space) + "/" + std::to_string(event_id);
}

// What the form holds, as typed: shown again with the error.
struct Form {
    std::string title;
    std::string place;
    std::string description;
    std::string start_day;
    std::string start_time;
    std::string end_day;
    std::string end_time;
    bool all_day { false };
    std::string repeat { "aucune" };
    std::string until;
};

Form form_of(http::FormFields const& fields)
{
    Form form;
    form.title = std::string(trim_text(fields.get("titre")));
    form.place = std::string(trim_text(fields.get("lieu")));
    form.description = std::string(trim_text(fields.get("description")));
    form.start_day = std::string(trim_text(fields.get("debut_date")));
    form.start_time = std::string(trim_text(fields.get("debut_heure")));
    form.end_day = std::string(trim_text(fields.get("fin_date")));
    form.end_time = std::string(trim_text(fields.get("fin_heure")));
    form.all_day = fields.get("journee") == "1";
    form.repeat = fields.get("repetition");
    if (form.repeat.empty())
        form.repeat = "aucune";
    form.until = std::string(trim_text(fields.get("jusqu_au")));
    return form;
}

Form form_of(Event const& event)
{
    Form form;
    form.title = event.title;
    form.place = event.place;
    form.description = event.description;
    auto const first_day = agenda::floor_div(event.start, MINUTES_PER_DAY);
    form.start_day = agenda::iso_day(first_day);
    form.all_day = event.all_day;
    if (event.all_day) {
        form.end_day = agenda::iso_day(agenda::floor_div(event.end, MINUTES_PER_DAY) - 1);
    } else {
        form.start_time = agenda::clock(event.start);
        form.end_day = agenda::iso_day(agenda::floor_div(event.end, MINUTES_PER_DAY));
        form.end_time = agenda::clock(event.end);
    }
    form.repeat = event.repeat == Repeat::Daily ? "quotidienne"
        : event.repeat == Repeat::Weekly        ? "hebdomadaire"
                                                : "aucune";
    if (event.repeat != Repeat::None)
        form.until = agenda::iso_day(event.until_day);
    return form;
}

// Characters, not octets: « é » is one.
// The event the form describes, or the French reason it is not one.
ErrorOr<Event> event_of(Form const& form)
{
    Event event;
    if (form.title.empty())
        return Error::invalid("Indiquez le titre de l'événement.");
    if (validate::character_count(form.title) > TITLE_MAX)
        return Error::invalid("Le titre ne doit pas dépasser 200 caractères.");
    if (validate::character_count(form.place) > PLACE_MAX)
        return Error::invalid("Le lieu ne doit pas dépasser 200 caractères.");
    if (validate::character_count(form.description) > DESCRIPTION_MAX)
        return Error::invalid("La description ne doit pas dépasser 5 000 caractères.");
    if (validate::has_control_characters(form.title, false) || validate::has_control_characters(form.place, false)
        || validate::has_control_characters(form.description, true))
        return Error::invalid("Le texte contient des caractères invisibles : retapez-le.");
    event.title = form.title;
    event.place = form.place;
    event.description = form.description;
    event.all_day = form.all_day;

    auto const start_day = agenda::parse_day(form.start_day);
    if (!start_day)
        return Error::invalid("Indiquez la date de début (jj/mm/aaaa).");
    // Without an end date, the event ends the day it starts.
    auto const end_day = form.end_day.empty() ? start_day : agenda::parse_day(form.end_day);
    if (!end_day)
        return Error::invalid("La date de fin n'est pas une date valide (jj/mm/aaaa).");
    if (form.all_day) {
        event.start = *start_day * MINUTES_PER_DAY;
        event.end = (*end_day + 1) * MINUTES_PER_DAY;
        if (*end_day < *start_day)
            return Error::invalid("La fin de l'événement est avant son début.");
    } else {
        auto const start_time = agenda::parse_clock(form.start_time);
        if (!start_time)
            return Error::invalid("Indiquez l'heure de début (hh:mm), ou cochez « Toute la journée ».");
        auto const end_time = form.end_time.empty() ? start_time : agenda::parse_clock(form.end_time);
        if (!end_time)
            return Error::invalid("L'heure de fin n'est pas valide (hh:mm).");
        event.start = *start_day * MINUTES_PER_DAY + *start_time;
        event.end = *end_day * MINUTES_PER_DAY + *end_time;
        if (event.end < event.start)
            return Error::invalid("La fin de l'événement est avant son début.");
    }
    if (event.end - event.start > LONGEST_EVENT_DAYS * MINUTES_PER_DAY)
        return Error::invalid("Un événement ne peut pas durer plus de 90 jours.");

    if (form.repeat == "aucune") {
        event.repeat = Repeat::None;
    } else if (form.repeat == "quotidienne" || form.repeat == "hebdomadaire") {
        event.repeat = form.repeat == "quotidienne" ? Repeat::Daily : Repeat::Weekly;
        if (form.until.empty())
            return Error::invalid("Indiquez jusqu'à quelle date l'événement se répète.");
        auto const until = agenda::parse_day(form.until);
        if (!until)
            return Error::invalid("La date de fin de la répétition n'est pas une date valide (jj/mm/aaaa).");
        if (*until < *start_day)
            return Error::invalid("La répétition doit s'arrêter après le début de l'événement.");
        if (*until - *start_day > LONGEST_REPETITION_DAYS)
            return Error::invalid("Une répétition ne peut pas dépasser un an : choisissez une date plus proche.");
        auto const period = event.repeat == Repeat::Daily ? MINUTES_PER_DAY : 7 * MINUTES_PER_DAY;
        if (event.end - event.start > period)
            return Error::invalid(event.repeat == Repeat::Daily
                    ? "Un événement répété tous les jours ne peut pas durer plus d'un jour."
                    : "Un événement répété toutes les semaines ne peut pas durer plus d'une semaine.");
        event.until_day = *until;
    } else {
        return Error::invalid("Choisissez une répétition proposée : aucune, tous les jours ou toutes les semaines.");
    }
    return event;
}

bool may_change(Context const& context, Loaded const& loaded, Event const& event)
{
    if (loaded.space.archived_at != 0 || !may_post(loaded.role))
        return false;
    return may_manage(loaded.role) || (event.author_id != 0 && event.author_id == context.user().id);
}

ErrorOr<void> require_change(Context const& context, Loaded const& loaded, Event const& event)
{
    TRY(require_post(loaded));
    if (!may_change(context, loaded, event))
        return Error::forbidden("Vous pouvez modifier ou supprimer les événements que vous avez ajoutés, pas ceux "
                                "des autres.",
            "agenda event of another person");
    return {};
}

ErrorOr<Event> event_in_reach(Context& context, Loaded const& loaded)
{
    auto const event_id = parse_id(context.request.parameter("event"));
    if (event_id == 0)
        return Error::not_found();
    auto const space_id = loaded.space.id;
    auto event = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Event>> {
        return agenda::event_of_space(session, space_id, event_id);
    }));
    if (!event)
        return Error::not_found();
    return *event;
}

view::Data view_links(Space const& space, std::string const& current)
{
    struct Entry {
        char const* code;
        char const* label;
    };
    static constexpr Entry VIEWS[] = { { "mois", "Mois" }, { "semaine", "Semaine" }, { "liste", "Liste" } };
    view::List views;
    for (auto const& entry : VIEWS) {
        view::Data item;
        item.set("label", entry.label);
        auto url = agenda_path(space);
        url += "?vue=";
        url += entry.code;
        item.set("url", std::move(url));
        item.set("current", current == entry.code);
        views.push_back(std::move(item));
    }
    return views;
}

view::Data entry_of(Space const& space, agenda::Occurrence const& occurrence, long long day)
{
    auto const& event = *occurrence.event;
    view::Data entry;
    entry.set("title", event.title);
    entry.set("url", event_path(space, event.id));
    entry.set("place", event.place);
    std::string time;
    if (event.all_day) {
        time = "Toute la journée";
        auto const last = agenda::floor_div(occurrence.end, MINUTES_PER_DAY) - 1;
        if (last > day) {
            time += ", jusqu'au ";
            time += agenda::long_day(last);
        }
    } else {
        auto const first = agenda::floor_div(occurrence.start, MINUTES_PER_DAY);
        auto const last = agenda::floor_div(occurrence.end, MINUTES_PER_DAY);
        auto const from = first == day ? agenda::clock(occurrence.start) : std::string("…");
        auto const to
            = last == day || occurrence.end == occurrence.start ? agenda::clock(occurrence.end) : std::string("…");
        time = from;
        time += " – ";
        time += to;
    }
    entry.set("time", time);
    entry.set("repeated", event.repeat != Repeat::None);
    return entry;
}

// The entries of each day of [first_day, last_day]: an event that goes
// over several days is shown on each.
std::map<long long, view::List> entries_by_day(
    Space const& space, std::vector<agenda::Occurrence> const& occurrences, long long first_day, long long last_day)
{
    std::map<long long, view::List> days;
    for (auto const& occurrence : occurrences) {
        auto const from = agenda::floor_div(occurrence.start, MINUTES_PER_DAY);
        auto const to
            = occurrence.end > occurrence.start ? agenda::floor_div(occurrence.end - 1, MINUTES_PER_DAY) : from;
        for (auto day = std::max(from, first_day); day <= std::min(to, last_day); ++day)
            days[day].push_back(entry_of(space, occurrence, day));
    }
    return days;
}

ErrorOr<std::vector<Event>> load_events(Context& context, long long space_id, long long from, long long to)
{
    return context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Event>> {
        return agenda::events_in(session, space_id, from, to, FEED_EVENTS);
    });
}

ErrorOr<void> month_view(Context& context, Space const& space, view::Data& data)
{
    auto const now_day = today(context);
    auto const now_date = agenda::civil_from_days(now_day);
    int year = now_date.year;
    int month = now_date.month;
    auto const asked = context.request.query.get("mois"); // « 2026-11 »
    if (auto day = agenda::parse_day(asked + "-01")) {
        auto const date = agenda::civil_from_days(*day);
        year = date.year;
        month = date.month;
    }
    auto const first = agenda::days_from_civil({ year, month, 1 });
    auto const next_month = agenda::days_from_civil({ month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1 });
    auto const grid_start = first - agenda::weekday(first);
    auto const grid_end = next_month + (7 - agenda::weekday(next_month)) % 7; // exclusive
    auto const events = TRY(load_events(context, space.id, grid_start * MINUTES_PER_DAY, grid_end * MINUTES_PER_DAY));
    auto const occurrences
        = agenda::expand(events, grid_start * MINUTES_PER_DAY, grid_end * MINUTES_PER_DAY, MONTH_OCCURRENCES);
    auto days = entries_by_day(space, occurrences, grid_start, grid_end - 1);
    view::List weeks;
    for (auto week = grid_start; week < grid_end; week += 7) {
        view::List cells;
        for (auto day = week; day < week + 7; ++day) {
            view::Data cell;
            cell.set("number", std::to_string(agenda::civil_from_days(day).day));
            cell.set("label", agenda::long_day(day));
            cell.set("iso", agenda::iso_day(day));
            std::string classes = day < first || day >= next_month ? "agenda-outside" : "";
            if (day == now_day)
                classes += classes.empty() ? "agenda-today" : " agenda-today";
            cell.set("classes", std::move(classes));
            cell.set("today", day == now_day);
            auto found = days.find(day);
            cell.set("has_events", found != days.end() && !found->second.empty());
            cell.set("events", found == days.end() ? view::List {} : std::move(found->second));
            cells.push_back(std::move(cell));
        }
        view::Data row;
        row.set("days", std::move(cells));
        weeks.push_back(std::move(row));
    }
    view::List headers;
    for (int index = 0; index < 7; ++index) {
        view::Data header;
        auto name = agenda::weekday_name(index);
        header.set("name", name);
        header.set("short", name.substr(0, 3) + ".");
        headers.push_back(std::move(header));
    }
    auto const previous = agenda::civil_from_days(first - 1);
    auto const following = agenda::civil_from_days(next_month);
    auto month_code = [](agenda::Date date) { return agenda::iso_day(agenda::days_from_civil(date)).substr(0, 7); };
    data.set("month", true);
    data.set("heading", agenda::month_title(year, month));
    data.set("weekdays", std::move(headers));
    data.set("weeks", std::move(weeks));
    data.set("previous_url", agenda_path(space) + "?vue=mois&mois=" + month_code(previous));
    data.set("previous_label", "Mois précédent (" + agenda::month_title(previous.year, previous.month) + ")");
    data.set("next_url", agenda_path(space) + "?vue=mois&mois=" + month_code(following));
    data.set("next_label", "Mois suivant (" + agenda::month_title(following.year, following.month) + ")");
    data.set("empty", occurrences.empty());
    return {};
}

view::List day_groups(std::map<long long, view::List>& days, long long now_day)
{
    view::List groups;
    for (auto& [day, entries] : days) {
        view::Data group;
        group.set("label", agenda::long_day(day));
        group.set("iso", agenda::iso_day(day));
        group.set("today", day == now_day);
        group.set("events", std::move(entries));
        groups.push_back(std::move(group));
    }
    return groups;
}

ErrorOr<void> week_view(Context& context, Space const& space, view::Data& data)
{
    auto const now_day = today(context);
    auto day = agenda::parse_day(context.request.query.get("semaine")).value_or(now_day);
    auto const monday = day - agenda::weekday(day);
    auto const from = monday * MINUTES_PER_DAY;
    auto const to = (monday + 7) * MINUTES_PER_DAY;
    auto const events = TRY(load_events(context, space.id, from, to));
    auto const occurrences = agenda::expand(events, from, to, MONTH_OCCURRENCES);
    auto days = entries_by_day(space, occurrences, monday, monday + 6);
    for (auto index = monday; index < monday + 7; ++index)
        days.try_emplace(index); // every day of the week, even without events
    data.set("week", true);
    data.set("heading", "Semaine du " + agenda::long_day(monday));
    data.set("days", day_groups(days, now_day));
    data.set("previous_url", agenda_path(space) + "?vue=semaine&semaine=" + agenda::iso_day(monday - 7));
    data.set("previous_label", "Semaine précédente");
    data.set("next_url", agenda_path(space) + "?vue=semaine&semaine=" + agenda::iso_day(monday + 7));
    data.set("next_label", "Semaine suivante");
    data.set("empty", occurrences.empty());
    return {};
}

ErrorOr<void> list_view(Context& context, Space const& space, view::Data& data)
{
    auto const now_day = today(context);
    auto const from = agenda::local_from_unix(context.now);
    auto const to = (now_day + 366) * MINUTES_PER_DAY;
    auto const events = TRY(load_events(context, space.id, from, to));
    auto const occurrences = agenda::expand(events, from, to, LIST_OCCURRENCES);
    std::map<long long, view::List> days;
    for (auto const& occurrence : occurrences) {
        auto const first = std::max(agenda::floor_div(occurrence.start, MINUTES_PER_DAY), now_day);
        days[first].push_back(entry_of(space, occurrence, first));
    }
    data.set("list", true);
    data.set("heading", "À venir");
    data.set("days", day_groups(days, now_day));
    data.set("empty", occurrences.empty());
    return {};
}

ErrorOr<http::Response> show_agenda(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const& space = loaded.space;
    auto shown = context.request.query.get("vue");
    if (shown != "semaine" && shown != "liste")
        shown = "mois";
    view::Data data;
    data.set("views", view_links(space, shown));
    if (shown == "semaine")
        TRY(week_view(context, space, data));
    else if (shown == "liste")
        TRY(list_view(context, space, data));
    else
        TRY(month_view(context, space, data));
    data.set("deleted", context.request.query.get("supprime") == "1");
    return render_tab(context, loaded, Tab::Agenda, "class_space/agenda", std::move(data), "Agenda");
}

http::Response render_form(
    Context& context, Loaded const& loaded, Form const& form, long long event_id, std::string const& error)
{
    auto const& space = loaded.space;
    view::Data data;
    data.set("editing", event_id != 0);
    data.set("action", event_id != 0 ? event_path(space, event_id) : agenda_path(space));
    data.set("cancel_url", event_id != 0 ? event_path(space, event_id) : agenda_path(space));
    data.set("error", error);
    data.set("title", form.title);
    data.set("place", form.place);
    data.set("description", form.description);
    data.set("start_day", form.start_day);
    data.set("start_time", form.start_time);
    data.set("end_day", form.end_day);
    data.set("end_time", form.end_time);
    data.set("all_day", form.all_day);
    data.set("repeat_none", form.repeat != "quotidienne" && form.repeat != "hebdomadaire");
    data.set("repeat_daily", form.repeat == "quotidienne");
    data.set("repeat_weekly", form.repeat == "hebdomadaire");
    data.set("until", form.until);
    auto response = render_tab(context, loaded, Tab::Agenda, "class_space/agenda_form", std::move(data),
        event_id != 0 ? "Modifier un événement" : "Nouvel événement");
    if (!error.empty())
        response.status = 422;
    return response;
}

ErrorOr<http::Response> new_event(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_post(loaded));
    Form form;
    // A day of the month view's « + » link, or today.
    auto day = agenda::parse_day(context.request.query.get("date")).value_or(today(context));
    form.start_day = agenda::iso_day(day);
    form.end_day = form.start_day;
    return render_form(context, loaded, form, 0, {});
}

ErrorOr<http::Response> create_event(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_post(loaded));
    auto const& space = loaded.space;
    auto const form = form_of(context.request.form);
    auto parsed = event_of(form);
    if (parsed.is_error())
        return render_form(context, loaded, form, 0, parsed.error().message_key);
    auto event = parsed.release_value();
    event.space_id = space.id;
    event.author_id = context.user().id;
    event.created_at = context.now;
    event.updated_at = context.now;
    auto const actor = context.user().id;
    auto const id = TRY(context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        auto made = agenda::insert_event(session, event);
        identity::store::audit(session, actor, "class_space_event_created", title_of(space) + " : " + event.title);
        return made;
    }));
    return http::Response::redirect(event_path(space, id));
}

ErrorOr<http::Response> show_event(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const event = TRY(event_in_reach(context, loaded));
    view::Data data;
    data.set("agenda_url", agenda_path(loaded.space));
    data.set("url", event_path(loaded.space, event.id));
    data.set("title", event.title);
    data.set("when", agenda::when_text(event.all_day, event.start, event.end));
    data.set("repeat", agenda::repeat_text(event));
    data.set("place", event.place);
    data.set("description", event.description);
    data.set("author", event.author_name);
    data.set("may_change", may_change(context, loaded, event));
    data.set("saved", context.request.query.get("enregistre") == "1");
    return render_tab(context, loaded, Tab::Agenda, "class_space/agenda_event", std::move(data), event.title);
}

ErrorOr<http::Response> edit_event(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const event = TRY(event_in_reach(context, loaded));
    TRY(require_change(context, loaded, event));
    return render_form(context, loaded, form_of(event), event.id, {});
}

ErrorOr<http::Response> update_event(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const existing = TRY(event_in_reach(context, loaded));
    TRY(require_change(context, loaded, existing));
    auto const& space = loaded.space;
    auto const form = form_of(context.request.form);
    auto parsed = event_of(form);
    if (parsed.is_error())
        return render_form(context, loaded, form, existing.id, parsed.error().message_key);
    auto event = parsed.release_value();
    event.id = existing.id;
    event.space_id = space.id;
    event.updated_at = std::max(context.now, existing.updated_at + 1); // DTSTAMP moves on
    auto const actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        agenda::update_event(session, event);
        identity::store::audit(session, actor, "class_space_event_changed", title_of(space) + " : " + event.title);
        return true;
    }));
    return http::Response::redirect(event_path(space, event.id) + "?enregistre=1");
}

ErrorOr<http::Response> delete_event(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const event = TRY(event_in_reach(context, loaded));
    TRY(require_change(context, loaded, event));
    auto const& space = loaded.space;
    auto const actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        agenda::delete_event(session, space.id, event.id);
        identity::store::audit(session, actor, "class_space_event_deleted", title_of(space) + " : " + event.title);
        return true;
    }));
    return http::Response::redirect(agenda_path(space) + "?supprime=1");
}

std::string host_of(std::string const& url)
{
    auto start = url.find("://");
    auto host = start == std::string::npos ? url : url.substr(start + 3);
    auto end = host.find_first_of("/:");
    return end == std::string::npos ? host : host.substr(0, end);
}

// The calendar of a space as RFC 5545 text: the events of the past year
// and of the next two.
ErrorOr<http::Response> calendar_response(Context& context, Space const& space)
{
    auto const now_day = today(context);
    auto const events
        = TRY(load_events(context, space.id, (now_day - 366) * MINUTES_PER_DAY, (now_day + 731) * MINUTES_PER_DAY));
    auto const base = context.public_url();
    agenda::Calendar calendar { title_of(space), host_of(base), base + agenda_path(space) };
    http::Response response;
    response.body = agenda::ics_calendar(calendar, events);
    response.set_header("Content-Type", "text/calendar; charset=utf-8");
    response.set_header("Content-Disposition", "inline; filename=\"agenda.ics\"");
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

ErrorOr<http::Response> export_calendar(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    return calendar_response(context, loaded.space);
}

http::Response render_subscription(
    Context& context, Loaded const& loaded, std::optional<long long> created, std::string const& token)
{
    view::Data data;
    data.set("agenda_url", agenda_path(loaded.space));
    data.set("action", agenda_path(loaded.space) + "/abonnement");
    data.set("has_link", created.has_value());
    if (created)
        data.set("created", agenda::long_day(agenda::floor_div(agenda::local_from_unix(*created), MINUTES_PER_DAY)));
    if (!token.empty()) {
        auto const url = context.public_url() + "/agenda/abonnement/" + token + ".ics";
        data.set("link", url);
        data.set("webcal", school_time::ics_webcal(url));
    }
    auto response = render_tab(
        context, loaded, Tab::Agenda, "class_space/agenda_subscription", std::move(data), "S'abonner à l'agenda");
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

ErrorOr<http::Response> show_subscription(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const space_id = loaded.space.id;
    auto const person = context.user().id;
    auto const created = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<long long>> {
        return agenda::feed_created_at(session, space_id, person);
    }));
    return render_subscription(context, loaded, created, {});
}

// « Créer mon lien d'abonnement » and « Révoquer le lien » alike: a new
// secret, shown once; the former link answers « not found » from now on.
ErrorOr<http::Response> renew_subscription(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const& space = loaded.space;
    auto const person = context.user().id;
    auto const now = context.now;
    auto const token = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::string> {
        auto made = agenda::renew_feed_token(session, space.id, person, now);
        identity::store::audit(session, person, "class_space_agenda_link", title_of(space));
        return made;
    }));
    return render_subscription(context, loaded, now, token);
}

// A calendar application following the private link: no session, the
// token is the credential; refused once the person has no role left.
ErrorOr<http::Response> subscription_feed(Context& context)
{
    auto token = context.request.parameter("token");
    if (!token.ends_with(".ics"))
        return Error::not_found();
    token.resize(token.size() - 4);
    if (token.size() < 32)
        return Error::not_found();
    auto const space = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Space>> {
        auto feed = agenda::feed_of_token(session, token);
        if (!feed)
            return std::optional<Space>();
        auto found = space_by_id(session, feed->first);
        auto person = identity::store::find_user(session, feed->second);
        if (!found || !person)
            return std::optional<Space>();
        if (role_of(*person, *found, membership(session, *person, *found)) == Role::None)
            return std::optional<Space>();
        return found;
    }));
    if (!space)
        return Error::not_found();
    return calendar_response(context, *space);
}

} // namespace

ErrorOr<void> declare_agenda_capabilities(access::CapabilityRegistry& registry)
{
    return registry.declare({ FEED, access::Scope::Public, {}, access::Risk::Read,
        "Suivre l'agenda d'un espace de classe depuis une application d'agenda, par son lien privé (le jeton du "
        "lien tient lieu de connexion)" });
}

std::vector<http::Route> agenda_routes()
{
    using http::Method;
    return {
        { Method::Get, "/espaces/{space}/agenda", READ, show_agenda },
        { Method::Post, "/espaces/{space}/agenda", POST, create_event },
        { Method::Get, "/espaces/{space}/agenda.ics", READ, export_calendar },
        { Method::Get, "/espaces/{space}/agenda/nouveau", POST, new_event },
        { Method::Get, "/espaces/{space}/agenda/abonnement", READ, show_subscription },
        { Method::Post, "/espaces/{space}/agenda/abonnement", READ, renew_subscription },
        { Method::Get, "/espaces/{space}/agenda/{event}", READ, show_event },
        { Method::Post, "/espaces/{space}/agenda/{event}", POST, update_event },
        { Method::Get, "/espaces/{space}/agenda/{event}/modifier", POST, edit_event },
        { Method::Post, "/espaces/{space}/agenda/{event}/supprimer", POST, delete_event },
        { Method::Get, "/agenda/abonnement/{token}", FEED, subscription_feed },
    };
}

} // namespace cartable::class_space
