// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/error.h"
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cartable {

// The deployment's settings. Read from a TOML file (--config), then from
// CARTABLE_* environment variables, then from command-line options, each
// overriding the one before. docs/configuration.md lists every key.
struct Config {
    std::string listen_host { "127.0.0.1" };
    int listen_port { 8080 };
    std::string public_url; // e.g. https://ent.example.fr; https makes cookies Secure
    std::filesystem::path data_directory { "var" };
    std::string database; // empty: SQLite under the data directory; or postgresql://…
    int database_pool_size { 4 };
    int io_threads { 1 };
    int worker_threads { 4 };
    int password_hash_threads { 1 };
    int password_hash_queue { 64 };

    std::string deployment_name { "mon ENT Occitanie" };
    std::string time_zone { "Europe/Paris" };

    long long session_idle_seconds { 2 * 3600 };
    long long session_absolute_seconds { 12 * 3600 };
    int sign_in_max_failures_per_account { 5 };
    int sign_in_max_failures_per_address { 30 };
    long long sign_in_window_seconds { 15 * 60 };

    std::uint64_t max_body_bytes { 1 << 20 };
    std::uint64_t max_upload_bytes { 512ULL << 20 };
    std::uint32_t max_header_bytes { 16 * 1024 };
    int request_timeout_seconds { 30 };
    int keep_alive_seconds { 60 };
    bool access_log { true };
    std::string log_level { "info" };

    // E-mail through SMTP (core/notify). Without a host, messages wait in
    // the outbox and nothing is sent.
    std::string smtp_host;
    int smtp_port { 0 }; // 0: 465 with smtps, 587 otherwise
    std::string smtp_security { "starttls" }; // none, starttls, required, smtps
    std::string smtp_user;
    std::string smtp_password; // never logged
    std::string smtp_ca_file; // an authority to trust besides the system's
    std::string mail_from; // « ENT <ne-pas-repondre@ent.example.fr> »
    int mail_max_attempts { 8 };
    long long mail_retry_delay_seconds { 60 };

    // SMS through an HTTP gateway (core/notify/sms.h). Without a URL, SMS
    // wait in the outbox and nothing is sent. Retries follow mail.*.
    std::string sms_gateway_url;
    std::string sms_username;
    std::string sms_password; // never logged
    std::string sms_template { R"({"to": "{{to}}", "text": "{{text}}"})" };
    std::string sms_content_type { "application/json" };

    bool secure_cookies() const { return public_url.rfind("https://", 0) == 0; }
    std::string database_url() const;
    bool mail_configured() const { return !smtp_host.empty(); }
    bool sms_configured() const { return !sms_gateway_url.empty(); }
};

struct ConfigSource {
    std::optional<std::filesystem::path> file;
    std::map<std::string, std::string> environment; // CARTABLE_* only
    std::map<std::string, std::string> overrides; // keys as in the file, e.g. "server.listen"
};

// Every key with its environment variable, for --help and the docs.
struct ConfigKey {
    std::string key;
    std::string environment_variable;
    std::string description;
};
std::vector<ConfigKey> const& config_keys();

std::map<std::string, std::string> cartable_environment();
ErrorOr<Config> load_config(ConfigSource const& source);

} // namespace cartable
