// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/application.h"
#include "core/db/migrations.h"
#include "core/displayed_child.h"
#include "core/i18n/catalog.h"
#include "core/identity/api_tokens.h"
#include "core/identity/session_rules.h"
#include "core/identity/sessions.h"
#include "core/identity/tokens.h"
#include "core/log.h"
#include "core/view/frame.h"
#include "services/account/account.h"
#include "services/admin/admin.h"
#include "services/assessments/assessments.h"
#include "services/attendance/attendance.h"
#include "services/class_space/class_space.h"
#include "services/directory/directory.h"
#include "services/help/help.h"
#include "services/lesson_book/lesson_book.h"
#include "services/liaison_book/liaison_book.h"
#include "services/mail/mail.h"
#include "services/notifications/notifications.h"
#include "services/portal/portal.h"
#include "services/preferences/preferences.h"
#include "services/publishing/publishing.h"
#include "services/shortcuts/shortcuts.h"
#include "services/timetable/timetable.h"
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <ctime>

namespace cartable::app {

namespace {

struct ServiceModule {
    ErrorOr<void> (*declare)(access::CapabilityRegistry&);
    std::vector<http::Route> (*routes)();
    ErrorOr<void> (*start)(Services&) = nullptr; // work once the database is ready
};

constexpr ServiceModule MODULES[] = {
    { account::declare_capabilities, account::routes, account::start },
    { publishing::declare_capabilities, publishing::routes, publishing::start },
    { portal::declare_capabilities, portal::routes },
    { admin::declare_capabilities, admin::routes },
    { help::declare_capabilities, help::routes, help::start },
    { preferences::declare_capabilities, preferences::routes, preferences::start },
    { shortcuts::declare_capabilities, shortcuts::routes, shortcuts::start },
    { directory::declare_capabilities, directory::routes, directory::start },
    { class_space::declare_capabilities, class_space::routes, class_space::start },
    { mail::declare_capabilities, mail::routes, mail::start },
    { notifications::declare_capabilities, notifications::routes, notifications::start },
    { timetable::declare_capabilities, timetable::routes, timetable::start },
    { lesson_book::declare_capabilities, lesson_book::routes, lesson_book::start },
    { liaison_book::declare_capabilities, liaison_book::routes, liaison_book::start },
    { attendance::declare_capabilities, attendance::routes, attendance::start },
    { assessments::declare_capabilities, assessments::routes, assessments::start },
};

bool is_api(http::Request const& request)
{
    return request.path.starts_with("/api/");
}

// An error of the REST API, as JSON: a code for programs, a French sentence
// for people.
http::Response api_error(int status, std::string_view code, std::string const& message)
{
    boost::json::object body;
    body["erreur"] = code;
    body["message"] = message;
    return http::Response::json(boost::json::serialize(body), status);
}

char const* api_code(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Invalid:
        return "requete_invalide";
    case ErrorKind::NotFound:
        return "introuvable";
    case ErrorKind::Forbidden:
        return "interdit";
    case ErrorKind::Unauthenticated:
        return "non_authentifie";
    case ErrorKind::TooMany:
        return "trop_de_requetes";
    default:
        return "erreur_interne";
    }
}

identity::SessionLimits session_limits(Config const& config)
{
    return { config.session_idle_seconds, config.session_absolute_seconds };
}

} // namespace

ErrorOr<std::unique_ptr<Services>> open_services(Config const& config)
{
    auto services = std::make_unique<Services>();
    services->config = config;
    std::error_code error;
    std::filesystem::create_directories(config.data_directory, error);
    if (error)
        return Error::invalid(
            "Impossible de créer le dossier de données " + config.data_directory.string() + ".", error.message());
    services->database
        = TRY(db::Database::open(config.database_url(), static_cast<std::size_t>(config.database_pool_size)));
    TRY(db::migrate(*services->database));
    TRY(start_services(*services));
    services->password_hasher
        = std::make_unique<identity::PasswordHasher>(config.password_hash_threads, config.password_hash_queue);
    return services;
}

ErrorOr<void> start_services(Services& services)
{
    for (auto const& module : MODULES) {
        if (module.start)
            TRY(module.start(services));
    }
    return {};
}

ErrorOr<http::Router> build_router(access::CapabilityRegistry& registry)
{
    http::Router router;
    for (auto const& module : MODULES)
        TRY(module.declare(registry));
    for (auto const& module : MODULES) {
        for (auto& route : module.routes()) {
            if (!registry.find(route.capability))
                return Error::internal(
                    "route " + route.pattern + " names an undeclared capability " + route.capability);
            TRY(router.add(std::move(route)));
        }
    }
    return router;
}

Application::Application(Services& services, http::Router router)
    : m_services(services)
    , m_router(std::move(router))
{ }

void Application::route(http::Request& request) const
{
    if (request.routed)
        return;
    auto match = m_router.match(request.method, request.path);
    request.route = match.route;
    request.path_parameters = std::move(match.parameters);
    request.routed = true;
}

http::Lane Application::lane(http::Request& request) const
{
    route(request);
    if (!request.route)
        return http::Lane::Worker;
    if (request.route->lane == http::Lane::Public)
        return request.cookie(account::SESSION_COOKIE) ? http::Lane::Worker : http::Lane::Inline;
    return request.route->lane;
}

