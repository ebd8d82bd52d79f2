// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo school's messages: a teacher to the TPRO parents about a visit,
// the CPE to a father, and his reply. Already read, so that the demo's
// Accueil starts as the guide shows it (« Vous n'avez pas de nouveau message. »).
#include "core/html/rich_text.h"
#include "core/identity/identity_store.h"
#include "services/mail/mail.h"

namespace cartable::mail {

namespace {

long long id_of(soci::session& session, std::string const& login)
{
    long long id = 0;
    session << "SELECT id FROM identity_user WHERE login = :login", soci::use(login), soci::into(id);
    return id;
}

void send_read(soci::session& session, std::string const& from, std::vector<std::string> const& to,
    std::string const& subject, std::string const& body, long long when)
{
    auto sender = identity::store::find_user(session, id_of(session, from));
    if (!sender)
        return;
    std::vector<long long> recipients;
    recipients.reserve(to.size());
    for (auto const& login : to)
        recipients.push_back(id_of(session, login));
    auto id = save_draft(session, *sender, std::nullopt, recipients, subject, html::from_plain_text(body), when);
    send_draft(session, sender->id, id, when);
    session << "UPDATE mail_entry SET is_read = 1 WHERE message_id = :id", soci::use(id);
}

} // namespace

void add_demo_messages(soci::session& session, long long now)
{
    constexpr long long DAY = 86400;
    send_read(session, "samuel.beaumont", { "andre.chamson", "sophie.roux" }, "Sortie pédagogique au musée Cévenol",
        "Bonjour,\n\nLa classe de TPRO visitera le musée Cévenol du Vigan jeudi prochain, de 9 h à 12 h. Les élèves "
        "partiront à pied depuis la cité scolaire, accompagnés de deux professeurs, et seront de retour pour le "
        "déjeuner.\n\nMerci de signer l'autorisation de sortie dans le carnet de liaison avant mardi.\n\n"
        "Cordialement,\nSamuel BEAUMONT",
        now - 6 * DAY);
    send_read(session, "andre.chamson", { "samuel.beaumont" }, "Re : Sortie pédagogique au musée Cévenol",
        "Bonjour Monsieur,\n\nC'est noté, l'autorisation de Louis est signée. Faut-il prévoir un pique-nique ?\n\n"
        "Bien cordialement,\nAndré CHAMSON",
        now - 5 * DAY);
    send_read(session, "nathalie.vidal", { "andre.chamson" }, "Retard de Louis",
        "Bonjour Monsieur CHAMSON,\n\nLouis est arrivé à 8 h 25 ce matin, après le début du cours. Pouvez-vous "
        "justifier ce retard depuis la vie scolaire de l'ENT ?\n\nMerci,\nNathalie VIDAL, CPE",
        now - 2 * DAY);
}

} // namespace cartable::mail
