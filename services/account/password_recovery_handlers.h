// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include "core/http/message.h"

namespace cartable::account {

// « Mot de passe oublié ? »: asking for a link, then choosing the password.
ErrorOr<http::Response> show_forgotten_password_form(Context&);
ErrorOr<http::Response> request_password_link(Context&);
ErrorOr<http::Response> show_new_password_form(Context&);
ErrorOr<http::Response> set_new_password(Context&);

} // namespace cartable::account
