// SPDX-License-Identifier: AGPL-3.0-or-later
// The list of notes, a note's page, « J'ai pris connaissance », the
// replies, the attachment; the service's capabilities, routes and start.
#include "core/http/static_files.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/liaison_book/liaison_internal.h"
#include "services/notifications/notifications.h"
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace cartable::liaison_book {

std::string note_path(long long note_id)
{
    return "/carnet-de-liaison/mots/" + std::to_string(note_id);
}

std::filesystem::path attachment_directory(Config const& config)
{
    return config.data_directory / "liaison_book" / "attachments";
}

std::string deadline_text(long long day)
{
    return day == 0 ? std::string() : "À signer avant le " + school_time::long_day(day);
}

ErrorOr<Found> readable_note(Context& context)
{
    auto note_id = parse_id(context.request.parameter("id"));
    auto const& person = context.user();
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Found>> {
        auto note = find_note(session, note_id);
        if (!note)
            return std::optional<Found>();
        auto standing = standing_of(session, person, *note);
        if (!standing.reads)
            return std::optional<Found>();
        return std::optional<Found>(Found { std::move(*note), std::move(standing) });
    }));
    if (!found)
        return Error::not_found(NOT_FOUND, "liaison note not readable");
    return std::move(*found);
}

ErrorOr<Found> followed_note(Context& context)
{
    auto found = TRY(readable_note(context));
    if (!found.standing.follows)
        return Error::not_found(NOT_FOUND, "liaison note not followed");
    return found;
}

namespace {

view::Data note_summary(Note const& note)
{
    view::Data item;
    item.set("title", note.title);
    item.set("url", note_path(note.id));
    item.set("category", std::string(category_label(note.category)));
    item.set("author", note.author_name);
    item.set("date", i18n::format_long_date(note.created_at));
    item.set("deadline", deadline_text(note.sign_before_day));
    return item;
}

std::string count_text(long long signatures, long long expected)
{
    return std::to_string(signatures) + (signatures > 1 ? " signatures" : " signature") + " sur "
        + std::to_string(expected);
}

// GET /carnet-de-liaison[?annee=2026-2027]
ErrorOr<http::Response> show_notes(Context& context)
{
    auto const& person = context.user();
    auto const current = school_year_of(context.now);
    auto year = std::string(trim_text(context.request.query.get("annee")));
    if (year.empty())
        year = current;
    struct Content {
        std::vector<Listed> notes;
        std::vector<std::string> years;
    };
    auto content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Content> {
        return Content { notes_for(session, person, year), school_years_for(session, person) };
    }));
    if (std::find(content.years.begin(), content.years.end(), current) == content.years.end())
        content.years.insert(content.years.begin(), current);
    if (std::find(content.years.begin(), content.years.end(), year) == content.years.end())
        return Error::not_found("Aucun mot pour cette année scolaire.", "unknown school year");
    bool const family = person.profile == access::Profile::Guardian || person.profile == access::Profile::Student;
    // « Profil affiché »: a guardian may follow one child (only their own).
    view::List shown_children;
    if (person.profile == access::Profile::Guardian) {
        auto children = TRY(context.services.children_of(person.id, context.now));
        auto const chosen = parse_id(context.request.query.get("enfant"));
        if (!context.request.query.get("enfant").empty()
            && std::none_of(children.begin(), children.end(), [&](auto const& child) { return child.id == chosen; }))
            return Error::forbidden(
                "Vous ne pouvez afficher que le carnet de liaison de vos enfants.", "guardian asked for another child");
        if (chosen != 0)
            std::erase_if(content.notes, [&](Listed const& listed) { return listed.child_id != chosen; });
        for (auto const& child : children) {
            view::Data option;
            option.set("id", std::to_string(child.id));
            option.set("name", child.display_name());
            option.set("selected", child.id == chosen);
            shown_children.push_back(std::move(option));
        }
    }
    view::Data data;
    data.set("several_children", shown_children.size() > 1);
    data.set("shown_children", std::move(shown_children));
    data.set("family", family);
    data.set("is_guardian", person.profile == access::Profile::Guardian);
    data.set("may_write", may_write_notes(person));
    data.set("oversees", oversees(person));
    view::List years;
    for (auto const& each : content.years) {
        view::Data option;
        option.set("value", each);
        option.set("selected", each == year);
        years.push_back(std::move(option));
    }
    data.set("years", std::move(years));
    data.set("year", year);
    // A guardian's notes come per child (the query's order): one group each.
    std::vector<std::pair<view::Data, view::List>> groups;
    long long group_child = -1;
    view::List written;
    for (auto const& listed : content.notes) {
        auto item = note_summary(listed.note);
        if (family) {
            item.set("to_sign", listed.to_sign);
            item.set("signed", listed.signed_by_me);
            if (listed.child_id != group_child) {
                group_child = listed.child_id;
                view::Data child;
                child.set("child_name", listed.child_name);
                groups.emplace_back(std::move(child), view::List {});
            }
            groups.back().second.push_back(std::move(item));
        } else {
            item.set("count", count_text(listed.signatures, listed.expected));
            item.set("follow_url", note_path(listed.note.id) + "/suivi");
            written.push_back(std::move(item));
        }
    }
    view::List children;
    for (auto& [child, notes] : groups) {
        child.set("notes", std::move(notes));
        children.push_back(std::move(child));
    }
    data.set("has_children", !children.empty());
    data.set("children", std::move(children));
    data.set("has_written", !written.empty());
    data.set("written", std::move(written));
    if (context.request.query.get("fait") == "envoye")
        data.set("notice", "Votre mot est envoyé aux familles.");
    return view::render(
        context, "liaison_book/notes", std::move(data), "Carnet de liaison", view::MenuEntry::LiaisonBook);
}

