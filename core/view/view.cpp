// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/view/view.h"
#include "core/embedded.h"
#include <memory>
#include <stdexcept>
#include <unordered_map>

namespace cartable::view {

Templates::Templates()
{
    for (auto const& file : embedded::all_files()) {
        auto path = file.path;
        auto marker = path.find("/templates/");
        if (marker == std::string_view::npos || !path.ends_with(".mustache"))
            continue;
        auto owner_start = path.rfind('/', marker - 1);
        auto owner = path.substr(owner_start + 1, marker - owner_start - 1);
        auto file_name = path.substr(marker + 11);
        file_name.remove_suffix(9);
        m_entries.push_back({ std::string(owner) + "/" + std::string(file_name), file.content });
    }
}

Templates const& Templates::instance()
{
    static Templates const templates;
    return templates;
}

bool Templates::has(std::string_view name) const
{
    for (auto const& entry : m_entries) {
        if (entry.name == name)
            return true;
    }
    return false;
}

std::string_view Templates::source(std::string_view name) const
{
    for (auto const& entry : m_entries) {
        if (entry.name == name)
            return entry.source;
    }
    throw std::runtime_error("no template named " + std::string(name));
}

std::vector<std::string> Templates::names() const
{
    std::vector<std::string> result;
    for (auto const& entry : m_entries)
        result.push_back(entry.name);
    return result;
}

std::string Templates::render(std::string_view name, Data const& data) const
{
    // kainjow's renderer is not const: each thread keeps its own parsed copy.
    thread_local std::unordered_map<std::string, std::unique_ptr<kainjow::mustache::mustache>> parsed;
    std::string key(name);
    auto found = parsed.find(key);
    if (found == parsed.end()) {
        auto compiled = std::make_unique<kainjow::mustache::mustache>(std::string(source(name)));
        if (!compiled->is_valid())
            throw std::runtime_error("template " + key + ": " + compiled->error_message());
        found = parsed.emplace(key, std::move(compiled)).first;
    }
    return found->second->render(data);
}

} // namespace cartable::view
