// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/http/cookies.h"
#include "core/http/form.h"
#include "core/http/multipart.h"
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cartable::http {

class WebSocketHandler; // core/http/websocket.h

enum class Method { Get, Head, Post, Put, Patch, Delete, Options, Other };
struct Route;

std::string_view method_name(Method method);
Method method_from_name(std::string_view name);

// A request as the services see it: parsed, decoded, its body either a
// decoded form, uploaded files already on disk, or raw text.
struct Request {
    Method method { Method::Get };
    std::string target; // as sent: path and query
    std::string path; // percent-decoded path
    FormFields query;
    std::vector<std::pair<std::string, std::string>> headers; // names in lower case
    std::string body; // raw body for non-form content types
    FormFields form; // urlencoded or multipart fields
    std::vector<UploadedFile> files; // multipart files, removed after the response
    std::vector<std::pair<std::string, std::string>> path_parameters;
    // The route found for it, looked up once (before choosing its lane).
    Route const* route { nullptr };
    bool routed { false };
    std::string remote_address;
    bool secure { false };

    std::string header(std::string_view lower_case_name) const;
    std::optional<std::string> cookie(std::string_view name) const;
    std::string parameter(std::string_view name) const; // path parameter
    // The non-empty files sent in one field of a multipart form.
    std::vector<UploadedFile const*> files_named(std::string_view field) const;
    // The path for the access log: the value of a path parameter named
    // "token" (a link sent by e-mail) is written "***".
    std::string path_for_log() const;
    bool is_state_changing() const
    {
        return method != Method::Get && method != Method::Head && method != Method::Options;
    }
};

// A file sent as the body, possibly a byte range of it.
struct FileBody {
    std::filesystem::path path;
    std::uint64_t offset { 0 };
    std::uint64_t length { 0 };
};

struct Response {
    int status { 200 };
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::optional<FileBody> file;
    // Set by a handler that accepts a WebSocket: the server upgrades the
    // connection (if the request asks for it, from the same origin) and
    // hands it to this object; the rest of the response is then unused.
    std::shared_ptr<WebSocketHandler> websocket;

    void set_header(std::string name, std::string value);
    std::string header(std::string_view name) const;
    void add_cookie(SetCookie const& cookie) { headers.emplace_back("Set-Cookie", to_set_cookie_header(cookie)); }

    static Response html(std::string body, int status = 200);
    static Response text(std::string body, int status = 200);
    static Response json(std::string body, int status = 200);
    static Response redirect(std::string location, int status = 303);
};

std::string_view status_reason(int status);

} // namespace cartable::http
