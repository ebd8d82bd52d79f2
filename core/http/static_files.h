// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/http/message.h"
#include <string>
#include <string_view>

namespace cartable::http {

// The files of web/static, carried in the program. Each has a fingerprint
// (a hash of its content): pages link to /static/<fingerprint>/<name>,
// cached for a year; /static/<name> answers with an ETag and revalidation.
std::string static_fingerprint(std::string_view file_name);
std::string static_url(std::string_view file_name);
Response serve_static(Request const& request, std::string_view fingerprint, std::string_view file_name);

// A file from disk for download: Content-Type, Content-Disposition with a
// UTF-8 name (RFC 6266), ETag, and a single byte Range (RFC 7233).
Response serve_file(Request const& request, std::filesystem::path const& path, std::string const& content_type,
    std::string const& download_name);

std::string content_type_for(std::string_view file_name);
// The type to send a stored file of that name with: those a browser may open
// itself (PDF, plain text, common images), application/octet-stream for
// anything else (HTML, SVG, scripts download as bytes).
std::string download_type(std::string_view file_name);

} // namespace cartable::http
