// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/context.h"
#include "core/identity/identity_store.h"
#include "core/log.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/shortcuts/shortcuts.h"
#include <charconv>

namespace cartable::shortcuts {

namespace {

constexpr char const* MANAGE = "shortcuts.manage";
constexpr std::size_t MAX_LABEL = 100;

// A JSON string.
std::string quoted(std::string const& text)
{
    std::string result = "\"";
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            result += '\\';
            result += c;
        } else if (byte < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
            result += escaped;
        } else {
            result += c;
        }
    }
    return result + "\"";
}

std::string cache_key(long long user_id)
{
    return "shortcuts:" + std::to_string(user_id);
}

ErrorOr<std::vector<Shortcut>> shortcuts_of(Context& context)
{
    auto const user_id = context.user().id;
    return cached_personal_result<std::vector<Shortcut>>(context, cache_key(user_id),
        [&](soci::session& session) -> ErrorOr<std::vector<Shortcut>> { return list(session, user_id); });
}

void forget(Context& context)
{
    context.services.personal_results.forget(cache_key(context.user().id));
}

long long shortcut_id(Context& context)
{
    auto text = context.request.parameter("id");
    long long value = 0;
    auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
    return parsed.ec == std::errc {} && parsed.ptr == text.data() + text.size() ? value : 0;
}

ErrorOr<http::Response> manage_page(Context& context, std::string const& error, int status)
{
    auto entries = TRY(shortcuts_of(context));
    view::Data data;
    view::List list;
    for (std::size_t index = 0; index < entries.size(); ++index) {
        view::Data entry;
        entry.set("id", std::to_string(entries[index].id));
        entry.set("label", entries[index].label);
        entry.set("url", entries[index].url);
        entry.set("first", index == 0);
        entry.set("last", index + 1 == entries.size());
        list.push_back(std::move(entry));
    }
    data.set("shortcuts", std::move(list));
    data.set("error", error);
    if (context.request.query.get("retire") == "1")
        data.set("notice", "Le raccourci est retiré de votre menu.");
    data.set("csrf_token", context.csrf_token());
    return view::render(context, "shortcuts/manage", std::move(data), "Mes raccourcis", view::MenuEntry::None, status);
}

// « Ajouter à mes raccourcis », from the frame of any page: back to that page.
ErrorOr<http::Response> add_shortcut(Context& context)
{
    auto url = std::string(trim_text(context.request.form.get("adresse")));
    auto label = std::string(trim_text(context.request.form.get("libelle")));
    if (!is_local_address(url))
        return manage_page(context, "Seules les pages de l'ENT peuvent être ajoutées à vos raccourcis.", 400);
    if (label.empty())
        label = url;
    if (!validate::is_utf8(label))
        return manage_page(context, "Le nom du raccourci contient des caractères illisibles.", 400);
    if (validate::character_count(label) > MAX_LABEL)
        return manage_page(context, "Le nom du raccourci ne doit pas dépasser 100 caractères.", 400);
    auto const user_id = context.user().id;
    auto outcome = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<int> {
        if (list(session, user_id).size() >= MAX_SHORTCUTS)
            return 1;
        add(session, user_id, label, url, context.now);
        return 0;
    }));
    if (outcome == 1)
        return manage_page(context, "Vous avez déjà 30 raccourcis : retirez-en un avant d'en ajouter un autre.", 409);
    forget(context);
    return http::Response::redirect(url);
}

ErrorOr<http::Response> remove_shortcut(Context& context)
{
    auto id = shortcut_id(context);
    auto const user_id = context.user().id;
    auto removed = TRY(context.database().write(
        [&](soci::session& session) -> ErrorOr<bool> { return remove(session, user_id, id); }));
    if (!removed)
        return Error::not_found("Ce raccourci n'existe pas ou a déjà été retiré.");
    forget(context);
    return http::Response::redirect("/raccourcis?retire=1");
}

ErrorOr<http::Response> move_shortcut(Context& context, int direction)
{
    auto id = shortcut_id(context);
    auto const user_id = context.user().id;
    auto moved = TRY(context.database().transaction(
        [&](soci::session& session) -> ErrorOr<bool> { return move(session, user_id, id, direction); }));
    if (!moved)
        return Error::not_found("Ce raccourci n'existe pas ou a déjà été retiré.");
    forget(context);
    return http::Response::redirect("/raccourcis");
}

void add_shortcuts_to_frame(Context& context, view::Data& data)
{
    auto entries = shortcuts_of(context);
    if (entries.is_error()) {
        log::error("frame: " + entries.error().detail);
        return;
    }
    view::List list;
    bool current = false;
    for (auto const& entry : entries.value()) {
        view::Data item;
        item.set("label", entry.label);
        item.set("url", entry.url);
        list.push_back(std::move(item));
        current = current || entry.url == context.request.target;
    }
    data.set("has_shortcuts", !entries.value().empty());
    data.set("shortcuts", std::move(list));
    data.set("shortcut_saved", current);
}

} // namespace

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    return registry.declare({ MANAGE, access::Scope::SignedIn, {}, access::Risk::Write, "Gérer ses raccourcis" });
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/raccourcis", MANAGE, [](Context& context) { return manage_page(context, {}, 200); } },
        { Method::Post, "/raccourcis", MANAGE, add_shortcut },
        { Method::Post, "/raccourcis/{id}/supprimer", MANAGE, remove_shortcut },
        { Method::Post, "/raccourcis/{id}/monter", MANAGE,
            [](Context& context) { return move_shortcut(context, -1); } },
        { Method::Post, "/raccourcis/{id}/descendre", MANAGE,
            [](Context& context) { return move_shortcut(context, 1); } },
    };
}

ErrorOr<void> start(Services& services)
{
    services.frame_contributors.emplace_back(add_shortcuts_to_frame);
    services.personal_data_exporters.emplace_back(
        "raccourcis", [](Context& context, identity::User const& person) -> ErrorOr<PersonalData> {
            auto entries = TRY(context.database().read(
                [&](soci::session& session) -> ErrorOr<std::vector<Shortcut>> { return list(session, person.id); }));
            std::string json = "[";
            for (auto const& entry : entries) {
                if (json.size() > 1)
                    json += ",";
                json += "{\"libelle\":" + quoted(entry.label) + ",\"adresse\":" + quoted(entry.url) + "}";
            }
            return PersonalData { json + "]", {} };
        });
    return {};
}

} // namespace cartable::shortcuts
