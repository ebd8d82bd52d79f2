// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/identity/charter.h"
#include "core/access/capability.h"

namespace cartable::identity::charter {

std::optional<Version> current(soci::session& session)
{
    auto all = versions(session);
    if (all.empty())
        return std::nullopt;
    return all.front();
}

long long current_version(soci::session& session)
{
    long long version = 0;
    soci::indicator indicator = soci::i_ok;
    session << "SELECT MAX(version) FROM identity_charter", soci::into(version, indicator);
    return indicator == soci::i_ok ? version : 0;
}

std::vector<Version> versions(soci::session& session)
{
    std::vector<Version> result;
    Version row;
    std::string first_name;
    std::string last_name;
    soci::indicator first_indicator = soci::i_ok;
    soci::indicator last_indicator = soci::i_ok;
    soci::statement statement = (session.prepare
            << "SELECT c.version, c.title, c.body, c.published_at, u.first_name, u.last_name, "
               "(SELECT COUNT(*) FROM identity_charter_acceptance a WHERE a.version = c.version) "
               "FROM identity_charter c LEFT JOIN identity_user u ON u.id = c.published_by "
               "ORDER BY c.version DESC",
        soci::into(row.version), soci::into(row.title), soci::into(row.body), soci::into(row.published_at),
        soci::into(first_name, first_indicator), soci::into(last_name, last_indicator), soci::into(row.acceptances));
    statement.execute();
    while (statement.fetch()) {
        Version version = row;
        if (first_indicator == soci::i_ok && last_indicator == soci::i_ok)
            version.published_by.append(first_name).append(" ").append(last_name);
        result.push_back(std::move(version));
    }
    return result;
}

long long publish(soci::session& session, std::string const& title, std::string const& body,
    std::optional<long long> published_by, long long now)
{
    long long version = current_version(session) + 1;
    long long author = published_by.value_or(0);
    soci::indicator author_indicator = published_by ? soci::i_ok : soci::i_null;
    session << "INSERT INTO identity_charter (version, title, body, published_at, published_by) "
               "VALUES (:version, :title, :body, :at, :by)",
        soci::use(version), soci::use(title), soci::use(body), soci::use(now), soci::use(author, author_indicator);
    return version;
}

void accept(soci::session& session, long long user_id, long long version, long long now)
{
    long long already = 0;
    session << "SELECT COUNT(*) FROM identity_charter_acceptance WHERE user_id = :user AND version = :version",
        soci::use(user_id), soci::use(version), soci::into(already);
    if (already == 0)
        session << "INSERT INTO identity_charter_acceptance (user_id, version, accepted_at) "
                   "VALUES (:user, :version, :at)",
            soci::use(user_id), soci::use(version), soci::use(now);
    session << "UPDATE identity_user SET charter_version = :version WHERE id = :user AND charter_version < :again",
        soci::use(version), soci::use(user_id), soci::use(version);
}

std::vector<Acceptance> acceptances(soci::session& session, long long version, int limit, int offset)
{
    std::vector<Acceptance> result;
    Acceptance row;
    std::string first_name;
    std::string last_name;
    std::string profile;
    long long limit_value = limit;
    long long offset_value = offset;
    soci::statement statement
        = (session.prepare << "SELECT a.user_id, u.login, u.first_name, u.last_name, u.profile, a.version, "
                              "a.accepted_at FROM identity_charter_acceptance a "
                              "JOIN identity_user u ON u.id = a.user_id "
                              "WHERE (:version = 0 OR a.version = :again) "
                              "ORDER BY a.accepted_at DESC, a.user_id LIMIT :limit OFFSET :offset",
            soci::use(version), soci::use(version), soci::use(limit_value), soci::use(offset_value),
            soci::into(row.user_id), soci::into(row.login), soci::into(first_name), soci::into(last_name),
            soci::into(profile), soci::into(row.version), soci::into(row.accepted_at));
    statement.execute();
    while (statement.fetch()) {
        Acceptance acceptance = row;
        acceptance.name.append(first_name).append(" ").append(last_name);
        auto code = access::profile_from_code(profile);
        acceptance.profile = code ? std::string(access::profile_label(*code)) : profile;
        result.push_back(std::move(acceptance));
    }
    return result;
}

} // namespace cartable::identity::charter
