// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/http/message.h"
#include <algorithm>
#include <array>

namespace cartable::http {

namespace {
constexpr std::array METHOD_NAMES {
    std::pair { Method::Get, std::string_view("GET") },
    std::pair { Method::Head, std::string_view("HEAD") },
    std::pair { Method::Post, std::string_view("POST") },
    std::pair { Method::Put, std::string_view("PUT") },
    std::pair { Method::Patch, std::string_view("PATCH") },
    std::pair { Method::Delete, std::string_view("DELETE") },
    std::pair { Method::Options, std::string_view("OPTIONS") },
};

bool iequals(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}
} // namespace

std::string_view method_name(Method method)
{
    for (auto const& [value, name] : METHOD_NAMES) {
        if (value == method)
            return name;
    }
    return "OTHER";
}

Method method_from_name(std::string_view name)
{
    for (auto const& [value, text] : METHOD_NAMES) {
        if (text == name)
            return value;
    }
    return Method::Other;
}

std::string Request::header(std::string_view lower_case_name) const
{
    for (auto const& [name, value] : headers) {
        if (name == lower_case_name)
            return value;
    }
    return {};
}

std::optional<std::string> Request::cookie(std::string_view name) const
{
    for (auto const& [header_name, value] : headers) {
        if (header_name != "cookie")
            continue;
        if (auto found = find_cookie(value, name))
            return found;
    }
    return std::nullopt;
}

std::vector<UploadedFile const*> Request::files_named(std::string_view field) const
{
    std::vector<UploadedFile const*> chosen;
    for (auto const& file : files) {
        if (file.field_name == field && !file.file_name.empty() && file.size > 0)
            chosen.push_back(&file);
    }
    return chosen;
}

std::string Request::parameter(std::string_view name) const
{
    for (auto const& [key, value] : path_parameters) {
        if (key == name)
            return value;
    }
    return {};
}

std::string Request::path_for_log() const
{
    auto token = parameter("token");
    auto at = token.empty() ? std::string::npos : path.rfind(token);
    if (at == std::string::npos)
        return path;
    return path.substr(0, at) + "***" + path.substr(at + token.size());
}

void Response::set_header(std::string name, std::string value)
{
    for (auto& [existing, existing_value] : headers) {
        if (iequals(existing, name)) {
            existing_value = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
}

std::string Response::header(std::string_view name) const
{
    for (auto const& [existing, value] : headers) {
        if (iequals(existing, name))
            return value;
    }
    return {};
}

namespace {
Response with_body(std::string body, int status, char const* content_type)
{
    Response response;
    response.status = status;
    response.body = std::move(body);
    response.headers.emplace_back("Content-Type", content_type);
    return response;
}
} // namespace

Response Response::html(std::string body, int status)
{
    return with_body(std::move(body), status, "text/html; charset=utf-8");
}

Response Response::text(std::string body, int status)
{
    return with_body(std::move(body), status, "text/plain; charset=utf-8");
}

Response Response::json(std::string body, int status)
{
    return with_body(std::move(body), status, "application/json");
}

Response Response::redirect(std::string location, int status)
{
    Response response;
    response.status = status;
    response.headers.emplace_back("Location", std::move(location));
    return response;
}

std::string_view status_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 416:
        return "Range Not Satisfiable";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Unknown";
    }
}

} // namespace cartable::http
