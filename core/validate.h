// SPDX-License-Identifier: AGPL-3.0-or-later
// Checks of what people type in forms, shared by every service: an e-mail
// address, a telephone number, a length counted as a person counts it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cartable::validate {

// Whether the text is valid UTF-8 (forms are refused otherwise).
bool is_utf8(std::string_view text);

// The number of characters as a person counts them: « é » typed as e and a
// combining accent is one, a family emoji made of four joined ones is one
// (extended grapheme clusters, by ICU). Invalid UTF-8
// counts each bad byte as one.
std::size_t character_count(std::string_view text);

// Whether the text holds invisible control characters (C0 and DEL) that a
// person cannot have meant; line breaks and tabs are allowed in texts of
// several lines (`lines_allowed`).
bool has_control_characters(std::string_view text, bool lines_allowed = false);

// An address mail servers accept: local part and domain, at most 254 bytes,
// a domain of dotted labels with a top-level one of letters.
bool is_email(std::string_view address);

// A telephone number in the form people write (« 06 12 12 12 12 »,
// « +33 6 12 12 12 12 », « 04.67.00.00.00 », « +44 20 7946 0958 »),
// written back the way the guide shows it: « +33 6 12 12 12 12 » for a
// French number, « +<digits> » grouped by the caller otherwise. Nothing for
// something that is not a number.
std::optional<std::string> phone_number(std::string_view typed);

} // namespace cartable::validate
