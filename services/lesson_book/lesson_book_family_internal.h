// SPDX-License-Identifier: AGPL-3.0-or-later
// What the families' side of the lesson book shares between its pages, its
// print and PDF, its iCalendar feed and its API.
#pragma once

#include "core/context.h"
#include "services/lesson_book/lesson_book_internal.h"
#include <map>
#include <memory>
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
    // Read through the cache (cached_book): descriptions and contents are
    // sanitized already.
    bool sanitized { false };
};

// What of a student's book a page reads through the cache: the days
// [from, to), and which parts besides the homework.
struct Window {
    long long from { 0 };
    long long to { 0 };
    bool seances { true };
    bool ticks { true };
    bool notes { true };
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

// A student's book in the window as his family sees it now, each class's
// weeks read once for all its students and kept ten seconds
// (lesson_book_family_cache.cpp); his ticks and notes read each time.
struct ClassWeek;
class BookParts {
public:
    // The items of the window published now, sorted as the database would.
    Book book() const;
    // The homework alone, with the excerpt of each, without copying them
    // (valid as long as these parts are).
    std::vector<std::pair<Homework const*, std::string const*>> homework() const;
    // Says exactly what book() would hold: the class weeks read (each
    // read of a week has its own serial number), the items published now,
    // the ticks and the notes. Equal fingerprints, equal books.
    std::string const& fingerprint() const { return m_fingerprint; }
    std::vector<long long> const& done() const { return m_done; }

private:
    friend ErrorOr<BookParts> book_parts(Context&, identity::User const&, Window const&);
    bool shown(long long day, long long publish_at) const;
    std::vector<std::shared_ptr<ClassWeek const>> m_weeks;
    Window m_window;
    long long m_now { 0 };
    std::vector<long long> m_done;
    std::vector<PersonalNote> m_notes;
    std::string m_fingerprint;
};
ErrorOr<BookParts> book_parts(Context&, identity::User const& student, Window const& window);
inline ErrorOr<Book> cached_book(Context& context, identity::User const& student, Window const& window)
{
    return TRY(book_parts(context, student, window)).book();
}
// After a teacher's write: the structure's weeks are read again on this node.
void forget_weeks(Services&, long long structure_id);

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
