// SPDX-License-Identifier: AGPL-3.0-or-later
// Abuse containment of the messagerie: the cap of recipients per hour and
// its approval queue, suspensions, recalls and « Signaler ». Every page and
// action here works on the staff member's own structure only: a held
// message, a report, a person or a message of another structure is not
// found (404).
#include "services/mail/mail_moderation.h"
#include "core/html/rich_text.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/notify/delivery.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/admin/admin.h"
#include "services/mail/mail_internal.h"
#include "services/notifications/notifications.h"
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace cartable::mail::moderation {

namespace {

constexpr std::size_t MAX_REASON = 1000;
constexpr long long LARGE_SENDING = 10; // recipients from which a message is listed for recall
constexpr long long LARGE_SENDING_DAYS = 7;
constexpr long long LIST_LIMIT = 100;

constexpr char const* NOT_FOUND = "Ce message n'existe pas ou n'est plus dans votre messagerie.";

bool is_staff(access::Profile profile)
{
    return profile == access::Profile::Staff || profile == access::Profile::Admin;
}

std::string full_name(std::string const& first, std::string const& last, long long id)
{
    if (id == 0)
        return "Ancien membre";
    return std::string(first).append(" ").append(last);
}

view::List lines_of(std::string const& text)
{
    view::List lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        auto line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        view::Data entry;
        entry.set("text", line);
        lines.push_back(std::move(entry));
        start = end + 1;
    }
    return lines;
}

// ---- The store ----

struct HeldMessage {
    long long message_id { 0 };
    long long sender_id { 0 };
    std::string sender_name;
    std::string subject;
    std::string body;
    long long recipient_count { 0 };
    long long held_at { 0 };
};

std::vector<HeldMessage> held_messages(soci::session& session, long long structure_id)
{
    std::vector<HeldMessage> result;
    HeldMessage row;
    std::string first;
    std::string last;
    soci::statement statement
        = (session.prepare << "SELECT h.message_id, COALESCE(m.sender_id, 0), COALESCE(u.first_name, ''), "
                              "COALESCE(u.last_name, ''), m.subject, m.body, h.recipient_count, h.held_at "
                              "FROM mail_held h JOIN mail_message m ON m.id = h.message_id "
                              "LEFT JOIN identity_user u ON u.id = m.sender_id "
                              "WHERE h.structure_id = :structure AND h.state = 'held' "
                              "ORDER BY h.held_at, h.message_id LIMIT :limit",
            soci::use(structure_id), soci::use(LIST_LIMIT), soci::into(row.message_id), soci::into(row.sender_id),
            soci::into(first), soci::into(last), soci::into(row.subject), soci::into(row.body),
            soci::into(row.recipient_count), soci::into(row.held_at));
    statement.execute();
    while (statement.fetch()) {
        row.sender_name = full_name(first, last, row.sender_id);
        result.push_back(row);
    }
    return result;
}

struct Reporter {
    std::string name;
    std::string reason;
    long long reported_at { 0 };
};

// The open reports of one message: the message, and who reported it.
struct Report {
    long long message_id { 0 };
    long long sender_id { 0 };
    std::string sender_name;
    std::string subject;
    std::string body;
    bool recalled { false };
    std::vector<Reporter> reporters; // newest first
};

// The structure's reported messages not yet closed, the most recently
// reported first.
std::vector<Report> reports_of(soci::session& session, long long structure_id)
{
    std::vector<Report> result;
    Report row;
    Reporter reporter;
    std::string first;
    std::string last;
    std::string reporter_first;
    std::string reporter_last;
    long long recalls = 0;
    soci::statement statement = (session.prepare
            << "SELECT r.message_id, COALESCE(m.sender_id, 0), COALESCE(s.first_name, ''), "
               "COALESCE(s.last_name, ''), m.subject, m.body, p.first_name, p.last_name, r.reason, "
               "r.reported_at, (SELECT COUNT(*) FROM mail_recall c WHERE c.message_id = r.message_id) "
               "FROM mail_report r JOIN mail_message m ON m.id = r.message_id "
               "LEFT JOIN identity_user s ON s.id = m.sender_id "
               "JOIN identity_user p ON p.id = r.reporter_id WHERE r.structure_id = :structure "
               "AND r.closed_at IS NULL ORDER BY r.reported_at DESC, r.id DESC LIMIT :limit",
        soci::use(structure_id), soci::use(LIST_LIMIT * 10), soci::into(row.message_id), soci::into(row.sender_id),
        soci::into(first), soci::into(last), soci::into(row.subject), soci::into(row.body), soci::into(reporter_first),
        soci::into(reporter_last), soci::into(reporter.reason), soci::into(reporter.reported_at), soci::into(recalls));
    statement.execute();
    while (statement.fetch()) {
        reporter.name = std::string(reporter_first).append(" ").append(reporter_last);
        auto found = std::find_if(
            result.begin(), result.end(), [&](Report const& report) { return report.message_id == row.message_id; });
        if (found == result.end()) {
            if (static_cast<long long>(result.size()) >= LIST_LIMIT)
                continue;
            row.sender_name = full_name(first, last, row.sender_id);
            row.recalled = recalls > 0;
            row.reporters.clear();
            result.push_back(row);
            found = result.end() - 1;
        }
        found->reporters.push_back(reporter);
    }
    return result;
}

struct Sending {
    long long message_id { 0 };
    long long sender_id { 0 };
    std::string sender_name;
    std::string subject;
    long long sent_at { 0 };
    long long recipient_count { 0 };
    bool recalled { false };
};

// The structure's messages of the last days sent to many people, newest first.
std::vector<Sending> large_sendings(soci::session& session, long long structure_id, long long now)
{
    std::vector<Sending> result;
    Sending row;
    std::string first;
    std::string last;
    long long recalls = 0;
    long long since = now - LARGE_SENDING_DAYS * 86400;
    soci::statement statement
        = (session.prepare << "SELECT m.id, COALESCE(m.sender_id, 0), COALESCE(u.first_name, ''), "
                              "COALESCE(u.last_name, ''), m.subject, m.sent_at, "
                              "(SELECT COUNT(*) FROM mail_recipient r WHERE r.message_id = m.id), "
                              "(SELECT COUNT(*) FROM mail_recall c WHERE c.message_id = m.id) "
                              "FROM mail_message m LEFT JOIN identity_user u ON u.id = m.sender_id "
                              "WHERE m.structure_id = :structure AND m.is_draft = 0 AND m.sent_at > :since "
                              "AND (SELECT COUNT(*) FROM mail_recipient r WHERE r.message_id = m.id) >= :large "
                              "ORDER BY m.sent_at DESC, m.id DESC LIMIT :limit",
            soci::use(structure_id), soci::use(since), soci::use(LARGE_SENDING), soci::use(LIST_LIMIT),
            soci::into(row.message_id), soci::into(row.sender_id), soci::into(first), soci::into(last),
            soci::into(row.subject), soci::into(row.sent_at), soci::into(row.recipient_count), soci::into(recalls));
    statement.execute();
    while (statement.fetch()) {
        row.sender_name = full_name(first, last, row.sender_id);
        row.recalled = recalls > 0;
        result.push_back(row);
    }
    return result;
}

struct Suspended {
    long long user_id { 0 };
    std::string name;
    long long since { 0 };
};

std::vector<Suspended> suspended_accounts(soci::session& session, long long structure_id)
{
    std::vector<Suspended> result;
    Suspended row;
    std::string first;
    std::string last;
    soci::statement statement = (session.prepare
            << "SELECT s.user_id, u.first_name, u.last_name, s.suspended_at FROM mail_suspension s "
               "JOIN identity_user u ON u.id = s.user_id WHERE s.structure_id = :structure "
               "ORDER BY u.last_name, u.first_name, u.id",
        soci::use(structure_id), soci::into(row.user_id), soci::into(first), soci::into(last), soci::into(row.since));
    statement.execute();
    while (statement.fetch()) {
        row.name = std::string(first).append(" ").append(last);
        result.push_back(row);
    }
    return result;
}

// Suspends (user_id 0: the whole structure); false when it already was.
bool suspend(soci::session& session, long long structure_id, long long user_id, long long by, long long now)
{
    if (user_id != 0 ? account_suspended(session, user_id) : structure_suspended(session, structure_id))
        return false;
    soci::indicator user_indicator = user_id != 0 ? soci::i_ok : soci::i_null;
    session << "INSERT INTO mail_suspension (structure_id, user_id, suspended_by, suspended_at) "
               "VALUES (:structure, :user, :by, :now)",
        soci::use(structure_id), soci::use(user_id, user_indicator), soci::use(by), soci::use(now);
    return true;
}

bool lift(soci::session& session, long long structure_id, long long user_id)
{
    if (user_id != 0) {
        soci::statement statement
            = (session.prepare << "DELETE FROM mail_suspension WHERE user_id = :user", soci::use(user_id));
        return changed(statement);
    }
    soci::statement statement = (session.prepare << "DELETE FROM mail_suspension WHERE structure_id = :structure "
                                                    "AND user_id IS NULL",
        soci::use(structure_id));
    return changed(statement);
}

struct MessageFacts {
    long long sender_id { 0 };
    std::string sender_name;
    std::string subject;
    long long is_draft { 0 };
    long long sent_at { 0 };
};

// A message of that structure; nothing for another structure's.
std::optional<MessageFacts> message_in(soci::session& session, long long structure_id, long long message_id)
{
    MessageFacts facts;
    std::string first;
    std::string last;
    session << "SELECT COALESCE(m.sender_id, 0), COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), m.subject, "
               "m.is_draft, COALESCE(m.sent_at, 0) FROM mail_message m LEFT JOIN identity_user u ON u.id = m.sender_id "
               "WHERE m.id = :id AND m.structure_id = :structure",
        soci::use(message_id), soci::use(structure_id), soci::into(facts.sender_id), soci::into(first),
        soci::into(last), soci::into(facts.subject), soci::into(facts.is_draft), soci::into(facts.sent_at);
    if (!session.got_data())
        return std::nullopt;
    facts.sender_name = full_name(first, last, facts.sender_id);
    return facts;
}

std::string in_quotes(std::string const& subject)
{
    return std::string("« ").append(subject.empty() ? std::string("(Sans objet)") : subject).append(" »");
}

// ---- The pages ----

std::string notice_of(std::string_view code, std::string const& count)
{
    if (code == "valide")
        return "Le message est envoyé à ses destinataires.";
    if (code == "refuse")
        return "Le message est refusé : son expéditeur en est informé et le retrouve dans ses brouillons.";
    if (code == "rappele")
        return "Le message est rappelé : il est retiré de " + count + " boîte(s) de réception.";
    if (code == "classe")
        return "Les signalements de ce message sont classés.";
    if (code == "deja-rappele")
        return "Ce message a déjà été rappelé.";
    if (code == "suspendue")
        return "La messagerie de l'établissement est suspendue : seuls les personnels et les administrateurs "
               "peuvent envoyer des messages.";
    if (code == "retablie")
        return "La messagerie de l'établissement est rétablie.";
    if (code == "compte-suspendu")
        return "La messagerie de cette personne est suspendue : elle ne peut plus envoyer de message.";
    if (code == "compte-retabli")
        return "La messagerie de cette personne est rétablie.";
    return {};
}

ErrorOr<http::Response> show_moderation(Context& context)
{
    auto const& staff = context.user();
    struct Content {
        bool suspended { false };
        std::vector<HeldMessage> held;
        std::vector<Report> reports;
        std::vector<Sending> sendings;
        std::vector<Suspended> accounts;
    };
    auto content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Content> {
        Content result;
        result.suspended = structure_suspended(session, staff.structure_id);
        result.held = held_messages(session, staff.structure_id);
        result.reports = reports_of(session, staff.structure_id);
        result.sendings = large_sendings(session, staff.structure_id, context.now);
        result.accounts = suspended_accounts(session, staff.structure_id);
        return result;
    }));
    view::Data data;
    data.set("structure_suspended", content.suspended);
    view::List held;
    for (auto const& message : content.held) {
        view::Data item;
        item.set("id", std::to_string(message.message_id));
        item.set("sender", message.sender_name);
        item.set("sender_id", std::to_string(message.sender_id));
        item.set("has_sender", message.sender_id != 0);
        item.set("recipients", std::to_string(message.recipient_count));
        item.set("subject", message.subject);
        item.set("lines", lines_of(html::plain_text(message.body)));
        item.set("date", i18n::format_long_datetime(message.held_at));
        held.push_back(std::move(item));
    }
    data.set("has_held", !held.empty());
    data.set("held", std::move(held));
    view::List reports;
    for (auto const& report : content.reports) {
        view::Data item;
        item.set("message_id", std::to_string(report.message_id));
        item.set("sender", report.sender_name);
        item.set("sender_id", std::to_string(report.sender_id));
        item.set("has_sender", report.sender_id != 0);
        item.set("subject", report.subject);
        item.set("lines", lines_of(html::plain_text(report.body)));
        view::List reporters;
        for (auto const& reporter : report.reporters) {
            view::Data entry;
            entry.set("name", reporter.name);
            entry.set("reason", reporter.reason);
            entry.set("date", i18n::format_long_datetime(reporter.reported_at));
            reporters.push_back(std::move(entry));
        }
        item.set("reporters", std::move(reporters));
        item.set("recalled", report.recalled);
        reports.push_back(std::move(item));
    }
    data.set("has_reports", !reports.empty());
    data.set("reports", std::move(reports));
    view::List sendings;
    for (auto const& sending : content.sendings) {
        view::Data item;
        item.set("message_id", std::to_string(sending.message_id));
        item.set("sender", sending.sender_name);
        item.set("subject", sending.subject);
        item.set("recipients", std::to_string(sending.recipient_count));
        item.set("date", i18n::format_long_datetime(sending.sent_at));
        item.set("recalled", sending.recalled);
        sendings.push_back(std::move(item));
    }
    data.set("has_sendings", !sendings.empty());
    data.set("sendings", std::move(sendings));
    view::List accounts;
    for (auto const& account : content.accounts) {
        view::Data item;
        item.set("id", std::to_string(account.user_id));
        item.set("name", account.name);
        item.set("since", i18n::format_long_datetime(account.since));
        accounts.push_back(std::move(item));
    }
    data.set("has_accounts", !accounts.empty());
    data.set("accounts", std::move(accounts));
    data.set("notice", notice_of(context.request.query.get("fait"), context.request.query.get("n")));
    return view::render(
        context, "mail/moderation", std::move(data), "Modération de la messagerie", view::MenuEntry::Mail);
}

