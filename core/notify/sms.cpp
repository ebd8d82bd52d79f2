// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/notify/sms.h"
#include <array>
#include <cstdio>
#include <curl/curl.h>
#include <memory>
#include <mutex>

namespace cartable::notify {

namespace {

int check_stop(void* user_data, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    return static_cast<std::stop_token*>(user_data)->stop_requested() ? 1 : 0;
}

// The gateway's answer is not kept (it may echo the number).
std::size_t ignore_answer(char*, std::size_t size, std::size_t count, void*)
{
    return size * count;
}

struct CurlDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct ListDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::string json_escaped(std::string_view text)
{
    std::string result;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            result.push_back('\\');
            result.push_back(c);
        } else if (c == '\n') {
            result.append("\\n");
        } else if (byte < 0x20) {
            std::array<char, 8> escaped {};
            std::snprintf(escaped.data(), escaped.size(), "\\u%04x", static_cast<unsigned>(byte));
            result.append(escaped.data());
        } else {
            result.push_back(c);
        }
    }
    return result;
}

std::string form_escaped(std::string_view text)
{
    constexpr std::string_view HEX = "0123456789ABCDEF";
    std::string result;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '.' || c == '~';
        if (plain) {
            result.push_back(c);
        } else {
            result.push_back('%');
            result.push_back(HEX.at(byte >> 4U));
            result.push_back(HEX.at(byte & 0x0FU));
        }
    }
    return result;
}

// French letters outside the GSM 03.38 alphabet, written with the closest
// ones inside it: one such letter would make the operator send the SMS as
// UCS-2, 70 characters a part instead of 160.
constexpr std::array<std::pair<std::string_view, std::string_view>, 32> GSM_REPLACEMENTS { {
    { "â", "a" },
    { "ê", "e" },
    { "ë", "e" },
    { "î", "i" },
    { "ï", "i" },
    { "ô", "o" },
    { "û", "u" },
    { "ÿ", "y" },
    { "ç", "c" },
    { "À", "A" },
    { "Â", "A" },
    { "È", "E" },
    { "Ê", "E" },
    { "Ë", "E" },
    { "Î", "I" },
    { "Ï", "I" },
    { "Ô", "O" },
    { "Ù", "U" },
    { "Û", "U" },
    { "Ÿ", "Y" },
    { "œ", "oe" },
    { "Œ", "OE" },
    { "«\u00a0", "\"" },
    { "« ", "\"" },
    { "\u00a0»", "\"" },
    { " »", "\"" },
    { "«", "\"" },
    { "»", "\"" },
    { "’", "'" },
    { "…", "..." },
    { "–", "-" },
    { "\u00a0", " " },
} };

std::string gsm_friendly(std::string_view text)
{
    std::string result;
    std::size_t at = 0;
    while (at < text.size()) {
        bool replaced = false;
        for (auto const& [from, to] : GSM_REPLACEMENTS) {
            if (text.substr(at).starts_with(from)) {
                result.append(to);
                at += from.size();
                replaced = true;
                break;
            }
        }
        if (!replaced)
            result.push_back(text[at++]);
    }
    return result;
}

void replace_all(std::string& text, std::string_view placeholder, std::string const& value)
{
    std::size_t at = 0;
    while ((at = text.find(placeholder, at)) != std::string::npos) {
        text.replace(at, placeholder.size(), value);
        at += value.size();
    }
}

} // namespace

SmsSettings SmsSettings::from_config(Config const& config)
{
    SmsSettings settings;
    settings.url = config.sms_gateway_url;
    settings.username = config.sms_username;
    settings.password = config.sms_password;
    settings.body_template = config.sms_template;
    settings.content_type = config.sms_content_type;
    return settings;
}

std::string sms_text(std::string_view original)
{
    auto text = gsm_friendly(original);
    constexpr std::string_view MORE = "...";
    // Counts characters: a byte that does not continue a UTF-8 sequence.
    std::size_t characters = 0;
    std::size_t cut_at = std::string::npos; // where the text before « ... » ends
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0U) == 0x80U)
            continue;
        if (characters == SMS_MAX_CHARACTERS - MORE.size())
            cut_at = i;
        ++characters;
    }
    if (characters <= SMS_MAX_CHARACTERS)
        return text;
    return text.substr(0, cut_at).append(MORE);
}

std::string sms_body(SmsSettings const& settings, std::string_view to, std::string_view text)
{
    auto body = settings.body_template;
    bool json = settings.content_type.find("json") != std::string::npos;
    bool form = settings.content_type.find("x-www-form-urlencoded") != std::string::npos;
    auto escape = [&](std::string_view value) {
        if (json)
            return json_escaped(value);
        if (form)
            return form_escaped(value);
        return std::string(value);
    };
    replace_all(body, "{{to}}", escape(to));
    replace_all(body, "{{text}}", escape(text));
    return body;
}

ErrorOr<void> send_sms(
    SmsSettings const& settings, std::string const& number, std::string const& text, std::stop_token const& stop)
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl)
        return Error::internal("libcurl could not start a transfer");
    auto* handle = curl.get();
    auto body = sms_body(settings, number, text);
    curl_easy_setopt(handle, CURLOPT_URL, settings.url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_POST, 1L);
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    auto content_type = std::string("Content-Type: ").append(settings.content_type);
    std::unique_ptr<curl_slist, ListDeleter> headers(curl_slist_append(nullptr, content_type.c_str()));
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    if (!settings.username.empty()) {
        curl_easy_setopt(handle, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
        curl_easy_setopt(handle, CURLOPT_USERNAME, settings.username.c_str());
        curl_easy_setopt(handle, CURLOPT_PASSWORD, settings.password.c_str());
    }
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, ignore_answer);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, settings.connect_timeout_seconds);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT, settings.timeout_seconds);
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, check_stop);
    std::stop_token watched = stop;
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &watched);
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    std::array<char, CURL_ERROR_SIZE> reason {};
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, reason.data());

    auto result = curl_easy_perform(handle);
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    if (result != CURLE_OK)
        return Error::internal(
            reason[0] != '\0' ? std::string(reason.data()) : std::string(curl_easy_strerror(result)));
    if (status < 200 || status >= 300)
        return Error::internal("la passerelle SMS a répondu " + std::to_string(status));
    return {};
}

} // namespace cartable::notify
