// SPDX-License-Identifier: AGPL-3.0-or-later
// What the messagerie's route files share.
#pragma once

#include "core/context.h"
#include "services/mail/mail.h"
#include <string_view>

namespace cartable::mail {

inline constexpr char const* USE = "mail.use";

// A positive id from text, 0 when it is none.
long long parse_id(std::string_view text);
// Forgets the unread count cached for that person.
void forget_unread(Context&, long long person_id);
ErrorOr<long long> cached_unread_count(Context&);

ErrorOr<http::Response> show_compose(Context&);
ErrorOr<http::Response> act_on_compose(Context&);

} // namespace cartable::mail
