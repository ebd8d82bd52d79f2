// SPDX-License-Identifier: AGPL-3.0-or-later
// The bulletins (docs/bulletins.md): the list of a person's bulletins, a
// class's period with its appraisal forms and its publication, a student's
// bulletin as a page and as a PDF. Every read is checked against the person
// asking: staff who read all of the class (rights_toward) see the working
// version at any time; the student and his guardians see his bulletin once
// published, and the same 404 as for anyone else's before.
#include "core/db/row.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/pdf/pdf.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/assessments/assessments_reports_internal.h"
#include "services/notifications/notifications.h"
#include <algorithm>
#include <set>

namespace cartable::assessments {

namespace reports {

std::string Report::appraisal(long long student, std::string const& kind, long long subject) const
{
    auto const found = appraisals.find({ student, kind, subject });
    return found == appraisals.end() ? std::string() : found->second;
}

ErrorOr<Report> report_of(
    soci::session& session, long long class_id, long long period_id, long long now, long long only_student)
{
    Report report;
    report.figures = TRY(class_period(session, class_id, period_id, true, now));
    auto const structure_id = report.figures.school_class.structure_id;
    if (auto structure = identity::store::find_structure(session, structure_id))
        report.structure = std::move(*structure);
    {
        soci::rowset<soci::row> rows = (session.prepare << "SELECT u.first_name, u.last_name FROM "
                                                           "directory_head_teacher h JOIN identity_user u ON u.id = "
                                                           "h.teacher_id WHERE h.class_id = :class ORDER BY "
                                                           "u.last_name, u.first_name",
            soci::use(class_id));
        for (auto const& row : rows) {
            if (!report.head_teachers.empty())
                report.head_teachers += ", ";
            report.head_teachers += row.get<std::string>(0);
            report.head_teachers += ' ';
            report.head_teachers += row.get<std::string>(1);
        }
    }
    {
        long long published_at = 0;
        soci::indicator found = soci::i_null;
        session << "SELECT published_at FROM assessments_report WHERE period_id = :period AND class_id = :class",
            soci::use(period_id), soci::use(class_id), soci::into(published_at, found);
        if (session.got_data() && found == soci::i_ok) {
            report.ever_published = true;
            report.published_at = published_at;
        }
    }
    std::set<long long> students;
    for (auto const& student : report.figures.students)
        students.insert(student.id);
    {
        soci::rowset<soci::row> rows = (session.prepare << "SELECT student_id, kind, subject_id, text FROM "
                                                           "assessments_appraisal WHERE period_id = :period",
            soci::use(period_id));
        for (auto const& row : rows) {
            auto const student = db::integer_at(row, 0);
            if (students.count(student) == 0)
                continue;
            report.appraisals[{ student, row.get<std::string>(1), db::integer_at(row, 2) }] = row.get<std::string>(3);
        }
    }
    auto const& period = report.figures.period;
    for (auto const& student : report.figures.students) {
        if (only_student != 0 && student.id != only_student)
            continue;
        report.counts[student.id] = attendance::counts_of(session, student.id, period.first_day, period.last_day);
        std::string birth;
        soci::indicator found = soci::i_null;
        session << "SELECT birth_date FROM identity_user WHERE id = :id", soci::use(student.id),
            soci::into(birth, found);
        if (session.got_data() && found == soci::i_ok)
            report.birth_dates[student.id] = birth;
    }
    return report;
}

std::string absences_text(attendance::Counts const& counts)
{
    if (counts.half_days == 0 && counts.lateness == 0)
        return "Aucune absence, aucun retard";
    std::string text;
    if (counts.half_days == 0) {
        text = "Aucune absence";
    } else {
        text = std::to_string(counts.half_days) + (counts.half_days > 1 ? " demi-journées" : " demi-journée");
        text += " d'absence";
        if (counts.unjustified_half_days > 0)
            text += " dont " + std::to_string(counts.unjustified_half_days)
                + (counts.unjustified_half_days > 1 ? " non justifiées" : " non justifiée");
    }
    text += ", ";
    if (counts.lateness == 0)
        text += "aucun retard";
    else
        text += std::to_string(counts.lateness) + (counts.lateness > 1 ? " retards" : " retard");
    return text;
}

std::string made_at(std::string const& city)
{
    if (city.empty())
        return "Fait";
    if (city.starts_with("Le "))
        return "Fait au " + city.substr(3);
    if (city.starts_with("Les "))
        return "Fait aux " + city.substr(4);
    return "Fait à " + city;
}

namespace {

std::string shown(std::optional<double> const& value, school::Rounding rounding)
{
    return value ? school::format_average(*value, rounding) : std::string("–");
}

// « 2009-03-14 » → « 14/03/2009 »; anything else as it is.
std::string birth_text(std::string const& stored)
{
    if (auto const day = school_time::parse_day(stored)) {
        auto const date = school_time::civil_from_days(*day);
        char text[16];
        std::snprintf(text, sizeof text, "%02d/%02d/%04d", static_cast<int>(date.day), static_cast<int>(date.month),
            static_cast<int>(date.year));
        return text;
    }
    return stored;
}

} // namespace

Bulletin bulletin_of(Report const& report, identity::User const& student, long long now)
{
    auto const& figures = report.figures;
    auto const rounding = figures.rounding;
    Bulletin bulletin;
    bulletin.student_id = student.id;
    bulletin.structure_name = report.structure.name;
    bulletin.uai = report.structure.uai;
    bulletin.school_year = figures.period.school_year;
    bulletin.period_label = figures.period.label;
    bulletin.class_name = figures.school_class.name;
    bulletin.student_name = student.display_name();
    if (auto const birth = report.birth_dates.find(student.id); birth != report.birth_dates.end())
        bulletin.birth_date = birth_text(birth->second);
    bulletin.head_teachers = report.head_teachers;
    auto const& averages = figures.averages;
    for (auto const& subject : figures.subjects) {
        BulletinLine line;
        line.subject = subject.label;
        line.teachers = subject.teacher_names;
        std::optional<double> average;
        if (auto const by = averages.by_subject.find(subject.id); by != averages.by_subject.end())
            if (auto const mine = by->second.find(student.id); mine != by->second.end())
                average = mine->second;
        line.average = shown(average, rounding);
        school::Figures class_figures;
        if (auto const found = averages.class_by_subject.find(subject.id); found != averages.class_by_subject.end())
            class_figures = found->second;
        line.class_average = shown(class_figures.average, rounding);
        line.lowest = shown(class_figures.minimum, rounding);
        line.highest = shown(class_figures.maximum, rounding);
        line.appraisal = report.appraisal(student.id, SUBJECT, subject.id);
        bulletin.lines.push_back(std::move(line));
    }
    std::optional<double> overall;
    if (auto const found = averages.overall.find(student.id); found != averages.overall.end())
        overall = found->second;
    bulletin.overall = shown(overall, rounding);
    bulletin.class_overall = shown(averages.class_overall.average, rounding);
    attendance::Counts counts;
    if (auto const found = report.counts.find(student.id); found != report.counts.end())
        counts = found->second;
    bulletin.absences = absences_text(counts);
    bulletin.head_teacher_appraisal = report.appraisal(student.id, HEAD_TEACHER);
    bulletin.principal_appraisal = report.appraisal(student.id, PRINCIPAL);
    bulletin.published = report.published_at > 0;
    auto const day
        = report.published_at > 0 ? school_time::day_of_unix(report.published_at) : school_time::day_of_unix(now);
    bulletin.signed_at = made_at(report.structure.city) + ", le " + school_time::long_day(day);
    return bulletin;
}

} // namespace reports

namespace {

using reports::Report;
using reports::report_of;

constexpr char const* BASE = "/evaluations/bulletins";
constexpr char const* NOT_FOUND = "Ce bulletin n'existe pas ou ne vous est pas accessible.";

std::string class_path(long long class_id, long long period_id)
{
    return std::string(BASE) + "/" + std::to_string(class_id) + "/" + std::to_string(period_id);
}

std::string student_path(long long class_id, long long period_id, long long student_id)
{
    return class_path(class_id, period_id) + "/eleves/" + std::to_string(student_id);
}

long long today_of(Context const& context)
{
    return school_time::day_of_unix(context.now);
}

// The year's periods of a structure (the default trimestres stored the
// first time).
ErrorOr<std::vector<school::Period>> year_periods(Context& context, long long structure_id)
{
    auto const today = today_of(context);
    auto const year = school::school_year_of_day(today);
    auto periods = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<school::Period>> {
        std::vector<school::Period> result;
        soci::rowset<soci::row> rows = (session.prepare << "SELECT id FROM school_period WHERE structure_id = "
                                                           ":structure AND school_year = :year ORDER BY position",
            soci::use(structure_id), soci::use(year));
        for (auto const& row : rows)
            if (auto period = school::find_period(session, db::integer_at(row, 0)))
                result.push_back(std::move(*period));
        return result;
    }));
    if (!periods.empty())
        return periods;
    return context.database().write([&](soci::session& session) -> ErrorOr<std::vector<school::Period>> {
        return school::periods_of(session, structure_id, today);
    });
}

