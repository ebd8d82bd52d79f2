// SPDX-License-Identifier: AGPL-3.0-or-later
// The families' side of the lesson book: the students' and guardians'
// views (« Travail à faire », « Par matière », « Par semaine »), a séance's
// page, the files, « Fait », the students' personal notes and the
// Accueil's « Travail à faire ». Print and PDF, the iCalendar feed and the
// API are in lesson_book_family_print.cpp and lesson_book_family_feed.cpp.
#include "core/displayed_child.h"
#include "core/html/rich_text.h"
#include "core/http/static_files.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/view/body_memo.h"
#include "core/view/frame.h"
#include "core/view/mustache.h"
#include "services/lesson_book/lesson_book_family_internal.h"
#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <limits>
#include <map>
#include <tuple>
#include <variant>

namespace cartable::lesson_book {

namespace family {

constexpr char const* OWN = "lesson_book.own"; // a student's « Fait » and personal notes
constexpr long long DUE_DAYS = 14;
constexpr long long SUBJECT_DAYS = 28;
constexpr std::size_t NOTE_TEXT_MAX = 2000;
constexpr std::size_t NOTE_SUBJECT_MAX = 100;
constexpr std::size_t HOME_ITEMS = 8;
constexpr long long HOME_DAYS = 8;

ErrorOr<Subject> subject_of(Context& context, std::string_view requested_child)
{
    auto const& user = context.user();
    Subject subject;
    if (user.profile == access::Profile::Student) {
        subject.student = user;
        return subject;
    }
    if (user.profile != access::Profile::Guardian)
        return Error::not_found("Ce cahier de textes est celui des élèves et de leurs responsables.", "not a family");
    subject.guardian = true;
    subject.children = TRY(context.services.children_of(user.id, context.now));
    if (subject.children.empty())
        return subject;
    if (requested_child.empty()) {
        auto const shown = displayed_child(context, subject.children);
        subject.student = *std::find_if(
            subject.children.begin(), subject.children.end(), [&](auto const& child) { return child.id == shown; });
        return subject;
    }
    auto const id = parse_id(requested_child);
    auto const chosen = std::find_if(
        subject.children.begin(), subject.children.end(), [&](auto const& child) { return child.id == id; });
    if (chosen == subject.children.end())
        return Error::forbidden(
            "Vous ne pouvez afficher que le profil de vos enfants.", "guardian asked for another child");
    subject.student = *chosen;
    return subject;
}

namespace {

std::string child_query(Subject const& subject, char separator)
{
    if (!subject.guardian || subject.student.id == 0)
        return {};
    return std::string(1, separator) + "enfant=" + std::to_string(subject.student.id);
}

// Where a form sends the person back: one of our pages only.
std::string return_path(std::string_view requested, std::string fallback)
{
    if (requested.starts_with("/cahier-de-textes") && requested.find("//") == std::string_view::npos
        && requested.find_first_of("\\\r\n") == std::string_view::npos)
        return std::string(requested);
    return fallback;
}

void set_files(view::Data& data, std::vector<FileOf> const* files)
{
    view::List list;
    data.set("has_files", files != nullptr && !files->empty());
    if (files == nullptr) {
        data.set("files", std::move(list));
        return;
    }
    for (auto const& file : *files) {
        view::Data entry;
        entry.set("name", file.name);
        entry.set("url", file_url(file));
        entry.set("size", i18n::format_size(static_cast<std::uint64_t>(std::max(0LL, file.size))));
        list.push_back(std::move(entry));
    }
    data.set("files", std::move(list));
}

template<typename Map> auto const* find_in(Map const& map, long long key)
{
    auto found = map.find(key);
    return found == map.end() ? nullptr : &found->second;
}

struct Page {
    Subject const& subject;
    Book const& book;
    long long today { 0 };
    std::string here; // the page's path and query, to come back to
    bool student_writes { false };
};

view::Data homework_view(Page const& page, Homework const& homework)
{
    view::Data entry;
    entry.set("id", std::to_string(homework.id));
    entry.set("subject", homework.subject_label);
    entry.set("class_name", homework.class_name);
    entry.set("due", due_label(homework.due_day, page.today));
    entry.set("given", "Donné le " + short_day(homework.given_day));
    entry.set("description_html", page.book.sanitized ? homework.description : html::sanitize(homework.description));
    if (homework.estimated_minutes > 0)
        entry.set("duration", duration_label(homework.estimated_minutes));
    entry.set("hand_in", homework.hand_in_online);
    bool const done = std::binary_search(page.book.done.begin(), page.book.done.end(), homework.id);
    entry.set("done", done);
    entry.set("may_tick", page.student_writes);
    entry.set("next_done", done ? "0" : "1");
    entry.set("tick_label", done ? "Marquer comme non fait" : "Marquer comme fait");
    entry.set("child_query", child_query(page.subject, '?'));
    set_files(entry, find_in(page.book.homework_files, homework.id));
    return entry;
}

view::Data seance_view(Page const& page, Seance const& seance, bool with_content)
{
    view::Data entry;
    entry.set("url", "/cahier-de-textes/seances/" + std::to_string(seance.id) + child_query(page.subject, '?'));
    entry.set("subject", seance.subject_label);
    entry.set("title", seance.title);
    entry.set("when",
        short_day(seance.day)
            + (seance.end_minute > seance.start_minute
                    ? ", " + school_time::clock(seance.start_minute) + " – " + school_time::clock(seance.end_minute)
                    : std::string()));
    if (with_content)
        entry.set("content_html", page.book.sanitized ? seance.content : html::sanitize(seance.content));
    set_files(entry, find_in(page.book.seance_files, seance.id));
    return entry;
}

view::Data note_view(Page const& page, PersonalNote const& note)
{
    view::Data entry;
    entry.set("id", std::to_string(note.id));
    entry.set("subject", note.subject);
    entry.set("text", note.text);
    entry.set("done", note.done);
    entry.set("may_write", page.student_writes);
    entry.set("next_done", note.done ? "0" : "1");
    entry.set("tick_label", note.done ? "Marquer comme non fait" : "Marquer comme fait");
    entry.set("edit_url", "/cahier-de-textes/notes/" + std::to_string(note.id) + "/modifier");
    entry.set("action", "/cahier-de-textes/notes/" + std::to_string(note.id));
    return entry;
}

enum class Tab { Due, Subjects, Week };

view::Data frame_data(Page const& page, Tab tab, std::string const& action)
{
    view::Data data;
    view::List tabs;
    auto const query = child_query(page.subject, '?');
    for (auto const& [which, label, path] : { std::tuple { Tab::Due, "Travail à faire", "/cahier-de-textes" },
             std::tuple { Tab::Subjects, "Par matière", "/cahier-de-textes/matieres" },
             std::tuple { Tab::Week, "Par semaine", "/cahier-de-textes/semaine" } }) {
        view::Data entry;
        entry.set("label", label);
        entry.set("url", std::string(path) + query);
        entry.set("current", which == tab);
        tabs.push_back(std::move(entry));
    }
    data.set("tabs", std::move(tabs));
    data.set("is_guardian", page.subject.guardian);
    view::List children;
    for (auto const& child : page.subject.children) {
        view::Data entry;
        entry.set("id", std::to_string(child.id));
        entry.set("name", child.display_name());
        entry.set("selected", child.id == page.subject.student.id);
        children.push_back(std::move(entry));
    }
    data.set("children", std::move(children));
    data.set("chooser_action", action);
    data.set("student_name", page.subject.student.display_name());
    data.set("has_student", page.subject.student.id != 0);
    data.set("student_writes", page.student_writes);
    data.set("here", page.here);
    data.set("print_url", "/cahier-de-textes/imprimer" + query);
    data.set("calendar_url", std::string("/cahier-de-textes/calendrier"));
    return data;
}

struct Loaded {
    Subject subject;
    std::optional<BookParts> parts; // none for a guardian without children
};

// The person's book for [from, to): a teacher or staff is sent to his own page.
using Loading = std::variant<http::Response, Loaded>;

ErrorOr<Loading> load(Context& context, long long from_day, long long to_day)
{
    auto const& user = context.user();
    if (user.profile == access::Profile::Teacher)
        return Loading(http::Response::redirect("/cahier-de-textes/enseignant"));
    if (user.profile != access::Profile::Student && user.profile != access::Profile::Guardian)
        return Loading(http::Response::redirect("/cahier-de-textes/etablissement"));
    Loaded loaded;
    loaded.subject = TRY(subject_of(context, context.request.query.get("enfant")));
    if (loaded.subject.student.id != 0)
        loaded.parts = TRY(book_parts(context, loaded.subject.student, Window { from_day, to_day }));
    return Loading(std::move(loaded));
}

// The families' pages: rebuilt only when what they show changes (the
// fingerprint holds the serial numbers of the class weeks read, BookParts).
view::BodyMemo& body_memo()
{
    static view::BodyMemo memo(16U << 20U);
    return memo;
}

constexpr char const* BOOK_TEMPLATE = "lesson_book/family_book";

// A family page: its body from the memo when what it shows is unchanged,
// otherwise built from the book by `build` and rendered.
template<typename Build>
http::Response render_book(Context& context, Loaded const& loaded, std::string title, Build&& build)
{
    auto const& subject = loaded.subject;
    std::string print = context.request.target;
    print += '\n' + std::to_string(today_of(context)) + '\n' + context.csrf_token() + '\n'
        + std::string(access::profile_code(context.user().profile)) + '\n' + std::to_string(subject.student.id);
    for (auto const& child : subject.children)
        print += '\n' + std::to_string(child.id) + ' ' + child.display_name();
    print += '\n';
    if (loaded.parts)
        print += loaded.parts->fingerprint();
    auto response
        = view::render_remembered(context, body_memo(), std::move(print), nullptr, BOOK_TEMPLATE, std::move(title),
            view::MenuEntry::LessonBook, [&] { return build(loaded.parts ? loaded.parts->book() : Book {}); });
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

// One heading's entries: séances, homework, notes.
struct Group {
    std::string label;
    std::string anchor;
    view::List seances;
    view::List homework;
    view::List notes;
};

view::List groups_view(std::vector<Group>& groups)
{
    view::List list;
    for (auto& group : groups) {
        view::Data entry;
        entry.set("label", group.label);
        entry.set("anchor", group.anchor);
        bool const empty = group.seances.empty() && group.homework.empty() && group.notes.empty();
        entry.set("empty", empty);
        entry.set("seances", std::move(group.seances));
        entry.set("homework", std::move(group.homework));
        entry.set("notes", std::move(group.notes));
        list.push_back(std::move(entry));
    }
    return list;
}

// « Travail à faire »: by due day, from ?du= (today) for two weeks.
ErrorOr<http::Response> show_due(Context& context)
{
    auto const today = today_of(context);
    auto const from = TRY(day_parameter(context.request.query.get("du"), today));
    auto loaded = TRY(load(context, from, from + DUE_DAYS));
    if (auto* response = std::get_if<http::Response>(&loaded))
        return std::move(*response);
    auto const& read = std::get<Loaded>(loaded);
    return render_book(context, read, "Cahier de textes", [&](Book const& book) -> view::Data {
        auto const& subject = read.subject;
        Page const page { subject, book, today, context.request.target,
            context.user().profile == access::Profile::Student };
        std::map<long long, Group> days;
        for (auto const& homework : book.homework)
            days[homework.due_day].homework.push_back(homework_view(page, homework));
        for (auto const& note : book.notes)
            days[note.day].notes.push_back(note_view(page, note));
        std::vector<Group> groups;
        for (auto& [day, group] : days) {
            group.label = due_label(day, today);
            group.anchor = "jour-" + school_time::iso_day(day);
            groups.push_back(std::move(group));
        }
        auto data = frame_data(page, Tab::Due, "/cahier-de-textes");
        data.set("heading", "Travail à faire du " + short_day(from) + " au " + short_day(from + DUE_DAYS - 1));
        data.set("groups", groups_view(groups));
        data.set("empty_text", std::string("Aucun travail à faire pour ces deux semaines."));
        auto const query = child_query(subject, '&');
        data.set("previous_url", "/cahier-de-textes?du=" + school_time::iso_day(from - DUE_DAYS) + query);
        data.set("previous_label", std::string("Deux semaines plus tôt"));
        data.set("next_url", "/cahier-de-textes?du=" + school_time::iso_day(from + DUE_DAYS) + query);
        data.set("next_label", std::string("Deux semaines plus tard"));
        data.set("print_url",
            "/cahier-de-textes/imprimer?du=" + school_time::iso_day(from)
                + "&au=" + school_time::iso_day(from + DUE_DAYS - 1) + query);
        return data;
    });
}

// « Par matière »: each subject with its homework of the next four weeks
// and its séances of the last four.
ErrorOr<http::Response> show_subjects(Context& context)
{
    auto const today = today_of(context);
    auto loaded = TRY(load(context, today - SUBJECT_DAYS, today + SUBJECT_DAYS));
    if (auto* response = std::get_if<http::Response>(&loaded))
        return std::move(*response);
    auto const& read = std::get<Loaded>(loaded);
    return render_book(context, read, "Cahier de textes – par matière", [&](Book const& book) -> view::Data {
        auto const& subject = read.subject;
        Page const page { subject, book, today, context.request.target,
            context.user().profile == access::Profile::Student };
        std::map<std::string, Group> subjects;
        for (auto const& homework : book.homework) {
            if (homework.due_day >= today)
                subjects[homework.subject_label].homework.push_back(homework_view(page, homework));
        }
        for (auto it = book.seances.rbegin(); it != book.seances.rend(); ++it) {
            if (it->day <= today)
                subjects[it->subject_label].seances.push_back(seance_view(page, *it, false));
        }
        std::vector<Group> groups;
        for (auto& [label, group] : subjects) {
            group.label = label;
            group.anchor = "matiere-" + std::to_string(groups.size() + 1);
            groups.push_back(std::move(group));
        }
        auto data = frame_data(page, Tab::Subjects, "/cahier-de-textes/matieres");
        data.set("heading", std::string("Par matière"));
        data.set("by_subject", true);
        data.set("groups", groups_view(groups));
        data.set("empty_text",
            std::string("Aucune séance ni aucun travail dans les quatre dernières et prochaines semaines."));
        return data;
    });
}

// « Par semaine »: the week's séances and homework by day.
ErrorOr<http::Response> show_week(Context& context)
{
    auto const today = today_of(context);
    auto const asked = TRY(day_parameter(context.request.query.get("semaine"), today));
    auto const monday = asked - school_time::weekday(asked);
    auto loaded = TRY(load(context, monday, monday + 7));
    if (auto* response = std::get_if<http::Response>(&loaded))
        return std::move(*response);
    auto const& read = std::get<Loaded>(loaded);
    return render_book(context, read, "Cahier de textes – semaine", [&](Book const& book) -> view::Data {
        auto const& subject = read.subject;
        Page const page { subject, book, today, context.request.target,
            context.user().profile == access::Profile::Student };
        // Monday to Saturday, and Sunday when something is dated then.
        std::vector<Group> groups(7);
        for (long long index = 0; index < 7; ++index) {
            groups[static_cast<std::size_t>(index)].label = short_day(monday + index);
            groups[static_cast<std::size_t>(index)].anchor = "jour-" + school_time::iso_day(monday + index);
        }
        auto group_of = [&](long long day) -> Group* {
            auto const index = day - monday;
            if (index < 0 || index >= 7)
                return nullptr;
            return &groups[static_cast<std::size_t>(index)];
        };
        for (auto const& seance : book.seances) {
            if (auto* group = group_of(seance.day))
                group->seances.push_back(seance_view(page, seance, true));
        }
        for (auto const& homework : book.homework) {
            if (auto* group = group_of(homework.due_day))
                group->homework.push_back(homework_view(page, homework));
        }
        for (auto const& note : book.notes) {
            if (auto* group = group_of(note.day))
                group->notes.push_back(note_view(page, note));
        }
        if (groups.back().seances.empty() && groups.back().homework.empty() && groups.back().notes.empty())
            groups.pop_back();
        auto data = frame_data(page, Tab::Week, "/cahier-de-textes/semaine");
        data.set(
            "heading", "Semaine du " + short_day(monday) + " au " + short_day(monday + (groups.size() == 7 ? 6 : 5)));
        data.set("by_week", true);
        data.set("groups", groups_view(groups));
        auto const query = child_query(subject, '&');
        data.set("previous_url", "/cahier-de-textes/semaine?semaine=" + school_time::iso_day(monday - 7) + query);
        data.set("previous_label", "Semaine précédente (du " + short_day(monday - 7) + ")");
        data.set("next_url", "/cahier-de-textes/semaine?semaine=" + school_time::iso_day(monday + 7) + query);
        data.set("next_label", "Semaine suivante (du " + short_day(monday + 7) + ")");
        data.set("print_url",
            "/cahier-de-textes/imprimer?du=" + school_time::iso_day(monday) + "&au=" + school_time::iso_day(monday + 6)
                + query);
        return data;
    });
}

// Whether the person may see an item of that class and subject, published
// at `publish_at`, now.
bool sees_item(soci::session& session, identity::User const& person, long long class_id, long long subject_id,
    long long publish_at, long long now)
{
    return visible(right_of(session, person, class_id, subject_id), publish_at, now);
}

constexpr char const* NO_SEANCE = "Cette séance n'existe pas ou ne vous est pas accessible.";

// A séance's page, for anyone who reads it.
ErrorOr<http::Response> show_seance(Context& context)
{
    auto const id = parse_id(context.request.parameter("id"));
    auto const& user = context.user();
    auto const now = context.now;
    struct Found {
        Seance seance;
        std::vector<Homework> homework;
        std::vector<FileOf> files;
    };
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Found>> {
        auto seance = seance_by_id(session, id);
        if (!seance || !sees_item(session, user, seance->class_id, seance->subject_id, seance->publish_at, now))
            return std::optional<Found>();
        Found result { *seance, {}, {} };
        auto const planned = sees_planned(right_of(session, user, seance->class_id, seance->subject_id));
        soci::rowset<long long> ids
            = (session.prepare << "SELECT id FROM lesson_book_homework WHERE session_id = :seance ORDER BY due_day, id",
                soci::use(id));
        std::vector<long long> homework_ids;
        for (auto homework_id : ids) {
            auto homework = homework_by_id(session, homework_id);
            if (homework && (homework->publish_at <= now || planned)) {
                homework_ids.push_back(homework->id);
                result.homework.push_back(*homework);
            }
        }
        result.files = files_of(session, homework_ids, { id });
        return std::optional<Found>(std::move(result));
    }));
    if (!found)
        return Error::not_found(NO_SEANCE, "séance not readable");
    auto const& seance = found->seance;
    Subject subject;
    subject.student = user;
    Book book;
    for (auto& file : found->files) {
        if (file.homework_id != 0)
            book.homework_files[file.homework_id].push_back(file);
        else
            book.seance_files[file.seance_id].push_back(file);
    }
    Page const page { subject, book, today_of(context), context.request.target, false };
    view::Data data;
    data.set("subject", seance.subject_label);
    data.set("class_name", seance.class_name);
    data.set("title", seance.title);
    data.set("author", seance.author_name);
    data.set("when",
        school_time::long_day(seance.day)
            + (seance.end_minute > seance.start_minute
                    ? ", " + school_time::clock(seance.start_minute) + " – " + school_time::clock(seance.end_minute)
                    : std::string()));
    data.set("content_html", html::sanitize(seance.content));
    set_files(data, find_in(book.seance_files, seance.id));
    view::List links;
    for_each_line(seance.links, [&](std::string_view line) {
        auto const link = trim_text(line);
        if (link.empty())
            return;
        view::Data item;
        item.set("text", std::string(link));
        item.set("safe", link.starts_with("https://") || link.starts_with("http://"));
        links.push_back(std::move(item));
    });
    data.set("links", std::move(links));
    view::List homework;
    for (auto const& item : found->homework)
        homework.push_back(homework_view(page, item));
    data.set("homework", std::move(homework));
    auto const back = context.request.query.get("enfant");
    data.set("back_url",
        user.profile == access::Profile::Student || user.profile == access::Profile::Guardian
            ? "/cahier-de-textes/semaine?semaine=" + school_time::iso_day(seance.day)
                + (parse_id(back) != 0 ? "&enfant=" + std::to_string(parse_id(back)) : std::string())
            : std::string("/cahier-de-textes"));
    auto response = view::render(context, "lesson_book/family_seance", std::move(data),
        seance.subject_label + " – " + seance.title, view::MenuEntry::LessonBook);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

constexpr char const* NO_FILE = "Cette pièce jointe n'existe pas ou ne vous est pas accessible.";

// A file of a séance or homework, for whoever reads the item now.
ErrorOr<http::Response> serve_file(Context& context)
{
    auto const id = parse_id(context.request.parameter("id"));
    auto const& user = context.user();
    auto const now = context.now;
    auto file = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<FileOf>> {
        auto found = file_by_id(session, id);
        if (!found)
            return std::optional<FileOf>();
        if (found->homework_id != 0) {
            auto homework = homework_by_id(session, found->homework_id);
            if (!homework
                || !sees_item(session, user, homework->class_id, homework->subject_id, homework->publish_at, now))
                return std::optional<FileOf>();
        } else {
            auto seance = seance_by_id(session, found->seance_id);
            if (!seance || !sees_item(session, user, seance->class_id, seance->subject_id, seance->publish_at, now))
                return std::optional<FileOf>();
        }
        return found;
    }));
    if (!file || file->stored_name.empty() || file->stored_name.find('/') != std::string::npos
        || file->stored_name.find("..") != std::string::npos)
        return Error::not_found(NO_FILE, "lesson book file not readable");
    auto response = http::serve_file(context.request, attachment_directory(context.config()) / file->stored_name,
        http::download_type(file->name), file->name);
    if (response.status == 404)
        return Error::not_found(NO_FILE, "lesson book file missing on disk");
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

constexpr char const* NO_HOMEWORK = "Ce travail n'existe pas ou ne vous est pas accessible.";

// « Fait »: the student of the class ticks or unticks; his guardians and
// the teachers see it, never change it.
ErrorOr<http::Response> tick_homework(Context& context)
{
    auto const id = parse_id(context.request.parameter("id"));
    auto const& user = context.user();
    auto const now = context.now;
    bool const done = context.request.form.get("fait") != "0";
    enum class Outcome { Missing, Refused, Done };
    auto const outcome = TRY(context.database().write([&](soci::session& session) -> ErrorOr<Outcome> {
        auto homework = homework_by_id(session, id);
        if (!homework || !sees_item(session, user, homework->class_id, homework->subject_id, homework->publish_at, now))
            return Outcome::Missing;
        auto const facts = facts_of(session, user, homework->class_id, homework->subject_id);
        if (!facts.student || homework->publish_at > now)
            return Outcome::Refused;
        session << "DELETE FROM lesson_book_done WHERE homework_id = :homework AND student_id = :student",
            soci::use(id), soci::use(user.id);
        if (done)
            session << "INSERT INTO lesson_book_done (homework_id, student_id, done_at) VALUES (:homework, :student, "
                       ":now)",
                soci::use(id), soci::use(user.id), soci::use(now);
        return Outcome::Done;
    }));
    if (outcome == Outcome::Missing)
        return Error::not_found(NO_HOMEWORK, "homework not readable");
    if (outcome == Outcome::Refused)
        return Error::forbidden("Seul l'élève de la classe peut cocher « Fait » pour ce travail.", "not the student");
    return http::Response::redirect(
        return_path(context.request.form.get("retour"), "/cahier-de-textes") + "#travail-" + std::to_string(id));
}

// Personal notes.
struct NoteForm {
    std::string day;
    std::string subject;
    std::string text;
};

http::Response render_note_form(
    Context& context, NoteForm const& form, long long note_id, std::vector<std::string> const& errors)
{
    view::Data data;
    data.set("day", form.day);
    data.set("subject", form.subject);
    data.set("text", form.text);
    data.set("editing", note_id != 0);
    data.set("action",
        note_id != 0 ? "/cahier-de-textes/notes/" + std::to_string(note_id) : std::string("/cahier-de-textes/notes"));
    data.set("delete_action", "/cahier-de-textes/notes/" + std::to_string(note_id) + "/supprimer");
    view::List list;
    for (auto const& error : errors)
        list.push_back(view::Data(error));
    data.set("has_errors", !errors.empty());
    data.set("errors", std::move(list));
    auto response = view::render(context, "lesson_book/family_note", std::move(data),
        note_id != 0 ? "Modifier une note personnelle" : "Ajouter une note personnelle", view::MenuEntry::LessonBook,
        errors.empty() ? 200 : 422);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

constexpr char const* ONLY_STUDENT = "Seul un élève peut écrire des notes personnelles dans son agenda.";
constexpr char const* NO_NOTE = "Cette note n'existe pas ou ne vous est pas accessible.";
constexpr char const* GUARDIAN_READS
    = "Vous pouvez lire les notes personnelles de votre enfant, mais seul votre enfant peut les modifier.";

ErrorOr<http::Response> new_note(Context& context)
{
    if (context.user().profile != access::Profile::Student)
        return Error::forbidden(ONLY_STUDENT, "not a student");
    NoteForm form;
    auto const day = day_parameter(context.request.query.get("jour"), today_of(context));
    form.day = school_time::iso_day(day.is_error() ? today_of(context) : day.value());
    return render_note_form(context, form, 0, {});
}

// The form's values, checked: the errors in French.
std::vector<std::string> check_note(NoteForm const& form, long long today, long long& day)
{
    std::vector<std::string> errors;
    auto const parsed = school_time::parse_day(form.day);
    if (!parsed)
        errors.emplace_back("Indiquez le jour de la note (par exemple 2026-12-01).");
    else if (*parsed < today - LONGEST_PERIOD_DAYS || *parsed > today + LONGEST_PERIOD_DAYS)
        errors.emplace_back("Le jour doit être dans l'année scolaire (moins d'un an avant ou après aujourd'hui).");
    else
        day = *parsed;
    if (form.subject.size() > NOTE_SUBJECT_MAX)
        errors.emplace_back("La matière ne doit pas dépasser 100 caractères.");
    if (form.text.empty())
        errors.emplace_back("Écrivez le texte de la note.");
    else if (form.text.size() > NOTE_TEXT_MAX)
        errors.emplace_back("Le texte de la note ne doit pas dépasser 2000 caractères.");
    return errors;
}

NoteForm note_form_of(http::FormFields const& fields)
{
    return { std::string(trim_text(fields.get("jour"))), std::string(trim_text(fields.get("matiere"))),
        std::string(trim_text(fields.get("texte"))) };
}

std::string note_return(long long day, long long note_id)
{
    return "/cahier-de-textes?du=" + school_time::iso_day(day) + "#note-" + std::to_string(note_id);
}

ErrorOr<http::Response> create_note(Context& context)
{
    auto const& user = context.user();
    if (user.profile != access::Profile::Student)
        return Error::forbidden(ONLY_STUDENT, "not a student");
    auto const form = note_form_of(context.request.form);
    long long day = 0;
    auto const errors = check_note(form, today_of(context), day);
    if (!errors.empty())
        return render_note_form(context, form, 0, errors);
    auto const now = context.now;
    auto const id = TRY(context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        long long made = 0;
        session << "INSERT INTO lesson_book_personal (student_id, day, subject, text, done, created_at, updated_at) "
                   "VALUES (:student, :day, :subject, :text, 0, :created, :updated) RETURNING id",
            soci::use(user.id), soci::use(day), soci::use(form.subject), soci::use(form.text), soci::use(now),
            soci::use(now), soci::into(made);
        return made;
    }));
    return http::Response::redirect(note_return(day, id));
}

enum class NoteAccess { Missing, ReadOnly, Own };

// The note of the path, and what the person may do with it.
ErrorOr<std::pair<NoteAccess, PersonalNote>> note_of_path(Context& context)
{
    auto const id = parse_id(context.request.parameter("id"));
    auto const& user = context.user();
    return context.database().read([&](soci::session& session) -> ErrorOr<std::pair<NoteAccess, PersonalNote>> {
        auto note = personal_note_by_id(session, id);
        if (!note)
            return std::pair { NoteAccess::Missing, PersonalNote {} };
        if (note->student_id == user.id && user.profile == access::Profile::Student)
            return std::pair { NoteAccess::Own, *note };
        if (user.profile == access::Profile::Guardian && is_guardian_of(session, user.id, note->student_id))
            return std::pair { NoteAccess::ReadOnly, *note };
        return std::pair { NoteAccess::Missing, PersonalNote {} };
    });
}

ErrorOr<PersonalNote> own_note(Context& context)
{
    auto const found = TRY(note_of_path(context));
    if (found.first == NoteAccess::Missing)
        return Error::not_found(NO_NOTE, "note not readable");
    if (found.first == NoteAccess::ReadOnly)
        return Error::forbidden(GUARDIAN_READS, "guardian writing a note");
    return found.second;
}

ErrorOr<http::Response> edit_note(Context& context)
{
    auto const note = TRY(own_note(context));
    return render_note_form(context, { school_time::iso_day(note.day), note.subject, note.text }, note.id, {});
}

ErrorOr<http::Response> update_note(Context& context)
{
    auto const note = TRY(own_note(context));
    auto const form = note_form_of(context.request.form);
    long long day = 0;
    auto const errors = check_note(form, today_of(context), day);
    if (!errors.empty())
        return render_note_form(context, form, note.id, errors);
    auto const now = context.now;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "UPDATE lesson_book_personal SET day = :day, subject = :subject, text = :text, updated_at = :now "
                   "WHERE id = :id AND student_id = :student",
            soci::use(day), soci::use(form.subject), soci::use(form.text), soci::use(now), soci::use(note.id),
            soci::use(note.student_id);
        return true;
    }));
    return http::Response::redirect(note_return(day, note.id));
}

