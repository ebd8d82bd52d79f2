// SPDX-License-Identifier: AGPL-3.0-or-later
// The folders, reading a message and what one does with it; the unread
// count of the left menu and « Derniers messages » of the Accueil.
#include "core/i18n/format.h"
#include "core/log.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/mail/mail_internal.h"
#include "services/mail/mail_moderation.h"
#include "services/notifications/notifications.h"
#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <memory>

namespace cartable::mail {

namespace {

struct FolderView {
    Folder folder;
    char const* path;
    char const* label;
};

constexpr FolderView FOLDERS[] = {
    { Folder::Inbox, "/messagerie", "Boîte de réception" },
    { Folder::Sent, "/messagerie/envoyes", "Messages envoyés" },
    { Folder::Drafts, "/messagerie/brouillons", "Brouillons" },
    { Folder::Trash, "/messagerie/corbeille", "Corbeille" },
};

FolderView const& view_of(Folder folder)
{
    for (auto const& entry : FOLDERS) {
        if (entry.folder == folder)
            return entry;
    }
    return FOLDERS[0];
}

std::string unread_key(long long person_id)
{
    return "mail:unread:" + std::to_string(person_id);
}

std::string subject_or_default(std::string const& subject)
{
    return subject.empty() ? std::string("(Sans objet)") : subject;
}

std::string names_of(std::vector<Person> const& people)
{
    std::string result;
    for (auto const& person : people)
        result += (result.empty() ? "" : ", ") + person.name;
    return result;
}

} // namespace

std::string readable_size(long long bytes)
{
    if (bytes < 1024)
        return std::to_string(bytes) + " o";
    if (bytes < 1024LL * 1024)
        return std::to_string((bytes + 1023) / 1024) + " ko";
    auto tenths = (bytes * 10 + (1 << 20) - 1) / (1 << 20);
    auto text = std::to_string(tenths / 10);
    if (tenths % 10 != 0)
        text.append(",").append(std::to_string(tenths % 10));
    return text + " Mo";
}

namespace {

struct FolderContent {
    std::vector<Entry> entries;
    std::vector<std::string> recipients; // for « Messages envoyés » and « Brouillons »
    long long total { 0 };
    std::array<long long, 4> counts {};
    long long unread { 0 };
    std::vector<PersonalFolder> personal;
};

// A folder, one of the person's own (personal_id), or (with a query) the
// messages found in every folder.
ErrorOr<http::Response> show_folder(
    Context& context, Folder folder, std::string const& query = {}, long long personal_id = 0)
{
    auto page = std::max(parse_id(context.request.query.get("page")), 1LL);
    auto const owner = context.user().id;
    bool const searching = !query.empty();
    bool const personal = personal_id != 0;
    auto content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<FolderContent> {
        FolderContent result;
        result.personal = personal_folders(session, owner);
        if (personal) {
            result.entries = personal_folder_page(session, owner, personal_id, page);
            result.total = personal_folder_count(session, owner, personal_id);
        } else if (searching) {
            result.entries = search(session, owner, query, page);
            result.total = search_count(session, owner, query);
        } else {
            result.entries = folder_page(session, owner, folder, page);
            result.total = folder_count(session, owner, folder);
        }
        // The menu shows the inbox's unread count (cached below), the others' totals.
        for (std::size_t index = 0; index < std::size(FOLDERS); ++index) {
            auto const shown = FOLDERS[index].folder;
            if (shown == Folder::Inbox)
                continue;
            result.counts.at(index)
                = !personal && !searching && shown == folder ? result.total : folder_count(session, owner, shown);
        }
        if (!personal && !searching && (folder == Folder::Sent || folder == Folder::Drafts)) {
            for (auto const& entry : result.entries)
                result.recipients.push_back(names_of(recipients_of(session, entry.message_id)));
        }
        return result;
    }));
    // The menu's count, cached per person until their mailbox changes.
    content.unread = TRY(cached_unread_count(context));
    auto const& current = view_of(folder);
    std::string folder_label = searching ? "Messages contenant « " + query + " »" : std::string(current.label);
    if (personal) {
        auto found = std::find_if(content.personal.begin(), content.personal.end(),
            [&](auto const& entry) { return entry.id == personal_id; });
        if (found == content.personal.end())
            return Error::not_found("Ce dossier n'existe pas ou a été supprimé.");
        folder_label = found->name;
    }
    bool const standard = !searching && !personal;
    view::Data data;
    view::List folders;
    for (std::size_t index = 0; index < std::size(FOLDERS); ++index) {
        view::Data entry;
        entry.set("label", FOLDERS[index].label);
        entry.set("url", FOLDERS[index].path);
        entry.set("current", standard && FOLDERS[index].folder == folder);
        auto shown = FOLDERS[index].folder == Folder::Inbox ? content.unread : content.counts.at(index);
        entry.set("count", shown > 0 ? std::to_string(shown) : std::string());
        entry.set("unread", FOLDERS[index].folder == Folder::Inbox && shown > 0);
        folders.push_back(std::move(entry));
    }
    data.set("folders", std::move(folders));
    view::List own;
    view::List top_folders;
    for (auto const& entry : content.personal) {
        view::Data item;
        item.set("id", std::to_string(entry.id));
        item.set("name", entry.name);
        item.set("url", "/messagerie/dossiers/" + std::to_string(entry.id));
        item.set("nested", entry.parent_id != 0);
        item.set("current", entry.id == personal_id);
        if (entry.parent_id == 0)
            top_folders.push_back(item);
        own.push_back(std::move(item));
    }
    data.set("personal_folders", std::move(own));
    data.set("top_folders", std::move(top_folders));
    data.set("folder_label", folder_label);
    data.set("search_query", query);
    data.set("shows_recipients", standard && (folder == Folder::Sent || folder == Folder::Drafts));
    data.set("is_trash", standard && folder == Folder::Trash);
    view::List messages;
    for (std::size_t index = 0; index < content.entries.size(); ++index) {
        auto const& entry = content.entries[index];
        view::Data item;
        item.set("url", "/messagerie/messages/" + std::to_string(entry.message_id));
        item.set("subject", subject_or_default(entry.subject));
        item.set("correspondent", index < content.recipients.size() ? content.recipients[index] : entry.sender_name);
        item.set("date", i18n::format_long_datetime(entry.sent_at != 0 ? entry.sent_at : entry.created_at));
        item.set("unread", !entry.is_read);
        messages.push_back(std::move(item));
    }
    data.set("has_messages", !messages.empty());
    data.set("messages", std::move(messages));
    auto pages = std::max((content.total + PAGE_SIZE - 1) / PAGE_SIZE, 1LL);
    if (searching && content.total > MAX_SEARCH_COUNT)
        data.set("page_label", "Page " + std::to_string(page) + " — plus de 1 000 messages trouvés");
    else
        data.set("page_label", "Page " + std::to_string(std::min(page, pages)) + " sur " + std::to_string(pages));
    auto base = searching ? "/messagerie/recherche?q=" + http::percent_encode(query) + "&page="
                          : std::string(current.path) + "?page=";
    if (personal)
        base = "/messagerie/dossiers/" + std::to_string(personal_id) + "?page=";
    data.set("previous_url", page > 1 ? base + std::to_string(page - 1) : "");
    data.set("next_url", page < pages ? base + std::to_string(page + 1) : "");
    auto notice = context.request.query.get("fait");
    if (notice == "envoye")
        data.set("notice", "Votre message est envoyé.");
    else if (notice == "corbeille")
        data.set("notice", "Le message est dans la corbeille.");
    else if (notice == "videe")
        data.set("notice", "La corbeille est vidée.");
    else if (notice == "dossier")
        data.set("notice", "Le dossier est créé.");
    else if (notice == "non-lu")
        data.set("notice", "Le message est marqué comme non lu.");
    else if (notice == "attente")
        data.set("notice", "Votre message attend la validation d'un personnel de l'établissement.");
    TRY(moderation::add_to_folder(context, data));
    return view::render(context, "mail/folder", std::move(data), "Messagerie", view::MenuEntry::Mail);
}

