// SPDX-License-Identifier: AGPL-3.0-or-later
// The agenda's rows: a space's events and its members' subscription links.
#pragma once

#include "services/class_space/agenda_model.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <utility>
#include <vector>

namespace cartable::class_space::agenda {

// The events of a space that may have an occurrence in [from, to) (local
// minutes), by start; at most `limit`.
std::vector<Event> events_in(soci::session&, long long space_id, long long from, long long to, long long limit);
// An event of that space; nothing for another space's.
std::optional<Event> event_of_space(soci::session&, long long space_id, long long event_id);
long long insert_event(soci::session&, Event const& event);
void update_event(soci::session&, Event const& event);
void delete_event(soci::session&, long long space_id, long long event_id);

// A new secret link for the person and space (the former one stops
// working); returns the token, of which only the digest is kept.
std::string renew_feed_token(soci::session&, long long space_id, long long user_id, long long now);
// When the person's link was made, if they have one.
std::optional<long long> feed_created_at(soci::session&, long long space_id, long long user_id);
// The space and person of a token.
std::optional<std::pair<long long, long long>> feed_of_token(soci::session&, std::string const& token);

} // namespace cartable::class_space::agenda
