// SPDX-License-Identifier: AGPL-3.0-or-later
// The attachments of séances and homework: checked (count, size), stored
// under the data directory by a random name, served only to those who read
// the item they belong to, always as a download.
#pragma once

#include "core/context.h"
#include "core/http/multipart.h"
#include "core/view/view.h"
#include "services/lesson_book/lesson_book_internal.h"
#include <optional>
#include <string>
#include <vector>

namespace cartable::lesson_book {

inline constexpr std::size_t MAX_ATTACHMENTS = 10;
inline constexpr long long MAX_ATTACHMENT_BYTES = 10LL * 1024 * 1024;

struct StoredFile {
    std::string name;
    std::string stored_name;
    long long size { 0 };
    std::string content_type;
};

// Why these files cannot be added to an item that has `already` files, in French.
std::optional<std::string> attachment_problem(std::vector<http::UploadedFile const*> const& files, std::size_t already);
// Moves the uploads under the data directory.
ErrorOr<std::vector<StoredFile>> keep_files(Config const& config, std::vector<http::UploadedFile const*> const& files);
// The rows, in the caller's transaction; one of the two ids is 0.
void add_attachments(
    soci::session&, long long seance_id, long long homework_id, std::vector<StoredFile> const& files, long long now);
std::vector<Attachment> attachments_of(soci::session&, long long seance_id, long long homework_id);
// A copy's files: new rows naming the same stored files.
void copy_attachments(soci::session&, long long from_seance, long long to_seance, long long now);
// The stored names of an item's files, to remove once no row names them.
std::vector<std::string> stored_names_of(soci::session&, long long seance_id, long long homework_id);
void remove_unused_files(soci::session&, Config const& config, std::vector<std::string> const& stored_names);
// « Retirer »: the rows of these attachments that belong to the item (one
// of the two ids is 0); the stored names they named, for remove_unused_files.
std::vector<std::string> remove_attachments(
    soci::session&, long long seance_id, long long homework_id, std::vector<long long> const& attachment_ids);
// The ids ticked « Retirer » in a form (field « retirer »), numbers only.
std::vector<long long> ticked_for_removal(http::FormFields const& form);
view::List attachment_list(std::vector<Attachment> const& attachments);

ErrorOr<http::Response> serve_attachment(Context& context);

} // namespace cartable::lesson_book
