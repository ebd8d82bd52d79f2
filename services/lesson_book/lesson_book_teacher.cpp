// SPDX-License-Identifier: AGPL-3.0-or-later
// The teachers' side of the lesson book: the week of lessons, each with its
// séance entered or to enter, the séance form (prefilled from the
// timetable: the second click is « Enregistrer ») with its « Travail à
// faire », homework on its own, copies to the teacher's other classes.
#include "core/html/rich_text.h"
#include "core/identity/identity_store.h"
#include "core/log.h"
#include "core/notify/delivery.h"
#include "core/text.h"
#include "core/validate.h"
#include "services/lesson_book/lesson_book.h"
#include "services/lesson_book/lesson_book_family_internal.h"
#include "services/lesson_book/lesson_book_teacher_files.h"
#include "services/lesson_book/lesson_book_teacher_pages.h"
#include "services/timetable/timetable.h"
#include <algorithm>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <ctime>
#include <mutex>

namespace cartable::lesson_book {

namespace {

using school_time::MINUTES_PER_DAY;
constexpr std::size_t TITLE_MAX = 200;
constexpr std::size_t CONTENT_MAX = 20000;
constexpr std::size_t LINK_MAX = 500;
constexpr std::size_t LINKS_MAX = 20;
constexpr long long MINUTES_MAX = 600;

struct Teaching {
    long long class_id { 0 };
    std::string class_name;
    long long subject_id { 0 };
    std::string subject_label;
    std::string code() const { return std::to_string(class_id) + ":" + std::to_string(subject_id); }
};

std::vector<Teaching> teachings_of(soci::session& session, long long teacher_id)
{
    std::vector<Teaching> list;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT t.class_id, c.name, t.subject_id, s.label FROM identity_teaching t JOIN "
                              "identity_class c ON c.id = t.class_id JOIN identity_subject s ON s.id = t.subject_id "
                              "WHERE t.teacher_id = :teacher ORDER BY c.name, s.label",
            soci::use(teacher_id));
    for (auto const& row : rows)
        list.push_back({ integer_at(row, 0), row.get<std::string>(1), integer_at(row, 2), row.get<std::string>(3) });
    return list;
}

std::string seance_path(long long id)
{
    return std::string(TEACHER_BASE) + "/seances/" + std::to_string(id);
}
std::string homework_path(long long id)
{
    return std::string(TEACHER_BASE) + "/travail/" + std::to_string(id);
}
std::string week_path(long long monday)
{
    return std::string(TEACHER_BASE) + "?semaine=" + school_time::iso_day(monday);
}

// What a form holds, as typed: shown again with the error.
struct Form {
    std::string course; // « 12:3 »: class and subject
    std::string day;
    std::string start;
    std::string end;
    std::string slot;
    std::string title;
    std::string content; // as typed (HTML from the editor, or plain text)
    bool content_html { false };
    std::string links;
    std::string publish_day;
    std::string publish_time;
    std::string given_day; // homework on its own
    std::string due_day;
    std::string description;
    std::string minutes;
    bool online { false };
};

Form form_of(http::FormFields const& fields)
{
    Form form;
    auto field = [&](char const* name) { return std::string(trim_text(fields.get(name))); };
    form.course = field("cours");
    form.day = field("date");
    form.start = field("debut");
    form.end = field("fin");
    form.slot = field("creneau");
    form.title = field("titre");
    form.content = fields.get("contenu");
    form.content_html = fields.get("format") == "html";
    form.links = field("liens");
    form.publish_day = field("publier_date");
    form.publish_time = field("publier_heure");
    form.given_day = field("donne_le");
    form.due_day = field("pour_le");
    form.description = field("travail");
    form.minutes = field("duree");
    form.online = fields.get("rendu_en_ligne") == "1";
    return form;
}

// One address per line, http or https only.
ErrorOr<std::string> checked_links(std::string const& typed)
{
    std::string links;
    std::size_t count = 0;
    std::size_t start = 0;
    while (start <= typed.size()) {
        auto end = typed.find('\n', start);
        if (end == std::string::npos)
            end = typed.size();
        auto line = std::string(trim_text(std::string_view(typed).substr(start, end - start)));
        start = end + 1;
        if (line.empty())
            continue;
        auto lower = line;
        std::transform(lower.begin(), lower.end(), lower.begin(),
            [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        bool const web
            = (lower.starts_with("https://") && line.size() > 8) || (lower.starts_with("http://") && line.size() > 7);
        if (!web || validate::has_control_characters(line) || line.find_first_of(" \"'<>`") != std::string::npos)
            return Error::invalid("Le lien « " + line.substr(0, 80)
                + " » n'est pas une adresse web : indiquez une adresse commençant par http:// ou https://, une par "
                  "ligne.");
        if (line.size() > LINK_MAX)
            return Error::invalid("Un lien ne doit pas dépasser 500 caractères.");
        if (++count > LINKS_MAX)
            return Error::invalid("Une séance ne peut pas avoir plus de 20 liens.");
        if (!links.empty())
            links += '\n';
        links += line;
    }
    return links;
}

ErrorOr<long long> publish_time_of(Form const& form, long long now)
{
    if (form.publish_day.empty())
        return now;
    auto const day = school_time::parse_day(form.publish_day);
    if (!day)
        return Error::invalid("La date de publication n'est pas une date valide (jj/mm/aaaa).");
    auto const minute
        = form.publish_time.empty() ? std::optional<long long>(0) : school_time::parse_clock(form.publish_time);
    if (!minute)
        return Error::invalid("L'heure de publication n'est pas valide (hh:mm).");
    return school_time::unix_from_local(*day * MINUTES_PER_DAY + *minute);
}

ErrorOr<Teaching> teaching_of(std::vector<Teaching> const& teachings, std::string const& code)
{
    for (auto const& teaching : teachings) {
        if (teaching.code() == code)
            return teaching;
    }
    if (code.empty())
        return Error::invalid("Choisissez la classe et la matière.");
    return Error::forbidden("Vous n'enseignez pas cette matière dans cette classe : vous ne pouvez pas écrire dans son "
                            "cahier de textes.",
        "lesson book of a class or subject not taught");
}

// The homework part of a form (« Travail à faire »), when a description
// is given; `given_day` is the séance's day or the one typed.
ErrorOr<std::optional<store::HomeworkInput>> homework_of(Form const& form, long long given_day, bool required)
{
    if (form.description.empty()) {
        if (required)
            return Error::invalid("Décrivez le travail à faire.");
        return std::optional<store::HomeworkInput>();
    }
    if (validate::character_count(form.description) > CONTENT_MAX)
        return Error::invalid("Le travail à faire ne doit pas dépasser 20 000 caractères.");
    store::HomeworkInput input;
    input.given_day = given_day;
    auto const due = school_time::parse_day(form.due_day);
    if (!due)
        return Error::invalid("Indiquez pour quand le travail est à faire (« Pour le », jj/mm/aaaa).");
    if (*due < given_day)
        return Error::invalid("La date « Pour le » ne peut pas être avant le jour où le travail est donné.");
    if (*due > given_day + 366)
        return Error::invalid("La date « Pour le » doit tomber dans l'année qui vient.");
    input.due_day = *due;
    input.description = html::from_plain_text(form.description);
    if (!form.minutes.empty()) {
        long long minutes = -1;
        auto [end, error] = std::from_chars(form.minutes.data(), form.minutes.data() + form.minutes.size(), minutes);
        if (error != std::errc() || end != form.minutes.data() + form.minutes.size() || minutes < 0
            || minutes > MINUTES_MAX)
            return Error::invalid("La durée estimée est un nombre de minutes entre 0 et 600.");
        input.estimated_minutes = minutes;
    }
    input.hand_in_online = form.online;
    return std::optional<store::HomeworkInput>(input);
}

struct Parsed {
    store::SeanceInput seance;
    std::optional<store::HomeworkInput> homework;
};

// The séance a form describes, or the French reason it is not one.
ErrorOr<Parsed> seance_of(Form const& form, std::vector<Teaching> const& teachings, long long now)
{
    Parsed parsed;
    auto& seance = parsed.seance;
    if (form.title.empty())
        return Error::invalid("Indiquez le titre de la séance.");
    if (validate::character_count(form.title) > TITLE_MAX)
        return Error::invalid("Le titre ne doit pas dépasser 200 caractères.");
    if (validate::has_control_characters(form.title))
        return Error::invalid("Le titre contient des caractères invisibles : retapez-le.");
    if (validate::character_count(form.content) > CONTENT_MAX)
        return Error::invalid("Le contenu ne doit pas dépasser 20 000 caractères.");
    auto const day = school_time::parse_day(form.day);
    if (!day)
        return Error::invalid("Indiquez la date de la séance (jj/mm/aaaa).");
    seance.day = *day;
    if (!form.start.empty()) {
        auto const start = school_time::parse_clock(form.start);
        auto const end = form.end.empty() ? start : school_time::parse_clock(form.end);
        if (!start || !end)
            return Error::invalid("Les heures de la séance ne sont pas valides (hh:mm).");
        if (*end < *start)
            return Error::invalid("La séance finit avant de commencer.");
        seance.start_minute = *start;
        seance.end_minute = *end;
    }
    seance.slot_id = parse_id(form.slot);
    seance.title = form.title;
    seance.content = form.content_html ? html::sanitize(form.content) : html::from_plain_text(form.content);
    seance.links = TRY(checked_links(form.links));
    seance.publish_at = TRY(publish_time_of(form, now));
    auto const teaching = TRY(teaching_of(teachings, form.course));
    seance.class_id = teaching.class_id;
    seance.subject_id = teaching.subject_id;
    parsed.homework = TRY(homework_of(form, seance.day, false));
    if (parsed.homework) {
        parsed.homework->class_id = seance.class_id;
        parsed.homework->subject_id = seance.subject_id;
        parsed.homework->publish_at = seance.publish_at;
    }
    return parsed;
}

// The next lesson of that subject for the class after `day` (the default
// « Pour le »), or a week later without a timetable.
long long next_lesson_day(soci::session& session, long long class_id, long long subject_id, long long day)
{
    for (auto const& lesson : timetable::lessons_of_classes(session, { class_id }, day + 1, day + 29)) {
        if (lesson.subject_id == subject_id && lesson.status != timetable::LessonStatus::Cancelled)
            return lesson.day;
    }
    return day + 7;
}

store::Writer writer_of(Context& context)
{
    return { context.user().structure_id, context.user().id, context.now, context.public_url() };
}

std::string published_label(long long publish_at, long long now)
{
    if (publish_at <= now)
        return {};
    auto const local = school_time::local_from_unix(publish_at);
    return "Publication prévue le " + short_day(school_time::floor_div(local, MINUTES_PER_DAY)) + " à "
        + school_time::clock(local);
}

// The load of the due day shown under « Pour le ».
std::string due_day_load(soci::session& session, Form const& form, long long now, long long except_id,
    std::vector<Teaching> const& teachings)
{
    auto const due = school_time::parse_day(form.due_day);
    auto const teaching = teaching_of(teachings, form.course);
    if (!due || teaching.is_error())
        return {};
    return load_of_day(homework_due(session, { teaching.value().class_id }, *due, *due + 1, now, false), except_id);
}

enum class FormKind { Seance, Homework };

ErrorOr<http::Response> render_form(
    Context& context, FormKind kind, Form const& form, long long id, std::string const& error)
{
    auto const teacher = context.user().id;
    auto const now = context.now;
    view::Data data;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        auto const teachings = teachings_of(session, teacher);
        view::List courses;
        for (auto const& teaching : teachings) {
            view::Data course;
            course.set("value", teaching.code());
            course.set("label", teaching.class_name + " – " + teaching.subject_label);
            course.set("selected", teaching.code() == form.course);
            courses.push_back(std::move(course));
        }
        data.set("courses", std::move(courses));
        data.set("load", due_day_load(session, form, now, kind == FormKind::Homework ? id : 0, teachings));
        if (id != 0) {
            auto const current
                = kind == FormKind::Seance ? attachments_of(session, id, 0) : attachments_of(session, 0, id);
            data.set("has_current_attachments", !current.empty());
            data.set("current_attachments", attachment_list(current));
        }
        return true;
    }));
    bool const seance = kind == FormKind::Seance;
    data.set("seance", seance);
    data.set("editing", id != 0);
    data.set("action",
        id != 0 ? (seance ? seance_path(id) : homework_path(id))
                : std::string(TEACHER_BASE) + (seance ? "/seances" : "/travail"));
    data.set(
        "cancel_url", id != 0 ? (seance ? seance_path(id) : std::string(TEACHER_BASE)) : std::string(TEACHER_BASE));
    data.set("error", error);
    data.set("day", form.day);
    data.set("start", form.start);
    data.set("end", form.end);
    data.set("slot", form.slot);
    data.set("title", form.title);
    // The editor starts from the HTML; without JavaScript the textarea holds text.
    auto const content_html = form.content_html ? html::sanitize(form.content) : html::from_plain_text(form.content);
    data.set("content_html", content_html);
    data.set("content", form.content_html ? html::plain_text(content_html) : form.content);
    data.set("links", form.links);
    data.set("publish_day", form.publish_day);
    data.set("publish_time", form.publish_time);
    data.set("given_day", form.given_day);
    data.set("due_day", form.due_day);
    data.set("description", form.description);
    data.set("minutes", form.minutes);
    data.set("online", form.online);
    auto const title = seance ? (id != 0 ? "Modifier la séance" : "Saisir la séance")
                              : (id != 0 ? "Modifier le travail à faire" : "Nouveau travail à faire");
    data.set("heading", title);
    return view::render(context, "lesson_book/teacher_form", std::move(data), title, view::MenuEntry::LessonBook,
        error.empty() ? 200 : 422);
}

