// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <optional>
#include <soci/soci.h>
#include <string>
#include <string_view>
#include <vector>

// The outbox of e-mails: what an event has to tell someone is written in the
// event's own transaction (`enqueue_email`), then the delivery worker
// (delivery.h) claims each due message with a lease, sends it, and records
// the outcome. Every function takes the caller's session and the time, so a
// test drives the clock.
namespace cartable::notify {

// How long a claimed message is held before another worker may take it
// again: more than one SMTP exchange may take (smtp.h's time-out).
inline constexpr long long LEASE_SECONDS = 10 * 60;
// Sent messages are kept this long (recipient, subject, date), then dropped.
inline constexpr long long SENT_KEPT_SECONDS = 30LL * 24 * 3600;

struct Email {
    std::string recipient; // one address
    std::string subject; // UTF-8, one line
    std::string text; // the plain-text part
    std::string html; // the HTML part (empty: text only)
    // Not sent after this time (0: no limit): a link valid one hour is
    // worth nothing in a message that arrives the next day.
    long long expires_at { 0 };
    // Not sent before this time (0: at once): the recipient's quiet hours.
    long long not_before { 0 };
};

// An SMS: the same outbox, channel 'sms' (recipient: the number; text: at
// most 160 characters; no subject, no HTML).
struct Sms {
    std::string number;
    std::string text;
    long long not_before { 0 };
};

inline constexpr std::string_view EMAIL = "email";
inline constexpr std::string_view SMS = "sms";

enum class Status { Pending, Sending, Sent, Failed };
std::string_view status_code(Status);

struct RetryPolicy {
    int max_attempts { 8 };
    long long first_delay { 60 };
};

// The wait before the next attempt once `attempts` have failed: the first
// delay, then 5, 30, 120 and 360 times it (1 min, 5 min, 30 min, 2 h, 6 h).
long long retry_delay(long long attempts, long long first_delay);

// Writes the message in the caller's transaction: it leaves only if that
// transaction commits. Returns its id.
long long enqueue_email(soci::session&, Email const&, long long now);
// The same for an SMS.
long long enqueue_sms(soci::session&, Sms const&, long long now);

// A message claimed for sending.
struct Job {
    long long id { 0 };
    Email email;
    std::string message_id; // the left part of the Message-ID header, the same at each attempt
    long long attempts { 0 }; // this attempt included
};

// Claims the next due message for `owner` until now + LEASE_SECONDS: a
// pending one whose time has come, or one whose sender's lease ran out (a
// crash while sending). Counts the attempt. Messages past their expiry, or
// interrupted at their last attempt, are marked failed on the way.
// Only messages of `channel` (EMAIL or SMS): each channel has its worker.
std::optional<Job> claim_due(
    soci::session&, std::string const& owner, RetryPolicy const&, long long now, std::string_view channel = EMAIL);
// The message left: its bodies are erased, its row kept a while.
void mark_sent(soci::session&, long long id, long long now);
// The attempt failed: pending again after the backoff, or failed after the
// last attempt. `error` is what the administrators read (no secret).
// Returns the new status; nothing changes if another worker holds it now.
Status record_failure(soci::session&, long long id, std::string const& owner, std::string const& error,
    RetryPolicy const&, long long now);
// When the next message falls due (0: none waits).
long long next_due(soci::session&, std::string_view channel = EMAIL);

// What the administrators see of a message not delivered yet.
struct Undelivered {
    long long id { 0 };
    std::string channel; // "email" or "sms"
    std::string recipient;
    std::string subject;
    Status status { Status::Pending };
    long long attempts { 0 };
    std::string last_error;
    long long next_attempt_at { 0 };
    long long created_at { 0 };
};
// Pending, being sent or failed, the failed first, then the oldest.
std::vector<Undelivered> undelivered(soci::session&, std::size_t limit);

struct Counts {
    long long pending { 0 };
    long long failed { 0 };
    long long sent_recently { 0 }; // in the last 24 hours
};
Counts counts(soci::session&, long long now);

// « Réessayer maintenant »: a failed message is due at once, with a new
// series of attempts. False if it is not failed (sent or retried meanwhile).
bool retry_now(soci::session&, long long id, long long now);
// Drops sent messages older than SENT_KEPT_SECONDS.
void purge(soci::session&, long long now);

// « an•••@example.fr »: enough for an administrator to recognise a
// domain or a person they were told about, not to read the address.
std::string masked_address(std::string_view address);
// « 06••••••78 »: the first and last two digits of a number.
std::string masked_number(std::string_view number);

} // namespace cartable::notify
