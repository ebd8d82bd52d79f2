// SPDX-License-Identifier: AGPL-3.0-or-later
// Communication rules and storage quotas of a structure: defaults in code,
// the structure's differences in its tables.
#include "services/admin/admin.h"
#include <algorithm>
#include <map>

namespace cartable::admin {

namespace {

std::size_t index_of(access::Profile profile)
{
    auto found = std::find(PROFILES.begin(), PROFILES.end(), profile);
    return static_cast<std::size_t>(found - PROFILES.begin());
}

constexpr std::uint64_t MEGABYTE = 1024ULL * 1024;

} // namespace

CommunicationRules CommunicationRules::defaults()
{
    using access::Profile;
    CommunicationRules rules;
    for (auto from : PROFILES) {
        for (auto to : PROFILES) {
            bool allowed = true;
            if (from == Profile::Student)
                allowed = to == Profile::Student || to == Profile::Teacher || to == Profile::Staff;
            else if (from == Profile::Guardian)
                allowed = to == Profile::Teacher || to == Profile::Staff;
            rules.set(from, to, allowed);
        }
    }
    return rules;
}

bool CommunicationRules::allows(access::Profile from, access::Profile to) const
{
    return m_allowed.at(index_of(from)).at(index_of(to));
}

void CommunicationRules::set(access::Profile from, access::Profile to, bool allowed)
{
    m_allowed.at(index_of(from)).at(index_of(to)) = allowed;
}

CommunicationRules communication_rules(soci::session& session, long long structure_id)
{
    auto rules = CommunicationRules::defaults();
    std::string from;
    std::string to;
    long long allowed = 0;
    soci::statement statement = (session.prepare << "SELECT from_profile, to_profile, allowed FROM "
                                                    "admin_communication_rule WHERE structure_id = :structure",
        soci::use(structure_id), soci::into(from), soci::into(to), soci::into(allowed));
    statement.execute();
    while (statement.fetch()) {
        auto from_profile = access::profile_from_code(from);
        auto to_profile = access::profile_from_code(to);
        if (from_profile && to_profile)
            rules.set(*from_profile, *to_profile, allowed != 0);
    }
    return rules;
}

void save_communication_rules(soci::session& session, long long structure_id, CommunicationRules const& rules)
{
    auto defaults = CommunicationRules::defaults();
    session << "DELETE FROM admin_communication_rule WHERE structure_id = :structure", soci::use(structure_id);
    for (auto from : PROFILES) {
        for (auto to : PROFILES) {
            if (rules.allows(from, to) == defaults.allows(from, to))
                continue;
            std::string from_code(access::profile_code(from));
            std::string to_code(access::profile_code(to));
            long long allowed = rules.allows(from, to) ? 1 : 0;
            session << "INSERT INTO admin_communication_rule (structure_id, from_profile, to_profile, allowed) "
                       "VALUES (:structure, :from, :to, :allowed)",
                soci::use(structure_id), soci::use(from_code), soci::use(to_code), soci::use(allowed);
        }
    }
}

bool may_write(CommunicationRules const& rules, identity::User const& from, identity::User const& to)
{
    if (!from.active || !to.active || from.id == to.id)
        return false;
    if (from.profile == access::Profile::Admin && from.platform_admin)
        return true;
    if (from.structure_id != to.structure_id)
        return false;
    return rules.allows(from.profile, to.profile);
}

std::uint64_t default_quota_bytes(access::Profile profile)
{
    switch (profile) {
    case access::Profile::Student:
        return 100 * MEGABYTE;
    case access::Profile::Guardian:
        return 50 * MEGABYTE;
    case access::Profile::Teacher:
    case access::Profile::Admin:
        return 1024 * MEGABYTE;
    case access::Profile::Staff:
        return 500 * MEGABYTE;
    }
    return 100 * MEGABYTE;
}

std::uint64_t quota_bytes(soci::session& session, long long structure_id, access::Profile profile)
{
    std::string code(access::profile_code(profile));
    long long bytes = 0;
    soci::indicator found = soci::i_null;
    session << "SELECT bytes FROM admin_quota WHERE structure_id = :structure AND profile = :profile",
        soci::use(structure_id), soci::use(code), soci::into(bytes, found);
    if (!session.got_data() || found != soci::i_ok || bytes < 0)
        return default_quota_bytes(profile);
    return static_cast<std::uint64_t>(bytes);
}

void save_quota(soci::session& session, long long structure_id, access::Profile profile, std::uint64_t bytes)
{
    std::string code(access::profile_code(profile));
    session << "DELETE FROM admin_quota WHERE structure_id = :structure AND profile = :profile",
        soci::use(structure_id), soci::use(code);
    if (bytes == default_quota_bytes(profile))
        return;
    auto value = static_cast<long long>(bytes);
    session << "INSERT INTO admin_quota (structure_id, profile, bytes) VALUES (:structure, :profile, :bytes)",
        soci::use(structure_id), soci::use(code), soci::use(value);
}

std::vector<Academy> academies(soci::session& session)
{
    std::map<std::string, Academy> by_name;
    {
        Academy row;
        soci::statement statement = (session.prepare << "SELECT id, name, region FROM admin_academy",
            soci::into(row.id), soci::into(row.name), soci::into(row.region));
        statement.execute();
        while (statement.fetch())
            by_name[row.name] = row;
    }
    std::string name;
    std::string region;
    long long count = 0;
    soci::statement statement = (session.prepare << "SELECT academy, MIN(region), COUNT(*) FROM identity_structure "
                                                    "WHERE academy <> '' GROUP BY academy",
        soci::into(name), soci::into(region), soci::into(count));
    statement.execute();
    while (statement.fetch()) {
        auto& entry = by_name[name];
        entry.name = name;
        if (entry.region.empty())
            entry.region = region;
        entry.structures = count;
    }
    std::vector<Academy> result;
    result.reserve(by_name.size());
    for (auto& [unused, academy] : by_name)
        result.push_back(std::move(academy));
    return result;
}

} // namespace cartable::admin
