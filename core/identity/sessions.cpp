// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/identity/sessions.h"
#include "core/db/prepared.h"
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

namespace {

// Run on every page: the session and its person in one query.
struct ResumeQuery : db::PreparedQuery {
    std::string digest;
    ActiveSession row;
    std::string profile;
    long long active_flag { 0 };
    long long is_demo { 0 };
    long long platform_admin { 0 };
    soci::statement statement;

    explicit ResumeQuery(soci::session& session)
        : statement((session.prepare << "SELECT s.csrf_token, s.created_at, s.last_seen_at, u.id, u.login, u.civility, "
                                        "u.first_name, u.last_name, u.profile, u.function, u.structure_id, u.active, "
                                        "u.is_demo, u.charter_version, u.platform_admin FROM identity_session s JOIN "
                                        "identity_user u ON u.id = s.user_id "
                                        "WHERE s.id_digest = :digest",
            soci::use(digest), soci::into(row.csrf_token), soci::into(row.created_at), soci::into(row.last_seen_at),
            soci::into(row.user.id), soci::into(row.user.login), soci::into(row.user.civility),
            soci::into(row.user.first_name), soci::into(row.user.last_name), soci::into(profile),
            soci::into(row.user.function), soci::into(row.user.structure_id), soci::into(active_flag),
            soci::into(is_demo), soci::into(row.user.charter_version), soci::into(platform_admin)))
    { }

    std::optional<ActiveSession> find(std::string const& session_digest)
    {
        digest = session_digest;
        if (!fetch_one(statement))
            return std::nullopt;
        ActiveSession result = row;
        result.digest = digest;
        result.user.profile = access::profile_from_code(profile).value_or(access::Profile::Student);
        result.user.active = active_flag != 0;
        result.user.is_demo = is_demo != 0;
        result.user.platform_admin = platform_admin != 0;
        return result;
    }
};

struct TouchQuery : db::PreparedQuery {
    std::string digest;
    long long now { 0 };
    soci::statement statement;

    explicit TouchQuery(soci::session& session)
        : statement((session.prepare << "UPDATE identity_session SET last_seen_at = :now WHERE id_digest = :digest",
            soci::use(now), soci::use(digest)))
    { }
    void touch(std::string const& session_digest, long long when)
    {
        digest = session_digest;
        now = when;
        run(statement);
    }
};

} // namespace

std::optional<ActiveSession> resume(
    soci::session& session, std::string const& token, long long now, SessionLimits limits)
{
    if (token.empty() || token.size() > 128)
        return std::nullopt;
    auto digest = token_digest(token);
    auto active = db::prepared<ResumeQuery>(session).find(digest);
    if (!active)
        return std::nullopt;
    if (judge_session(active->created_at, active->last_seen_at, now, limits) != SessionState::Active) {
        session << "DELETE FROM identity_session WHERE id_digest = :digest", soci::use(digest);
        return std::nullopt;
    }
    if (!active->user.active)
        return std::nullopt;
    return active;
}

void touch(soci::session& session, std::string const& digest, long long now)
{
    db::prepared<TouchQuery>(session).touch(digest, now);
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
