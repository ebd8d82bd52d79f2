// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include "core/error.h"
#include <stop_token>
#include <string>
#include <string_view>

// One SMS through the operator's HTTP gateway, by libcurl: a POST to
// `sms.gateway_url` whose body is `sms.template` with {{to}} and {{text}}
// replaced (escaped for JSON or for a form, after `sms.content_type`),
// with HTTP Basic credentials when `sms.username` is set. The password goes
// to libcurl only: never into a URL, an error or a log line.
namespace cartable::notify {

inline constexpr std::size_t SMS_MAX_CHARACTERS = 160;

struct SmsSettings {
    std::string url;
    std::string username;
    std::string password;
    std::string body_template;
    std::string content_type;
    long connect_timeout_seconds { 30 };
    long timeout_seconds { 60 };

    static SmsSettings from_config(Config const&);
};

// GSM-friendly (French letters outside the GSM alphabet, such as « ê » or
// « ç », written « e », « c »: one of them would cut the SMS to 70
// characters), then at most SMS_MAX_CHARACTERS characters (not bytes), cut on
// a character, ending with « ... » when cut.
std::string sms_text(std::string_view text);
// The body sent for that number and text.
std::string sms_body(SmsSettings const&, std::string_view to, std::string_view text);

// A 2xx answer is success; anything else is an error administrators read
// (the status, curl's reason), never the credentials.
ErrorOr<void> send_sms(
    SmsSettings const&, std::string const& number, std::string const& text, std::stop_token const& stop = {});

} // namespace cartable::notify