ErrorOr<http::Response> delete_note(Context& context)
{
    auto const note = TRY(own_note(context));
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "DELETE FROM lesson_book_personal WHERE id = :id AND student_id = :student", soci::use(note.id),
            soci::use(note.student_id);
        return true;
    }));
    return http::Response::redirect("/cahier-de-textes?du=" + school_time::iso_day(note.day) + "&supprime=1");
}

ErrorOr<http::Response> tick_note(Context& context)
{
    auto const note = TRY(own_note(context));
    long long const done = context.request.form.get("fait") != "0" ? 1 : 0;
    auto const now = context.now;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "UPDATE lesson_book_personal SET done = :done, updated_at = :now WHERE id = :id AND student_id = "
                   ":student",
            soci::use(done), soci::use(now), soci::use(note.id), soci::use(note.student_id);
        return true;
    }));
    return http::Response::redirect(
        return_path(context.request.form.get("retour"), "/cahier-de-textes?du=" + school_time::iso_day(note.day))
        + "#note-" + std::to_string(note.id));
}

} // namespace

// The Accueil's « Travail à faire »: the next days' homework of the
// subject (the student, or the guardian's chosen child, checked again).
// A structure without any séance or homework has not set its lesson book
// up: not_found tells the portal to say so.
namespace {

// Whether the structure's lesson book holds anything yet (otherwise the
// Accueil shows the guide's sentence of a service not yet set up); once it
// does, that is kept a minute.
ErrorOr<bool> structure_has_book(Context& context, long long structure_id)
{
    auto const key = "lesson_book.any:" + std::to_string(structure_id);
    if (context.services.personal_results.find(key, context.now))
        return true;
    auto const any = TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        long long found = 0;
        session << "SELECT CASE WHEN EXISTS (SELECT 1 FROM lesson_book_homework WHERE structure_id = :homework) OR "
                   "EXISTS (SELECT 1 FROM lesson_book_session WHERE structure_id = :seance) THEN 1 ELSE 0 END",
            soci::use(structure_id), soci::use(structure_id), soci::into(found);
        return found != 0;
    }));
    if (any)
        context.services.personal_results.store(key, std::make_shared<bool const>(true), context.now);
    return any;
}

} // namespace

