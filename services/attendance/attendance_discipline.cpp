// SPDX-License-Identifier: AGPL-3.0-or-later
// Incidents and punishments (who, when, why), and the structure's
// « Paramètres »: motives of absence and thresholds.
#include "core/identity/identity_store.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/attendance/attendance_pages.h"
#include <algorithm>
#include <set>

namespace cartable::attendance {

view::List student_groups(std::vector<StudentEntry> const& students, std::vector<long long> const& selected)
{
    view::List groups;
    std::optional<std::string> current;
    view::List options;
    auto flush = [&] {
        if (!current)
            return;
        view::Data group;
        group.set("label", current->empty() ? std::string("Sans classe") : *current);
        group.set("students", std::move(options));
        groups.push_back(std::move(group));
        options = view::List {};
    };
    for (auto const& student : students) {
        if (!current || student.class_name != *current) {
            flush();
            current = student.class_name;
        }
        view::Data option;
        option.set("id", std::to_string(student.id));
        option.set("name", student.name);
        option.set("selected", std::find(selected.begin(), selected.end(), student.id) != selected.end());
        options.push_back(std::move(option));
    }
    flush();
    return groups;
}

namespace {

constexpr std::size_t PLACE_MAX = 100;
constexpr std::size_t DESCRIPTION_MAX = 4000;
constexpr std::size_t REASON_MAX = 1000;
constexpr std::size_t LABEL_MAX = 100;
constexpr long long INCIDENT_DAYS = 60;

// Teachers choose among their students, the desk among the structure's.
ErrorOr<std::vector<StudentEntry>> choosable_students(Context& context)
{
    auto const& person = context.user();
    return context.database().read([&](soci::session& session) -> ErrorOr<std::vector<StudentEntry>> {
        if (person.profile == access::Profile::Teacher)
            return students_taught_by(session, person.id);
        if (!runs_desk(person))
            return std::vector<StudentEntry> {};
        return students_of_structure(session, person.structure_id);
    });
}

// Forbidden unless the person may punish (and report an incident about) every one of them.
ErrorOr<void> check_punishes(Context& context, std::vector<long long> const& students)
{
    auto const& person = context.user();
    auto const allowed = TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        return std::all_of(students.begin(), students.end(),
            [&](long long student) { return rights_toward(session, person, student).punishes; });
    }));
    if (!allowed)
        return Error::forbidden(
            "Vous ne pouvez signaler un incident ou donner une punition qu'à vos élèves.", "does not punish");
    return {};
}

// --- Incidents ---------------------------------------------------------------

// GET /vie-scolaire/incidents: the desk sees every incident of the last
// weeks, a teacher those he reported.
ErrorOr<http::Response> show_incidents(Context& context)
{
    auto const& person = context.user();
    auto const today = today_of(context);
    bool const desk = runs_desk(person);
    if (!desk && person.profile != access::Profile::Teacher)
        return Error::forbidden("Les incidents sont suivis par la vie scolaire.", "no incidents");
    auto incidents = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Incident>> {
        return incidents_between(session, person.structure_id, today - INCIDENT_DAYS, today + 1, desk ? 0 : person.id);
    }));
    view::Data data;
    view::List items;
    for (auto const& incident : incidents) {
        view::Data item;
        item.set("day", day_title(incident.day));
        item.set("hour", school_time::clock(incident.minute));
        item.set("place", incident.place);
        item.set("description", incident.description);
        item.set("reported_by", incident.reported_by);
        view::List students;
        for (auto const& [id, name] : incident.students) {
            view::Data student;
            student.set("name", name);
            student.set("url", student_path(id));
            student.set("punish_url",
                "/vie-scolaire/punitions/nouvelle?eleve=" + std::to_string(id)
                    + "&incident=" + std::to_string(incident.id));
            students.push_back(std::move(student));
        }
        item.set("has_students", !students.empty());
        item.set("students", std::move(students));
        items.push_back(std::move(item));
    }
    data.set("has_incidents", !items.empty());
    data.set("incidents", std::move(items));
    data.set("desk", desk);
    if (context.request.query.get("fait") == "incident")
        data.set("notice", "L'incident est enregistré.");
    return view::render(context, "attendance/incident_list", std::move(data), "Incidents", view::MenuEntry::Attendance);
}

struct IncidentForm {
    std::string day;
    std::string hour;
    std::string place;
    std::string description;
    std::vector<long long> students;
};

