// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/http/message.h"
#include "core/http/router.h"
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace cartable::http {

class Application {
public:
    virtual ~Application() = default;
    // Also finds the request's route, kept in the request for handle().
    virtual Lane lane(Request& request) const = 0;
    // Never throws; a failure is a 500 page.
    virtual Response handle(Request& request) = 0;
    // The French page for what the server refuses by itself (400, 413, 431,
    // 500). With the request's header when it could be read, so the page can
    // be drawn inside the person's frame (this may touch the database: it
    // then runs on the worker pool).
    virtual Response refuse(int status, Request* request) = 0;
};

struct ServerOptions {
    std::string host { "127.0.0.1" };
    int port { 8080 };
    int io_threads { 1 };
    int worker_threads { 4 };
    int slow_threads { 1 };
    std::uint64_t max_body_bytes { 1 << 20 };
    std::uint64_t max_upload_bytes { 512ULL << 20 };
    std::uint32_t max_header_bytes { 16 * 1024 };
    int request_timeout_seconds { 30 };
    int keep_alive_seconds { 60 };
    std::filesystem::path upload_directory;
    // Told the port actually bound (port 0 picks a free one).
    std::function<void(int port)> on_listening;
};

// Serves until SIGINT or SIGTERM, then stops accepting, lets the requests
// in progress finish (20 s at most) and returns. Returns 0, or 1 when the
// address cannot be bound.
int run_server(ServerOptions const& options, Application& application);

} // namespace cartable::http
