// SPDX-License-Identifier: AGPL-3.0-or-later
// The bytes of a space's files on disk: where they are, what they are, and
// their thumbnails (libvips; a corrupt image simply gets none).
#include "core/http/static_files.h"
#include "services/class_space/folder_store.h"
#include <array>
#include <fstream>
#include <mutex>
#include <vips/vips.h>

namespace cartable::class_space::folders {

namespace {

bool starts_with(std::string_view bytes, std::string_view prefix)
{
    return bytes.substr(0, prefix.size()) == prefix;
}

void start_vips()
{
    static std::once_flag started;
    std::call_once(started, [] {
        if (vips_init("cartable") != 0)
            return;
        // Each thumbnail is made once: nothing to gain from vips's cache.
        vips_cache_set_max(0);
        vips_concurrency_set(1);
        // A corrupt image is expected, not worth a line on stderr each time.
        g_log_set_handler(
            "VIPS", G_LOG_LEVEL_WARNING, [](gchar const*, GLogLevelFlags, gchar const*, gpointer) {}, nullptr);
    });
}

} // namespace

std::filesystem::path files_directory(Config const& config)
{
    return config.data_directory / "class_space" / "files";
}

std::filesystem::path thumbnails_directory(Config const& config)
{
    return config.data_directory / "class_space" / "thumbnails";
}

std::string sniffed_type(std::filesystem::path const& path, std::string const& name)
{
    std::array<char, 16> head {};
    std::ifstream input(path, std::ios::binary);
    input.read(head.data(), head.size());
    std::string_view bytes(head.data(), static_cast<std::size_t>(input.gcount()));
    if (starts_with(bytes, "\xFF\xD8\xFF"))
        return "image/jpeg";
    if (starts_with(bytes, "\x89PNG\r\n\x1A\n"))
        return "image/png";
    if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a"))
        return "image/gif";
    if (starts_with(bytes, "RIFF") && bytes.size() >= 12 && bytes.substr(8, 4) == "WEBP")
        return "image/webp";
    if (starts_with(bytes, "%PDF-"))
        return "application/pdf";
    auto by_name = http::content_type_for(name);
    // A name that claims an image or a PDF the bytes do not show is not
    // believed.
    if (by_name.starts_with("image/") || by_name == "application/pdf")
        return "application/octet-stream";
    return by_name;
}

std::string served_type(std::string const& content_type)
{
    static constexpr std::array<std::string_view, 10> SAFE { "application/pdf", "image/png", "image/jpeg", "image/gif",
        "image/webp", "text/plain; charset=utf-8", "text/csv; charset=utf-8", "application/zip",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" };
    for (auto safe : SAFE) {
        if (content_type == safe)
            return content_type;
    }
    return "application/octet-stream";
}

bool thumbnailable(std::string const& content_type)
{
    return content_type == "image/jpeg" || content_type == "image/png" || content_type == "image/webp";
}

bool make_thumbnail(std::filesystem::path const& source, std::filesystem::path const& target)
{
    start_vips();
    VipsImage* thumbnail = nullptr;
    if (vips_thumbnail(source.c_str(), &thumbnail, THUMBNAIL_PIXELS, "size", VIPS_SIZE_DOWN, "fail_on",
            VIPS_FAIL_ON_WARNING, nullptr)
        != 0) {
        vips_error_clear();
        return false;
    }
    auto saved = vips_jpegsave(thumbnail, target.c_str(), "Q", 80, "strip", TRUE, nullptr);
    g_object_unref(thumbnail);
    if (saved != 0) {
        vips_error_clear();
        std::error_code ignored;
        std::filesystem::remove(target, ignored);
        return false;
    }
    return true;
}

void remove_stored(Config const& config, std::string const& stored_name)
{
    if (stored_name.empty() || stored_name.find('/') != std::string::npos || stored_name.starts_with('.'))
        return;
    std::error_code ignored;
    std::filesystem::remove(files_directory(config) / stored_name, ignored);
    std::filesystem::remove(thumbnails_directory(config) / (stored_name + ".jpg"), ignored);
}

} // namespace cartable::class_space::folders
