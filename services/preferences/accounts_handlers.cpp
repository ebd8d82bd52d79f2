// SPDX-License-Identifier: AGPL-3.0-or-later
// « Rapprochement de comptes » (and the switch between linked accounts) and
// « Application mobile » (personal access tokens of the REST API).
#include "core/i18n/format.h"
#include "core/identity/api_tokens.h"
#include "core/identity/identity_store.h"
#include "core/identity/session_rules.h"
#include "core/identity/sessions.h"
#include "core/log.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "core/view/qrcode.h"
#include "services/account/account.h"
#include "services/preferences/preferences_handlers.h"
#include "services/preferences/preferences_view.h"
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <charconv>

namespace cartable::preferences {

namespace {

constexpr char const* WRONG_CREDENTIALS = "Identifiant ou mot de passe incorrect.";
constexpr std::size_t MAX_DEVICE_NAME = 60;
constexpr std::size_t MAX_DEVICES = 10;

long long path_id(Context& context, std::string_view name)
{
    auto text = context.request.parameter(name);
    long long value = 0;
    auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
    return parsed.ec == std::errc {} && parsed.ptr == text.data() + text.size() ? value : 0;
}

std::string linked_key(long long user_id)
{
    return "linked:" + std::to_string(user_id);
}

// Names compared as a person would: case, accents and punctuation aside.
std::string comparable_name(std::string const& text)
{
    std::string result;
    for (char c : fold_accents(text)) {
        if (std::isalnum(static_cast<unsigned char>(c)))
            result += c;
    }
    return result;
}

bool same_person(identity::User const& one, identity::User const& other)
{
    return comparable_name(one.first_name) == comparable_name(other.first_name)
        && comparable_name(one.last_name) == comparable_name(other.last_name);
}

std::string account_label(Context& context, identity::User const& account)
{
    auto label = account.display_name() + " (" + std::string(access::profile_label(account.profile));
    if (auto structure = context.services.structure(account.structure_id, context.now))
        label += ", " + structure->name;
    return label + ")";
}

ErrorOr<std::vector<identity::User>> linked_of(Context& context, long long user_id)
{
    return cached_personal_result<std::vector<identity::User>>(
        context, linked_key(user_id), [&](soci::session& session) -> ErrorOr<std::vector<identity::User>> {
            return identity::store::linked_accounts(session, user_id);
        });
}

ErrorOr<http::Response> links_page(Context& context, std::string const& error, std::string const& login, int status)
{
    auto accounts = TRY(linked_of(context, context.user().id));
    view::Data data;
    set_tab(data, Tab::Links);
    view::List list;
    for (auto const& account : accounts) {
        view::Data entry;
        entry.set("id", std::to_string(account.id));
        entry.set("label", account_label(context, account));
        entry.set("login", account.login);
        list.push_back(std::move(entry));
    }
    data.set("accounts", std::move(list));
    data.set("error", error);
    data.set("login", login);
    if (context.request.query.get("rapproche") == "1")
        data.set("notice", "Les deux comptes sont rapprochés : passez de l'un à l'autre par « Changer de compte ».");
    if (context.request.query.get("delie") == "1")
        data.set("notice", "Le rapprochement est supprimé.");
    data.set("csrf_token", context.csrf_token());
    return view::render(
        context, "preferences/links", std::move(data), "Rapprochement de comptes", view::MenuEntry::None, status);
}

std::string pairing_uri(Context& context, std::string const& token)
{
    auto server = context.config().public_url;
    if (server.empty())
        server = "http://" + context.request.header("host");
    return "cartable://appairage?serveur=" + boost::urls::encode(server, boost::urls::unreserved_chars)
        + "&jeton=" + token;
}

ErrorOr<http::Response> mobile_page(Context& context, std::string const& error, std::string const& name,
    std::optional<identity::api_tokens::Created> const& created, int status)
{
    auto const user_id = context.user().id;
    auto tokens
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<identity::api_tokens::Token>> {
              return identity::api_tokens::list(session, user_id);
          }));
    view::Data data;
    set_tab(data, Tab::Mobile);
    view::List list;
    for (auto const& token : tokens) {
        view::Data entry;
        entry.set("id", std::to_string(token.id));
        entry.set("name", token.name);
        entry.set("created", i18n::format_long_datetime(static_cast<std::time_t>(token.created_at)));
        entry.set("used",
            token.last_used_at ? i18n::format_relative(
                static_cast<std::time_t>(token.last_used_at), static_cast<std::time_t>(context.now))
                               : std::string("jamais"));
        list.push_back(std::move(entry));
    }
    data.set("devices", std::move(list));
    data.set("error", error);
    data.set("name", name);
    if (created) {
        data.set("new_token", created->token);
        data.set("new_name", name);
        auto uri = pairing_uri(context, created->token);
        data.set("pairing_uri", uri);
        data.set("qr_svg", view::qr_code_svg(uri, "Code QR d'association de l'appareil " + name).value_or(""));
    }
    if (context.request.query.get("revoque") == "1")
        data.set("notice", "L'appareil n'a plus accès à votre compte.");
    data.set("csrf_token", context.csrf_token());
    auto response = view::render(
        context, "preferences/mobile", std::move(data), "Application mobile", view::MenuEntry::None, status);
    // The token is shown once: no copy in any cache.
    response.set_header("Cache-Control", "no-store");
    return response;
}

} // namespace

