// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cctype>
#include <charconv>
#include <string>
#include <string_view>
#include <utility>

namespace cartable {

// Without the spaces and tabs around it (HTTP's "optional white space").
constexpr std::string_view trim_blanks(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

// In lower-case ASCII, the accented Latin letters of French and of the
// names the directory holds folded to their base letter (« Élodie GARCÍA »
// → « elodie garcia », « Œ » → « o »); other characters unchanged.
inline std::string fold_accents(std::string_view text)
{
    static std::pair<std::string_view, char> const accented[] = { { "é", 'e' }, { "è", 'e' }, { "ê", 'e' },
        { "ë", 'e' }, { "É", 'e' }, { "È", 'e' }, { "Ê", 'e' }, { "Ë", 'e' }, { "à", 'a' }, { "â", 'a' }, { "ä", 'a' },
        { "á", 'a' }, { "À", 'a' }, { "Â", 'a' }, { "Ä", 'a' }, { "Á", 'a' }, { "ç", 'c' }, { "Ç", 'c' }, { "î", 'i' },
        { "ï", 'i' }, { "í", 'i' }, { "Î", 'i' }, { "Ï", 'i' }, { "Í", 'i' }, { "ô", 'o' }, { "ö", 'o' }, { "ó", 'o' },
        { "Ô", 'o' }, { "Ö", 'o' }, { "Ó", 'o' }, { "ù", 'u' }, { "û", 'u' }, { "ü", 'u' }, { "ú", 'u' }, { "Ù", 'u' },
        { "Û", 'u' }, { "Ü", 'u' }, { "Ú", 'u' }, { "ñ", 'n' }, { "Ñ", 'n' }, { "œ", 'o' }, { "Œ", 'o' }, { "æ", 'a' },
        { "Æ", 'a' } };
    std::string result;
    result.reserve(text.size());
    for (std::size_t index = 0; index < text.size();) {
        bool replaced = false;
        for (auto const& [letter, plain] : accented) {
            if (text.substr(index, letter.size()) == letter) {
                result += plain;
                index += letter.size();
                replaced = true;
                break;
            }
        }
        if (!replaced) {
            char c = text[index++];
            result += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        }
    }
    return result;
}

// Without the white space (spaces, tabs, line breaks) around it.
constexpr std::string_view trim_text(std::string_view text)
{
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

// The beginning of a text for a list (an article's first lines): at most
// `max_bytes`, cut after a word (never inside a UTF-8 character), « … » added
// when something was cut.
inline std::string excerpt(std::string_view text, std::size_t max_bytes)
{
    if (text.size() <= max_bytes)
        return std::string(text);
    auto cut = text.rfind(' ', max_bytes);
    if (cut == std::string_view::npos || cut == 0) {
        cut = max_bytes;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U)
            --cut;
    }
    return std::string(text.substr(0, cut)) + " …";
}

// Calls `visit` with each line of the text, without its "\n" or "\r\n"
// (a text without a final newline still has its last line).
template<typename Visit> void for_each_line(std::string_view text, Visit&& visit)
{
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        auto line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        visit(line);
        start = end + 1;
    }
}

// A LIKE pattern finding `text` anywhere, in lower case, its wildcards
// escaped (`LIKE :pattern ESCAPE '\\'`).
inline std::string like_containing(std::string_view text)
{
    std::string pattern = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            pattern += '\\';
        pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return pattern + "%";
}

// A positive number written whole in a path, form or query (« 42 »); 0 for
// anything else, which no row has as its id.
inline long long parse_id(std::string_view text)
{
    long long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && value > 0 ? value : 0;
}

} // namespace cartable
