// SPDX-License-Identifier: AGPL-3.0-or-later
// Attachments: checked (size, count, the sender's quota), stored once under
// the data directory whoever receives the message, served only to the
// people who hold the message, always as a download.
#include "core/files.h"
#include "core/http/static_files.h"
#include "core/identity/tokens.h"
#include "services/admin/admin.h"
#include "services/mail/mail_internal.h"
#include <array>

namespace cartable::mail {

namespace {

std::filesystem::path attachment_directory(Config const& config)
{
    return config.data_directory / "mail" / "attachments";
}

} // namespace

std::optional<std::string> attachment_problem(soci::session& session, identity::User const& sender,
    std::vector<http::UploadedFile const*> const& files, std::vector<Attachment> const& already)
{
    if (files.empty())
        return std::nullopt;
    if (files.size() + already.size() > MAX_ATTACHMENTS)
        return "Un message ne peut pas avoir plus de 10 pièces jointes.";
    long long message_total = 0;
    for (auto const& attachment : already)
        message_total += attachment.size;
    long long added = 0;
    for (auto const* file : files) {
        auto size = static_cast<long long>(file->size);
        if (size > MAX_ATTACHMENT_BYTES)
            return "La pièce jointe « " + file->file_name + " » dépasse 10 Mo : elle n'est pas ajoutée.";
        added += size;
    }
    if (message_total + added > MAX_MESSAGE_ATTACHMENT_BYTES)
        return std::string("Les pièces jointes d'un message ne doivent pas dépasser 20 Mo en tout.");
    auto quota = static_cast<long long>(admin::quota_bytes(session, sender.structure_id, sender.profile));
    auto used = attachment_bytes_of(session, sender.id);
    if (used + added > quota)
        return "Votre espace de stockage est plein (" + readable_size(used) + " utilisés sur " + readable_size(quota)
            + ") : supprimez des messages avec pièces jointes de vos messages envoyés, puis videz la corbeille.";
    return std::nullopt;
}

ErrorOr<std::vector<Attachment>> keep_uploads(
    Config const& config, std::vector<http::UploadedFile const*> const& files, long long message_id)
{
    std::vector<Attachment> kept;
    if (files.empty())
        return kept;
    auto directory = attachment_directory(config);
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
        return Error::internal("cannot create the attachment directory: " + error.message());
    for (auto const* file : files) {
        Attachment attachment;
        attachment.message_id = message_id;
        attachment.name = file->file_name.substr(0, 200);
        attachment.content_type = http::content_type_for(attachment.name);
        attachment.size = static_cast<long long>(file->size);
        // Base64url: letters, digits, '-' and '_' only, safe as a file name.
        attachment.stored_name = identity::random_token();
        if (!move_file(file->path, directory / attachment.stored_name)) {
            for (auto const& done : kept)
                remove_stored_attachment(config, done.stored_name);
            return Error::internal("cannot store an attachment");
        }
        kept.push_back(std::move(attachment));
    }
    return kept;
}

void remove_stored_attachment(Config const& config, std::string const& stored_name)
{
    if (stored_name.empty() || stored_name.find('/') != std::string::npos || stored_name.starts_with('.'))
        return;
    std::error_code ignored;
    std::filesystem::remove(attachment_directory(config) / stored_name, ignored);
}

view::List attachment_list(std::string const& message_id, std::vector<Attachment> const& attachments)
{
    view::List list;
    for (auto const& attachment : attachments) {
        view::Data item;
        item.set("id", std::to_string(attachment.id));
        item.set("name", attachment.name);
        item.set("size", readable_size(attachment.size));
        item.set("url", "/messagerie/messages/" + message_id + "/pieces/" + std::to_string(attachment.id));
        list.push_back(std::move(item));
    }
    return list;
}

// GET /messagerie/messages/{id}/pieces/{piece}: only through the reader's
// own mailbox entry, like the message itself.
ErrorOr<http::Response> serve_attachment(Context& context)
{
    auto message_id = parse_id(context.request.parameter("id"));
    auto attachment_id = parse_id(context.request.parameter("piece"));
    auto const owner = context.user().id;
    auto attachment = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Attachment>> {
        if (!find_entry(session, owner, message_id))
            return std::optional<Attachment>();
        return find_attachment(session, message_id, attachment_id);
    }));
    if (!attachment)
        return Error::not_found("Cette pièce jointe n'existe pas ou n'est plus dans votre messagerie.");
    auto response = http::serve_file(context.request, attachment_directory(context.config()) / attachment->stored_name,
        http::download_type(attachment->name), attachment->name);
    if (response.status == 404)
        return Error::not_found("Cette pièce jointe n'existe pas ou n'est plus dans votre messagerie.");
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

} // namespace cartable::mail
