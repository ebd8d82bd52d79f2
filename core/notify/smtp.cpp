// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/notify/smtp.h"
#include "core/notify/mime.h"
#include <algorithm>
#include <array>
#include <cstring>
#include <curl/curl.h>
#include <memory>
#include <mutex>

namespace cartable::notify {

namespace {

constexpr int SMTPS_PORT = 465;
constexpr int SUBMISSION_PORT = 587;

struct Upload {
    std::string const& data;
    std::size_t offset { 0 };
};

// libcurl reads the message from here, piece by piece.
std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user_data)
{
    auto* upload = static_cast<Upload*>(user_data);
    auto room = size * count;
    auto left = upload->data.size() - upload->offset;
    auto length = std::min(room, left);
    std::memcpy(buffer, upload->data.data() + upload->offset, length);
    upload->offset += length;
    return length;
}

// Called by libcurl about once a second: a non-zero answer abandons the
// transfer (the program is stopping).
int check_stop(void* user_data, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    return static_cast<std::stop_token*>(user_data)->stop_requested() ? 1 : 0;
}

void initialise_curl_once()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct ListDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

} // namespace

SmtpSettings SmtpSettings::from_config(Config const& config)
{
    SmtpSettings settings;
    settings.host = config.smtp_host;
    if (config.smtp_security == "none")
        settings.security = SmtpSecurity::None;
    else if (config.smtp_security == "required")
        settings.security = SmtpSecurity::StartTlsRequired;
    else if (config.smtp_security == "smtps")
        settings.security = SmtpSecurity::ImplicitTls;
    settings.port = config.smtp_port != 0
        ? config.smtp_port
        : (settings.security == SmtpSecurity::ImplicitTls ? SMTPS_PORT : SUBMISSION_PORT);
    settings.user = config.smtp_user;
    settings.password = config.smtp_password;
    settings.ca_file = config.smtp_ca_file;
    settings.from = config.mail_from;
    return settings;
}

ErrorOr<void> send_smtp(
    SmtpSettings const& settings, std::string const& recipient, std::string const& message, std::stop_token const& stop)
{
    initialise_curl_once();
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl)
        return Error::internal("libcurl could not start a transfer");
    auto* handle = curl.get();
    bool implicit = settings.security == SmtpSecurity::ImplicitTls;
    auto host = settings.host.find(':') != std::string::npos ? "[" + settings.host + "]" : settings.host;
    auto url = std::string(implicit ? "smtps://" : "smtp://") + host + ":" + std::to_string(settings.port);
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    switch (settings.security) {
    case SmtpSecurity::None:
        curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE));
        break;
    case SmtpSecurity::StartTlsWhenOffered:
        curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
        break;
    case SmtpSecurity::StartTlsRequired:
    case SmtpSecurity::ImplicitTls:
        curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
        break;
    }
    if (!settings.ca_file.empty())
        curl_easy_setopt(handle, CURLOPT_CAINFO, settings.ca_file.c_str());
    if (!settings.user.empty()) {
        curl_easy_setopt(handle, CURLOPT_USERNAME, settings.user.c_str());
        curl_easy_setopt(handle, CURLOPT_PASSWORD, settings.password.c_str());
    }
    auto from = "<" + mime::address_of(settings.from) + ">";
    curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from.c_str());
    auto to = "<" + mime::address_of(recipient) + ">";
    std::unique_ptr<curl_slist, ListDeleter> recipients(curl_slist_append(nullptr, to.c_str()));
    curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
    Upload upload { message };
    curl_easy_setopt(handle, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
    curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, settings.connect_timeout_seconds);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT, settings.timeout_seconds);
    // The worker is a thread: no signal for time-outs.
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, check_stop);
    std::stop_token watched = stop;
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &watched);
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    std::array<char, CURL_ERROR_SIZE> reason {};
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, reason.data());

    auto result = curl_easy_perform(handle);
    if (result == CURLE_OK)
        return {};
    long reply = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply);
    std::string detail = reason[0] != '\0' ? std::string(reason.data()) : std::string(curl_easy_strerror(result));
    if (reply != 0)
        detail += " (réponse du serveur " + std::to_string(reply) + ")";
    return Error::internal(detail);
}

} // namespace cartable::notify
