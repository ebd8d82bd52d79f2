// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/config/config.h"
#include "core/validate.h"
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>
#include <toml++/toml.h>
#include <unistd.h>

extern char** environ;

namespace cartable {

namespace {

using Setter = std::function<ErrorOr<void>(Config&, std::string const&)>;

struct Entry {
    ConfigKey key;
    Setter set;
};

ErrorOr<long long> parse_integer(std::string const& key, std::string const& text)
{
    long long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc {} || end != text.data() + text.size())
        return Error::invalid("Configuration : « " + key + " » attend un nombre entier, pas « " + text + " ».");
    return value;
}

template<typename T> Setter integer(T Config::*member, long long minimum, long long maximum)
{
    return [member, minimum, maximum](Config& config, std::string const& text) -> ErrorOr<void> {
        auto value = TRY(parse_integer("", text));
        if (value < minimum || value > maximum)
            return Error::invalid("Configuration : la valeur « " + text + " » sort des bornes permises.");
        config.*member = static_cast<T>(value);
        return {};
    };
}

Setter string(std::string Config::*member)
{
    return [member](Config& config, std::string const& text) -> ErrorOr<void> {
        config.*member = text;
        return {};
    };
}

Setter boolean(bool Config::*member)
{
    return [member](Config& config, std::string const& text) -> ErrorOr<void> {
        if (text == "true" || text == "1" || text == "yes")
            config.*member = true;
        else if (text == "false" || text == "0" || text == "no")
            config.*member = false;
        else
            return Error::invalid("Configuration : « " + text + " » n'est ni true ni false.");
        return {};
    };
}

ErrorOr<void> set_listen(Config& config, std::string const& text)
{
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return Error::invalid("Configuration : l'adresse d'écoute s'écrit hôte:port, par exemple 127.0.0.1:8080.");
    auto port = TRY(parse_integer("server.listen", text.substr(colon + 1)));
    if (port < 0 || port > 65535)
        return Error::invalid("Configuration : le port d'écoute doit être compris entre 0 et 65535.");
    auto host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    config.listen_host = host;
    config.listen_port = static_cast<int>(port);
    return {};
}

ErrorOr<void> set_smtp_security(Config& config, std::string const& text)
{
    if (text != "none" && text != "starttls" && text != "required" && text != "smtps")
        return Error::invalid("Configuration : « mail.smtp_security » vaut none, starttls, required ou smtps.");
    config.smtp_security = text;
    return {};
}

// The password in a file readable by the service only, without its final
// line break; the file's name may be logged, never its content.
ErrorOr<void> set_smtp_password_file(Config& config, std::string const& path)
{
    std::ifstream file(path);
    if (!file)
        return Error::invalid("Configuration : le fichier de mot de passe SMTP " + path + " est illisible.");
    std::ostringstream content;
    content << file.rdbuf();
    auto password = content.str();
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r'))
        password.pop_back();
    config.smtp_password = password;
    return {};
}

// « ne-pas-repondre@ent.example.fr » or « Nom <ne-pas-repondre@ent.example.fr> ».
ErrorOr<void> set_mail_from(Config& config, std::string const& text)
{
    auto open = text.rfind('<');
    auto address = open == std::string::npos ? text : text.substr(open + 1, text.size() - open - 2);
    bool closed = open == std::string::npos || text.back() == '>';
    if (!closed || !validate::is_email(address) || text.find_first_of("\r\n") != std::string::npos)
        return Error::invalid("Configuration : « mail.from » s'écrit adresse@domaine ou Nom <adresse@domaine>.");
    config.mail_from = text;
    return {};
}

std::vector<Entry> const& entries()
{
    static std::vector<Entry> const table {
        { { "server.listen", "CARTABLE_LISTEN", "address and port to listen on (host:port; port 0 picks a free one)" },
            set_listen },
        { { "server.public_url", "CARTABLE_PUBLIC_URL", "the address people use; https:// makes cookies Secure" },
            string(&Config::public_url) },
        { { "server.io_threads", "CARTABLE_IO_THREADS", "threads doing network I/O" },
            integer(&Config::io_threads, 1, 64) },
        { { "server.worker_threads", "CARTABLE_WORKER_THREADS", "threads running request handlers" },
            integer(&Config::worker_threads, 1, 256) },
        { { "server.max_body_bytes", "CARTABLE_MAX_BODY_BYTES", "largest form body" },
            integer(&Config::max_body_bytes, 1024, 1LL << 32) },
        { { "server.max_upload_bytes", "CARTABLE_MAX_UPLOAD_BYTES", "largest multipart upload" },
            integer(&Config::max_upload_bytes, 1024, 1LL << 42) },
        { { "server.max_header_bytes", "CARTABLE_MAX_HEADER_BYTES", "largest request header" },
            integer(&Config::max_header_bytes, 1024, 1 << 20) },
        { { "server.request_timeout_seconds", "CARTABLE_REQUEST_TIMEOUT_SECONDS", "time allowed to send a request" },
            integer(&Config::request_timeout_seconds, 1, 3600) },
        { { "server.keep_alive_seconds", "CARTABLE_KEEP_ALIVE_SECONDS",
              "idle time before a kept-alive connection is closed" },
            integer(&Config::keep_alive_seconds, 1, 3600) },
        { { "server.access_log", "CARTABLE_ACCESS_LOG", "one log line per request (true/false)" },
            boolean(&Config::access_log) },
        { { "server.log_level", "CARTABLE_LOG_LEVEL", "debug, info, warning or error" }, string(&Config::log_level) },
        { { "storage.data_directory", "CARTABLE_DATA_DIR", "where the SQLite file, uploads and files live" },
            [](Config& config, std::string const& text) -> ErrorOr<void> {
                config.data_directory = text;
                return {};
            } },
        { { "database.url", "CARTABLE_DATABASE", "sqlite:PATH or postgresql://user:password@host:port/name" },
            string(&Config::database) },
        { { "database.pool_size", "CARTABLE_DATABASE_POOL_SIZE", "connections kept open" },
            integer(&Config::database_pool_size, 1, 256) },
        { { "deployment.name", "CARTABLE_DEPLOYMENT_NAME", "the deployment's name, shown in the help centre" },
            string(&Config::deployment_name) },
        { { "deployment.time_zone", "CARTABLE_TIME_ZONE", "time zone of dates shown (IANA name)" },
            string(&Config::time_zone) },
        { { "security.session_idle_seconds", "CARTABLE_SESSION_IDLE_SECONDS", "a session unused this long ends" },
            integer(&Config::session_idle_seconds, 1, 1LL << 31) },
        { { "security.session_absolute_seconds", "CARTABLE_SESSION_ABSOLUTE_SECONDS",
              "a session ends this long after sign-in" },
            integer(&Config::session_absolute_seconds, 1, 1LL << 31) },
        { { "security.sign_in_max_failures_per_account", "CARTABLE_SIGN_IN_MAX_FAILURES_PER_ACCOUNT",
              "failed sign-ins before an identifier is paused" },
            integer(&Config::sign_in_max_failures_per_account, 1, 1000) },
        { { "security.sign_in_max_failures_per_address", "CARTABLE_SIGN_IN_MAX_FAILURES_PER_ADDRESS",
              "failed sign-ins before an address is paused" },
            integer(&Config::sign_in_max_failures_per_address, 1, 100000) },
        { { "security.sign_in_window_seconds", "CARTABLE_SIGN_IN_WINDOW_SECONDS", "how long failures count" },
            integer(&Config::sign_in_window_seconds, 1, 86400) },
        { { "security.password_hash_threads", "CARTABLE_PASSWORD_HASH_THREADS",
              "threads hashing passwords (64 MiB each)" },
            integer(&Config::password_hash_threads, 1, 64) },
        { { "security.password_hash_queue", "CARTABLE_PASSWORD_HASH_QUEUE",
              "sign-ins waiting for a hash before new ones are asked to retry" },
            integer(&Config::password_hash_queue, 1, 100000) },
        { { "mail.smtp_host", "CARTABLE_SMTP_HOST", "SMTP server sending e-mail (empty: nothing is sent)" },
            string(&Config::smtp_host) },
        { { "mail.smtp_port", "CARTABLE_SMTP_PORT", "its port (0: 465 with smtps, 587 otherwise)" },
            integer(&Config::smtp_port, 0, 65535) },
        { { "mail.smtp_security", "CARTABLE_SMTP_SECURITY",
              "starttls (when offered), required (STARTTLS or nothing), smtps (TLS at once) or none" },
            set_smtp_security },
        { { "mail.smtp_user", "CARTABLE_SMTP_USER", "SMTP user name (empty: no authentication)" },
            string(&Config::smtp_user) },
        { { "mail.smtp_password", "CARTABLE_SMTP_PASSWORD", "SMTP password (never logged)" },
            string(&Config::smtp_password) },
        { { "mail.smtp_password_file", "CARTABLE_SMTP_PASSWORD_FILE", "a file holding the SMTP password" },
            set_smtp_password_file },
        { { "mail.smtp_ca_file", "CARTABLE_SMTP_CA_FILE", "a certificate authority to trust besides the system's" },
            string(&Config::smtp_ca_file) },
        { { "mail.from", "CARTABLE_MAIL_FROM", "sender of e-mail: address@domain or Name <address@domain>" },
            set_mail_from },
        { { "mail.max_attempts", "CARTABLE_MAIL_MAX_ATTEMPTS", "attempts before an e-mail is marked failed" },
            integer(&Config::mail_max_attempts, 1, 100) },
        { { "mail.retry_delay_seconds", "CARTABLE_MAIL_RETRY_DELAY_SECONDS",
              "first retry delay; then 5, 30, 120 and 360 times it" },
            integer(&Config::mail_retry_delay_seconds, 1, 86400) },
        { { "sms.gateway_url", "CARTABLE_SMS_GATEWAY_URL", "HTTP gateway sending SMS (empty: nothing is sent)" },
            string(&Config::sms_gateway_url) },
        { { "sms.username", "CARTABLE_SMS_USERNAME", "user name for the gateway (HTTP Basic; empty: none)" },
            string(&Config::sms_username) },
        { { "sms.password", "CARTABLE_SMS_PASSWORD", "its password (never logged)" }, string(&Config::sms_password) },
        { { "sms.template", "CARTABLE_SMS_TEMPLATE", "body POSTed to the gateway, with {{to}} and {{text}}" },
            string(&Config::sms_template) },
        { { "sms.content_type", "CARTABLE_SMS_CONTENT_TYPE", "Content-Type of that body" },
            string(&Config::sms_content_type) },
    };
    return table;
}

ErrorOr<void> apply(Config& config, std::string const& key, std::string const& value)
{
    for (auto const& entry : entries()) {
        if (entry.key.key == key)
            return entry.set(config, value);
    }
    return Error::invalid("Configuration : clé inconnue « " + key + " ».");
}

ErrorOr<void> apply_file(Config& config, std::filesystem::path const& path)
{
    toml::table table;
    try {
        table = toml::parse_file(path.string());
    } catch (toml::parse_error const& error) {
        return Error::invalid("Configuration : le fichier " + path.string() + " est mal formé ("
            + std::string(error.description()) + ").");
    }
    for (auto const& entry : entries()) {
        auto node = table.at_path(entry.key.key);
        if (!node)
            continue;
        std::string text;
        if (auto value = node.value<std::string>())
            text = *value;
        else if (auto number = node.value<long long>())
            text = std::to_string(*number);
        else if (auto flag = node.value<bool>())
            text = *flag ? "true" : "false";
        else
            return Error::invalid("Configuration : « " + entry.key.key + " » a un type inattendu.");
        TRY(entry.set(config, text));
    }
    return {};
}

} // namespace

