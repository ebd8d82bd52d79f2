// SPDX-License-Identifier: AGPL-3.0-or-later
// « Nouveau message »: recipients picked by name (a search that works
// without JavaScript) or by list, subject and text, saved as a draft or sent.
// Only the people the structure's rules allow are offered, and the server
// refuses the others whatever the form says.
#include "core/html/rich_text.h"
#include "core/identity/identity_store.h"
#include "core/notify/delivery.h"
#include "core/notify/outbox.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/admin/admin.h"
#include "services/mail/mail_internal.h"
#include "services/mail/mail_moderation.h"
#include "services/notifications/notifications.h"
#include "services/preferences/preferences.h"
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace cartable::mail {

namespace {

constexpr std::size_t MAX_SUBJECT = 200;
constexpr std::size_t MAX_BODY = 50000;
// A whole cité scolaire, parents included; the hourly caps (abuse containment) limit who may.
constexpr std::size_t MAX_RECIPIENTS = 5000;

struct RecipientList {
    std::string key; // "classe:12", "parents:12", "enseignants:12", "personnels"
    std::string label; // « Parents de la classe TPRO »
    std::vector<long long> members;
};

struct Draft {
    std::optional<long long> id;
    std::vector<long long> recipients;
    std::string subject;
    std::string body;
};

// The lists of the sender's own classes (and structure) whose every member
// they may write to.
std::vector<RecipientList> lists_for(soci::session& session, identity::User const& sender)
{
    std::vector<RecipientList> candidates;
    for (auto const& school_class : identity::store::classes_of(session, sender)) {
        auto name = (school_class.kind == "group" ? "le groupe " : "la classe ") + school_class.name;
        auto key = std::to_string(school_class.id);
        candidates.push_back(
            { "classe:" + key, (school_class.kind == "group" ? "Groupe " : "Classe ") + school_class.name,
                ids_of(session,
                    "SELECT u.id FROM identity_class_member m JOIN identity_user u ON u.id = m.user_id "
                    "WHERE m.class_id = :class AND u.profile = 'student' AND u.active = 1 ORDER BY u.last_name, u.id",
                    school_class.id) });
        candidates.push_back({ "parents:" + key, "Parents de " + name,
            ids_of(session,
                "SELECT DISTINCT u.id FROM identity_class_member m JOIN identity_guardian_link g "
                "ON g.student_id = m.user_id JOIN identity_user u ON u.id = g.guardian_id "
                "WHERE m.class_id = :class AND u.active = 1 ORDER BY u.id",
                school_class.id) });
        candidates.push_back({ "enseignants:" + key, "Enseignants de " + name,
            ids_of(session,
                "SELECT DISTINCT u.id FROM identity_teaching t JOIN identity_user u ON u.id = t.teacher_id "
                "WHERE t.class_id = :class AND u.active = 1 ORDER BY u.id",
                school_class.id) });
    }
    candidates.push_back({ "personnels", "Personnels de l'établissement",
        ids_of(session,
            "SELECT id FROM identity_user WHERE structure_id = :structure AND profile = 'staff' AND active = 1 "
            "ORDER BY last_name, id",
            sender.structure_id) });
    std::vector<RecipientList> result;
    for (auto& list : candidates) {
        std::erase(list.members, sender.id);
        bool allowed
            = !list.members.empty() && std::all_of(list.members.begin(), list.members.end(), [&](long long id) {
                  auto member = identity::store::find_user(session, id);
                  return member && may_write_to(session, sender, *member);
              });
        if (allowed)
            result.push_back(std::move(list));
    }
    return result;
}

// The recipients the sender may write to, in order, without repeats; the
// number of those refused.
std::pair<std::vector<Person>, std::size_t> allowed_people(
    soci::session& session, identity::User const& sender, std::vector<long long> const& ids)
{
    std::vector<Person> allowed;
    std::size_t refused = 0;
    std::unordered_set<long long> seen;
    std::vector<long long> unique;
    for (auto id : ids) {
        if (seen.insert(id).second)
            unique.push_back(id);
    }
    std::unordered_map<long long, identity::User> people;
    for (auto& person : identity::store::find_users(session, unique))
        people.emplace(person.id, std::move(person));
    auto const rules = admin::communication_rules(session, sender.structure_id);
    std::unordered_set<long long> children;
    if (sender.profile == access::Profile::Guardian) {
        for (auto const& child : identity::store::children_of(session, sender.id))
            children.insert(child.id);
    }
    allowed.reserve(unique.size());
    for (auto id : unique) {
        auto found = people.find(id);
        if (found == people.end()) {
            ++refused;
            continue;
        }
        auto const& person = found->second;
        // The rule of may_write_to, with the rules and the children read once.
        bool const own_child = person.profile == access::Profile::Student && person.active && children.contains(id);
        if (own_child || admin::may_write(rules, sender, person))
            allowed.push_back({ person.id, person.display_name(), {} });
        else
            ++refused;
    }
    return { allowed, refused };
}

std::vector<long long> recipient_ids(http::FormFields const& fields)
{
    std::vector<long long> ids;
    for (auto const& value : fields.all("destinataire")) {
        if (auto id = parse_id(value); id != 0)
            ids.push_back(id);
    }
    return ids;
}

// The message quoted under an empty first paragraph, for a reply or a forward.
std::string quoted_body(Entry const& entry, std::vector<Person> const& recipients)
{
    std::string recipient_names;
    for (auto const& person : recipients)
        recipient_names += (recipient_names.empty() ? "" : ", ") + person.name;
    auto header = html::from_plain_text(std::string("----- Message d'origine -----\nDe : ")
                                            .append(entry.sender_name)
                                            .append("\nÀ : ")
                                            .append(recipient_names)
                                            .append("\nObjet : ")
                                            .append(entry.subject));
    return "<p><br></p><blockquote>" + header + body_html(entry) + "</blockquote>";
}

struct ComposeState {
    Draft draft;
    std::string query;
    std::string error;
    std::string notice;
    std::vector<long long> extra; // recipients to add (a person or a list)
    long long forward_of { 0 }; // a forward carries the attachments of that message
};

ErrorOr<http::Response> render_compose(Context& context, ComposeState state, int status)
{
    auto const& sender = context.user();
    struct Page {
        std::vector<Person> recipients;
        std::size_t refused { 0 };
        std::vector<Person> found;
        std::vector<RecipientList> lists;
        std::vector<Attachment> attachments;
        long long attachments_of_message { 0 };
    };
    auto ids = state.draft.recipients;
    ids.insert(ids.end(), state.extra.begin(), state.extra.end());
    auto page = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Page> {
        Page result;
        std::tie(result.recipients, result.refused) = allowed_people(session, sender, ids);
        if (!state.query.empty())
            result.found = searchable_recipients(session, sender, state.query);
        result.lists = lists_for(session, sender);
        if (state.draft.id) {
            auto entry = find_entry(session, sender.id, *state.draft.id);
            if (entry && entry->is_draft && entry->sender_id == sender.id) {
                result.attachments = attachments_of(session, *state.draft.id);
                result.attachments_of_message = *state.draft.id;
            }
        } else if (state.forward_of != 0 && find_entry(session, sender.id, state.forward_of)) {
            result.attachments = attachments_of(session, state.forward_of);
            result.attachments_of_message = state.forward_of;
        }
        return result;
    }));
    if (page.refused > 0 && state.error.empty()) {
        state.error = "Vous ne pouvez pas écrire à certains des destinataires choisis : ils ont été retirés.";
        if (context.request.is_state_changing())
            status = 403;
    }
    view::Data data;
    view::List recipients;
    for (auto const& person : page.recipients) {
        view::Data entry;
        entry.set("id", std::to_string(person.id));
        entry.set("name", person.name);
        recipients.push_back(std::move(entry));
    }
    data.set("recipients", std::move(recipients));
    view::List found;
    for (auto const& person : page.found) {
        view::Data entry;
        entry.set("id", std::to_string(person.id));
        entry.set("name", std::string(person.name).append(" (").append(person.detail).append(")"));
        found.push_back(std::move(entry));
    }
    data.set("searched", !state.query.empty());
    data.set("found", std::move(found));
    view::List lists;
    for (auto const& list : page.lists) {
        view::Data entry;
        entry.set("key", list.key);
        entry.set("label", list.label);
        lists.push_back(std::move(entry));
    }
    data.set("has_lists", !page.lists.empty());
    data.set("lists", std::move(lists));
    data.set("query", state.query);
    data.set("subject", state.draft.subject);
    // The textarea holds the text (a browser without JavaScript edits
    // that); the editor of cartable.js starts from the HTML.
    data.set("body", html::plain_text(state.draft.body));
    data.set("body_html", state.draft.body);
    data.set("draft_id", state.draft.id ? std::to_string(*state.draft.id) : std::string());
    data.set("forward_of", state.draft.id || state.forward_of == 0 ? std::string() : std::to_string(state.forward_of));
    data.set("attachments", attachment_list(std::to_string(page.attachments_of_message), page.attachments));
    data.set("has_attachments", !page.attachments.empty());
    data.set("removable_attachments", state.draft.id.has_value());
    data.set("error", state.error);
    data.set("notice", state.notice);
    return view::render(context, "mail/compose", std::move(data), "Nouveau message", view::MenuEntry::Mail, status);
}

