// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/identity/sessions.h"
#include "core/identity/identity_store.h"
#include "core/identity/tokens.h"

namespace cartable::identity::sessions {

NewSession create(soci::session& session, long long user_id, std::string const& remote_address, long long now)
{
    NewSession result { random_token(), random_token() };
    auto digest = token_digest(result.token);
    session
        << "INSERT INTO identity_session (id_digest, user_id, csrf_token, created_at, last_seen_at, remote_address) "
           "VALUES (:digest, :user, :csrf, :created, :seen, :remote)",
        soci::use(digest), soci::use(user_id), soci::use(result.csrf_token), soci::use(now), soci::use(now),
        soci::use(remote_address);
    return result;
}

std::optional<ActiveSession> resume(
    soci::session& session, std::string const& token, long long now, SessionLimits limits)
{
    if (token.empty() || token.size() > 128)
        return std::nullopt;
    ActiveSession active;
    active.digest = token_digest(token);
    auto& user = active.user;
    std::string profile;
    long long active_flag = 0;
    long long is_demo = 0;
    soci::indicator found = soci::i_null;
    // One query for the session and its person: it runs on every page.
    session << "SELECT s.csrf_token, s.created_at, s.last_seen_at, u.id, u.login, u.civility, u.first_name, "
               "u.last_name, u.profile, u.function, u.structure_id, u.active, u.is_demo "
               "FROM identity_session s JOIN identity_user u ON u.id = s.user_id WHERE s.id_digest = :digest",
        soci::use(active.digest), soci::into(active.csrf_token), soci::into(active.created_at),
        soci::into(active.last_seen_at), soci::into(user.id, found), soci::into(user.login), soci::into(user.civility),
        soci::into(user.first_name), soci::into(user.last_name), soci::into(profile), soci::into(user.function),
        soci::into(user.structure_id), soci::into(active_flag), soci::into(is_demo);
    if (!session.got_data() || found != soci::i_ok)
        return std::nullopt;
    if (judge_session(active.created_at, active.last_seen_at, now, limits) != SessionState::Active) {
        session << "DELETE FROM identity_session WHERE id_digest = :digest", soci::use(active.digest);
        return std::nullopt;
    }
    user.profile = access::profile_from_code(profile).value_or(access::Profile::Student);
    user.active = active_flag != 0;
    user.is_demo = is_demo != 0;
    if (!user.active)
        return std::nullopt;
    return active;
}

void touch(soci::session& session, std::string const& digest, long long now)
{
    session << "UPDATE identity_session SET last_seen_at = :now WHERE id_digest = :digest", soci::use(now),
        soci::use(digest);
}

void end(soci::session& session, std::string const& token)
{
    auto digest = token_digest(token);
    session << "DELETE FROM identity_session WHERE id_digest = :digest", soci::use(digest);
}

void end_all_for_user(soci::session& session, long long user_id)
{
    session << "DELETE FROM identity_session WHERE user_id = :user", soci::use(user_id);
}

long long recent_failures(soci::session& session, std::string const& throttle_key, long long since)
{
    long long count = 0;
    session << "SELECT COUNT(*) FROM identity_sign_in_failure WHERE throttle_key = :key AND failed_at >= :since",
        soci::use(throttle_key), soci::use(since), soci::into(count);
    return count;
}

void record_failure(soci::session& session, std::string const& throttle_key, long long now)
{
    session << "INSERT INTO identity_sign_in_failure (throttle_key, failed_at) VALUES (:key, :at)",
        soci::use(throttle_key), soci::use(now);
}

void clear_failures(soci::session& session, std::string const& throttle_key)
{
    session << "DELETE FROM identity_sign_in_failure WHERE throttle_key = :key", soci::use(throttle_key);
}

void purge(soci::session& session, long long now, SessionLimits limits, long long failure_window)
{
    long long failures_before = now - failure_window;
    long long created_before = now - limits.absolute_seconds;
    long long seen_before = now - limits.idle_seconds;
    session << "DELETE FROM identity_sign_in_failure WHERE failed_at < :before", soci::use(failures_before);
    session << "DELETE FROM identity_session WHERE created_at < :created OR last_seen_at < :seen",
        soci::use(created_before), soci::use(seen_before);
}

} // namespace cartable::identity::sessions