// The teacher's week: his lessons, each with its séance entered or to enter.
ErrorOr<http::Response> show_week(Context& context)
{
    auto const monday = asked_monday(context);
    auto const teacher = context.user().id;
    auto const now = context.now;
    view::Data data;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        auto const lessons = timetable::lessons_of_teacher(session, teacher, monday, monday + 7);
        auto const teachings = teachings_of(session, teacher);
        std::vector<long long> classes;
        for (auto const& teaching : teachings) {
            if (std::find(classes.begin(), classes.end(), teaching.class_id) == classes.end())
                classes.push_back(teaching.class_id);
        }
        auto const seances = seances_between(session, classes, monday, monday + 7, now, true);
        auto const taught = [&](long long class_id, long long subject_id) {
            return std::any_of(teachings.begin(), teachings.end(),
                [&](Teaching const& t) { return t.class_id == class_id && t.subject_id == subject_id; });
        };
        std::vector<long long> matched;
        view::List days;
        for (auto day = monday; day < monday + 6; ++day) {
            view::List entries;
            for (auto const& lesson : lessons) {
                if (lesson.day != day)
                    continue;
                view::Data entry;
                entry.set(
                    "time", school_time::clock(lesson.start_minute) + " – " + school_time::clock(lesson.end_minute));
                entry.set("class_name", lesson.class_name);
                entry.set("subject", lesson.subject_label);
                entry.set("room", lesson.room);
                bool const cancelled = lesson.status == timetable::LessonStatus::Cancelled;
                bool const elsewhere
                    = lesson.status == timetable::LessonStatus::Replaced && lesson.teacher_id != teacher;
                entry.set("cancelled", cancelled);
                entry.set("replaced", elsewhere);
                auto found = std::find_if(seances.begin(), seances.end(), [&](Seance const& seance) {
                    return seance.slot_id == lesson.slot_id && seance.day == lesson.day
                        && seance.class_id == lesson.class_id;
                });
                if (found != seances.end()) {
                    matched.push_back(found->id);
                    entry.set("entered", true);
                    entry.set("seance_url", seance_path(found->id));
                    entry.set("seance_title", found->title);
                    entry.set("planned", published_label(found->publish_at, now));
                } else if (!cancelled && !elsewhere) {
                    entry.set("enter_url",
                        std::string(TEACHER_BASE) + "/seances/nouvelle?creneau=" + std::to_string(lesson.slot_id)
                            + "&jour=" + std::to_string(lesson.slot_day));
                }
                entries.push_back(std::move(entry));
            }
            for (auto const& seance : seances) {
                if (seance.day != day || std::find(matched.begin(), matched.end(), seance.id) != matched.end()
                    || !taught(seance.class_id, seance.subject_id))
                    continue;
                view::Data entry;
                entry.set("time",
                    seance.start_minute != seance.end_minute
                        ? school_time::clock(seance.start_minute) + " – " + school_time::clock(seance.end_minute)
                        : std::string("Hors emploi du temps"));
                entry.set("class_name", seance.class_name);
                entry.set("subject", seance.subject_label);
                entry.set("entered", true);
                entry.set("seance_url", seance_path(seance.id));
                entry.set("seance_title", seance.title);
                entry.set("planned", published_label(seance.publish_at, now));
                entries.push_back(std::move(entry));
            }
            view::Data group;
            group.set("label", school_time::long_day(day));
            group.set("today", day == today_of(context));
            group.set("empty", entries.empty());
            group.set("lessons", std::move(entries));
            days.push_back(std::move(group));
        }
        data.set("days", std::move(days));
        view::List loads;
        for (auto class_id : classes) {
            auto const teaching = std::find_if(
                teachings.begin(), teachings.end(), [&](Teaching const& t) { return t.class_id == class_id; });
            view::Data load;
            load.set("class_name", teaching->class_name);
            load.set("url",
                std::string(TEACHER_BASE) + "/charge?classe=" + std::to_string(class_id)
                    + "&semaine=" + school_time::iso_day(monday));
            loads.push_back(std::move(load));
        }
        data.set("loads", std::move(loads));
        data.set("has_teachings", !teachings.empty());
        return true;
    }));
    data.set("heading", "Semaine du " + school_time::long_day(monday));
    data.set("previous_url", week_path(monday - 7));
    data.set("next_url", week_path(monday + 7));
    data.set("this_week_url", std::string(TEACHER_BASE));
    data.set("new_url", std::string(TEACHER_BASE) + "/seances/nouvelle");
    data.set("new_homework_url", std::string(TEACHER_BASE) + "/travail/nouveau");
    data.set("saved", context.request.query.get("enregistre") == "1");
    data.set("deleted", context.request.query.get("supprime") == "1");
    data.set("copied", context.request.query.get("copie") == "1");
    return view::render(
        context, "lesson_book/teacher_week", std::move(data), "Cahier de textes", view::MenuEntry::LessonBook);
}

