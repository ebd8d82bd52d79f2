// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/notify/mime.h"
#include <array>
#include <ctime>
#include <sodium.h>

namespace cartable::notify::mime {

namespace {

constexpr std::size_t LINE = 76;
// « =?UTF-8?B? » and « ?= » take 12 of an encoded word's 75 characters: 63
// remain, 60 of base64 carry 45 bytes.
constexpr std::size_t WORD_BYTES = 45;

std::string base64(std::string_view bytes)
{
    std::string encoded(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<unsigned char const*>(bytes.data()),
        bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    encoded.resize(encoded.size() - 1); // the final NUL
    return encoded;
}

bool printable_ascii(std::string_view text)
{
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7E)
            return false;
    }
    return text.find("=?") == std::string_view::npos;
}

// Header values never carry a line break of their own.
std::string one_line(std::string_view text)
{
    std::string result;
    for (char c : text)
        result += (c == '\r' || c == '\n') ? ' ' : c;
    return result;
}

std::string mailbox_header(std::string_view mailbox)
{
    auto address = address_of(mailbox);
    auto open = mailbox.rfind('<');
    if (open == std::string_view::npos)
        return address;
    auto name = std::string(mailbox.substr(0, open));
    while (!name.empty() && (name.back() == ' ' || name.back() == '"'))
        name.pop_back();
    while (!name.empty() && (name.front() == ' ' || name.front() == '"'))
        name.erase(0, 1);
    if (name.empty())
        return address;
    // A name of plain words goes quoted; anything else as encoded words.
    if (printable_ascii(name) && name.find_first_of("\"\\") == std::string::npos)
        return "\"" + name + "\" <" + address + ">";
    // The address on a line of its own: lines stay under 78 characters.
    return encoded_words(name) + "\r\n <" + address + ">";
}

std::string part(std::string_view type, std::string_view body)
{
    return "Content-Type: " + std::string(type) + "; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64_lines(body);
}

} // namespace

std::string address_of(std::string_view mailbox)
{
    auto open = mailbox.rfind('<');
    auto close = mailbox.rfind('>');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
        return one_line(mailbox);
    return one_line(mailbox.substr(open + 1, close - open - 1));
}

std::string domain_of(std::string_view address)
{
    auto at = address.rfind('@');
    return at == std::string_view::npos ? std::string("localhost") : std::string(address.substr(at + 1));
}

std::string encoded_words(std::string_view text)
{
    auto line = one_line(text);
    if (printable_ascii(line))
        return line;
    std::string result;
    std::size_t start = 0;
    while (start < line.size()) {
        auto end = std::min(start + WORD_BYTES, line.size());
        // Back to the first byte of a character.
        while (end < line.size() && end > start && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80)
            --end;
        if (!result.empty())
            result += "\r\n ";
        result += "=?UTF-8?B?" + base64(std::string_view(line).substr(start, end - start)) + "?=";
        start = end;
    }
    return result;
}

std::string base64_lines(std::string_view bytes)
{
    auto encoded = base64(bytes);
    std::string result;
    for (std::size_t start = 0; start < encoded.size(); start += LINE)
        result += encoded.substr(start, LINE) + "\r\n";
    return result;
}

std::string date_header(long long time)
{
    constexpr std::array<char const*, 7> DAYS { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    constexpr std::array<char const*, 12> MONTHS { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec" };
    auto seconds = static_cast<std::time_t>(time);
    std::tm utc {};
    gmtime_r(&seconds, &utc);
    std::array<char, 64> buffer {};
    std::snprintf(buffer.data(), buffer.size(), "%s, %02d %s %04d %02d:%02d:%02d +0000",
        DAYS.at(static_cast<std::size_t>(utc.tm_wday)), utc.tm_mday, MONTHS.at(static_cast<std::size_t>(utc.tm_mon)),
        utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
    return buffer.data();
}

std::string compose(Message const& message)
{
    std::string headers = "From: " + mailbox_header(message.from) + "\r\n";
    headers += "To: " + address_of(message.to) + "\r\n";
    headers += "Subject: " + encoded_words(message.subject) + "\r\n";
    headers += "Date: " + date_header(message.date) + "\r\n";
    headers += "Message-ID: <" + one_line(message.message_id) + ">\r\n";
    headers += "MIME-Version: 1.0\r\n";
    // RFC 3834: no automatic answer (absence notices) to this message.
    headers += "Auto-Submitted: auto-generated\r\n";
    if (message.html.empty())
        return headers + part("text/plain", message.text);
    // « =_ » cannot occur in base64: the boundary never meets the parts.
    // The id's left part only: « @ » is not a boundary character.
    auto boundary = "=_" + one_line(message.message_id.substr(0, message.message_id.find('@')));
    headers += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    return headers + "--" + boundary + "\r\n" + part("text/plain", message.text) + "--" + boundary + "\r\n"
        + part("text/html", message.html) + "--" + boundary + "--\r\n";
}

} // namespace cartable::notify::mime
