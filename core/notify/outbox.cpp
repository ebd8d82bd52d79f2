// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/notify/outbox.h"
#include "core/identity/tokens.h"
#include <algorithm>
#include <array>

namespace cartable::notify {

namespace {

constexpr std::size_t MAX_ERROR = 500;
constexpr std::size_t CANDIDATES = 5;
constexpr char const* EXPIRED = "Expiré avant l'envoi : ce qu'il annonçait n'est plus valable.";
constexpr char const* INTERRUPTED
    = "Envoi interrompu (arrêt du serveur pendant l'envoi) à la dernière tentative : il n'est pas renvoyé.";

// A row is due when it is pending and its time has come, or when the lease
// of the worker sending it ran out.
// Its two placeholders take the time twice (SQLite would read one name
// twice as one parameter).
constexpr char const* DUE = "((status = 'pending' AND next_attempt_at <= :due_now) "
                            "OR (status = 'sending' AND lease_until <= :due_lease))";

Status status_from(std::string const& code)
{
    if (code == "sending")
        return Status::Sending;
    if (code == "sent")
        return Status::Sent;
    if (code == "failed")
        return Status::Failed;
    return Status::Pending;
}

// Expired messages and those interrupted at their last attempt fail now,
// before anyone claims them.
void fail_hopeless(soci::session& session, RetryPolicy const& policy, long long now)
{
    std::string expired = EXPIRED;
    session << "UPDATE notify_outbox SET status = 'failed', lease_until = 0, last_error = :error "
               "WHERE expires_at > 0 AND expires_at <= :now AND "
            + std::string(DUE),
        soci::use(expired), soci::use(now), soci::use(now), soci::use(now);
    std::string interrupted = INTERRUPTED;
    long long max_attempts = policy.max_attempts;
    session << "UPDATE notify_outbox SET status = 'failed', lease_until = 0, last_error = :error "
               "WHERE status = 'sending' AND lease_until <= :now AND attempts >= :max",
        soci::use(interrupted), soci::use(now), soci::use(max_attempts);
}

} // namespace

std::string_view status_code(Status status)
{
    switch (status) {
    case Status::Pending:
        return "pending";
    case Status::Sending:
        return "sending";
    case Status::Sent:
        return "sent";
    case Status::Failed:
        return "failed";
    }
    return "pending";
}

long long retry_delay(long long attempts, long long first_delay)
{
    constexpr std::array<long long, 5> FACTORS { 1, 5, 30, 120, 360 };
    auto index = static_cast<std::size_t>(std::clamp<long long>(attempts - 1, 0, FACTORS.size() - 1));
    return first_delay * FACTORS.at(index);
}

namespace {

long long insert_row(soci::session& session, std::string_view channel_name, std::string const& recipient,
    std::string const& subject, std::string const& text, std::string const& html, long long expires_at,
    long long not_before, long long now)
{
    auto message_id = identity::random_token();
    std::string channel(channel_name);
    long long next = std::max(now, not_before);
    session << "INSERT INTO notify_outbox (channel, recipient, subject, text_body, html_body, message_id, created_at, "
               "expires_at, status, attempts, next_attempt_at) VALUES (:channel, :recipient, :subject, :text, :html, "
               ":message_id, :created, :expires, 'pending', 0, :next)",
        soci::use(channel), soci::use(recipient), soci::use(subject), soci::use(text), soci::use(html),
        soci::use(message_id), soci::use(now), soci::use(expires_at), soci::use(next);
    long long id = 0;
    session << "SELECT id FROM notify_outbox WHERE message_id = :message_id", soci::use(message_id), soci::into(id);
    return id;
}

} // namespace

long long enqueue_email(soci::session& session, Email const& email, long long now)
{
    return insert_row(session, EMAIL, email.recipient, email.subject, email.text, email.html, email.expires_at,
        email.not_before, now);
}

long long enqueue_sms(soci::session& session, Sms const& sms, long long now)
{
    return insert_row(session, SMS, sms.number, "SMS", sms.text, {}, 0, sms.not_before, now);
}

std::optional<Job> claim_due(soci::session& session, std::string const& owner, RetryPolicy const& policy, long long now,
    std::string_view channel_name)
{
    fail_hopeless(session, policy, now);
    std::string channel(channel_name);
    std::vector<long long> candidates;
    {
        long long id = 0;
        soci::statement statement = (session.prepare << "SELECT id FROM notify_outbox WHERE channel = :channel AND "
                    + std::string(DUE) + " ORDER BY next_attempt_at, id LIMIT " + std::to_string(CANDIDATES),
            soci::use(channel), soci::use(now), soci::use(now), soci::into(id));
        statement.execute();
        while (statement.fetch())
            candidates.push_back(id);
    }
    long long lease_until = now + LEASE_SECONDS;
    for (auto id : candidates) {
        // Taken only if still due: of two workers, the second finds the row
        // held (on PostgreSQL its UPDATE waits for the first and re-reads).
        soci::statement claim
            = (session.prepare << "UPDATE notify_outbox SET status = 'sending', attempts = attempts "
                                  "+ 1, lease_until = :until, lease_owner = :owner WHERE id = :id AND "
                        + std::string(DUE),
                soci::use(lease_until), soci::use(owner), soci::use(id), soci::use(now), soci::use(now));
        claim.execute(true);
        if (claim.get_affected_rows() != 1)
            continue;
        Job job;
        job.id = id;
        session << "SELECT recipient, subject, text_body, html_body, expires_at, message_id, attempts "
                   "FROM notify_outbox WHERE id = :id",
            soci::use(id), soci::into(job.email.recipient), soci::into(job.email.subject), soci::into(job.email.text),
            soci::into(job.email.html), soci::into(job.email.expires_at), soci::into(job.message_id),
            soci::into(job.attempts);
        return job;
    }
    return std::nullopt;
}

void mark_sent(soci::session& session, long long id, long long now)
{
    // Recorded even if the lease ran out meanwhile: the message did leave.
    session << "UPDATE notify_outbox SET status = 'sent', sent_at = :now, lease_until = 0, lease_owner = '', "
               "text_body = '', html_body = '', last_error = '' WHERE id = :id",
        soci::use(now), soci::use(id);
}

Status record_failure(soci::session& session, long long id, std::string const& owner, std::string const& error,
    RetryPolicy const& policy, long long now)
{
    long long attempts = 0;
    std::string status;
    std::string holder;
    session << "SELECT attempts, status, lease_owner FROM notify_outbox WHERE id = :id", soci::use(id),
        soci::into(attempts), soci::into(status), soci::into(holder);
    if (!session.got_data() || status != "sending" || holder != owner)
        return status_from(status);
    auto message = error.substr(0, MAX_ERROR);
    if (attempts >= policy.max_attempts) {
        session << "UPDATE notify_outbox SET status = 'failed', lease_until = 0, lease_owner = '', last_error = :error "
                   "WHERE id = :id",
            soci::use(message), soci::use(id);
        return Status::Failed;
    }
    long long next = now + retry_delay(attempts, policy.first_delay);
    session << "UPDATE notify_outbox SET status = 'pending', lease_until = 0, lease_owner = '', last_error = :error, "
               "next_attempt_at = :next WHERE id = :id",
        soci::use(message), soci::use(next), soci::use(id);
    return Status::Pending;
}

long long next_due(soci::session& session, std::string_view channel_name)
{
    std::string channel(channel_name);
    long long pending = 0;
    long long leased = 0;
    soci::indicator pending_indicator = soci::i_null;
    soci::indicator leased_indicator = soci::i_null;
    session << "SELECT MIN(next_attempt_at) FROM notify_outbox WHERE status = 'pending' AND channel = :channel",
        soci::use(channel), soci::into(pending, pending_indicator);
    session << "SELECT MIN(lease_until) FROM notify_outbox WHERE status = 'sending' AND channel = :channel",
        soci::use(channel), soci::into(leased, leased_indicator);
    long long due = 0;
    if (pending_indicator == soci::i_ok)
        due = pending;
    if (leased_indicator == soci::i_ok && (due == 0 || leased < due))
        due = leased;
    return due;
}

std::vector<Undelivered> undelivered(soci::session& session, std::size_t limit)
{
    std::vector<Undelivered> result;
    Undelivered row;
    std::string status;
    soci::statement statement
        = (session.prepare << "SELECT id, channel, recipient, subject, status, attempts, last_error, "
                              "next_attempt_at, created_at FROM notify_outbox WHERE status <> 'sent' "
                              "ORDER BY CASE WHEN status = 'failed' THEN 0 ELSE 1 END, created_at, id LIMIT "
                    + std::to_string(limit),
            soci::into(row.id), soci::into(row.channel), soci::into(row.recipient), soci::into(row.subject),
            soci::into(status), soci::into(row.attempts), soci::into(row.last_error), soci::into(row.next_attempt_at),
            soci::into(row.created_at));
    statement.execute();
    while (statement.fetch()) {
        row.status = status_from(status);
        result.push_back(row);
    }
    return result;
}

Counts counts(soci::session& session, long long now)
{
    Counts result;
    long long since = now - 24LL * 3600;
    session << "SELECT COUNT(*) FROM notify_outbox WHERE status IN ('pending', 'sending')", soci::into(result.pending);
    session << "SELECT COUNT(*) FROM notify_outbox WHERE status = 'failed'", soci::into(result.failed);
    session << "SELECT COUNT(*) FROM notify_outbox WHERE status = 'sent' AND sent_at >= :since", soci::use(since),
        soci::into(result.sent_recently);
    return result;
}

bool retry_now(soci::session& session, long long id, long long now)
{
    soci::statement statement
        = (session.prepare << "UPDATE notify_outbox SET status = 'pending', attempts = 0, next_attempt_at = :now, "
                              "lease_until = 0, lease_owner = '' WHERE id = :id AND status = 'failed'",
            soci::use(now), soci::use(id));
    statement.execute(true);
    return statement.get_affected_rows() == 1;
}

void purge(soci::session& session, long long now)
{
    long long before = now - SENT_KEPT_SECONDS;
    session << "DELETE FROM notify_outbox WHERE status = 'sent' AND sent_at < :before", soci::use(before);
}

std::string masked_address(std::string_view address)
{
    auto at = address.rfind('@');
    if (at == std::string_view::npos)
        return "•••";
    // The first two bytes of the local part, unless it is that short;
    // never half of a multi-byte character.
    std::size_t shown = at > 3 ? 2 : 0;
    while (shown > 0 && (static_cast<unsigned char>(address[shown]) & 0xC0) == 0x80)
        --shown;
    return std::string(address.substr(0, shown)) + "•••" + std::string(address.substr(at));
}

std::string masked_number(std::string_view number)
{
    std::string digits;
    for (char c : number) {
        if (c >= '0' && c <= '9')
            digits.push_back(c);
    }
    if (digits.size() < 6)
        return "••••";
    std::string result = digits.substr(0, 2);
    for (std::size_t i = 2; i + 2 < digits.size(); ++i)
        result += "•";
    return result.append(digits.substr(digits.size() - 2));
}

} // namespace cartable::notify
