// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/validate.h"
#include <algorithm>
#include <memory>
#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

namespace cartable::validate {

bool is_utf8(std::string_view text)
{
    auto const* bytes = reinterpret_cast<uint8_t const*>(text.data());
    auto const length = static_cast<int32_t>(text.size());
    for (int32_t index = 0; index < length;) {
        UChar32 character = 0;
        U8_NEXT(bytes, index, length, character);
        if (character < 0)
            return false;
    }
    return true;
}

std::size_t character_count(std::string_view text)
{
    if (text.empty())
        return 0;
    if (text.size() > static_cast<std::size_t>(INT32_MAX / 2))
        return text.size();
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UText, decltype(&utext_close)> utext(
        utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status), &utext_close);
    std::unique_ptr<UBreakIterator, decltype(&ubrk_close)> breaks(
        ubrk_open(UBRK_CHARACTER, "fr", nullptr, 0, &status), &ubrk_close);
    if (U_FAILURE(status) || !utext || !breaks)
        return text.size();
    ubrk_setUText(breaks.get(), utext.get(), &status);
    if (U_FAILURE(status))
        return text.size();
    std::size_t count = 0;
    ubrk_first(breaks.get());
    while (ubrk_next(breaks.get()) != UBRK_DONE)
        ++count;
    return count;
}

namespace {

bool is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool is_local_part_char(char c)
{
    static constexpr std::string_view allowed = "!#$%&'*+/=?^_`{|}~.-";
    return is_ascii_letter(c) || is_ascii_digit(c) || allowed.find(c) != std::string_view::npos;
}

bool is_domain_label(std::string_view label)
{
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
        return false;
    return std::all_of(
        label.begin(), label.end(), [](char c) { return is_ascii_letter(c) || is_ascii_digit(c) || c == '-'; });
}

} // namespace

bool is_email(std::string_view address)
{
    if (address.empty() || address.size() > 254)
        return false;
    auto at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at > 64)
        return false;
    auto local = address.substr(0, at);
    auto domain = address.substr(at + 1);
    if (!std::all_of(local.begin(), local.end(), is_local_part_char) || local.front() == '.' || local.back() == '.'
        || local.find("..") != std::string_view::npos)
        return false;
    if (domain.find('.') == std::string_view::npos)
        return false;
    std::string_view last_label;
    while (!domain.empty()) {
        auto dot = domain.find('.');
        auto label = domain.substr(0, dot);
        if (!is_domain_label(label))
            return false;
        last_label = label;
        domain = dot == std::string_view::npos ? std::string_view {} : domain.substr(dot + 1);
        if (dot != std::string_view::npos && domain.empty())
            return false; // a final dot
    }
    return last_label.size() >= 2 && std::all_of(last_label.begin(), last_label.end(), is_ascii_letter);
}

std::optional<std::string> phone_number(std::string_view typed)
{
    std::string digits;
    bool international = false;
    bool seen_anything = false;
    for (char c : typed) {
        if (is_ascii_digit(c)) {
            digits += c;
            seen_anything = true;
        } else if (c == '+' && !seen_anything) {
            international = true;
            seen_anything = true;
        } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
            return std::nullopt;
        }
    }
    if (!international && digits.starts_with("00")) { // 0033 6 12 …
        international = true;
        digits.erase(0, 2);
    }
    std::string national; // the nine digits after 0 of a French number
    if (!international && digits.size() == 10 && digits[0] == '0' && digits[1] != '0')
        national = digits.substr(1);
    else if (international && digits.size() == 11 && digits.starts_with("33") && digits[2] != '0')
        national = digits.substr(2);
    else if (international && digits.size() == 12 && digits.starts_with("330") && digits[3] != '0')
        national = digits.substr(3); // +33 (0)6 …
    if (!national.empty()) {
        std::string result = "+33 ";
        result += national[0];
        for (std::size_t index = 1; index < national.size(); index += 2) {
            result += ' ';
            result += national.substr(index, 2);
        }
        return result;
    }
    if (international && digits.size() >= 8 && digits.size() <= 15 && digits[0] != '0')
        return "+" + digits;
    return std::nullopt;
}

bool has_control_characters(std::string_view text, bool lines_allowed)
{
    return std::any_of(text.begin(), text.end(), [lines_allowed](char c) {
        if (lines_allowed && (c == '\n' || c == '\r' || c == '\t'))
            return false;
        auto const byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
    });
}

} // namespace cartable::validate
