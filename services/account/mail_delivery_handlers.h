// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include "core/http/message.h"

namespace cartable::account {

// « Envois de courriels »: what waits or failed in the outbox (core/notify),
// for the administrators, with « Réessayer maintenant » on failed ones.
ErrorOr<http::Response> show_mail_delivery(Context&);
ErrorOr<http::Response> retry_mail_now(Context&);

} // namespace cartable::account
