// SPDX-License-Identifier: AGPL-3.0-or-later
// The handlers of the « PUBLICATION » pages and of the portals' pages.
#pragma once

#include "core/context.h"
#include "core/http/message.h"
#include <string>

namespace cartable::publishing {

// /publication: the places the person publishes in, with what is there.
ErrorOr<http::Response> show_publication(Context&);
// « Supprimer … ? » with its confirmation button (POST to action + "/supprimer").
http::Response removal_page(Context&, std::string const& what, std::string const& title, std::string const& object_url);

ErrorOr<http::Response> show_new_news_form(Context&);
ErrorOr<http::Response> publish_news(Context&);
ErrorOr<http::Response> show_edit_news_form(Context&);
ErrorOr<http::Response> save_news(Context&);
ErrorOr<http::Response> confirm_news_removal(Context&);
ErrorOr<http::Response> remove_news(Context&);

ErrorOr<http::Response> show_new_announcement_form(Context&);
ErrorOr<http::Response> publish_announcement(Context&);
ErrorOr<http::Response> show_edit_announcement_form(Context&);
ErrorOr<http::Response> save_announcement(Context&);
ErrorOr<http::Response> confirm_announcement_removal(Context&);
ErrorOr<http::Response> remove_announcement(Context&);

ErrorOr<http::Response> show_new_event_form(Context&);
ErrorOr<http::Response> publish_event(Context&);
ErrorOr<http::Response> show_edit_event_form(Context&);
ErrorOr<http::Response> save_event(Context&);
ErrorOr<http::Response> confirm_event_removal(Context&);
ErrorOr<http::Response> remove_event(Context&);

// /publication/droits: who may publish for an académie, a région, the platform.
ErrorOr<http::Response> show_grants(Context&);
ErrorOr<http::Response> add_grant(Context&);
ErrorOr<http::Response> remove_grant(Context&);

// « Mes portails »: the académie's, the région's and the platform's pages.
ErrorOr<http::Response> show_academy_portal(Context&);
ErrorOr<http::Response> show_region_portal(Context&);
ErrorOr<http::Response> show_platform_portal(Context&);
ErrorOr<http::Response> show_scope_news(Context&);

} // namespace cartable::publishing
