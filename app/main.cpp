// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/backup.h"
#include "app/commands.h"
#include "core/log.h"
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <malloc.h>
#include <set>

using namespace cartable;

namespace {

constexpr char const* GENERAL_HELP = R"(cartable – l'Espace Numérique de Travail des collèges et lycées

Usage: cartable COMMANDE [OPTIONS]

Commandes :
  serve      sert l'ENT en HTTP (par défaut sur 127.0.0.1:8080)
  migrate    met à jour le schéma de la base de données
  demo       charge l'établissement de démonstration (Cité scolaire André Chamson)
  user       gère les comptes locaux : user add | passwd | list | activation
  routes     liste chaque route avec sa méthode, son chemin et sa capacité
  import     importe l'annuaire : import aaf DOSSIER | import csv DOSSIER --structure UAI [--dry-run]
  backup     sauvegarde la base et les fichiers dans un dossier : backup DOSSIER
  restore    restaure une sauvegarde (serveur arrêté) : restore DOSSIER

Options communes :
  --config FICHIER     fichier de configuration TOML (voir docs/configuration.md)
  --listen HÔTE:PORT   adresse d'écoute (port 0 : un port libre, affiché au démarrage)
  --database URL       sqlite:CHEMIN ou postgresql://utilisateur:motdepasse@hôte:port/base
  --data-dir DOSSIER   dossier des données (base SQLite, fichiers) ; par défaut ./var
  --help               aide de la commande

Chaque clé se règle aussi par une variable d'environnement CARTABLE_* (cartable --help-config).
)";

constexpr char const* SERVE_HELP = R"(Usage: cartable serve [--demo-if-empty] [OPTIONS]

Sert l'ENT jusqu'à SIGINT ou SIGTERM ; les requêtes en cours se terminent avant l'arrêt.
Applique les migrations au démarrage.
  --demo-if-empty   charge l'établissement de démonstration si la base est vide
)";

constexpr char const* MIGRATE_HELP = "Usage: cartable migrate [OPTIONS]\n\nApplique les migrations qui manquent, "
                                     "chacune dans sa transaction, et les liste.\n";

constexpr char const* DEMO_HELP = "Usage: cartable demo [OPTIONS]\n\nCharge l'établissement de démonstration du guide "
                                  "(Cité scolaire André Chamson, Le Vigan).\nRefuse une base qui contient des données "
                                  "réelles.\n";

constexpr char const* USER_HELP = R"(Usage:
  cartable user add --login IDENTIFIANT --first-name PRÉNOM --last-name NOM --profile PROFIL --structure UAI
                    [--function FONCTION] [--civility M.|Mme] [--platform-admin] [--password-stdin]
  cartable user passwd IDENTIFIANT [--password-stdin]
  cartable user list
  cartable user activation --structure UAI [--class CLASSE] [--profile PROFIL] [--renew] [--out DOSSIER]

PROFIL : student, guardian, teacher, staff ou admin. Un administrateur (admin) gère son établissement ;
avec --platform-admin, il administre aussi la plateforme (établissements, académies, charte, annonces).
Le mot de passe (8 caractères au moins) est demandé au terminal, ou lu sur l'entrée standard avec --password-stdin.

user activation donne un code d'activation (valable 90 jours) aux personnes actives de l'établissement qui
n'ont ni mot de passe ni code valide, et écrit leurs lettres à imprimer (A4, une par page) dans un fichier
HTML par classe, dans le dossier courant ou DOSSIER ; les lettres des responsables sont rangées avec la
classe de leurs enfants, les personnels sous « Personnels ». Les codes ne figurent que dans ces fichiers.
  --class CLASSE   seulement cette classe (ou « Personnels »)
  --profile PROFIL seulement ce profil : student, guardian, teacher ou staff
  --renew          donne aussi un nouveau code à ceux dont le code est encore valide
)";

constexpr char const* BACKUP_HELP = R"(Usage: cartable backup DOSSIER [OPTIONS]
       cartable restore DOSSIER [OPTIONS]

backup écrit dans un dossier neuf une copie cohérente de la base (SQLite : VACUUM INTO, possible pendant
que l'ENT tourne ; PostgreSQL : pg_dump) et des fichiers du dossier de données.
restore remet la base et les fichiers d'une sauvegarde ; arrêtez d'abord le serveur. Une sauvegarde
illisible ne remplace rien.
)";

constexpr char const* IMPORT_HELP = R"(Usage: cartable import aaf DOSSIER [--dry-run] [OPTIONS]

Importe les fichiers de l'annuaire académique (AAF) du dossier : ENT…_Complet_<Type>_NNNN.xml (export
complet) ou ENT…_Delta_<Type>_NNNN.xml (modifications), pour les types EtabEducNat, MatiereEducNat,
MefEducNat, Eleve, PersRelEleve et PersEducNat, dans cet ordre (voir docs/aaf.md).
Un enregistrement mal formé est rejeté (fichier, ligne, raison) et l'import continue ; le rapport est
affiché et conservé. Après un export complet, les personnes des établissements importés qui n'y
figurent plus sont désactivées. Relancer les mêmes fichiers ne change rien.
  --dry-run   lit tout et affiche ce qui serait fait, sans rien modifier

