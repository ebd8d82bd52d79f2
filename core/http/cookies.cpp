// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/http/cookies.h"
#include "core/text.h"

namespace cartable::http {

namespace {

constexpr auto trim = trim_blanks;

// RFC 6265 section 4.1.1: a cookie name is an RFC 2616 token.
bool is_token(std::string_view text)
{
    if (text.empty())
        return false;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7F)
            return false;
        switch (c) {
        case '(':
        case ')':
        case '<':
        case '>':
        case '@':
        case ',':
        case ';':
        case ':':
        case '\\':
        case '"':
        case '/':
        case '[':
        case ']':
        case '?':
        case '=':
        case '{':
        case '}':
            return false;
        default:
            break;
        }
    }
    return true;
}

// RFC 6265 cookie-octet: visible ASCII without space, '"', ',', ';' and '\'.
// An empty value is allowed: that is how a cookie is deleted.
bool is_cookie_value(std::string_view text)
{
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7F || c == '"' || c == ',' || c == ';' || c == '\\')
            return false;
    }
    return true;
}

// The path ends up inside the header: a ';' or a control character there would
// let it add attributes of its own.
bool is_safe_path(std::string_view text)
{
    if (text.empty() || text.front() != '/')
        return false;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte >= 0x7F || c == ';')
            return false;
    }
    return true;
}

} // namespace

std::vector<std::pair<std::string, std::string>> parse_cookie_header(std::string_view header)
{
    std::vector<std::pair<std::string, std::string>> cookies;
    std::size_t start = 0;
    while (start <= header.size()) {
        std::size_t end = header.find(';', start);
        if (end == std::string_view::npos)
            end = header.size();
        std::string_view piece = trim(header.substr(start, end - start));
        start = end + 1;
        std::size_t equals = piece.find('=');
        if (equals == std::string_view::npos)
            continue;
        std::string_view name = trim(piece.substr(0, equals));
        std::string_view value = trim(piece.substr(equals + 1));
        if (name.empty())
            continue;
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        cookies.emplace_back(std::string(name), std::string(value));
    }
    return cookies;
}

std::optional<std::string> find_cookie(std::string_view header, std::string_view name)
{
    for (auto& [key, value] : parse_cookie_header(header)) {
        if (key == name)
            return std::move(value);
    }
    return std::nullopt;
}

std::string to_set_cookie_header(SetCookie const& cookie)
{
    if (!is_token(cookie.name) || !is_cookie_value(cookie.value) || !is_safe_path(cookie.path))
        return {};
    std::string header = cookie.name;
    header += '=';
    header += cookie.value;
    header += "; Path=";
    header += cookie.path;
    if (cookie.max_age_seconds) {
        header += "; Max-Age=";
        header += std::to_string(*cookie.max_age_seconds < 0 ? 0 : *cookie.max_age_seconds);
    }
    if (cookie.http_only)
        header += "; HttpOnly";
    if (cookie.secure)
        header += "; Secure";
    switch (cookie.same_site) {
    case SameSite::Lax:
        header += "; SameSite=Lax";
        break;
    case SameSite::Strict:
        header += "; SameSite=Strict";
        break;
    case SameSite::None:
        header += "; SameSite=None";
        break;
    }
    return header;
}

} // namespace cartable::http