ErrorOr<http::Response> show_links(Context& context)
{
    return links_page(context, {}, {}, 200);
}

// The other account is proven by its own credentials, under the same
// throttling as the sign-in form; it must be the same person's (same first
// and last name: a parent cannot take in their child's account).
ErrorOr<http::Response> link_account(Context& context)
{
    auto const& form = context.request.form;
    auto login = std::string(trim_text(form.get("identifiant")));
    std::transform(
        login.begin(), login.end(), login.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto password = form.get("mot_de_passe");
    if (login.empty() || password.empty())
        return links_page(context, "Saisissez l'identifiant et le mot de passe du compte à rapprocher.", login, 400);
    if (login.size() > 128 || password.size() > 128)
        return links_page(context, WRONG_CREDENTIALS, login, 401);
    auto const& config = context.config();
    auto account_key = "account:" + login;
    auto address_key = "address:" + context.request.remote_address;
    long long since = context.now - config.sign_in_window_seconds;
    auto looked_up = context.database().read(
        [&](soci::session& session) -> ErrorOr<std::optional<std::pair<identity::User, std::string>>> {
            if (identity::sign_in_throttled(identity::sessions::recent_failures(session, account_key, since),
                    identity::sessions::recent_failures(session, address_key, since),
                    config.sign_in_max_failures_per_account, config.sign_in_max_failures_per_address))
                return Error::too_many("Trop de tentatives ont échoué. Patientez quelques minutes avant de réessayer.");
            return identity::store::find_user_for_sign_in(session, login);
        });
    if (looked_up.is_error() && looked_up.error().kind == ErrorKind::TooMany)
        return links_page(context, looked_up.error().message_key, login, 429);
    auto candidate = TRY(std::move(looked_up));
    auto verified
        = TRY(context.services.password_hasher->verify(candidate ? candidate->second : std::string(), password));
    auto const& user = context.user();
    if (!verified || !candidate || !candidate->first.active) {
        TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
            identity::sessions::record_failure(session, account_key, context.now);
            identity::sessions::record_failure(session, address_key, context.now);
            return true;
        }));
        return links_page(context, WRONG_CREDENTIALS, login, 401);
    }
    auto const& other = candidate->first;
    if (other.id == user.id)
        return links_page(context, "C'est le compte avec lequel vous êtes connecté.", login, 400);
    if (!same_person(user, other))
        return links_page(context,
            "Ce compte appartient à une autre personne : seuls les comptes d'une même personne peuvent être "
            "rapprochés.",
            login, 403);
    auto linked = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<bool> {
        if (identity::store::accounts_linked(session, user.id, other.id))
            return false;
        identity::store::link_accounts(session, user.id, other.id, context.now);
        identity::store::audit(session, user.id, "account_linked", "with user " + std::to_string(other.id));
        return true;
    }));
    if (!linked)
        return links_page(context, "Ces deux comptes sont déjà rapprochés.", login, 409);
    context.services.personal_results.forget(linked_key(user.id));
    context.services.personal_results.forget(linked_key(other.id));
    return http::Response::redirect("/preferences/comptes?rapproche=1");
}

ErrorOr<http::Response> unlink_account(Context& context)
{
    auto other = path_id(context, "id");
    auto const user_id = context.user().id;
    auto removed = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<bool> {
        if (!identity::store::unlink_accounts(session, user_id, other))
            return false;
        identity::store::audit(session, user_id, "account_unlinked", "from user " + std::to_string(other));
        return true;
    }));
    if (!removed)
        return Error::not_found("Ce compte n'est pas rapproché du vôtre.");
    context.services.personal_results.forget(linked_key(user_id));
    context.services.personal_results.forget(linked_key(other));
    return http::Response::redirect("/preferences/comptes?delie=1");
}

