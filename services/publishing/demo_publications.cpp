// SPDX-License-Identifier: AGPL-3.0-or-later
// What the académie, the région and the platform publish in the
// demonstration, and who publishes it (Claire ESTÈVE, administratrice).
#include "core/identity/identity_store.h"
#include "services/publishing/publishing_scopes.h"
#include <ctime>

namespace cartable::publishing {

namespace {

// A local time on a day counted from today.
long long day_at(long long now, int days, int hour, int minute = 0)
{
    auto time = static_cast<std::time_t>(now + days * 24LL * 3600);
    std::tm local {};
    localtime_r(&time, &local);
    local.tm_hour = hour;
    local.tm_min = minute;
    local.tm_sec = 0;
    local.tm_isdst = -1;
    return static_cast<long long>(std::mktime(&local));
}

struct DemoNews {
    Scope scope;
    char const* author;
    char const* title;
    char const* summary;
    char const* body;
    bool is_public;
    int days_ago;
};

struct DemoEvent {
    Scope scope;
    char const* title;
    char const* place;
    int in_days;
    int start_hour;
    int end_hour;
};

constexpr DemoNews NEWS[] = {
    { Scope::Academy, "Académie de Montpellier", "Semaine de la persévérance scolaire",
        "Du lundi au vendredi, les établissements de l'académie proposent des actions pour prévenir le décrochage.",
        "Ateliers de méthodologie, tutorat entre élèves, rencontres avec les familles : chaque établissement "
        "présente son programme sur son portail.\n\nLes **référents décrochage** de l'académie restent joignables "
        "toute l'année par l'intermédiaire du chef d'établissement.",
        true, 4 },
    { Scope::Academy, "Académie de Montpellier", "Parcoursup : les dates à retenir",
        "Inscription sur la plateforme, formulation des vœux, confirmation : le calendrier de la procédure.",
        "Les élèves de terminale formulent leurs vœux sur [Parcoursup](https://www.parcoursup.fr/) puis les "
        "confirment avant la date limite. Les professeurs principaux accompagnent chaque élève ; les psychologues "
        "de l'Éducation nationale reçoivent sur rendez-vous.",
        true, 12 },
    { Scope::Region, "Région Occitanie / Pyrénées - Méditerranée", "Ordi pour tous : la distribution commence",
        "Chaque élève entrant en seconde reçoit un ordinateur portable et ses manuels numériques.",
        "La Région équipe les lycéens d'un ordinateur portable et met les **manuels numériques** à disposition de "
        "tous les lycées publics.\n\n- remise dans l'établissement, en présence d'un responsable légal ;\n- "
        "manuels accessibles depuis l'ENT ;\n- assistance par la plateforme de la Région.\n\n"
        "[En savoir plus](https://www.laregion.fr/)",
        true, 9 },
    { Scope::Region, "Région Occitanie / Pyrénées - Méditerranée", "Carte jeune Région : les avantages de l'année",
        "Manuels, équipements professionnels, activités culturelles et sportives : ce que la carte prend en charge.",
        "La carte jeune Région se demande en ligne. Elle finance une partie des équipements des élèves des "
        "filières professionnelles et des sorties culturelles organisées par les lycées.",
        false, 20 },
    { Scope::Platform, "L'équipe support produit", "Nouveau : l'agenda des portails",
        "L'académie, la Région et votre établissement publient désormais leurs dates dans « Mes portails ».",
        "Ouvrez le menu « Mes portails » en haut de la page pour lire les actualités et l'agenda de votre "
        "académie, de votre Région et du site inter-établissements.",
        false, 2 },
};

constexpr DemoEvent EVENTS[] = {
    { Scope::Academy, "Journées portes ouvertes des lycées de l'académie", "Dans chaque lycée de l'académie", 25, 9,
        17 },
    { Scope::Academy, "Forum académique de l'orientation", "Parc des expositions, Montpellier", 40, 9, 18 },
    { Scope::Region, "Salon régional de l'apprentissage", "MEETT, Toulouse", 33, 10, 18 },
    { Scope::Platform, "Maintenance de l'ENT (service interrompu)", "", 6, 21, 23 },
};

} // namespace

void add_demo_publications(soci::session& session, long long structure_id, long long publisher_id, long long now)
{
    auto structure = identity::store::find_structure(session, structure_id);
    if (!structure)
        return;
    auto key_of = [&](Scope scope) {
        return scope == Scope::Academy ? structure->academy
            : scope == Scope::Region   ? structure->region
                                       : std::string();
    };
    for (auto scope : { Scope::Academy, Scope::Region, Scope::Platform })
        grant_publishing(session, publisher_id, scope, key_of(scope), std::nullopt, now);
    for (auto const& demo : NEWS) {
        NewsItem news;
        news.scope = demo.scope;
        news.scope_key = key_of(demo.scope);
        news.title = demo.title;
        news.summary = demo.summary;
        news.body = demo.body;
        news.author = demo.author;
        news.author_id = publisher_id;
        news.is_public = demo.is_public;
        news.published_at = day_at(now, -demo.days_ago, 9, 30);
        add_news(session, news);
    }
    for (auto const& demo : EVENTS) {
        Event event;
        event.scope = demo.scope;
        event.scope_key = key_of(demo.scope);
        event.title = demo.title;
        event.place = demo.place;
        event.starts_at = day_at(now, demo.in_days, demo.start_hour);
        event.ends_at = day_at(now, demo.in_days, demo.end_hour);
        add_event(session, event);
    }
}

} // namespace cartable::publishing