ErrorOr<http::Response> approve_held(Context& context)
{
    auto id = parse_id(context.request.parameter("id"));
    auto const& staff = context.user();
    std::vector<long long> recipients;
    std::size_t notices = 0;
    auto done = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<bool> {
        auto facts = message_in(session, staff.structure_id, id);
        if (!facts || facts->sender_id == 0)
            return false;
        auto sender = identity::store::find_user(session, facts->sender_id);
        if (!sender)
            return false;
        soci::statement claim = (session.prepare << "UPDATE mail_held SET state = 'approved', decided_by = :staff, "
                                                    "decided_at = :now WHERE message_id = :id "
                                                    "AND structure_id = :structure AND state = 'held'",
            soci::use(staff.id), soci::use(context.now), soci::use(id), soci::use(staff.structure_id));
        if (!changed(claim))
            return false;
        send_draft(session, facts->sender_id, id, context.now);
        recipients = ids_of(session, "SELECT user_id FROM mail_recipient WHERE message_id = :id", id);
        // Told now, as if it had left at once: the bell, e-mail or SMS.
        notices = enqueue_notices(session, *sender, recipients, context.public_url(), id, context.now);
        identity::store::audit_in(session, staff.id, staff.structure_id, "mail_held_approved",
            std::string("Message ")
                .append(in_quotes(facts->subject))
                .append(" de ")
                .append(facts->sender_name)
                .append(" à ")
                .append(std::to_string(recipients.size()))
                .append(" destinataire(s)"));
        return true;
    }));
    if (!done)
        return Error::not_found("Ce message n'attend plus de validation.");
    for (auto person : recipients) {
        forget_unread(context, person);
        notifications::forget_unread(context.services, person);
    }
    if (notices > 0)
        notify::wake_delivery(context.services);
    return http::Response::redirect("/messagerie/moderation?fait=valide");
}

