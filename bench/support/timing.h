// SPDX-License-Identifier: AGPL-3.0-or-later
// What every in-process benchmark measures with: the process's CPU time (on
// a machine shared with other work, the wall clock measures the neighbours
// as much as the page) and a percentile of the timings.
#pragma once

#include <algorithm>
#include <cmath>
#include <ctime>
#include <vector>

namespace cartable::bench {

inline double cpu_milliseconds()
{
    timespec now {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1000.0 + static_cast<double>(now.tv_nsec) / 1e6;
}

// rank 0.5: the median, 0.99: the p99.
inline double percentile(std::vector<double> values, double rank)
{
    std::sort(values.begin(), values.end());
    auto index = static_cast<std::size_t>(std::lround(rank * static_cast<double>(values.size() - 1)));
    return values[std::min(index, values.size() - 1)];
}

} // namespace cartable::bench
