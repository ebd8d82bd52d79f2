// SPDX-License-Identifier: AGPL-3.0-or-later
// The teachers' side of the évaluations: the landing (a teacher's classes
// and subjects with the period's assessments; the classes for the direction
// and the vie scolaire), a class's table of marks, an assessment's form, the
// grid of marks (« Saisie des notes ») and publishing. The families' pages,
// the relevé and the settings are in assessments_grades_family.cpp.
#include "core/db/row.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/assessments/assessments_grades_pages.h"
#include "services/notifications/notifications.h"
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace cartable::assessments {

namespace grades {

std::string shown(std::optional<double> const& value, school::Rounding rounding)
{
    return value ? school::format_average(*value, rounding) : std::string("–");
}

std::string shown_mark(std::optional<double> const& value)
{
    return value ? school::format_hundredths(std::llround(*value * 100)) : std::string("–");
}

std::string short_date(long long day)
{
    auto const date = school_time::civil_from_days(day);
    auto two = [](int value) { return std::string(value < 10 ? "0" : "") + std::to_string(value); };
    return two(date.day) + "/" + two(date.month) + "/" + std::to_string(date.year);
}

long long today_of(Context const& context)
{
    return school_time::day_of_unix(context.now);
}

school::Period asked_period(soci::session& session, Context& context, long long structure_id)
{
    auto const id = parse_id(context.request.query.get("periode"));
    if (id != 0) {
        auto period = school::find_period(session, id);
        if (period && period->structure_id == structure_id)
            return *period;
    }
    return school::period_containing(session, structure_id, today_of(context));
}

view::List period_options(soci::session& session, long long structure_id, long long today, long long selected)
{
    view::List list;
    auto periods = school::periods_of(session, structure_id, today);
    bool found = false;
    for (auto const& period : periods)
        found = found || period.id == selected;
    if (!found) {
        if (auto period = school::find_period(session, selected))
            periods.insert(periods.begin(), *period);
    }
    for (auto const& period : periods) {
        view::Data entry;
        entry.set("value", std::to_string(period.id));
        entry.set("label",
            period.label + " (" + period.school_year + ", du " + short_date(period.first_day) + " au "
                + short_date(period.last_day) + ")");
        entry.set("selected", period.id == selected);
        list.push_back(std::move(entry));
    }
    return list;
}

long long class_of_student(soci::session& session, long long student_id)
{
    long long class_id = 0;
    soci::indicator found = soci::i_null;
    session << "SELECT MIN(c.id) FROM identity_class_member m JOIN identity_class c ON c.id = m.class_id WHERE "
               "m.user_id = :student AND c.kind = 'class'",
        soci::use(student_id), soci::into(class_id, found);
    return session.got_data() && found == soci::i_ok ? class_id : 0;
}

} // namespace grades

namespace {

using grades::BASE;
using grades::short_date;
using grades::shown;

constexpr std::size_t TITLE_MAX = 200;
constexpr char const* NO_ASSESSMENT = "Cette évaluation n'existe pas ou ne vous est pas accessible.";
constexpr char const* LEGEND = "Abs : absent (non compté), Disp : dispensé (non compté), NR : non rendu (compte 0), "
                               "NN : non noté (non compté)";

struct Teaching {
    long long class_id { 0 };
    std::string class_name;
    long long subject_id { 0 };
    std::string subject_label;
    std::string code() const { return std::to_string(class_id) + ":" + std::to_string(subject_id); }
    std::string label() const { return class_name + " — " + subject_label; }
};

std::vector<Teaching> teachings_of(soci::session& session, long long teacher_id)
{
    std::vector<Teaching> list;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT t.class_id, c.name, t.subject_id, s.label FROM identity_teaching t JOIN "
                              "identity_class c ON c.id = t.class_id JOIN identity_subject s ON s.id = t.subject_id "
                              "WHERE t.teacher_id = :teacher ORDER BY c.name, s.label",
            soci::use(teacher_id));
    for (auto const& row : rows) {
        list.push_back(
            { db::integer_at(row, 0), row.get<std::string>(1), db::integer_at(row, 2), row.get<std::string>(3) });
    }
    return list;
}

std::string assessment_path(long long id)
{
    return std::string(BASE) + "/" + std::to_string(id);
}

std::string state_of(Stored const& stored)
{
    if (stored.published_at > 0)
        return "Publiée le " + short_date(school_time::day_of_unix(stored.published_at));
    return "Non publiée";
}

std::string coefficient_text(long long hundredths)
{
    return school::format_hundredths(hundredths);
}

http::Response page(Context& context, char const* name, view::Data data, std::string title, int status = 200)
{
    auto response = view::render(context, std::string("assessments/") + name, std::move(data), std::move(title),
        view::MenuEntry::Assessments, status);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

// --- Landing -----------------------------------------------------------------

ErrorOr<http::Response> show_teacher(Context& context)
{
    auto const& user = context.user();
    auto const today = grades::today_of(context);
    auto const now = context.now;
    view::Data data;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        auto const period = grades::asked_period(session, context, user.structure_id);
        data.set("periods", grades::period_options(session, user.structure_id, today, period.id));
        data.set("period_label", period.label);
        auto const teachings = teachings_of(session, user.id);
        std::map<long long, ClassPeriod> classes;
        for (auto const& teaching : teachings) {
            if (classes.contains(teaching.class_id))
                continue;
            auto read = class_period(session, teaching.class_id, period.id, false, now);
            if (!read.is_error())
                classes.emplace(teaching.class_id, read.release_value());
        }
        view::List list;
        for (auto const& teaching : teachings) {
            view::Data entry;
            entry.set("label", teaching.label());
            entry.set("class_url",
                std::string(BASE) + "/classes/" + std::to_string(teaching.class_id)
                    + "?periode=" + std::to_string(period.id));
            entry.set("class_name", teaching.class_name);
            view::List assessments;
            auto const found = classes.find(teaching.class_id);
            if (found != classes.end()) {
                auto const& read = found->second;
                for (std::size_t index = 0; index < read.assessments.size(); ++index) {
                    auto const& stored = read.assessments[index];
                    if (stored.class_id != teaching.class_id || stored.subject_id != teaching.subject_id)
                        continue;
                    view::Data item;
                    item.set("url", assessment_path(stored.id));
                    item.set("date", short_date(stored.day));
                    item.set("title", stored.title);
                    item.set("scale", "/" + std::to_string(stored.scale));
                    item.set("coefficient", coefficient_text(stored.coefficient_hundredths));
                    item.set("state", state_of(stored));
                    item.set("published", stored.published_at > 0);
                    item.set("average", shown(school::figures_of(read.marked[index]).average, read.rounding));
                    assessments.push_back(std::move(item));
                }
            }
            entry.set("empty", assessments.empty());
            entry.set("assessments", std::move(assessments));
            list.push_back(std::move(entry));
        }
        data.set("has_teachings", !list.empty());
        data.set("teachings", std::move(list));
        return true;
    }));
    data.set("teacher", true);
    data.set("new_url", std::string(BASE) + "/nouvelle");
    data.set("deleted", context.request.query.get("supprimee") == "1");
    return page(context, "grades_landing", std::move(data), "Évaluations");
}