std::string Config::database_url() const
{
    if (!database.empty())
        return database;
    return "sqlite:" + (data_directory / "cartable.sqlite3").string();
}

std::vector<ConfigKey> const& config_keys()
{
    static std::vector<ConfigKey> const keys = [] {
        std::vector<ConfigKey> result;
        for (auto const& entry : entries())
            result.push_back(entry.key);
        return result;
    }();
    return keys;
}

std::map<std::string, std::string> cartable_environment()
{
    std::map<std::string, std::string> result;
    for (char** variable = environ; variable && *variable; ++variable) {
        std::string_view text(*variable);
        if (text.rfind("CARTABLE_", 0) != 0)
            continue;
        auto equals = text.find('=');
        if (equals != std::string_view::npos)
            result.emplace(text.substr(0, equals), text.substr(equals + 1));
    }
    return result;
}

ErrorOr<Config> load_config(ConfigSource const& source)
{
    Config config;
    if (source.file)
        TRY(apply_file(config, *source.file));
    for (auto const& entry : entries()) {
        auto found = source.environment.find(entry.key.environment_variable);
        if (found != source.environment.end())
            TRY(entry.set(config, found->second));
    }
    for (auto const& [key, value] : source.overrides)
        TRY(apply(config, key, value));
    if (config.mail_configured() && config.mail_from.empty())
        return Error::invalid("Configuration : « mail.from » (l'expéditeur des messages) est requis avec "
                              "« mail.smtp_host ».");
    return config;
}

} // namespace cartable
