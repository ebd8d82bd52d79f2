// SPDX-License-Identifier: AGPL-3.0-or-later
// The messagerie's part of « Mes données », and what becomes of a former
// member's mailbox when their personal data is deleted.
#include "core/context.h"
#include "services/mail/mail.h"
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace cartable::mail {

namespace {

constexpr std::array<Folder, 4> ALL_FOLDERS { Folder::Inbox, Folder::Sent, Folder::Drafts, Folder::Trash };

char const* french_folder(Folder folder)
{
    switch (folder) {
    case Folder::Inbox:
        return "Boîte de réception";
    case Folder::Sent:
        return "Messages envoyés";
    case Folder::Drafts:
        return "Brouillons";
    case Folder::Trash:
        return "Corbeille";
    }
    return "";
}

} // namespace

std::string personal_data_json(soci::session& session, long long person_id)
{
    boost::json::array messages;
    for (auto folder : ALL_FOLDERS) {
        auto total = folder_count(session, person_id, folder);
        for (long long page = 1; (page - 1) * PAGE_SIZE < total; ++page) {
            for (auto const& entry : folder_page(session, person_id, folder, page)) {
                // Whom one wrote to is one's own data; who else received a
                // message one got is other families' (only the sender is named).
                boost::json::array recipients;
                if (entry.sender_id == person_id) {
                    for (auto const& person : recipients_of(session, entry.message_id))
                        recipients.emplace_back(person.name);
                }
                boost::json::object item;
                item["dossier"] = french_folder(folder);
                item["expediteur"] = entry.sender_name;
                item["destinataires"] = std::move(recipients);
                item["objet"] = entry.subject;
                item["texte"] = body_text(entry);
                item["date"] = entry.sent_at != 0 ? entry.sent_at : entry.created_at;
                item["lu"] = entry.is_read;
                messages.emplace_back(std::move(item));
            }
        }
    }
    return boost::json::serialize(messages);
}

void forget_mailbox(soci::session& session, long long person_id)
{
    // Their drafts were never sent to anyone: they go. Messages they sent
    // stay in their recipients' mailboxes, under « Ancien membre ».
    session << "DELETE FROM mail_message WHERE sender_id = :person AND is_draft = 1", soci::use(person_id);
    session << "DELETE FROM mail_entry WHERE owner_id = :person", soci::use(person_id);
    session << "DELETE FROM mail_folder WHERE owner_id = :person", soci::use(person_id);
}

} // namespace cartable::mail
