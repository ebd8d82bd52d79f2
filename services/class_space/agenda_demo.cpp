// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo school's agenda: what a TPRO class of the lycée of Le Vigan
// would have in it around now.
#include "services/class_space/agenda_store.h"
#include "services/class_space/class_space.h"

namespace cartable::class_space {

namespace {

using agenda::Event;
using agenda::MINUTES_PER_DAY;

long long id_of_login(soci::session& session, std::string const& login)
{
    long long id = 0;
    session << "SELECT id FROM identity_user WHERE login = :login", soci::use(login), soci::into(id);
    return session.got_data() ? id : 0;
}

// The first day on or after `day` that is that weekday (0: lundi).
long long next_weekday(long long day, int weekday)
{
    return day + (weekday - agenda::weekday(day) + 7) % 7;
}

Event timed(long long day, long long from, long long to)
{
    Event event;
    event.start = day * MINUTES_PER_DAY + from;
    event.end = day * MINUTES_PER_DAY + to;
    return event;
}

} // namespace

void add_demo_agenda(soci::session& session, long long now)
{
    long long space_id = 0;
    session << "SELECT s.id FROM class_space s JOIN identity_class c ON c.id = s.class_id WHERE c.name = 'TPRO'",
        soci::into(space_id);
    if (!session.got_data())
        return;
    auto const teacher = id_of_login(session, "samuel.beaumont");
    auto const student = id_of_login(session, "louis.chamson");
    auto const today = agenda::floor_div(agenda::local_from_unix(now), MINUTES_PER_DAY);
    std::vector<Event> events;

    // Every Tuesday since the start of the period, until the Christmas
    // holidays (from the Saturday before 21 December), or for eight weeks.
    auto support = timed(next_weekday(today - 28, 1), 10 * 60LL, 11 * 60LL);
    support.title = "Accompagnement personnalisé";
    support.place = "Salle B12";
    support.description = "Méthodologie du dossier professionnel et préparation de l'épreuve orale "
                          "d'économie-gestion. Apportez votre classeur et votre clé USB.";
    support.repeat = agenda::Repeat::Weekly;
    auto const date = agenda::civil_from_days(today);
    auto const december = agenda::days_from_civil({ date.year, 12, 20 });
    auto const holidays = december - (agenda::weekday(december) + 2) % 7; // the Saturday on or before the 20th
    support.until_day = date.month >= 9 && holidays - 1 > today ? holidays - 1 : today + 56;
    support.author_id = teacher;
    events.push_back(support);

    auto council = timed(next_weekday(today + 14, 3), 17 * 60LL + 30, 19 * 60LL);
    council.title = "Conseil de classe du 1er trimestre";
    council.place = "Salle du conseil, bâtiment A";
    council.description = "Bilan du premier trimestre de la Terminale professionnelle, en présence des délégués "
                          "des élèves et des parents.\nLes bulletins seront remis aux familles la semaine suivante.";
    council.author_id = teacher;
    events.push_back(council);

    auto delegates = timed(next_weekday(today + 7, 0), 12 * 60LL + 30, 13 * 60LL + 15);
    delegates.title = "Réunion des délégués avant le conseil de classe";
    delegates.place = "CDI";
    delegates.description = "Faites remonter vos questions et vos remarques sur le trimestre à Louis ou à Emma "
                            "avant la réunion.";
    delegates.author_id = student;
    events.push_back(delegates);

    auto fair = timed(next_weekday(today + 35, 4), 7 * 60LL + 45, 17 * 60LL + 30);
    fair.title = "Sortie au salon de l'étudiant à Montpellier";
    fair.place = "Parc des expositions de Montpellier (départ en car devant le lycée)";
    fair.description = "Rendez-vous à 7 h 30 devant le lycée, retour vers 17 h 30. Prévoir un pique-nique et "
                       "rendre l'autorisation de sortie signée par les parents au professeur principal avant le "
                       "lundi précédent.";
    fair.author_id = teacher;
    events.push_back(fair);

    Event internship;
    auto const first = next_weekday(today + 63, 0);
    internship.all_day = true;
    internship.start = first * MINUTES_PER_DAY;
    internship.end = (first + 12) * MINUTES_PER_DAY; // two weeks, Monday to Friday
    internship.title = "Période de formation en milieu professionnel (PFMP)";
    internship.place = "En entreprise";
    internship.description = "Pensez à faire signer votre convention de stage et à noter les coordonnées de votre "
                             "tuteur dans le livret de suivi.";
    internship.author_id = teacher;
    events.push_back(internship);

    for (auto& event : events) {
        event.space_id = space_id;
        event.created_at = now;
        event.updated_at = now;
        agenda::insert_event(session, event);
    }
}

} // namespace cartable::class_space
