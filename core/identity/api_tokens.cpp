// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/identity/api_tokens.h"
#include "core/identity/identity_store.h"
#include "core/identity/tokens.h"

namespace cartable::identity::api_tokens {

Created create(soci::session& session, long long user_id, std::string const& name, long long now)
{
    Created created;
    created.token = std::string(PREFIX) + random_token();
    auto digest = token_digest(created.token);
    session << "INSERT INTO identity_api_token (user_id, name, token_digest, created_at) "
               "VALUES (:user, :name, :digest, :at) RETURNING id",
        soci::use(user_id), soci::use(name), soci::use(digest), soci::use(now), soci::into(created.id);
    return created;
}

std::optional<Resumed> resume(soci::session& session, std::string const& token, long long now)
{
    if (!token.starts_with(PREFIX) || token.size() > 128)
        return std::nullopt;
    auto digest = token_digest(token);
    long long token_id = 0;
    long long user_id = 0;
    long long last_used = 0;
    session << "SELECT id, user_id, last_used_at FROM identity_api_token WHERE token_digest = :digest "
               "AND revoked_at = 0",
        soci::use(digest), soci::into(token_id), soci::into(user_id), soci::into(last_used);
    if (!session.got_data())
        return std::nullopt;
    auto user = store::find_user(session, user_id);
    if (!user || !user->active)
        return std::nullopt;
    return Resumed { std::move(*user), token_id, now - last_used >= 60 };
}

void touch(soci::session& session, long long token_id, long long now)
{
    session << "UPDATE identity_api_token SET last_used_at = :now WHERE id = :id", soci::use(now), soci::use(token_id);
}

std::vector<Token> list(soci::session& session, long long user_id)
{
    std::vector<Token> result;
    Token row;
    soci::statement statement
        = (session.prepare << "SELECT id, name, created_at, last_used_at FROM identity_api_token "
                              "WHERE user_id = :user AND revoked_at = 0 ORDER BY created_at DESC, id DESC",
            soci::use(user_id), soci::into(row.id), soci::into(row.name), soci::into(row.created_at),
            soci::into(row.last_used_at));
    statement.execute();
    while (statement.fetch())
        result.push_back(row);
    return result;
}

bool revoke(soci::session& session, long long user_id, long long token_id, long long now)
{
    soci::statement statement = (session.prepare << "UPDATE identity_api_token SET revoked_at = :now "
                                                    "WHERE id = :id AND user_id = :user AND revoked_at = 0",
        soci::use(now), soci::use(token_id), soci::use(user_id));
    statement.execute(true);
    return statement.get_affected_rows() > 0;
}

} // namespace cartable::identity::api_tokens