ErrorOr<http::Response> refuse_held(Context& context)
{
    auto id = parse_id(context.request.parameter("id"));
    auto const& staff = context.user();
    long long told = 0;
    auto done = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<bool> {
        auto facts = message_in(session, staff.structure_id, id);
        if (!facts)
            return false;
        soci::statement claim = (session.prepare << "UPDATE mail_held SET state = 'refused', decided_by = :staff, "
                                                    "decided_at = :now WHERE message_id = :id "
                                                    "AND structure_id = :structure AND state = 'held'",
            soci::use(staff.id), soci::use(context.now), soci::use(id), soci::use(staff.structure_id));
        if (!changed(claim))
            return false;
        long long count = 0;
        session << "SELECT recipient_count FROM mail_held WHERE message_id = :id", soci::use(id), soci::into(count);
        session << "UPDATE mail_message SET is_draft = 1, sent_at = NULL WHERE id = :id", soci::use(id);
        if (facts->sender_id != 0) {
            session << "UPDATE mail_entry SET folder = 'drafts', previous_folder = '', folder_id = NULL, deleted = 0 "
                       "WHERE message_id = :id AND owner_id = :sender",
                soci::use(id), soci::use(facts->sender_id);
            if (facts->sender_id != staff.id) {
                // The sender is told by a message of the staff member.
                auto text = std::string("Bonjour,\n\nVotre message ")
                                .append(in_quotes(facts->subject))
                                .append(" adressé à ")
                                .append(std::to_string(count))
                                .append(" destinataire(s) n'a pas été envoyé : un personnel de l'établissement a "
                                        "refusé sa diffusion. Vous le retrouvez dans vos brouillons.\n\n")
                                .append(staff.display_name());
                auto notice = save_draft(session, staff, std::nullopt, { facts->sender_id },
                    std::string("Message non envoyé : ").append(facts->subject), html::from_plain_text(text),
                    context.now);
                send_draft(session, staff.id, notice, context.now);
                told = facts->sender_id;
            }
        }
        identity::store::audit_in(session, staff.id, staff.structure_id, "mail_held_refused",
            std::string("Message ")
                .append(in_quotes(facts->subject))
                .append(" de ")
                .append(facts->sender_name)
                .append(" à ")
                .append(std::to_string(count))
                .append(" destinataire(s)"));
        return true;
    }));
    if (!done)
        return Error::not_found("Ce message n'attend plus de validation.");
    if (told != 0)
        forget_unread(context, told);
    return http::Response::redirect("/messagerie/moderation?fait=refuse");
}

