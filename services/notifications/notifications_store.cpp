// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/db/id_lists.h"
#include "core/identity/identity_store.h"
#include "core/notify/outbox.h"
#include "core/notify/sms.h"
#include "services/notifications/notifications.h"
#include "services/notifications/notifications_internal.h"
#include "services/preferences/preferences.h"
#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <ctime>
#include <map>
#include <set>
#include <tuple>

namespace cartable::notifications {

namespace {

constexpr std::array<EventInfo, 7> EVENTS { {
    { Event::Message, "message", "Nouveau message", false, false, true },
    { Event::Homework, "homework", "Nouveau travail à faire", true, false, false },
    { Event::LiaisonNote, "liaison", "Nouveau mot dans le carnet de liaison", true, false, true },
    { Event::Absence, "absence", "Absence ou retard enregistré", true, false, true },
    { Event::Grade, "grade", "Nouvelle note", true, false, false },
    { Event::Article, "article", "Nouvel article", false, false, false },
    { Event::TimetableChange, "timetable", "Changement d'emploi du temps", true, false, false },
} };

constexpr long long MINUTES_PER_DAY = 24LL * 60;

std::string html_escaped(std::string_view text)
{
    std::string result;
    for (char c : text) {
        switch (c) {
        case '&':
            result.append("&amp;");
            break;
        case '<':
            result.append("&lt;");
            break;
        case '>':
            result.append("&gt;");
            break;
        case '"':
            result.append("&quot;");
            break;
        default:
            result.push_back(c);
        }
    }
    return result;
}

std::optional<bool> stored_choice(
    soci::session& session, long long user_id, Event event, long long child_id, Channel channel)
{
    std::string event_code(info(event).code);
    std::string channel_name(channel_code(channel));
    long long enabled = 0;
    session
        << "SELECT enabled FROM notifications_choice WHERE user_id = :user AND event = :event AND child_id = :child "
           "AND channel = :channel",
        soci::use(user_id), soci::use(event_code), soci::use(child_id), soci::use(channel_name), soci::into(enabled);
    if (!session.got_data())
        return std::nullopt;
    return enabled != 0;
}

// The next time the local clock shows that minute after midnight, after `now`.
long long next_local_minute(long long now, long long minute)
{
    auto when = static_cast<std::time_t>(now);
    std::tm parts {};
    localtime_r(&when, &parts);
    parts.tm_hour = static_cast<int>(minute / 60);
    parts.tm_min = static_cast<int>(minute % 60);
    parts.tm_sec = 0;
    parts.tm_isdst = -1;
    auto result = static_cast<long long>(std::mktime(&parts));
    if (result <= now) {
        parts.tm_mday += 1;
        parts.tm_hour = static_cast<int>(minute / 60);
        parts.tm_min = static_cast<int>(minute % 60);
        parts.tm_isdst = -1;
        result = static_cast<long long>(std::mktime(&parts));
    }
    return result;
}

notify::Email email_of(Notification const& notice, std::string const& address, std::string_view public_url)
{
    auto url = std::string(public_url).append(notice.link);
    auto sentence = notice.summary.empty() ? notice.title + "." : notice.summary;
    notify::Email email;
    email.recipient = address;
    email.subject = notice.title;
    email.text = std::string("Bonjour,\n\n")
                     .append(sentence)
                     .append("\nPour le lire : ")
                     .append(url)
                     .append("\n\nVous recevez ce courriel car vous avez choisi d'être prévenu des notifications de "
                             "votre établissement ; vous pouvez changer ce choix dans vos préférences (")
                     .append(public_url)
                     .append("/preferences/notifications).\n");
    email.html = std::string("<p>Bonjour,</p>\n<p>")
                     .append(html_escaped(sentence))
                     .append("</p>\n<p><a href=\"")
                     .append(html_escaped(url))
                     .append("\">Le lire dans l'ENT</a></p>\n<p><small>Vous recevez ce courriel car vous avez choisi "
                             "d'être prévenu des notifications de votre établissement ; vous pouvez changer ce choix "
                             "dans <a href=\"")
                     .append(html_escaped(std::string(public_url).append("/preferences/notifications")))
                     .append("\">vos préférences</a>.</small></p>\n");
    return email;
}

} // namespace

std::span<EventInfo const> events()
{
    return EVENTS;
}

EventInfo const& info(Event event)
{
    for (auto const& entry : EVENTS) {
        if (entry.event == event)
            return entry;
    }
    return EVENTS.front();
}

EventInfo const* find_event(std::string_view code)
{
    for (auto const& entry : EVENTS) {
        if (entry.code == code)
            return &entry;
    }
    return nullptr;
}

std::string_view channel_code(Channel channel)
{
    switch (channel) {
    case Channel::Ent:
        return "ent";
    case Channel::Email:
        return "email";
    case Channel::Sms:
        return "sms";
    }
    return "ent";
}

bool default_choice(Event event, Channel channel)
{
    switch (channel) {
    case Channel::Ent:
        return true;
    case Channel::Email:
        return info(event).email_by_default;
    case Channel::Sms:
        return false;
    }
    return false;
}

bool wants(soci::session& session, long long user_id, Event event, long long child_id, Channel channel)
{
    return stored_choice(session, user_id, event, child_id, channel).value_or(default_choice(event, channel));
}

std::optional<QuietHours> quiet_hours(soci::session& session, long long user_id)
{
    QuietHours hours;
    session << "SELECT start_minute, end_minute FROM notifications_quiet WHERE user_id = :user", soci::use(user_id),
        soci::into(hours.start_minute), soci::into(hours.end_minute);
    if (!session.got_data())
        return std::nullopt;
    return hours;
}

long long release_time(soci::session& session, long long user_id, long long now)
{
    auto hours = quiet_hours(session, user_id);
    if (!hours || hours->start_minute == hours->end_minute)
        return now;
    auto when = static_cast<std::time_t>(now);
    std::tm parts {};
    localtime_r(&when, &parts);
    long long minute = (parts.tm_hour * 60LL) + parts.tm_min;
    bool quiet = hours->start_minute < hours->end_minute ? minute >= hours->start_minute && minute < hours->end_minute
                                                         : minute >= hours->start_minute || minute < hours->end_minute;
    return quiet ? next_local_minute(now, hours->end_minute % MINUTES_PER_DAY) : now;
}

Published publish(soci::session& session, Notification const& notice, std::string_view public_url, long long now)
{
    Published result;
    auto recipient = identity::store::find_user(session, notice.recipient_id);
    if (!recipient || !recipient->active)
        return result;
    auto const& event = info(notice.event);
    auto const person = notice.recipient_id;
    if (wants(session, person, notice.event, notice.child_id, Channel::Ent)) {
        std::string code(event.code);
        session << "INSERT INTO notifications_item (recipient_id, event, child_id, structure_id, title, link, "
                   "created_at, read_at) VALUES (:recipient, :event, :child, :structure, :title, :link, :now, 0)",
            soci::use(person), soci::use(code), soci::use(notice.child_id), soci::use(notice.structure_id),
            soci::use(notice.title), soci::use(notice.link), soci::use(now);
        result.in_ent = true;
    }
    bool email = wants(session, person, notice.event, notice.child_id, Channel::Email);
    bool sms = wants(session, person, notice.event, notice.child_id, Channel::Sms);
    if (!email && !sms)
        return result;
    // The guide's opt-ins: nothing leaves the ENT without them.
    auto opt_ins = preferences::choices_of(session, person);
    if (!(event.partner ? opt_ins.notify_partners : opt_ins.notify_structure))
        return result;
    return send_outside(session, notice, email, sms, public_url, now, result);
}

Published send_outside(soci::session& session, Notification const& notice, bool email, bool sms,
    std::string_view public_url, long long now, Published result)
{
    auto const person = notice.recipient_id;
    auto release = release_time(session, person, now);
    if (email) {
        auto address = preferences::reception_email(session, person);
        if (!address.empty()) {
            auto message = email_of(notice, address, public_url);
            message.not_before = release;
            notify::enqueue_email(session, message, now);
            result.email = true;
        }
    }
    if (sms) {
        auto number = preferences::sms_number(session, person);
        if (!number.empty()) {
            notify::Sms message;
            message.number = number;
            message.text = notify::sms_text(
                std::string("Cartable : ").append(notice.title).append(" ").append(public_url).append(notice.link));
            message.not_before = release;
            notify::enqueue_sms(session, message, now);
            result.sms = true;
        }
    }
    return result;
}

std::size_t publish_to_many(soci::session& session, Notification const& notice,
    std::vector<long long> const& recipients, std::string_view public_url, long long now, bool known_active)
{
    std::vector<Addressee> addressees;
    addressees.reserve(recipients.size());
    for (auto const person : recipients)
        addressees.push_back({ person, notice.child_id });
    return publish_about_children(session, notice, addressees, public_url, now, known_active);
}

std::size_t publish_about_children(soci::session& session, Notification const& notice,
    std::vector<Addressee> const& addressees, std::string_view public_url, long long now, bool known_active)
{
    auto const& event = info(notice.event);
    std::string event_code(event.code);
    constexpr std::size_t CHUNK = 500;
    std::vector<long long> people;
    people.reserve(addressees.size());
    for (auto const& addressee : addressees)
        people.push_back(addressee.person);
    std::sort(people.begin(), people.end());
    people.erase(std::unique(people.begin(), people.end()), people.end());
    std::set<long long> active;
    if (known_active) {
        active.insert(people.begin(), people.end());
    } else {
        for (auto const& person : identity::store::find_users(session, people)) {
            if (person.active)
                active.insert(person.id);
        }
    }
    std::vector<Addressee> reached;
    for (auto const& addressee : addressees)
        if (active.contains(addressee.person))
            reached.push_back(addressee);
    std::sort(reached.begin(), reached.end(), [](Addressee const& a, Addressee const& b) {
        return std::pair(a.person, a.child) < std::pair(b.person, b.child);
    });
    reached.erase(
        std::unique(reached.begin(), reached.end(),
            [](Addressee const& a, Addressee const& b) { return a.person == b.person && a.child == b.child; }),
        reached.end());
    std::vector<long long> const active_list(active.begin(), active.end());
    // The choices that differ from the defaults (per child), and the
    // opt-ins, in a few queries.
    std::map<std::tuple<long long, long long, std::string>, bool> choices;
    std::set<long long> opted_in;
    for (std::size_t start = 0; start < active_list.size(); start += CHUNK) {
        auto list = db::id_list(std::span(active_list).subspan(start, std::min(CHUNK, active_list.size() - start)));
        long long user = 0;
        long long child = 0;
        std::string channel;
        long long enabled = 0;
        soci::statement stored = (session.prepare << "SELECT user_id, child_id, channel, enabled FROM "
                                                     "notifications_choice WHERE event = :event AND user_id IN ("
                    + list + ")",
            soci::use(event_code), soci::into(user), soci::into(child), soci::into(channel), soci::into(enabled));
        stored.execute();
        while (stored.fetch())
            choices[{ user, child, channel }] = enabled != 0;
        soci::statement opted = (session.prepare << std::string("SELECT user_id FROM preferences_person WHERE ")
                    + (event.partner ? "notify_partners" : "notify_structure") + " = 1 AND user_id IN (" + list + ")",
            soci::into(user));
        opted.execute();
        while (opted.fetch())
            opted_in.insert(user);
    }
    auto wanted = [&](Addressee const& addressee, Channel channel) {
        auto found = choices.find({ addressee.person, addressee.child, std::string(channel_code(channel)) });
        return found != choices.end() ? found->second : default_choice(notice.event, channel);
    };
    std::vector<long long> in_ent;
    std::vector<long long> children;
    for (auto const& addressee : reached) {
        if (wanted(addressee, Channel::Ent)) {
            in_ent.push_back(addressee.person);
            children.push_back(addressee.child);
        }
    }
    if (!in_ent.empty() && session.get_backend_name() != "sqlite3") {
        // One statement, one round trip, however many people.
        auto array = db::bigint_array(in_ent);
        auto child_array = db::bigint_array(children);
        session << "INSERT INTO notifications_item (recipient_id, event, child_id, structure_id, title, link, "
                   "created_at, read_at) SELECT t.id, :event, t.child, :structure, :title, :link, :now, 0 "
                   "FROM unnest(CAST(:people AS BIGINT[]), CAST(:children AS BIGINT[])) AS t(id, child)",
            soci::use(event_code), soci::use(notice.structure_id), soci::use(notice.title), soci::use(notice.link),
            soci::use(now), soci::use(array), soci::use(child_array);
    } else if (!in_ent.empty()) {
        // One prepared statement for everyone (soci's bulk binding; SQLite
        // runs in the process, a row costs no round trip).
        std::vector<std::string> codes(in_ent.size(), event_code);
        std::vector<long long> structures(in_ent.size(), notice.structure_id);
        std::vector<std::string> titles(in_ent.size(), notice.title);
        std::vector<std::string> links(in_ent.size(), notice.link);
        std::vector<long long> times(in_ent.size(), now);
        session << "INSERT INTO notifications_item (recipient_id, event, child_id, structure_id, title, link, "
                   "created_at, read_at) VALUES (:recipient, :event, :child, :structure, :title, :link, :now, 0)",
            soci::use(in_ent), soci::use(codes), soci::use(children), soci::use(structures), soci::use(titles),
            soci::use(links), soci::use(times);
    }
    std::size_t outbox_rows = 0;
    for (auto const& addressee : reached) {
        if (!opted_in.contains(addressee.person))
            continue;
        bool email = wanted(addressee, Channel::Email);
        bool sms = wanted(addressee, Channel::Sms);
        if (!email && !sms)
            continue;
        auto one = notice;
        one.recipient_id = addressee.person;
        one.child_id = addressee.child;
        outbox_rows += send_outside(session, one, email, sms, public_url, now, {}).outbox_rows();
    }
    return outbox_rows;
}

bool mark_read_for_link(soci::session& session, long long person_id, std::string const& link, long long now)
{
    soci::statement statement = (session.prepare << "UPDATE notifications_item SET read_at = :now WHERE recipient_id = "
                                                    ":person AND link = :link AND read_at = 0",
        soci::use(now), soci::use(person_id), soci::use(link));
    statement.execute(true);
    return statement.get_affected_rows() > 0;
}

long long unread_count(soci::session& session, long long person_id)
{
    long long count = 0;
    session << "SELECT COUNT(*) FROM notifications_item WHERE recipient_id = :person AND read_at = 0",
        soci::use(person_id), soci::into(count);
    return count;
}

Page page_of(soci::session& session, long long person_id, long long page)
{
    Page result;
    session << "SELECT COUNT(*) FROM notifications_item WHERE recipient_id = :person", soci::use(person_id),
        soci::into(result.total);
    long long limit = PAGE_SIZE;
    long long offset = (page - 1) * PAGE_SIZE;
    Item item;
    std::string event;
    soci::indicator child_first = soci::i_null;
    soci::indicator child_last = soci::i_null;
    std::string first;
    std::string last;
    soci::statement statement
        = (session.prepare << "SELECT n.id, n.event, n.title, n.created_at, n.read_at, c.first_name, c.last_name "
                              "FROM notifications_item n LEFT JOIN identity_user c ON c.id = n.child_id "
                              "WHERE n.recipient_id = :person ORDER BY n.created_at DESC, n.id DESC "
                              "LIMIT :limit OFFSET :offset",
            soci::use(person_id), soci::use(limit), soci::use(offset), soci::into(item.id), soci::into(event),
            soci::into(item.title), soci::into(item.created_at), soci::into(item.read_at),
            soci::into(first, child_first), soci::into(last, child_last));
    statement.execute();
    while (statement.fetch()) {
        auto const* found = find_event(event);
        item.label = found != nullptr ? std::string(found->label) : std::string();
        item.child_name = child_first == soci::i_ok && child_last == soci::i_ok
            ? std::string(first).append(" ").append(last)
            : std::string();
        result.items.push_back(item);
    }
    return result;
}

std::optional<std::string> open_item(soci::session& session, long long person_id, long long id, long long now)
{
    std::string link;
    session << "SELECT link FROM notifications_item WHERE id = :id AND recipient_id = :person", soci::use(id),
        soci::use(person_id), soci::into(link);
    if (!session.got_data())
        return std::nullopt;
    session << "UPDATE notifications_item SET read_at = :now WHERE id = :id AND recipient_id = :person AND read_at = 0",
        soci::use(now), soci::use(id), soci::use(person_id);
    return link;
}

void mark_all_read(soci::session& session, long long person_id, long long now)
{
    session << "UPDATE notifications_item SET read_at = :now WHERE recipient_id = :person AND read_at = 0",
        soci::use(now), soci::use(person_id);
}

void save_choices(soci::session& session, long long user_id, std::vector<StoredChoice> const& choices,
    std::optional<QuietHours> const& quiet)
{
    session << "DELETE FROM notifications_choice WHERE user_id = :user", soci::use(user_id);
    for (auto const& choice : choices) {
        if (choice.enabled == default_choice(choice.event, choice.channel))
            continue;
        std::string event(info(choice.event).code);
        std::string channel(channel_code(choice.channel));
        long long enabled = choice.enabled ? 1 : 0;
        session << "INSERT INTO notifications_choice (user_id, event, child_id, channel, enabled) VALUES (:user, "
                   ":event, :child, :channel, :enabled)",
            soci::use(user_id), soci::use(event), soci::use(choice.child_id), soci::use(channel), soci::use(enabled);
    }
    session << "DELETE FROM notifications_quiet WHERE user_id = :user", soci::use(user_id);
    if (quiet) {
        session << "INSERT INTO notifications_quiet (user_id, start_minute, end_minute) VALUES (:user, :start, :end)",
            soci::use(user_id), soci::use(quiet->start_minute), soci::use(quiet->end_minute);
    }
}

std::string personal_data_json(soci::session& session, long long person_id)
{
    boost::json::object result;
    boost::json::array items;
    {
        std::string event;
        std::string title;
        std::string link;
        long long created = 0;
        long long read = 0;
        soci::statement statement
            = (session.prepare << "SELECT event, title, link, created_at, read_at FROM notifications_item "
                                  "WHERE recipient_id = :person ORDER BY created_at, id",
                soci::use(person_id), soci::into(event), soci::into(title), soci::into(link), soci::into(created),
                soci::into(read));
        statement.execute();
        while (statement.fetch()) {
            auto const* found = find_event(event);
            boost::json::object item;
            item["evenement"] = found != nullptr ? std::string(found->label) : event;
            item["titre"] = title;
            item["lien"] = link;
            item["date"] = created;
            item["lue_le"] = read;
            items.push_back(std::move(item));
        }
    }
    result["notifications"] = std::move(items);
    boost::json::array choices;
    {
        std::string event;
        long long child = 0;
        std::string channel;
        long long enabled = 0;
        soci::statement statement
            = (session.prepare << "SELECT event, child_id, channel, enabled FROM notifications_choice "
                                  "WHERE user_id = :person ORDER BY event, child_id, channel",
                soci::use(person_id), soci::into(event), soci::into(child), soci::into(channel), soci::into(enabled));
        statement.execute();
        while (statement.fetch()) {
            boost::json::object choice;
            choice["evenement"] = event;
            choice["enfant"] = child;
            choice["canal"] = channel;
            choice["active"] = enabled != 0;
            choices.push_back(std::move(choice));
        }
    }
    result["choix"] = std::move(choices);
    if (auto quiet = quiet_hours(session, person_id)) {
        boost::json::object hours;
        hours["debut_minutes"] = quiet->start_minute;
        hours["fin_minutes"] = quiet->end_minute;
        result["heures_calmes"] = std::move(hours);
    }
    return boost::json::serialize(result);
}

void forget_person(soci::session& session, long long person_id)
{
    session << "DELETE FROM notifications_item WHERE recipient_id = :person", soci::use(person_id);
    session << "DELETE FROM notifications_choice WHERE user_id = :person", soci::use(person_id);
    session << "DELETE FROM notifications_quiet WHERE user_id = :person", soci::use(person_id);
}

} // namespace cartable::notifications