// --- GET /evaluations/bulletins ---------------------------------------------

struct Published {
    long long class_id { 0 };
    std::string class_name;
    long long period_id { 0 };
    std::string period_label;
    std::string school_year;
    long long published_at { 0 };
};

std::vector<Published> published_of(soci::session& session, long long student_id)
{
    std::vector<Published> result;
    soci::rowset<soci::row> rows = (session.prepare
            << "SELECT r.class_id, c.name, r.period_id, p.label, p.school_year, r.published_at FROM assessments_report "
               "r JOIN identity_class c ON c.id = r.class_id JOIN identity_class_member m ON m.class_id = c.id JOIN "
               "school_period p ON p.id = r.period_id WHERE m.user_id = :student AND r.published_at > 0 ORDER BY "
               "p.first_day DESC, c.name",
        soci::use(student_id));
    for (auto const& row : rows)
        result.push_back({ db::integer_at(row, 0), row.get<std::string>(1), db::integer_at(row, 2),
            row.get<std::string>(3), row.get<std::string>(4), db::integer_at(row, 5) });
    return result;
}

ErrorOr<http::Response> show_family_list(Context& context)
{
    auto const& user = context.user();
    identity::User student = user;
    view::List chooser;
    if (user.profile == access::Profile::Guardian) {
        auto const children = TRY(context.services.children_of(user.id, context.now));
        auto const requested = context.request.query.get("eleve");
        if (children.empty())
            student = {};
        else
            student = children.front();
        if (!requested.empty()) {
            auto const id = parse_id(requested);
            auto const chosen = std::find_if(
                children.begin(), children.end(), [&](identity::User const& child) { return child.id == id; });
            if (chosen == children.end())
                return Error::not_found(NOT_FOUND, "guardian asked for another child's bulletins");
            student = *chosen;
        }
        for (auto const& child : children) {
            view::Data option;
            option.set("id", std::to_string(child.id));
            option.set("name", child.display_name());
            option.set("selected", child.id == student.id);
            chooser.push_back(std::move(option));
        }
    } else if (!context.request.query.get("eleve").empty() && parse_id(context.request.query.get("eleve")) != user.id) {
        return Error::not_found(NOT_FOUND, "student asked for another student's bulletins");
    }
    auto const student_id = student.id;
    auto const published = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Published>> {
        if (student_id == 0)
            return std::vector<Published> {};
        return published_of(session, student_id);
    }));
    view::Data data;
    data.set("family", true);
    data.set("is_guardian", user.profile == access::Profile::Guardian);
    data.set("several_children", chooser.size() > 1);
    data.set("children", std::move(chooser));
    data.set("student_name", student.display_name());
    data.set("no_child", student_id == 0);
    view::List bulletins;
    for (auto const& item : published) {
        view::Data entry;
        entry.set("label", "Bulletin du " + item.period_label + " (" + item.school_year + ")");
        entry.set("class_name", item.class_name);
        entry.set("published_on", "Publié le " + i18n::format_long_date(item.published_at));
        auto const path = student_path(item.class_id, item.period_id, student_id);
        entry.set("url", path);
        entry.set("pdf_url", path + "/bulletin.pdf");
        bulletins.push_back(std::move(entry));
    }
    data.set("has_bulletins", !bulletins.empty());
    data.set("bulletins", std::move(bulletins));
    return view::render(context, "assessments/report_list", std::move(data), "Bulletins", view::MenuEntry::Assessments);
}

