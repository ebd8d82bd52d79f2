// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace cartable::i18n {

// French formats as the guide shows them. Times are Unix seconds, shown in
// the process's local time zone (the server sets TZ, Europe/Paris by default).

// « lundi 10 juin 2019 09:53 »
std::string format_long_datetime(std::time_t when);
// « lundi 10 juin 2019 »
std::string format_long_date(std::time_t when);
// « 10/06/2019 »
std::string format_short_date(std::time_t when);
// « 09:53 »
std::string format_time(std::time_t when);
// « à l'instant », « il y a 5 minutes », « il y a 1 heure », « il y a 3 jours »,
// « il y a 1 mois », « il y a 2 ans »; a future time: « dans 3 jours ».
std::string format_relative(std::time_t when, std::time_t now);
// Sizes in the guide's units (base 1024): « 0 octet », « 512 octets », « 546 Ko »,
// « 299.5 Mo », « 1.2 Go » (one decimal from Mo up, dropped when it is 0).
std::string format_size(std::uint64_t bytes);

} // namespace cartable::i18n
