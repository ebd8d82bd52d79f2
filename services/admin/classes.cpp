// SPDX-License-Identifier: AGPL-3.0-or-later
// « Classes et groupes »: a structure's classes and groups, their students
// and their teachers; groups made in the console; members added by their
// identifier. (Classes of the académie's feed come and go with the import.)
#include "core/identity/identity_store.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/admin/console.h"
#include "services/class_space/class_space.h"
#include <charconv>

namespace cartable::admin {

namespace {

struct ClassSheet {
    identity::SchoolClass school_class;
    struct Member {
        long long id { 0 };
        std::string name;
        std::string login;
        std::string profile;
        std::string subject;
        long long subject_id { 0 };
        bool head_teacher { false };
    };
    std::vector<Member> students;
    std::vector<Member> teachers;
};

// The class of the path, within the administered structure.
ErrorOr<std::pair<identity::Structure, identity::SchoolClass>> class_in_reach(Context& context)
{
    auto id = parse_id(context.request.parameter("id"));
    auto found
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<identity::SchoolClass>> {
              identity::SchoolClass result;
              session << "SELECT id, structure_id, name, kind FROM identity_class WHERE id = :id", soci::use(id),
                  soci::into(result.id), soci::into(result.structure_id), soci::into(result.name),
                  soci::into(result.kind);
              if (!session.got_data())
                  return std::optional<identity::SchoolClass>();
              return std::optional<identity::SchoolClass>(result);
          }));
    auto const& admin = context.user();
    if (!found || (found->structure_id != admin.structure_id && !admin.platform_admin))
        return Error::not_found();
    auto structure = context.services.structure(found->structure_id, context.now);
    if (!structure)
        return Error::not_found();
    return std::pair { *structure, *found };
}

ClassSheet sheet_of(soci::session& session, identity::SchoolClass const& school_class)
{
    ClassSheet sheet;
    sheet.school_class = school_class;
    ClassSheet::Member member;
    std::string first;
    std::string last;
    {
        soci::statement statement = (session.prepare
                << "SELECT u.id, u.first_name, u.last_name, u.login, u.profile FROM identity_class_member m JOIN "
                   "identity_user u ON u.id = m.user_id WHERE m.class_id = :class ORDER BY u.last_name, u.first_name",
            soci::use(school_class.id), soci::into(member.id), soci::into(first), soci::into(last),
            soci::into(member.login), soci::into(member.profile));
        statement.execute();
        while (statement.fetch()) {
            member.name = std::string(first).append(" ").append(last);
            sheet.students.push_back(member);
        }
    }
    long long head = 0;
    soci::statement statement = (session.prepare
            << "SELECT u.id, u.first_name, u.last_name, u.login, s.label, s.id, CASE WHEN EXISTS (SELECT 1 FROM "
               "directory_head_teacher h WHERE h.class_id = t.class_id AND h.teacher_id = u.id) THEN 1 ELSE 0 END "
               "FROM identity_teaching t JOIN identity_user u ON u.id = t.teacher_id JOIN identity_subject s ON "
               "s.id = t.subject_id WHERE t.class_id = :class ORDER BY u.last_name, u.first_name, s.label",
        soci::use(school_class.id), soci::into(member.id), soci::into(first), soci::into(last),
        soci::into(member.login), soci::into(member.subject), soci::into(member.subject_id), soci::into(head));
    statement.execute();
    while (statement.fetch()) {
        member.name = std::string(first).append(" ").append(last);
        member.head_teacher = head != 0;
        sheet.teachers.push_back(member);
    }
    return sheet;
}

std::string class_url(identity::SchoolClass const& school_class)
{
    return "/admin/classes/" + std::to_string(school_class.id);
}