ErrorOr<http::Response> show_list(Context& context)
{
    auto const& user = context.user();
    if (user.profile == access::Profile::Student || user.profile == access::Profile::Guardian)
        return show_family_list(context);
    auto const periods = TRY(year_periods(context, user.structure_id));
    struct Row {
        identity::SchoolClass school_class;
        std::map<long long, long long> published; // period → at
    };
    auto const rows = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Row>> {
        std::vector<Row> result;
        soci::rowset<soci::row> classes = (session.prepare << "SELECT id, name FROM identity_class WHERE "
                                                              "structure_id = :structure AND kind = 'class' ORDER "
                                                              "BY name",
            soci::use(user.structure_id));
        for (auto const& row : classes) {
            Row entry;
            entry.school_class.id = db::integer_at(row, 0);
            entry.school_class.name = row.get<std::string>(1);
            entry.school_class.structure_id = user.structure_id;
            entry.school_class.kind = "class";
            result.push_back(std::move(entry));
        }
        std::erase_if(result,
            [&](Row const& entry) { return !rights_toward(session, user, entry.school_class.id, 0).reads_all; });
        for (auto& entry : result) {
            soci::rowset<soci::row> published = (session.prepare << "SELECT period_id, published_at FROM "
                                                                    "assessments_report WHERE class_id = :class",
                soci::use(entry.school_class.id));
            for (auto const& row : published)
                entry.published[db::integer_at(row, 0)] = db::integer_at(row, 1);
        }
        return result;
    }));
    view::Data data;
    data.set("family", false);
    view::List classes;
    for (auto const& row : rows) {
        view::Data entry;
        entry.set("name", row.school_class.name);
        view::List cells;
        for (auto const& period : periods) {
            view::Data cell;
            cell.set("label", period.label);
            cell.set("url", class_path(row.school_class.id, period.id));
            auto const found = row.published.find(period.id);
            bool const published = found != row.published.end() && found->second > 0;
            cell.set("published", published);
            cell.set("status", published ? "Publiés le " + i18n::format_long_date(found->second) : "Non publiés");
            cells.push_back(std::move(cell));
        }
        entry.set("periods", std::move(cells));
        classes.push_back(std::move(entry));
    }
    view::List headers;
    for (auto const& period : periods) {
        view::Data header;
        header.set("label", period.label);
        headers.push_back(std::move(header));
    }
    data.set("period_headers", std::move(headers));
    data.set("has_classes", !classes.empty());
    data.set("classes", std::move(classes));
    data.set("school_year", periods.empty() ? std::string() : periods.front().school_year);
    return view::render(context, "assessments/report_list", std::move(data), "Bulletins", view::MenuEntry::Assessments);
}