ErrorOr<http::Response> recall_message(Context& context)
{
    auto id = parse_id(context.request.parameter("id"));
    auto const& staff = context.user();
    enum class Result { NotFound, Already, Done };
    std::vector<long long> owners;
    auto result = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<Result> {
        auto facts = message_in(session, staff.structure_id, id);
        if (!facts || facts->is_draft != 0 || facts->sent_at == 0)
            return Result::NotFound;
        long long recalls = 0;
        session << "SELECT COUNT(*) FROM mail_recall WHERE message_id = :id", soci::use(id), soci::into(recalls);
        if (recalls > 0)
            return Result::Already;
        long long sender = facts->sender_id;
        owners = ids_of(session, "SELECT owner_id FROM mail_entry WHERE message_id = :id ORDER BY owner_id", id);
        std::erase(owners, sender);
        session << "DELETE FROM mail_entry WHERE message_id = :id AND owner_id <> :sender", soci::use(id),
            soci::use(sender);
        auto mailboxes = static_cast<long long>(owners.size());
        session << "INSERT INTO mail_recall (message_id, structure_id, recalled_by, recalled_at, mailboxes) "
                   "VALUES (:id, :structure, :staff, :now, :mailboxes)",
            soci::use(id), soci::use(staff.structure_id), soci::use(staff.id), soci::use(context.now),
            soci::use(mailboxes);
        identity::store::audit_in(session, staff.id, staff.structure_id, "mail_recalled",
            std::string("Message ")
                .append(in_quotes(facts->subject))
                .append(" de ")
                .append(facts->sender_name)
                .append(", retiré de ")
                .append(std::to_string(mailboxes))
                .append(" boîte(s)"));
        return Result::Done;
    }));
    if (result == Result::NotFound)
        return Error::not_found(NOT_FOUND);
    if (result == Result::Already)
        return http::Response::redirect("/messagerie/moderation?fait=deja-rappele");
    for (auto person : owners)
        forget_unread(context, person);
    return http::Response::redirect("/messagerie/moderation?fait=rappele&n=" + std::to_string(owners.size()));
}

