// SPDX-License-Identifier: AGPL-3.0-or-later
// What the lesson book's files share: its objects, the policy (who reads and
// writes a class's book in a subject), and the reads every page uses.
#pragma once

#include "core/access/capability.h"
#include "core/config/config.h"
#include "core/db/row.h"
#include "core/error.h"
#include "core/http/router.h"
#include "core/identity/identity.h"
#include <filesystem>
#include <optional>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace cartable {
struct Services;
}

namespace cartable::lesson_book {

// The capabilities every part's routes name.
inline constexpr char const* READ = "lesson_book.read"; // any signed-in person; the policy decides by object
inline constexpr char const* WRITE = "lesson_book.write"; // teachers

// The teachers' side (lesson_book_teacher*.cpp): entering séances and
// homework from the timetable, copies, planning, the week's load, the
// direction's and inspectors' reading and visa.
ErrorOr<void> declare_teacher_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> teacher_routes();
ErrorOr<void> start_teacher(Services&);
// The families' side (lesson_book_family*.cpp): the students' and
// guardians' views, « Fait », personal notes, the Accueil's « Travail à
// faire », printing and the PDF, the iCalendar feed, the REST API.
ErrorOr<void> declare_family_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> family_routes();
ErrorOr<void> start_family(Services&);
// « Rendu en ligne » (lesson_book_hand_in.cpp): the students' copies.
std::vector<http::Route> hand_in_routes();

// A person's facts about a class's (or group's) book in a subject.
struct Facts {
    bool same_structure { false }; // the class belongs to the person's structure
    bool teaches_subject { false }; // teaches this subject to this class (identity_teaching)
    bool teaches_class { false }; // teaches this class (any subject)
    bool student { false }; // is a student of the class or group
    bool guardian { false }; // a child of theirs is
    bool direction { false }; // identity::is_direction, of the class's structure
    bool reader { false }; // an inspector an administrator let read the structure's book
};

enum class Right {
    None,
    ReadPublished, // students, guardians, the class's other teachers: what is published
    ReadAll, // direction and inspectors: everything, planned items included; the visa
    Write, // the teacher of the subject in the class: writes, changes, plans ahead
};

// The policy, from the facts: a table in the tests.
Right right_from(Facts const& facts);
Facts facts_of(soci::session&, identity::User const& person, long long class_id, long long subject_id);
inline Right right_of(soci::session& session, identity::User const& person, long long class_id, long long subject_id)
{
    return right_from(facts_of(session, person, class_id, subject_id));
}
inline bool may_read(Right right)
{
    return right != Right::None;
}
// Whether the person sees items not yet published (publish_at in the future).
inline bool sees_planned(Right right)
{
    return right == Right::ReadAll || right == Right::Write;
}
// Whether an item (séance or homework) published at `publish_at` is shown to
// a person of that right at `now`: the one rule of every page.
inline bool visible(Right right, long long publish_at, long long now)
{
    return may_read(right) && (publish_at <= now || sees_planned(right));
}
// Direction and inspectors put their visa.
inline bool may_visa(Facts const& facts)
{
    return facts.same_structure && (facts.direction || facts.reader);
}

// Where the séances' and homework's files are stored (by their stored
// name, never the sender's), under the data directory.
std::filesystem::path attachment_directory(Config const& config);

// The classes and groups whose book a person reads: a student's own, a
// guardian's children's (all of them, or the one given), a teacher's, the
// whole structure for the direction and its inspectors.
std::vector<long long> classes_read_by(soci::session&, identity::User const& person);
std::vector<long long> classes_of_student(soci::session&, long long student_id);

struct Attachment {
    long long id { 0 };
    std::string name;
    long long size { 0 };
    std::string content_type;
};

// A séance: what was done in a lesson.
struct Seance {
    long long id { 0 };
    long long structure_id { 0 };
    long long class_id { 0 };
    std::string class_name;
    long long subject_id { 0 };
    std::string subject_label;
    long long author_id { 0 }; // 0: a former member
    std::string author_name;
    long long day { 0 };
    long long start_minute { 0 };
    long long end_minute { 0 };
    long long slot_id { 0 };
    std::string title;
    std::string content; // sanitized rich text
    std::string links; // one per line
    long long publish_at { 0 };
    long long created_at { 0 };
    long long updated_at { 0 };
};

// Travail à faire.
struct Homework {
    long long id { 0 };
    long long structure_id { 0 };
    long long class_id { 0 };
    std::string class_name;
    long long subject_id { 0 };
    std::string subject_label;
    long long author_id { 0 };
    std::string author_name;
    long long session_id { 0 };
    long long given_day { 0 };
    long long due_day { 0 };
    std::string description; // sanitized rich text
    long long estimated_minutes { 0 };
    bool hand_in_online { false };
    long long publish_at { 0 };
    long long created_at { 0 };
    long long updated_at { 0 };
    long long due_changed_at { 0 };
};

using db::integer_at;

// The homework of these classes due in [from_day, to_day), by due day then
// subject; only what is published at `now` unless `planned_too`.
std::vector<Homework> homework_due(soci::session&, std::vector<long long> const& class_ids, long long from_day,
    long long to_day, long long now, bool planned_too);
// The séances of these classes dated in [from_day, to_day), by day then hour.
std::vector<Seance> seances_between(soci::session&, std::vector<long long> const& class_ids, long long from_day,
    long long to_day, long long now, bool planned_too);
std::optional<Homework> homework_by_id(soci::session&, long long id);
std::optional<Seance> seance_by_id(soci::session&, long long id);
// The homework ids of this list a student ticked « Fait ».
std::vector<long long> done_by(soci::session&, long long student_id, std::vector<long long> const& homework_ids);

} // namespace cartable::lesson_book
