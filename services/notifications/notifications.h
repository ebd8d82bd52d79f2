// SPDX-License-Identifier: AGPL-3.0-or-later
// The notifications: what the ENT tells a person about an event of another
// service (a message, homework, a liaison note, an absence, a grade, an
// article). One call, `publish`, in the event's own transaction, writes the
// notification of the centre (the bell, /notifications) and, after the
// person's choices (« Préférences » > « Notifications ») and the guide's two
// opt-ins, the e-mail and the SMS of core/notify's outbox.
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include <soci/soci.h>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cartable {
struct Context;
struct Services;
} // namespace cartable

namespace cartable::notifications {

// The fixed list of events, each with its French label.
enum class Event { Message, Homework, LiaisonNote, Absence, Grade, Article, TimetableChange };

struct EventInfo {
    Event event;
    std::string_view code; // stored: "message", "homework", …
    std::string_view label; // « Nouveau message »
    bool about_child; // told to a guardian for each child
    bool partner; // sent by a partner (opt-in « … des partenaires »), else by the structure
    bool email_by_default; // once the person opted in to e-mail at all
};

std::span<EventInfo const> events();
EventInfo const& info(Event);
EventInfo const* find_event(std::string_view code);

enum class Channel { Ent, Email, Sms };

struct Notification {
    long long recipient_id { 0 };
    Event event { Event::Message };
    long long child_id { 0 }; // the child it is about, for a guardian; 0: none
    long long structure_id { 0 };
    // Short French text, nothing personal beyond who wrote or what kind of
    // item: « Nouveau message de Samuel BEAUMONT ».
    std::string title;
    // The item's path: « /messagerie/messages/12 ».
    std::string link;
    // The e-mail's sentence (default: the title): « Samuel BEAUMONT vous a
    // écrit dans la messagerie de votre ENT. »
    std::string summary;
};

struct Published {
    bool in_ent { false };
    bool email { false };
    bool sms { false };
    std::size_t outbox_rows() const { return (email ? 1U : 0U) + (sms ? 1U : 0U); }
};

// Writes the notification and the outbox rows in the caller's transaction.
// E-mails and SMS due in the person's quiet hours wait until their end.
// `public_url` begins the links of e-mails and SMS.
Published publish(soci::session&, Notification const&, std::string_view public_url, long long now);

// The same notification to many people (a message to a whole school): the
// same outcome as `publish` for each, in a few queries and one bulk insert.
// The number of outbox rows (e-mails and SMS) written.
// `known_active`: the caller has just read the recipients and kept only
// active accounts (they are not read again).
std::size_t publish_to_many(soci::session&, Notification const& notice, std::vector<long long> const& recipients,
    std::string_view public_url, long long now, bool known_active = false);
// The same for people told each about one child (a guardian of two
// children addressed gets one notification per child, each following that
// child's choices); `notice.child_id` is ignored.
struct Addressee {
    long long person { 0 };
    long long child { 0 };
};
std::size_t publish_about_children(soci::session&, Notification const& notice, std::vector<Addressee> const& addressees,
    std::string_view public_url, long long now, bool known_active = false);
// Part of `publish`: the e-mail and the SMS of a person who opted in.
Published send_outside(soci::session&, Notification const&, bool email, bool sms, std::string_view public_url,
    long long now, Published so_far);
// After the commit: the bell of these people is read again, the delivery
// workers are woken if `outbox_rows` were written.
void published(Services&, std::span<long long const> recipients, std::size_t outbox_rows);
void forget_unread(Services&, long long person_id);
// The person opened the item itself (a message read in the messagerie):
// its notifications are read too. Whether one was unread.
bool mark_read_for_link(soci::session&, long long person_id, std::string const& link, long long now);

// Whether the person wants that event on that channel (for that child).
bool wants(soci::session&, long long user_id, Event, long long child_id, Channel);
// When an e-mail or SMS written now may leave (now outside quiet hours).
long long release_time(soci::session&, long long user_id, long long now);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
// The bell of the top bar.
ErrorOr<void> start(Services&);

} // namespace cartable::notifications