ErrorOr<std::vector<HomeItem>> home_homework(Context& context, identity::User const& subject)
{
    auto const& user = context.user();
    auto const today = today_of(context);
    bool const guardian = user.id != subject.id;
    if (!TRY(structure_has_book(context, user.structure_id)))
        return Error::not_found("Le cahier de textes n'a pas été initialisé.", "no lesson book data");
    if (subject.profile != access::Profile::Student)
        return std::vector<HomeItem> {};
    if (guardian) {
        auto const children = TRY(context.services.children_of(user.id, context.now));
        if (std::none_of(children.begin(), children.end(), [&](auto const& child) { return child.id == subject.id; }))
            return std::vector<HomeItem> {};
    }
    // Only the homework and its ticks: the Accueil shows nothing else of the book.
    auto const parts = TRY(book_parts(context, subject, Window { today, today + HOME_DAYS, false, true, false }));
    auto const done = [&](long long id) { return std::binary_search(parts.done().begin(), parts.done().end(), id); };
    std::vector<HomeItem> items;
    auto const query = guardian ? "&enfant=" + std::to_string(subject.id) : std::string();
    for (auto const& [found, excerpt] : parts.homework()) {
        if (items.size() == HOME_ITEMS)
            break;
        auto const& homework = *found;
        HomeItem item;
        item.title = homework.subject_label;
        item.meta = due_label(homework.due_day, today) + " – " + homework.subject_label;
        if (done(homework.id))
            item.meta += " – Fait ✓";
        item.text = *excerpt;
        item.url = "/cahier-de-textes?du=" + school_time::iso_day(homework.due_day) + query + "#travail-"
            + std::to_string(homework.id);
        items.push_back(std::move(item));
    }
    return items;
}

