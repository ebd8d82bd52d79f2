// SPDX-License-Identifier: AGPL-3.0-or-later
// Files people send, kept under the data directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace cartable {

// image/jpeg, image/png or image/webp from the file's first bytes; nothing
// for any other content, whatever its name or declared type says.
std::optional<std::string> image_type_of(std::filesystem::path const& path);

// Moves an uploaded file to its place: a rename, or a copy when the upload
// directory is on another file system (the server then drops the upload).
bool move_file(std::filesystem::path const& from, std::filesystem::path const& to);

} // namespace cartable
