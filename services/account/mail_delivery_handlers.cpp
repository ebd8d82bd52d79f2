// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/account/mail_delivery_handlers.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/notify/delivery.h"
#include "core/notify/outbox.h"
#include "core/view/frame.h"
#include <charconv>

namespace cartable::account {

namespace {

constexpr std::size_t SHOWN = 200;

struct Loaded {
    notify::Counts counts;
    std::vector<notify::Undelivered> messages;
};

std::string status_label(notify::Status status)
{
    switch (status) {
    case notify::Status::Pending:
        return "En attente";
    case notify::Status::Sending:
        return "En cours d'envoi";
    case notify::Status::Sent:
        return "Envoyé";
    case notify::Status::Failed:
        return "Échec";
    }
    return {};
}

view::Data row_of(notify::Undelivered const& message, Config const& config)
{
    view::Data row;
    row.set("id", std::to_string(message.id));
    bool sms = message.channel == notify::SMS;
    bool configured = sms ? config.sms_configured() : config.mail_configured();
    row.set("recipient", sms ? notify::masked_number(message.recipient) : notify::masked_address(message.recipient));
    row.set("subject", sms ? std::string("SMS") : message.subject);
    row.set("status", status_label(message.status));
    row.set("attempts", std::to_string(message.attempts));
    row.set("last_error", message.last_error);
    row.set("created", i18n::format_long_datetime(static_cast<std::time_t>(message.created_at)));
    std::string next;
    if (message.status == notify::Status::Pending)
        next = configured ? i18n::format_long_datetime(static_cast<std::time_t>(message.next_attempt_at))
                          : "quand l'envoi sera configuré";
    row.set("next_attempt", next);
    row.set("failed", message.status == notify::Status::Failed);
    return row;
}

} // namespace

ErrorOr<http::Response> show_mail_delivery(Context& context)
{
    auto loaded = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Loaded> {
        return Loaded { notify::counts(session, context.now), notify::undelivered(session, SHOWN) };
    }));
    bool configured = context.config().mail_configured();
    view::Data data;
    data.set("configured", configured);
    data.set("sms_configured", context.config().sms_configured());
    data.set("pending", std::to_string(loaded.counts.pending));
    data.set("failed", std::to_string(loaded.counts.failed));
    data.set("sent_recently", std::to_string(loaded.counts.sent_recently));
    view::List rows;
    for (auto const& message : loaded.messages)
        rows.push_back(row_of(message, context.config()));
    data.set("has_messages", !rows.empty());
    data.set("messages", std::move(rows));
    auto retried = context.request.query.get("relance");
    data.set("notice", retried == "1" ? "Le message sera envoyé dès que possible." : "");
    data.set("error", retried == "0" ? "Ce message n'est plus en échec : il a été envoyé ou relancé entre-temps." : "");
    return view::render(
        context, "account/mail_delivery", std::move(data), "Envois de courriels", view::MenuEntry::None, 200);
}

ErrorOr<http::Response> retry_mail_now(Context& context)
{
    long long id = 0;
    auto text = context.request.parameter("id");
    std::from_chars(text.data(), text.data() + text.size(), id);
    if (id <= 0)
        return Error::not_found();
    auto const admin_id = context.user().id;
    auto retried = TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        if (!notify::retry_now(session, id, context.now))
            return false;
        identity::store::audit(session, admin_id, "mail_retried", "message " + std::to_string(id));
        return true;
    }));
    if (retried)
        notify::wake_delivery(context.services);
    return http::Response::redirect(std::string("/admin/envois?relance=") + (retried ? "1" : "0"));
}

} // namespace cartable::account
