// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/publishing/news_image.h"
#include "core/http/static_files.h"
#include "core/identity/tokens.h"
#include "services/publishing/publishing_scopes.h"
#include <charconv>
#include <fstream>

namespace cartable::publishing {

std::filesystem::path image_directory(Config const& config)
{
    return config.data_directory / "publishing" / "images";
}

std::optional<std::string> image_error(http::UploadedFile const& file)
{
    if (file.size > MAX_IMAGE_BYTES)
        return "L'image ne doit pas dépasser 2 Mo.";
    if (!image_type_of(file.path))
        return "L'image doit être un fichier JPEG, PNG ou WebP.";
    return std::nullopt;
}

ErrorOr<StoredImage> keep_image(Config const& config, http::UploadedFile const& file)
{
    auto type = image_type_of(file.path);
    if (!type)
        return Error::invalid("L'image doit être un fichier JPEG, PNG ou WebP.");
    auto directory = image_directory(config);
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
        return Error::internal("cannot create the news image directory: " + error.message());
    auto extension = *type == "image/jpeg" ? ".jpg" : *type == "image/png" ? ".png" : ".webp";
    // Base64url: letters, digits, '-' and '_' only, safe as a file name.
    StoredImage stored { identity::random_token() + extension, *type };
    if (!move_file(file.path, directory / stored.name))
        return Error::internal("cannot store a news image");
    return stored;
}

void remove_image(Config const& config, std::string const& name)
{
    if (name.empty() || name.find('/') != std::string::npos)
        return;
    std::error_code ignored;
    std::filesystem::remove(image_directory(config) / name, ignored);
}

// A public news item's image to anyone; a members' one only to signed-in
// members of its place (or to those who publish there).
ErrorOr<http::Response> serve_news_image(Context& context)
{
    auto text = context.request.parameter("news_id");
    long long news_id = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), news_id).ec != std::errc {})
        return Error::not_found();
    auto news = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::optional<NewsItem>> { return find_news(session, news_id); }));
    if (!news || news->image_name.empty())
        return Error::not_found();
    if (!news->is_public && !is_member_of(context, news->scope, news->scope_key, news->structure_id)) {
        bool publisher = context.signed_in()
            && !place_for_object(context, news->scope, news->scope_key, news->structure_id).is_error();
        if (!publisher)
            return Error::not_found();
    }
    auto response = http::serve_file(
        context.request, image_directory(context.config()) / news->image_name, news->image_type, std::string());
    if (response.status == 404)
        return Error::not_found();
    response.set_header("Cache-Control", news->is_public ? "public, max-age=300" : "private, no-store");
    return response;
}

} // namespace cartable::publishing
