// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo school's lesson book: the séances of the past two weeks on the
// real lessons of TPRO and T STMG, homework due in the coming days (one for
// tomorrow in TPRO, one handed in online), one séance planned ahead, and
// the proviseur's visa.
#include "core/school_time.h"
#include "services/lesson_book/lesson_book.h"
#include "services/lesson_book/lesson_book_store.h"
#include "services/timetable/timetable.h"
#include <algorithm>
#include <map>

namespace cartable::lesson_book {

namespace {

struct DemoSeance {
    char const* title;
    char const* content;
    char const* homework; // empty: none
    long long minutes;
};

// By subject code, in the order of the lessons.
std::map<std::string, std::vector<DemoSeance>> const& demo_seances()
{
    static std::map<std::string, std::vector<DemoSeance>> const SEANCES {
        { "042400",
            { { "Le contrat de travail : formation et clauses",
                  "<p>Conditions de validité du contrat, période d'essai, clauses de non-concurrence et de "
                  "mobilité.</p>"
                  "<ul><li>Étude du contrat de Mme Leroy (document 2)</li><li>Synthèse à compléter</li></ul>",
                  "<p>Relire la synthèse et répondre aux questions 1 à 4 du document 3.</p>", 30 },
                { "La rupture du contrat de travail",
                    "<p>Démission, licenciement, rupture conventionnelle : les étapes et les documents remis au "
                    "salarié.</p>",
                    "", 0 },
                { "Les documents commerciaux : devis et facture",
                    "<p>Mentions obligatoires d'une facture ; calcul de la TVA et du net à payer.</p>",
                    "<p>Établir la facture de l'exercice 5 (modèle distribué en classe).</p>", 45 },
                { "La relation client",
                    "<p>Accueillir, identifier le besoin, reformuler : jeux de rôle en binômes.</p>", "", 0 },
                { "Le droit du travail : durée du travail et congés",
                    "<p>Durée légale, heures supplémentaires, congés payés : lecture d'extraits du Code du "
                    "travail.</p>",
                    "", 0 } } },
        { "061300",
            { { "Fonctions affines : lecture graphique",
                  "<p>Coefficient directeur et ordonnée à l'origine lus sur la droite ; tracer une droite d'équation "
                  "donnée.</p>",
                  "<p>Exercices 12 et 13 page 48.</p>", 30 },
                { "Statistiques : moyenne et écart type",
                    "<p>Calcul à la calculatrice, interprétation de la dispersion d'une série.</p>", "", 0 },
                { "Pourcentages et évolutions",
                    "<p>Coefficient multiplicateur, évolutions successives, taux réciproque.</p>",
                    "<p>Fiche d'exercices « Évolutions », exercices 1 à 6.</p>", 40 },
                { "Suites arithmétiques", "<p>Définition par récurrence, terme général, représentation graphique.</p>",
                    "", 0 },
                { "Probabilités : arbres pondérés",
                    "<p>Construire un arbre, probabilité d'un chemin, formule des probabilités totales.</p>", "",
                    0 } } },
        { "020100",
            { { "Le roman d'apprentissage",
                  "<p>Lecture d'extraits de <em>Bel-Ami</em> de Maupassant : l'ascension de Georges Duroy.</p>",
                  "<p>Lire le chapitre 2 de <em>Bel-Ami</em>.</p>", 60 },
                { "Argumenter : thèse, arguments, exemples",
                    "<p>Repérer la thèse d'un texte et classer ses arguments.</p>", "", 0 },
                { "Écrire un paragraphe argumenté",
                    "<p>Méthode : une idée, un argument, un exemple, une phrase de conclusion.</p>",
                    "<p>Rédiger un paragraphe argumenté sur le sujet distribué (rendu en ligne).</p>", 45 } } },
        { "040600",
            { { "La Guerre froide : un monde bipolaire",
                  "<p>Les deux blocs, la crise de Berlin (1948-1949), la course aux armements.</p>",
                  "<p>Apprendre les repères chronologiques du chapitre.</p>", 30 },
                { "La décolonisation", "<p>Les indépendances en Asie et en Afrique ; l'exemple de l'Algérie.</p>", "",
                    0 },
                { "Les mobilités dans le monde",
                    "<p>Migrations de travail, tourisme international : étude de cartes.</p>", "", 0 } } },
    };
    return SEANCES;
}

std::string subject_code(soci::session& session, long long subject_id)
{
    std::string code;
    session << "SELECT code FROM identity_subject WHERE id = :id", soci::into(code), soci::use(subject_id);
    return code;
}

// Written directly: the demo tells nobody.
void demo_homework(soci::session& session, long long structure_id, long long author_id,
    store::HomeworkInput const& input, long long now)
{
    long long const online = input.hand_in_online ? 1 : 0;
    soci::indicator seance = input.session_id != 0 ? soci::i_ok : soci::i_null;
    session << "INSERT INTO lesson_book_homework (structure_id, class_id, subject_id, author_id, session_id, "
               "given_day, due_day, description, estimated_minutes, hand_in_online, publish_at, created_at, "
               "updated_at) VALUES (:structure, :class, :subject, :author, :seance, :given, :due, :description, "
               ":minutes, :online, :publish, :created, :updated)",
        soci::use(structure_id), soci::use(input.class_id), soci::use(input.subject_id), soci::use(author_id),
        soci::use(input.session_id, seance), soci::use(input.given_day), soci::use(input.due_day),
        soci::use(input.description), soci::use(input.estimated_minutes), soci::use(online),
        soci::use(input.publish_at), soci::use(now), soci::use(now);
}

} // namespace

void add_demo_lesson_book(soci::session& session, long long structure_id, long long now)
{
    long long existing = 0;
    session << "SELECT COUNT(*) FROM lesson_book_session WHERE structure_id = :structure", soci::into(existing),
        soci::use(structure_id);
    if (existing != 0)
        return;
    std::vector<long long> classes;
    soci::rowset<long long> rows = (session.prepare << "SELECT id FROM identity_class WHERE structure_id = :structure "
                                                       "AND name IN ('TPRO', 'T STMG') ORDER BY id",
        soci::use(structure_id));
    for (auto id : rows)
        classes.push_back(id);
    if (classes.empty())
        return;
    auto const today = school_time::day_of_unix(now);
    auto const tomorrow = store::next_school_day(today);
    std::map<std::string, std::size_t> used; // class and subject → séances written
    long long tprogestion_class = 0;
    long long tprogestion_subject = 0;
    long long samuel = 0;
    auto const lessons = timetable::lessons_of_classes(session, classes, today - 14, today + 15);
    // The day of the class's next lesson of the subject after a day.
    auto const next_lesson = [&](timetable::Lesson const& after) {
        for (auto const& lesson : lessons) {
            if (lesson.day > after.day && lesson.class_id == after.class_id && lesson.subject_id == after.subject_id
                && lesson.status != timetable::LessonStatus::Cancelled)
                return lesson.day;
        }
        return after.day + 7;
    };
    for (auto const& lesson : lessons) {
        if (lesson.day > today || lesson.status == timetable::LessonStatus::Cancelled || lesson.teacher_id == 0)
            continue;
        auto const code = subject_code(session, lesson.subject_id);
        auto const found = demo_seances().find(code);
        if (found == demo_seances().end())
            continue;
        auto& count = used[std::to_string(lesson.class_id) + ":" + code];
        auto const& demo = found->second[count % found->second.size()];
        ++count;
        store::Writer writer { structure_id, lesson.teacher_id, now, {} };
        store::SeanceInput seance;
        seance.class_id = lesson.class_id;
        seance.subject_id = lesson.subject_id;
        seance.day = lesson.day;
        seance.start_minute = lesson.start_minute;
        seance.end_minute = lesson.end_minute;
        seance.slot_id = lesson.slot_id;
        seance.title = demo.title;
        seance.content = demo.content;
        seance.publish_at = school_time::unix_from_local(lesson.day * school_time::MINUTES_PER_DAY + lesson.end_minute);
        if (seance.publish_at > now)
            seance.publish_at = now;
        if (code == "042400")
            seance.links = "https://www.service-public.fr/particuliers/vosdroits/N19806";
        auto const id = store::insert_seance(session, writer, seance);
        if (code == "042400" && lesson.class_name == "TPRO") {
            tprogestion_class = lesson.class_id;
            tprogestion_subject = lesson.subject_id;
            samuel = lesson.teacher_id;
        }
        if (std::string(demo.homework).empty())
            continue;
        store::HomeworkInput homework;
        homework.class_id = lesson.class_id;
        homework.subject_id = lesson.subject_id;
        homework.session_id = id;
        homework.given_day = lesson.day;
        // Due at the class's next lesson of the subject.
        homework.due_day = next_lesson(lesson);
        homework.description = demo.homework;
        homework.estimated_minutes = demo.minutes;
        homework.hand_in_online = code == "020100";
        homework.publish_at = seance.publish_at;
        demo_homework(session, structure_id, lesson.teacher_id, homework, now);
    }
    if (tprogestion_class != 0) {
        // For tomorrow, in TPRO.
        store::HomeworkInput homework;
        homework.class_id = tprogestion_class;
        homework.subject_id = tprogestion_subject;
        homework.given_day = today;
        homework.due_day = tomorrow;
        homework.description
            = "<p>Compléter le tableau comparatif CDD / CDI (document 4) et apprendre les définitions.</p>";
        homework.estimated_minutes = 30;
        homework.publish_at = now - 3600;
        demo_homework(session, structure_id, samuel, homework, now);
        // Planned ahead: next week's séance, published on its day.
        for (auto const& lesson : timetable::lessons_of_teacher(session, samuel, today + 7, today + 14)) {
            if (lesson.class_id != tprogestion_class || lesson.status == timetable::LessonStatus::Cancelled)
                continue;
            store::Writer writer { structure_id, samuel, now, {} };
            store::SeanceInput seance;
            seance.class_id = lesson.class_id;
            seance.subject_id = lesson.subject_id;
            seance.day = lesson.day;
            seance.start_minute = lesson.start_minute;
            seance.end_minute = lesson.end_minute;
            seance.slot_id = lesson.slot_id;
            seance.title = "Évaluation : le contrat de travail";
            seance.content
                = "<p>Évaluation écrite d'une heure sur le contrat de travail (formation, clauses, rupture).</p>";
            seance.publish_at = school_time::unix_from_local(lesson.day * school_time::MINUTES_PER_DAY + 7LL * 60);
            store::insert_seance(session, writer, seance);
            break;
        }
        long long proviseur = 0;
        std::string first;
        std::string last;
        session << "SELECT id, first_name, last_name FROM identity_user WHERE login = 'philippe.garnier'",
            soci::into(proviseur), soci::into(first), soci::into(last);
        if (proviseur != 0) {
            store::Visa visa;
            visa.class_id = tprogestion_class;
            visa.author_name = first + " " + last;
            visa.until_day = today - 1;
            visa.comment = "Cahier de textes bien tenu.";
            visa.created_at = now - 86400;
            store::add_visa(session, visa, proviseur);
        }
    }
}

} // namespace cartable::lesson_book