// --- A class's period --------------------------------------------------------

struct Loaded {
    Report report;
    Rights rights;
    std::vector<long long> appraised_subjects; // the person grades these subjects of the class
};

// The class's period of the path for someone who reads all of the class;
// NotFound for anyone else (a family, a teacher of other classes).
ErrorOr<Loaded> staff_report(Context& context)
{
    auto const class_id = parse_id(context.request.parameter("class"));
    auto const period_id = parse_id(context.request.parameter("period"));
    auto const& user = context.user();
    auto loaded = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Loaded>> {
        auto rights = rights_toward(session, user, class_id, 0);
        if (!rights.reads_all)
            return std::optional<Loaded>();
        auto report = report_of(session, class_id, period_id, context.now);
        if (report.is_error()) {
            if (report.error().kind == ErrorKind::NotFound)
                return std::optional<Loaded>();
            return report.release_error();
        }
        Loaded result { std::move(report.value()), rights, {} };
        if (result.report.figures.school_class.kind != "class")
            return std::optional<Loaded>();
        for (auto const& subject : result.report.figures.subjects)
            if (rights_toward(session, user, class_id, subject.id).grades)
                result.appraised_subjects.push_back(subject.id);
        return std::optional<Loaded>(std::move(result));
    }));
    if (!loaded)
        return Error::not_found(NOT_FOUND, "class period not read by this person");
    return std::move(*loaded);
}

// What the person typed, shown back with the error.
using Typed = std::map<std::string, std::string>;

std::string field_of(long long student_id)
{
    return "appreciation-" + std::to_string(student_id);
}

view::List appraisal_rows(
    Report const& report, std::string const& kind, long long subject_id, std::string const& form, Typed const& typed)
{
    view::List rows;
    for (auto const& student : report.figures.students) {
        view::Data row;
        auto const field = field_of(student.id);
        row.set("field", field);
        row.set("id", form + "-" + std::to_string(student.id));
        row.set("name", student.display_name());
        auto const found = typed.find(field);
        row.set("text", found != typed.end() ? found->second : report.appraisal(student.id, kind, subject_id));
        rows.push_back(std::move(row));
    }
    return rows;
}

