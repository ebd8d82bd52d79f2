// SPDX-License-Identifier: AGPL-3.0-or-later
// What the families' side of the lesson book shares between its pages, its
// print and PDF, its iCalendar feed and its API.
#pragma once

#include "core/context.h"
#include "services/lesson_book/lesson_book_internal.h"
#include <map>
#include <string>
#include <vector>

namespace cartable::lesson_book::family {

inline constexpr char const* FEED = "lesson_book.feed"; // the private iCalendar link: the token is the credential
inline constexpr char const* API = "lesson_book.api"; // the REST API

// The longest period printed or asked through the API: a school year.
inline constexpr long long LONGEST_PERIOD_DAYS = 366;

// A student's own note in his agenda.
struct PersonalNote {
    long long id { 0 };
    long long student_id { 0 };
    long long day { 0 };
    std::string subject;
    std::string text;
    bool done { false };
};

// A file of a séance or of a homework.
struct FileOf {
    long long id { 0 };
    long long seance_id { 0 };
    long long homework_id { 0 };
    std::string name;
    std::string stored_name;
    long long size { 0 };
    std::string content_type;
};

// Whose book a page shows: the student himself, or the child a guardian
// chose (« Profil affiché », ?enfant=ID, only his own children).
struct Subject {
    identity::User student; // id 0: a guardian without children
    std::vector<identity::User> children; // a guardian's, for the chooser
    bool guardian { false };
};

// What the person reads of a student's book: his classes, published items.
struct Book {
    std::vector<Homework> homework;
    std::vector<Seance> seances;
    std::vector<long long> done; // homework ids ticked « Fait »
    std::vector<PersonalNote> notes;
    std::map<long long, std::vector<FileOf>> homework_files;
    std::map<long long, std::vector<FileOf>> seance_files;
};

// Reads of this part.
std::vector<PersonalNote> personal_notes(soci::session&, long long student_id, long long from_day, long long to_day);
std::optional<PersonalNote> personal_note_by_id(soci::session&, long long id);
std::vector<FileOf> files_of(
    soci::session&, std::vector<long long> const& homework_ids, std::vector<long long> const& seance_ids);
std::optional<FileOf> file_by_id(soci::session&, long long id);
bool is_guardian_of(soci::session&, long long guardian_id, long long student_id);
// A student's book in [from_day, to_day) as his family sees it at `now`.
Book book_of(
    soci::session&, long long student_id, long long from_day, long long to_day, long long now, bool with_notes);

// The student or chosen child of the request, or an error (a guardian
// asking for another child: 403).
ErrorOr<Subject> subject_of(Context&, std::string_view requested_child);
long long today_of(Context const&);
// « 2026-11-28 » from a query, or the default.
ErrorOr<long long> day_parameter(std::string_view text, long long fallback);
// « mardi 2 décembre »; « Pour demain »/« Pour le mardi 2 décembre ».
std::string short_day(long long day);
std::string due_label(long long due_day, long long today);
// « 30 min », « 1 h 15 ».
std::string duration_label(long long minutes);
std::string file_url(FileOf const&);

// Parts.
std::vector<http::Route> print_routes();
std::vector<http::Route> feed_routes();
std::vector<http::Route> api_routes();
ErrorOr<std::vector<HomeItem>> home_homework(Context&, identity::User const& subject);
// The PDF of a period of a book (Pango + Cairo), A4.
std::string book_pdf(std::string const& header, Book const& book, long long from_day, long long to_day);

} // namespace cartable::lesson_book::family