// « Saisir la séance »: the form prefilled from the lesson (?creneau=&jour=),
// or empty for a séance outside the timetable.
ErrorOr<http::Response> new_seance(Context& context)
{
    auto const slot_id = parse_id(context.request.query.get("creneau"));
    auto const slot_day = context.request.query.get("jour");
    auto const teacher = context.user().id;
    Form form;
    form.day = school_time::iso_day(today_of(context));
    if (slot_id != 0) {
        long long day_number = 0;
        std::from_chars(slot_day.data(), slot_day.data() + slot_day.size(), day_number);
        auto const found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Form>> {
            auto const lesson = timetable::lesson(session, slot_id, day_number);
            if (!lesson || lesson->teacher_id != teacher)
                return std::optional<Form>();
            Form prefilled;
            prefilled.course = std::to_string(lesson->class_id) + ":" + std::to_string(lesson->subject_id);
            prefilled.day = school_time::iso_day(lesson->day);
            prefilled.start = school_time::clock(lesson->start_minute);
            prefilled.end = school_time::clock(lesson->end_minute);
            prefilled.slot = std::to_string(lesson->slot_id);
            prefilled.due_day
                = school_time::iso_day(next_lesson_day(session, lesson->class_id, lesson->subject_id, lesson->day));
            return std::optional<Form>(prefilled);
        }));
        if (!found)
            return Error::not_found();
        form = *found;
    }
    return render_form(context, FormKind::Seance, form, 0, {});
}