ErrorOr<http::Response> render_class(Context& context, Loaded const& loaded, std::string const& error = {},
    std::string const& typed_form = {}, Typed const& typed = {})
{
    auto const& report = loaded.report;
    auto const& figures = report.figures;
    auto const class_id = figures.school_class.id;
    auto const period_id = figures.period.id;
    view::Data data;
    data.set("class_name", figures.school_class.name);
    data.set("period_label", figures.period.label);
    data.set("school_year", figures.period.school_year);
    data.set("url", class_path(class_id, period_id));
    data.set("published", report.published_at > 0);
    data.set("status",
        report.published_at > 0 ? "Bulletins publiés le " + i18n::format_long_date(report.published_at)
                                : std::string("Bulletins non publiés : les familles ne les voient pas encore."));
    data.set("error", error);
    data.set("may_publish", loaded.rights.publishes_reports);
    data.set("head_teachers", report.head_teachers);
    view::List students;
    for (auto const& student : figures.students) {
        view::Data row;
        row.set("name", student.display_name());
        std::optional<double> overall;
        if (auto const found = figures.averages.overall.find(student.id); found != figures.averages.overall.end())
            overall = found->second;
        row.set("overall", overall ? school::format_average(*overall, figures.rounding) : std::string("–"));
        attendance::Counts counts;
        if (auto const found = report.counts.find(student.id); found != report.counts.end())
            counts = found->second;
        row.set("absences", reports::absences_text(counts));
        auto const path = student_path(class_id, period_id, student.id);
        row.set("url", path);
        row.set("pdf_url", path + "/bulletin.pdf");
        students.push_back(std::move(row));
    }
    data.set("has_students", !students.empty());
    data.set("students", std::move(students));
    data.set("class_overall",
        figures.averages.class_overall.average
            ? school::format_average(*figures.averages.class_overall.average, figures.rounding)
            : std::string("–"));

    view::List forms;
    auto add_form = [&](std::string const& type, long long subject_id, std::string const& title,
                        std::string const& kind) {
        view::Data form;
        auto const form_id = type + (subject_id != 0 ? "-" + std::to_string(subject_id) : std::string());
        form.set("type", type);
        form.set("subject_id", std::to_string(subject_id));
        form.set("title", title);
        form.set("form_id", form_id);
        form.set("rows", appraisal_rows(report, kind, subject_id, form_id, typed_form == form_id ? typed : Typed {}));
        forms.push_back(std::move(form));
    };
    for (auto const& subject : figures.subjects)
        if (std::find(loaded.appraised_subjects.begin(), loaded.appraised_subjects.end(), subject.id)
            != loaded.appraised_subjects.end())
            add_form("matiere", subject.id, "Appréciations – " + subject.label, reports::SUBJECT);
    if (loaded.rights.appraises_class)
        add_form("professeur_principal", 0, "Appréciation du professeur principal", reports::HEAD_TEACHER);
    if (loaded.rights.publishes_reports)
        add_form("chef_etablissement", 0, "Appréciation du chef d'établissement", reports::PRINCIPAL);
    data.set("has_forms", !forms.empty() && !figures.students.empty());
    data.set("forms", std::move(forms));
    auto const notice = context.request.query.get("fait");
    if (notice == "appreciations")
        data.set("notice", "Les appréciations sont enregistrées.");
    else if (notice == "publies")
        data.set("notice", "Les bulletins sont publiés : les élèves et leurs responsables peuvent les télécharger.");
    else if (notice == "retires")
        data.set("notice", "La publication est retirée : les familles ne voient plus ces bulletins.");
    return view::render(context, "assessments/report_class", std::move(data),
        "Bulletins – " + figures.school_class.name + " – " + figures.period.label, view::MenuEntry::Assessments,
        error.empty() ? 200 : 400);
}

// GET /evaluations/bulletins/{class}/{period}
ErrorOr<http::Response> show_class(Context& context)
{
    auto const loaded = TRY(staff_report(context));
    return render_class(context, loaded);
}

