// SPDX-License-Identifier: AGPL-3.0-or-later
// The families' side of the évaluations: a student's (or a guardian's
// chosen child's) published marks of a period with the class figures, the
// « Relevé de notes » (also for the staff who read the class), and the
// direction's settings (periods, rounding). docs/assessments.md.
#include "core/db/row.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/assessments/assessments_grades_pages.h"
#include <algorithm>
#include <set>

namespace cartable::assessments::grades {

namespace {

constexpr char const* NO_STUDENT = "Cet élève n'existe pas ou ses notes ne vous sont pas accessibles.";

http::Response page(Context& context, char const* name, view::Data data, std::string title, int status = 200)
{
    auto response = view::render(context, std::string("assessments/") + name, std::move(data), std::move(title),
        view::MenuEntry::Assessments, status);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

// Whose marks the page shows: the student, or the guardian's child of
// ?eleve= (the first one by default; 404 for a child not theirs).
struct Family {
    identity::User student;
    bool guardian { false };
    std::vector<identity::User> children;
};

ErrorOr<Family> family_of(Context& context)
{
    auto const& user = context.user();
    auto const asked = context.request.query.get("eleve");
    Family family;
    if (user.profile == access::Profile::Student) {
        if (!asked.empty() && parse_id(asked) != user.id)
            return Error::not_found(NO_STUDENT, "student asked for another student");
        family.student = user;
        return family;
    }
    family.guardian = true;
    family.children = TRY(context.services.children_of(user.id, context.now));
    if (family.children.empty())
        return family;
    if (asked.empty()) {
        family.student = family.children.front();
        return family;
    }
    auto const id = parse_id(asked);
    auto const chosen = std::find_if(
        family.children.begin(), family.children.end(), [&](auto const& child) { return child.id == id; });
    if (chosen == family.children.end())
        return Error::not_found(NO_STUDENT, "guardian asked for another child");
    family.student = *chosen;
    return family;
}

std::string abbreviated_scale(long long scale)
{
    return "/" + std::to_string(scale);
}

// The student's marks of the class's period (published ones only), per
// subject, with the class figures.
void set_marks(soci::session& session, view::Data& data, ClassPeriod const& read, long long student_id)
{
    std::set<long long> classes_of_student;
    {
        soci::rowset<long long> rows = (session.prepare << "SELECT class_id FROM identity_class_member WHERE "
                                                           "user_id = :student",
            soci::use(student_id));
        for (auto id : rows)
            classes_of_student.insert(id);
    }
    auto const rounding = read.rounding;
    view::List subjects;
    for (auto const& subject : read.subjects) {
        view::Data entry;
        entry.set("label", subject.label);
        entry.set("teachers", subject.teacher_names);
        view::List assessments;
        for (std::size_t index = 0; index < read.assessments.size(); ++index) {
            auto const& stored = read.assessments[index];
            if (stored.subject_id != subject.id || !classes_of_student.contains(stored.class_id))
                continue;
            auto const& marked = read.marked[index];
            view::Data item;
            item.set("date", short_date(stored.day));
            item.set("title", stored.title);
            item.set("scale", abbreviated_scale(stored.scale));
            item.set("coefficient", school::format_hundredths(stored.coefficient_hundredths));
            auto const mark = marked.marks.find(student_id);
            if (mark == marked.marks.end()) {
                item.set("mark", std::string("–"));
            } else {
                item.set("mark", school::format_mark(mark->second));
                if (mark->second.code != school::Code::None) {
                    item.set("code", true);
                    item.set("code_label", std::string(school::code_label(mark->second.code)));
                }
            }
            auto const figures = school::figures_of(marked);
            item.set("average", shown(figures.average, rounding));
            item.set("minimum", shown_mark(figures.minimum));
            item.set("maximum", shown_mark(figures.maximum));
            assessments.push_back(std::move(item));
        }
        std::optional<double> own;
        if (auto const found = read.averages.by_subject.find(subject.id); found != read.averages.by_subject.end()) {
            if (auto const value = found->second.find(student_id); value != found->second.end())
                own = value->second;
        }
        std::optional<double> of_class;
        if (auto const found = read.averages.class_by_subject.find(subject.id);
            found != read.averages.class_by_subject.end())
            of_class = found->second.average;
        entry.set("average", shown(own, rounding));
        entry.set("class_average", shown(of_class, rounding));
        entry.set("empty", assessments.empty());
        entry.set("assessments", std::move(assessments));
        subjects.push_back(std::move(entry));
    }
    data.set("subjects", std::move(subjects));
    data.set("has_subjects", !read.subjects.empty());
    std::optional<double> overall;
    if (auto const value = read.averages.overall.find(student_id); value != read.averages.overall.end())
        overall = value->second;
    data.set("overall", shown(overall, rounding));
    data.set("class_overall", shown(read.averages.class_overall.average, rounding));
    // « Au centième » → « arrondies au centième »
    auto label = std::string(school::rounding_label(rounding));
    if (label.starts_with("Au"))
        label[0] = 'a';
    data.set("rounding", label);
    data.set("class_name", read.school_class.name);
    data.set("period_label", read.period.label);
    data.set("school_year", read.period.school_year);
    data.set("period_dates", "du " + short_date(read.period.first_day) + " au " + short_date(read.period.last_day));
}

void set_children(view::Data& data, Family const& family)
{
    view::List children;
    for (auto const& child : family.children) {
        view::Data entry;
        entry.set("id", std::to_string(child.id));
        entry.set("name", child.display_name());
        entry.set("selected", child.id == family.student.id);
        children.push_back(std::move(entry));
    }
    data.set("guardian", family.guardian);
    data.set("several_children", family.children.size() > 1);
    data.set("children", std::move(children));
}

} // namespace

ErrorOr<http::Response> show_family(Context& context)
{
    auto const family = TRY(family_of(context));
    auto const today = today_of(context);
    auto const now = context.now;
    view::Data data;
    set_children(data, family);
    data.set("student_name", family.student.display_name());
    data.set("student_id", std::to_string(family.student.id));
    data.set("has_student", family.student.id != 0);
    if (family.student.id != 0) {
        TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
            auto const period = asked_period(session, context, family.student.structure_id);
            data.set("periods", period_options(session, family.student.structure_id, today, period.id));
            auto const class_id = class_of_student(session, family.student.id);
            data.set("has_class", class_id != 0);
            if (class_id == 0)
                return true;
            auto const read = TRY(class_period(session, class_id, period.id, true, now));
            set_marks(session, data, read, family.student.id);
            data.set("releve_url",
                std::string(BASE) + "/releve?periode=" + std::to_string(period.id)
                    + (family.guardian ? "&eleve=" + std::to_string(family.student.id) : std::string()));
            return true;
        }));
    }
    return page(context, "marks_family", std::move(data), "Évaluations — notes de " + family.student.display_name());
}

