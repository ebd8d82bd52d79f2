// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include "core/error.h"
#include <stop_token>
#include <string>

// One message to one recipient through an SMTP server, by libcurl: STARTTLS
// when the server offers it (or required, or TLS from the first byte with
// smtps), optional authentication. The password goes to libcurl only: never
// into a URL, an error or a log line.
namespace cartable::notify {

enum class SmtpSecurity { None, StartTlsWhenOffered, StartTlsRequired, ImplicitTls };

struct SmtpSettings {
    std::string host;
    int port { 587 };
    SmtpSecurity security { SmtpSecurity::StartTlsWhenOffered };
    std::string user;
    std::string password;
    std::string ca_file; // empty: the system's authorities
    std::string from; // the From header, « Nom <adresse> »
    long connect_timeout_seconds { 30 };
    long timeout_seconds { 120 }; // well below outbox.h's lease

    static SmtpSettings from_config(Config const&);
};

// Sends the composed message (mime.h) from the settings' address to the
// recipient, abandoned within a second when `stop` is requested. The error's
// detail is what administrators read: curl's reason and the server's last
// reply code.
ErrorOr<void> send_smtp(
    SmtpSettings const&, std::string const& recipient, std::string const& message, std::stop_token const& stop = {});

} // namespace cartable::notify
