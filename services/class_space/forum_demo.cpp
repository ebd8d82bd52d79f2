// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo school's TPRO forum: the stage and the bac's revisions, with
// Louis CHAMSON's questions and Samuel BEAUMONT's answers.
#include "core/html/rich_text.h"
#include "services/class_space/class_space.h"
#include "services/class_space/forum_internal.h"

namespace cartable::class_space {

namespace {

long long user_of(soci::session& session, std::string const& login)
{
    long long id = 0;
    session << "SELECT id FROM identity_user WHERE login = :login", soci::use(login), soci::into(id);
    return id;
}

} // namespace

void add_demo_forum(soci::session& session, long long now)
{
    constexpr long long HOUR = 3600;
    constexpr long long DAY = 24 * HOUR;
    long long space_id = 0;
    session << "SELECT s.id FROM class_space s JOIN identity_class c ON c.id = s.class_id WHERE c.name = 'TPRO'",
        soci::into(space_id);
    auto const teacher = user_of(session, "samuel.beaumont");
    auto const student = user_of(session, "louis.chamson");
    if (space_id == 0 || teacher == 0 || student == 0)
        return;
    auto text = [](char const* plain) { return html::from_plain_text(plain); };

    auto stage = forum::add_category(session, space_id, "Questions sur le stage en entreprise",
        "La période de formation en milieu professionnel : conventions, rapport de stage, soutenance.", teacher,
        now - 20 * DAY);
    auto revisions = forum::add_category(session, space_id, "Révisions du bac : économie-gestion",
        "Fiches, sujets des années passées et questions sur l'épreuve écrite.", teacher, now - 20 * DAY);

    auto convention = forum::add_topic(session, space_id, stage, "Convention de stage : à rendre avant le 15", teacher,
        text("Bonjour à tous,\n\nLes conventions de stage signées par l'entreprise, par vous et par vos parents sont "
             "à déposer au bureau des stages avant le 15 du mois. Sans convention signée, pas de départ en "
             "entreprise.\n\nPosez ici vos questions.\n\nS. BEAUMONT"),
        now - 12 * DAY);
    forum::set_pinned(session, convention, true);
    forum::add_post(session, space_id, convention, student,
        text("Bonjour Monsieur, mon tuteur est en congés jusqu'au 10. Est-ce que je peux rendre la convention le 16 "
             "s'il la signe à son retour ?"),
        now - 11 * DAY);
    forum::add_post(session, space_id, convention, teacher,
        text("Oui Louis, prévenez simplement le bureau des stages par écrit. L'important est qu'elle soit signée "
             "avant votre premier jour dans l'entreprise."),
        now - 11 * DAY + 3 * HOUR);

    auto report = forum::add_topic(session, space_id, stage, "Le plan du rapport de stage", student,
        text("Bonjour, faut-il présenter l'entreprise avant les missions, ou commencer directement par ce que l'on "
             "a fait ? Merci."),
        now - 4 * DAY);
    forum::add_post(session, space_id, report, teacher,
        text("Commencez par présenter l'entreprise (activité, effectif, organigramme), puis vos missions, puis un "
             "bilan personnel. Trois à cinq pages pour les missions suffisent."),
        now - 3 * DAY);

    auto exam = forum::add_topic(session, space_id, revisions, "Sujet de 2024 : la gestion des stocks", teacher,
        text("Le sujet de l'an dernier est distribué en classe mardi. Entraînez-vous sur la partie « gestion des "
             "stocks » : calcul du stock moyen, de la rotation et du coût de stockage."),
        now - 6 * DAY);
    forum::add_post(session, space_id, exam, student,
        text("Pour la rotation des stocks, on divise bien le coût d'achat des marchandises vendues par le stock "
             "moyen ?"),
        now - 2 * DAY);
    forum::add_post(session, space_id, exam, teacher,
        text("Exactement. Et la durée moyenne de stockage, c'est 360 jours divisés par cette rotation."),
        now - 2 * DAY + 2 * HOUR);
}

} // namespace cartable::class_space
