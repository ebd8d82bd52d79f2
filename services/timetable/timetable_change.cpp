// SPDX-License-Identifier: AGPL-3.0-or-later
// « Modifier ce cours »: the staff cancel a lesson, move it, give it to a
// replacing teacher or put it in another room, for one date; the class's
// students, their guardians and both teachers are told.
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/notifications/notifications.h"
#include "services/timetable/timetable_internal.h"
#include <algorithm>
#include <set>

namespace cartable::timetable {

namespace {

constexpr std::size_t NOTE_MAX = 300;
constexpr std::size_t ROOM_MAX = 30;

struct Loaded {
    Slot slot;
    Lesson lesson;
};

// The lesson of the path, for staff of its structure; not found otherwise.
ErrorOr<Loaded> lesson_in_reach(Context& context)
{
    auto const slot_id = parse_id(context.request.parameter("slot"));
    auto const day = school_time::parse_day(context.request.parameter("day"));
    if (slot_id == 0 || !day)
        return Error::not_found();
    auto const& person = context.user();
    auto loaded = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Loaded>> {
        auto slot = slot_by_id(session, slot_id);
        if (!slot || !may_manage(person, slot->structure_id))
            return std::optional<Loaded>();
        auto found = lesson(session, slot_id, *day);
        if (!found)
            return std::optional<Loaded>();
        return std::optional<Loaded>(Loaded { *slot, *found });
    }));
    if (!loaded)
        return Error::not_found();
    return *loaded;
}

struct Form {
    bool cancelled { false };
    std::string new_day;
    std::string new_start;
    std::string new_end;
    std::string replacement;
    std::string room;
    std::string note;
};

Form form_of(http::FormFields const& fields)
{
    Form form;
    form.cancelled = fields.get("annuler") == "1";
    form.new_day = std::string(trim_text(fields.get("date")));
    form.new_start = std::string(trim_text(fields.get("debut")));
    form.new_end = std::string(trim_text(fields.get("fin")));
    form.replacement = std::string(trim_text(fields.get("remplacant")));
    form.room = std::string(trim_text(fields.get("salle")));
    form.note = std::string(trim_text(fields.get("note")));
    return form;
}

Form form_of(Loaded const& loaded)
{
    Form form;
    auto const& lesson = loaded.lesson;
    form.cancelled = lesson.status == LessonStatus::Cancelled;
    if (lesson.day != lesson.slot_day || lesson.start_minute != loaded.slot.start_minute) {
        form.new_day = school_time::iso_day(lesson.day);
        form.new_start = school_time::clock(lesson.start_minute);
        form.new_end = school_time::clock(lesson.end_minute);
    }
    if (lesson.teacher_id != lesson.usual_teacher_id)
        form.replacement = std::to_string(lesson.teacher_id);
    if (lesson.room_changed)
        form.room = lesson.room;
    form.note = lesson.note;
    return form;
}

using Choices = std::vector<std::pair<long long, std::string>>;

// The change the form describes, or the French reason it is not one.
ErrorOr<ChangeInput> change_of(Form const& form, Loaded const& loaded, Choices const& teachers)
{
    ChangeInput change;
    change.slot_id = loaded.slot.id;
    change.day = loaded.lesson.slot_day;
    change.cancelled = form.cancelled;
    if (validate::character_count(form.note) > NOTE_MAX)
        return Error::invalid("La note ne doit pas dépasser 300 caractères.");
    if (validate::character_count(form.room) > ROOM_MAX)
        return Error::invalid("Le nom de la salle ne doit pas dépasser 30 caractères.");
    if (validate::has_control_characters(form.note) || validate::has_control_characters(form.room))
        return Error::invalid("Le texte contient des caractères invisibles : retapez-le.");
    change.note = form.note;
    if (!form.new_day.empty() || !form.new_start.empty() || !form.new_end.empty()) {
        auto const day = school_time::parse_day(form.new_day);
        if (!day)
            return Error::invalid("Indiquez la nouvelle date du cours (jj/mm/aaaa).");
        auto const start = school_time::parse_clock(form.new_start);
        auto const end = school_time::parse_clock(form.new_end);
        if (!start || !end)
            return Error::invalid("Indiquez les nouvelles heures de début et de fin (hh:mm).");
        if (*end <= *start)
            return Error::invalid("L'heure de fin doit être après l'heure de début.");
        if (school_time::weekday(*day) == 6)
            return Error::invalid("Un cours ne peut pas être déplacé un dimanche.");
        if (*day != change.day || *start != loaded.slot.start_minute || *end != loaded.slot.end_minute) {
            change.new_day = *day;
            change.new_start = *start;
            change.new_end = *end;
        }
    }
    if (!form.replacement.empty()) {
        auto const id = parse_id(form.replacement);
        auto const known
            = std::any_of(teachers.begin(), teachers.end(), [&](auto const& teacher) { return teacher.first == id; });
        if (!known)
            return Error::invalid("Choisissez le remplaçant parmi les enseignants de l'établissement.");
        if (id != loaded.slot.teacher_id)
            change.replacement_id = id;
    }
    if (form.room != loaded.slot.room)
        change.new_room = form.room;
    if (!change.cancelled && change.new_day == 0 && change.replacement_id == 0 && change.new_room.empty())
        return Error::invalid("Indiquez un changement : annulation, déplacement, remplaçant ou autre salle.");
    return change;
}

