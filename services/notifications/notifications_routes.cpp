// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/context.h"
#include "core/i18n/format.h"
#include "core/log.h"
#include "core/notify/delivery.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/notifications/notifications.h"
#include "services/notifications/notifications_internal.h"
#include "services/preferences/preferences.h"
#include <algorithm>
#include <set>

namespace cartable::notifications {

namespace {

std::string unread_key(long long person_id)
{
    return "notifications.unread." + std::to_string(person_id);
}

ErrorOr<long long> cached_unread_count(Context& context)
{
    auto const owner = context.user().id;
    return cached_personal_result<long long>(context, unread_key(owner),
        [&](soci::session& session) -> ErrorOr<long long> { return unread_count(session, owner); });
}

void add_bell_to_frame(Context& context, view::Data& data)
{
    if (!context.signed_in())
        return;
    auto count = cached_unread_count(context);
    if (count.is_error()) {
        log::error("frame: " + count.error().detail);
        return;
    }
    auto unread = count.value();
    std::string label = "Notifications";
    if (unread == 1)
        label += " (1 non lue)";
    else if (unread > 1)
        label.append(" (").append(std::to_string(unread)).append(" non lues)");
    data.set("notifications_label", label);
    if (unread > 0)
        data.set("notifications_unread", unread > 99 ? std::string("99+") : std::to_string(unread));
}

// A link of ours: a path of this site, never another site's address.
bool is_local_path(std::string const& link)
{
    return link.starts_with('/') && !link.starts_with("//") && link.find('\\') == std::string::npos;
}

ErrorOr<http::Response> show_list(Context& context)
{
    auto const owner = context.user().id;
    auto page = std::max(parse_id(context.request.query.get("page")), 1LL);
    auto content = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<Page> { return page_of(session, owner, page); }));
    auto pages = std::max((content.total + PAGE_SIZE - 1) / PAGE_SIZE, 1LL);
    view::Data data;
    view::List items;
    bool any_unread = false;
    for (auto const& item : content.items) {
        view::Data entry;
        entry.set("url", "/notifications/" + std::to_string(item.id));
        entry.set("label", item.label);
        entry.set("title", item.title);
        entry.set("child", item.child_name);
        entry.set("date", i18n::format_long_datetime(item.created_at));
        entry.set("unread", item.read_at == 0);
        any_unread = any_unread || item.read_at == 0;
        items.push_back(std::move(entry));
    }
    data.set("has_items", !items.empty());
    data.set("items", std::move(items));
    data.set("any_unread", any_unread || TRY(cached_unread_count(context)) > 0);
    data.set("page_label", "Page " + std::to_string(std::min(page, pages)) + " sur " + std::to_string(pages));
    data.set("previous_url", page > 1 ? "/notifications?page=" + std::to_string(page - 1) : "");
    data.set("next_url", page < pages ? "/notifications?page=" + std::to_string(page + 1) : "");
    if (context.request.query.get("fait") == "lues")
        data.set("notice", "Toutes vos notifications sont marquées comme lues.");
    return view::render(context, "notifications/list", std::move(data), "Notifications");
}

ErrorOr<http::Response> open_notification(Context& context)
{
    auto const owner = context.user().id;
    auto id = parse_id(context.request.parameter("id"));
    auto link = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::optional<std::string>> {
        return open_item(session, owner, id, context.now);
    }));
    if (!link)
        return Error::not_found("Cette notification n'existe pas ou ne vous est pas adressée.");
    forget_unread(context.services, owner);
    return http::Response::redirect(is_local_path(*link) ? *link : std::string("/notifications"));
}

ErrorOr<http::Response> mark_all(Context& context)
{
    auto const owner = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        mark_all_read(session, owner, context.now);
        return true;
    }));
    forget_unread(context.services, owner);
    return http::Response::redirect("/notifications?fait=lues");
}

// ---- « Préférences » > « Notifications » ----

struct Section {
    long long child_id { 0 };
    std::string title; // « Pour moi », « Pour Louis CHAMSON »
    std::vector<Event> events;
};

