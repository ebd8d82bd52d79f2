// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/publishing/publishing_forms.h"
#include <charconv>
#include <ctime>

namespace cartable::publishing {

std::size_t character_count(std::string_view text)
{
    std::size_t count = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++count;
    }
    return count;
}

std::string trimmed(std::string_view text)
{
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && blank(text.back()))
        text.remove_suffix(1);
    return std::string(text);
}

namespace {

bool read_number(std::string_view text, int& value)
{
    if (text.empty())
        return false;
    auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    return result.ec == std::errc {} && result.ptr == text.data() + text.size();
}

std::optional<long long> local_time(int year, int month, int day, int hour, int minute)
{
    if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23
        || minute < 0 || minute > 59)
        return std::nullopt;
    std::tm local {};
    local.tm_year = year - 1900;
    local.tm_mon = month - 1;
    local.tm_mday = day;
    local.tm_hour = hour;
    local.tm_min = minute;
    local.tm_isdst = -1;
    auto when = std::mktime(&local);
    // mktime moves 31 February to March: such a day does not exist.
    if (when == -1 || local.tm_mday != day || local.tm_mon != month - 1)
        return std::nullopt;
    return static_cast<long long>(when);
}

std::string formatted(long long when, char const* format)
{
    auto time = static_cast<std::time_t>(when);
    std::tm local {};
    localtime_r(&time, &local);
    char text[32];
    std::strftime(text, sizeof text, format, &local);
    return text;
}

} // namespace

std::optional<long long> parse_date(std::string const& text)
{
    int year = 0;
    int month = 0;
    int day = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !read_number(std::string_view(text).substr(0, 4), year)
        || !read_number(std::string_view(text).substr(5, 2), month)
        || !read_number(std::string_view(text).substr(8, 2), day))
        return std::nullopt;
    return local_time(year, month, day, 0, 0);
}

std::optional<long long> parse_datetime(std::string const& text)
{
    // Browsers send « 2025-03-14T09:30 », sometimes with seconds.
    if (text.size() < 16 || text[10] != 'T' || text[13] != ':')
        return std::nullopt;
    auto day = parse_date(text.substr(0, 10));
    int hour = 0;
    int minute = 0;
    if (!day || !read_number(std::string_view(text).substr(11, 2), hour)
        || !read_number(std::string_view(text).substr(14, 2), minute))
        return std::nullopt;
    if (text.size() != 16 && !(text.size() == 19 && text[16] == ':'))
        return std::nullopt;
    std::tm local {};
    auto time = static_cast<std::time_t>(*day);
    localtime_r(&time, &local);
    return local_time(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday, hour, minute);
}

std::optional<long long> parse_date_end(std::string const& text)
{
    auto last_minute = parse_datetime(text + "T23:59");
    if (!last_minute)
        return std::nullopt;
    return *last_minute + 59;
}

std::string date_input(long long when)
{
    return formatted(when, "%Y-%m-%d");
}

std::string datetime_input(long long when)
{
    return formatted(when, "%Y-%m-%dT%H:%M");
}

std::optional<long long> parse_id(std::string const& text)
{
    long long id = 0;
    auto result = std::from_chars(text.data(), text.data() + text.size(), id);
    if (result.ec != std::errc {} || result.ptr != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

void FieldErrors::add(std::string field, std::string message)
{
    if (!has(field))
        m_errors.emplace_back(std::move(field), std::move(message));
}

bool FieldErrors::has(std::string_view field) const
{
    for (auto const& [name, message] : m_errors) {
        if (name == field)
            return true;
    }
    return false;
}

void FieldErrors::put_into(view::Data& data) const
{
    view::List list;
    for (auto const& [field, message] : m_errors) {
        data.set(field + "_error", message);
        view::Data entry;
        entry.set("field", field);
        entry.set("message", message);
        list.push_back(std::move(entry));
    }
    data.set("has_errors", !m_errors.empty());
    data.set("errors", std::move(list));
}

} // namespace cartable::publishing
