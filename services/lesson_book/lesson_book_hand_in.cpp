// SPDX-License-Identifier: AGPL-3.0-or-later
// « Rendu en ligne »: a student hands in his copy of a homework that asks
// for it; he and his guardians see it, the teacher of the subject and the
// direction read every copy of the class; nobody else.
#include "core/context.h"
#include "core/http/static_files.h"
#include "core/i18n/format.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "core/view/view.h"
#include "services/lesson_book/lesson_book_internal.h"
#include "services/lesson_book/lesson_book_teacher_files.h"

namespace cartable::lesson_book {

namespace {

constexpr char const* NO_HOMEWORK = "Ce travail n'existe pas ou ne vous est pas accessible.";
constexpr char const* NO_COPY = "Cette copie n'existe pas ou ne vous est pas accessible.";

struct Copy {
    long long id { 0 };
    long long student_id { 0 };
    std::string student_name;
    std::string name;
    std::string stored_name;
    long long size { 0 };
    long long handed_at { 0 };
};

std::vector<Copy> copies_of(soci::session& session, long long homework_id, long long student_id)
{
    std::vector<Copy> copies;
    std::string sql = "SELECT h.id, h.student_id, u.first_name, u.last_name, h.name, h.stored_name, h.size, "
                      "h.handed_at FROM lesson_book_hand_in h JOIN identity_user u ON u.id = h.student_id WHERE "
                      "h.homework_id = :homework";
    if (student_id != 0)
        sql += " AND h.student_id = :student";
    sql += " ORDER BY u.last_name, u.first_name, h.handed_at";
    soci::rowset<soci::row> rows = student_id != 0
        ? (session.prepare << sql, soci::use(homework_id), soci::use(student_id))
        : (session.prepare << sql, soci::use(homework_id));
    for (auto const& row : rows) {
        Copy copy;
        copy.id = integer_at(row, 0);
        copy.student_id = integer_at(row, 1);
        copy.student_name = row.get<std::string>(2) + " " + row.get<std::string>(3);
        copy.name = row.get<std::string>(4);
        copy.stored_name = row.get<std::string>(5);
        copy.size = integer_at(row, 6);
        copy.handed_at = integer_at(row, 7);
        copies.push_back(std::move(copy));
    }
    return copies;
}

bool is_guardian_of(soci::session& session, long long guardian_id, long long student_id)
{
    long long links = 0;
    session << "SELECT COUNT(*) FROM identity_guardian_link WHERE guardian_id = :guardian AND student_id = :student",
        soci::into(links), soci::use(guardian_id), soci::use(student_id);
    return links != 0;
}

// Whose copies a person sees for a homework: all (0) for the teacher of the
// subject and the direction, his own for a student of the class, the
// chosen child's for a guardian; nothing (-1) otherwise.
long long copies_seen_by(
    soci::session& session, identity::User const& person, Homework const& homework, long long child_id, long long now)
{
    auto const facts = facts_of(session, person, homework.class_id, homework.subject_id);
    auto const right = right_from(facts);
    if (!homework.hand_in_online || !may_read(right) || (homework.publish_at > now && !sees_planned(right)))
        return -1;
    if (right == Right::Write || right == Right::ReadAll)
        return 0;
    if (facts.student)
        return person.id;
    if (facts.guardian && child_id != 0 && is_guardian_of(session, person.id, child_id)) {
        long long member = 0;
        session << "SELECT COUNT(*) FROM identity_class_member WHERE class_id = :class AND user_id = :student",
            soci::into(member), soci::use(homework.class_id), soci::use(child_id);
        return member != 0 ? child_id : -1;
    }
    return -1;
}

struct Page {
    Homework homework;
    std::vector<Copy> copies;
    bool may_hand_in { false };
    bool all { false };
};

http::Response render_page(Context& context, Page const& page, std::string const& error, long long child_id)
{
    view::Data data;
    data.set("id", std::to_string(page.homework.id));
    data.set("subject", page.homework.subject_label);
    data.set("class_name", page.homework.class_name);
    data.set("due", "Pour le " + school_time::long_day(page.homework.due_day));
    data.set("description_html", page.homework.description);
    data.set("may_hand_in", page.may_hand_in);
    data.set("all", page.all);
    data.set("error", error);
    data.set("child_query", child_id != 0 ? "?enfant=" + std::to_string(child_id) : std::string());
    view::List copies;
    auto const due_end = school_time::unix_from_local((page.homework.due_day + 1) * school_time::MINUTES_PER_DAY);
    for (auto const& copy : page.copies) {
        view::Data entry;
        entry.set("student", copy.student_name);
        entry.set("name", copy.name);
        entry.set("url", "/cahier-de-textes/copies/" + std::to_string(copy.id));
        entry.set("size", i18n::format_size(static_cast<std::uint64_t>(copy.size)));
        entry.set("when", i18n::format_long_datetime(static_cast<std::time_t>(copy.handed_at)));
        entry.set("late", copy.handed_at >= due_end);
        copies.push_back(std::move(entry));
    }
    data.set("has_copies", !page.copies.empty());
    data.set("count", std::to_string(page.copies.size()));
    data.set("copies", std::move(copies));
    auto response = view::render(context, "lesson_book/hand_in", std::move(data),
        "Rendu en ligne – " + page.homework.subject_label, view::MenuEntry::LessonBook, error.empty() ? 200 : 422);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

ErrorOr<std::optional<Page>> read_page(Context& context, long long homework_id, long long child_id)
{
    auto const& person = context.user();
    auto const now = context.now;
    return context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Page>> {
        auto homework = homework_by_id(session, homework_id);
        if (!homework)
            return std::optional<Page>();
        auto const whose = copies_seen_by(session, person, *homework, child_id, now);
        if (whose < 0)
            return std::optional<Page>();
        Page page;
        page.homework = std::move(*homework);
        page.all = whose == 0;
        page.may_hand_in = whose == person.id && person.profile == access::Profile::Student;
        page.copies = copies_of(session, homework_id, whose);
        return std::optional<Page>(std::move(page));
    });
}

long long child_parameter(Context& context)
{
    return parse_id(context.request.query.get("enfant"));
}

// GET /cahier-de-textes/travail/{id}/rendu
ErrorOr<http::Response> show_hand_in(Context& context)
{
    auto const child_id = child_parameter(context);
    auto page = TRY(read_page(context, parse_id(context.request.parameter("id")), child_id));
    if (!page)
        return Error::not_found(NO_HOMEWORK, "hand-in not readable");
    return render_page(context, *page, {}, child_id);
}

// POST /cahier-de-textes/travail/{id}/rendu: the student's copy (field « copie »).
ErrorOr<http::Response> hand_in(Context& context)
{
    auto const id = parse_id(context.request.parameter("id"));
    auto const& person = context.user();
    // Those who read the homework but may not hand in are told so (403); the others learn nothing (404).
    auto const readable = TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        auto const homework = homework_by_id(session, id);
        if (!homework)
            return false;
        auto const right = right_of(session, person, homework->class_id, homework->subject_id);
        return may_read(right) && (homework->publish_at <= context.now || sees_planned(right));
    }));
    if (!readable)
        return Error::not_found(NO_HOMEWORK, "hand-in not readable");
    auto page = TRY(read_page(context, id, 0));
    if (!page || !page->may_hand_in)
        return Error::forbidden(
            "Seul l'élève de la classe rend sa copie, et seulement pour un travail à rendre en ligne.",
            "not the student");
    auto const files = context.request.files_named("copie");
    std::string error;
    if (files.size() != 1)
        error = "Choisissez le fichier de votre copie (un seul fichier, non vide).";
    else if (static_cast<long long>(files.front()->size) > MAX_ATTACHMENT_BYTES)
        error = "Votre copie dépasse 10 Mo : elle n'est pas rendue.";
    if (!error.empty())
        return render_page(context, *page, error, 0);
    auto const kept = TRY(keep_files(context.config(), files));
    auto const& file = kept.front();
    auto const student = context.user().id;
    auto const now = context.now;
    auto written = context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "INSERT INTO lesson_book_hand_in (homework_id, student_id, name, stored_name, size, content_type, "
                   "handed_at) VALUES (:homework, :student, :name, :stored, :size, :type, :now)",
            soci::use(id), soci::use(student), soci::use(file.name), soci::use(file.stored_name), soci::use(file.size),
            soci::use(file.content_type), soci::use(now);
        return true;
    });
    if (written.is_error()) {
        std::error_code ignored;
        std::filesystem::remove(attachment_directory(context.config()) / file.stored_name, ignored);
        return written.error();
    }
    return http::Response::redirect("/cahier-de-textes/travail/" + std::to_string(id) + "/rendu");
}

