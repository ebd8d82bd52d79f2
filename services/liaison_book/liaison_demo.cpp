// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo school's carnet de liaison: what the CPE and a teacher of TPRO
// wrote this autumn, one note already signed, so the guide's screens show
// something.
#include "core/html/rich_text.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "services/liaison_book/liaison_book.h"

namespace cartable::liaison_book {

namespace {

constexpr long long DAY = 86400;

long long id_of(soci::session& session, std::string const& login)
{
    long long id = 0;
    session << "SELECT id FROM identity_user WHERE login = :login", soci::use(login), soci::into(id);
    return id;
}

long long class_id_of(soci::session& session, std::string const& name)
{
    long long id = 0;
    session << "SELECT id FROM identity_class WHERE name = :name AND kind = 'class'", soci::use(name), soci::into(id);
    return id;
}

long long write(soci::session& session, std::string const& author_login, NewNote const& note, long long at)
{
    auto author = identity::store::find_user(session, id_of(session, author_login));
    if (!author)
        return 0;
    auto sent = send_note(session, *author, note, std::string(), at, nullptr, Announce::No);
    return sent.is_error() ? 0 : sent.value();
}

} // namespace

void add_demo_notes(soci::session& session, long long now)
{
    auto const tpro = class_id_of(session, "TPRO");
    if (tpro == 0)
        return;
    auto const today = school_time::day_of_unix(now);

    NewNote meeting;
    meeting.title = "Réunion parents-professeurs de la TPRO";
    meeting.category = "convocation";
    meeting.body_html = html::sanitize(
        "<p>Madame, Monsieur,</p><p>La réunion parents-professeurs de la classe de Terminale professionnelle aura "
        "lieu le <strong>jeudi 10 décembre de 17 h à 19 h 30</strong> au CDI de la cité scolaire. Vous pourrez "
        "rencontrer l'équipe pédagogique et faire le point sur les périodes de formation en milieu professionnel.</p>"
        "<p>Samuel BEAUMONT, professeur principal</p>");
    meeting.class_ids = { tpro };
    meeting.sign_before_day = today + 7;
    auto const meeting_id = write(session, "samuel.beaumont", meeting, now - 4 * DAY);

    NewNote museum;
    museum.title = "Sortie au musée Cévenol du Vigan – autorisation";
    museum.category = "sortie";
    museum.body_html = html::sanitize(
        "<p>Madame, Monsieur,</p><p>Dans le cadre du projet « Patrimoine des Cévennes », les élèves de TPRO se "
        "rendront au <strong>musée Cévenol du Vigan</strong> le mardi 15 décembre, de 9 h à 12 h, accompagnés de "
        "M. FAVIER et de Mme DELMAS. Le trajet se fait à pied depuis la cité scolaire ; la sortie est gratuite.</p>"
        "<p>Merci de signer ce mot et d'indiquer en réponse si votre enfant a un régime ou un traitement particulier "
        "à signaler.</p><p>Nathalie VIDAL, CPE</p>");
    museum.class_ids = { tpro };
    museum.asks_reply = true;
    museum.sign_before_day = today + 10;
    auto const museum_id = write(session, "nathalie.vidal", museum, now - 2 * DAY);

    NewNote lateness;
    lateness.title = "Retards du matin et carnet de correspondance";
    lateness.category = "vie_scolaire";
    lateness.body_html = html::sanitize(
        "<p>Madame, Monsieur,</p><p>Nous constatons de nombreux retards à la première heure de cours. Les portes de la "
        "cité scolaire ouvrent à 7 h 45 ; tout élève arrivant après 8 h 05 doit passer par le bureau de la vie "
        "scolaire avant de rejoindre sa classe.</p><p>Nathalie VIDAL, CPE</p>");
    lateness.class_ids = { tpro };
    auto const t_stmg = class_id_of(session, "T STMG");
    if (t_stmg != 0)
        lateness.class_ids.push_back(t_stmg);
    write(session, "nathalie.vidal", lateness, now - 20 * DAY);

    // Sophie ROUX has already signed and answered the museum's note, André
    // CHAMSON the meeting's: the CPE's table shows one of each.
    auto signer = identity::store::find_user(session, id_of(session, "sophie.roux"));
    auto emma = id_of(session, "emma.roux");
    if (museum_id != 0 && signer && emma != 0) {
        auto note = find_note(session, museum_id);
        if (note) {
            sign(session, *note, *signer, emma, now - DAY);
            add_reply(session, *note, *signer, emma, "Emma est allergique aux arachides ; elle aura son traitement.",
                now - DAY);
        }
    }
    auto andre = identity::store::find_user(session, id_of(session, "andre.chamson"));
    auto louis = id_of(session, "louis.chamson");
    if (meeting_id != 0 && andre && louis != 0) {
        if (auto note = find_note(session, meeting_id))
            sign(session, *note, *andre, louis, now - 3 * DAY);
    }
}

} // namespace cartable::liaison_book