ErrorOr<http::Response> show_staff(Context& context)
{
    auto const& user = context.user();
    auto const today = grades::today_of(context);
    view::Data data;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        auto const period = grades::asked_period(session, context, user.structure_id);
        data.set("periods", grades::period_options(session, user.structure_id, today, period.id));
        view::List list;
        soci::rowset<soci::row> rows = (session.prepare << "SELECT id, name FROM identity_class WHERE structure_id "
                                                           "= :structure AND kind = 'class' ORDER BY name, id",
            soci::use(user.structure_id));
        std::vector<std::pair<long long, std::string>> classes;
        for (auto const& row : rows)
            classes.emplace_back(db::integer_at(row, 0), row.get<std::string>(1));
        for (auto const& [id, name] : classes) {
            if (!rights_toward(session, user, id, 0).reads_all)
                continue;
            view::Data entry;
            entry.set("name", name);
            entry.set(
                "url", std::string(BASE) + "/classes/" + std::to_string(id) + "?periode=" + std::to_string(period.id));
            list.push_back(std::move(entry));
        }
        data.set("has_classes", !list.empty());
        data.set("classes", std::move(list));
        return true;
    }));
    data.set("staff", true);
    data.set("settings", identity::is_direction(user));
    data.set("settings_url", std::string(BASE) + "/parametres");
    return page(context, "grades_landing", std::move(data), "Évaluations");
}

