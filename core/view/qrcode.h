// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cartable::view {

// The text as a QR code (libqrencode, error correction M), drawn as an SVG
// image of dark squares on a white ground with the four-module quiet zone,
// labelled for screen readers by `label`. Nothing if the text is too long.
std::optional<std::string> qr_code_svg(std::string_view text, std::string_view label);

} // namespace cartable::view