// POST /evaluations/bulletins/{class}/{period}/appreciations: type
// (matiere, professeur_principal, chef_etablissement), matiere (a subject
// id), appreciation-{student} per student of the class.
ErrorOr<http::Response> save_appraisals(Context& context)
{
    auto loaded = TRY(staff_report(context));
    auto const& form = context.request.form;
    auto const type = form.get("type");
    long long subject_id = 0;
    std::string kind;
    std::string form_id = std::string(type);
    if (type == "matiere") {
        subject_id = parse_id(form.get("matiere"));
        auto const& subjects = loaded.report.figures.subjects;
        if (std::none_of(subjects.begin(), subjects.end(), [&](Subject const& s) { return s.id == subject_id; }))
            return Error::not_found("Cette matière n'est pas enseignée dans cette classe.", "subject not of the class");
        if (std::find(loaded.appraised_subjects.begin(), loaded.appraised_subjects.end(), subject_id)
            == loaded.appraised_subjects.end())
            return Error::forbidden("Seuls les professeurs de cette matière saisissent ses appréciations.",
                "appraisal of a subject not taught");
        kind = reports::SUBJECT;
        form_id += "-" + std::to_string(subject_id);
    } else if (type == "professeur_principal") {
        if (!loaded.rights.appraises_class)
            return Error::forbidden("Seul le professeur principal de la classe saisit cette appréciation.",
                "head teacher's appraisal by someone else");
        kind = reports::HEAD_TEACHER;
    } else if (type == "chef_etablissement") {
        if (!loaded.rights.publishes_reports)
            return Error::forbidden("Seule la direction saisit l'appréciation du chef d'établissement.",
                "principal's appraisal by someone else");
        kind = reports::PRINCIPAL;
    } else {
        return Error::invalid("Ce formulaire d'appréciations n'est pas reconnu.", "unknown appraisal type");
    }
    // Every text checked before anything is written.
    Typed typed;
    std::vector<std::pair<long long, std::string>> texts;
    std::string error;
    for (auto const& student : loaded.report.figures.students) {
        auto const field = field_of(student.id);
        std::string text(trim_text(form.get(field)));
        std::string normalized;
        for (std::size_t index = 0; index < text.size(); ++index)
            if (!(text[index] == '\r' && index + 1 < text.size() && text[index + 1] == '\n'))
                normalized += text[index];
        typed[field] = normalized;
        if (!error.empty())
            continue;
        if (!validate::is_utf8(normalized)) {
            error = "L'appréciation de " + student.display_name() + " contient des caractères illisibles : retapez-la.";
            typed[field].clear();
        } else if (auto const count = validate::character_count(normalized); count > reports::APPRAISAL_MAX) {
            error = "L'appréciation de " + student.display_name() + " dépasse 600 caractères (" + std::to_string(count)
                + ") : raccourcissez-la.";
        }
        texts.emplace_back(student.id, std::move(normalized));
    }
    if (!error.empty())
        return render_class(context, loaded, error, form_id, typed);
    auto const period_id = loaded.report.figures.period.id;
    auto const author = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<void> {
        for (auto const& [student_id, text] : texts) {
            session << "DELETE FROM assessments_appraisal WHERE period_id = :period AND student_id = :student AND "
                       "kind = :kind AND subject_id = :subject",
                soci::use(period_id), soci::use(student_id), soci::use(kind), soci::use(subject_id);
            if (text.empty())
                continue;
            session << "INSERT INTO assessments_appraisal (period_id, student_id, kind, subject_id, text, author_id, "
                       "updated_at) VALUES (:period, :student, :kind, :subject, :text, :author, :at)",
                soci::use(period_id), soci::use(student_id), soci::use(kind), soci::use(subject_id), soci::use(text),
                soci::use(author), soci::use(context.now);
        }
        return {};
    }));
    return http::Response::redirect(
        class_path(loaded.report.figures.school_class.id, period_id) + "?fait=appreciations");
}

ErrorOr<Loaded> publishing_report(Context& context)
{
    auto loaded = TRY(staff_report(context));
    if (!loaded.rights.publishes_reports)
        return Error::forbidden("Seule la direction publie les bulletins.", "publishing by someone else");
    return loaded;
}

