// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/backup.h"
#include "core/db/database.h"
#include "core/db/migrations.h"
#include <boost/url/parse.hpp>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sys/wait.h>
#include <unistd.h>

namespace cartable::app {

namespace {

namespace fs = std::filesystem;

constexpr char const* SQLITE_COPY = "cartable.sqlite3";
constexpr char const* POSTGRESQL_COPY = "cartable.pgdump";
constexpr char const* FILES = "fichiers";

bool is_postgresql(std::string const& url)
{
    return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

std::string sqlite_path(std::string const& url)
{
    return url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
}

// The data directory's files, without the database itself and the
// uploads in progress.
bool is_copied(fs::path const& relative)
{
    auto first = relative.begin()->string();
    return first != "tmp" && first.rfind("cartable.sqlite3", 0) != 0;
}

void copy_files(fs::path const& from, fs::path const& to)
{
    if (!fs::exists(from))
        return;
    for (auto const& entry : fs::recursive_directory_iterator(from)) {
        auto relative = fs::relative(entry.path(), from);
        if (!is_copied(relative) || !entry.is_regular_file())
            continue;
        fs::create_directories((to / relative).parent_path());
        fs::copy_file(entry.path(), to / relative, fs::copy_options::overwrite_existing);
    }
}

// Runs pg_dump or pg_restore with the connection in the environment (the
// password never on a command line, where `ps` would show it).
int run_postgresql_tool(std::string const& url, std::vector<std::string> arguments)
{
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        std::cerr << "L'adresse de la base PostgreSQL est mal formée.\n";
        return 2;
    }
    auto child = fork();
    if (child == 0) {
        if (parsed->has_userinfo())
            setenv("PGUSER", std::string(parsed->user()).c_str(), 1);
        if (parsed->has_password())
            setenv("PGPASSWORD", std::string(parsed->password()).c_str(), 1);
        if (!parsed->host().empty())
            setenv("PGHOST", std::string(parsed->host()).c_str(), 1);
        if (parsed->has_port())
            setenv("PGPORT", std::string(parsed->port()).c_str(), 1);
        if (parsed->path().size() > 1)
            setenv("PGDATABASE", std::string(parsed->path()).substr(1).c_str(), 1);
        std::vector<char*> argv;
        argv.reserve(arguments.size() + 1);
        for (auto& argument : arguments)
            argv.push_back(argument.data());
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        std::cerr << arguments[0] << " est introuvable (paquet postgresql-client).\n";
        _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

} // namespace

int run_backup(Config const& config, fs::path const& directory)
{
    if (fs::exists(directory) && !fs::is_empty(directory)) {
        std::cerr << "Le dossier " << directory << " existe déjà et n'est pas vide : choisissez un nouveau dossier.\n";
        return 2;
    }
    fs::create_directories(directory);
    auto url = config.database_url();
    if (is_postgresql(url)) {
        if (run_postgresql_tool(
                url, { "pg_dump", "--format=custom", "--no-owner", "--file", (directory / POSTGRESQL_COPY).string() })
            != 0) {
            std::cerr << "pg_dump a échoué : la sauvegarde est incomplète.\n";
            return 1;
        }
    } else {
        auto database = db::Database::open(url, 1);
        if (database.is_error()) {
            std::cerr << database.error().message_key << "\n";
            return 1;
        }
        // VACUUM INTO writes a consistent copy even while the server writes.
        auto target = (directory / SQLITE_COPY).string();
        auto lease = database.value()->lease();
        lease.session() << "VACUUM INTO :target", soci::use(target);
    }
    copy_files(config.data_directory, directory / FILES);
    std::ofstream manifest(directory / "SAUVEGARDE.txt");
    manifest << "Sauvegarde Cartable du " << std::time(nullptr) << " (secondes Unix)\n"
             << "base : " << (is_postgresql(url) ? "PostgreSQL (pg_dump)" : "SQLite") << "\n"
             << "Restauration : cartable restore " << directory.string() << " (serveur arrêté)\n";
    std::cout << "Sauvegarde écrite dans " << directory.string() << "\n";
    return 0;
}

int run_restore(Config const& config, fs::path const& directory)
{
    auto url = config.database_url();
    if (is_postgresql(url)) {
        if (!fs::exists(directory / POSTGRESQL_COPY)) {
            std::cerr << "Ce dossier ne contient pas de sauvegarde PostgreSQL (" << POSTGRESQL_COPY << ").\n";
            return 2;
        }
        auto parsed = boost::urls::parse_uri(url);
        auto name
            = parsed && parsed->path().size() > 1 ? std::string(parsed->path()).substr(1) : std::string("cartable");
        if (run_postgresql_tool(url,
                { "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", name,
                    (directory / POSTGRESQL_COPY).string() })
            != 0) {
            std::cerr << "pg_restore a échoué : la base est restée telle qu'elle était.\n";
            return 1;
        }
    } else {
        auto copy = directory / SQLITE_COPY;
        if (!fs::exists(copy)) {
            std::cerr << "Ce dossier ne contient pas de sauvegarde SQLite (" << SQLITE_COPY << ").\n";
            return 2;
        }
        // Checked before it replaces anything: the copy must open.
        if (auto check = db::Database::open("sqlite:" + copy.string(), 1); check.is_error()) {
            std::cerr << "La sauvegarde est illisible : rien n'a été remplacé.\n";
            return 1;
        }
        fs::path target = sqlite_path(url);
        fs::create_directories(target.parent_path().empty() ? fs::path(".") : target.parent_path());
        auto incoming = target;
        incoming += ".restauration";
        fs::copy_file(copy, incoming, fs::copy_options::overwrite_existing);
        for (auto const* suffix : { "-wal", "-shm" }) {
            auto side = target;
            side += suffix;
            fs::remove(side);
        }
        fs::rename(incoming, target);
    }
    copy_files(directory / FILES, config.data_directory);
    std::cout << "Sauvegarde " << directory.string() << " restaurée.\n";
    return 0;
}

} // namespace cartable::app