ErrorOr<http::Response> render_incident_form(Context& context, IncidentForm const& form, std::string const& error = {})
{
    auto students = TRY(choosable_students(context));
    view::Data data;
    data.set("error", error);
    data.set("day", form.day.empty() ? school_time::iso_day(today_of(context)) : form.day);
    data.set("hour", form.hour);
    data.set("place", form.place);
    data.set("description", form.description);
    data.set("groups", student_groups(students, form.students));
    data.set("has_students", !students.empty());
    return view::render(context, "attendance/incident_form", std::move(data), "Signaler un incident",
        view::MenuEntry::Attendance, error.empty() ? 200 : 400);
}

// GET /vie-scolaire/incidents/nouveau
ErrorOr<http::Response> show_incident_form(Context& context)
{
    return render_incident_form(context, IncidentForm {});
}

// POST /vie-scolaire/incidents/nouveau
ErrorOr<http::Response> report_incident(Context& context)
{
    auto const& fields = context.request.form;
    IncidentForm form;
    form.day = std::string(trim_text(fields.get("date")));
    form.hour = std::string(trim_text(fields.get("heure")));
    form.place = std::string(trim_text(fields.get("lieu")));
    form.description = std::string(trim_text(fields.get("description")));
    for (auto const& typed : fields.all("eleves"))
        if (auto const id = parse_id(trim_text(typed)); id != 0)
            form.students.push_back(id);
    if (form.students.empty())
        return render_incident_form(context, form, "Choisissez au moins un élève concerné.");
    TRY(check_punishes(context, form.students));
    auto const day = school_time::parse_day(form.day);
    if (!day)
        return render_incident_form(context, form, "Indiquez la date de l'incident (jj/mm/aaaa).");
    auto const minute = school_time::parse_clock(form.hour);
    if (!minute)
        return render_incident_form(context, form, "Indiquez l'heure de l'incident (par exemple 10:05).");
    if (form.description.empty())
        return render_incident_form(context, form, "Décrivez ce qui s'est passé.");
    if (auto refusal = text_refusal(form.place, PLACE_MAX, "Le lieu"))
        return render_incident_form(context, form, *refusal);
    if (auto refusal = text_refusal(form.description, DESCRIPTION_MAX, "La description"))
        return render_incident_form(context, form, *refusal);
    auto const& person = context.user();
    Incident incident;
    incident.day = *day;
    incident.minute = *minute;
    incident.place = form.place;
    incident.description = form.description;
    std::set<long long> const unique(form.students.begin(), form.students.end());
    for (auto const id : unique)
        incident.students.emplace_back(id, std::string());
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<void> {
        add_incident(session, person.structure_id, incident, person.id, context.now);
        return {};
    }));
    return http::Response::redirect("/vie-scolaire/incidents?fait=incident");
}

// --- Punishments -------------------------------------------------------------

struct PunishmentForm {
    std::string student;
    std::string kind { "retenue" };
    std::string reason;
    std::string day;
    std::string hour;
    std::string duration;
    std::string incident;
};

ErrorOr<http::Response> render_punishment_form(
    Context& context, PunishmentForm const& form, std::string const& error = {})
{
    auto students = TRY(choosable_students(context));
    view::Data data;
    data.set("error", error);
    data.set("groups", student_groups(students, { parse_id(form.student) }));
    data.set("has_students", !students.empty());
    view::List kinds;
    for (auto const kind : { Punishment::Detention, Punishment::ExtraWork, Punishment::Exclusion }) {
        view::Data option;
        option.set("value", std::string(punishment_store(kind)));
        option.set("label", std::string(punishment_label(kind)));
        option.set("selected", punishment_store(kind) == form.kind);
        kinds.push_back(std::move(option));
    }
    data.set("kinds", std::move(kinds));
    data.set("reason", form.reason);
    data.set("day", form.day.empty() ? school_time::iso_day(today_of(context)) : form.day);
    data.set("hour", form.hour);
    data.set("duration", form.duration);
    data.set("incident", form.incident);
    return view::render(context, "attendance/punishment_form", std::move(data), "Donner une punition",
        view::MenuEntry::Attendance, error.empty() ? 200 : 400);
}

// GET /vie-scolaire/punitions/nouvelle[?eleve=7&incident=3]
ErrorOr<http::Response> show_punishment_form(Context& context)
{
    PunishmentForm form;
    form.student = std::string(trim_text(context.request.query.get("eleve")));
    form.incident = std::string(trim_text(context.request.query.get("incident")));
    return render_punishment_form(context, form);
}