// POST /evaluations/bulletins/{class}/{period}/publier: the first
// publication tells each student and their guardians; publishing again
// after « Retirer la publication » does not.
ErrorOr<http::Response> publish(Context& context)
{
    auto const loaded = TRY(publishing_report(context));
    auto const& figures = loaded.report.figures;
    auto const class_id = figures.school_class.id;
    auto const period_id = figures.period.id;
    auto const& user = context.user();
    auto const public_url = context.public_url();
    struct Outcome {
        std::vector<long long> recipients;
        std::size_t outbox_rows { 0 };
    };
    auto const outcome = TRY(context.database().write([&](soci::session& session) -> ErrorOr<Outcome> {
        Outcome result;
        long long published_at = 0;
        soci::indicator found = soci::i_null;
        session << "SELECT published_at FROM assessments_report WHERE period_id = :period AND class_id = :class",
            soci::use(period_id), soci::use(class_id), soci::into(published_at, found);
        bool const exists = session.got_data() && found == soci::i_ok;
        if (exists && published_at > 0)
            return result;
        if (exists) {
            session << "UPDATE assessments_report SET published_at = :at, published_by = :by WHERE period_id = "
                       ":period AND class_id = :class",
                soci::use(context.now), soci::use(user.id), soci::use(period_id), soci::use(class_id);
            return result;
        }
        session << "INSERT INTO assessments_report (period_id, class_id, published_at, published_by) VALUES "
                   "(:period, :class, :at, :by)",
            soci::use(period_id), soci::use(class_id), soci::use(context.now), soci::use(user.id);
        auto const title = "Bulletin du " + figures.period.label + " disponible";
        for (auto const& student : figures.students) {
            notifications::Notification notice;
            notice.event = notifications::Event::Grade;
            notice.structure_id = figures.school_class.structure_id;
            notice.title = title;
            notice.link = std::string(BASE) + "?eleve=" + std::to_string(student.id);
            notice.summary = "Le bulletin du " + figures.period.label + " de " + student.display_name()
                + " est disponible dans l'ENT.";
            notice.recipient_id = student.id;
            result.outbox_rows += notifications::publish(session, notice, public_url, context.now).outbox_rows();
            result.recipients.push_back(student.id);
            for (auto const guardian : identity::store::active_guardians_of(session, student.id)) {
                notice.recipient_id = guardian;
                notice.child_id = student.id;
                result.outbox_rows += notifications::publish(session, notice, public_url, context.now).outbox_rows();
                result.recipients.push_back(guardian);
            }
            notice.child_id = 0;
        }
        return result;
    }));
    if (!outcome.recipients.empty())
        notifications::published(context.services, outcome.recipients, outcome.outbox_rows);
    return http::Response::redirect(class_path(class_id, period_id) + "?fait=publies");
}

// POST /evaluations/bulletins/{class}/{period}/retirer
ErrorOr<http::Response> unpublish(Context& context)
{
    auto const loaded = TRY(publishing_report(context));
    auto const class_id = loaded.report.figures.school_class.id;
    auto const period_id = loaded.report.figures.period.id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<void> {
        session << "UPDATE assessments_report SET published_at = 0 WHERE period_id = :period AND class_id = :class",
            soci::use(period_id), soci::use(class_id);
        return {};
    }));
    return http::Response::redirect(class_path(class_id, period_id) + "?fait=retires");
}

// --- A student's bulletin -----------------------------------------------------

struct Shown {
    reports::Bulletin bulletin;
    long long class_id { 0 };
    long long period_id { 0 };
    bool staff { false };
};

// Staff who read all of the class, always; the student and his guardians
// once published; NotFound for everyone else and for a student not of the
// class.
ErrorOr<Shown> readable_bulletin(Context& context)
{
    auto const class_id = parse_id(context.request.parameter("class"));
    auto const period_id = parse_id(context.request.parameter("period"));
    auto const student_id = parse_id(context.request.parameter("student"));
    auto const& user = context.user();
    auto shown = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Shown>> {
        auto const rights = rights_toward(session, user, class_id, 0);
        bool family = false;
        if (user.profile == access::Profile::Student) {
            family = user.id == student_id;
        } else if (user.profile == access::Profile::Guardian) {
            long long count = 0;
            session << "SELECT COUNT(*) FROM identity_guardian_link WHERE guardian_id = :guardian AND student_id = "
                       ":student",
                soci::use(user.id), soci::use(student_id), soci::into(count);
            family = count > 0;
        }
        if (!rights.reads_all && !family)
            return std::optional<Shown>();
        if (!rights.reads_all) {
            // Before reading anything else: published?
            long long published_at = 0;
            soci::indicator found = soci::i_null;
            session << "SELECT published_at FROM assessments_report WHERE period_id = :period AND class_id = :class",
                soci::use(period_id), soci::use(class_id), soci::into(published_at, found);
            if (!session.got_data() || found != soci::i_ok || published_at <= 0)
                return std::optional<Shown>();
        }
        auto report = report_of(session, class_id, period_id, context.now, student_id);
        if (report.is_error()) {
            if (report.error().kind == ErrorKind::NotFound)
                return std::optional<Shown>();
            return report.release_error();
        }
        if (report->figures.school_class.kind != "class")
            return std::optional<Shown>();
        auto const& students = report->figures.students;
        auto const student = std::find_if(
            students.begin(), students.end(), [&](identity::User const& each) { return each.id == student_id; });
        if (student == students.end())
            return std::optional<Shown>();
        return std::optional<Shown>(
            Shown { reports::bulletin_of(*report, *student, context.now), class_id, period_id, rights.reads_all });
    }));
    if (!shown)
        return Error::not_found(NOT_FOUND, "bulletin not readable by this person");
    return std::move(*shown);
}

