// SPDX-License-Identifier: AGPL-3.0-or-later
// The author's follow-up of a note: who has signed and who has not, the
// replies, « Relancer », the CSV export and the print view. For the author,
// direction, the CPE and the structure's administrators.
#include "core/i18n/format.h"
#include "core/view/body_memo.h"
#include "core/view/frame.h"
#include "services/liaison_book/liaison_internal.h"
#include "services/notifications/notifications.h"

namespace cartable::liaison_book {

namespace {

std::string follow_up_key(long long note_id)
{
    return "liaison:follow:" + std::to_string(note_id);
}

} // namespace

ErrorOr<std::shared_ptr<FollowUp const>> cached_follow_up(Context& context, Note const& note)
{
    auto const key = follow_up_key(note.id);
    if (auto cached = context.services.shared_results.find(key, context.now))
        return std::static_pointer_cast<FollowUp const>(*cached);
    auto follow = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::shared_ptr<FollowUp const>> {
        return std::make_shared<FollowUp const>(follow_up(session, note));
    }));
    context.services.shared_results.store(key, follow, context.now);
    return follow;
}

void forget_follow_up(Services& services, long long note_id)
{
    services.shared_results.forget(follow_up_key(note_id));
}

namespace {

std::string count_sentence(long long signatures, long long expected)
{
    return std::to_string(signatures) + (signatures > 1 ? " signatures" : " signature") + " sur "
        + std::to_string(expected);
}

constexpr char const* FOLLOW_UP_TEMPLATE = "liaison_book/follow_up";

// The follow-up's table (600 lines of a note to a whole level) is built
// again only when the follow-up read changed (a signature, a reply, a
// reminder forget it) or the note did.
view::BodyMemo& follow_up_memo()
{
    static view::BodyMemo memo(16U << 20U);
    return memo;
}

// The follow-up's table as the template takes it.
view::Data follow_up_data(Context& context, Note const& note, FollowUp const& follow, bool print_view)
{
    view::Data data;
    data.set("print_view", print_view);
    data.set("title", note.title);
    data.set("note_url", note_path(note.id));
    data.set("follow_url", note_path(note.id) + "/suivi");
    data.set("csv_url", note_path(note.id) + "/suivi.csv");
    data.set("print_url", note_path(note.id) + "/impression");
    data.set("remind_url", note_path(note.id) + "/relancer");
    data.set("author", note.author_name);
    data.set("date", i18n::format_long_date(note.created_at));
    data.set("category", std::string(category_label(note.category)));
    data.set("deadline", deadline_text(note.sign_before_day));
    data.set("count", count_sentence(follow.signatures, follow.expected));
    data.set("asks_reply", note.asks_reply);
    data.set("may_remind", follow.signatures < follow.expected);
    if (follow.reminders > 0)
        data.set("reminders",
            "Relancé " + std::to_string(follow.reminders) + " fois, la dernière le "
                + i18n::format_long_datetime(follow.last_reminder_at) + ".");
    view::List lines;
    for (auto const& line : follow.lines) {
        view::Data item;
        item.set("class_name", line.class_name);
        item.set("student", line.student_name);
        item.set("guardian", line.guardian_id != 0 ? line.guardian_name : std::string("Aucun responsable légal connu"));
        item.set("signed", line.signed_at != 0);
        item.set("signed_at", line.signed_at != 0 ? i18n::format_long_datetime(line.signed_at) : std::string());
        view::List replies;
        for (auto const& reply : line.replies)
            replies.push_back(view::Data(reply));
        item.set("has_replies", !replies.empty());
        item.set("replies", std::move(replies));
        lines.push_back(std::move(item));
    }
    data.set("lines", std::move(lines));
    auto notice = context.request.query.get("fait");
    if (notice == "relance") {
        auto told = context.request.query.get("n");
        data.set("notice",
            told == "0" ? std::string("Tous les responsables ont déjà signé : personne n'a été relancé.")
                        : "Rappel envoyé aux responsables qui n'ont pas encore signé (" + told + ").");
    }
    return data;
}

ErrorOr<http::Response> render_follow_up(Context& context, bool print_view)
{
    auto found = TRY(followed_note(context));
    auto const& note = found.note;
    auto const shared = TRY(cached_follow_up(context, note));
    auto title = (print_view ? "Impression – " : "Suivi – ") + note.title;
    // What the body shows besides the follow-up itself (compared by identity).
    auto print = context.request.target + '\n' + context.csrf_token() + '\n' + note.title + '\n' + note.author_name
        + '\n' + std::to_string(note.created_at) + '\n' + std::string(category_label(note.category)) + '\n'
        + std::to_string(note.sign_before_day) + '\n' + std::to_string(context.now / 86400)
        + (note.asks_reply ? " reply" : "") + (print_view ? " print" : "");
    return view::render_remembered(context, follow_up_memo(), std::move(print), shared, FOLLOW_UP_TEMPLATE,
        std::move(title), view::MenuEntry::LiaisonBook,
        [&] { return follow_up_data(context, note, *shared, print_view); });
}

// A CSV field (RFC 4180) that a spreadsheet shows as text, never runs as a
// formula.
std::string csv_field(std::string text)
{
    if (!text.empty() && (text.front() == '=' || text.front() == '+' || text.front() == '-' || text.front() == '@'))
        text.insert(0, "'");
    bool const quote = text.find_first_of(";\"\r\n") != std::string::npos;
    if (!quote)
        return text;
    std::string result = "\"";
    for (char c : text) {
        if (c == '"')
            result += '"';
        result += c;
    }
    return result + "\"";
}

} // namespace