ComposeState state_from(http::FormFields const& fields)
{
    ComposeState state;
    state.draft.recipients = recipient_ids(fields);
    state.draft.subject = std::string(trim_text(fields.get("objet")));
    // With JavaScript the editor sends HTML (format=html); a plain textarea sends text.
    auto text = fields.get("corps");
    state.draft.body = fields.get("format") == "html" ? html::sanitize(text) : html::from_plain_text(text);
    if (auto id = parse_id(fields.get("brouillon")); id != 0)
        state.draft.id = id;
    state.forward_of = parse_id(fields.get("pieces-de"));
    state.query = std::string(trim_text(fields.get("recherche")));
    return state;
}

// A reply, a reply to all, a forward or a draft taken up again: the form
// filled from a message the person holds (404 for any other).
ErrorOr<void> prefill(Context& context, ComposeState& state)
{
    auto const& query = context.request.query;
    auto const owner = context.user().id;
    char const* kinds[] = { "repondre", "repondre-a-tous", "transferer", "brouillon" };
    for (auto const* kind : kinds) {
        auto id = parse_id(query.get(kind));
        if (id == 0)
            continue;
        std::string_view what = kind;
        return context.database().read([&](soci::session& session) -> ErrorOr<void> {
            auto entry = find_entry(session, owner, id);
            if (!entry || (what == "brouillon" && (!entry->is_draft || entry->sender_id != owner)))
                return Error::not_found("Ce message n'existe pas ou n'est plus dans votre messagerie.");
            auto recipients = recipients_of(session, id);
            if (what == "brouillon") {
                state.draft.id = id;
                state.draft.subject = entry->subject;
                state.draft.body = body_html(*entry);
                for (auto const& person : recipients)
                    state.draft.recipients.push_back(person.id);
                auto saved = query.get("enregistre");
                if (saved == "1")
                    state.notice = "Votre brouillon est enregistré.";
                else if (saved == "piece-ajoutee")
                    state.notice = "La pièce jointe est ajoutée au brouillon.";
                else if (saved == "piece-retiree")
                    state.notice = "La pièce jointe est retirée.";
                return {};
            }
            bool forward = what == "transferer";
            auto prefix = forward ? std::string("Tr : ") : std::string("Re : ");
            state.draft.subject = entry->subject.starts_with(prefix) ? entry->subject : prefix + entry->subject;
            state.draft.body = quoted_body(*entry, recipients);
            if (forward)
                state.forward_of = id;
            if (!forward && entry->sender_id != 0)
                state.draft.recipients.push_back(entry->sender_id);
            if (what == "repondre-a-tous") {
                for (auto const& person : recipients) {
                    if (person.id != owner)
                        state.draft.recipients.push_back(person.id);
                }
            }
            return {};
        });
    }
    return {};
}