ErrorOr<http::Response> create_seance(Context& context)
{
    auto const form = form_of(context.request.form);
    auto const teacher = context.user().id;
    auto const teachings = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::vector<Teaching>> { return teachings_of(session, teacher); }));
    auto parsed = seance_of(form, teachings, context.now);
    if (parsed.is_error()) {
        if (parsed.error().kind == ErrorKind::Forbidden)
            return parsed.release_error();
        return render_form(context, FormKind::Seance, form, 0, parsed.error().message_key);
    }
    auto input = parsed.release_value();
    auto const files = context.request.files_named("pieces");
    if (auto problem = attachment_problem(files, 0))
        return render_form(context, FormKind::Seance, form, 0, *problem);
    auto const stored = TRY(keep_files(context.config(), files));
    auto const writer = writer_of(context);
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        auto const id = store::insert_seance(session, writer, input.seance);
        add_attachments(session, id, 0, stored, writer.now);
        if (input.homework) {
            input.homework->session_id = id;
            store::insert_homework(session, writer, *input.homework);
        }
        return true;
    }));
    family::forget_weeks(context.services, context.user().structure_id);
    return http::Response::redirect(week_path(monday_of(input.seance.day)) + "&enregistre=1");
}

// The séance or homework of the path (its id in `parameter`), if the person
// may read it, with the person's right (404 otherwise).
template<typename Item, typename ById>
ErrorOr<std::pair<Item, Right>> item_in_reach(Context& context, std::string_view parameter, ById by_id)
{
    auto const id = parse_id(context.request.parameter(parameter));
    auto const& person = context.user();
    auto const now = context.now;
    auto found
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<std::pair<Item, Right>>> {
              auto item = by_id(session, id);
              if (!item)
                  return std::optional<std::pair<Item, Right>>();
              auto const right = right_of(session, person, item->class_id, item->subject_id);
              if (!visible(right, item->publish_at, now))
                  return std::optional<std::pair<Item, Right>>();
              return std::optional<std::pair<Item, Right>>(std::make_pair(std::move(*item), right));
          }));
    if (!found)
        return Error::not_found();
    return std::move(*found);
}

