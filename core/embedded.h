// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace cartable::embedded {

// A file carried inside the program (templates, migrations, static files,
// catalogs), named by its path from the source root.
struct EmbeddedFile {
    std::string_view path;
    std::string_view content;
};

std::span<const EmbeddedFile> all_files();

inline std::optional<std::string_view> find(std::string_view path)
{
    for (auto const& file : all_files()) {
        if (file.path == path)
            return file.content;
    }
    return std::nullopt;
}

} // namespace cartable::embedded
