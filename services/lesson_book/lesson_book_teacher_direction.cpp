// SPDX-License-Identifier: AGPL-3.0-or-later
// A class's book read as a whole: the week's load for its teachers, every
// subject of every week for the direction and the inspectors, who put their
// visa (« Vu le … par … »); the administrator's list of inspectors.
#include "core/html/rich_text.h"
#include "core/identity/identity_store.h"
#include "core/text.h"
#include "services/lesson_book/lesson_book_teacher_pages.h"
#include <algorithm>
#include <cstdio>

namespace cartable::lesson_book {

std::string short_day(long long day)
{
    auto const date = school_time::civil_from_days(day);
    char text[16];
    std::snprintf(text, sizeof text, "%02d/%02d/%04d", date.day, date.month, date.year);
    return text;
}

long long asked_monday(Context const& context)
{
    auto const day = school_time::parse_day(context.request.query.get("semaine"));
    return monday_of(day.value_or(today_of(context)));
}

std::string load_of_day(std::vector<Homework> const& due_that_day, long long except_id)
{
    std::size_t count = 0;
    std::string subjects;
    for (auto const& homework : due_that_day) {
        if (homework.id == except_id)
            continue;
        ++count;
        if (subjects.find(homework.subject_label) == std::string::npos) {
            if (!subjects.empty())
                subjects += ", ";
            subjects += homework.subject_label;
        }
    }
    if (count == 0)
        return {};
    return "Déjà " + std::to_string(count) + (count == 1 ? " travail" : " travaux") + " pour ce jour (" + subjects
        + ")";
}

std::vector<DayLoad> week_load(std::vector<Homework> const& homework, long long monday)
{
    std::vector<DayLoad> days;
    for (auto day = monday; day < monday + 6; ++day) {
        DayLoad load;
        load.day = day;
        for (auto const& item : homework) {
            if (item.due_day != day)
                continue;
            ++load.items;
            load.minutes += item.estimated_minutes;
            if (std::find(load.subjects.begin(), load.subjects.end(), item.subject_label) == load.subjects.end())
                load.subjects.push_back(item.subject_label);
        }
        days.push_back(std::move(load));
    }
    return days;
}

std::string visa_text(store::Visa const& visa)
{
    return "Vu le " + short_day(school_time::day_of_unix(visa.created_at)) + " par " + visa.author_name;
}

view::List visa_list(std::vector<store::Visa> const& visas)
{
    view::List list;
    for (auto const& visa : visas) {
        view::Data entry;
        entry.set("text", visa_text(visa));
        entry.set("until", "jusqu'au " + short_day(visa.until_day));
        entry.set("comment", visa.comment);
        list.push_back(std::move(entry));
    }
    return list;
}

namespace {

std::string class_name_of(soci::session& session, long long class_id)
{
    std::string name;
    session << "SELECT name FROM identity_class WHERE id = :id", soci::into(name), soci::use(class_id);
    return name;
}

view::List load_rows(std::vector<DayLoad> const& days)
{
    view::List rows;
    for (auto const& load : days) {
        view::Data row;
        row.set("day", school_time::long_day(load.day));
        row.set("items", std::to_string(load.items));
        row.set("minutes", load.minutes > 0 ? std::to_string(load.minutes) + " min" : "—");
        std::string subjects;
        for (auto const& subject : load.subjects)
            subjects += (subjects.empty() ? "" : ", ") + subject;
        row.set("subjects", subjects.empty() ? std::string("—") : subjects);
        row.set("busy", load.busy());
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace

// « Charge de travail »: a class's homework of the week, day by day, all
// subjects (its teachers read the class's published book).
ErrorOr<http::Response> show_workload(Context& context)
{
    auto const class_id = parse_id(context.request.query.get("classe"));
    auto const monday = asked_monday(context);
    auto const& person = context.user();
    auto const now = context.now;
    view::Data data;
    auto const found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        auto const right = right_of(session, person, class_id, 0);
        auto const facts = facts_of(session, person, class_id, 0);
        if (!may_read(right) || !(facts.teaches_class || sees_planned(right)))
            return false;
        auto const homework = homework_due(session, { class_id }, monday, monday + 7, now, false);
        data.set("rows", load_rows(week_load(homework, monday)));
        data.set("class_name", class_name_of(session, class_id));
        data.set("visas", visa_list(store::visas_of_class(session, class_id)));
        return true;
    }));
    if (!found)
        return Error::not_found();
    auto const base = std::string(TEACHER_BASE) + "/charge?classe=" + std::to_string(class_id) + "&semaine=";
    data.set("heading", "Semaine du " + school_time::long_day(monday));
    data.set("previous_url", base + school_time::iso_day(monday - 7));
    data.set("next_url", base + school_time::iso_day(monday + 7));
    data.set("week_url", std::string(TEACHER_BASE) + "?semaine=" + school_time::iso_day(monday));
    return view::render(
        context, "lesson_book/teacher_workload", std::move(data), "Charge de travail", view::MenuEntry::LessonBook);
}

namespace {

// The classes whose whole book the person reads (direction, inspectors).
std::vector<std::pair<long long, std::string>> classes_read_all(soci::session& session, identity::User const& person)
{
    std::vector<std::pair<long long, std::string>> list;
    for (auto class_id : classes_read_by(session, person)) {
        if (right_of(session, person, class_id, 0) == Right::ReadAll)
            list.emplace_back(class_id, class_name_of(session, class_id));
    }
    return list;
}

ErrorOr<http::Response> show_school_book(Context& context)
{
    auto const& person = context.user();
    auto const monday = asked_monday(context);
    auto class_id = parse_id(context.request.query.get("classe"));
    auto const now = context.now;
    view::Data data;
    auto const allowed = TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        auto const classes = classes_read_all(session, person);
        if (classes.empty())
            return false;
        bool known = class_id == 0;
        view::List choices;
        for (auto const& [id, name] : classes) {
            view::Data choice;
            choice.set("id", std::to_string(id));
            choice.set("name", name);
            choice.set("selected", id == class_id);
            known = known || id == class_id;
            choices.push_back(std::move(choice));
        }
        if (!known)
            return false;
        data.set("classes", std::move(choices));
        if (class_id == 0)
            return true;
        data.set("chosen", true);
        data.set("class_name", class_name_of(session, class_id));
        view::List seances;
        for (auto const& seance : seances_between(session, { class_id }, monday, monday + 7, now, true)) {
            view::Data entry;
            entry.set("day", school_time::long_day(seance.day));
            entry.set("subject", seance.subject_label);
            entry.set("title", seance.title);
            entry.set("author", seance.author_name);
            entry.set("content_html", html::sanitize(seance.content));
            entry.set("url", std::string(TEACHER_BASE) + "/seances/" + std::to_string(seance.id));
            if (seance.publish_at > now) {
                auto const local = school_time::local_from_unix(seance.publish_at);
                entry.set("planned",
                    "Publication prévue le " + short_day(school_time::floor_div(local, school_time::MINUTES_PER_DAY)));
            }
            seances.push_back(std::move(entry));
        }
        data.set("has_seances", !seances.empty());
        data.set("seances", std::move(seances));
        view::List homework;
        for (auto const& item : homework_due(session, { class_id }, monday, monday + 7, now, true)) {
            view::Data entry;
            entry.set("due", school_time::long_day(item.due_day));
            entry.set("subject", item.subject_label);
            entry.set("description_html", html::sanitize(item.description));
            entry.set("author", item.author_name);
            if (item.publish_at > now) {
                auto const local = school_time::local_from_unix(item.publish_at);
                entry.set("planned",
                    "Publication prévue le " + short_day(school_time::floor_div(local, school_time::MINUTES_PER_DAY)));
            }
            homework.push_back(std::move(entry));
        }
        data.set("has_homework", !homework.empty());
        data.set("homework", std::move(homework));
        data.set("visas", visa_list(store::visas_of_class(session, class_id)));
        data.set("may_visa", may_visa(facts_of(session, person, class_id, 0)));
        return true;
    }));
    if (!allowed)
        return Error::not_found();
    auto const base = std::string(SCHOOL_BASE) + "?classe=" + std::to_string(class_id) + "&semaine=";
    data.set("class_id", std::to_string(class_id));
    data.set("week", school_time::iso_day(monday));
    data.set("heading", "Semaine du " + school_time::long_day(monday));
    data.set("previous_url", base + school_time::iso_day(monday - 7));
    data.set("next_url", base + school_time::iso_day(monday + 7));
    data.set("today", school_time::iso_day(today_of(context)));
    data.set("saved", context.request.query.get("vise") == "1");
    data.set("error",
        context.request.query.get("erreur") == "date"
            ? "Indiquez jusqu'à quelle date vous visez le cahier (jj/mm/aaaa)."
            : "");
    return view::render(context, "lesson_book/direction_book", std::move(data), "Cahier de textes de l'établissement",
        view::MenuEntry::LessonBook);
}

