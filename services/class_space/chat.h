// SPDX-License-Identifier: AGPL-3.0-or-later
// The chat of a space, for its tests and its benchmark: what a message is,
// how one is posted (from the form or a WebSocket), who is online.
#pragma once

#include "services/class_space/class_space_internal.h"
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cartable::class_space {

inline constexpr std::size_t CHAT_MAX_CHARACTERS = 2000;

struct ChatMessage {
    long long id { 0 };
    std::string author; // « Samuel BEAUMONT », « Ancien membre »
    std::string text; // plain text, as typed (trimmed)
    long long created_at { 0 };
};

// Checks the role (a contributor or a manager, the space not archived) and
// the text (not empty, at most CHAT_MAX_CHARACTERS), stores the message,
// then sends it to every connection of the space. A refusal carries its
// French sentence in message_key; nothing is stored.
ErrorOr<ChatMessage> post_chat_message(
    Services& services, Loaded const& loaded, identity::User const& author, std::string_view typed, long long now);

// The names of the people connected to the chat of a space, sorted.
std::vector<std::string> chat_presence(Services const& services, long long space_id);

} // namespace cartable::class_space