// GET /messagerie/destinataires?q=: the suggestions as one types a name
// (cartable.js), the same people the search button finds, as JSON.
ErrorOr<http::Response> suggest_recipients(Context& context)
{
    auto query = std::string(trim_text(context.request.query.get("q")));
    boost::json::array people;
    if (validate::character_count(query) >= 2 && validate::character_count(query) <= 60 && validate::is_utf8(query)) {
        auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Person>> {
            return searchable_recipients(session, context.user(), query);
        }));
        for (auto const& person : found) {
            if (people.size() >= 10)
                break;
            boost::json::object item;
            item["id"] = std::to_string(person.id);
            item["name"] = std::string(person.name).append(" (").append(person.detail).append(")");
            people.emplace_back(std::move(item));
        }
    }
    auto response = http::Response::json(boost::json::serialize(people));
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

ErrorOr<http::Response> search_messages(Context& context)
{
    auto query = std::string(trim_text(context.request.query.get("q")));
    if (query.empty())
        return http::Response::redirect("/messagerie");
    if (validate::character_count(query) > 100)
        return Error::invalid("La recherche ne doit pas dépasser 100 caractères.");
    return show_folder(context, Folder::Inbox, query);
}

ErrorOr<http::Response> show_personal_folder(Context& context)
{
    auto id = parse_id(context.request.parameter("id"));
    if (id == 0)
        return Error::not_found("Ce dossier n'existe pas ou a été supprimé.");
    return show_folder(context, Folder::Inbox, {}, id);
}