ErrorOr<http::Response> put_visa(Context& context)
{
    auto const& person = context.user();
    auto const class_id = parse_id(context.request.form.get("classe"));
    auto const comment = std::string(trim_text(context.request.form.get("commentaire")));
    auto const until = school_time::parse_day(trim_text(context.request.form.get("jusqu_au")));
    auto const week = std::string(trim_text(context.request.form.get("semaine")));
    auto const back = std::string(SCHOOL_BASE) + "?classe=" + std::to_string(class_id)
        + "&semaine=" + (school_time::parse_day(week) ? week : school_time::iso_day(today_of(context)));
    auto const facts = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<Facts> { return facts_of(session, person, class_id, 0); }));
    if (!may_read(right_from(facts)))
        return Error::not_found();
    if (!may_visa(facts))
        return Error::forbidden("Seuls la direction et les inspecteurs visent le cahier de textes.", "visa refused");
    if (!until)
        return http::Response::redirect(back + "&erreur=date");
    if (comment.size() > 2000)
        return Error::invalid("Le commentaire ne doit pas dépasser 2 000 caractères.");
    store::Visa visa;
    visa.class_id = class_id;
    visa.author_name = person.display_name();
    visa.until_day = *until;
    visa.comment = comment;
    visa.created_at = context.now;
    auto const actor = person.id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        store::add_visa(session, visa, actor);
        identity::store::audit(
            session, actor, "lesson_book_visa", class_name_of(session, class_id) + " jusqu'au " + short_day(*until));
        return true;
    }));
    return http::Response::redirect(back + "&vise=1");
}

