// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include "core/http/message.h"

namespace cartable::account {

// First sign-in with an activation code: it sets the password.
ErrorOr<http::Response> show_activation_form(Context&);
ErrorOr<http::Response> activate(Context&);

// The secretariat's page: counts per class, and the letters to print.
ErrorOr<http::Response> show_activation_admin(Context&);
ErrorOr<http::Response> print_activation_letters(Context&);

} // namespace cartable::account
