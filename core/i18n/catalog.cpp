// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/i18n/catalog.h"
#include "core/embedded.h"
#include <boost/json/parse.hpp>
#include <map>
#include <stdexcept>

namespace cartable::i18n {

namespace {
std::map<std::string, std::string, std::less<>> const& catalog()
{
    static auto const entries = [] {
        std::map<std::string, std::string, std::less<>> result;
        for (auto const& file : embedded::all_files()) {
            if (!file.path.ends_with("/i18n/fr.json"))
                continue;
            auto value = boost::json::parse(file.content);
            for (auto const& [key, text] : value.as_object()) {
                if (!result.emplace(std::string(key), std::string(text.as_string())).second)
                    throw std::runtime_error("message key defined twice: " + std::string(key));
            }
        }
        return result;
    }();
    return entries;
}
} // namespace

std::string text(std::string_view key)
{
    auto const& entries = catalog();
    auto found = entries.find(key);
    return found == entries.end() ? std::string(key) : found->second;
}

bool has(std::string_view key)
{
    return catalog().contains(key);
}

} // namespace cartable::i18n
