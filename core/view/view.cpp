// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/view/view.h"
#include "core/embedded.h"
#include <atomic>
#include <stdexcept>

namespace cartable::view {

namespace {

// The size of each template's last rendering: the next one reserves its
// string at once (the frame around a table of 130 KB would otherwise be
// copied six times as it grows). Filled when the templates are compiled,
// read-only afterwards but for the sizes.
std::map<std::string, std::atomic<std::size_t>, std::less<>>& size_hints()
{
    static std::map<std::string, std::atomic<std::size_t>, std::less<>> sizes;
    return sizes;
}

} // namespace

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
        size_hints().try_emplace(name, 4096);
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
    auto& hint = size_hints().find(name)->second;
    std::string out;
    out.reserve(hint.load(std::memory_order_relaxed) + 1024);
    found->second.compiled.render(data, out);
    hint.store(out.size(), std::memory_order_relaxed);
    return out;
}

} // namespace cartable::view
