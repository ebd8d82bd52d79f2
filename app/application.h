// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include "core/http/router.h"
#include "core/http/server.h"
#include <memory>

namespace cartable::app {

// The composition root: opens the database, applies migrations, declares
// every service's capabilities and mounts its routes.
ErrorOr<std::unique_ptr<Services>> open_services(Config const& config);
// What each service does once the database is migrated (the default charter,
// the help index, the frame's contributors).
ErrorOr<void> start_services(Services&);
ErrorOr<http::Router> build_router(access::CapabilityRegistry& registry);

// What runs around every handler: session, capability at the route's
// scope, CSRF on state-changing requests, errors to French pages.
class Application final : public http::Application {
public:
    Application(Services& services, http::Router router);
    http::Lane lane(http::Request& request) const override;
    http::Response handle(http::Request& request) override;
    http::Response refuse(int status, http::Request* request) override;

private:
    ErrorOr<void> load_session(Context& context);
    void route(http::Request& request) const;
    ErrorOr<http::Response> dispatch(Context& context, http::Route const& route);
    Services& m_services;
    http::Router m_router;
};

} // namespace cartable::app
