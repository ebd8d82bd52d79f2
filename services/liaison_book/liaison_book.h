// SPDX-License-Identifier: AGPL-3.0-or-later
// « Carnet de liaison »: notes (« mots ») from the school's staff and
// teachers to the guardians of chosen students, each acknowledged
// (« J'ai pris connaissance ») by every legal guardian, answered when the
// note asks for it, followed by its author (services/liaison_book/README.md).
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include "core/identity/identity.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <string_view>
#include <vector>

namespace cartable {
struct Services;
}

namespace cartable::liaison_book {

// The fixed categories of a note: code stored, French label.
struct Category {
    std::string_view code;
    std::string_view label;
};
std::vector<Category> const& categories();
std::string_view category_label(std::string_view code);

// « 2026-2027 »: the school year (September to August) of a Unix time.
std::string school_year_of(long long unix_seconds);

inline constexpr long long MAX_ATTACHMENT_BYTES = 10LL << 20;
inline constexpr std::size_t MAX_TITLE = 200;
inline constexpr std::size_t MAX_BODY = 20000;
inline constexpr std::size_t MAX_REPLY = 2000;

struct Note {
    long long id { 0 };
    long long structure_id { 0 };
    long long author_id { 0 }; // 0 once the author's account is gone
    std::string author_name;
    std::string school_year;
    std::string title;
    std::string body; // sanitized HTML
    std::string category;
    bool asks_reply { false };
    long long sign_before_day { 0 }; // days since 1970-01-01 (school_time), 0: none
    std::string attachment_name;
    std::string attachment_stored;
    long long attachment_size { 0 };
    long long created_at { 0 };
};

// What a new note holds once checked (the routes validate the form).
struct NewNote {
    std::string title;
    std::string body_html; // already sanitized
    std::string category;
    bool asks_reply { false };
    long long sign_before_day { 0 };
    std::string attachment_name;
    std::string attachment_stored;
    long long attachment_size { 0 };
    std::vector<long long> class_ids;
    std::vector<long long> student_ids;
};

// --- Policy ------------------------------------------------------------
// Direction (staff whose function is Proviseur, Principal or an adjoint),
// the CPE and the structure's administrators follow every note of their
// structure.
bool oversees(identity::User const&);
// Teachers, and staff, write notes; administrators and families do not.
bool may_write_notes(identity::User const&);
// The classes a writer may address: a teacher's taught classes, the whole
// structure's for staff. Empty for anyone else.
std::vector<identity::SchoolClass> addressable_classes(soci::session&, identity::User const& writer);

// How a person stands toward a note.
struct Standing {
    bool reads { false };
    bool follows { false }; // the author, direction, CPE, administrators
    // The addressed children of a guardian (legal or not), or the student
    // themself.
    std::vector<long long> children;
    std::vector<long long> legal_children; // those the guardian signs for
};
Standing standing_of(soci::session&, identity::User const& person, Note const& note);

// --- Store -------------------------------------------------------------
// Who was told of a note or a reminder, for notifications::published after
// the commit.
struct Notified {
    std::vector<long long> people;
    std::size_t outbox_rows { 0 };
};
// Whether the guardians are told (the demo's notes, written as if sent
// before, are not).
enum class Announce { Yes, No };

// Resolves the classes and students to the students addressed (once each),
// writes the note and notifies every guardian of them, in the caller's
// transaction. Forbidden for a class or student the author may not address,
// Invalid when no student is reached. The note's id.
ErrorOr<long long> send_note(soci::session&, identity::User const& author, NewNote const&,
    std::string const& public_url, long long now, Notified* notified = nullptr, Announce = Announce::Yes);
std::optional<Note> find_note(soci::session&, long long note_id);

// A line of the list: the note, and for a guardian the child it is about.
struct Listed {
    Note note;
    long long child_id { 0 };
    std::string child_name;
    bool signed_by_me { false };
    bool to_sign { false };
    long long signatures { 0 };
    long long expected { 0 };
};
// A guardian's notes, per child, unsigned ones first; a student's; for
// writers the ones they wrote (and every note of the structure for those
// who oversee it). Of one school year.
std::vector<Listed> notes_for(soci::session&, identity::User const& person, std::string const& school_year);
std::vector<std::string> school_years_for(soci::session&, identity::User const& person);

// Signs for one child: false when already signed or not allowed (the caller
// checks the standing first).
bool sign(soci::session&, Note const&, identity::User const& guardian, long long student_id, long long now);
void add_reply(soci::session&, Note const&, identity::User const& guardian, long long student_id,
    std::string const& text, long long now);

struct Signature {
    long long student_id { 0 };
    long long guardian_id { 0 };
    std::string guardian_name;
    long long signed_at { 0 };
};
std::vector<Signature> signatures_for(soci::session&, long long note_id, std::vector<long long> const& students);

struct Reply {
    long long student_id { 0 };
    long long guardian_id { 0 };
    std::string guardian_name;
    std::string text;
    long long created_at { 0 };
};
std::vector<Reply> replies_for(soci::session&, long long note_id, std::vector<long long> const& students);

// The author's follow-up: one line per addressed student and legal guardian.
struct FollowLine {
    long long student_id { 0 };
    std::string student_name;
    std::string class_name;
    long long guardian_id { 0 }; // 0: no legal guardian known
    std::string guardian_name;
    long long signed_at { 0 };
    std::vector<std::string> replies;
};
struct FollowUp {
    std::vector<FollowLine> lines;
    long long signatures { 0 };
    long long expected { 0 };
    long long reminders { 0 };
    long long last_reminder_at { 0 };
};
FollowUp follow_up(soci::session&, Note const&);
// « Relancer »: notifies the legal guardians who have not signed, records
// the reminder and audits it; how many were told.
long long remind(soci::session&, Note const&, identity::User const& sender, std::string const& public_url,
    long long now, Notified* notified = nullptr);

// « Mes données »: what the person signed and replied, and the notes they wrote (JSON).
std::string personal_data_json(soci::session&, long long person_id);
// A former member: signatures and notes stay, signed « Ancien membre »;
// their replies go if they objected to keeping their contributions.
void forget_person(soci::session&, long long person_id, bool erase);

// The demo school's notes (app/demo_school.cpp), once its people exist.
void add_demo_notes(soci::session&, long long now);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
ErrorOr<void> start(Services&);

} // namespace cartable::liaison_book
