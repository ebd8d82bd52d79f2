// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include "core/error.h"
#include "core/http/message.h"

namespace cartable::account {

// First connection, step 1: the charter in force and « J'accepte la charte
// d'utilisation de l'ENT ».
ErrorOr<http::Response> show_charter_step(Context&);
ErrorOr<http::Response> accept_charter(Context&);
// The charter in force, to read again at any time.
ErrorOr<http::Response> show_charter(Context&);
// Administrators: versions, a new version, who accepted which when.
ErrorOr<http::Response> show_charter_admin(Context&);
ErrorOr<http::Response> publish_charter(Context&);
// At start: a deployment without a charter gets the default one (version 1).
ErrorOr<void> ensure_charter(Services&);

} // namespace cartable::account
