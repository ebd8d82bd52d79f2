// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tests/support/test_database.h"
#include "app/application.h"
#include "core/db/migrations.h"
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace cartable::testing {

db::Engine engine_under_test()
{
    auto const* engine = std::getenv("CARTABLE_TEST_ENGINE");
    return engine && std::string(engine) == "postgresql" ? db::Engine::Postgresql : db::Engine::Sqlite;
}

std::unique_ptr<Services> fresh_services()
{
    static std::atomic<int> counter { 0 };
    auto services = std::make_unique<Services>();
    std::string url;
    // Files (uploads, attachments, imports) go to a fresh directory on both engines.
    auto directory = std::filesystem::temp_directory_path()
        / ("cartable-store-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(directory);
    std::filesystem::create_directories(directory);
    services->config.data_directory = directory;
    if (engine_under_test() == db::Engine::Postgresql) {
        auto const* postgresql = std::getenv("CARTABLE_TEST_POSTGRESQL");
        if (!postgresql || !*postgresql)
            throw std::runtime_error(
                "CARTABLE_TEST_POSTGRESQL is not set: the test command starts PostgreSQL and sets it");
        url = postgresql;
        auto cleaner = db::Database::open(url, 1);
        if (cleaner.is_error())
            throw std::runtime_error("cannot reach the test PostgreSQL: " + cleaner.error().detail);
        auto lease = cleaner.value()->lease();
        lease.session() << "DROP SCHEMA IF EXISTS public CASCADE";
        lease.session() << "CREATE SCHEMA public";
    } else {
        url = "sqlite:" + (directory / "test.sqlite3").string();
    }
    services->config.database = url;
    auto database = db::Database::open(url, 2);
    if (database.is_error())
        throw std::runtime_error(database.error().detail);
    services->database = database.release_value();
    auto migrated = db::migrate(*services->database);
    if (migrated.is_error())
        throw std::runtime_error(migrated.error().detail);
    auto started = app::start_services(*services);
    if (started.is_error())
        throw std::runtime_error(started.error().detail);
    // Cheap hashing limits are not offered by the hasher; tests hash rarely.
    services->password_hasher = std::make_unique<identity::PasswordHasher>(1, 8);
    return services;
}

} // namespace cartable::testing
