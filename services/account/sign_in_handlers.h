// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include "core/http/message.h"

namespace cartable::account {

ErrorOr<http::Response> choose_profile(Context&);
ErrorOr<http::Response> show_credentials_form(Context&);
ErrorOr<http::Response> sign_in(Context&);
ErrorOr<http::Response> sign_out(Context&);

} // namespace cartable::account