// « Nouveau dossier », at the top or inside one of the person's top folders.
ErrorOr<http::Response> create_personal_folder(Context& context)
{
    auto name = std::string(trim_text(context.request.form.get("nom")));
    auto parent = parse_id(context.request.form.get("parent"));
    if (name.empty() || !validate::is_utf8(name) || validate::character_count(name) > MAX_FOLDER_NAME)
        return Error::invalid("Donnez au dossier un nom de 60 caractères au plus.");
    auto const owner = context.user().id;
    auto created = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<std::optional<long long>> {
        return create_folder(session, owner, name, parent, context.now);
    }));
    if (!created)
        return Error::invalid("Un dossier ne peut être créé que dans l'un de vos dossiers, sur un seul niveau.");
    return http::Response::redirect("/messagerie/dossiers/" + std::to_string(*created) + "?fait=dossier");
}

// « Déplacer » a received message into one of the person's folders, or back.
ErrorOr<http::Response> move_message(Context& context)
{
    auto id = parse_id(context.request.parameter("id"));
    auto target = context.request.form.get("dossier");
    auto folder_id = target == "inbox" ? 0 : parse_id(target);
    if (folder_id == 0 && target != "inbox")
        return Error::invalid("Choisissez le dossier où déplacer le message.");
    auto const owner = context.user().id;
    auto moved = TRY(context.database().write(
        [&](soci::session& session) -> ErrorOr<bool> { return move_to_folder(session, owner, id, folder_id); }));
    if (!moved)
        return Error::not_found("Ce message ou ce dossier n'existe pas dans votre messagerie.");
    return http::Response::redirect(
        folder_id == 0 ? std::string("/messagerie") : "/messagerie/dossiers/" + std::to_string(folder_id));
}

struct Reading {
    Entry entry;
    std::vector<Person> recipients;
    std::vector<PersonalFolder> folders;
    std::vector<Attachment> attachments;
};

