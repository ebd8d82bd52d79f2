// SPDX-License-Identifier: AGPL-3.0-or-later
// What the carnet de liaison's route files share.
#pragma once

#include "core/context.h"
#include "core/view/view.h"
#include "services/liaison_book/liaison_book.h"
#include <memory>

namespace cartable::liaison_book {

inline constexpr char const* READ = "liaison_book.read";
inline constexpr char const* WRITE = "liaison_book.write";

inline constexpr char const* NOT_FOUND = "Ce mot n'existe pas ou ne vous est pas adressé.";

std::string note_path(long long note_id);
std::filesystem::path attachment_directory(Config const&);

// The note of the path and how the person stands toward it; NotFound when
// they may not read it (the same answer as for a note that does not exist).
struct Found {
    Note note;
    Standing standing;
};
ErrorOr<Found> readable_note(Context&);
// The same, for its author, direction, the CPE and administrators only.
ErrorOr<Found> followed_note(Context&);

// The follow-up of a note, read once for everyone looking at it within ten
// seconds (the CPE's table of 600 guardians); forgotten on this node when a
// signature, a reply or a reminder changes it.
ErrorOr<std::shared_ptr<FollowUp const>> cached_follow_up(Context&, Note const&);
void forget_follow_up(Services&, long long note_id);

// « À signer avant le lundi 7 décembre 2026 ».
std::string deadline_text(long long day);

ErrorOr<http::Response> show_compose(Context&);
ErrorOr<http::Response> send_compose(Context&);
ErrorOr<http::Response> show_follow_up(Context&);
ErrorOr<http::Response> show_print(Context&);
ErrorOr<http::Response> export_csv(Context&);
ErrorOr<http::Response> send_reminder(Context&);

} // namespace cartable::liaison_book