Usage: cartable import csv DOSSIER --structure UAI [--dry-run] [OPTIONS]

Importe l'annuaire d'un établissement hors flux académique depuis ses fichiers CSV : eleves.csv,
responsables.csv et personnels.csv (colonnes : voir docs/csv-import.md), séparés par « ; » (ou « , »),
en UTF-8 ou Windows-1252. L'établissement doit déjà exister. Les fichiers décrivent tout
l'établissement : une personne importée d'un précédent fichier qui n'y figure plus est désactivée.
Une ligne erronée est rejetée (fichier, ligne, raison) et l'import continue. Relancer les mêmes
fichiers ne change rien.
  --structure UAI   l'établissement importé (obligatoire)
  --dry-run         lit tout et affiche ce qui serait fait, sans rien modifier
)";

constexpr char const* ROUTES_HELP
    = "Usage: cartable routes\n\nListe chaque route : méthode, chemin, capacité, portée.\n";

// Options that take a value; every other --option is a flag.
std::set<std::string> const VALUED = { "config", "listen", "database", "data-dir", "login", "first-name", "last-name",
    "profile", "structure", "function", "civility", "class", "out" };

bool parse(int argc, char** argv, app::CommandLine& line)
{
    for (int index = 1; index < argc; ++index) {
        std::string argument = argv[index];
        if (argument.rfind("--", 0) != 0) {
            line.words.push_back(argument);
            continue;
        }
        auto name = argument.substr(2);
        auto equals = name.find('=');
        if (equals != std::string::npos) {
            line.options[name.substr(0, equals)] = name.substr(equals + 1);
        } else if (VALUED.contains(name)) {
            if (index + 1 >= argc) {
                std::cerr << "L'option --" << name << " attend une valeur.\n";
                return false;
            }
            line.options[name] = argv[++index];
        } else {
            line.options[name] = "true";
        }
    }
    return true;
}

void print_config_help()
{
    std::cout << "Clés de configuration (fichier TOML, puis variable d'environnement) :\n";
    for (auto const& key : config_keys())
        std::cout << "  " << key.key << "  (" << key.environment_variable << ")\n      " << key.description << "\n";
}

} // namespace

int main(int argc, char** argv)
{
    // Pages of a few hundred kilobytes are built at each request (a
    // follow-up table of 600 lines): by default glibc maps each such string
    // on its own and unmaps it when freed, and the kernel zeroes fresh pages
    // every time (a third of that page's time). They come from the heap
    // instead, which keeps up to 32 MB free before giving memory back.
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
    app::CommandLine line;
    if (!parse(argc, argv, line))
        return 2;
    if (line.has("help-config")) {
        print_config_help();
        return 0;
    }
    std::string command = line.words.empty() ? "" : line.words.front();
    if (command.empty() || command == "help") {
        std::cout << GENERAL_HELP;
        return command.empty() && !line.has("help") ? 2 : 0;
    }
    if (line.has("help")) {
        if (command == "serve")
            std::cout << SERVE_HELP;
        else if (command == "migrate")
            std::cout << MIGRATE_HELP;
        else if (command == "demo")
            std::cout << DEMO_HELP;
        else if (command == "user")
            std::cout << USER_HELP;
        else if (command == "routes")
            std::cout << ROUTES_HELP;
        else if (command == "import")
            std::cout << IMPORT_HELP;
        else if (command == "backup" || command == "restore")
            std::cout << BACKUP_HELP;
        else
            std::cout << GENERAL_HELP;
        return 0;
    }

    ConfigSource source;
    if (line.has("config"))
        source.file = line.get("config");
    source.environment = cartable_environment();
    if (line.has("listen"))
        source.overrides["server.listen"] = line.get("listen");
    if (line.has("database"))
        source.overrides["database.url"] = line.get("database");
    if (line.has("data-dir"))
        source.overrides["storage.data_directory"] = line.get("data-dir");
    auto config = load_config(source);
    if (config.is_error()) {
        std::cerr << config.error().message_key << "\n";
        return 2;
    }
    if (config->log_level == "debug")
        log::set_minimum_level(log::Level::Debug);
    else if (config->log_level == "warning")
        log::set_minimum_level(log::Level::Warning);
    else if (config->log_level == "error")
        log::set_minimum_level(log::Level::Error);
    log::set_access_log(config->access_log);
    // Dates are shown in the deployment's time zone.
    setenv("TZ", config->time_zone.c_str(), 1);
    tzset();

    if (command == "serve")
        return app::run_serve(*config, line);
    if (command == "migrate")
        return app::run_migrate(*config);
    if (command == "demo")
        return app::run_demo(*config);
    if (command == "user")
        return app::run_user(*config, line);
    if (command == "routes")
        return app::run_routes(*config);
    if (command == "import")
        return app::run_import(*config, line);
    if (command == "backup" || command == "restore") {
        if (line.words.size() < 2) {
            std::cerr << "Usage : cartable " << command << " DOSSIER\n";
            return 2;
        }
        return command == "backup" ? app::run_backup(*config, line.words[1]) : app::run_restore(*config, line.words[1]);
    }
    std::cerr << "Commande inconnue : " << command << "\n\n" << GENERAL_HELP;
    return 2;
}
