// SPDX-License-Identifier: AGPL-3.0-or-later
// Lists of ids written into SQL: numbers only, produced here from integers,
// so no text of a request can reach the statement.
#pragma once

#include <span>
#include <string>

namespace cartable::db {

// « 1,2,3 », for `id IN (…)`.
inline std::string id_list(std::span<long long const> ids)
{
    std::string list;
    for (auto id : ids)
        list.append(list.empty() ? "" : ",").append(std::to_string(id));
    return list;
}

// « {1,2,3} », a PostgreSQL array bound as text (`unnest(CAST(:ids AS BIGINT[]))`).
inline std::string bigint_array(std::span<long long const> ids)
{
    return "{" + id_list(ids) + "}";
}

} // namespace cartable::db
