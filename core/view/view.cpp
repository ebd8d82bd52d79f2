// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/view/view.h"
#include "core/embedded.h"
#include <stdexcept>

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
        auto name = std::string(owner) + "/" + std::string(file_name);
        try {
            m_entries.emplace(name,
                Entry { file.content, Template(file.content),
                    file.content.find("{{csrf_token}}") != std::string_view::npos });
        } catch (std::exception const& error) {
            throw std::runtime_error("template " + name + ": " + error.what());
        }
    }
}

Templates const& Templates::instance()
{
    static Templates const templates;
    return templates;
}

bool Templates::has(std::string_view name) const
{
    return m_entries.find(name) != m_entries.end();
}

bool Templates::needs_csrf_token(std::string_view name) const
{
    auto found = m_entries.find(name);
    return found != m_entries.end() && found->second.needs_csrf_token;
}

std::string_view Templates::source(std::string_view name) const
{
    auto found = m_entries.find(name);
    if (found == m_entries.end())
        throw std::runtime_error("no template named " + std::string(name));
    return found->second.source;
}

std::vector<std::string> Templates::names() const
{
    std::vector<std::string> result;
    for (auto const& [name, entry] : m_entries)
        result.push_back(name);
    return result;
}

std::string Templates::render(std::string_view name, Data const& data) const
{
    auto found = m_entries.find(name);
    if (found == m_entries.end())
        throw std::runtime_error("no template named " + std::string(name));
    return found->second.compiled.render(data);
}

} // namespace cartable::view