ErrorOr<http::Response> show_landing(Context& context)
{
    switch (context.user().profile) {
    case access::Profile::Student:
    case access::Profile::Guardian:
        return grades::show_family(context);
    case access::Profile::Teacher:
        return show_teacher(context);
    default:
        return show_staff(context);
    }
}

// --- A class's table ------------------------------------------------------------

ErrorOr<http::Response> show_class(Context& context)
{
    auto const class_id = parse_id(context.request.parameter("class"));
    auto const& user = context.user();
    auto const today = grades::today_of(context);
    auto const now = context.now;
    view::Data data;
    std::string title;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        if (class_id == 0 || !rights_toward(session, user, class_id, 0).reads_all)
            return Error::not_found("Cette classe n'existe pas ou ses notes ne vous sont pas accessibles.");
        auto const period = grades::asked_period(session, context, user.structure_id);
        auto const read = TRY(class_period(session, class_id, period.id, false, now));
        data.set("periods", grades::period_options(session, user.structure_id, today, period.id));
        data.set("action", std::string(BASE) + "/classes/" + std::to_string(class_id));
        title = "Notes de la classe " + read.school_class.name;
        data.set("heading", title);
        data.set("period_label", read.period.label);
        // Columns: each subject's assessments, then its average.
        struct Column {
            std::optional<std::size_t> assessment;
            long long subject_id { 0 };
        };
        std::vector<Column> columns;
        view::List headers;
        for (auto const& subject : read.subjects) {
            bool any = false;
            for (std::size_t index = 0; index < read.assessments.size(); ++index) {
                auto const& stored = read.assessments[index];
                if (stored.subject_id != subject.id)
                    continue;
                any = true;
                columns.push_back({ index, subject.id });
                view::Data header;
                header.set("label", subject.label + " — " + stored.title);
                header.set("detail",
                    short_date(stored.day) + ", /" + std::to_string(stored.scale) + ", coef. "
                        + coefficient_text(stored.coefficient_hundredths)
                        + (stored.published_at > 0 ? std::string() : std::string(", non publiée")));
                headers.push_back(std::move(header));
            }
            if (!any)
                continue;
            columns.push_back({ std::nullopt, subject.id });
            view::Data header;
            header.set("label", "Moyenne " + subject.label);
            header.set("detail", std::string("sur 20"));
            header.set("average", true);
            headers.push_back(std::move(header));
        }
        view::Data overall_header;
        overall_header.set("label", std::string("Moyenne générale"));
        overall_header.set("detail", std::string("sur 20"));
        overall_header.set("average", true);
        headers.push_back(std::move(overall_header));
        view::List rows;
        for (auto const& student : read.students) {
            view::Data row;
            row.set("name", student.last_name + " " + student.first_name);
            row.set("releve_url",
                std::string(BASE) + "/releve?eleve=" + std::to_string(student.id)
                    + "&periode=" + std::to_string(read.period.id));
            view::List cells;
            for (auto const& column : columns) {
                view::Data cell;
                if (column.assessment) {
                    auto const& marks = read.marked[*column.assessment].marks;
                    auto const mark = marks.find(student.id);
                    cell.set("text", mark == marks.end() ? std::string() : school::format_mark(mark->second));
                } else {
                    std::optional<double> average;
                    if (auto const subject = read.averages.by_subject.find(column.subject_id);
                        subject != read.averages.by_subject.end()) {
                        if (auto const value = subject->second.find(student.id); value != subject->second.end())
                            average = value->second;
                    }
                    cell.set("text", shown(average, read.rounding));
                    cell.set("average", true);
                }
                cells.push_back(std::move(cell));
            }
            std::optional<double> overall;
            if (auto const value = read.averages.overall.find(student.id); value != read.averages.overall.end())
                overall = value->second;
            view::Data last;
            last.set("text", shown(overall, read.rounding));
            last.set("average", true);
            cells.push_back(std::move(last));
            row.set("cells", std::move(cells));
            rows.push_back(std::move(row));
        }
        view::List footer;
        for (auto const& column : columns) {
            view::Data cell;
            if (column.assessment) {
                cell.set("text", shown(school::figures_of(read.marked[*column.assessment]).average, read.rounding));
            } else {
                std::optional<double> average;
                if (auto const found = read.averages.class_by_subject.find(column.subject_id);
                    found != read.averages.class_by_subject.end())
                    average = found->second.average;
                cell.set("text", shown(average, read.rounding));
            }
            footer.push_back(std::move(cell));
        }
        view::Data last;
        last.set("text", shown(read.averages.class_overall.average, read.rounding));
        footer.push_back(std::move(last));
        data.set("headers", std::move(headers));
        data.set("rows", std::move(rows));
        data.set("footer", std::move(footer));
        data.set("has_students", !read.students.empty());
        data.set("legend", std::string(LEGEND));
        return true;
    }));
    data.set("back_url", std::string(BASE));
    return page(context, "grades_class", std::move(data), title);
}

