// SPDX-License-Identifier: AGPL-3.0-or-later
// Between the store and the pages of the notifications.
#pragma once

#include "services/notifications/notifications.h"
#include <optional>
#include <string>
#include <vector>

namespace cartable::notifications {

inline constexpr char const* USE = "notifications.use";
inline constexpr long long PAGE_SIZE = 20;

std::string_view channel_code(Channel);
bool default_choice(Event, Channel);

struct QuietHours {
    long long start_minute { 0 };
    long long end_minute { 0 };
};
std::optional<QuietHours> quiet_hours(soci::session&, long long user_id);

long long unread_count(soci::session&, long long person_id);

struct Item {
    long long id { 0 };
    std::string label; // the event's
    std::string title;
    std::string child_name; // empty: not about a child
    long long created_at { 0 };
    long long read_at { 0 };
};
struct Page {
    std::vector<Item> items;
    long long total { 0 };
};
// The person's notifications, newest first, PAGE_SIZE a page (from 1).
Page page_of(soci::session&, long long person_id, long long page);
// The link of the person's notification, now read; nothing if it is not theirs.
std::optional<std::string> open_item(soci::session&, long long person_id, long long id, long long now);
void mark_all_read(soci::session&, long long person_id, long long now);

struct StoredChoice {
    Event event { Event::Message };
    long long child_id { 0 };
    Channel channel { Channel::Ent };
    bool enabled { false };
};
// Replaces every choice of the person and their quiet hours (none: none).
void save_choices(
    soci::session&, long long user_id, std::vector<StoredChoice> const&, std::optional<QuietHours> const&);

// « Mes données »: the person's notifications, choices and quiet hours (JSON).
std::string personal_data_json(soci::session&, long long person_id);
// A former member's personal data deleted: their notifications and choices.
void forget_person(soci::session&, long long person_id);

} // namespace cartable::notifications