ErrorOr<std::pair<Seance, Right>> seance_in_reach(Context& context)
{
    return item_in_reach<Seance>(context, "seance", seance_by_id);
}

ErrorOr<Seance> seance_to_change(Context& context)
{
    auto reached = TRY(seance_in_reach(context));
    if (reached.second != Right::Write)
        return Error::forbidden("Seul le professeur de cette matière dans cette classe peut modifier cette séance.",
            "séance of another subject");
    return reached.first;
}

ErrorOr<http::Response> show_seance(Context& context)
{
    auto const reached = TRY(seance_in_reach(context));
    auto const& seance = reached.first;
    auto const right = reached.second;
    auto const now = context.now;
    auto const homework = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Homework>> {
        return store::homework_of_seance(session, seance.id);
    }));
    auto const attachments
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Attachment>> {
              return attachments_of(session, seance.id, 0);
          }));
    view::Data data;
    data.set("has_attachments", !attachments.empty());
    data.set("attachments", attachment_list(attachments));
    data.set("title", seance.title);
    data.set("class_name", seance.class_name);
    data.set("subject", seance.subject_label);
    data.set("author", seance.author_name);
    auto when = school_time::long_day(seance.day);
    if (seance.end_minute > seance.start_minute)
        when += ", " + school_time::clock(seance.start_minute) + " – " + school_time::clock(seance.end_minute);
    data.set("when", when);
    data.set("content_html", html::sanitize(seance.content)); // sanitized when written, again on the way out
    view::List links;
    for_each_line(seance.links, [&](std::string_view line) {
        if (!line.empty())
            links.push_back(view::Data(std::string(line)));
    });
    data.set("has_links", !links.empty());
    data.set("links", std::move(links));
    data.set("planned", published_label(seance.publish_at, now));
    if (homework && (sees_planned(right) || homework->publish_at <= now)) {
        view::Data work;
        work.set("due", school_time::long_day(homework->due_day));
        work.set("description_html", html::sanitize(homework->description));
        work.set(
            "minutes", homework->estimated_minutes > 0 ? std::to_string(homework->estimated_minutes) + " min" : "");
        work.set("online", homework->hand_in_online);
        work.set("copies_url", "/cahier-de-textes/travail/" + std::to_string(homework->id) + "/rendu");
        work.set("edit_url", homework_path(homework->id) + "/modifier");
        data.set("homework", std::move(work));
    }
    bool const writer = right == Right::Write;
    data.set("may_change", writer);
    data.set("url", seance_path(seance.id));
    data.set("week_url", week_path(monday_of(seance.day)));
    data.set("saved", context.request.query.get("enregistre") == "1");
    return view::render(
        context, "lesson_book/teacher_seance", std::move(data), seance.title, view::MenuEntry::LessonBook);
}

Form form_of_seance(Seance const& seance, std::optional<Homework> const& homework)
{
    Form form;
    form.course = std::to_string(seance.class_id) + ":" + std::to_string(seance.subject_id);
    form.day = school_time::iso_day(seance.day);
    if (seance.end_minute > seance.start_minute) {
        form.start = school_time::clock(seance.start_minute);
        form.end = school_time::clock(seance.end_minute);
    }
    form.slot = seance.slot_id != 0 ? std::to_string(seance.slot_id) : "";
    form.title = seance.title;
    form.content = seance.content;
    form.content_html = true;
    form.links = seance.links;
    auto const local = school_time::local_from_unix(seance.publish_at);
    form.publish_day = school_time::iso_day(school_time::floor_div(local, MINUTES_PER_DAY));
    form.publish_time = school_time::clock(local);
    if (homework) {
        form.due_day = school_time::iso_day(homework->due_day);
        form.description = html::plain_text(homework->description);
        form.minutes = homework->estimated_minutes > 0 ? std::to_string(homework->estimated_minutes) : "";
        form.online = homework->hand_in_online;
    }
    return form;
}

ErrorOr<http::Response> edit_seance(Context& context)
{
    auto const seance = TRY(seance_to_change(context));
    auto const homework = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Homework>> {
        return store::homework_of_seance(session, seance.id);
    }));
    return render_form(context, FormKind::Seance, form_of_seance(seance, homework), seance.id, {});
}

