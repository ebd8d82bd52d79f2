// SPDX-License-Identifier: AGPL-3.0-or-later
// WebSocket connections as the services see them, without Beast: a route's
// handler answers with a Response carrying a WebSocketHandler, and the
// server (core/http/server.cpp, the only file that knows Beast) upgrades the
// connection once the request went through the whole middleware (session,
// capability, the handler's own object policy).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace cartable::http {

// One open connection, as its handler writes to it. Thread-safe: any thread
// may send (the frames go out in order); sending on a closed connection does
// nothing.
class WebSocketConnection {
public:
    virtual ~WebSocketConnection() = default;
    // One text frame; shared so that a broadcast copies nothing.
    virtual void send(std::shared_ptr<std::string const> text) = 0;
    void send(std::string text) { send(std::make_shared<std::string const>(std::move(text))); }
    // Closes the connection (normal closure); on_close follows.
    virtual void close() = 0;
};

// What the service does with the connection. The server calls on_open
// once the handshake is done, on_message for each text frame (on the worker
// pool, never two at once for one connection: it may read the database),
// and on_close exactly once after on_open, whatever ended the connection.
class WebSocketHandler {
public:
    virtual ~WebSocketHandler() = default;
    virtual void on_open(std::shared_ptr<WebSocketConnection> connection) = 0;
    virtual void on_message(std::string const& text) = 0;
    virtual void on_close() = 0;
};

// The largest frame a client may send (bytes); a larger one closes the
// connection.
inline constexpr std::size_t WEBSOCKET_MAX_MESSAGE_BYTES = 16 * 1024;

// Whether the Origin header (if any) names the host the request came to:
// a page of another site must not open a socket with the person's cookies
// (cross-site WebSocket hijacking). No Origin (not a browser): accepted.
inline bool same_origin(std::string const& origin, std::string const& host)
{
    if (origin.empty())
        return true;
    auto const scheme_end = origin.find("://");
    if (scheme_end == std::string::npos || host.empty())
        return false;
    auto const scheme = origin.substr(0, scheme_end);
    if (scheme != "http" && scheme != "https")
        return false;
    auto const origin_host = origin.substr(scheme_end + 3);
    if (origin_host.size() != host.size())
        return false;
    for (std::size_t at = 0; at < host.size(); ++at) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(origin_host[at]) != lower(host[at]))
            return false;
    }
    return true;
}

} // namespace cartable::http