ErrorOr<http::Response> show_releve(Context& context)
{
    auto const& user = context.user();
    auto const now = context.now;
    identity::User student;
    if (user.profile == access::Profile::Student || user.profile == access::Profile::Guardian) {
        auto const family = TRY(family_of(context));
        if (family.student.id == 0)
            return Error::not_found(NO_STUDENT, "guardian without children");
        student = family.student;
    }
    view::Data data;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        if (student.id == 0) {
            // The staff: a student of a class whose marks they read.
            auto const id = parse_id(context.request.query.get("eleve"));
            auto found = identity::store::find_users(session, { id });
            if (id == 0 || found.empty() || found.front().profile != access::Profile::Student)
                return Error::not_found(NO_STUDENT, "no such student");
            student = found.front();
        }
        auto const class_id = class_of_student(session, student.id);
        if (class_id == 0)
            return Error::not_found(NO_STUDENT, "student without a class");
        if (user.profile != access::Profile::Student && user.profile != access::Profile::Guardian
            && !rights_toward(session, user, class_id, 0).reads_all)
            return Error::not_found(NO_STUDENT, "staff does not read the class");
        auto const period = asked_period(session, context, student.structure_id);
        auto const read = TRY(class_period(session, class_id, period.id, true, now));
        set_marks(session, data, read, student.id);
        if (auto structure = context.services.structure(student.structure_id, now))
            data.set("structure", structure->name);
        return true;
    }));
    data.set("student_name", student.last_name + " " + student.first_name);
    data.set("back_url", std::string(BASE));
    return page(context, "releve_family", std::move(data), "Relevé de notes — " + student.display_name());
}

// --- Settings --------------------------------------------------------------------

namespace {

ErrorOr<void> may_set(Context& context)
{
    auto const& user = context.user();
    if (!identity::is_direction(user))
        return Error::forbidden(
            "Seuls la direction et les administrateurs de l'établissement règlent les périodes et l'arrondi.",
            "not direction");
    return {};
}

ErrorOr<http::Response> render_settings(
    Context& context, std::vector<school::Period> const* typed, std::string const& error, std::string const& notice)
{
    auto const& user = context.user();
    auto const today = today_of(context);
    view::Data data;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        auto const periods = typed != nullptr ? *typed : school::periods_of(session, user.structure_id, today);
        view::List rows;
        int position = 0;
        for (auto const& period : periods) {
            ++position;
            view::Data row;
            row.set("position", std::to_string(position));
            row.set("label", period.label);
            row.set("first", period.first_day > 0 ? school_time::iso_day(period.first_day) : std::string());
            row.set("last", period.last_day > 0 ? school_time::iso_day(period.last_day) : std::string());
            rows.push_back(std::move(row));
        }
        data.set("count", std::to_string(periods.size()));
        data.set("periods", std::move(rows));
        data.set("school_year", school::school_year_of_day(today));
        auto const rounding = rounding_of(session, user.structure_id);
        view::List roundings;
        for (auto const option : { school::Rounding::Hundredth, school::Rounding::Tenth, school::Rounding::Half }) {
            view::Data entry;
            entry.set("value", std::string(school::rounding_store(option)));
            entry.set("label", std::string(school::rounding_label(option)));
            entry.set("selected", option == rounding);
            roundings.push_back(std::move(entry));
        }
        data.set("roundings", std::move(roundings));
        return true;
    }));
    data.set("action", std::string(BASE) + "/parametres");
    data.set("error", error);
    data.set("notice", notice);
    return page(context, "settings_form", std::move(data), "Paramètres des évaluations", error.empty() ? 200 : 422);
}

} // namespace

