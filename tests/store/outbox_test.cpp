// SPDX-License-Identifier: AGPL-3.0-or-later
// The e-mail outbox (core/notify): written in the event's transaction,
// claimed with a lease, retried with backoff, failed after the last
// attempt. The clock is the tests' own. Store tests on SQLite and PostgreSQL.
#include "core/notify/delivery.h"
#include "core/notify/outbox.h"
#include "tests/support/test_database.h"
#include <gtest/gtest.h>

using namespace cartable;

namespace {

constexpr long long T0 = 1'750'000'000;

notify::Email email(std::string const& recipient = "andre.chamson@outlook.fr")
{
    return { recipient, "Nouveau mot de passe", "Bonjour,\nle lien : https://ent.example.fr/x\n", "<p>Bonjour,</p>",
        0 };
}

long long enqueue(Services& services, notify::Email const& message, long long now = T0)
{
    auto lease = services.database->lease();
    return notify::enqueue_email(lease.session(), message, now);
}

std::optional<notify::Job> claim(
    Services& services, std::string const& owner, long long now, notify::RetryPolicy policy = {})
{
    auto claimed = services.database->write([&](soci::session& session) -> ErrorOr<std::optional<notify::Job>> {
        return notify::claim_due(session, owner, policy, now);
    });
    return claimed.release_value();
}

notify::Status fail(
    Services& services, long long id, std::string const& owner, long long now, notify::RetryPolicy policy = {})
{
    auto status = services.database->write([&](soci::session& session) -> ErrorOr<notify::Status> {
        return notify::record_failure(session, id, owner, "Couldn't connect to server", policy, now);
    });
    return status.release_value();
}

struct Row {
    std::string status;
    long long attempts { 0 };
    long long next_attempt_at { 0 };
    std::string text;
    std::string last_error;
};

Row row(Services& services, long long id)
{
    Row result;
    auto lease = services.database->lease();
    lease.session() << "SELECT status, attempts, next_attempt_at, text_body, last_error FROM notify_outbox "
                       "WHERE id = :id",
        soci::use(id), soci::into(result.status), soci::into(result.attempts), soci::into(result.next_attempt_at),
        soci::into(result.text), soci::into(result.last_error);
    return result;
}

long long count(Services& services)
{
    long long rows = 0;
    auto lease = services.database->lease();
    lease.session() << "SELECT COUNT(*) FROM notify_outbox", soci::into(rows);
    return rows;
}

} // namespace

TEST(Outbox, AMessageOfARolledBackTransactionIsNeverWritten)
{
    auto services = cartable::testing::fresh_services();
    auto refused = services->database->write([&](soci::session& session) -> ErrorOr<bool> {
        notify::enqueue_email(session, email(), T0);
        return Error::invalid("l'événement est refusé");
    });
    ASSERT_TRUE(refused.is_error());
    EXPECT_EQ(count(*services), 0);
    EXPECT_FALSE(claim(*services, "node-a", T0 + 3600));

    auto committed = services->database->write(
        [&](soci::session& session) -> ErrorOr<long long> { return notify::enqueue_email(session, email(), T0); });
    ASSERT_FALSE(committed.is_error());
    EXPECT_EQ(count(*services), 1);
    EXPECT_EQ(row(*services, committed.value()).status, "pending");
}

TEST(Outbox, AClaimedMessageIsLeasedSoNoOtherWorkerSendsItMeanwhile)
{
    auto services = cartable::testing::fresh_services();
    auto id = enqueue(*services, email());
    auto first = claim(*services, "node-a", T0);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->id, id);
    EXPECT_EQ(first->attempts, 1);
    EXPECT_EQ(first->email.recipient, "andre.chamson@outlook.fr");
    EXPECT_FALSE(first->message_id.empty());
    EXPECT_EQ(row(*services, id).status, "sending");

    // Another node, or this one after a restart, finds it held.
    EXPECT_FALSE(claim(*services, "node-b", T0));
    EXPECT_FALSE(claim(*services, "node-b", T0 + notify::LEASE_SECONDS - 1));
    // The holder died while sending: once the lease runs out it is taken again.
    auto second = claim(*services, "node-b", T0 + notify::LEASE_SECONDS);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->attempts, 2);
    EXPECT_EQ(second->message_id, first->message_id);
    // The first holder's late failure does not undo the second's claim.
    EXPECT_EQ(fail(*services, id, "node-a", T0 + notify::LEASE_SECONDS), notify::Status::Sending);
    EXPECT_EQ(row(*services, id).status, "sending");
}