// --- The assessment's form ---------------------------------------------------------

struct Form {
    std::string course; // « 12:3 »: class and subject
    std::string title;
    std::string day;
    std::string period;
    std::string scale { "20" };
    std::string coefficient { "1" };
};

Form form_of(http::FormFields const& fields)
{
    Form form;
    auto field = [&](char const* name) { return std::string(trim_text(fields.get(name))); };
    form.course = field("cours");
    form.title = field("titre");
    form.day = field("date");
    form.period = field("periode");
    form.scale = field("bareme");
    form.coefficient = field("coefficient");
    return form;
}

Form form_from(Stored const& stored)
{
    Form form;
    form.course = std::to_string(stored.class_id) + ":" + std::to_string(stored.subject_id);
    form.title = stored.title;
    form.day = school_time::iso_day(stored.day);
    form.period = std::to_string(stored.period_id);
    form.scale = std::to_string(stored.scale);
    form.coefficient = coefficient_text(stored.coefficient_hundredths);
    return form;
}

struct Input {
    long long class_id { 0 };
    long long subject_id { 0 };
    long long period_id { 0 };
    long long day { 0 };
    std::string title;
    long long scale { 20 };
    long long coefficient { 100 };
};

// « 1 », « 0,5 », « 1.25 »: hundredths, or nothing.
std::optional<long long> parse_hundredths(std::string const& text)
{
    if (text.empty())
        return std::nullopt;
    long long whole = 0;
    long long fraction = 0;
    int decimals = 0;
    bool separator = false;
    std::size_t digits = 0;
    for (char c : text) {
        if (c == ',' || c == '.') {
            if (separator || digits == 0)
                return std::nullopt;
            separator = true;
            continue;
        }
        if (c < '0' || c > '9')
            return std::nullopt;
        if (separator) {
            if (++decimals > 2)
                return std::nullopt;
            fraction = fraction * 10 + (c - '0');
        } else {
            if (++digits > 4)
                return std::nullopt;
            whole = whole * 10 + (c - '0');
        }
    }
    if (separator && decimals == 0)
        return std::nullopt;
    if (decimals == 1)
        fraction *= 10;
    return whole * 100 + fraction;
}

ErrorOr<Input> input_of(soci::session& session, identity::User const& user, Form const& form)
{
    Input input;
    auto const colon = form.course.find(':');
    if (colon != std::string::npos) {
        input.class_id = parse_id(std::string_view(form.course).substr(0, colon));
        input.subject_id = parse_id(std::string_view(form.course).substr(colon + 1));
    }
    if (input.class_id == 0 || input.subject_id == 0)
        return Error::invalid("Choisissez la classe et la matière.");
    if (!rights_toward(session, user, input.class_id, input.subject_id).grades)
        return Error::forbidden("Vous n'enseignez pas cette matière dans cette classe : vous ne pouvez pas y créer "
                                "d'évaluation.",
            "not a teaching of the teacher");
    if (form.title.empty())
        return Error::invalid("Indiquez le titre de l'évaluation.");
    if (validate::character_count(form.title) > TITLE_MAX)
        return Error::invalid("Le titre ne doit pas dépasser 200 caractères.");
    if (validate::has_control_characters(form.title))
        return Error::invalid("Le titre contient des caractères invisibles : retapez-le.");
    input.title = form.title;
    auto const day = school_time::parse_day(form.day);
    if (!day)
        return Error::invalid("Indiquez la date de l'évaluation (jj/mm/aaaa).");
    input.day = *day;
    if (form.period.empty()) {
        input.period_id = school::period_containing(session, user.structure_id, input.day).id;
    } else {
        auto const period = school::find_period(session, parse_id(form.period));
        if (!period || period->structure_id != user.structure_id)
            return Error::invalid("Choisissez une période de l'établissement.");
        input.period_id = period->id;
    }
    auto const scale = parse_hundredths(form.scale.empty() ? std::string("20") : form.scale);
    if (!scale || *scale % 100 != 0 || *scale < 100 || *scale > 10000)
        return Error::invalid("Le barème est un nombre entier de points entre 1 et 100 (par exemple 20 ou 10).");
    input.scale = *scale / 100;
    auto const coefficient = parse_hundredths(form.coefficient.empty() ? std::string("1") : form.coefficient);
    if (!coefficient || *coefficient > 1000)
        return Error::invalid("Le coefficient est un nombre entre 0 et 10, avec au plus deux décimales (par exemple "
                              "1, 2 ou 0,5).");
    input.coefficient = *coefficient;
    return input;
}