// « Classer »: the message's open reports are closed (they leave the list).
ErrorOr<http::Response> close_reports(Context& context)
{
    auto id = parse_id(context.request.parameter("id"));
    auto const& staff = context.user();
    auto closed = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<long long> {
        auto facts = message_in(session, staff.structure_id, id);
        if (!facts)
            return 0;
        soci::statement statement = (session.prepare << "UPDATE mail_report SET closed_by = :staff, closed_at = :now "
                                                        "WHERE message_id = :id AND structure_id = :structure "
                                                        "AND closed_at IS NULL",
            soci::use(staff.id), soci::use(context.now), soci::use(id), soci::use(staff.structure_id));
        statement.execute(true);
        auto count = statement.get_affected_rows();
        if (count > 0)
            identity::store::audit_in(session, staff.id, staff.structure_id, "mail_reports_closed",
                std::string("Message ")
                    .append(in_quotes(facts->subject))
                    .append(" de ")
                    .append(facts->sender_name)
                    .append(" : ")
                    .append(std::to_string(count))
                    .append(" signalement(s) classé(s)"));
        return count;
    }));
    if (closed == 0)
        return Error::not_found("Ce message n'a pas de signalement à classer.");
    return http::Response::redirect("/messagerie/moderation?fait=classe");
}

ErrorOr<http::Response> change_structure_suspension(Context& context)
{
    auto const& staff = context.user();
    bool const suspending = context.request.form.get("action") != "lever";
    TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<bool> {
        bool changed_now = suspending ? suspend(session, staff.structure_id, 0, staff.id, context.now)
                                      : lift(session, staff.structure_id, 0);
        if (changed_now)
            identity::store::audit_in(session, staff.id, staff.structure_id,
                suspending ? "mail_suspended" : "mail_suspension_lifted",
                suspending ? "Toute la messagerie de l'établissement (sauf les personnels et les administrateurs)"
                           : "Toute la messagerie de l'établissement");
        return changed_now;
    }));
    return http::Response::redirect(
        std::string("/messagerie/moderation?fait=").append(suspending ? "suspendue" : "retablie"));
}

// A person of the staff member's structure; 404 for anyone else.
ErrorOr<identity::User> person_of_structure(Context& context)
{
    auto id = parse_id(context.request.parameter("id"));
    auto const structure_id = context.user().structure_id;
    return context.database().read([&](soci::session& session) -> ErrorOr<identity::User> {
        auto person = identity::store::find_user(session, id);
        if (!person || person->structure_id != structure_id)
            return Error::not_found("Cette personne n'existe pas dans votre établissement.");
        return *person;
    });
}