TEST(Outbox, RetryDelaysGrowThenStayAtSixHours)
{
    EXPECT_EQ(notify::retry_delay(1, 60), 60);
    EXPECT_EQ(notify::retry_delay(2, 60), 300);
    EXPECT_EQ(notify::retry_delay(3, 60), 1800);
    EXPECT_EQ(notify::retry_delay(4, 60), 7200);
    EXPECT_EQ(notify::retry_delay(5, 60), 21600);
    EXPECT_EQ(notify::retry_delay(12, 60), 21600);
    EXPECT_EQ(notify::retry_delay(2, 1), 5);
}

TEST(Outbox, FailuresAreRetriedWithBackoffThenMarkedFailed)
{
    auto services = cartable::testing::fresh_services();
    notify::RetryPolicy policy { 3, 60 };
    auto id = enqueue(*services, email());

    ASSERT_TRUE(claim(*services, "node-a", T0, policy));
    EXPECT_EQ(fail(*services, id, "node-a", T0, policy), notify::Status::Pending);
    auto after_first = row(*services, id);
    EXPECT_EQ(after_first.next_attempt_at, T0 + 60);
    EXPECT_EQ(after_first.last_error, "Couldn't connect to server");
    EXPECT_FALSE(claim(*services, "node-a", T0 + 59, policy));

    ASSERT_TRUE(claim(*services, "node-a", T0 + 60, policy));
    EXPECT_EQ(fail(*services, id, "node-a", T0 + 60, policy), notify::Status::Pending);
    EXPECT_EQ(row(*services, id).next_attempt_at, T0 + 60 + 300);
    EXPECT_FALSE(claim(*services, "node-a", T0 + 359, policy));

    auto third = claim(*services, "node-a", T0 + 360, policy);
    ASSERT_TRUE(third);
    EXPECT_EQ(third->attempts, 3);
    EXPECT_EQ(fail(*services, id, "node-a", T0 + 360, policy), notify::Status::Failed);
    EXPECT_FALSE(claim(*services, "node-a", T0 + 100'000, policy));

    // The administrators see it, and « Réessayer maintenant » starts again.
    std::vector<notify::Undelivered> listed;
    {
        auto lease = services->database->lease();
        listed = notify::undelivered(lease.session(), 10);
        EXPECT_EQ(notify::counts(lease.session(), T0 + 400).failed, 1);
        EXPECT_TRUE(notify::retry_now(lease.session(), id, T0 + 400));
        EXPECT_FALSE(notify::retry_now(lease.session(), id, T0 + 400));
    }
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_EQ(listed.front().status, notify::Status::Failed);
    EXPECT_EQ(listed.front().attempts, 3);
    auto retried = claim(*services, "node-a", T0 + 400, policy);
    ASSERT_TRUE(retried);
    EXPECT_EQ(retried->attempts, 1);
}

TEST(Outbox, DeliverySendsEachMessageOnceAndErasesItsBodies)
{
    auto services = cartable::testing::fresh_services();
    auto first = enqueue(*services, email("andre.chamson@outlook.fr"));
    auto second = enqueue(*services, email("sophie.roux@orange.fr"));
    std::vector<std::string> sent_to;
    notify::Sender sender = [&](notify::Job const& job, std::stop_token const&) -> ErrorOr<void> {
        sent_to.push_back(job.email.recipient);
        return {};
    };
    auto report = notify::deliver_due(*services->database, sender, "node-a", {}, T0);
    EXPECT_EQ(report.sent, 2);
    EXPECT_EQ(notify::deliver_due(*services->database, sender, "node-a", {}, T0 + 86400).sent, 0);
    EXPECT_EQ(sent_to, (std::vector<std::string> { "andre.chamson@outlook.fr", "sophie.roux@orange.fr" }));
    for (long long id : std::vector<long long> { first, second }) {
        EXPECT_EQ(row(*services, id).status, "sent");
        EXPECT_EQ(row(*services, id).text, "");
    }
    // Sent messages are kept a month, then dropped.
    auto lease = services->database->lease();
    notify::purge(lease.session(), T0 + notify::SENT_KEPT_SECONDS - 1);
    EXPECT_EQ(count(*services), 2);
    notify::purge(lease.session(), T0 + notify::SENT_KEPT_SECONDS + 1);
    EXPECT_EQ(count(*services), 0);
}

TEST(Outbox, AFailedSendIsRetriedByTheNextRoundOnceDue)
{
    auto services = cartable::testing::fresh_services();
    auto id = enqueue(*services, email());
    bool server_up = false;
    int calls = 0;
    notify::Sender sender = [&](notify::Job const&, std::stop_token const&) -> ErrorOr<void> {
        ++calls;
        if (!server_up)
            return Error::internal("Couldn't connect to server");
        return {};
    };
    EXPECT_EQ(notify::deliver_due(*services->database, sender, "node-a", {}, T0).failed, 1);
    server_up = true;
    EXPECT_EQ(notify::deliver_due(*services->database, sender, "node-a", {}, T0 + 30).sent, 0);
    {
        auto lease = services->database->lease();
        EXPECT_EQ(notify::next_due(lease.session()), T0 + 60);
    }
    EXPECT_EQ(notify::deliver_due(*services->database, sender, "node-a", {}, T0 + 60).sent, 1);
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(row(*services, id).status, "sent");
}

TEST(Outbox, AMessagePastItsExpiryIsNotSent)
{
    auto services = cartable::testing::fresh_services();
    auto message = email();
    message.expires_at = T0 + 3600;
    auto id = enqueue(*services, message);
    int calls = 0;
    notify::Sender sender = [&](notify::Job const&, std::stop_token const&) -> ErrorOr<void> {
        ++calls;
        return {};
    };
    EXPECT_EQ(notify::deliver_due(*services->database, sender, "node-a", {}, T0 + 3600).sent, 0);
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(row(*services, id).status, "failed");
    EXPECT_NE(row(*services, id).last_error.find("Expiré"), std::string::npos);
}

TEST(Outbox, AMessageInterruptedAtItsLastAttemptIsNotSentAgain)
{
    auto services = cartable::testing::fresh_services();
    notify::RetryPolicy policy { 1, 60 };
    auto id = enqueue(*services, email());
    ASSERT_TRUE(claim(*services, "node-a", T0, policy));
    // node-a crashed while sending its only attempt.
    EXPECT_FALSE(claim(*services, "node-b", T0 + notify::LEASE_SECONDS, policy));
    EXPECT_EQ(row(*services, id).status, "failed");
}

TEST(Outbox, AddressesAreMaskedForAdministrators)
{
    EXPECT_EQ(notify::masked_address("andre.chamson@outlook.fr"), "an•••@outlook.fr");
    EXPECT_EQ(notify::masked_address("abc@outlook.fr"), "•••@outlook.fr");
    EXPECT_EQ(notify::masked_address("éloïse@exemple.fr"), "é•••@exemple.fr");
    EXPECT_EQ(notify::masked_address("sans-arobase"), "•••");
}

TEST(Outbox, EachChannelHasItsWorkerAndAQuietHoursRowWaits)
{
    auto services = cartable::testing::fresh_services();
    auto mail = enqueue(*services, email("andre.chamson@outlook.fr"));
    long long text = 0;
    long long later = 0;
    {
        auto lease = services->database->lease();
        text = notify::enqueue_sms(lease.session(), { "06 12 34 56 78", "Cartable : Nouveau message", 0 }, T0);
        later = notify::enqueue_sms(lease.session(), { "06 87 65 43 21", "Cartable : Nouvelle note", T0 + 600 }, T0);
    }
    std::vector<std::string> emails;
    std::vector<std::string> numbers;
    notify::Sender by_mail = [&](notify::Job const& job, std::stop_token const&) -> ErrorOr<void> {
        emails.push_back(job.email.recipient);
        return {};
    };
    notify::Sender by_sms = [&](notify::Job const& job, std::stop_token const&) -> ErrorOr<void> {
        numbers.push_back(job.email.recipient + " " + job.email.text);
        return {};
    };
    EXPECT_EQ(notify::deliver_due(*services->database, by_mail, "node-a", {}, T0).sent, 1);
    EXPECT_EQ(emails, std::vector<std::string> { "andre.chamson@outlook.fr" });
    EXPECT_EQ(row(*services, text).status, "pending");
    EXPECT_EQ(notify::deliver_due(*services->database, by_sms, "node-a", {}, T0, {}, notify::SMS).sent, 1);
    EXPECT_EQ(numbers, std::vector<std::string> { "06 12 34 56 78 Cartable : Nouveau message" });
    EXPECT_EQ(row(*services, mail).status, "sent");
    EXPECT_EQ(row(*services, later).status, "pending");
    {
        auto lease = services->database->lease();
        EXPECT_EQ(notify::next_due(lease.session(), notify::SMS), T0 + 600);
        EXPECT_EQ(notify::next_due(lease.session()), 0);
        auto listed = notify::undelivered(lease.session(), 10);
        ASSERT_EQ(listed.size(), 1U);
        EXPECT_EQ(listed[0].channel, "sms");
    }
    EXPECT_EQ(notify::deliver_due(*services->database, by_sms, "node-a", {}, T0 + 600, {}, notify::SMS).sent, 1);
    EXPECT_EQ(numbers.size(), 2U);
}