http::Response Application::refuse(int status, http::Request* request)
{
    if (!request)
        return view::bare_error_page(status);
    Context context { *request, m_services, static_cast<long long>(std::time(nullptr)) };
    auto loaded = load_session(context);
    auto response = view::error_page(loaded.is_error() ? nullptr : &context, status);
    for (auto const& cookie : context.cookies)
        response.add_cookie(cookie);
    return response;
}

ErrorOr<void> Application::load_session(Context& context)
{
    auto const& request = context.request;
    auto const& config = m_services.config;
    // The mobile application speaks to the API with a personal access token.
    if (auto authorization = request.header("authorization"); is_api(request) && authorization.starts_with("Bearer ")) {
        auto token = authorization.substr(7);
        auto resumed = TRY(context.database().read(
            [&](soci::session& session) -> ErrorOr<std::optional<identity::api_tokens::Resumed>> {
                return identity::api_tokens::resume(session, token, context.now);
            }));
        if (!resumed)
            return Error::unauthenticated("Ce jeton d'accès est inconnu ou a été révoqué.");
        if (resumed->should_touch) {
            TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
                identity::api_tokens::touch(session, resumed->token_id, context.now);
                return true;
            }));
        }
        context.session = identity::ActiveSession { {}, {}, std::move(resumed->user), context.now, context.now };
        context.by_token = true;
        return {};
    }
    if (auto token = request.cookie(account::SESSION_COOKIE)) {
        auto limits = session_limits(config);
        auto resumed = TRY(
            context.database().read([&](soci::session& session) -> ErrorOr<std::optional<identity::ActiveSession>> {
                return identity::sessions::resume(session, *token, context.now, limits);
            }));
        if (resumed && identity::should_touch_session(resumed->last_seen_at, context.now, limits)) {
            TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
                identity::sessions::touch(session, resumed->digest, context.now);
                return true;
            }));
        }
        context.session = std::move(resumed);
        if (!context.session) // expired or unknown: forget the cookie
            context.cookies.push_back(
                { account::SESSION_COOKIE, "", "/", 0, true, config.secure_cookies(), http::SameSite::Lax });
    }
    return {};
}

ErrorOr<http::Response> Application::dispatch(Context& context, http::Route const& route)
{
    auto const& request = context.request;

    // Static files need no session: their lane must not touch the database.
    if (route.lane != http::Lane::Inline)
        TRY(load_session(context));

    std::optional<access::Profile> profile;
    bool platform_admin = false;
    if (context.session) {
        profile = context.user().profile;
        platform_admin = context.user().platform_admin;
    }
    if (!m_services.capabilities.allows(route.capability, profile, platform_admin)) {
        if (!context.session) {
            if (request.method == http::Method::Get && !is_api(request))
                return http::Response::redirect("/connexion");
            return Error::unauthenticated();
        }
        return Error::forbidden("error.forbidden", "capability " + route.capability + " refused");
    }

    // The charter gate: nothing but the charter, help and sign-out before
    // the person has accepted the version in force.
    if (context.session && !route.before_charter) {
        auto const* capability = m_services.capabilities.find(route.capability);
        if (capability && capability->scope != access::Scope::Public) {
            auto version = TRY(m_services.charter_version(context.now));
            if (version > context.user().charter_version) {
                if (is_api(request))
                    return api_error(403, "charte_non_acceptee", i18n::text("charter.api_refused"));
                if (request.method == http::Method::Get)
                    return http::Response::redirect("/premiere-connexion");
                return Error::forbidden("charter.api_refused", "charter not accepted");
            }
        }
    }

    if (request.is_state_changing() && !context.by_token) {
        auto provided = request.form.get("csrf");
        if (provided.empty())
            provided = request.header("x-csrf-token");
        if (!identity::csrf_token_matches(context.csrf_token(), provided))
            return Error::forbidden("error.csrf", "CSRF token missing or wrong");
    }
    if (context.session && context.user().profile == access::Profile::Guardian && request.method == http::Method::Get
        && !context.by_token)
        TRY(remember_displayed_child(context));
    return route.handler(context);
}

http::Response Application::handle(http::Request& request)
{
    Context context { request, m_services, static_cast<long long>(std::time(nullptr)) };
    http::Response response;
    try {
        route(request);
        if (!request.route) {
            auto match = m_router.match(request.method, request.path);
            // Inside the frame for a signed-in person, so the menu stays.
            auto loaded = load_session(context);
            response = view::error_page(loaded.is_error() ? nullptr : &context, match.path_known ? 405 : 404);
            if (match.path_known) {
                std::string allow;
                for (auto method : match.allowed)
                    allow += (allow.empty() ? "" : ", ") + std::string(http::method_name(method));
                response.set_header("Allow", allow);
            }
        } else {
            auto result = dispatch(context, *request.route);
            if (!result.is_error())
                response = result.release_value();
            else if (is_api(request))
                response = api_error(view::status_for(result.error().kind), api_code(result.error().kind),
                    result.error().kind == ErrorKind::Internal ? i18n::text("error.internal")
                                                               : i18n::text(result.error().message_key));
            else
                response = view::error_response(context, result.error());
        }
    } catch (std::exception const& error) {
        log::error(std::string("request failed: ") + error.what());
        response = view::bare_error_page(500);
    }
    for (auto const& cookie : context.cookies)
        response.add_cookie(cookie);
    return response;
}

} // namespace cartable::app
