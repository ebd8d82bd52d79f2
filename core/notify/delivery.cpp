// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/notify/delivery.h"
#include "core/context.h"
#include "core/identity/tokens.h"
#include "core/log.h"
#include "core/notify/mime.h"
#include "core/notify/sms.h"
#include <algorithm>
#include <ctime>

namespace cartable::notify {

namespace {

// The longest sleep: a message enqueued by another node is seen this late.
constexpr long long LONGEST_WAIT = 30;
constexpr long long PURGE_EVERY = 3600;

long long wall_clock()
{
    return static_cast<long long>(std::time(nullptr));
}

// What log lines call a message of that channel, and its recipient masked.
std::string kind_of(std::string_view channel)
{
    return channel == SMS ? "SMS" : "e-mail";
}

std::string masked(std::string_view channel, std::string const& recipient)
{
    return channel == SMS ? masked_number(recipient) : masked_address(recipient);
}

} // namespace

RetryPolicy retry_policy(Config const& config)
{
    return { config.mail_max_attempts, config.mail_retry_delay_seconds };
}

DeliveryReport deliver_due(db::Database& database, Sender const& sender, std::string const& owner,
    RetryPolicy const& policy, long long now, std::stop_token const& stop, std::string_view channel)
{
    DeliveryReport report;
    auto const kind = kind_of(channel);
    while (!stop.stop_requested()) {
        auto claimed = database.write([&](soci::session& session) -> ErrorOr<std::optional<Job>> {
            return claim_due(session, owner, policy, now, channel);
        });
        if (claimed.is_error()) {
            log::warning(kind + ": claiming the next message failed: " + claimed.error().detail);
            break;
        }
        if (!claimed.value())
            break;
        auto job = std::move(*claimed.value());
        auto who = masked(channel, job.email.recipient);
        auto sent = sender(job, stop);
        if (!sent.is_error()) {
            auto recorded = database.write([&](soci::session& session) -> ErrorOr<bool> {
                mark_sent(session, job.id, now);
                return true;
            });
            if (recorded.is_error())
                log::error(std::string(kind)
                               .append(" ")
                               .append(std::to_string(job.id))
                               .append(" sent but not recorded: ")
                               .append(recorded.error().detail));
            log::info(std::string(kind).append(" ").append(std::to_string(job.id)).append(" sent to ").append(who));
            ++report.sent;
            continue;
        }
        auto const& error = sent.error().detail;
        auto status = database.write([&](soci::session& session) -> ErrorOr<Status> {
            return record_failure(session, job.id, owner, error, policy, now);
        });
        ++report.failed;
        auto line = std::string(kind).append(" ").append(std::to_string(job.id)).append(" to ").append(who);
        line += ", attempt " + std::to_string(job.attempts) + " failed: ";
        line += error;
        line += !status.is_error() && status.value() == Status::Failed ? " (given up)" : " (will retry)";
        log::warning(line);
    }
    return report;
}

Sender smtp_sender(SmtpSettings settings)
{
    return [settings = std::move(settings)](Job const& job, std::stop_token const& stop) -> ErrorOr<void> {
        mime::Message message;
        message.from = settings.from;
        message.to = job.email.recipient;
        message.subject = job.email.subject;
        message.text = job.email.text;
        message.html = job.email.html;
        message.message_id = job.message_id + "@" + mime::domain_of(mime::address_of(settings.from));
        message.date = wall_clock();
        return send_smtp(settings, job.email.recipient, mime::compose(message), stop);
    };
}

Sender sms_sender(SmsSettings settings)
{
    return [settings = std::move(settings)](Job const& job, std::stop_token const& stop) -> ErrorOr<void> {
        return send_sms(settings, job.email.recipient, job.email.text, stop);
    };
}

Delivery::Delivery(db::Database& database, Sender sender, RetryPolicy policy, Clock clock, std::string_view channel)
    : m_database(database)
    , m_sender(std::move(sender))
    , m_policy(policy)
    , m_clock(clock ? std::move(clock) : Clock(wall_clock))
    , m_channel(channel)
    , m_owner(identity::random_token())
    , m_thread([this](std::stop_token const& stop) { run(stop); })
{ }

Delivery::~Delivery()
{
    m_thread.request_stop();
    if (m_thread.joinable())
        m_thread.join();
}

void Delivery::wake()
{
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_wakeup.notify_all();
}

void Delivery::run(std::stop_token const& stop)
{
    long long purged_at = 0;
    while (!stop.stop_requested()) {
        long long wait = LONGEST_WAIT;
        try {
            deliver_due(m_database, m_sender, m_owner, m_policy, m_clock(), stop, m_channel);
            auto now = m_clock();
            if (now - purged_at >= PURGE_EVERY) {
                auto purged = m_database.write([&](soci::session& session) -> ErrorOr<bool> {
                    purge(session, now);
                    return true;
                });
                if (!purged.is_error())
                    purged_at = now;
            }
            auto due = m_database.read(
                [this](soci::session& session) -> ErrorOr<long long> { return next_due(session, m_channel); });
            if (!due.is_error() && due.value() != 0)
                wait = std::clamp<long long>(due.value() - m_clock(), 1, LONGEST_WAIT);
        } catch (std::exception const& error) {
            log::error(kind_of(m_channel) + " delivery: " + error.what());
        }
        std::unique_lock lock(m_mutex);
        m_wakeup.wait_for(lock, stop, std::chrono::seconds(wait), [this] { return m_woken; });
        m_woken = false;
    }
}

void start_delivery(Services& services)
{
    auto const& config = services.config;
    if (config.sms_configured()) {
        // The gateway's address may carry a key in its query: only its host is logged.
        auto url = config.sms_gateway_url;
        auto scheme_end = url.find("://");
        auto host_end = url.find_first_of("/?", scheme_end == std::string::npos ? 0 : scheme_end + 3);
        log::info("SMS: sending through " + url.substr(0, host_end));
        services.sms_delivery = std::make_shared<Delivery>(*services.database,
            sms_sender(SmsSettings::from_config(config)), retry_policy(config), Clock(wall_clock), SMS);
    } else {
        log::info("SMS: no gateway configured (sms.gateway_url): SMS wait in the outbox");
    }
    if (!config.mail_configured()) {
        log::info("e-mail: no SMTP server configured (mail.smtp_host): messages wait in the outbox");
        return;
    }
    auto settings = SmtpSettings::from_config(config);
    log::info("e-mail: sending through " + settings.host + ":" + std::to_string(settings.port) + " ("
        + config.smtp_security + (settings.user.empty() ? "" : ", as " + settings.user) + ")");
    services.mail_delivery = std::make_shared<Delivery>(
        *services.database, smtp_sender(std::move(settings)), retry_policy(config), Clock(wall_clock));
}

void wake_delivery(Services& services)
{
    if (auto delivery = services.mail_delivery)
        delivery->wake();
    if (auto delivery = services.sms_delivery)
        delivery->wake();
}

void stop_delivery(Services& services)
{
    services.mail_delivery.reset();
    services.sms_delivery.reset();
}

} // namespace cartable::notify