ErrorOr<http::Response> update_seance(Context& context)
{
    auto const seance = TRY(seance_to_change(context));
    auto const form = form_of(context.request.form);
    auto const teacher = context.user().id;
    auto const teachings = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::vector<Teaching>> { return teachings_of(session, teacher); }));
    auto parsed = seance_of(form, teachings, context.now);
    if (parsed.is_error()) {
        if (parsed.error().kind == ErrorKind::Forbidden)
            return parsed.release_error();
        return render_form(context, FormKind::Seance, form, seance.id, parsed.error().message_key);
    }
    auto input = parsed.release_value();
    auto const seance_id = seance.id;
    auto const files = context.request.files_named("pieces");
    auto const removed = ticked_for_removal(context.request.form);
    auto const already = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::size_t> { return attachments_of(session, seance_id, 0).size(); }));
    if (auto problem = attachment_problem(files, already - std::min(already, removed.size())))
        return render_form(context, FormKind::Seance, form, seance_id, *problem);
    auto const stored = TRY(keep_files(context.config(), files));
    auto const writer = writer_of(context);
    auto const& config = context.config();
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        store::update_seance(session, seance_id, input.seance, writer.now);
        remove_unused_files(session, config, remove_attachments(session, seance_id, 0, removed));
        add_attachments(session, seance_id, 0, stored, writer.now);
        auto const before = store::homework_of_seance(session, seance_id);
        if (input.homework) {
            input.homework->session_id = seance_id;
            if (before)
                store::update_homework(session, writer, *before, *input.homework);
            else
                store::insert_homework(session, writer, *input.homework);
        } else if (before) {
            store::delete_homework(session, before->id);
        }
        return true;
    }));
    family::forget_weeks(context.services, context.user().structure_id);
    return http::Response::redirect(seance_path(seance_id) + "?enregistre=1");
}

ErrorOr<http::Response> render_confirm(
    Context& context, std::string const& question, std::string const& action, std::string const& cancel_url)
{
    view::Data data;
    data.set("question", question);
    data.set("action", action);
    data.set("cancel_url", cancel_url);
    return view::render(context, "lesson_book/teacher_confirm", std::move(data), "Confirmer la suppression",
        view::MenuEntry::LessonBook);
}

ErrorOr<http::Response> confirm_delete_seance(Context& context)
{
    auto const seance = TRY(seance_to_change(context));
    return render_confirm(context,
        "Supprimer la séance « " + seance.title + " » du " + school_time::long_day(seance.day)
            + " ? Le travail à faire donné reste dans le cahier de textes.",
        seance_path(seance.id) + "/supprimer", seance_path(seance.id));
}

ErrorOr<http::Response> delete_seance(Context& context)
{
    auto const seance = TRY(seance_to_change(context));
    auto const& config = context.config();
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        auto const names = stored_names_of(session, seance.id, 0);
        store::delete_seance(session, seance.id);
        remove_unused_files(session, config, names); // a copy's files stay
        return true;
    }));
    family::forget_weeks(context.services, context.user().structure_id);
    return http::Response::redirect(week_path(monday_of(seance.day)) + "&supprime=1");
}

// Homework on its own.
ErrorOr<std::pair<Homework, Right>> homework_in_reach(Context& context)
{
    return item_in_reach<Homework>(context, "travail", homework_by_id);
}

ErrorOr<Homework> homework_to_change(Context& context)
{
    auto reached = TRY(homework_in_reach(context));
    if (reached.second != Right::Write)
        return Error::forbidden("Seul le professeur de cette matière dans cette classe peut modifier ce travail.",
            "homework of another subject");
    return reached.first;
}

ErrorOr<store::HomeworkInput> homework_input_of(Form const& form, std::vector<Teaching> const& teachings, long long now)
{
    auto const given = school_time::parse_day(form.given_day);
    if (!given)
        return Error::invalid("Indiquez le jour où le travail est donné (« Donné le », jj/mm/aaaa).");
    auto homework = TRY(homework_of(form, *given, true));
    auto const publish_at = TRY(publish_time_of(form, now));
    auto const teaching = TRY(teaching_of(teachings, form.course));
    homework->class_id = teaching.class_id;
    homework->subject_id = teaching.subject_id;
    homework->publish_at = publish_at;
    return *homework;
}

ErrorOr<http::Response> new_homework(Context& context)
{
    Form form;
    auto const today = today_of(context);
    form.given_day = school_time::iso_day(today);
    form.due_day = school_time::iso_day(store::next_school_day(today));
    form.course = context.request.query.get("cours");
    return render_form(context, FormKind::Homework, form, 0, {});
}

ErrorOr<http::Response> save_homework(Context& context, std::optional<Homework> const& before)
{
    auto const form = form_of(context.request.form);
    auto const teacher = context.user().id;
    auto const teachings = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::vector<Teaching>> { return teachings_of(session, teacher); }));
    auto parsed = homework_input_of(form, teachings, context.now);
    auto const id = before ? before->id : 0;
    if (parsed.is_error()) {
        if (parsed.error().kind == ErrorKind::Forbidden)
            return parsed.release_error();
        return render_form(context, FormKind::Homework, form, id, parsed.error().message_key);
    }
    auto input = parsed.release_value();
    auto const files = context.request.files_named("pieces");
    auto const removed = ticked_for_removal(context.request.form);
    auto const already = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::size_t> {
        return id == 0 ? 0 : attachments_of(session, 0, id).size();
    }));
    if (auto problem = attachment_problem(files, already - std::min(already, removed.size())))
        return render_form(context, FormKind::Homework, form, id, *problem);
    auto const stored = TRY(keep_files(context.config(), files));
    auto const writer = writer_of(context);
    auto const& config = context.config();
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        long long homework_id = id;
        if (before) {
            input.session_id = before->session_id;
            store::update_homework(session, writer, *before, input);
            remove_unused_files(session, config, remove_attachments(session, 0, homework_id, removed));
        } else {
            store::insert_homework(session, writer, input, &homework_id);
        }
        add_attachments(session, 0, homework_id, stored, writer.now);
        return true;
    }));
    family::forget_weeks(context.services, context.user().structure_id);
    return http::Response::redirect(week_path(monday_of(input.given_day)) + "&enregistre=1");
}