std::optional<std::string> invalid_text(Draft const& draft)
{
    if (!validate::is_utf8(draft.subject) || !validate::is_utf8(draft.body))
        return "Le message contient des caractères illisibles.";
    if (validate::character_count(draft.subject) > MAX_SUBJECT)
        return "L'objet ne doit pas dépasser 200 caractères.";
    if (draft.body.size() > 4 * MAX_BODY || validate::character_count(html::plain_text(draft.body)) > MAX_BODY)
        return "Le message ne doit pas dépasser 50 000 caractères.";
    if (draft.recipients.size() > MAX_RECIPIENTS)
        return "Un message ne peut pas avoir plus de 5 000 destinataires.";
    return std::nullopt;
}

enum class Delivery { KeepAsDraft, Send };

// What else a save does: add the chosen files, or remove one attachment.
struct AttachmentChange {
    std::vector<http::UploadedFile const*> files;
    long long removed { 0 };
};

// A notification to each recipient (services/notifications: the bell, and
// the e-mail or SMS they chose if they opted in to the structure's
// notifications): who wrote and a link, never the subject or the text.
// Written in the sending's transaction. The number of e-mails and SMS.
} // namespace

std::size_t enqueue_notices(soci::session& session, identity::User const& sender,
    std::vector<long long> const& recipients, std::string const& public_url, long long message_id, long long now,
    bool known_active)
{
    notifications::Notification notice;
    notice.event = notifications::Event::Message;
    notice.structure_id = sender.structure_id;
    notice.title = "Nouveau message de " + sender.display_name();
    notice.link = "/messagerie/messages/" + std::to_string(message_id);
    notice.summary = sender.display_name() + " vous a écrit dans la messagerie de votre ENT.";
    return notifications::publish_to_many(session, notice, recipients, public_url, now, known_active);
}

