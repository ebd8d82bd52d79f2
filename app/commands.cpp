// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/commands.h"
#include "app/application.h"
#include "app/demo_school.h"
#include "core/db/migrations.h"
#include "core/identity/identity_store.h"
#include "core/identity/sessions.h"
#include "core/log.h"
#include "core/notify/delivery.h"
#include "services/account/activation.h"
#include "services/directory/directory.h"
#include "services/directory/import/aaf_import.h"
#include "services/directory/import/csv_import.h"
#include "services/directory/lifecycle.h"
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <stop_token>
#include <termios.h>
#include <thread>
#include <unistd.h>

namespace cartable::app {

namespace {

int fail(Error const& error)
{
    std::cerr << error.message_key << "\n";
    if (!error.detail.empty())
        log::error(error.detail);
    return 1;
}

// A password from standard input (--password-stdin), or asked twice at the
// terminal without echo.
ErrorOr<std::string> read_password(CommandLine const& line)
{
    std::string password;
    if (line.has("password-stdin") || !isatty(STDIN_FILENO)) {
        std::getline(std::cin, password);
        return password;
    }
    termios saved {};
    tcgetattr(STDIN_FILENO, &saved);
    termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    std::string again;
    std::cerr << "Mot de passe : " << std::flush;
    std::getline(std::cin, password);
    std::cerr << "\nConfirmez le mot de passe : " << std::flush;
    std::getline(std::cin, again);
    std::cerr << "\n";
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    if (password != again)
        return Error::invalid("Les deux mots de passe saisis sont différents.");
    return password;
}

// Reads a new password, checks it, and hashes it.
ErrorOr<std::string> new_password_hash(Services& services, CommandLine const& line)
{
    auto password = TRY(read_password(line));
    TRY(identity::check_password_strength(password));
    return services.password_hasher->hash(password);
}

int user_add(Services& services, CommandLine const& line)
{
    for (auto const* option : { "login", "first-name", "last-name", "profile", "structure" }) {
        if (line.get(option).empty()) {
            std::cerr << "L'option --" << option << " est obligatoire (cartable user --help).\n";
            return 2;
        }
    }
    auto profile = access::profile_from_code(line.get("profile"));
    if (!profile) {
        std::cerr << "Profil inconnu « " << line.get("profile") << " » : student, guardian, teacher, staff ou admin.\n";
        return 2;
    }
    auto hash = new_password_hash(services, line);
    if (hash.is_error())
        return fail(hash.error());
    identity::User user;
    user.login = line.get("login");
    for (auto& c : user.login)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    user.first_name = line.get("first-name");
    user.last_name = line.get("last-name");
    user.civility = line.get("civility");
    user.function = line.get("function");
    user.profile = *profile;
    user.platform_admin = line.has("platform-admin");
    if (user.platform_admin && user.profile != access::Profile::Admin) {
        std::cerr << "--platform-admin ne va qu'avec le profil admin.\n";
        return 2;
    }
    auto created = services.database->write([&](soci::session& session) -> ErrorOr<long long> {
        auto structure = identity::store::find_structure_by_uai(session, line.get("structure"));
        if (!structure)
            return Error::not_found("Aucun établissement n'a l'UAI « " + line.get("structure") + " ».");
        if (identity::store::find_user_for_sign_in(session, user.login))
            return Error::conflict("L'identifiant « " + user.login + " » est déjà pris.");
        user.structure_id = structure->id;
        auto id = identity::store::create_user(session, user, hash.value());
        identity::store::audit(session, std::nullopt, "user_added", user.login);
        return id;
    });
    if (created.is_error())
        return fail(created.error());
    std::cout << "Compte « " << user.login << " » créé.\n";
    return 0;
}

int user_passwd(Services& services, CommandLine const& line)
{
    if (line.words.size() < 3) {
        std::cerr << "Usage : cartable user passwd IDENTIFIANT\n";
        return 2;
    }
    auto login = line.words[2];
    auto hash = new_password_hash(services, line);
    if (hash.is_error())
        return fail(hash.error());
    auto changed = services.database->write([&](soci::session& session) -> ErrorOr<bool> {
        auto found = identity::store::find_user_for_sign_in(session, login);
        if (!found)
            return Error::not_found("Aucun compte n'a l'identifiant « " + login + " ».");
        identity::store::set_password_hash(session, found->first.id, hash.value());
        // A new password ends the sessions opened with the old one.
        identity::sessions::end_all_for_user(session, found->first.id);
        identity::store::audit(session, std::nullopt, "password_changed", login);
        return true;
    });
    if (changed.is_error())
        return fail(changed.error());
    std::cout << "Mot de passe de « " << login << " » changé.\n";
    return 0;
}

int user_list(Services& services)
{
    auto users = services.database->read([](soci::session& session) -> ErrorOr<std::vector<identity::User>> {
        return identity::store::list_users(session);
    });
    if (users.is_error())
        return fail(users.error());
    std::cout << std::left << std::setw(22) << "IDENTIFIANT" << std::setw(12) << "PROFIL"
              << "NOM\n";
    for (auto const& user : users.value()) {
        std::cout << std::setw(22) << user.login << std::setw(12) << access::profile_code(user.profile)
                  << user.display_name();
        if (!user.function.empty())
            std::cout << " (" << user.function << ")";
        if (!user.active)
            std::cout << " [désactivé]";
        std::cout << "\n";
    }
    return 0;
}

// « T STMG » → « t-stmg »: a file name from a class name.
std::string file_slug(std::string const& name)
{
    std::string slug;
    for (unsigned char c : name) {
        if (std::isalnum(c))
            slug += static_cast<char>(std::tolower(c));
        else if (!slug.empty() && slug.back() != '-')
            slug += '-';
    }
    while (!slug.empty() && slug.back() == '-')
        slug.pop_back();
    return slug.empty() ? "classe" : slug;
}

// Activation codes for the people without a password, and their letters as
// one print-ready HTML file per class. The codes are in the files only.
int user_activation(Services& services, CommandLine const& line)
{
    auto uai = line.get("structure");
    if (uai.empty()) {
        std::cerr << "L'option --structure est obligatoire (cartable user --help).\n";
        return 2;
    }
    account::activation::Selection selection;
    selection.class_name = line.get("class");
    selection.renew = line.has("renew");
    if (line.has("profile")) {
        selection.profile = access::profile_from_code(line.get("profile"));
        if (!selection.profile || *selection.profile == access::Profile::Admin) {
            std::cerr << "Profil inconnu « " << line.get("profile") << " » : student, guardian, teacher ou staff.\n";
            return 2;
        }
    }
    std::filesystem::path directory
        = line.has("out") ? std::filesystem::path(line.get("out")) : std::filesystem::current_path();
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) {
        std::cerr << "Impossible de créer le dossier " << directory.string() << ".\n";
        return 1;
    }
    auto const& config = services.config;
    account::activation::LetterPage page;
    page.ent_url = config.public_url.empty() ? "http://" + config.listen_host + ":" + std::to_string(config.listen_port)
                                             : config.public_url;
    while (page.ent_url.size() > 1 && page.ent_url.back() == '/')
        page.ent_url.pop_back();
    auto now = static_cast<long long>(std::time(nullptr));
    // The files are written inside the transaction: codes whose letters
    // could not be written are not kept.
    auto written = services.database->write([&](soci::session& session) -> ErrorOr<std::vector<std::string>> {
        auto structure = identity::store::find_structure_by_uai(session, uai);
        if (!structure)
            return Error::not_found("Aucun établissement n'a l'UAI « " + uai + " ».");
        selection.structure_id = structure->id;
        if (!selection.class_name.empty()) {
            bool known = false;
            for (auto const& count : account::activation::class_counts(session, structure->id, now))
                known = known || count.name == selection.class_name;
            if (!known)
                return Error::not_found(
                    "Aucune classe « " + selection.class_name + " » dans l'établissement " + uai + ".");
        }
        page.structure = *structure;
        auto letters = account::activation::generate(session, selection, now);
        std::vector<std::string> lines;
        std::vector<std::string> names;
        for (std::size_t start = 0; start < letters.size();) {
            auto end = start;
            while (end < letters.size() && letters[end].group == letters[start].group)
                ++end;
            std::vector<account::activation::Letter> group(letters.begin() + static_cast<std::ptrdiff_t>(start),
                letters.begin() + static_cast<std::ptrdiff_t>(end));
            auto name = "lettres-activation-" + file_slug(group.front().group);
            auto unique = name;
            for (int suffix = 2; std::find(names.begin(), names.end(), unique) != names.end(); ++suffix)
                unique = name + "-" + std::to_string(suffix);
            names.push_back(unique);
            auto path = directory / (unique + ".html");
            page.title = "Lettres d'activation – " + group.front().group;
            std::ofstream file(path, std::ios::binary | std::ios::trunc);
            file << account::activation::letters_html(page, group);
            file.close();
            if (!file)
                return Error::invalid("Impossible d'écrire le fichier " + path.string() + ".");
            lines.push_back(
                group.front().group + " : " + std::to_string(group.size()) + " lettre(s) dans " + path.string());
            start = end;
        }
        identity::store::audit(session, std::nullopt, "activation_codes_issued",
            std::to_string(letters.size()) + " codes, structure " + uai
                + (selection.class_name.empty() ? std::string() : ", classe " + selection.class_name)
                + (selection.renew ? ", renouvelés" : ""));
        return lines;
    });
    if (written.is_error())
        return fail(written.error());
    if (written->empty())
        std::cout << "Aucune personne sans mot de passe ni code d'activation valide : aucune lettre écrite.\n";
    for (auto const& entry : written.value())
        std::cout << entry << "\n";
    return 0;
}

void purge_expired(Services& services)
{
    auto const& config = services.config;
    auto purged = services.database->write([&](soci::session& session) -> ErrorOr<bool> {
        identity::sessions::purge(session, static_cast<long long>(std::time(nullptr)),
            { config.session_idle_seconds, config.session_absolute_seconds }, config.sign_in_window_seconds);
        return true;
    });
    if (purged.is_error())
        log::warning("purging old sessions failed: " + purged.error().detail);
    // Personal data of people who left more than three months ago.
    auto deleted = services.database->write([&](soci::session& session) -> ErrorOr<long long> {
        return directory::delete_expired_personal_data(
            session, static_cast<long long>(std::time(nullptr)), services.departure_handlers);
    });
    if (deleted.is_error())
        log::warning("deleting expired personal data failed: " + deleted.error().detail);
    else if (deleted.value() > 0)
        log::info("personal data deleted for " + std::to_string(deleted.value()) + " departed people");
}

} // namespace

