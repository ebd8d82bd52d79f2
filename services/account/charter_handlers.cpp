// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/account/charter_handlers.h"
#include "core/embedded.h"
#include "core/i18n/format.h"
#include "core/identity/charter.h"
#include "core/identity/identity_store.h"
#include "core/log.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "core/view/markdown.h"
#include <charconv>

namespace cartable::account {

namespace {

constexpr char const* DEFAULT_TITLE = "Charte d'utilisation de l'espace numérique de travail";
constexpr std::size_t MAX_TITLE = 200;
constexpr std::size_t MAX_BODY = 200'000;
constexpr int ACCEPTANCES_PER_PAGE = 50;

long long number(std::string_view text)
{
    long long value = 0;
    auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
    return parsed.ec == std::errc {} && parsed.ptr == text.data() + text.size() ? value : 0;
}

ErrorOr<std::optional<identity::charter::Version>> charter_in_force(Context& context)
{
    return context.database().read([](soci::session& session) -> ErrorOr<std::optional<identity::charter::Version>> {
        return identity::charter::current(session);
    });
}

view::Data charter_data(identity::charter::Version const& charter)
{
    view::Data data;
    data.set("title", charter.title);
    data.set("html", view::markdown_to_html(charter.body));
    data.set("version", std::to_string(charter.version));
    data.set("published", i18n::format_long_date(static_cast<std::time_t>(charter.published_at)));
    return data;
}

struct AdminForm {
    std::string title;
    std::string body;
    std::string error;
    std::string notice;
};

ErrorOr<http::Response> charter_admin_page(Context& context, AdminForm form, int status)
{
    auto filter = number(context.request.query.get("version"));
    auto page = std::max(1LL, number(context.request.query.get("page")));
    struct Content {
        std::vector<identity::charter::Version> versions;
        std::vector<identity::charter::Acceptance> acceptances;
    };
    auto content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Content> {
        return Content { identity::charter::versions(session),
            identity::charter::acceptances(
                session, filter, ACCEPTANCES_PER_PAGE + 1, static_cast<int>((page - 1) * ACCEPTANCES_PER_PAGE)) };
    }));
    if (form.title.empty() && form.body.empty() && !content.versions.empty()) {
        form.title = content.versions.front().title;
        form.body = content.versions.front().body;
    }
    view::Data data;
    data.set("title", form.title);
    data.set("body", form.body);
    data.set("error", form.error);
    data.set("notice", form.notice);
    view::List versions;
    for (auto const& version : content.versions) {
        view::Data entry;
        entry.set("version", std::to_string(version.version));
        entry.set("title", version.title);
        entry.set("published", i18n::format_long_datetime(static_cast<std::time_t>(version.published_at)));
        entry.set("by", version.published_by.empty() ? std::string("installation") : version.published_by);
        entry.set("acceptances", std::to_string(version.acceptances));
        entry.set("url", "/admin/charte?version=" + std::to_string(version.version));
        entry.set("selected", version.version == filter);
        versions.push_back(std::move(entry));
    }
    data.set("versions", std::move(versions));
    bool more = content.acceptances.size() > static_cast<std::size_t>(ACCEPTANCES_PER_PAGE);
    if (more)
        content.acceptances.pop_back();
    view::List acceptances;
    for (auto const& acceptance : content.acceptances) {
        view::Data entry;
        entry.set("name", acceptance.name);
        entry.set("login", acceptance.login);
        entry.set("profile", acceptance.profile);
        entry.set("version", std::to_string(acceptance.version));
        entry.set("accepted", i18n::format_long_datetime(static_cast<std::time_t>(acceptance.accepted_at)));
        acceptances.push_back(std::move(entry));
    }
    data.set("acceptances", std::move(acceptances));
    auto base = std::string("/admin/charte?") + (filter ? "version=" + std::to_string(filter) + "&" : "");
    if (page > 1)
        data.set("previous_url", base + "page=" + std::to_string(page - 1));
    if (more)
        data.set("next_url", base + "page=" + std::to_string(page + 1));
    data.set("filter", filter ? "version " + std::to_string(filter) : std::string("toutes les versions"));
    return view::render(
        context, "account/charter_admin", std::move(data), "Charte d'utilisation", view::MenuEntry::None, status);
}

} // namespace