ErrorOr<http::Response> render_note(
    Context& context, Found const& found, std::string const& error = {}, std::string const& typed = {})
{
    auto const& note = found.note;
    auto const& standing = found.standing;
    auto const& person = context.user();
    struct Content {
        std::vector<Signature> signatures;
        std::vector<Reply> replies;
        std::vector<identity::User> children;
    };
    auto content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Content> {
        Content result;
        result.signatures = signatures_for(session, note.id, standing.children);
        result.replies = replies_for(session, note.id, standing.children);
        result.children = identity::store::find_users(session, standing.children);
        return result;
    }));
    std::sort(content.children.begin(), content.children.end(),
        [](auto const& a, auto const& b) { return a.display_name() < b.display_name(); });
    auto data = note_summary(note);
    data.set("body_html", note.body);
    data.set("asks_reply", note.asks_reply);
    data.set("has_attachment", !note.attachment_stored.empty());
    data.set("attachment_name", note.attachment_name);
    data.set("attachment_size", i18n::format_size(static_cast<std::uint64_t>(note.attachment_size)));
    data.set("attachment_url", note_path(note.id) + "/piece-jointe");
    data.set("follows", standing.follows);
    data.set("follow_url", note_path(note.id) + "/suivi");
    data.set("is_guardian", person.profile == access::Profile::Guardian);
    data.set("error", error);
    view::List children;
    for (auto const& child : content.children) {
        bool const legal = std::find(standing.legal_children.begin(), standing.legal_children.end(), child.id)
            != standing.legal_children.end();
        view::Data item;
        item.set("id", std::to_string(child.id));
        item.set("name", child.display_name());
        view::List signatures;
        bool signed_by_me = false;
        for (auto const& signature : content.signatures) {
            if (signature.student_id != child.id)
                continue;
            signed_by_me = signed_by_me || signature.guardian_id == person.id;
            view::Data line;
            line.set("text",
                "Signé par " + signature.guardian_name + " le " + i18n::format_long_datetime(signature.signed_at));
            signatures.push_back(std::move(line));
        }
        item.set("has_signatures", !signatures.empty());
        item.set("signatures", std::move(signatures));
        item.set("may_sign", legal && !signed_by_me);
        item.set("not_legal", person.profile == access::Profile::Guardian && !legal);
        view::List replies;
        for (auto const& reply : content.replies) {
            if (reply.student_id != child.id)
                continue;
            view::Data line;
            line.set("author", reply.guardian_name);
            line.set("date", i18n::format_long_datetime(reply.created_at));
            line.set("text", reply.text);
            replies.push_back(std::move(line));
        }
        item.set("has_replies", !replies.empty());
        item.set("replies", std::move(replies));
        item.set("may_reply", legal && note.asks_reply);
        item.set("typed", typed);
        children.push_back(std::move(item));
    }
    data.set("children", std::move(children));
    auto notice = context.request.query.get("fait");
    if (notice == "signe")
        data.set("notice", "Votre signature est enregistrée.");
    else if (notice == "deja")
        data.set("notice", "Vous aviez déjà signé ce mot.");
    else if (notice == "reponse")
        data.set("notice", "Votre réponse est envoyée.");
    return view::render(context, "liaison_book/note", std::move(data), note.title, view::MenuEntry::LiaisonBook,
        error.empty() ? 200 : 400);
}