ErrorOr<http::Response> render_form(Context& context, Form const& form, long long id, std::string const& error)
{
    auto const& user = context.user();
    auto const today = grades::today_of(context);
    view::Data data;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        view::List courses;
        for (auto const& teaching : teachings_of(session, user.id)) {
            view::Data course;
            course.set("value", teaching.code());
            course.set("label", teaching.label());
            course.set("selected", teaching.code() == form.course);
            courses.push_back(std::move(course));
        }
        data.set("courses", std::move(courses));
        data.set("periods", grades::period_options(session, user.structure_id, today, parse_id(form.period)));
        return true;
    }));
    data.set("editing", id != 0);
    data.set("action", id != 0 ? assessment_path(id) + "/modifier" : std::string(BASE) + "/nouvelle");
    data.set("cancel_url", id != 0 ? assessment_path(id) : std::string(BASE));
    data.set("error", error);
    data.set("title", form.title);
    data.set("day", form.day);
    data.set("scale", form.scale);
    data.set("coefficient", form.coefficient);
    data.set("no_period", form.period.empty());
    auto const heading = id != 0 ? "Modifier l'évaluation" : "Nouvelle évaluation";
    data.set("heading", heading);
    return page(context, "grades_form", std::move(data), heading, error.empty() ? 200 : 422);
}

ErrorOr<http::Response> new_assessment(Context& context)
{
    Form form;
    form.course = context.request.query.get("cours");
    form.day = school_time::iso_day(grades::today_of(context));
    return render_form(context, form, 0, {});
}

ErrorOr<http::Response> create_assessment(Context& context)
{
    auto const form = form_of(context.request.form);
    auto const& user = context.user();
    auto const now = context.now;
    auto parsed = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<ErrorOr<Input>> { return input_of(session, user, form); }));
    if (parsed.is_error()) {
        if (parsed.error().kind == ErrorKind::Forbidden)
            return parsed.release_error();
        return render_form(context, form, 0, parsed.error().message_key);
    }
    auto const input = parsed.release_value();
    auto const id = TRY(context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        long long created = 0;
        session << "INSERT INTO assessments_assessment (structure_id, class_id, subject_id, teacher_id, period_id, "
                   "day, title, scale, coefficient, published_at, created_at, updated_at) VALUES (:structure, "
                   ":class, :subject, :teacher, :period, :day, :title, :scale, :coefficient, 0, :created, :updated) "
                   "RETURNING id",
            soci::use(user.structure_id), soci::use(input.class_id), soci::use(input.subject_id), soci::use(user.id),
            soci::use(input.period_id), soci::use(input.day), soci::use(input.title), soci::use(input.scale),
            soci::use(input.coefficient), soci::use(now), soci::use(now), soci::into(created);
        return created;
    }));
    return http::Response::redirect(assessment_path(id) + "?creee=1");
}

// The assessment of the path, for a person who grades it: 404 for one who
// does not even read the class's marks, 403 for one who only reads them.
ErrorOr<Stored> assessment_to_grade(Context& context)
{
    auto const id = parse_id(context.request.parameter("id"));
    auto const& user = context.user();
    return context.database().read([&](soci::session& session) -> ErrorOr<Stored> {
        auto stored = id == 0 ? std::nullopt : find_assessment(session, id);
        if (!stored)
            return Error::not_found(NO_ASSESSMENT, "no such assessment");
        auto const rights = rights_toward(session, user, stored->class_id, stored->subject_id);
        if (!rights.grades && !rights.reads_all)
            return Error::not_found(NO_ASSESSMENT, "assessment out of reach");
        if (!rights.grades)
            return Error::forbidden("Seul le professeur de cette matière dans cette classe saisit et publie ces notes "
                                    "; consultez le tableau de la classe.",
                "reads but does not grade");
        return std::move(*stored);
    });
}

