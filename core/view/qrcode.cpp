// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/view/qrcode.h"
#include <memory>
#include <qrencode.h>
#include <string>

namespace cartable::view {

namespace {

std::string escape_attribute(std::string_view text)
{
    std::string result;
    for (char c : text) {
        switch (c) {
        case '&':
            result += "&amp;";
            break;
        case '<':
            result += "&lt;";
            break;
        case '>':
            result += "&gt;";
            break;
        case '"':
            result += "&quot;";
            break;
        default:
            result += c;
        }
    }
    return result;
}

} // namespace

std::optional<std::string> qr_code_svg(std::string_view text, std::string_view label)
{
    std::string const data(text);
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code)
        return std::nullopt;
    int const width = code->width;
    int constexpr quiet = 4;
    int const size = width + 2 * quiet;
    std::string path;
    path.reserve(static_cast<std::size_t>(width * width) * 4);
    for (int row = 0; row < width; ++row) {
        for (int column = 0; column < width; ++column) {
            if ((code->data[row * width + column] & 1) != 0) {
                path += 'M';
                path += std::to_string(column + quiet);
                path += ' ';
                path += std::to_string(row + quiet);
                path += "h1v1h-1z";
            }
        }
    }
    auto side = std::to_string(size);
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + " " + side
        + "\" width=\"240\" height=\"240\" role=\"img\" aria-label=\"" + escape_attribute(label)
        + "\" shape-rendering=\"crispEdges\"><rect width=\"" + side + "\" height=\"" + side
        + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

} // namespace cartable::view