// GET /carnet-de-liaison/mots/{id}
ErrorOr<http::Response> show_note(Context& context)
{
    auto found = TRY(readable_note(context));
    return render_note(context, found);
}

// The child of the form a legal guardian acts for; Forbidden otherwise.
ErrorOr<long long> legal_child(Context& context, Found const& found)
{
    auto student = parse_id(context.request.form.get("eleve"));
    auto const& legal = found.standing.legal_children;
    if (student == 0 || std::find(legal.begin(), legal.end(), student) == legal.end())
        return Error::forbidden(
            "Seuls les responsables légaux d'un élève concerné signent ce mot ou y répondent.", "not a legal guardian");
    return student;
}

// POST /carnet-de-liaison/mots/{id}/signer: « J'ai pris connaissance ».
ErrorOr<http::Response> acknowledge_note(Context& context)
{
    auto found = TRY(readable_note(context));
    auto student = TRY(legal_child(context, found));
    auto const& person = context.user();
    auto added = TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        if (!sign(session, found.note, person, student, context.now))
            return false;
        notifications::mark_read_for_link(session, person.id, note_path(found.note.id), context.now);
        return true;
    }));
    if (added) {
        notifications::forget_unread(context.services, person.id);
        forget_follow_up(context.services, found.note.id);
    }
    return http::Response::redirect(note_path(found.note.id) + (added ? "?fait=signe" : "?fait=deja"));
}

// POST /carnet-de-liaison/mots/{id}/repondre
ErrorOr<http::Response> reply_to_note(Context& context)
{
    auto found = TRY(readable_note(context));
    if (!found.note.asks_reply)
        return Error::forbidden("Ce mot ne demande pas de réponse.", "no reply asked");
    auto student = TRY(legal_child(context, found));
    auto text = std::string(trim_text(context.request.form.get("texte")));
    if (text.empty())
        return render_note(context, found, "Écrivez votre réponse avant de l'envoyer.");
    if (!validate::is_utf8(text))
        return render_note(context, found, "Le texte contient des caractères illisibles : retapez-le.");
    if (validate::character_count(text) > MAX_REPLY)
        return render_note(context, found, "Votre réponse ne doit pas dépasser 2 000 caractères.", text);
    auto const& person = context.user();
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<void> {
        add_reply(session, found.note, person, student, text, context.now);
        return {};
    }));
    forget_follow_up(context.services, found.note.id);
    return http::Response::redirect(note_path(found.note.id) + "?fait=reponse");
}

// GET /carnet-de-liaison/mots/{id}/piece-jointe: for those who read the note.
ErrorOr<http::Response> serve_attachment(Context& context)
{
    auto found = TRY(readable_note(context));
    auto const& note = found.note;
    if (note.attachment_stored.empty())
        return Error::not_found("Ce mot n'a pas de pièce jointe.");
    auto response = http::serve_file(context.request, attachment_directory(context.config()) / note.attachment_stored,
        "application/octet-stream", note.attachment_name);
    if (response.status == 404)
        return Error::not_found("Cette pièce jointe n'est plus disponible.");
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

} // namespace