ErrorOr<http::Response> edit_assessment(Context& context)
{
    auto const stored = TRY(assessment_to_grade(context));
    return render_form(context, form_from(stored), stored.id, {});
}

ErrorOr<http::Response> update_assessment(Context& context)
{
    auto const stored = TRY(assessment_to_grade(context));
    auto const form = form_of(context.request.form);
    auto const& user = context.user();
    auto const now = context.now;
    auto parsed = TRY(context.database().read([&](soci::session& session) -> ErrorOr<ErrorOr<Input>> {
        auto input = input_of(session, user, form);
        if (input.is_error())
            return input;
        long long highest = 0;
        long long marks = 0;
        soci::indicator found = soci::i_null;
        session << "SELECT COUNT(*), MAX(hundredths) FROM assessments_mark WHERE assessment_id = :id",
            soci::use(stored.id), soci::into(marks), soci::into(highest, found);
        if (marks > 0 && input->class_id != stored.class_id)
            return ErrorOr<Input>(Error::invalid("Des notes sont déjà saisies : la classe ne peut plus changer."));
        if (found == soci::i_ok && highest > input->scale * 100)
            return ErrorOr<Input>(Error::invalid(
                "Des notes déjà saisies dépassent ce barème : corrigez-les d'abord ou gardez le barème."));
        return input;
    }));
    if (parsed.is_error()) {
        if (parsed.error().kind == ErrorKind::Forbidden)
            return parsed.release_error();
        return render_form(context, form, stored.id, parsed.error().message_key);
    }
    auto const input = parsed.release_value();
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "UPDATE assessments_assessment SET class_id = :class, subject_id = :subject, period_id = :period, "
                   "day = :day, title = :title, scale = :scale, coefficient = :coefficient, updated_at = :now WHERE "
                   "id = :id",
            soci::use(input.class_id), soci::use(input.subject_id), soci::use(input.period_id), soci::use(input.day),
            soci::use(input.title), soci::use(input.scale), soci::use(input.coefficient), soci::use(now),
            soci::use(stored.id);
        return true;
    }));
    return http::Response::redirect(assessment_path(stored.id) + "?modifiee=1");
}

ErrorOr<http::Response> confirm_delete(Context& context)
{
    auto const stored = TRY(assessment_to_grade(context));
    view::Data data;
    data.set("question",
        "Supprimer l'évaluation « " + stored.title + " » du " + short_date(stored.day) + " (" + stored.class_name + ", "
            + stored.subject_label + ") et toutes ses notes ?");
    data.set("action", assessment_path(stored.id) + "/supprimer");
    data.set("cancel_url", assessment_path(stored.id));
    return page(context, "grades_confirm", std::move(data), "Supprimer l'évaluation");
}

ErrorOr<http::Response> delete_assessment(Context& context)
{
    auto const stored = TRY(assessment_to_grade(context));
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "DELETE FROM assessments_mark WHERE assessment_id = :id", soci::use(stored.id);
        session << "DELETE FROM assessments_assessment WHERE id = :id", soci::use(stored.id);
        return true;
    }));
    return http::Response::redirect(std::string(BASE) + "?supprimee=1");
}

// --- The grid ------------------------------------------------------------------------

struct Cell {
    std::string typed;
    std::string error;
};