int run_serve(Config const& config, CommandLine const& line)
{
    auto services = open_services(config);
    if (services.is_error())
        return fail(services.error());
    auto router = build_router(services.value()->capabilities);
    if (router.is_error())
        return fail(router.error());
    auto& shared = *services.value();
    if (line.has("demo-if-empty")) {
        auto empty = shared.database->read(
            [](soci::session& session) -> ErrorOr<bool> { return identity::store::is_empty(session); });
        if (empty.is_error())
            return fail(empty.error());
        if (empty.value()) {
            auto loaded = load_demo_school(shared);
            if (loaded.is_error())
                return fail(loaded.error());
            std::cout << "Établissement de démonstration chargé.\n";
        }
        std::cout << demo_accounts_text();
    }
    // Expired sessions and old sign-in failures are dropped at start, then
    // every ten minutes while serving.
    std::mutex purge_mutex;
    std::condition_variable_any purge_wakeup;
    std::jthread purger([&](std::stop_token const& stop) {
        while (!stop.stop_requested()) {
            purge_expired(shared);
            std::unique_lock lock(purge_mutex);
            purge_wakeup.wait_for(lock, stop, std::chrono::minutes(10), [] { return false; });
        }
    });

    // E-mail leaves from the outbox while serving (when SMTP is configured).
    notify::start_delivery(shared);

    Application application(shared, router.release_value());
    http::ServerOptions options;
    options.host = config.listen_host;
    options.port = config.listen_port;
    options.io_threads = config.io_threads;
    options.worker_threads = config.worker_threads;
    options.slow_threads = config.password_hash_threads;
    options.max_body_bytes = config.max_body_bytes;
    options.max_upload_bytes = config.max_upload_bytes;
    options.max_header_bytes = config.max_header_bytes;
    options.request_timeout_seconds = config.request_timeout_seconds;
    options.keep_alive_seconds = config.keep_alive_seconds;
    options.upload_directory = config.data_directory / "tmp" / "uploads";
    options.on_listening = [&](int port) {
        // Links in e-mails name the port bound when none is configured.
        shared.config.listen_port = port;
        auto host
            = config.listen_host.find(':') != std::string::npos ? "[" + config.listen_host + "]" : config.listen_host;
        std::cout << "Cartable écoute sur http://" << host << ":" << port
                  << "/ (base : " << shared.database->redacted_url() << ")" << std::endl;
    };
    auto status = http::run_server(options, application);
    notify::stop_delivery(shared);
    return status;
}