ErrorOr<http::Response> read_message(Context& context)
{
    auto id = parse_id(context.request.parameter("id"));
    auto const owner = context.user().id;
    auto reading = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Reading> {
        auto entry = find_entry(session, owner, id);
        if (!entry)
            return Error::not_found("Ce message n'existe pas ou n'est plus dans votre messagerie.");
        return Reading { *entry, recipients_of(session, id), personal_folders(session, owner),
            attachments_of(session, id) };
    }));
    if (reading.entry.is_draft && reading.entry.folder == "drafts")
        return http::Response::redirect("/messagerie/nouveau?brouillon=" + std::to_string(id));
    if (!reading.entry.is_read) {
        auto bell = TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
            set_read(session, owner, id, true);
            return notifications::mark_read_for_link(
                session, owner, "/messagerie/messages/" + std::to_string(id), context.now);
        }));
        forget_unread(context, owner);
        if (bell)
            notifications::forget_unread(context.services, owner);
    }
    auto const& entry = reading.entry;
    view::Data data;
    auto const message_id = std::to_string(id);
    data.set("id", message_id);
    data.set("subject", subject_or_default(entry.subject));
    data.set("sender", entry.sender_name);
    data.set("recipients", names_of(reading.recipients));
    data.set("date", i18n::format_long_datetime(entry.sent_at != 0 ? entry.sent_at : entry.created_at));
    data.set("body_html", body_html(entry));
    data.set("attachments", attachment_list(message_id, reading.attachments));
    data.set("has_attachments", !reading.attachments.empty());
    data.set("in_trash", entry.folder == "trash");
    bool const movable = entry.folder == "inbox" || entry.folder == "personal";
    view::List targets;
    if (movable) {
        view::Data inbox;
        inbox.set("value", "inbox");
        inbox.set("label", "Boîte de réception");
        targets.push_back(std::move(inbox));
        for (auto const& folder : reading.folders) {
            view::Data target;
            target.set("value", std::to_string(folder.id));
            target.set("label", folder.parent_id != 0 ? "— " + folder.name : folder.name);
            targets.push_back(std::move(target));
        }
    }
    data.set("may_move", movable && !reading.folders.empty());
    data.set("move_targets", std::move(targets));
    data.set("may_reply", !entry.is_draft && entry.sender_id != 0 && entry.sender_id != owner);
    data.set("may_forward", !entry.is_draft);
    data.set("is_received", entry.sender_id != owner);
    auto const& folder = view_of(folder_from_code(entry.folder).value_or(Folder::Inbox));
    data.set("folder_label", folder.label);
    data.set("folder_url", folder.path);
    TRY(moderation::add_to_reading(context, entry, data));
    return view::render(
        context, "mail/message", std::move(data), subject_or_default(entry.subject), view::MenuEntry::Mail);
}

// « Marquer comme non lu », « Supprimer », « Restaurer »: only on the
// person's own entry, 404 otherwise.
template<typename Change> ErrorOr<http::Response> change_entry(Context& context, Change change, std::string const& next)
{
    auto id = parse_id(context.request.parameter("id"));
    auto const owner = context.user().id;
    auto done = TRY(
        context.database().write([&](soci::session& session) -> ErrorOr<bool> { return change(session, owner, id); }));
    if (!done) {
        auto exists = TRY(context.database().read(
            [&](soci::session& session) -> ErrorOr<bool> { return find_entry(session, owner, id).has_value(); }));
        if (!exists)
            return Error::not_found("Ce message n'existe pas ou n'est plus dans votre messagerie.");
    }
    forget_unread(context, owner);
    return http::Response::redirect(next);
}

ErrorOr<http::Response> clear_trash(Context& context)
{
    auto const owner = context.user().id;
    TRY(context.database().write(
        [&](soci::session& session) -> ErrorOr<long long> { return empty_trash(session, owner); }));
    forget_unread(context, owner);
    return http::Response::redirect("/messagerie/corbeille?fait=videe");
}

void add_unread_count_to_frame(Context& context, view::Data& data)
{
    if (!context.signed_in())
        return;
    auto count = cached_unread_count(context);
    if (count.is_error()) {
        log::error("frame: " + count.error().detail);
        return;
    }
    if (count.value() > 0)
        data.set("mail_unread", std::to_string(count.value()));
}