// « Mes données »: a student's personal notes and the homework he ticked.
ErrorOr<PersonalData> export_personal(Context& context, identity::User const& person)
{
    return context.database().read([&](soci::session& session) -> ErrorOr<PersonalData> {
        boost::json::array notes;
        for (auto const& note : personal_notes(session, person.id, std::numeric_limits<long long>::min() / 2,
                 std::numeric_limits<long long>::max() / 2)) {
            boost::json::object entry;
            entry["jour"] = school_time::iso_day(note.day);
            entry["matiere"] = note.subject;
            entry["texte"] = note.text;
            entry["fait"] = note.done;
            notes.push_back(std::move(entry));
        }
        boost::json::array done;
        long long homework = 0;
        long long at = 0;
        soci::statement rows = (session.prepare << "SELECT homework_id, done_at FROM lesson_book_done WHERE student_id "
                                                   "= :student ORDER BY done_at",
            soci::use(person.id), soci::into(homework), soci::into(at));
        rows.execute();
        while (rows.fetch()) {
            boost::json::object entry;
            entry["travail"] = homework;
            entry["fait_le"] = at;
            done.push_back(std::move(entry));
        }
        boost::json::object body;
        body["notes_personnelles"] = std::move(notes);
        body["travail_fait"] = std::move(done);
        return PersonalData { boost::json::serialize(body), {} };
    });
}

} // namespace family