ErrorOr<Choices> teachers_for(Context& context, long long structure_id)
{
    return context.database().read(
        [&](soci::session& session) -> ErrorOr<Choices> { return teachers_of(session, structure_id); });
}

http::Response render_form(Context& context, Loaded const& loaded, Form const& form, Choices const& teachers,
    std::string const& error, bool has_change)
{
    auto const& lesson = loaded.lesson;
    auto const path
        = "/emploi-du-temps/cours/" + std::to_string(loaded.slot.id) + "/" + school_time::iso_day(lesson.slot_day);
    view::Data data;
    std::string title = loaded.slot.subject_label;
    title += " – ";
    title += loaded.slot.class_name;
    data.set("lesson", title);
    data.set("when",
        school_time::long_day(lesson.slot_day) + ", " + school_time::clock(loaded.slot.start_minute) + " – "
            + school_time::clock(loaded.slot.end_minute));
    data.set("teacher", loaded.slot.teacher_name);
    data.set("room", loaded.slot.room);
    data.set("action", path);
    data.set("reset_action", path + "/retablir");
    data.set("has_change", has_change);
    data.set("back_url",
        "/emploi-du-temps?classe=" + std::to_string(loaded.slot.class_id)
            + "&semaine=" + school_time::iso_day(lesson.slot_day));
    data.set("error", error);
    data.set("cancelled", form.cancelled);
    data.set("new_day", form.new_day);
    data.set("new_start", form.new_start);
    data.set("new_end", form.new_end);
    data.set("new_room", form.room);
    data.set("note", form.note);
    view::List choices;
    auto const chosen = parse_id(form.replacement);
    for (auto const& [id, name] : teachers) {
        view::Data item;
        item.set("id", std::to_string(id));
        item.set("label", name);
        item.set("selected", id == chosen);
        choices.push_back(std::move(item));
    }
    data.set("teachers", std::move(choices));
    return view::render(context, "timetable/change", std::move(data), "Modifier ce cours", view::MenuEntry::Timetable,
        error.empty() ? 200 : 422);
}

ErrorOr<http::Response> edit_change(Context& context)
{
    auto const loaded = TRY(lesson_in_reach(context));
    auto const teachers = TRY(teachers_for(context, loaded.slot.structure_id));
    auto const has_change = loaded.lesson.status != LessonStatus::Normal || loaded.lesson.room_changed;
    return render_form(context, loaded, form_of(loaded), teachers, {}, has_change);
}

std::string change_text(ChangeInput const& change, Choices const& teachers)
{
    if (change.cancelled)
        return "annulé";
    std::string text;
    if (change.new_day != 0)
        text = "déplacé au " + school_time::long_day(change.new_day) + ", " + school_time::clock(change.new_start);
    if (change.replacement_id != 0) {
        for (auto const& [id, name] : teachers) {
            if (id == change.replacement_id) {
                if (!text.empty())
                    text += ", ";
                text += "remplacé par " + name;
            }
        }
    }
    if (!change.new_room.empty()) {
        if (!text.empty())
            text += ", ";
        text += "salle " + change.new_room;
    }
    return text;
}

