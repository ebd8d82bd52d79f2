// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/view/frame.h"
#include "core/http/static_files.h"
#include "core/i18n/catalog.h"
#include "core/identity/identity_store.h"
#include "core/log.h"

namespace cartable::view {

namespace {

Data frame_data(Context& context, Page const& page)
{
    Data data;
    data.set("title", page.title);
    data.set("content", page.body_html);
    data.set("stylesheet", http::static_url("cartable.css"));
    data.set("script", http::static_url("cartable.js"));
    data.set("csrf_token", context.csrf_token());
    auto const& user = context.user();
    data.set("person_name", user.display_name());
    data.set("home", page.menu == MenuEntry::Home);
    data.set("mail", page.menu == MenuEntry::Mail);
    data.set("lesson_book", page.menu == MenuEntry::LessonBook);
    data.set("liaison_book", page.menu == MenuEntry::LiaisonBook);
    data.set("timetable", page.menu == MenuEntry::Timetable);
    data.set("attendance", page.menu == MenuEntry::Attendance);
    data.set("assessments", page.menu == MenuEntry::Assessments);
    data.set("is_admin", user.profile == access::Profile::Admin);
    data.set("may_publish", user.profile == access::Profile::Staff || user.profile == access::Profile::Admin);

    auto structure = context.services.structure(user.structure_id, context.now);
    List portals;
    List classes;
    if (structure) {
        auto structure_name = upper(structure->name);
        data.set("structure_name", structure_name);
        data.set("structure_uai", structure->uai);
        Data own;
        own.set("label", std::move(structure_name));
        own.set("url", "/portail/" + structure->uai);
        portals.push_back(std::move(own));
        if (!structure->academy.empty()) {
            Data academy;
            academy.set("label", "Académie de " + structure->academy);
            academy.set("url", "/portails/academie");
            portals.push_back(std::move(academy));
        }
        if (!structure->region.empty()) {
            Data region;
            region.set("label", "Région " + structure->region);
            region.set("url", "/portails/region");
            portals.push_back(std::move(region));
        }
    }
    Data inter;
    inter.set("label", "Site inter-établissements");
    inter.set("url", "/portails/inter-etablissements");
    portals.push_back(std::move(inter));
    // « Mes portails » marks the portal being shown.
    for (auto& portal : portals) {
        if (auto const* url = portal.find("url"); url && url->text() == context.request.path)
            portal.set("current", true);
    }
    data.set("portals", std::move(portals));
    // The class spaces' service lists the person's spaces (a frame contributor).
    data.set("classes", std::move(classes));
    // « Ajouter à mes raccourcis » on every page one may come back to.
    auto const& path = context.request.path;
    if (page.status == 200 && context.request.method == http::Method::Get && path != "/accueil"
        && !path.starts_with("/premiere-connexion")) {
        data.set("shortcut_url", context.request.target);
        data.set("shortcut_label", page.title);
    }
    for (auto const& contribute : context.services.frame_contributors)
        contribute(context, data);
    return data;
}

Data public_data(Context* context, Page const& page)
{
    Data data;
    data.set("title", page.title);
    data.set("content", page.body_html);
    data.set("stylesheet", http::static_url("cartable.css"));
    data.set("script", http::static_url("cartable.js"));
    data.set("show_sign_in", context == nullptr || !context->signed_in());
    data.set("home_url", page.home_url);
    if (!page.structure_name.empty()) {
        data.set("structure_name", page.structure_name);
        data.set("structure_place", page.structure_place);
    }
    return data;
}

char const* title_key(int status)
{
    switch (status) {
    case 400:
        return "error.bad_request.title";
    case 401:
        return "error.unauthenticated.title";
    case 403:
        return "error.forbidden.title";
    case 404:
        return "error.not_found.title";
    case 405:
        return "error.method.title";
    case 409:
        return "error.conflict.title";
    case 413:
        return "error.too_large.title";
    case 429:
        return "error.too_many.title";
    case 507:
        return "error.quota.title";
    case 503:
        return "error.unavailable.title";
    default:
        return "error.internal.title";
    }
}

char const* message_key(int status)
{
    switch (status) {
    case 400:
        return "error.bad_request";
    case 401:
        return "error.unauthenticated";
    case 403:
        return "error.forbidden";
    case 404:
        return "error.not_found";
    case 405:
        return "error.method";
    case 413:
        return "error.too_large";
    case 431:
        return "error.headers_too_large";
    case 429:
        return "error.too_many";
    case 503:
        return "error.unavailable";
    default:
        return "error.internal";
    }
}

std::string error_body(int status, std::string const& key, std::string const& home)
{
    Data data;
    data.set("title", i18n::text(title_key(status)));
    data.set("message", i18n::text(key.empty() ? message_key(status) : key));
    data.set("home_url", home);
    return Templates::instance().render("view/error", data);
}

} // namespace

std::string upper(std::string text)
{
    // The guide writes names in capitals without accents (« CITE SCOLAIRE
    // ANDRE CHAMSON », « LE VIGAN - ACADÉMIE DE MONTPELLIER » keeps its É):
    // the accented lower-case letters of French are raised by hand.
    static std::pair<std::string_view, std::string_view> const accented[]
        = { { "é", "É" }, { "è", "È" }, { "ê", "Ê" }, { "à", "À" }, { "â", "Â" }, { "ç", "Ç" }, { "î", "Î" },
              { "ï", "Ï" }, { "ô", "Ô" }, { "ù", "Ù" }, { "û", "Û" }, { "ë", "Ë" } };
    std::string result;
    result.reserve(text.size());
    for (std::size_t index = 0; index < text.size();) {
        auto byte = static_cast<unsigned char>(text[index]);
        if (byte < 0x80) {
            result += static_cast<char>(std::toupper(byte));
            ++index;
            continue;
        }
        bool replaced = false;
        for (auto const& [lower, capital] : accented) {
            if (std::string_view(text).substr(index, lower.size()) == lower) {
                result += capital;
                index += lower.size();
                replaced = true;
                break;
            }
        }
        if (!replaced)
            result += static_cast<char>(std::toupper(static_cast<unsigned char>(text[index++])));
    }
    return result;
}

void set_public_structure(Page& page, identity::Structure const& structure)
{
    page.structure_name = upper(structure.name);
    page.structure_place
        = upper(structure.city) + (structure.academy.empty() ? "" : " - ACADÉMIE DE " + upper(structure.academy));
    page.home_url = "/portail/" + structure.uai;
}

http::Response render_page(Context& context, Page const& page)
{
    std::string html;
    if (context.signed_in())
        html = Templates::instance().render("view/frame", frame_data(context, page));
    else
        html = Templates::instance().render("view/public", public_data(&context, page));
    auto response = http::Response::html(std::move(html), page.status);
    response.set_header("Cache-Control", "no-store");
    return response;
}

http::Response render(
    Context& context, std::string_view template_name, Data data, std::string title, MenuEntry menu, int status)
{
    if (Templates::instance().needs_csrf_token(template_name))
        data.set("csrf_token", context.csrf_token());
    Page page { std::move(title), Templates::instance().render(template_name, data), menu, status };
    return render_page(context, page);
}

http::Response error_page(Context* context, int status, std::string const& message_key_or_text)
{
    if (!context)
        return bare_error_page(status, message_key_or_text);
    Page page { i18n::text(title_key(status)),
        error_body(status, message_key_or_text, context->signed_in() ? "/accueil" : "/"), MenuEntry::None, status };
    return render_page(*context, page);
}

http::Response bare_error_page(int status, std::string const& message_key_or_text)
{
    Page page { i18n::text(title_key(status)), error_body(status, message_key_or_text, "/"), MenuEntry::None, status };
    auto response
        = http::Response::html(Templates::instance().render("view/public", public_data(nullptr, page)), status);
    response.set_header("Cache-Control", "no-store");
    return response;
}

int status_for(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Invalid:
        return 400;
    case ErrorKind::NotFound:
        return 404;
    case ErrorKind::Forbidden:
        return 403;
    case ErrorKind::Conflict:
        return 409;
    case ErrorKind::QuotaExceeded:
        return 507;
    case ErrorKind::Unauthenticated:
        return 401;
    case ErrorKind::TooMany:
        return 429;
    case ErrorKind::TooLarge:
        return 413;
    case ErrorKind::Internal:
        return 500;
    }
    return 500;
}

http::Response error_response(Context& context, Error const& error)
{
    if (error.kind == ErrorKind::Internal)
        log::error("internal error on " + context.request.path_for_log() + ": " + error.detail);
    else if (!error.detail.empty())
        log::info("refused " + context.request.path + ": " + error.detail);
    return error_page(
        &context, status_for(error.kind), error.kind == ErrorKind::Internal ? std::string() : error.message_key);
}

} // namespace cartable::view