ErrorOr<std::vector<Section>> sections_of(Context& context)
{
    auto const& user = context.user();
    std::vector<Section> sections;
    bool guardian = user.profile == access::Profile::Guardian;
    Section own { 0, guardian ? "Pour moi" : "Mes notifications", {} };
    for (auto const& entry : events()) {
        if (!guardian || !entry.about_child)
            own.events.push_back(entry.event);
    }
    sections.push_back(std::move(own));
    if (guardian) {
        for (auto const& child : TRY(context.services.children_of(user.id, context.now))) {
            Section section { child.id, "Pour " + child.display_name(), {} };
            for (auto const& entry : events()) {
                if (entry.about_child)
                    section.events.push_back(entry.event);
            }
            sections.push_back(std::move(section));
        }
    }
    return sections;
}

std::string field_name(Event event, long long child_id, Channel channel)
{
    return std::string("choix_")
        .append(info(event).code)
        .append("_")
        .append(std::to_string(child_id))
        .append("_")
        .append(channel_code(channel));
}

std::string minutes_text(long long minutes)
{
    auto two = [](long long value) { return value < 10 ? "0" + std::to_string(value) : std::to_string(value); };
    return two(minutes / 60).append(":").append(two(minutes % 60));
}

// « 21:30 » (or « 21h30 », « 21h ») → minutes after midnight.
std::optional<long long> parse_time(std::string text)
{
    std::replace(text.begin(), text.end(), 'h', ':');
    std::replace(text.begin(), text.end(), 'H', ':');
    auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0 || colon > 2)
        return std::nullopt;
    auto hours_text = text.substr(0, colon);
    auto minutes_text = text.substr(colon + 1);
    if (minutes_text.empty())
        minutes_text = "00";
    if (minutes_text.size() != 2)
        return std::nullopt;
    auto digits = [](std::string const& part) {
        return std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (!digits(hours_text) || !digits(minutes_text))
        return std::nullopt;
    auto hours = std::stoll(hours_text);
    auto minutes = std::stoll(minutes_text);
    if (hours > 23 || minutes > 59)
        return std::nullopt;
    return (hours * 60) + minutes;
}

struct Form {
    std::vector<StoredChoice> choices;
    std::string quiet_start; // as typed
    std::string quiet_end;
    std::vector<std::string> errors;
};

struct Loaded {
    std::vector<StoredChoice> choices;
    std::optional<QuietHours> quiet;
    bool has_number { false };
    bool opted_in { false };
};

view::Data choices_data(
    Context& context, std::vector<Section> const& sections, Form const& form, bool has_number, bool opted_in)
{
    view::Data data;
    view::List section_list;
    auto chosen = [&](Event event, long long child_id, Channel channel) {
        for (auto const& choice : form.choices) {
            if (choice.event == event && choice.child_id == child_id && choice.channel == channel)
                return choice.enabled;
        }
        return default_choice(event, channel);
    };
    for (auto const& section : sections) {
        view::Data entry;
        entry.set("title", section.title);
        view::List rows;
        for (auto event : section.events) {
            view::Data row;
            row.set("label", std::string(info(event).label));
            row.set("ent_name", field_name(event, section.child_id, Channel::Ent));
            row.set("ent", chosen(event, section.child_id, Channel::Ent));
            row.set("email_name", field_name(event, section.child_id, Channel::Email));
            row.set("email", chosen(event, section.child_id, Channel::Email));
            row.set("sms_name", field_name(event, section.child_id, Channel::Sms));
            row.set("sms", has_number && chosen(event, section.child_id, Channel::Sms));
            row.set("has_number", has_number);
            rows.push_back(std::move(row));
        }
        entry.set("rows", std::move(rows));
        section_list.push_back(std::move(entry));
    }
    data.set("sections", std::move(section_list));
    data.set("has_number", has_number);
    data.set("opted_in", opted_in);
    data.set("quiet_start", form.quiet_start);
    data.set("quiet_end", form.quiet_end);
    view::List errors;
    for (auto const& error : form.errors)
        errors.emplace_back(error);
    data.set("has_errors", !errors.empty());
    data.set("errors", std::move(errors));
    if (context.request.query.get("enregistre") == "1")
        data.set("notice", "Vos choix de notifications sont enregistrés.");
    return data;
}

