// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/error.h"
#include "core/http/message.h"
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cartable {
struct Context;
}

namespace cartable::http {

using Handler = std::function<ErrorOr<Response>(Context&)>;

// Where a request's handler runs. Inline: on the I/O thread, for handlers
// that never block (static files). Worker: on the handler pool (database).
// Slow: on a small pool of its own (password hashing), so that a sign-in
// storm does not hold the threads that serve pages. Public: inline for a
// visitor without a session cookie (the handler then serves a cached page,
// reading the database only when the cache is cold), on the pool otherwise.
enum class Lane { Inline, Worker, Slow, Public };

// One line of a service's route table. Every route names the capability that
// guards it; the application refuses to start if a route names none or names
// one that no service declared.
struct Route {
    Method method { Method::Get };
    std::string pattern; // "/portail/{uai}"; a final "{name*}" takes the rest of the path
    std::string capability;
    Handler handler;
    Lane lane { Lane::Worker };
    // Reachable by a signed-in person who has not accepted the charter in
    // force yet (the charter itself, help, sign-out). Routes of public
    // capabilities are anyway.
    bool before_charter { false };
};

struct RouteMatch {
    Route const* route { nullptr };
    std::vector<std::pair<std::string, std::string>> parameters;
    bool path_known { false }; // the path exists for another method (405)
    std::vector<Method> allowed; // those methods, for the Allow header
};

class Router {
public:
    // Fails on a malformed pattern, a missing capability or a duplicate.
    ErrorOr<void> add(Route route);
    RouteMatch match(Method method, std::string_view path) const;
    std::vector<Route> const& routes() const { return m_routes; }

private:
    struct Segment {
        std::string text;
        bool is_parameter { false };
        bool is_rest { false };
    };
    struct Compiled {
        std::vector<Segment> segments;
    };
    static std::optional<Compiled> compile(std::string_view pattern);
    static bool matches(Compiled const&, std::vector<std::string_view> const& parts,
        std::vector<std::pair<std::string, std::string>>& parameters);

    std::vector<Route> m_routes;
    std::vector<Compiled> m_compiled;
};

std::vector<std::string_view> split_path(std::string_view path);

} // namespace cartable::http