// GET /evaluations/bulletins/{class}/{period}/eleves/{student}
ErrorOr<http::Response> show_bulletin(Context& context)
{
    auto const shown = TRY(readable_bulletin(context));
    auto const& bulletin = shown.bulletin;
    view::Data data;
    data.set("structure_name", bulletin.structure_name);
    data.set("uai", bulletin.uai);
    data.set("school_year", bulletin.school_year);
    data.set("period_label", bulletin.period_label);
    data.set("class_name", bulletin.class_name);
    data.set("student_name", bulletin.student_name);
    data.set("birth_date", bulletin.birth_date);
    data.set("head_teachers", bulletin.head_teachers);
    data.set("working_copy", !bulletin.published);
    data.set("staff", shown.staff);
    data.set("class_url", class_path(shown.class_id, shown.period_id));
    auto const path = student_path(shown.class_id, shown.period_id, bulletin.student_id);
    data.set("pdf_url", path + "/bulletin.pdf");
    data.set("list_url",
        context.user().profile == access::Profile::Guardian
            ? std::string(BASE) + "?eleve=" + std::to_string(bulletin.student_id)
            : std::string(BASE));
    view::List lines;
    for (auto const& line : bulletin.lines) {
        view::Data row;
        row.set("subject", line.subject);
        row.set("teachers", line.teachers);
        row.set("average", line.average);
        row.set("class_average", line.class_average);
        row.set("lowest", line.lowest);
        row.set("highest", line.highest);
        row.set("appraisal", line.appraisal);
        lines.push_back(std::move(row));
    }
    data.set("lines", std::move(lines));
    data.set("overall", bulletin.overall);
    data.set("class_overall", bulletin.class_overall);
    data.set("absences", bulletin.absences);
    data.set("head_teacher_appraisal", bulletin.head_teacher_appraisal);
    data.set("principal_appraisal", bulletin.principal_appraisal);
    data.set("signed_at", bulletin.signed_at);
    auto response = view::render(context, "assessments/report_bulletin", std::move(data),
        "Bulletin du " + bulletin.period_label + " – " + bulletin.student_name, view::MenuEntry::Assessments);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

// GET /evaluations/bulletins/{class}/{period}/eleves/{student}/bulletin.pdf
ErrorOr<http::Response> download_bulletin(Context& context)
{
    auto const shown = TRY(readable_bulletin(context));
    http::Response response;
    response.body = reports::bulletin_pdf(shown.bulletin);
    response.set_header("Content-Type", "application/pdf");
    response.set_header(
        "Content-Disposition", pdf::attachment_disposition(reports::bulletin_file_name(shown.bulletin)));
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

} // namespace

std::vector<http::Route> report_routes()
{
    using http::Method;
    return {
        { Method::Get, BASE, READ, show_list },
        { Method::Get, std::string(BASE) + "/{class}/{period}", READ, show_class },
        { Method::Post, std::string(BASE) + "/{class}/{period}/appreciations", READ, save_appraisals },
        { Method::Post, std::string(BASE) + "/{class}/{period}/publier", REPORT, publish },
        { Method::Post, std::string(BASE) + "/{class}/{period}/retirer", REPORT, unpublish },
        { Method::Get, std::string(BASE) + "/{class}/{period}/eleves/{student}", READ, show_bulletin },
        { Method::Get, std::string(BASE) + "/{class}/{period}/eleves/{student}/bulletin.pdf", READ, download_bulletin },
    };
}

} // namespace cartable::assessments