ErrorOr<void> declare_family_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ family::OWN, access::Scope::SignedIn, {}, access::Risk::Write,
        "Cocher « Fait » et tenir ses notes personnelles dans le cahier de textes (élèves)" }));
    TRY(registry.declare({ family::FEED, access::Scope::Public, {}, access::Risk::Read,
        "Suivre son cahier de textes depuis une application d'agenda, par son lien privé (le jeton du lien tient lieu "
        "de connexion)" }));
    return registry.declare({ family::API, access::Scope::SignedIn, {}, access::Risk::Read,
        "API : lire le cahier de textes (le sien ou celui de ses enfants)" });
}

std::vector<http::Route> family_routes()
{
    using http::Method;
    using namespace family;
    std::vector<http::Route> routes {
        { Method::Get, "/cahier-de-textes", READ, show_due },
        { Method::Get, "/cahier-de-textes/matieres", READ, show_subjects },
        { Method::Get, "/cahier-de-textes/semaine", READ, show_week },
        { Method::Get, "/cahier-de-textes/seances/{id}", READ, show_seance },
        { Method::Get, "/cahier-de-textes/pieces-jointes/{id}", READ, serve_file },
        { Method::Post, "/cahier-de-textes/travail/{id}/fait", OWN, tick_homework },
        { Method::Get, "/cahier-de-textes/notes/nouvelle", OWN, new_note },
        { Method::Post, "/cahier-de-textes/notes", OWN, create_note },
        { Method::Get, "/cahier-de-textes/notes/{id}/modifier", OWN, edit_note },
        { Method::Post, "/cahier-de-textes/notes/{id}", OWN, update_note },
        { Method::Post, "/cahier-de-textes/notes/{id}/supprimer", OWN, delete_note },
        { Method::Post, "/cahier-de-textes/notes/{id}/fait", OWN, tick_note },
    };
    for (auto* part : { &print_routes, &feed_routes, &api_routes }) {
        for (auto& route : (*part)())
            routes.push_back(std::move(route));
    }
    return routes;
}

ErrorOr<void> start_family(Services& services)
{
    services.home_block_sources[HomeBlock::Homework] = family::home_homework;
    services.personal_data_exporters.emplace_back("cahier de textes", family::export_personal);
    return {};
}

} // namespace cartable::lesson_book