ErrorOr<http::Response> render_grid(
    Context& context, Stored const& stored, std::map<long long, Cell> const* typed, std::string const& error)
{
    auto const now = context.now;
    view::Data data;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        auto const read = TRY(class_period(session, stored.class_id, stored.period_id, false, now));
        auto const position = std::find_if(read.assessments.begin(), read.assessments.end(),
            [&](Stored const& other) { return other.id == stored.id; });
        if (position == read.assessments.end())
            return Error::not_found(NO_ASSESSMENT, "assessment not in its class period");
        auto const& marked = read.marked[static_cast<std::size_t>(position - read.assessments.begin())];
        view::List rows;
        for (auto const& student : read.students) {
            view::Data row;
            auto const field = "note_" + std::to_string(student.id);
            row.set("field", field);
            row.set("name", student.display_name());
            row.set("sort_name", student.last_name + " " + student.first_name);
            std::string value;
            std::string cell_error;
            if (typed != nullptr) {
                if (auto const found = typed->find(student.id); found != typed->end()) {
                    value = found->second.typed;
                    cell_error = found->second.error;
                }
            } else if (auto const mark = marked.marks.find(student.id); mark != marked.marks.end()) {
                value = school::format_mark(mark->second);
            }
            row.set("value", value);
            row.set("error", cell_error);
            row.set("error_id", field + "-erreur");
            rows.push_back(std::move(row));
        }
        data.set("rows", std::move(rows));
        data.set("has_students", !read.students.empty());
        auto const figures = school::figures_of(marked);
        data.set("average", shown(figures.average, read.rounding));
        data.set("minimum", grades::shown_mark(figures.minimum));
        data.set("maximum", grades::shown_mark(figures.maximum));
        data.set("counted", std::to_string(figures.counted));
        data.set("period_label", read.period.label);
        return true;
    }));
    data.set("action", assessment_path(stored.id));
    data.set("title", stored.title);
    data.set("course", stored.class_name + " — " + stored.subject_label);
    data.set("date", short_date(stored.day));
    data.set("scale", std::to_string(stored.scale));
    data.set("coefficient", coefficient_text(stored.coefficient_hundredths));
    data.set("state", state_of(stored));
    data.set("published", stored.published_at > 0);
    data.set("publish_url", assessment_path(stored.id) + "/publier");
    data.set("unpublish_url", assessment_path(stored.id) + "/retirer");
    data.set("edit_url", assessment_path(stored.id) + "/modifier");
    data.set("delete_url", assessment_path(stored.id) + "/supprimer");
    data.set("back_url", std::string(BASE) + "?periode=" + std::to_string(stored.period_id));
    data.set("error", error);
    data.set("legend", std::string(LEGEND));
    auto const& query = context.request.query;
    std::string notice;
    if (query.get("enregistre") == "1")
        notice = "Les notes sont enregistrées.";
    else if (query.get("creee") == "1")
        notice = "L'évaluation est créée : saisissez les notes.";
    else if (query.get("modifiee") == "1")
        notice = "L'évaluation est modifiée.";
    else if (query.get("publiee") == "1")
        notice = "Les notes sont publiées : les élèves et leurs responsables les voient.";
    else if (query.get("retiree") == "1")
        notice = "La publication est retirée : les élèves et leurs responsables ne voient plus ces notes.";
    data.set("notice", notice);
    return page(
        context, "grades_grid", std::move(data), "Saisie des notes — " + stored.title, error.empty() ? 200 : 422);
}

ErrorOr<http::Response> show_grid(Context& context)
{
    auto const stored = TRY(assessment_to_grade(context));
    return render_grid(context, stored, nullptr, {});
}

ErrorOr<http::Response> save_grid(Context& context)
{
    auto const stored = TRY(assessment_to_grade(context));
    auto const now = context.now;
    auto const students = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<long long>> {
        auto const read = TRY(class_period(session, stored.class_id, stored.period_id, false, now));
        std::vector<long long> ids;
        for (auto const& student : read.students)
            ids.push_back(student.id);
        return ids;
    }));
    std::map<long long, Cell> typed;
    std::vector<std::pair<long long, school::Mark>> marks;
    std::size_t wrong = 0;
    for (auto const student : students) {
        Cell cell;
        cell.typed = std::string(trim_text(context.request.form.get("note_" + std::to_string(student))));
        auto mark = school::parse_mark(cell.typed, stored.scale);
        if (mark.is_error()) {
            cell.error = mark.error().message_key;
            ++wrong;
        } else {
            marks.emplace_back(student, mark.release_value());
        }
        typed.emplace(student, std::move(cell));
    }
    if (wrong > 0) {
        auto const message = wrong == 1
            ? std::string("Une note n'est pas valide : corrigez-la (rien n'est enregistré).")
            : std::to_string(wrong) + " notes ne sont pas valides : corrigez-les (rien n'est enregistré).";
        return render_grid(context, stored, &typed, message);
    }
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        for (auto const& [student, mark] : marks) {
            session << "DELETE FROM assessments_mark WHERE assessment_id = :assessment AND student_id = :student",
                soci::use(stored.id), soci::use(student);
            if (mark.blank())
                continue;
            soci::indicator value_indicator = mark.hundredths ? soci::i_ok : soci::i_null;
            long long const value = mark.hundredths.value_or(0);
            std::string const code(school::code_store(mark.code));
            session << "INSERT INTO assessments_mark (assessment_id, student_id, hundredths, code, updated_at) VALUES "
                       "(:assessment, :student, :hundredths, :code, :now)",
                soci::use(stored.id), soci::use(student), soci::use(value, value_indicator), soci::use(code),
                soci::use(now);
        }
        session << "UPDATE assessments_assessment SET updated_at = :now WHERE id = :id", soci::use(now),
            soci::use(stored.id);
        return true;
    }));
    return http::Response::redirect(assessment_path(stored.id) + "?enregistre=1");
}