ErrorOr<http::Response> show_settings(Context& context)
{
    TRY(may_set(context));
    std::string notice;
    if (context.request.query.get("enregistre") == "1")
        notice = "Les paramètres sont enregistrés.";
    return render_settings(context, nullptr, {}, notice);
}

ErrorOr<http::Response> save_settings(Context& context)
{
    TRY(may_set(context));
    auto const& user = context.user();
    auto const today = today_of(context);
    auto const& form = context.request.form;
    auto const what = form.get("action");
    if (what == "arrondi") {
        auto const value = form.get("arrondi");
        if (value != "centieme" && value != "dixieme" && value != "demi")
            return render_settings(context, nullptr, "Choisissez un arrondi des moyennes dans la liste.", {});
        TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
            session << "INSERT INTO assessments_setting (structure_id, rounding) VALUES (:structure, :rounding) ON "
                       "CONFLICT (structure_id) DO UPDATE SET rounding = excluded.rounding",
                soci::use(user.structure_id), soci::use(value);
            return true;
        }));
        return http::Response::redirect(std::string(BASE) + "/parametres?enregistre=1");
    }
    std::vector<school::Period> periods;
    if (what == "decoupage") {
        auto const division = form.get("decoupage");
        if (division != "trimestres" && division != "semestres")
            return render_settings(context, nullptr, "Choisissez « Trimestres » ou « Semestres ».", {});
        periods = school::default_periods(user.structure_id, today,
            division == "trimestres" ? school::Division::Trimestres : school::Division::Semestres);
    } else if (what == "periodes") {
        auto const count = parse_id(form.get("nombre"));
        if (count == 0 || count > 6)
            return render_settings(context, nullptr, "Indiquez entre une et six périodes.", {});
        for (long long position = 1; position <= count; ++position) {
            auto const suffix = std::to_string(position);
            school::Period period;
            period.structure_id = user.structure_id;
            period.school_year = school::school_year_of_day(today);
            period.position = static_cast<int>(position);
            period.label = std::string(trim_text(form.get("libelle_" + suffix)));
            auto const first = school_time::parse_day(trim_text(form.get("debut_" + suffix)));
            auto const last = school_time::parse_day(trim_text(form.get("fin_" + suffix)));
            period.first_day = first.value_or(0);
            period.last_day = last.value_or(0);
            periods.push_back(period);
            if (!first || !last)
                return render_settings(
                    context, &periods, "Les dates de la période " + suffix + " ne sont pas valides (jj/mm/aaaa).", {});
        }
        bool const control = std::any_of(periods.begin(), periods.end(), [](school::Period const& period) {
            return std::any_of(
                period.label.begin(), period.label.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
        });
        if (control)
            return render_settings(context, &periods, "Un nom de période contient des caractères invisibles.", {});
    } else {
        return render_settings(context, nullptr, "Choisissez ce que vous enregistrez.", {});
    }
    auto saved = TRY(context.database().write([&](soci::session& session) -> ErrorOr<ErrorOr<bool>> {
        // A period that assessments use cannot go away.
        long long used = 0;
        auto const year = school::school_year_of_day(today);
        auto const count = static_cast<long long>(periods.size());
        session << "SELECT COUNT(*) FROM assessments_assessment a JOIN school_period p ON p.id = a.period_id WHERE "
                   "p.structure_id = :structure AND p.school_year = :year AND p.position > :count",
            soci::use(user.structure_id), soci::use(year), soci::use(count), soci::into(used);
        if (used > 0)
            return ErrorOr<bool>(Error::invalid("Des évaluations sont rattachées à une période qui disparaîtrait : "
                                                "gardez autant de périodes ou déplacez d'abord ces évaluations."));
        auto const set = school::set_periods(session, user.structure_id, periods);
        if (set.is_error())
            return ErrorOr<bool>(set.error());
        return ErrorOr<bool>(true);
    }));
    if (saved.is_error())
        return render_settings(context, &periods, saved.error().message_key, {});
    return http::Response::redirect(std::string(BASE) + "/parametres?enregistre=1");
}

} // namespace cartable::assessments::grades