ErrorOr<http::Response> create_homework(Context& context)
{
    return save_homework(context, std::nullopt);
}

ErrorOr<http::Response> edit_homework(Context& context)
{
    auto const homework = TRY(homework_to_change(context));
    Form form;
    form.course = std::to_string(homework.class_id) + ":" + std::to_string(homework.subject_id);
    form.given_day = school_time::iso_day(homework.given_day);
    form.due_day = school_time::iso_day(homework.due_day);
    form.description = html::plain_text(homework.description);
    form.minutes = homework.estimated_minutes > 0 ? std::to_string(homework.estimated_minutes) : "";
    form.online = homework.hand_in_online;
    auto const local = school_time::local_from_unix(homework.publish_at);
    form.publish_day = school_time::iso_day(school_time::floor_div(local, MINUTES_PER_DAY));
    form.publish_time = school_time::clock(local);
    return render_form(context, FormKind::Homework, form, homework.id, {});
}

ErrorOr<http::Response> update_homework(Context& context)
{
    auto const homework = TRY(homework_to_change(context));
    return save_homework(context, homework);
}

ErrorOr<http::Response> confirm_delete_homework(Context& context)
{
    auto const homework = TRY(homework_to_change(context));
    return render_confirm(context,
        "Supprimer le travail à faire en " + homework.subject_label + " pour le "
            + school_time::long_day(homework.due_day) + " ?",
        homework_path(homework.id) + "/supprimer", std::string(TEACHER_BASE));
}

ErrorOr<http::Response> delete_homework(Context& context)
{
    auto const homework = TRY(homework_to_change(context));
    auto const& config = context.config();
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        auto const names = stored_names_of(session, 0, homework.id);
        store::delete_homework(session, homework.id);
        remove_unused_files(session, config, names);
        return true;
    }));
    family::forget_weeks(context.services, context.user().structure_id);
    return http::Response::redirect(week_path(monday_of(homework.given_day)) + "&supprime=1");
}

// « Copier vers mes autres classes »: the classes where the teacher gives
// the same subject, each copy at that class's next lesson of the subject.
std::vector<Teaching> copy_targets(soci::session& session, long long teacher, Seance const& seance)
{
    std::vector<Teaching> targets;
    for (auto const& teaching : teachings_of(session, teacher)) {
        if (teaching.subject_id == seance.subject_id && teaching.class_id != seance.class_id)
            targets.push_back(teaching);
    }
    return targets;
}

ErrorOr<http::Response> render_copy(Context& context, Seance const& seance, std::string const& error)
{
    auto const teacher = context.user().id;
    view::List classes;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        for (auto const& target : copy_targets(session, teacher, seance)) {
            view::Data entry;
            entry.set("id", std::to_string(target.class_id));
            entry.set("name", target.class_name);
            entry.set("next",
                school_time::long_day(next_lesson_day(session, target.class_id, target.subject_id, seance.day - 1)));
            classes.push_back(std::move(entry));
        }
        return true;
    }));
    view::Data data;
    data.set("title", seance.title);
    data.set("subject", seance.subject_label);
    data.set("has_classes", !classes.empty());
    data.set("classes", std::move(classes));
    data.set("action", seance_path(seance.id) + "/copier");
    data.set("cancel_url", seance_path(seance.id));
    data.set("error", error);
    return view::render(context, "lesson_book/teacher_copy", std::move(data), "Copier la séance",
        view::MenuEntry::LessonBook, error.empty() ? 200 : 422);
}

ErrorOr<http::Response> show_copy(Context& context)
{
    auto const seance = TRY(seance_to_change(context));
    return render_copy(context, seance, {});
}

ErrorOr<http::Response> copy_seance(Context& context)
{
    auto const seance = TRY(seance_to_change(context));
    auto const chosen = context.request.form.all("classes");
    auto const typed_day = std::string(trim_text(context.request.form.get("date")));
    std::optional<long long> day;
    if (!typed_day.empty()) {
        day = school_time::parse_day(typed_day);
        if (!day)
            return render_copy(context, seance, "La date choisie n'est pas une date valide (jj/mm/aaaa).");
    }
    if (chosen.empty())
        return render_copy(context, seance, "Cochez au moins une classe.");
    auto const teacher = context.user().id;
    auto const writer = writer_of(context);
    auto result = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::size_t> {
        auto const targets = copy_targets(session, teacher, seance);
        auto const homework = store::homework_of_seance(session, seance.id);
        std::size_t copies = 0;
        for (auto const& code : chosen) {
            auto const class_id = parse_id(code);
            auto const target = std::find_if(
                targets.begin(), targets.end(), [&](Teaching const& t) { return t.class_id == class_id; });
            if (target == targets.end())
                return Error::forbidden("Vous ne pouvez copier une séance que vers vos classes de la même matière.",
                    "copy to a class not taught");
            store::SeanceInput copy;
            copy.class_id = class_id;
            copy.subject_id = seance.subject_id;
            copy.day = day.value_or(next_lesson_day(session, class_id, seance.subject_id, seance.day - 1));
            copy.title = seance.title;
            copy.content = seance.content;
            copy.links = seance.links;
            copy.publish_at = seance.publish_at;
            for (auto const& lesson : timetable::lessons_of_classes(session, { class_id }, copy.day, copy.day + 1)) {
                if (lesson.subject_id == seance.subject_id && copy.slot_id == 0) {
                    copy.slot_id = lesson.slot_id;
                    copy.start_minute = lesson.start_minute;
                    copy.end_minute = lesson.end_minute;
                }
            }
            auto const id = store::insert_seance(session, writer, copy);
            copy_attachments(session, seance.id, id, writer.now);
            if (homework) {
                store::HomeworkInput work;
                work.class_id = class_id;
                work.subject_id = seance.subject_id;
                work.session_id = id;
                work.given_day = copy.day;
                work.due_day = std::max(copy.day, next_lesson_day(session, class_id, seance.subject_id, copy.day));
                work.description = homework->description;
                work.estimated_minutes = homework->estimated_minutes;
                work.hand_in_online = homework->hand_in_online;
                work.publish_at = homework->publish_at;
                store::insert_homework(session, writer, work);
            }
            ++copies;
        }
        return copies;
    }));
    family::forget_weeks(context.services, context.user().structure_id);
    (void)result;
    return http::Response::redirect(week_path(monday_of(seance.day)) + "&copie=1");
}

} // namespace

