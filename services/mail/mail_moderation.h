// SPDX-License-Identifier: AGPL-3.0-or-later
// Abuse containment of the messagerie (issue #5): a cap of recipients per
// hour beyond which a message waits for a staff member's approval,
// suspensions (one account, or the whole structure but its staff), recalls
// and « Signaler » (services/mail/README.md).
#pragma once

#include "core/context.h"
#include "core/view/mustache.h"
#include "services/mail/mail.h"
#include <cstddef>
#include <string>

namespace cartable::mail::moderation {

// Held messages, reports, recalls and suspensions of one's structure.
inline constexpr char const* MODERATE = "mail.moderate";
inline constexpr long long CAP_WINDOW_SECONDS = 3600;

enum class Outcome { Send, Hold, Refuse };

struct Verdict {
    Outcome outcome { Outcome::Send };
    std::string message; // why, when refused
};

// The recipients of the messages the sender sent in the hour before `now`.
long long recipients_in_last_hour(soci::session&, long long sender_id, long long now);
bool account_suspended(soci::session&, long long user_id);
bool structure_suspended(soci::session&, long long structure_id);

// Whether a message of `recipient_count` recipients may leave now: refused
// while the sender's messagerie (or, but for staff and administrators, the
// structure's) is suspended; held beyond the cap of the sender's profile.
Verdict check_before_send(soci::session&, identity::User const& sender, std::size_t recipient_count, long long now);
// Holds a draft just saved instead of sending it: the sender's copy into
// « Messages envoyés », no recipient's entry, queued for the staff.
void hold(
    soci::session&, identity::User const& sender, long long message_id, std::size_t recipient_count, long long now);

// What the read page adds: the message's state for its sender (awaiting
// approval, recalled), « Signaler » for its recipients.
ErrorOr<void> add_to_reading(Context&, Entry const&, view::Data&);
bool may_moderate(Context&);
// The folder pages' link to the moderation, for the staff, with the number
// of held messages and of reported messages not yet closed.
ErrorOr<void> add_to_folder(Context&, view::Data&);

// The reports a person made, for « Mes données » (a JSON array).
std::string reports_json(soci::session&, long long person_id);
// A former member's held messages, reports and suspension, removed with
// their personal data.
void forget_person(soci::session&, long long person_id);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
// « Mes données » (key `signalements`) and the departure handler.
ErrorOr<void> start(Services&);

} // namespace cartable::mail::moderation