// Tells the class's students, their guardians (about that child) and the
// teachers of the lesson; the recipients told.
std::vector<long long> tell_people(soci::session& session, Context& context, Loaded const& loaded,
    ChangeInput const& change, std::string const& what, std::size_t& outbox_rows)
{
    auto const& slot = loaded.slot;
    notifications::Notification notice;
    notice.event = notifications::Event::TimetableChange;
    notice.structure_id = slot.structure_id;
    notice.title = "Emploi du temps : " + slot.subject_label + " du " + school_time::long_day(change.day) + ", " + what;
    notice.link = "/emploi-du-temps?semaine=" + school_time::iso_day(change.day);
    auto const author = context.user().id;
    auto const public_url = context.public_url();
    std::vector<long long> told;
    std::set<long long> people;
    std::vector<long long> students;
    soci::rowset<long long> members
        = (session.prepare << "SELECT m.user_id FROM identity_class_member m JOIN identity_user u ON u.id = m.user_id "
                              "WHERE m.class_id = :class AND u.profile = 'student' ORDER BY m.user_id",
            soci::use(slot.class_id));
    for (auto id : members)
        students.push_back(id);
    for (auto id : students)
        people.insert(id);
    for (auto id : { slot.teacher_id, change.replacement_id, loaded.lesson.teacher_id }) {
        if (id != 0)
            people.insert(id);
    }
    people.erase(author);
    std::vector<long long> direct(people.begin(), people.end());
    outbox_rows += notifications::publish_to_many(session, notice, direct, public_url, context.now);
    told.insert(told.end(), direct.begin(), direct.end());
    // The guardians, about each child.
    for (auto child : students) {
        auto guardians = identity::store::active_guardians_of(session, child);
        std::erase(guardians, author);
        if (guardians.empty())
            continue;
        auto about_child = notice;
        about_child.child_id = child;
        about_child.link
            = "/emploi-du-temps?enfant=" + std::to_string(child) + "&semaine=" + school_time::iso_day(change.day);
        outbox_rows += notifications::publish_to_many(session, about_child, guardians, public_url, context.now);
        told.insert(told.end(), guardians.begin(), guardians.end());
    }
    return told;
}

ErrorOr<http::Response> save(Context& context)
{
    auto const loaded = TRY(lesson_in_reach(context));
    auto const teachers = TRY(teachers_for(context, loaded.slot.structure_id));
    auto const form = form_of(context.request.form);
    auto parsed = change_of(form, loaded, teachers);
    if (parsed.is_error())
        return render_form(context, loaded, form, teachers, parsed.error().message_key,
            loaded.lesson.status != LessonStatus::Normal || loaded.lesson.room_changed);
    auto const change = parsed.release_value();
    auto const refusal
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<std::string>> {
              return change_refusal(session, loaded.slot, change);
          }));
    if (refusal)
        return render_form(context, loaded, form, teachers, *refusal,
            loaded.lesson.status != LessonStatus::Normal || loaded.lesson.room_changed);
    auto const what = change_text(change, teachers);
    auto const actor = context.user().id;
    std::size_t outbox_rows = 0;
    auto const told = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::vector<long long>> {
        save_change(session, change, actor, context.now);
        identity::store::audit(session, actor, "timetable_change",
            loaded.slot.class_name + " : " + loaded.slot.subject_label + " du " + school_time::iso_day(change.day));
        return tell_people(session, context, loaded, change, what, outbox_rows);
    }));
    notifications::published(context.services, told, outbox_rows);
    return http::Response::redirect("/emploi-du-temps?classe=" + std::to_string(loaded.slot.class_id)
        + "&semaine=" + school_time::iso_day(change.day) + "&enregistre=1");
}

ErrorOr<http::Response> reset(Context& context)
{
    auto const loaded = TRY(lesson_in_reach(context));
    auto const actor = context.user().id;
    auto const day = loaded.lesson.slot_day;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        delete_change(session, loaded.slot.id, day);
        identity::store::audit(session, actor, "timetable_change_removed",
            loaded.slot.class_name + " : " + loaded.slot.subject_label + " du " + school_time::iso_day(day));
        return true;
    }));
    return http::Response::redirect(
        "/emploi-du-temps?classe=" + std::to_string(loaded.slot.class_id) + "&semaine=" + school_time::iso_day(day));
}

} // namespace

std::vector<http::Route> change_routes()
{
    using http::Method;
    return {
        { Method::Get, "/emploi-du-temps/cours/{slot}/{day}", MANAGE, edit_change },
        { Method::Post, "/emploi-du-temps/cours/{slot}/{day}", MANAGE, save },
        { Method::Post, "/emploi-du-temps/cours/{slot}/{day}/retablir", MANAGE, reset },
    };
}

} // namespace cartable::timetable