ErrorOr<http::Response> show_person(Context& context)
{
    auto person = TRY(person_of_structure(context));
    struct State {
        bool suspended { false };
        long long last_hour { 0 };
        long long cap { 0 };
    };
    auto state = TRY(context.database().read([&](soci::session& session) -> ErrorOr<State> {
        return State { account_suspended(session, person.id), recipients_in_last_hour(session, person.id, context.now),
            admin::recipient_cap(session, person.structure_id, person.profile) };
    }));
    view::Data data;
    data.set("id", std::to_string(person.id));
    data.set("name", person.display_name());
    data.set("profile", std::string(access::profile_label(person.profile)));
    data.set("suspended", state.suspended);
    data.set("is_self", person.id == context.user().id);
    data.set("last_hour", std::to_string(state.last_hour));
    data.set("cap", std::to_string(state.cap));
    data.set("notice", notice_of(context.request.query.get("fait"), {}));
    return view::render(context, "mail/moderation_person", std::move(data),
        std::string("Messagerie de ").append(person.display_name()), view::MenuEntry::Mail);
}

ErrorOr<http::Response> change_person_suspension(Context& context, bool suspending)
{
    auto person = TRY(person_of_structure(context));
    auto const& staff = context.user();
    if (suspending && person.id == staff.id)
        return Error::forbidden("Vous ne pouvez pas suspendre votre propre messagerie.");
    TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<bool> {
        bool changed_now = suspending ? suspend(session, staff.structure_id, person.id, staff.id, context.now)
                                      : lift(session, staff.structure_id, person.id);
        if (changed_now)
            identity::store::audit_in(session, staff.id, staff.structure_id,
                suspending ? "mail_suspended" : "mail_suspension_lifted",
                std::string("Messagerie de ")
                    .append(person.display_name())
                    .append(" (")
                    .append(person.login)
                    .append(")"));
        return changed_now;
    }));
    return http::Response::redirect(std::string("/messagerie/moderation/personnes/")
                                        .append(std::to_string(person.id))
                                        .append("?fait=")
                                        .append(suspending ? "compte-suspendu" : "compte-retabli"));
}

ErrorOr<http::Response> report_message(Context& context)
{
    auto id = parse_id(context.request.parameter("id"));
    auto const& reporter = context.user();
    auto reason = std::string(trim_text(context.request.form.get("motif")));
    if (!validate::is_utf8(reason) || validate::character_count(reason) > MAX_REASON)
        return Error::invalid("Le motif ne doit pas dépasser 1 000 caractères.");
    enum class Result { NotFound, Own, Already, Done };
    auto result = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<Result> {
        auto entry = find_entry(session, reporter.id, id);
        if (!entry || entry->is_draft)
            return Result::NotFound;
        if (entry->sender_id == reporter.id)
            return Result::Own;
        long long count = 0;
        session << "SELECT COUNT(*) FROM mail_report WHERE message_id = :id AND reporter_id = :reporter", soci::use(id),
            soci::use(reporter.id), soci::into(count);
        if (count > 0)
            return Result::Already;
        long long structure_id = 0;
        session << "SELECT structure_id FROM mail_message WHERE id = :id", soci::use(id), soci::into(structure_id);
        session << "INSERT INTO mail_report (message_id, structure_id, reporter_id, reason, reported_at) "
                   "VALUES (:id, :structure, :reporter, :reason, :now)",
            soci::use(id), soci::use(structure_id), soci::use(reporter.id), soci::use(reason), soci::use(context.now);
        identity::store::audit_in(session, reporter.id, structure_id, "mail_reported",
            std::string("Message ").append(in_quotes(entry->subject)).append(" de ").append(entry->sender_name));
        return Result::Done;
    }));
    if (result == Result::NotFound)
        return Error::not_found(NOT_FOUND);
    if (result == Result::Own)
        return Error::forbidden("Vous ne pouvez pas signaler votre propre message.");
    return http::Response::redirect(std::string("/messagerie/messages/")
                                        .append(std::to_string(id))
                                        .append(result == Result::Done ? "?fait=signale" : "?fait=deja-signale"));
}

} // namespace

long long recipients_in_last_hour(soci::session& session, long long sender_id, long long now)
{
    long long since = now - CAP_WINDOW_SECONDS;
    long long count = 0;
    soci::indicator indicator = soci::i_null;
    session << "SELECT SUM(recipient_count) FROM mail_message WHERE sender_id = :sender AND sent_at > :since",
        soci::use(sender_id), soci::use(since), soci::into(count, indicator);
    return indicator == soci::i_ok ? count : 0;
}