std::string personal_data_json(soci::session& session, long long person_id)
{
    boost::json::object result;
    boost::json::array signed_notes;
    {
        std::string title;
        std::string first;
        std::string last;
        long long at = 0;
        soci::statement statement = (session.prepare
                << "SELECT n.title, u.first_name, u.last_name, s.signed_at FROM liaison_signature s JOIN liaison_note "
                   "n ON n.id = s.note_id JOIN identity_user u ON u.id = s.student_id WHERE s.guardian_id = :person "
                   "ORDER BY s.signed_at",
            soci::use(person_id), soci::into(title), soci::into(first), soci::into(last), soci::into(at));
        statement.execute();
        while (statement.fetch()) {
            auto child = first;
            child.append(" ").append(last);
            signed_notes.emplace_back(boost::json::object {
                { "mot", title }, { "eleve", child }, { "signe_le", i18n::format_long_datetime(at) } });
        }
    }
    boost::json::array replies;
    {
        std::string title;
        std::string body;
        long long at = 0;
        soci::statement statement = (session.prepare
                << "SELECT n.title, r.body, r.created_at FROM liaison_reply r JOIN liaison_note n ON n.id = "
                   "r.note_id WHERE r.guardian_id = :person ORDER BY r.created_at",
            soci::use(person_id), soci::into(title), soci::into(body), soci::into(at));
        statement.execute();
        while (statement.fetch())
            replies.emplace_back(boost::json::object {
                { "mot", title }, { "reponse", body }, { "date", i18n::format_long_datetime(at) } });
    }
    boost::json::array written;
    {
        std::string title;
        std::string year;
        long long at = 0;
        soci::statement statement = (session.prepare << "SELECT title, school_year, created_at FROM liaison_note "
                                                        "WHERE author_id = :person ORDER BY created_at",
            soci::use(person_id), soci::into(title), soci::into(year), soci::into(at));
        statement.execute();
        while (statement.fetch())
            written.emplace_back(boost::json::object {
                { "titre", title }, { "annee_scolaire", year }, { "date", i18n::format_long_datetime(at) } });
    }
    result["mots_signes"] = std::move(signed_notes);
    result["reponses"] = std::move(replies);
    result["mots_ecrits"] = std::move(written);
    return boost::json::serialize(result);
}

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    using access::Profile;
    TRY(registry.declare({ READ, access::Scope::Structure,
        { Profile::Student, Profile::Guardian, Profile::Teacher, Profile::Staff, Profile::Admin }, access::Risk::Read,
        "Lire le carnet de liaison" }));
    return registry.declare({ WRITE, access::Scope::Structure, { Profile::Teacher, Profile::Staff },
        access::Risk::Write, "Écrire un mot dans le carnet de liaison" });
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/carnet-de-liaison", READ, show_notes },
        { Method::Get, "/carnet-de-liaison/nouveau", WRITE, show_compose },
        { Method::Post, "/carnet-de-liaison/nouveau", WRITE, send_compose },
        { Method::Get, "/carnet-de-liaison/mots/{id}", READ, show_note },
        { Method::Post, "/carnet-de-liaison/mots/{id}/signer", READ, acknowledge_note },
        { Method::Post, "/carnet-de-liaison/mots/{id}/repondre", READ, reply_to_note },
        { Method::Get, "/carnet-de-liaison/mots/{id}/piece-jointe", READ, serve_attachment },
        { Method::Get, "/carnet-de-liaison/mots/{id}/suivi", READ, show_follow_up },
        { Method::Get, "/carnet-de-liaison/mots/{id}/suivi.csv", READ, export_csv },
        { Method::Get, "/carnet-de-liaison/mots/{id}/impression", READ, show_print },
        { Method::Post, "/carnet-de-liaison/mots/{id}/relancer", READ, send_reminder },
    };
}

ErrorOr<void> start(Services& services)
{
    services.personal_data_exporters.emplace_back(
        "carnet de liaison", [](Context& context, identity::User const& person) -> ErrorOr<PersonalData> {
            auto json = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::string> {
                return personal_data_json(session, person.id);
            }));
            return PersonalData { std::move(json), {} };
        });
    services.departure_handlers.emplace_back([](soci::session& session, identity::User const& former, bool erase) {
        forget_person(session, former.id, erase);
    });
    return {};
}

} // namespace cartable::liaison_book