ErrorOr<Loaded> load(Context& context)
{
    auto const id = context.user().id;
    return context.database().read([&](soci::session& session) -> ErrorOr<Loaded> {
        Loaded loaded;
        long long child = 0;
        std::string event;
        std::string channel;
        long long enabled = 0;
        soci::statement statement
            = (session.prepare << "SELECT event, child_id, channel, enabled FROM notifications_choice "
                                  "WHERE user_id = :user",
                soci::use(id), soci::into(event), soci::into(child), soci::into(channel), soci::into(enabled));
        statement.execute();
        while (statement.fetch()) {
            auto const* found = find_event(event);
            if (found == nullptr)
                continue;
            Channel parsed = channel == "email" ? Channel::Email : channel == "sms" ? Channel::Sms : Channel::Ent;
            loaded.choices.push_back({ found->event, child, parsed, enabled != 0 });
        }
        loaded.quiet = quiet_hours(session, id);
        loaded.has_number = !preferences::sms_number(session, id).empty();
        loaded.opted_in = preferences::choices_of(session, id).notify_structure;
        return loaded;
    });
}

ErrorOr<http::Response> show_choices(Context& context)
{
    auto sections = TRY(sections_of(context));
    auto loaded = TRY(load(context));
    Form form;
    form.choices = loaded.choices;
    if (loaded.quiet) {
        form.quiet_start = minutes_text(loaded.quiet->start_minute);
        form.quiet_end = minutes_text(loaded.quiet->end_minute);
    }
    return view::render(context, "notifications/choices",
        choices_data(context, sections, form, loaded.has_number, loaded.opted_in), "Notifications");
}

ErrorOr<http::Response> save_choices_form(Context& context)
{
    auto sections = TRY(sections_of(context));
    auto loaded = TRY(load(context));
    auto const& request = context.request.form;
    Form form;
    for (auto const& section : sections) {
        for (auto event : section.events) {
            for (auto channel : { Channel::Ent, Channel::Email, Channel::Sms }) {
                auto value = request.get(field_name(event, section.child_id, channel));
                bool enabled = value == "1";
                if (channel == Channel::Sms && !loaded.has_number)
                    enabled = false;
                form.choices.push_back({ event, section.child_id, channel, enabled });
            }
        }
    }
    form.quiet_start = request.get("calme_debut");
    form.quiet_end = request.get("calme_fin");
    std::optional<QuietHours> quiet;
    if (!form.quiet_start.empty() || !form.quiet_end.empty()) {
        auto start = parse_time(form.quiet_start);
        auto end = parse_time(form.quiet_end);
        if (!start)
            form.errors.emplace_back("L'heure de début n'est pas une heure valable (par exemple 21:00).");
        if (!end)
            form.errors.emplace_back("L'heure de fin n'est pas une heure valable (par exemple 07:00).");
        if (start && end && *start == *end)
            form.errors.emplace_back("L'heure de début et l'heure de fin doivent être différentes.");
        if (start && end)
            quiet = QuietHours { *start, *end };
    }
    if (!form.errors.empty()) {
        return view::render(context, "notifications/choices",
            choices_data(context, sections, form, loaded.has_number, loaded.opted_in), "Notifications",
            view::MenuEntry::None, 400);
    }
    auto const id = context.user().id;
    TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<bool> {
        save_choices(session, id, form.choices, quiet);
        return true;
    }));
    return http::Response::redirect("/preferences/notifications?enregistre=1");
}

} // namespace

void forget_unread(Services& services, long long person_id)
{
    services.personal_results.forget(unread_key(person_id));
}

void published(Services& services, std::span<long long const> recipients, std::size_t outbox_rows)
{
    for (auto id : recipients)
        forget_unread(services, id);
    if (outbox_rows > 0)
        notify::wake_delivery(services);
}

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    return registry.declare({ USE, access::Scope::SignedIn, {}, access::Risk::Write,
        "Lire ses notifications et choisir comment être prévenu" });
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/notifications", USE, show_list },
        { Method::Post, "/notifications/tout-lu", USE, mark_all },
        { Method::Get, "/notifications/{id}", USE, open_notification },
        { Method::Get, "/preferences/notifications", USE, show_choices },
        { Method::Post, "/preferences/notifications", USE, save_choices_form },
    };
}

ErrorOr<void> start(Services& services)
{
    services.frame_contributors.emplace_back(add_bell_to_frame);
    services.personal_data_exporters.emplace_back(
        "notifications", [](Context& context, identity::User const& person) -> ErrorOr<PersonalData> {
            auto json = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::string> {
                return personal_data_json(session, person.id);
            }));
            return PersonalData { std::move(json), {} };
        });
    services.departure_handlers.emplace_back(
        [](soci::session& session, identity::User const& former, bool) { forget_person(session, former.id); });
    return {};
}

} // namespace cartable::notifications