namespace {

// Saves (and sends) the draft after checking every recipient on the server.
ErrorOr<http::Response> save(Context& context, ComposeState state, Delivery delivery, AttachmentChange change)
{
    if (auto problem = invalid_text(state.draft)) {
        state.error = *problem;
        return render_compose(context, std::move(state), 400);
    }
    if (delivery == Delivery::Send && state.draft.recipients.empty()) {
        state.error = "Choisissez au moins un destinataire.";
        return render_compose(context, std::move(state), 400);
    }
    if (delivery == Delivery::Send && state.draft.subject.empty()) {
        state.error = "Indiquez l'objet du message.";
        return render_compose(context, std::move(state), 400);
    }
    auto const& sender = context.user();
    // The files are moved into the store first (the transaction may be
    // refused: they are removed then).
    auto kept = TRY(keep_uploads(context.config(), change.files, 0));
    std::string attachment_error;
    std::string unreferenced; // a removed attachment's file, once no message needs it
    // 0: saved (or sent); 1: a recipient refused; 2: no such draft; 3: attachments
    // refused; 4: held for a staff member's approval; 5: sending refused (suspended).
    long long message_id = 0;
    std::size_t notices = 0;
    moderation::Verdict verdict;
    auto outcome = context.database().write([&](soci::session& session) -> ErrorOr<int> {
        auto [allowed, refused] = allowed_people(session, sender, state.draft.recipients);
        if (refused > 0)
            return 1;
        std::vector<Attachment> already;
        if (state.draft.id) {
            auto entry = find_entry(session, sender.id, *state.draft.id);
            if (!entry || !entry->is_draft || entry->sender_id != sender.id)
                return 2;
            already = attachments_of(session, *state.draft.id);
        } else if (state.forward_of != 0 && find_entry(session, sender.id, state.forward_of)) {
            already = attachments_of(session, state.forward_of);
        }
        if (auto problem = attachment_problem(session, sender, change.files, already)) {
            attachment_error = *problem;
            return 3;
        }
        std::vector<long long> ids;
        for (auto const& person : allowed)
            ids.push_back(person.id);
        if (delivery == Delivery::Send)
            verdict = moderation::check_before_send(session, sender, ids.size(), context.now);
        if (verdict.outcome == moderation::Outcome::Refuse)
            return 5;
        bool const is_new = !state.draft.id;
        message_id
            = save_draft(session, sender, state.draft.id, ids, state.draft.subject, state.draft.body, context.now);
        if (is_new && state.forward_of != 0)
            copy_attachments(session, sender.id, state.forward_of, message_id, context.now);
        for (auto attachment : kept) {
            attachment.message_id = message_id;
            add_attachment(session, sender.id, attachment, context.now);
        }
        if (change.removed != 0)
            unreferenced = remove_attachment(session, sender.id, message_id, change.removed).value_or("");
        if (delivery == Delivery::Send && verdict.outcome == moderation::Outcome::Hold) {
            moderation::hold(session, sender, message_id, ids.size(), context.now);
            return 4;
        }
        if (delivery == Delivery::Send) {
            send_draft(session, sender.id, message_id, context.now);
            // `ids` were just read and checked: active accounts only.
            notices = enqueue_notices(session, sender, ids, context.public_url(), message_id, context.now, true);
        }
        return 0;
    });
    // Nothing written: the files moved for it go.
    if (outcome.is_error() || (outcome.value() != 0 && outcome.value() != 4)) {
        for (auto const& attachment : kept)
            remove_stored_attachment(context.config(), attachment.stored_name);
    }
    if (outcome.is_error())
        return outcome.error();
    if (!unreferenced.empty())
        remove_stored_attachment(context.config(), unreferenced);
    if (outcome.value() == 3) {
        state.error = attachment_error;
        return render_compose(context, std::move(state), 413);
    }
    if (outcome.value() == 2)
        return Error::not_found("Ce brouillon n'existe pas ou n'est plus dans votre messagerie.");
    if (outcome.value() == 5) {
        state.error = verdict.message;
        return render_compose(context, std::move(state), 403);
    }
    if (outcome.value() == 4)
        return http::Response::redirect("/messagerie/envoyes?fait=attente");
    if (outcome.value() == 1) {
        state.error = "Vous ne pouvez pas écrire à certains des destinataires choisis : votre message n'est pas "
                      "envoyé. Ils ont été retirés de la liste.";
        return render_compose(context, std::move(state), 403);
    }
    if (delivery == Delivery::KeepAsDraft) {
        char const* notice = change.removed != 0 ? "piece-retiree" : !kept.empty() ? "piece-ajoutee" : "1";
        return http::Response::redirect(
            "/messagerie/nouveau?brouillon=" + std::to_string(message_id) + "&enregistre=" + notice);
    }
    for (auto id : state.draft.recipients) {
        forget_unread(context, id);
        notifications::forget_unread(context.services, id);
    }
    if (notices > 0)
        notify::wake_delivery(context.services);
    return http::Response::redirect("/messagerie/envoyes?fait=envoye");
}

} // namespace

