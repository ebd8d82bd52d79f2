// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/config/config.h"
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace cartable;

TEST(Config, DefaultsServeLocallyWithSqlite)
{
    auto config = load_config({});
    ASSERT_FALSE(config.is_error());
    EXPECT_EQ(config->listen_host, "127.0.0.1");
    EXPECT_EQ(config->listen_port, 8080);
    EXPECT_EQ(config->database_url(), "sqlite:var/cartable.sqlite3");
    EXPECT_FALSE(config->secure_cookies());
}

TEST(Config, FileThenEnvironmentThenCommandLine)
{
    auto path = std::filesystem::temp_directory_path() / "cartable-config-test.toml";
    {
        std::ofstream file(path);
        file << "[server]\nlisten = \"0.0.0.0:9000\"\npublic_url = \"https://ent.example.fr\"\nworker_threads = 8\n"
                "[database]\nurl = \"postgresql://cartable@db/cartable\"\n[security]\nsession_idle_seconds = 900\n";
    }
    ConfigSource source;
    source.file = path;
    source.environment = { { "CARTABLE_WORKER_THREADS", "6" }, { "CARTABLE_UNRELATED", "x" } };
    source.overrides = { { "server.listen", "127.0.0.1:0" } };
    auto config = load_config(source);
    std::filesystem::remove(path);
    ASSERT_FALSE(config.is_error()) << config.error().message_key;
    EXPECT_EQ(config->listen_host, "127.0.0.1");
    EXPECT_EQ(config->listen_port, 0);
    EXPECT_EQ(config->worker_threads, 6);
    EXPECT_EQ(config->session_idle_seconds, 900);
    EXPECT_EQ(config->database_url(), "postgresql://cartable@db/cartable");
    EXPECT_TRUE(config->secure_cookies());
}

TEST(Config, BadValuesAreRefusedInFrench)
{
    ConfigSource source;
    source.environment = { { "CARTABLE_WORKER_THREADS", "beaucoup" } };
    auto config = load_config(source);
    ASSERT_TRUE(config.is_error());
    EXPECT_NE(config.error().message_key.find("nombre entier"), std::string::npos);

    ConfigSource listen;
    listen.overrides = { { "server.listen", "sans-port" } };
    EXPECT_TRUE(load_config(listen).is_error());

    ConfigSource unknown;
    unknown.overrides = { { "server.nimporte", "1" } };
    EXPECT_TRUE(load_config(unknown).is_error());
}

TEST(Config, MailNeedsASenderAndReadsItsPasswordFromAFile)
{
    auto password_file = std::filesystem::temp_directory_path() / "cartable-config-smtp-password";
    {
        std::ofstream file(password_file);
        file << "mot-de-passe-smtp\n";
    }
    ConfigSource source;
    source.environment = { { "CARTABLE_SMTP_HOST", "smtp.example.fr" },
        { "CARTABLE_SMTP_PASSWORD_FILE", password_file.string() }, { "CARTABLE_SMTP_SECURITY", "smtps" },
        { "CARTABLE_MAIL_FROM", "ENT Cité <ne-pas-repondre@ent.example.fr>" } };
    auto config = load_config(source);
    std::filesystem::remove(password_file);
    ASSERT_FALSE(config.is_error()) << config.error().message_key;
    EXPECT_TRUE(config->mail_configured());
    EXPECT_EQ(config->smtp_password, "mot-de-passe-smtp");
    EXPECT_EQ(config->smtp_security, "smtps");
    EXPECT_EQ(config->mail_max_attempts, 8);
    EXPECT_EQ(config->mail_retry_delay_seconds, 60);

    ConfigSource without_sender;
    without_sender.environment = { { "CARTABLE_SMTP_HOST", "smtp.example.fr" } };
    auto refused = load_config(without_sender);
    ASSERT_TRUE(refused.is_error());
    EXPECT_NE(refused.error().message_key.find("mail.from"), std::string::npos);

    for (auto const& [variable, value] : std::vector<std::pair<std::string, std::string>> {
             { "CARTABLE_SMTP_SECURITY", "ssl" }, { "CARTABLE_MAIL_FROM", "pas une adresse" },
             { "CARTABLE_SMTP_PASSWORD_FILE", "/nonexistent/smtp-password" } }) {
        ConfigSource bad;
        bad.environment = { { variable, value } };
        EXPECT_TRUE(load_config(bad).is_error()) << variable;
    }
    EXPECT_FALSE(load_config({})->mail_configured());
}

TEST(Config, SmsGatewayFromTheFileItsPasswordFromTheEnvironment)
{
    auto path = std::filesystem::temp_directory_path() / "cartable-config-sms-test.toml";
    {
        std::ofstream file(path);
        file << "[sms]\ngateway_url = \"https://sms.example.fr/envoi\"\nusername = \"cite\"\n"
                "template = \"numero={{to}}&message={{text}}\"\ncontent_type = \"application/x-www-form-urlencoded\"\n";
    }
    ConfigSource source;
    source.file = path;
    source.environment = { { "CARTABLE_SMS_PASSWORD", "secret" } };
    auto config = load_config(source);
    std::filesystem::remove(path);
    ASSERT_FALSE(config.is_error()) << config.error().message_key;
    EXPECT_TRUE(config->sms_configured());
    EXPECT_EQ(config->sms_gateway_url, "https://sms.example.fr/envoi");
    EXPECT_EQ(config->sms_username, "cite");
    EXPECT_EQ(config->sms_password, "secret");
    EXPECT_EQ(config->sms_template, "numero={{to}}&message={{text}}");
    EXPECT_EQ(config->sms_content_type, "application/x-www-form-urlencoded");
    EXPECT_FALSE(load_config({})->sms_configured());
}