ErrorOr<http::Response> class_page(Context& context, identity::Structure const& structure,
    identity::SchoolClass const& school_class, std::string const& error, int status)
{
    struct Loaded {
        ClassSheet sheet;
        std::vector<std::pair<long long, std::string>> subjects;
    };
    auto loaded = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Loaded> {
        Loaded result { sheet_of(session, school_class), {} };
        long long id = 0;
        std::string label;
        soci::statement statement = (session.prepare << "SELECT id, label FROM identity_subject WHERE structure_id = "
                                                        ":structure ORDER BY label",
            soci::use(structure.id), soci::into(id), soci::into(label));
        statement.execute();
        while (statement.fetch())
            result.subjects.emplace_back(id, label);
        return result;
    }));
    auto data = console_data(context, structure);
    data.set("class_id", std::to_string(school_class.id));
    data.set("title", (school_class.kind == "group" ? "Groupe " : "Classe ") + school_class.name);
    auto members = [](std::vector<ClassSheet::Member> const& list) {
        view::List result;
        for (auto const& member : list) {
            view::Data entry;
            entry.set("id", std::to_string(member.id));
            entry.set("name", member.name);
            entry.set("login", member.login);
            entry.set("url", "/admin/personnes/" + std::to_string(member.id));
            entry.set("subject", member.subject);
            entry.set("subject_id", std::to_string(member.subject_id));
            entry.set("head_teacher", member.head_teacher);
            auto profile = access::profile_from_code(member.profile);
            entry.set("profile", profile ? std::string(access::profile_label(*profile)) : std::string());
            result.push_back(std::move(entry));
        }
        return result;
    };
    data.set("student_count", std::to_string(loaded.sheet.students.size()));
    data.set("students", members(loaded.sheet.students));
    data.set("teachers", members(loaded.sheet.teachers));
    view::List subjects;
    for (auto const& [id, label] : loaded.subjects) {
        view::Data option;
        option.set("value", std::to_string(id));
        option.set("label", label);
        subjects.push_back(std::move(option));
    }
    data.set("subjects", std::move(subjects));
    if (!error.empty())
        data.set("error", error);
    return view::render(
        context, "admin/class", std::move(data), "Classe " + school_class.name, view::MenuEntry::None, status);
}

// The person of that identifier in the structure, if any.
std::optional<identity::User> person_by_login(soci::session& session, long long structure_id, std::string const& login)
{
    auto found = identity::store::find_user_for_sign_in(session, login);
    if (!found || found->first.structure_id != structure_id)
        return std::nullopt;
    return found->first;
}

} // namespace

ErrorOr<http::Response> show_classes(Context& context)
{
    auto structure = TRY(administered_structure(context));
    struct Row {
        long long id { 0 };
        std::string name;
        std::string kind;
        long long students { 0 };
        long long teachers { 0 };
    };
    auto rows = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Row>> {
        std::vector<Row> result;
        Row row;
        soci::statement statement = (session.prepare
                << "SELECT c.id, c.name, c.kind, (SELECT COUNT(*) FROM identity_class_member m WHERE m.class_id = "
                   "c.id), (SELECT COUNT(DISTINCT t.teacher_id) FROM identity_teaching t WHERE t.class_id = c.id) "
                   "FROM identity_class c WHERE c.structure_id = :structure ORDER BY c.kind, c.name",
            soci::use(structure.id), soci::into(row.id), soci::into(row.name), soci::into(row.kind),
            soci::into(row.students), soci::into(row.teachers));
        statement.execute();
        while (statement.fetch())
            result.push_back(row);
        return result;
    }));
    auto data = console_data(context, structure);
    view::List classes;
    view::List groups;
    for (auto const& row : rows) {
        view::Data entry;
        entry.set("name", row.name);
        entry.set("url", "/admin/classes/" + std::to_string(row.id));
        entry.set("students", std::to_string(row.students));
        entry.set("teachers", std::to_string(row.teachers));
        (row.kind == "group" ? groups : classes).push_back(std::move(entry));
    }
    data.set("classes", std::move(classes));
    data.set("groups", std::move(groups));
    data.set("error",
        context.request.query.get("erreur") == "nom" ? "Donnez au groupe un nom de 1 à 60 caractères, "
                                                       "qui n'est pas déjà pris."
                                                     : "");
    return view::render(context, "admin/classes", std::move(data), "Classes et groupes");
}

ErrorOr<http::Response> create_group(Context& context)
{
    auto structure = TRY(administered_structure(context));
    auto name = std::string(trim_text(context.request.form.get("nom")));
    auto failure = http::Response::redirect("/admin/classes?erreur=nom" + structure_query(context, structure, '&'));
    if (name.empty() || name.size() > 60)
        return failure;
    auto created = TRY(context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        long long taken = 0;
        session << "SELECT COUNT(*) FROM identity_class WHERE structure_id = :structure AND name = :name",
            soci::use(structure.id), soci::use(name), soci::into(taken);
        if (taken != 0)
            return 0LL;
        auto id = identity::store::create_class(session, { 0, structure.id, name, "group" });
        class_space::ensure_spaces(session, context.now);
        identity::store::audit_in(session, context.user().id, structure.id, "group_created", name);
        return id;
    }));
    if (created == 0)
        return failure;
    context.services.forget_directory();
    return http::Response::redirect("/admin/classes/" + std::to_string(created));
}

ErrorOr<http::Response> show_class(Context& context)
{
    auto const reached = TRY(class_in_reach(context));
    auto const& structure = reached.first;
    auto const& school_class = reached.second;
    return class_page(context, structure, school_class, {}, 200);
}