int run_migrate(Config const& config)
{
    auto database = db::Database::open(config.database_url(), 1);
    if (database.is_error())
        return fail(database.error());
    auto report = db::migrate(*database.value());
    if (report.is_error())
        return fail(report.error());
    if (report->applied.empty())
        std::cout << "Le schéma est à jour.\n";
    for (auto const& applied : report->applied)
        std::cout << "appliquée : " << applied << "\n";
    return 0;
}

int run_demo(Config const& config)
{
    auto services = open_services(config);
    if (services.is_error())
        return fail(services.error());
    auto outcome = load_demo_school(*services.value());
    if (outcome.is_error())
        return fail(outcome.error());
    std::cout << (outcome.value() == DemoOutcome::Loaded ? "Établissement de démonstration chargé.\n"
                                                         : "L'établissement de démonstration est déjà chargé.\n");
    std::cout << demo_accounts_text();
    return 0;
}

int run_import(Config const& config, CommandLine const& line)
{
    bool csv = line.words.size() == 3 && line.words[1] == "csv";
    if (line.words.size() != 3 || (line.words[1] != "aaf" && !csv) || (csv && line.get("structure").empty())) {
        std::cerr << "Usage : cartable import aaf DOSSIER [--dry-run] | cartable import csv DOSSIER --structure UAI "
                     "[--dry-run] (cartable import --help)\n";
        return 2;
    }
    auto services = open_services(config);
    if (services.is_error())
        return fail(services.error());
    directory::aaf::Options options;
    options.dry_run = line.has("dry-run");
    options.now = static_cast<long long>(std::time(nullptr));
    // On a terminal, a progress line (file, records, pace, time left).
    bool terminal = isatty(STDERR_FILENO) != 0;
    if (terminal) {
        options.progress = [](directory::aaf::Progress const& progress) {
            double pace = progress.seconds > 0 ? static_cast<double>(progress.records) / progress.seconds : 0;
            double left = progress.bytes_done > 0 && progress.bytes_total > progress.bytes_done
                ? progress.seconds * static_cast<double>(progress.bytes_total - progress.bytes_done)
                    / static_cast<double>(progress.bytes_done)
                : 0;
            int percent = progress.bytes_total > 0 ? static_cast<int>(100.0 * static_cast<double>(progress.bytes_done)
                              / static_cast<double>(progress.bytes_total))
                                                   : 0;
            std::string bar(static_cast<std::size_t>(percent / 5), '#');
            bar.resize(20, '.');
            std::fprintf(stderr, "\r[%s] %3d %%  fichier %d/%d  %lld enregistrements  %.0f/s  reste %02d:%02d ",
                bar.c_str(), percent, progress.file_index, progress.file_count, progress.records, pace,
                static_cast<int>(left) / 60, static_cast<int>(left) % 60);
            std::fflush(stderr);
        };
    }
    auto report = csv
        ? directory::csv::import_directory(*services.value()->database, line.words[2], line.get("structure"), options)
        : directory::aaf::import_directory(*services.value()->database, line.words[2], options);
    if (terminal)
        std::fprintf(stderr, "\n");
    if (report.is_error())
        return fail(report.error());
    if (csv && report->import_id != 0) {
        auto attached = services.value()->database->write([&](soci::session& session) -> ErrorOr<bool> {
            TRY(directory::attach_import_to_structure(session, report->import_id, line.get("structure")));
            return true;
        });
        if (attached.is_error())
            return fail(attached.error());
    }
    if (!options.dry_run)
        directory::make_class_spaces(services.value()->database.get(), options.now);
    services.value()->forget_directory();
    std::cout << (csv ? directory::csv::report_text(*report, line.get("structure")) : report->text());
    return 0;
}