bool account_suspended(soci::session& session, long long user_id)
{
    long long count = 0;
    session << "SELECT COUNT(*) FROM mail_suspension WHERE user_id = :user", soci::use(user_id), soci::into(count);
    return count > 0;
}

bool structure_suspended(soci::session& session, long long structure_id)
{
    long long count = 0;
    session << "SELECT COUNT(*) FROM mail_suspension WHERE structure_id = :structure AND user_id IS NULL",
        soci::use(structure_id), soci::into(count);
    return count > 0;
}

Verdict check_before_send(
    soci::session& session, identity::User const& sender, std::size_t recipient_count, long long now)
{
    if (account_suspended(session, sender.id))
        return { Outcome::Refuse,
            "Votre messagerie est suspendue par l'établissement : votre message n'est pas envoyé. Il vous reste "
            "possible de lire vos messages." };
    if (!is_staff(sender.profile) && structure_suspended(session, sender.structure_id))
        return { Outcome::Refuse,
            "La messagerie de l'établissement est suspendue : seuls les personnels peuvent envoyer des messages. "
            "Votre message n'est pas envoyé." };
    // Sendings of one sender are counted one after the other: SQLite's
    // writers queue already (BEGIN IMMEDIATE); on PostgreSQL the sender's row
    // is locked until the sending's transaction ends, so that a script
    // sending in parallel cannot pass the cap.
    if (session.get_backend_name() == "postgresql") {
        long long locked = 0;
        session << "SELECT id FROM identity_user WHERE id = :sender FOR UPDATE", soci::use(sender.id),
            soci::into(locked);
    }
    auto cap = admin::recipient_cap(session, sender.structure_id, sender.profile);
    if (recipients_in_last_hour(session, sender.id, now) + static_cast<long long>(recipient_count) > cap)
        return { Outcome::Hold, {} };
    return {};
}

void hold(soci::session& session, identity::User const& sender, long long message_id, std::size_t recipient_count,
    long long now)
{
    session << "UPDATE mail_message SET is_draft = 0, sent_at = NULL WHERE id = :id AND sender_id = :sender",
        soci::use(message_id), soci::use(sender.id);
    session << "UPDATE mail_entry SET folder = 'sent' WHERE message_id = :id AND owner_id = :sender",
        soci::use(message_id), soci::use(sender.id);
    // A draft refused once and sent again is queued anew.
    session << "DELETE FROM mail_held WHERE message_id = :id", soci::use(message_id);
    auto count = static_cast<long long>(recipient_count);
    session << "INSERT INTO mail_held (message_id, structure_id, recipient_count, held_at, state) "
               "VALUES (:id, :structure, :count, :now, 'held')",
        soci::use(message_id), soci::use(sender.structure_id), soci::use(count), soci::use(now);
}

ErrorOr<void> add_to_reading(Context& context, Entry const& entry, view::Data& data)
{
    auto const reader = context.user().id;
    auto const id = entry.message_id;
    bool const is_sender = entry.sender_id == reader;
    struct State {
        bool held { false };
        long long recalled_at { 0 };
        bool reported { false };
    };
    auto state = TRY(context.database().read([&](soci::session& session) -> ErrorOr<State> {
        State result;
        long long count = 0;
        if (is_sender) {
            session << "SELECT COUNT(*) FROM mail_held WHERE message_id = :id AND state = 'held'", soci::use(id),
                soci::into(count);
            result.held = count > 0;
            soci::indicator found = soci::i_null;
            session << "SELECT recalled_at FROM mail_recall WHERE message_id = :id", soci::use(id),
                soci::into(result.recalled_at, found);
            if (!session.got_data() || found != soci::i_ok)
                result.recalled_at = 0;
        } else {
            session << "SELECT COUNT(*) FROM mail_report WHERE message_id = :id AND reporter_id = :reader",
                soci::use(id), soci::use(reader), soci::into(count);
            result.reported = count > 0;
        }
        return result;
    }));
    if (state.held)
        data.set("moderation_state",
            "En attente : ce message attend la validation d'un personnel de l'établissement, il n'est pas encore "
            "distribué.");
    else if (state.recalled_at != 0)
        data.set("moderation_state",
            std::string("Rappelé : un personnel de l'établissement a retiré ce message des boîtes de ses "
                        "destinataires le ")
                .append(i18n::format_long_datetime(state.recalled_at))
                .append("."));
    bool const received = !is_sender && !entry.is_draft && entry.folder != "trash";
    data.set("may_report", received && !state.reported);
    data.set("reported", !is_sender && state.reported);
    auto notice = context.request.query.get("fait");
    if (notice == "signale")
        data.set("moderation_notice", "Merci : votre signalement est transmis aux personnels de l'établissement.");
    else if (notice == "deja-signale")
        data.set("moderation_notice", "Vous avez déjà signalé ce message.");
    return {};
}

