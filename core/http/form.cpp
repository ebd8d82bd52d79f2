// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/http/form.h"

namespace cartable::http {

namespace {

constexpr char const* malformed_form_message = "Le formulaire envoyé est mal formé.";
constexpr char const* invalid_text_message = "Le texte envoyé contient des caractères invalides (UTF-8 attendu).";
constexpr char const* too_many_fields_message = "Le formulaire envoyé contient trop de champs.";

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// RFC 3986 unreserved characters: everything else is escaped, so the result is
// safe in a query string, a path segment and a form body alike.
bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
        || c == '_' || c == '~';
}

} // namespace

std::string FormFields::get(std::string_view name) const
{
    for (auto const& [key, value] : m_items) {
        if (key == name)
            return value;
    }
    return {};
}

std::vector<std::string> FormFields::all(std::string_view name) const
{
    std::vector<std::string> values;
    for (auto const& [key, value] : m_items) {
        if (key == name)
            values.push_back(value);
    }
    return values;
}

bool FormFields::has(std::string_view name) const
{
    for (auto const& item : m_items) {
        if (item.first == name)
            return true;
    }
    return false;
}

ErrorOr<std::string> percent_decode(std::string_view text, bool plus_is_space)
{
    std::string decoded;
    decoded.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (text.size() - i < 3)
                return Error::invalid(malformed_form_message, "truncated percent escape");
            int high = hex_value(text[i + 1]);
            int low = hex_value(text[i + 2]);
            if (high < 0 || low < 0)
                return Error::invalid(malformed_form_message, "non-hexadecimal percent escape");
            decoded.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            decoded.push_back(' ');
        } else {
            decoded.push_back(c);
        }
    }
    return decoded;
}

std::string percent_encode(std::string_view text)
{
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string encoded;
    encoded.reserve(text.size());
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (is_unreserved(byte)) {
            encoded.push_back(c);
        } else {
            encoded.push_back('%');
            encoded.push_back(digits[byte >> 4]);
            encoded.push_back(digits[byte & 0x0F]);
        }
    }
    return encoded;
}

bool is_valid_utf8(std::string_view text)
{
    std::size_t i = 0;
    std::size_t const size = text.size();
    while (i < size) {
        auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            ++i;
            continue;
        }
        std::size_t length;
        char32_t code_point;
        char32_t minimum;
        if ((byte & 0xE0) == 0xC0) {
            length = 2;
            code_point = byte & 0x1F;
            minimum = 0x80;
        } else if ((byte & 0xF0) == 0xE0) {
            length = 3;
            code_point = byte & 0x0F;
            minimum = 0x800;
        } else if ((byte & 0xF8) == 0xF0) {
            length = 4;
            code_point = byte & 0x07;
            minimum = 0x10000;
        } else {
            // A lone continuation byte or 0xF8..0xFF.
            return false;
        }
        if (size - i < length)
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            auto continuation = static_cast<unsigned char>(text[i + k]);
            if ((continuation & 0xC0) != 0x80)
                return false;
            code_point = (code_point << 6) | (continuation & 0x3F);
        }
        // Overlong forms would let "%C0%AF" smuggle a '/' past a check.
        if (code_point < minimum)
            return false;
        if (code_point >= 0xD800 && code_point <= 0xDFFF)
            return false;
        if (code_point > 0x10FFFF)
            return false;
        i += length;
    }
    return true;
}

ErrorOr<FormFields> parse_urlencoded(std::string_view body, std::size_t max_fields)
{
    FormFields fields;
    std::size_t count = 0;
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t end = body.find('&', start);
        if (end == std::string_view::npos)
            end = body.size();
        std::string_view piece = body.substr(start, end - start);
        start = end + 1;
        if (piece.empty())
            continue;
        if (++count > max_fields)
            return Error::invalid(too_many_fields_message, "too many form fields");
        std::size_t equals = piece.find('=');
        std::string_view raw_name = piece.substr(0, equals);
        std::string_view raw_value = equals == std::string_view::npos ? std::string_view {} : piece.substr(equals + 1);
        std::string name = TRY(percent_decode(raw_name));
        std::string value = TRY(percent_decode(raw_value));
        if (!is_valid_utf8(name) || !is_valid_utf8(value))
            return Error::invalid(invalid_text_message, "form field is not valid UTF-8");
        fields.add(std::move(name), std::move(value));
    }
    return fields;
}

} // namespace cartable::http