ErrorOr<http::Response> show_compose(Context& context)
{
    auto state = state_from(context.request.query);
    TRY(prefill(context, state));
    return render_compose(context, std::move(state), 200);
}

ErrorOr<http::Response> act_on_compose(Context& context)
{
    auto const& form = context.request.form;
    auto state = state_from(form);
    if (auto id = parse_id(form.get("ajouter")); id != 0) {
        state.extra.push_back(id);
        state.query.clear();
        return render_compose(context, std::move(state), 200);
    }
    if (auto id = parse_id(form.get("retirer")); id != 0) {
        std::erase(state.draft.recipients, id);
        return render_compose(context, std::move(state), 200);
    }
    auto action = form.get("action");
    if (action == "liste") {
        auto key = form.get("liste");
        auto lists = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<RecipientList>> {
            return lists_for(session, context.user());
        }));
        auto found = std::find_if(lists.begin(), lists.end(), [&](auto const& list) { return list.key == key; });
        if (found == lists.end()) {
            state.error = "Vous ne pouvez pas écrire à cette liste.";
            return render_compose(context, std::move(state), 403);
        }
        state.extra = found->members;
        return render_compose(context, std::move(state), 200);
    }
    auto files = context.request.files_named("pieces");
    if (auto id = parse_id(form.get("retirer-piece")); id != 0 && state.draft.id)
        return save(context, std::move(state), Delivery::KeepAsDraft, { {}, id });
    if (action == "joindre") {
        if (files.empty()) {
            state.error = "Choisissez d'abord un fichier à joindre.";
            return render_compose(context, std::move(state), 400);
        }
        return save(context, std::move(state), Delivery::KeepAsDraft, { files, 0 });
    }
    if (action == "brouillon")
        return save(context, std::move(state), Delivery::KeepAsDraft, { files, 0 });
    if (action == "envoyer")
        return save(context, std::move(state), Delivery::Send, { files, 0 });
    return render_compose(context, std::move(state), 200);
}

} // namespace cartable::mail