// From the top bar: a new session on the linked account, the current one
// ended, no password asked again.
ErrorOr<http::Response> switch_account(Context& context)
{
    auto const& text = context.request.form.get("compte");
    long long target = 0;
    auto parsed = std::from_chars(text.data(), text.data() + text.size(), target);
    if (parsed.ec != std::errc {})
        return Error::invalid("Choisissez le compte à utiliser.");
    auto const user_id = context.user().id;
    auto token = context.request.cookie(account::SESSION_COOKIE);
    auto created = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<identity::NewSession> {
        auto other = identity::store::find_user(session, target);
        if (!other || !other->active || !identity::store::accounts_linked(session, user_id, target))
            return Error::forbidden("Ce compte n'est pas rapproché du vôtre.", "switch to an unlinked account");
        if (token)
            identity::sessions::end(session, *token);
        auto result = identity::sessions::create(session, target, context.request.remote_address, context.now);
        identity::store::audit(session, target, "account_switched", "from user " + std::to_string(user_id));
        return result;
    }));
    log::info("account switched: user " + std::to_string(user_id) + " to " + std::to_string(target));
    context.cookies.push_back({ account::SESSION_COOKIE, created.token, "/", std::nullopt, true,
        context.config().secure_cookies(), http::SameSite::Lax });
    return http::Response::redirect("/accueil");
}

void add_linked_accounts_to_frame(Context& context, view::Data& data)
{
    if (context.by_token)
        return;
    auto accounts = linked_of(context, context.user().id);
    if (accounts.is_error()) {
        log::error("frame: " + accounts.error().detail);
        return;
    }
    view::List list;
    for (auto const& account : accounts.value()) {
        view::Data entry;
        entry.set("id", std::to_string(account.id));
        entry.set("label", account_label(context, account));
        list.push_back(std::move(entry));
    }
    data.set("has_linked_accounts", !accounts.value().empty());
    data.set("linked_accounts", std::move(list));
}

ErrorOr<http::Response> show_mobile(Context& context)
{
    return mobile_page(context, {}, {}, std::nullopt, 200);
}

ErrorOr<http::Response> pair_device(Context& context)
{
    auto name = std::string(trim_text(context.request.form.get("nom")));
    if (name.empty())
        return mobile_page(
            context, "Donnez un nom à l'appareil (par exemple « Téléphone d'André »).", name, std::nullopt, 400);
    if (!validate::is_utf8(name) || validate::character_count(name) > MAX_DEVICE_NAME)
        return mobile_page(
            context, "Le nom de l'appareil ne doit pas dépasser 60 caractères.", name, std::nullopt, 400);
    auto const user_id = context.user().id;
    auto created = TRY(context.database().transaction(
        [&](soci::session& session) -> ErrorOr<std::optional<identity::api_tokens::Created>> {
            if (identity::api_tokens::list(session, user_id).size() >= MAX_DEVICES)
                return std::optional<identity::api_tokens::Created> {};
            auto result = identity::api_tokens::create(session, user_id, name, context.now);
            identity::store::audit(session, user_id, "api_token_created", "token " + std::to_string(result.id));
            return std::optional(result);
        }));
    if (!created)
        return mobile_page(context,
            "Vous avez déjà associé 10 appareils : révoquez-en un avant d'en associer un autre.", name, std::nullopt,
            409);
    return mobile_page(context, {}, name, created, 201);
}

ErrorOr<http::Response> revoke_device(Context& context)
{
    auto token_id = path_id(context, "id");
    auto const user_id = context.user().id;
    auto revoked = TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<bool> {
        if (!identity::api_tokens::revoke(session, user_id, token_id, context.now))
            return false;
        identity::store::audit(session, user_id, "api_token_revoked", "token " + std::to_string(token_id));
        return true;
    }));
    if (!revoked)
        return Error::not_found("Cet appareil n'est pas associé à votre compte.");
    return http::Response::redirect("/preferences/application-mobile?revoque=1");
}

ErrorOr<http::Response> api_me(Context& context)
{
    auto const& user = context.user();
    boost::json::object body;
    body["identifiant"] = user.login;
    body["civilite"] = user.civility;
    body["prenom"] = user.first_name;
    body["nom"] = user.last_name;
    body["profil"] = access::profile_code(user.profile);
    if (auto structure = context.services.structure(user.structure_id, context.now)) {
        boost::json::object school;
        school["uai"] = structure->uai;
        school["nom"] = structure->name;
        body["etablissement"] = std::move(school);
    }
    if (user.profile == access::Profile::Guardian) {
        boost::json::array children;
        for (auto const& child : TRY(context.services.children_of(user.id, context.now))) {
            boost::json::object entry;
            entry["id"] = child.id;
            entry["prenom"] = child.first_name;
            entry["nom"] = child.last_name;
            children.push_back(std::move(entry));
        }
        body["enfants"] = std::move(children);
    }
    auto response = http::Response::json(boost::json::serialize(body));
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

} // namespace cartable::preferences
