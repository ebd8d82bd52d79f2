// SPDX-License-Identifier: AGPL-3.0-or-later
// Text helpers of the directory's importers, the rules of aaf_import.cpp: dates,
// civilities, logins.
#pragma once

#include "core/text.h"
#include <cctype>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace cartable::directory {

// dd/MM/yyyy → yyyy-MM-dd, for a date that exists.
inline std::optional<std::string> iso_date(std::string const& text)
{
    int day = 0;
    int month = 0;
    int year = 0;
    char end = 0;
    if (std::sscanf(text.c_str(), "%2d/%2d/%4d%c", &day, &month, &year, &end) != 3 || text.size() != 10)
        return std::nullopt;
    static constexpr int DAYS[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1
        || day > (month == 2 && !leap ? 28 : DAYS[month - 1]))
        return std::nullopt;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    return std::string(buffer);
}

inline std::string civility_of(std::string const& title)
{
    std::string upper;
    for (char c : title)
        upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == "M" || upper == "M." || upper == "MR")
        return "M.";
    if (upper == "MME" || upper == "MLLE" || upper == "MME." || upper == "MLLE.")
        return "Mme";
    return title;
}

// Lower-case ASCII letters of a name, for logins: « Élodie » → « elodie »,
// « LE GALLÈS » → « le-galles ».
inline std::string login_part(std::string const& name)
{
    std::string result;
    for (char c : fold_accents(name)) {
        auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte))
            result += c;
        else if ((c == ' ' || c == '-') && !result.empty() && result.back() != '-')
            result += '-';
    }
    while (!result.empty() && result.back() == '-')
        result.pop_back();
    return result.empty() ? std::string("personne") : result;
}

} // namespace cartable::directory
