// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/files.h"
#include <fstream>
#include <string_view>

namespace cartable {

std::optional<std::string> image_type_of(std::filesystem::path const& path)
{
    std::ifstream input(path, std::ios::binary);
    char head[12] {};
    input.read(head, sizeof head);
    auto got = static_cast<std::size_t>(input.gcount());
    std::string_view bytes(head, got);
    if (bytes.starts_with("\xFF\xD8\xFF"))
        return "image/jpeg";
    if (bytes.starts_with("\x89PNG\r\n\x1A\n"))
        return "image/png";
    if (got == 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP")
        return "image/webp";
    return std::nullopt;
}

bool move_file(std::filesystem::path const& from, std::filesystem::path const& to)
{
    std::error_code error;
    std::filesystem::rename(from, to, error);
    if (!error)
        return true;
    error.clear();
    std::filesystem::copy_file(from, to, error);
    return !error;
}

} // namespace cartable
