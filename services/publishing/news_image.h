// SPDX-License-Identifier: AGPL-3.0-or-later
// The optional image of a news item: checked by its first bytes, kept under
// the data directory, served to those who may read the news.
#pragma once

#include "core/context.h"
#include "core/files.h"
#include "core/http/multipart.h"
#include <filesystem>
#include <optional>
#include <string>

namespace cartable::publishing {

inline constexpr std::uint64_t MAX_IMAGE_BYTES = 2ULL << 20;

struct StoredImage {
    std::string name; // file name under the image directory
    std::string content_type;
};

std::filesystem::path image_directory(Config const& config);
// The upload checked (type, size): the French message of the « Image » field
// when it is refused.
std::optional<std::string> image_error(http::UploadedFile const& file);
// Moves a checked upload into the image directory under a random name.
ErrorOr<StoredImage> keep_image(Config const& config, http::UploadedFile const& file);
void remove_image(Config const& config, std::string const& name);

// GET /publication/images/{news_id}
ErrorOr<http::Response> serve_news_image(Context& context);

} // namespace cartable::publishing