// --- Publishing --------------------------------------------------------------------------
// published_at: 0 never published; > 0 published then; < 0 published once
// (at -published_at) then withdrawn: publishing again tells nobody again.

ErrorOr<http::Response> publish_assessment(Context& context)
{
    auto const stored = TRY(assessment_to_grade(context));
    auto const now = context.now;
    auto const public_url = context.public_url();
    std::vector<long long> told;
    std::size_t outbox_rows = 0;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        long long published_at = 0;
        session << "SELECT published_at FROM assessments_assessment WHERE id = :id", soci::use(stored.id),
            soci::into(published_at);
        if (published_at > 0)
            return true;
        session << "UPDATE assessments_assessment SET published_at = :now, updated_at = :updated WHERE id = :id",
            soci::use(now), soci::use(now), soci::use(stored.id);
        if (published_at < 0)
            return true; // told when first published
        auto const read = TRY(class_period(session, stored.class_id, stored.period_id, false, now));
        notifications::Notification notice;
        notice.event = notifications::Event::Grade;
        notice.structure_id = stored.structure_id;
        notice.title = "Nouvelle note en " + stored.subject_label;
        notice.summary
            = "Une nouvelle note en " + stored.subject_label + " a été publiée dans les évaluations de l'ENT.";
        for (auto const& student : read.students) {
            notice.link = std::string(BASE) + "?eleve=" + std::to_string(student.id);
            notice.child_id = 0;
            outbox_rows += notifications::publish_to_many(session, notice, { student.id }, public_url, now);
            told.push_back(student.id);
            auto const guardians = identity::store::active_guardians_of(session, student.id);
            if (guardians.empty())
                continue;
            auto about_child = notice;
            about_child.child_id = student.id;
            outbox_rows += notifications::publish_to_many(session, about_child, guardians, public_url, now);
            told.insert(told.end(), guardians.begin(), guardians.end());
        }
        return true;
    }));
    if (!told.empty())
        notifications::published(context.services, told, outbox_rows);
    return http::Response::redirect(assessment_path(stored.id) + "?publiee=1");
}

ErrorOr<http::Response> unpublish_assessment(Context& context)
{
    auto const stored = TRY(assessment_to_grade(context));
    auto const now = context.now;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "UPDATE assessments_assessment SET published_at = -published_at, updated_at = :now WHERE id = :id "
                   "AND published_at > 0",
            soci::use(now), soci::use(stored.id);
        return true;
    }));
    return http::Response::redirect(assessment_path(stored.id) + "?retiree=1");
}

} // namespace

std::vector<http::Route> grade_routes()
{
    using http::Method;
    return {
        { Method::Get, "/evaluations", READ, show_landing },
        { Method::Get, "/evaluations/releve", READ, grades::show_releve },
        { Method::Get, "/evaluations/parametres", READ, grades::show_settings },
        { Method::Post, "/evaluations/parametres", READ, grades::save_settings },
        { Method::Get, "/evaluations/classes/{class}", READ, show_class },
        { Method::Get, "/evaluations/nouvelle", GRADE, new_assessment },
        { Method::Post, "/evaluations/nouvelle", GRADE, create_assessment },
        { Method::Get, "/evaluations/{id}", GRADE, show_grid },
        { Method::Post, "/evaluations/{id}", GRADE, save_grid },
        { Method::Get, "/evaluations/{id}/modifier", GRADE, edit_assessment },
        { Method::Post, "/evaluations/{id}/modifier", GRADE, update_assessment },
        { Method::Get, "/evaluations/{id}/supprimer", GRADE, confirm_delete },
        { Method::Post, "/evaluations/{id}/supprimer", GRADE, delete_assessment },
        { Method::Post, "/evaluations/{id}/publier", GRADE, publish_assessment },
        { Method::Post, "/evaluations/{id}/retirer", GRADE, unpublish_assessment },
    };
}

} // namespace cartable::assessments
