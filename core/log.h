// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string_view>

namespace cartable::log {

// One line per event on standard error. Callers never pass a secret
// (password, token, session id): the log is read by operators.
enum class Level { Debug, Info, Warning, Error };

void set_minimum_level(Level level);
void write(Level level, std::string_view message);
inline void debug(std::string_view message)
{
    write(Level::Debug, message);
}
inline void info(std::string_view message)
{
    write(Level::Info, message);
}
inline void warning(std::string_view message)
{
    write(Level::Warning, message);
}
inline void error(std::string_view message)
{
    write(Level::Error, message);
}

// The access log: one line per request, method, path without its query
// (queries may carry tokens), status, size and duration.
void access(std::string_view remote, std::string_view method, std::string_view path, int status, std::size_t bytes,
    double milliseconds);
void set_access_log(bool enabled);

} // namespace cartable::log