bool may_moderate(Context& context)
{
    return context.signed_in()
        && context.services.capabilities.allows(MODERATE, context.user().profile, context.user().platform_admin);
}

ErrorOr<void> add_to_folder(Context& context, view::Data& data)
{
    if (!may_moderate(context))
        return {};
    auto const structure_id = context.user().structure_id;
    auto pending = TRY(context.database().read([&](soci::session& session) -> ErrorOr<long long> {
        long long held = 0;
        long long reported = 0;
        session << "SELECT COUNT(*) FROM mail_held WHERE structure_id = :structure AND state = 'held'",
            soci::use(structure_id), soci::into(held);
        session << "SELECT COUNT(DISTINCT message_id) FROM mail_report WHERE structure_id = :structure "
                   "AND closed_at IS NULL",
            soci::use(structure_id), soci::into(reported);
        return held + reported;
    }));
    data.set("may_moderate", true);
    data.set("moderation_pending", pending > 0 ? std::to_string(pending) : std::string());
    return {};
}

std::string reports_json(soci::session& session, long long person_id)
{
    boost::json::array reports;
    std::string subject;
    std::string first;
    std::string last;
    long long sender_id = 0;
    std::string reason;
    long long reported_at = 0;
    soci::statement statement
        = (session.prepare << "SELECT m.subject, COALESCE(m.sender_id, 0), COALESCE(u.first_name, ''), "
                              "COALESCE(u.last_name, ''), r.reason, r.reported_at FROM mail_report r "
                              "JOIN mail_message m ON m.id = r.message_id LEFT JOIN identity_user u "
                              "ON u.id = m.sender_id WHERE r.reporter_id = :person ORDER BY r.reported_at, r.id",
            soci::use(person_id), soci::into(subject), soci::into(sender_id), soci::into(first), soci::into(last),
            soci::into(reason), soci::into(reported_at));
    statement.execute();
    while (statement.fetch()) {
        boost::json::object item;
        item["objet"] = subject;
        item["expediteur"] = full_name(first, last, sender_id);
        item["motif"] = reason;
        item["date"] = reported_at;
        reports.emplace_back(std::move(item));
    }
    return boost::json::serialize(reports);
}

void forget_person(soci::session& session, long long person_id)
{
    // Their messages still waiting for approval were never delivered: they
    // go, as their drafts do; so do their reports and their suspension.
    session << "DELETE FROM mail_message WHERE sender_id = :person AND id IN "
               "(SELECT message_id FROM mail_held WHERE state = 'held')",
        soci::use(person_id);
    session << "DELETE FROM mail_report WHERE reporter_id = :person", soci::use(person_id);
    session << "DELETE FROM mail_suspension WHERE user_id = :person", soci::use(person_id);
}

ErrorOr<void> start(Services& services)
{
    services.personal_data_exporters.emplace_back(
        "signalements", [](Context& context, identity::User const& person) -> ErrorOr<PersonalData> {
            auto json = TRY(context.database().read(
                [&](soci::session& session) -> ErrorOr<std::string> { return reports_json(session, person.id); }));
            return PersonalData { std::move(json), {} };
        });
    services.departure_handlers.emplace_back(
        [](soci::session& session, identity::User const& former, bool) { forget_person(session, former.id); });
    return {};
}

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    return registry.declare({ MODERATE, access::Scope::Structure, { access::Profile::Staff, access::Profile::Admin },
        access::Risk::PersonalData,
        "Modérer la messagerie de son établissement : messages en attente, signalements, rappels, suspensions" });
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/messagerie/moderation", MODERATE, show_moderation },
        { Method::Post, "/messagerie/moderation/attente/{id}/valider", MODERATE, approve_held },
        { Method::Post, "/messagerie/moderation/attente/{id}/refuser", MODERATE, refuse_held },
        { Method::Post, "/messagerie/moderation/messages/{id}/rappeler", MODERATE, recall_message },
        { Method::Post, "/messagerie/moderation/signalements/{id}/classer", MODERATE, close_reports },
        { Method::Post, "/messagerie/moderation/suspension", MODERATE, change_structure_suspension },
        { Method::Get, "/messagerie/moderation/personnes/{id}", MODERATE, show_person },
        { Method::Post, "/messagerie/moderation/personnes/{id}/suspendre", MODERATE,
            [](Context& context) { return change_person_suspension(context, true); } },
        { Method::Post, "/messagerie/moderation/personnes/{id}/retablir", MODERATE,
            [](Context& context) { return change_person_suspension(context, false); } },
        { Method::Post, "/messagerie/messages/{id}/signaler", USE, report_message },
    };
}

} // namespace cartable::mail::moderation
