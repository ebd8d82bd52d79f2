// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/log.h"
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace cartable::log {

namespace {
std::atomic<Level> g_minimum { Level::Info };
std::atomic<bool> g_access { true };

std::string timestamp()
{
    auto now = std::chrono::system_clock::now();
    auto seconds = std::chrono::system_clock::to_time_t(now);
    auto milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc {};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
        utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(milliseconds));
    return text;
}

char const* level_name(Level level)
{
    switch (level) {
    case Level::Debug:
        return "debug";
    case Level::Info:
        return "info";
    case Level::Warning:
        return "warning";
    case Level::Error:
        return "error";
    }
    return "info";
}

// Control characters in a logged value could forge log lines.
std::string clean(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text)
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    return out;
}
} // namespace

void set_minimum_level(Level level)
{
    g_minimum = level;
}
void set_access_log(bool enabled)
{
    g_access = enabled;
}

void write(Level level, std::string_view message)
{
    if (level < g_minimum.load())
        return;
    auto line = timestamp() + " " + level_name(level) + " " + clean(message) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
}

void access(std::string_view remote, std::string_view method, std::string_view path, int status, std::size_t bytes,
    double milliseconds)
{
    if (!g_access.load())
        return;
    char tail[64];
    std::snprintf(tail, sizeof tail, " %d %zu %.2fms\n", status, bytes, milliseconds);
    auto line = timestamp() + " access " + clean(remote) + " " + clean(method) + " " + clean(path) + tail;
    std::fwrite(line.data(), 1, line.size(), stderr);
}

} // namespace cartable::log