ErrorOr<http::Response> render_readers(Context& context, std::string const& error, std::string const& typed)
{
    auto const structure = context.user().structure_id;
    auto const readers
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<store::Reader>> {
              return store::readers_of(session, structure);
          }));
    view::List list;
    for (auto const& reader : readers) {
        view::Data entry;
        entry.set("id", std::to_string(reader.user_id));
        entry.set("name", reader.name);
        entry.set("login", reader.login);
        entry.set("since", short_day(school_time::day_of_unix(reader.created_at)));
        list.push_back(std::move(entry));
    }
    view::Data data;
    data.set("has_readers", !list.empty());
    data.set("readers", std::move(list));
    data.set("error", error);
    data.set("login", typed);
    data.set("saved", context.request.query.get("enregistre") == "1");
    return view::render(context, "lesson_book/direction_readers", std::move(data), "Lecteurs du cahier de textes",
        view::MenuEntry::LessonBook, error.empty() ? 200 : 422);
}

ErrorOr<http::Response> show_readers(Context& context)
{
    return render_readers(context, {}, {});
}

ErrorOr<http::Response> grant_reader(Context& context)
{
    auto const login = std::string(trim_text(context.request.form.get("identifiant")));
    auto const& admin = context.user();
    if (login.empty())
        return render_readers(context, "Indiquez l'identifiant de la personne.", login);
    auto const granted = TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        long long user_id = 0;
        session << "SELECT id FROM identity_user WHERE login = :login", soci::into(user_id), soci::use(login);
        if (user_id == 0)
            return false;
        store::grant_reader(session, user_id, admin.structure_id, admin.id, context.now);
        identity::store::audit(session, admin.id, "lesson_book_reader_granted", login);
        return true;
    }));
    if (!granted)
        return render_readers(context, "Aucun compte n'a l'identifiant « " + login + " ».", login);
    return http::Response::redirect("/cahier-de-textes/lecteurs?enregistre=1");
}

ErrorOr<http::Response> revoke_reader(Context& context)
{
    auto const user_id = parse_id(context.request.form.get("personne"));
    auto const& admin = context.user();
    auto const revoked = TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        if (!store::revoke_reader(session, user_id, admin.structure_id))
            return false;
        identity::store::audit(session, admin.id, "lesson_book_reader_revoked", std::to_string(user_id));
        return true;
    }));
    if (!revoked)
        return Error::not_found();
    return http::Response::redirect("/cahier-de-textes/lecteurs?enregistre=1");
}

} // namespace

ErrorOr<void> declare_direction_capabilities(access::CapabilityRegistry& registry)
{
    return registry.declare(
        { READERS, access::Scope::Structure, { access::Profile::Admin }, access::Risk::Configuration,
            "Choisir les inspecteurs qui lisent tout le cahier de textes de l'établissement" });
}

std::vector<http::Route> direction_routes()
{
    using http::Method;
    return {
        { Method::Get, "/cahier-de-textes/etablissement", READ, show_school_book },
        { Method::Post, "/cahier-de-textes/etablissement/visa", READ, put_visa },
        { Method::Get, "/cahier-de-textes/lecteurs", READERS, show_readers },
        { Method::Post, "/cahier-de-textes/lecteurs", READERS, grant_reader },
        { Method::Post, "/cahier-de-textes/lecteurs/retirer", READERS, revoke_reader },
    };
}

} // namespace cartable::lesson_book