ErrorOr<std::vector<HomeItem>> latest_messages(Context& context, identity::User const&)
{
    // Messages belong to the person signed in, whichever child the Accueil follows.
    auto const owner = context.user().id;
    auto entries = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::vector<Entry>> { return latest_unread(session, owner, 5); }));
    std::vector<HomeItem> items;
    items.reserve(entries.size());
    for (auto const& entry : entries) {
        items.push_back(
            { subject_or_default(entry.subject), entry.sender_name + " – " + i18n::format_long_datetime(entry.sent_at),
                {}, "/messagerie/messages/" + std::to_string(entry.message_id) });
    }
    return items;
}

} // namespace

void forget_unread(Context& context, long long person_id)
{
    context.services.personal_results.forget(unread_key(person_id));
}

ErrorOr<long long> cached_unread_count(Context& context)
{
    auto const owner = context.user().id;
    return cached_personal_result<long long>(context, unread_key(owner),
        [&](soci::session& session) -> ErrorOr<long long> { return unread_count(session, owner); });
}

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ USE, access::Scope::SignedIn, {}, access::Risk::Write, "Utiliser la messagerie" }));
    return moderation::declare_capabilities(registry);
}

std::vector<http::Route> routes()
{
    using http::Method;
    std::vector<http::Route> all {
        { Method::Get, "/messagerie", USE, [](Context& context) { return show_folder(context, Folder::Inbox); } },
        { Method::Get, "/messagerie/envoyes", USE,
            [](Context& context) { return show_folder(context, Folder::Sent); } },
        { Method::Get, "/messagerie/brouillons", USE,
            [](Context& context) { return show_folder(context, Folder::Drafts); } },
        { Method::Get, "/messagerie/corbeille", USE,
            [](Context& context) { return show_folder(context, Folder::Trash); } },
        { Method::Post, "/messagerie/corbeille/vider", USE, clear_trash },
        { Method::Get, "/messagerie/recherche", USE, search_messages },
        { Method::Get, "/messagerie/destinataires", USE, suggest_recipients },
        { Method::Post, "/messagerie/dossiers", USE, create_personal_folder },
        { Method::Get, "/messagerie/dossiers/{id}", USE, show_personal_folder },
        { Method::Post, "/messagerie/messages/{id}/deplacer", USE, move_message },
        { Method::Get, "/messagerie/nouveau", USE, show_compose },
        { Method::Post, "/messagerie/nouveau", USE, act_on_compose },
        { Method::Get, "/messagerie/messages/{id}", USE, read_message },
        { Method::Get, "/messagerie/messages/{id}/pieces/{piece}", USE, serve_attachment },
        { Method::Post, "/messagerie/messages/{id}/non-lu", USE,
            [](Context& context) {
                return change_entry(
                    context,
                    [](soci::session& session, long long owner, long long id) {
                        return set_read(session, owner, id, false);
                    },
                    "/messagerie?fait=non-lu");
            } },
        { Method::Post, "/messagerie/messages/{id}/supprimer", USE,
            [](Context& context) { return change_entry(context, move_to_trash, "/messagerie?fait=corbeille"); } },
        { Method::Post, "/messagerie/messages/{id}/restaurer", USE,
            [](Context& context) {
                return change_entry(context, restore, "/messagerie/messages/" + context.request.parameter("id"));
            } },
    };
    for (auto& route : moderation::routes())
        all.push_back(std::move(route));
    return all;
}

ErrorOr<void> start(Services& services)
{
    services.frame_contributors.emplace_back(add_unread_count_to_frame);
    services.home_block_sources[HomeBlock::Messages] = latest_messages;
    services.personal_data_exporters.emplace_back(
        "messagerie", [](Context& context, identity::User const& person) -> ErrorOr<PersonalData> {
            auto json = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::string> {
                return personal_data_json(session, person.id);
            }));
            return PersonalData { std::move(json), {} };
        });
    services.departure_handlers.emplace_back(
        [](soci::session& session, identity::User const& former, bool) { forget_mailbox(session, former.id); });
    return moderation::start(services);
}

} // namespace cartable::mail
