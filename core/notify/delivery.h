// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include "core/db/database.h"
#include "core/error.h"
#include "core/notify/outbox.h"
#include "core/notify/sms.h"
#include "core/notify/smtp.h"
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

namespace cartable {
struct Services;
}

// The delivery worker: one thread that claims the outbox's due messages
// (outbox.h) and hands them to a sender — SMTP in the program, a fake in the
// tests — then records the outcome, each step in its own transaction.
namespace cartable::notify {

// Sends one claimed message, giving up when `stop` is requested (the program
// ends); the error's detail is what administrators read.
using Sender = std::function<ErrorOr<void>(Job const&, std::stop_token const& stop)>;
using Clock = std::function<long long()>;

struct DeliveryReport {
    int sent { 0 };
    int failed { 0 }; // attempts that failed (retried later or given up)
};

RetryPolicy retry_policy(Config const&);

// Claims and sends, one by one, every message due at `now`, until `stop`.
DeliveryReport deliver_due(db::Database&, Sender const&, std::string const& owner, RetryPolicy const&, long long now,
    std::stop_token const& stop = {}, std::string_view channel = EMAIL);

// Through SMTP: the message composed (mime.h) with the settings' sender,
// the Message-ID's domain taken from its address.
Sender smtp_sender(SmtpSettings settings);
// Through the SMS gateway (sms.h).
Sender sms_sender(SmsSettings settings);

class Delivery {
public:
    Delivery(db::Database&, Sender, RetryPolicy, Clock, std::string_view channel = EMAIL);
    ~Delivery(); // stops the thread, after the message in hand if any
    Delivery(Delivery const&) = delete;
    Delivery& operator=(Delivery const&) = delete;

    // A message was committed: look now rather than at the next due time.
    void wake();

private:
    void run(std::stop_token const&);

    db::Database& m_database;
    Sender m_sender;
    RetryPolicy m_policy;
    Clock m_clock;
    std::string m_channel;
    std::string m_owner;
    std::mutex m_mutex;
    std::condition_variable_any m_wakeup;
    bool m_woken { false };
    std::jthread m_thread; // last: started once the rest is ready
};

// The program's workers, kept in Services: the e-mail one started when SMTP
// is configured (mail.smtp_host), the SMS one when a gateway is
// (sms.gateway_url); woken by whoever commits a message, stopped at exit.
void start_delivery(Services&);
void wake_delivery(Services&);
void stop_delivery(Services&);

} // namespace cartable::notify