ErrorOr<void> declare_teacher_capabilities(access::CapabilityRegistry& registry)
{
    return declare_direction_capabilities(registry);
}

std::vector<http::Route> teacher_routes()
{
    using http::Method;
    std::vector<http::Route> routes {
        { Method::Get, "/cahier-de-textes/enseignant", WRITE, show_week },
        { Method::Get, "/cahier-de-textes/enseignant/charge", READ, show_workload },
        { Method::Get, "/cahier-de-textes/enseignant/seances/nouvelle", WRITE, new_seance },
        { Method::Post, "/cahier-de-textes/enseignant/seances", WRITE, create_seance },
        { Method::Get, "/cahier-de-textes/enseignant/seances/{seance}", READ, show_seance },
        { Method::Post, "/cahier-de-textes/enseignant/seances/{seance}", WRITE, update_seance },
        { Method::Get, "/cahier-de-textes/enseignant/seances/{seance}/modifier", WRITE, edit_seance },
        { Method::Get, "/cahier-de-textes/enseignant/seances/{seance}/supprimer", WRITE, confirm_delete_seance },
        { Method::Post, "/cahier-de-textes/enseignant/seances/{seance}/supprimer", WRITE, delete_seance },
        { Method::Get, "/cahier-de-textes/enseignant/seances/{seance}/copier", WRITE, show_copy },
        { Method::Post, "/cahier-de-textes/enseignant/seances/{seance}/copier", WRITE, copy_seance },
        { Method::Get, "/cahier-de-textes/enseignant/pieces/{piece}", READ, serve_attachment },
        { Method::Get, "/cahier-de-textes/enseignant/travail/nouveau", WRITE, new_homework },
        { Method::Post, "/cahier-de-textes/enseignant/travail", WRITE, create_homework },
        { Method::Post, "/cahier-de-textes/enseignant/travail/{travail}", WRITE, update_homework },
        { Method::Get, "/cahier-de-textes/enseignant/travail/{travail}/modifier", WRITE, edit_homework },
        { Method::Get, "/cahier-de-textes/enseignant/travail/{travail}/supprimer", WRITE, confirm_delete_homework },
        { Method::Post, "/cahier-de-textes/enseignant/travail/{travail}/supprimer", WRITE, delete_homework },
    };
    for (auto& route : direction_routes())
        routes.push_back(std::move(route));
    return routes;
}

// Every minute, homework planned ahead that became visible is told to the
// families (lesson_book::store::tell_planned_homework), on every node: the
// first sweep claims each row.
ErrorOr<void> start_teacher(Services& services)
{
    services.background.start([&services](std::stop_token const& stop) {
        std::mutex mutex;
        std::condition_variable_any sleeping;
        auto url = services.config.public_url;
        if (url.empty())
            url = "http://" + services.config.listen_host + ":" + std::to_string(services.config.listen_port);
        while (!stop.stop_requested()) {
            {
                std::unique_lock lock(mutex);
                sleeping.wait_for(lock, stop, std::chrono::seconds(60), [] { return false; });
            }
            if (stop.stop_requested())
                return;
            try {
                auto const now = static_cast<long long>(std::time(nullptr));
                // A read first: most minutes nothing became visible, and no
                // write transaction is opened for nothing.
                auto const waiting = services.database->read([&](soci::session& session) -> ErrorOr<long long> {
                    long long count = 0;
                    session << "SELECT COUNT(*) FROM lesson_book_homework WHERE told_at = 0 AND publish_at <= :now",
                        soci::use(now), soci::into(count);
                    return count;
                });
                if (waiting.is_error() || waiting.value() == 0)
                    continue;
                auto told = services.database->write([&](soci::session& session) -> ErrorOr<std::size_t> {
                    return store::tell_planned_homework(session, url, now);
                });
                if (!told.is_error() && told.value() > 0)
                    notify::wake_delivery(services);
            } catch (std::exception const& error) {
                log::error(std::string("lesson book: planned homework not told yet: ") + error.what());
            }
        }
    });
    return {};
}

} // namespace cartable::lesson_book
