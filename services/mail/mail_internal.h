// SPDX-License-Identifier: AGPL-3.0-or-later
// What the messagerie's route files share.
#pragma once

#include "core/context.h"
#include "core/text.h"
#include "core/view/view.h"
#include "services/mail/mail.h"
#include <string_view>

namespace cartable::mail {

inline constexpr char const* USE = "mail.use";

// Runs an UPDATE or DELETE; whether it changed a row.
bool changed(soci::statement&);
// The ids a one-parameter query returns.
std::vector<long long> ids_of(soci::session&, std::string const& sql, long long key);

// Forgets the unread count cached for that person.
void forget_unread(Context&, long long person_id);
ErrorOr<long long> cached_unread_count(Context&);

// « 1,5 Mo », « 12 ko ».
std::string readable_size(long long bytes);

// Why these files cannot be added to a message that already has `already`
// (count, size, the sender's quota); nothing when they can.
std::optional<std::string> attachment_problem(soci::session&, identity::User const& sender,
    std::vector<http::UploadedFile const*> const& files, std::vector<Attachment> const& already);
// Moves the uploads into the attachment store; the rows are for add_attachment.
ErrorOr<std::vector<Attachment>> keep_uploads(
    Config const&, std::vector<http::UploadedFile const*> const& files, long long message_id);
void remove_stored_attachment(Config const&, std::string const& stored_name);
// {id, name, size, url} for a template.
view::List attachment_list(std::string const& message_id, std::vector<Attachment> const&);
ErrorOr<http::Response> serve_attachment(Context&);

// The notification of a message sent (the bell, and the e-mail or SMS each
// recipient chose), in the sending's transaction; the outbox rows written.
std::size_t enqueue_notices(soci::session&, identity::User const& sender, std::vector<long long> const& recipients,
    std::string const& public_url, long long message_id, long long now, bool known_active = false);

ErrorOr<http::Response> show_compose(Context&);
ErrorOr<http::Response> act_on_compose(Context&);

} // namespace cartable::mail