// GET /cahier-de-textes/copies/{id}: to the student, his guardians, the
// teacher of the subject and the direction.
ErrorOr<http::Response> serve_copy(Context& context)
{
    auto const id = parse_id(context.request.parameter("id"));
    auto const& person = context.user();
    auto const now = context.now;
    auto const found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Copy>> {
        long long homework_id = 0;
        Copy copy;
        session << "SELECT homework_id, student_id, name, stored_name FROM lesson_book_hand_in WHERE id = :id",
            soci::into(homework_id), soci::into(copy.student_id), soci::into(copy.name), soci::into(copy.stored_name),
            soci::use(id);
        if (!session.got_data())
            return std::optional<Copy>();
        auto const homework = homework_by_id(session, homework_id);
        if (!homework)
            return std::optional<Copy>();
        auto const whose = copies_seen_by(session, person, *homework, copy.student_id, now);
        if (whose != 0 && whose != copy.student_id)
            return std::optional<Copy>();
        return std::optional<Copy>(copy);
    }));
    if (!found || found->stored_name.find_first_of("/\\.") != std::string::npos)
        return Error::not_found(NO_COPY, "copy not readable");
    auto response = http::serve_file(context.request, attachment_directory(context.config()) / found->stored_name,
        "application/octet-stream", found->name);
    if (response.status == 404)
        return Error::not_found(NO_COPY, "copy missing on disk");
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

} // namespace

std::vector<http::Route> hand_in_routes()
{
    using http::Method;
    return {
        { Method::Get, "/cahier-de-textes/travail/{id}/rendu", READ, show_hand_in },
        { Method::Post, "/cahier-de-textes/travail/{id}/rendu", READ, hand_in },
        { Method::Get, "/cahier-de-textes/copies/{id}", READ, serve_copy },
    };
}

} // namespace cartable::lesson_book