// POST /vie-scolaire/punitions/nouvelle
ErrorOr<http::Response> give_punishment(Context& context)
{
    auto const& fields = context.request.form;
    PunishmentForm form;
    form.student = std::string(trim_text(fields.get("eleve")));
    form.kind = std::string(trim_text(fields.get("type")));
    form.reason = std::string(trim_text(fields.get("motif")));
    form.day = std::string(trim_text(fields.get("date")));
    form.hour = std::string(trim_text(fields.get("heure")));
    form.duration = std::string(trim_text(fields.get("duree")));
    form.incident = std::string(trim_text(fields.get("incident")));
    auto const student_id = parse_id(form.student);
    if (student_id == 0)
        return render_punishment_form(context, form, "Choisissez l'élève.");
    TRY(check_punishes(context, { student_id }));
    auto const kind = punishment_from_store(form.kind);
    if (!kind)
        return render_punishment_form(
            context, form, "Choisissez Retenue, Devoir supplémentaire ou Exclusion de cours.");
    if (form.reason.empty())
        return render_punishment_form(context, form, "Indiquez le motif de la punition.");
    if (auto refusal = text_refusal(form.reason, REASON_MAX, "Le motif"))
        return render_punishment_form(context, form, *refusal);
    auto const day = school_time::parse_day(form.day);
    if (!day)
        return render_punishment_form(context, form, "Indiquez la date (jj/mm/aaaa).");
    GivenPunishment punishment;
    punishment.student_id = student_id;
    punishment.kind = *kind;
    punishment.reason = form.reason;
    punishment.day = *day;
    if (*kind == Punishment::Detention) {
        auto const start = school_time::parse_clock(form.hour);
        auto const duration = number_in(form.duration, 15, 480);
        if (!start || !duration)
            return render_punishment_form(
                context, form, "Indiquez l'heure et la durée de la retenue (de 15 à 480 minutes).");
        punishment.start_minute = *start;
        punishment.duration_minutes = *duration;
    }
    auto const& person = context.user();
    if (!form.incident.empty()) {
        punishment.incident_id = parse_id(form.incident);
        auto const incident = TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
            long long count = 0;
            session << "SELECT COUNT(*) FROM attendance_incident WHERE id = :id AND structure_id = :structure",
                soci::use(punishment.incident_id), soci::use(person.structure_id), soci::into(count);
            return count > 0;
        }));
        if (!incident)
            return render_punishment_form(context, form, "Cet incident n'existe pas.");
    }
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<void> {
        add_punishment(session, person.structure_id, punishment, person.id, context.now);
        return {};
    }));
    return http::Response::redirect(student_path(student_id) + "?fait=punition");
}

// --- « Paramètres » ------------------------------------------------------------

ErrorOr<void> check_settings(Context& context)
{
    if (!runs_desk(context.user()))
        return Error::forbidden(
            "Les paramètres de la vie scolaire sont réservés au CPE et à la direction.", "not the desk");
    return {};
}

ErrorOr<http::Response> render_settings(Context& context, std::string const& error = {})
{
    auto const& person = context.user();
    struct Content {
        std::vector<StoredMotive> motives;
        Settings settings;
    };
    // motives_of stores the defaults the first time: a write.
    auto content = TRY(context.database().write([&](soci::session& session) -> ErrorOr<Content> {
        return Content { all_motives(session, person.structure_id), settings_of(session, person.structure_id) };
    }));
    view::Data data;
    data.set("error", error);
    view::List motives;
    long long next_position = 0;
    for (auto const& stored : content.motives) {
        view::Data item;
        item.set("id", std::to_string(stored.motive.id));
        item.set("label", stored.motive.label);
        item.set("for_guardians", stored.motive.for_guardians);
        item.set("accepted", stored.motive.accepted);
        item.set("position", std::to_string(stored.position));
        item.set("active", stored.active);
        next_position = std::max(next_position, stored.position);
        motives.push_back(std::move(item));
    }
    data.set("motives", std::move(motives));
    data.set("next_position", std::to_string(next_position + 1));
    data.set("alert_half_days", std::to_string(content.settings.alert_half_days));
    data.set("alert_lateness", std::to_string(content.settings.alert_lateness));
    if (context.request.query.get("fait") == "enregistre")
        data.set("notice", "Les paramètres sont enregistrés.");
    return view::render(context, "attendance/settings_form", std::move(data), "Paramètres de la vie scolaire",
        view::MenuEntry::Attendance, error.empty() ? 200 : 400);
}