// GET /carnet-de-liaison/mots/{id}/suivi
ErrorOr<http::Response> show_follow_up(Context& context)
{
    return render_follow_up(context, false);
}

// GET /carnet-de-liaison/mots/{id}/impression: the same table for an A4 page.
ErrorOr<http::Response> show_print(Context& context)
{
    return render_follow_up(context, true);
}

// GET /carnet-de-liaison/mots/{id}/suivi.csv: UTF-8 with a BOM and
// semicolons, as French spreadsheets open it.
ErrorOr<http::Response> export_csv(Context& context)
{
    auto found = TRY(followed_note(context));
    auto const shared = TRY(cached_follow_up(context, found.note));
    auto const& follow = *shared;
    std::string csv = "\xEF\xBB\xBF";
    csv += "Classe;Élève;Responsable légal;Signé le;Réponses\r\n";
    for (auto const& line : follow.lines) {
        std::string replies;
        for (auto const& reply : line.replies)
            replies.append(replies.empty() ? "" : " | ").append(reply);
        csv.append(csv_field(line.class_name))
            .append(";")
            .append(csv_field(line.student_name))
            .append(";")
            .append(csv_field(line.guardian_name))
            .append(";")
            .append(line.signed_at != 0 ? i18n::format_long_datetime(line.signed_at) : std::string())
            .append(";")
            .append(csv_field(replies))
            .append("\r\n");
    }
    auto response = http::Response::text(std::move(csv));
    response.set_header("Content-Type", "text/csv; charset=utf-8");
    response.set_header(
        "Content-Disposition", "attachment; filename=\"suivi-mot-" + std::to_string(found.note.id) + ".csv\"");
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

// POST /carnet-de-liaison/mots/{id}/relancer: one reminder per click.
ErrorOr<http::Response> send_reminder(Context& context)
{
    auto found = TRY(readable_note(context));
    if (!found.standing.follows)
        return Error::forbidden(
            "Seul l'auteur du mot, la direction et la vie scolaire relancent les familles.", "reminder by a reader");
    auto const& sender = context.user();
    Notified notified;
    auto told = TRY(context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        return remind(session, found.note, sender, context.public_url(), context.now, &notified);
    }));
    notifications::published(context.services, notified.people, notified.outbox_rows);
    forget_follow_up(context.services, found.note.id);
    return http::Response::redirect(note_path(found.note.id) + "/suivi?fait=relance&n=" + std::to_string(told));
}

} // namespace cartable::liaison_book
