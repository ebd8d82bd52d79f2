// SPDX-License-Identifier: AGPL-3.0-or-later
// Reading a dynamic soci row the same way on both engines.
#pragma once

#include <cstddef>
#include <soci/soci.h>
#include <string>

namespace cartable::db {

// An integer of a row, whichever type soci reports for it: SQLite describes
// an INTEGER column (the ids) as int, a BIGINT one as long long, and an
// expression such as COALESCE(…, 0) by its value's storage class.
inline long long integer_at(soci::row const& row, std::size_t at)
{
    switch (row.get_properties(at).get_data_type()) {
    case soci::dt_integer:
        return row.get<int>(at);
    case soci::dt_long_long:
        return row.get<long long>(at);
    case soci::dt_unsigned_long_long:
        return static_cast<long long>(row.get<unsigned long long>(at));
    case soci::dt_double:
        return static_cast<long long>(row.get<double>(at));
    case soci::dt_string:
        return std::stoll(row.get<std::string>(at));
    default:
        return row.get<long long>(at);
    }
}

} // namespace cartable::db
