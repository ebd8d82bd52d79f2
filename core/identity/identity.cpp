// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/identity/identity.h"
#include <cctype>

namespace cartable::identity {

namespace {

std::string lower(std::string const& text)
{
    std::string result;
    result.reserve(text.size());
    for (char c : text)
        result += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return result;
}

} // namespace

bool is_direction(User const& user)
{
    if (user.profile == access::Profile::Admin)
        return true;
    if (user.profile != access::Profile::Staff)
        return false;
    auto const function = lower(user.function);
    return function.find("proviseur") != std::string::npos || function.find("principal") != std::string::npos
        || function.find("direct") != std::string::npos;
}

bool is_vie_scolaire(User const& user)
{
    if (user.profile != access::Profile::Staff)
        return false;
    auto const function = lower(user.function);
    return function == "cpe" || function.find("conseill") != std::string::npos
        || function.find("vie scolaire") != std::string::npos || function.find("assistant") != std::string::npos
        || function.find("surveillant") != std::string::npos;
}

} // namespace cartable::identity
