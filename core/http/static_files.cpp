// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/http/static_files.h"
#include "core/embedded.h"
#include <array>
#include <charconv>
#include <map>
#include <sodium.h>
#include <sys/stat.h>

namespace cartable::http {

namespace {

struct StaticFile {
    std::string_view content;
    std::string fingerprint;
    std::string content_type;
};

std::string short_hash(std::string_view content)
{
    unsigned char digest[8];
    crypto_generichash(
        digest, sizeof digest, reinterpret_cast<unsigned char const*>(content.data()), content.size(), nullptr, 0);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

std::map<std::string, StaticFile, std::less<>> const& files()
{
    static auto const table = [] {
        std::map<std::string, StaticFile, std::less<>> result;
        constexpr std::string_view prefix = "web/static/";
        for (auto const& file : embedded::all_files()) {
            if (!file.path.starts_with(prefix))
                continue;
            auto name = file.path.substr(prefix.size());
            result.emplace(
                std::string(name), StaticFile { file.content, short_hash(file.content), content_type_for(name) });
        }
        return result;
    }();
    return table;
}

bool etag_matches(Request const& request, std::string const& etag)
{
    auto header = request.header("if-none-match");
    return !header.empty() && (header == etag || header == "*" || header.find(etag) != std::string::npos);
}

} // namespace

std::string content_type_for(std::string_view name)
{
    static std::map<std::string, std::string, std::less<>> const types {
        { ".css", "text/css; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".svg", "image/svg+xml" },
        { ".png", "image/png" },
        { ".jpg", "image/jpeg" },
        { ".jpeg", "image/jpeg" },
        { ".gif", "image/gif" },
        { ".webp", "image/webp" },
        { ".ico", "image/x-icon" },
        { ".pdf", "application/pdf" },
        { ".txt", "text/plain; charset=utf-8" },
        { ".html", "text/html; charset=utf-8" },
        { ".json", "application/json" },
        { ".woff2", "font/woff2" },
        { ".xml", "application/xml" },
        { ".csv", "text/csv; charset=utf-8" },
        { ".ics", "text/calendar; charset=utf-8" },
        { ".zip", "application/zip" },
        { ".odt", "application/vnd.oasis.opendocument.text" },
        { ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
    };
    auto dot = name.rfind('.');
    if (dot != std::string_view::npos) {
        std::string extension(name.substr(dot));
        for (auto& c : extension)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto found = types.find(extension);
        if (found != types.end())
            return found->second;
    }
    return "application/octet-stream";
}

std::string static_fingerprint(std::string_view file_name)
{
    auto found = files().find(file_name);
    return found == files().end() ? std::string() : found->second.fingerprint;
}

std::string static_url(std::string_view file_name)
{
    return "/static/" + static_fingerprint(file_name) + "/" + std::string(file_name);
}

Response serve_static(Request const& request, std::string_view fingerprint, std::string_view file_name)
{
    auto found = files().find(file_name);
    if (found == files().end() || (!fingerprint.empty() && fingerprint != found->second.fingerprint))
        return Response::text("", 404);
    auto etag = "\"" + found->second.fingerprint + "\"";
    Response response;
    response.set_header("ETag", etag);
    response.set_header("Cache-Control", fingerprint.empty() ? "no-cache" : "public, max-age=31536000, immutable");
    if (etag_matches(request, etag)) {
        response.status = 304;
        return response;
    }
    response.set_header("Content-Type", found->second.content_type);
    response.body = std::string(found->second.content);
    return response;
}

Response serve_file(Request const& request, std::filesystem::path const& path, std::string const& content_type,
    std::string const& download_name)
{
    struct stat status { };
    if (::stat(path.c_str(), &status) != 0 || !S_ISREG(status.st_mode))
        return Response::text("", 404);
    auto size = static_cast<std::uint64_t>(status.st_size);
    auto etag = "\"" + std::to_string(status.st_mtime) + "-" + std::to_string(size) + "\"";
    Response response;
    response.set_header("ETag", etag);
    response.set_header("Accept-Ranges", "bytes");
    response.set_header("Content-Type", content_type);
    if (!download_name.empty()) {
        std::string ascii;
        for (unsigned char c : download_name)
            ascii += (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') ? '_' : static_cast<char>(c);
        response.set_header("Content-Disposition",
            "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percent_encode(download_name));
    }
    if (etag_matches(request, etag)) {
        response.status = 304;
        return response;
    }
    std::uint64_t first = 0;
    std::uint64_t last = size == 0 ? 0 : size - 1;
    auto range = request.header("range");
    auto if_range = request.header("if-range");
    if (!range.empty() && (if_range.empty() || if_range == etag) && range.rfind("bytes=", 0) == 0
        && range.find(',') == std::string::npos) {
        auto spec = std::string_view(range).substr(6);
        auto dash = spec.find('-');
        bool valid = dash != std::string_view::npos;
        std::uint64_t start = 0;
        std::uint64_t end = 0;
        if (valid && dash == 0) {
            // "-N": the last N bytes.
            auto suffix = spec.substr(1);
            valid = std::from_chars(suffix.data(), suffix.data() + suffix.size(), end).ec == std::errc {} && end > 0;
            if (valid) {
                start = end >= size ? 0 : size - end;
                end = size - 1;
            }
        } else if (valid) {
            auto head = spec.substr(0, dash);
            auto tail = spec.substr(dash + 1);
            valid = std::from_chars(head.data(), head.data() + head.size(), start).ec == std::errc {};
            if (valid && !tail.empty())
                valid = std::from_chars(tail.data(), tail.data() + tail.size(), end).ec == std::errc {} && end >= start;
            else
                end = size - 1;
            if (end >= size)
                end = size - 1;
        }
        if (!valid || start >= size) {
            response.status = 416;
            response.set_header("Content-Range", "bytes */" + std::to_string(size));
            return response;
        }
        first = start;
        last = end;
        response.status = 206;
        response.set_header("Content-Range",
            "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(size));
    }
    response.file = FileBody { path, first, size == 0 ? 0 : last - first + 1 };
    return response;
}

std::string download_type(std::string_view file_name)
{
    static constexpr std::array<std::string_view, 6> OPENED { "application/pdf", "image/png", "image/jpeg", "image/gif",
        "image/webp", "text/plain" };
    auto type = content_type_for(file_name);
    for (auto allowed : OPENED) {
        if (type.starts_with(allowed))
            return type;
    }
    return "application/octet-stream";
}

} // namespace cartable::http