int run_user(Config const& config, CommandLine const& line)
{
    auto action = line.words.size() > 1 ? line.words[1] : "";
    if (action != "add" && action != "passwd" && action != "list" && action != "activation") {
        std::cerr << "Usage : cartable user add | passwd | list | activation (cartable user --help)\n";
        return 2;
    }
    auto services = open_services(config);
    if (services.is_error())
        return fail(services.error());
    if (action == "add")
        return user_add(*services.value(), line);
    if (action == "passwd")
        return user_passwd(*services.value(), line);
    if (action == "activation")
        return user_activation(*services.value(), line);
    return user_list(*services.value());
}

int run_routes(Config const&)
{
    access::CapabilityRegistry registry;
    auto router = build_router(registry);
    if (router.is_error())
        return fail(router.error());
    // Columns as wide as their longest entry, a space at least between them.
    std::size_t path_width = 6;
    std::size_t capability_width = 8;
    for (auto const& route : router->routes()) {
        path_width = std::max(path_width, route.pattern.size());
        capability_width = std::max(capability_width, route.capability.size());
    }
    auto const path_column = static_cast<int>(path_width + 2);
    auto const capability_column = static_cast<int>(capability_width + 2);
    std::cout << std::left << std::setw(8) << "MÉTHODE" << std::setw(path_column) << "CHEMIN"
              << std::setw(capability_column + 1) << "CAPACITÉ"
              << "PORTÉE\n";
    for (auto const& route : router->routes()) {
        auto const* capability = registry.find(route.capability);
        char const* scope = "";
        switch (capability->scope) {
        case access::Scope::Public:
            scope = "public";
            break;
        case access::Scope::SignedIn:
            scope = "connecté";
            break;
        case access::Scope::Structure:
            scope = "établissement";
            break;
        case access::Scope::Deployment:
            scope = "déploiement";
            break;
        }
        std::cout << std::setw(8) << http::method_name(route.method) << std::setw(path_column) << route.pattern
                  << std::setw(capability_column) << route.capability << scope << "\n";
    }
    return 0;
}

} // namespace cartable::app
