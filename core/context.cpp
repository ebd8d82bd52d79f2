// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/context.h"
#include "core/identity/charter.h"
#include "core/identity/identity_store.h"
#include "core/identity/tokens.h"

namespace cartable {

std::optional<identity::Structure> Services::structure(long long id, long long now)
{
    if (auto cached = structures.find(id, now))
        return cached;
    auto loaded = database->read([&](soci::session& session) -> ErrorOr<std::optional<identity::Structure>> {
        return identity::store::find_structure(session, id);
    });
    if (loaded.is_error() || !loaded.value())
        return std::nullopt;
    structures.store(id, *loaded.value(), now);
    return loaded.value();
}

ErrorOr<std::vector<identity::SchoolClass>> Services::classes_of(identity::User const& person, long long now)
{
    if (auto cached = classes_by_person.find(person.id, now))
        return std::move(*cached);
    auto loaded = TRY(database->read([&](soci::session& session) -> ErrorOr<std::vector<identity::SchoolClass>> {
        return identity::store::classes_of(session, person);
    }));
    classes_by_person.store(person.id, loaded, now);
    return loaded;
}

ErrorOr<std::vector<identity::User>> Services::children_of(long long guardian_id, long long now)
{
    if (auto cached = children_by_guardian.find(guardian_id, now))
        return std::move(*cached);
    auto loaded = TRY(database->read([&](soci::session& session) -> ErrorOr<std::vector<identity::User>> {
        return identity::store::children_of(session, guardian_id);
    }));
    children_by_guardian.store(guardian_id, loaded, now);
    return loaded;
}

ErrorOr<long long> Services::charter_version(long long now)
{
    if (auto cached = charter_versions.find(0, now))
        return *cached;
    auto version = TRY(database->read(
        [&](soci::session& session) -> ErrorOr<long long> { return identity::charter::current_version(session); }));
    charter_versions.store(0, version, now);
    return version;
}

void Services::forget_directory()
{
    structures.forget_all();
    classes_by_person.forget_all();
    children_by_guardian.forget_all();
    public_pages.forget_all();
}

std::string const& Context::csrf_token()
{
    if (session)
        return session->csrf_token;
    if (anonymous_csrf_token.empty()) {
        auto existing = request.cookie(ANONYMOUS_CSRF_COOKIE);
        if (existing && existing->size() == 43) {
            anonymous_csrf_token = *existing;
        } else {
            anonymous_csrf_token = identity::random_token();
            cookies.push_back({ ANONYMOUS_CSRF_COOKIE, anonymous_csrf_token, "/", std::nullopt, true,
                services.config.secure_cookies(), http::SameSite::Lax });
        }
    }
    return anonymous_csrf_token;
}

} // namespace cartable

namespace cartable {

std::string Context::public_url() const
{
    auto url = config().public_url;
    if (url.empty()) {
        auto host = request.header("host");
        url = host.empty() ? "http://" + config().listen_host + ":" + std::to_string(config().listen_port)
                           : "http://" + host;
    }
    while (url.size() > 1 && url.back() == '/')
        url.pop_back();
    return url;
}

} // namespace cartable