ErrorOr<http::Response> add_class_member(Context& context)
{
    auto const reached = TRY(class_in_reach(context));
    auto const& structure = reached.first;
    auto const& school_class = reached.second;
    auto login = std::string(trim_text(context.request.form.get("identifiant")));
    auto outcome = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::string> {
        auto person = person_by_login(session, structure.id, login);
        if (!person)
            return std::string("Aucune personne de l'établissement n'a l'identifiant « " + login + " ».");
        if (person->profile != access::Profile::Student)
            return std::string("Seuls les élèves sont membres d'une classe ou d'un groupe ; ajoutez les enseignants "
                               "avec leur matière.");
        long long present = 0;
        session << "SELECT COUNT(*) FROM identity_class_member WHERE class_id = :class AND user_id = :user",
            soci::use(school_class.id), soci::use(person->id), soci::into(present);
        if (present == 0)
            identity::store::add_class_member(session, school_class.id, person->id);
        identity::store::audit_in(session, context.user().id, structure.id, "class_member_added",
            person->display_name() + " → " + school_class.name);
        return std::string();
    }));
    if (!outcome.empty())
        return class_page(context, structure, school_class, outcome, 400);
    context.services.forget_directory();
    return http::Response::redirect(class_url(school_class));
}

ErrorOr<http::Response> remove_class_member(Context& context)
{
    auto const reached = TRY(class_in_reach(context));
    auto const& structure = reached.first;
    auto const& school_class = reached.second;
    auto user_id = parse_id(context.request.form.get("personne"));
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        auto person = identity::store::find_user(session, user_id);
        soci::statement removal = (session.prepare << "DELETE FROM identity_class_member WHERE class_id = :class AND "
                                                      "user_id = :user",
            soci::use(school_class.id), soci::use(user_id));
        removal.execute(true);
        if (removal.get_affected_rows() > 0 && person)
            identity::store::audit_in(session, context.user().id, structure.id, "class_member_removed",
                person->display_name() + " ← " + school_class.name);
        return true;
    }));
    context.services.forget_directory();
    return http::Response::redirect(class_url(school_class));
}

ErrorOr<http::Response> add_class_teacher(Context& context)
{
    auto const reached = TRY(class_in_reach(context));
    auto const& structure = reached.first;
    auto const& school_class = reached.second;
    auto login = std::string(trim_text(context.request.form.get("identifiant")));
    auto subject_id = parse_id(context.request.form.get("matiere"));
    auto outcome = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::string> {
        auto person = person_by_login(session, structure.id, login);
        if (!person || person->profile != access::Profile::Teacher)
            return std::string("Aucun enseignant de l'établissement n'a l'identifiant « " + login + " ».");
        long long known = 0;
        session << "SELECT COUNT(*) FROM identity_subject WHERE id = :id AND structure_id = :structure",
            soci::use(subject_id), soci::use(structure.id), soci::into(known);
        if (known == 0)
            return std::string("Choisissez une matière de l'établissement.");
        long long present = 0;
        session << "SELECT COUNT(*) FROM identity_teaching WHERE teacher_id = :teacher AND class_id = :class AND "
                   "subject_id = :subject",
            soci::use(person->id), soci::use(school_class.id), soci::use(subject_id), soci::into(present);
        if (present == 0)
            identity::store::add_teaching(session, person->id, school_class.id, subject_id);
        identity::store::audit_in(session, context.user().id, structure.id, "class_teacher_added",
            person->display_name() + " → " + school_class.name);
        return std::string();
    }));
    if (!outcome.empty())
        return class_page(context, structure, school_class, outcome, 400);
    context.services.forget_directory();
    return http::Response::redirect(class_url(school_class));
}

ErrorOr<http::Response> remove_class_teacher(Context& context)
{
    auto const reached = TRY(class_in_reach(context));
    auto const& structure = reached.first;
    auto const& school_class = reached.second;
    auto user_id = parse_id(context.request.form.get("personne"));
    auto subject_id = parse_id(context.request.form.get("matiere"));
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        auto person = identity::store::find_user(session, user_id);
        soci::statement removal = (session.prepare << "DELETE FROM identity_teaching WHERE class_id = :class AND "
                                                      "teacher_id = :teacher AND subject_id = :subject",
            soci::use(school_class.id), soci::use(user_id), soci::use(subject_id));
        removal.execute(true);
        if (removal.get_affected_rows() > 0 && person)
            identity::store::audit_in(session, context.user().id, structure.id, "class_teacher_removed",
                person->display_name() + " ← " + school_class.name);
        return true;
    }));
    context.services.forget_directory();
    return http::Response::redirect(class_url(school_class));
}

} // namespace cartable::admin