ErrorOr<http::Response> show_charter_step(Context& context)
{
    auto charter = TRY(charter_in_force(context));
    if (!charter || context.user().charter_version >= charter->version)
        return http::Response::redirect("/accueil");
    auto data = charter_data(*charter);
    data.set("renewed", context.user().charter_version > 0);
    return view::render(context, "account/charter_step", std::move(data), "Charte d'utilisation");
}

ErrorOr<http::Response> accept_charter(Context& context)
{
    auto version = number(context.request.form.get("version"));
    auto const user_id = context.user().id;
    auto accepted = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<bool> {
        // The version read, and only if it is still the one in force: a
        // newer one published meanwhile must be read first.
        if (version <= 0 || version != identity::charter::current_version(session))
            return false;
        identity::charter::accept(session, user_id, version, context.now);
        identity::store::audit(session, user_id, "charter_accepted", "version " + std::to_string(version));
        return true;
    }));
    if (!accepted)
        return http::Response::redirect("/premiere-connexion");
    return http::Response::redirect("/premiere-connexion/contact");
}

ErrorOr<http::Response> show_charter(Context& context)
{
    auto charter = TRY(charter_in_force(context));
    if (!charter)
        return Error::not_found("Aucune charte n'est publiée sur cet ENT.");
    return view::render(context, "account/charter", charter_data(*charter), charter->title);
}

ErrorOr<http::Response> show_charter_admin(Context& context)
{
    AdminForm form;
    if (context.request.query.get("publiee") == "1")
        form.notice = "La nouvelle version de la charte est publiée : chacun l'acceptera à sa prochaine page.";
    return charter_admin_page(context, std::move(form), 200);
}

ErrorOr<http::Response> publish_charter(Context& context)
{
    AdminForm form;
    form.title = std::string(trim_text(context.request.form.get("titre")));
    form.body = context.request.form.get("texte");
    if (!validate::is_utf8(form.title) || !validate::is_utf8(form.body))
        form.error = "Le texte contient des caractères illisibles : enregistrez-le en UTF-8.";
    else if (form.title.empty())
        form.error = "Indiquez le titre de la charte.";
    else if (validate::character_count(form.title) > MAX_TITLE)
        form.error = "Le titre ne doit pas dépasser 200 caractères.";
    else if (trim_text(form.body).empty())
        form.error = "Le texte de la charte ne peut pas être vide.";
    else if (form.body.size() > MAX_BODY)
        form.error = "Le texte de la charte est trop long (200 000 caractères au plus).";
    if (!form.error.empty())
        return charter_admin_page(context, std::move(form), 400);
    auto const admin_id = context.user().id;
    auto version = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<long long> {
        auto published = identity::charter::publish(session, form.title, form.body, admin_id, context.now);
        identity::store::audit(session, admin_id, "charter_published", "version " + std::to_string(published));
        return published;
    }));
    context.services.charter_versions.forget_all();
    log::info("charter version " + std::to_string(version) + " published");
    return http::Response::redirect("/admin/charte?publiee=1");
}

ErrorOr<void> ensure_charter(Services& services)
{
    auto body = embedded::find("services/account/defaults/charte.md");
    if (!body)
        return Error::internal("the default charter is not embedded");
    auto now = static_cast<long long>(std::time(nullptr));
    TRY(services.database->transaction([&](soci::session& session) -> ErrorOr<bool> {
        if (identity::charter::current_version(session) == 0)
            identity::charter::publish(session, DEFAULT_TITLE, std::string(*body), std::nullopt, now);
        return true;
    }));
    return {};
}

} // namespace cartable::account