// GET /vie-scolaire/parametres
ErrorOr<http::Response> show_settings(Context& context)
{
    TRY(check_settings(context));
    return render_settings(context);
}

// POST /vie-scolaire/parametres: every motive, a new one, the thresholds.
ErrorOr<http::Response> save_all_settings(Context& context)
{
    TRY(check_settings(context));
    auto const& person = context.user();
    auto const& fields = context.request.form;
    Settings settings;
    auto const half_days = number_in(trim_text(fields.get("seuil_demi_journees")), 1, 100);
    auto const lateness = number_in(trim_text(fields.get("seuil_retards")), 1, 100);
    if (!half_days || !lateness)
        return render_settings(context, "Les seuils d'alerte sont des nombres entiers de 1 à 100.");
    settings.alert_half_days = *half_days;
    settings.alert_lateness = *lateness;
    auto existing = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::vector<StoredMotive>> {
        return all_motives(session, person.structure_id);
    }));
    std::set<std::string> labels;
    auto read_motive = [&](std::string const& key, StoredMotive& motive) -> std::optional<std::string> {
        motive.motive.label = std::string(trim_text(fields.get("libelle-" + key)));
        motive.motive.for_guardians = fields.get("familles-" + key) == "1";
        motive.motive.accepted = fields.get("accepte-" + key) == "1";
        motive.active = fields.get("actif-" + key) == "1" || key == "nouveau";
        if (motive.motive.label.empty())
            return std::string("Chaque motif a un libellé.");
        if (auto refusal = text_refusal(motive.motive.label, LABEL_MAX, "Le libellé d'un motif"))
            return refusal;
        if (motive.motive.label.find_first_of("\r\n\t") != std::string::npos)
            return std::string("Le libellé d'un motif tient sur une ligne.");
        auto const position = number_in(trim_text(fields.get("ordre-" + key)), 0, 999);
        if (!position)
            return std::string("L'ordre d'un motif est un nombre entier de 0 à 999.");
        motive.position = *position;
        if (!labels.insert(motive.motive.label).second)
            return "Deux motifs s'appellent « " + motive.motive.label + " ».";
        return std::nullopt;
    };
    std::vector<StoredMotive> changed;
    for (auto stored : existing) {
        auto const key = std::to_string(stored.motive.id);
        if (!fields.has("libelle-" + key))
            continue;
        if (auto refusal = read_motive(key, stored))
            return render_settings(context, *refusal);
        changed.push_back(std::move(stored));
    }
    std::optional<StoredMotive> added;
    if (!trim_text(fields.get("libelle-nouveau")).empty()) {
        StoredMotive fresh;
        if (auto refusal = read_motive("nouveau", fresh))
            return render_settings(context, *refusal);
        added = std::move(fresh);
    }
    auto saved = context.database().write([&](soci::session& session) -> ErrorOr<void> {
        for (auto const& stored : changed)
            TRY(save_motive(session, person.structure_id, stored));
        if (added)
            TRY(add_motive(session, person.structure_id, *added));
        save_settings(session, person.structure_id, settings);
        return {};
    });
    if (saved.is_error()) {
        if (saved.error().kind == ErrorKind::Conflict)
            return render_settings(context, saved.error().message_key);
        return saved.release_error();
    }
    return http::Response::redirect("/vie-scolaire/parametres?fait=enregistre");
}

} // namespace

std::vector<http::Route> discipline_routes()
{
    using http::Method;
    return {
        { Method::Get, "/vie-scolaire/incidents", CALL, show_incidents },
        { Method::Get, "/vie-scolaire/incidents/nouveau", CALL, show_incident_form },
        { Method::Post, "/vie-scolaire/incidents/nouveau", CALL, report_incident },
        { Method::Get, "/vie-scolaire/punitions/nouvelle", CALL, show_punishment_form },
        { Method::Post, "/vie-scolaire/punitions/nouvelle", CALL, give_punishment },
        { Method::Get, "/vie-scolaire/parametres", DESK, show_settings },
        { Method::Post, "/vie-scolaire/parametres", DESK, save_all_settings },
    };
}

} // namespace cartable::attendance
