// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"

namespace cartable::portal {

ErrorOr<http::Response> show_home(Context&);
ErrorOr<http::Response> serve_asset(Context&);
ErrorOr<http::Response> serve_fingerprinted_asset(Context&);

} // namespace cartable::portal
