// SPDX-License-Identifier: AGPL-3.0-or-later
// The staff's entry of the timetable: the slots of a class or group (add,
// change, delete) refused in French when they clash with a teacher's, a
// room's or the class's other lessons; the first week A of the alternation.
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/timetable/timetable_internal.h"
#include <algorithm>
#include <variant>

namespace cartable::timetable {

namespace {

constexpr std::size_t ROOM_MAX = 30;
using Choices = std::vector<std::pair<long long, std::string>>;

std::string name_in(Choices const& choices, long long id)
{
    for (auto const& [key, name] : choices) {
        if (key == id)
            return name;
    }
    return {};
}

} // namespace

std::optional<int> weekday_of(std::string const& text)
{
    if (text.size() == 1 && text[0] >= '0' && text[0] <= '5')
        return text[0] - '0';
    auto const folded = fold_accents(trim_text(text));
    for (int index = 0; index < 6; ++index) {
        if (folded == fold_accents(school_time::weekday_name(index)))
            return index;
    }
    return std::nullopt;
}

ErrorOr<Slot> slot_of_fields(SlotFields const& fields, long long structure_id, Choices const& classes,
    Choices const& subjects, Choices const& teachers)
{
    Slot slot;
    slot.structure_id = structure_id;
    slot.class_id = parse_id(fields.class_id);
    slot.class_name = name_in(classes, slot.class_id);
    if (slot.class_name.empty())
        return Error::invalid("Choisissez une classe ou un groupe de l'établissement.");
    auto const weekday = weekday_of(fields.weekday);
    if (!weekday)
        return Error::invalid("Choisissez un jour, du lundi au samedi.");
    slot.weekday = *weekday;
    auto const start = school_time::parse_clock(fields.start);
    auto const end = school_time::parse_clock(fields.end);
    if (!start)
        return Error::invalid("L'heure de début n'est pas valide (hh:mm).");
    if (!end)
        return Error::invalid("L'heure de fin n'est pas valide (hh:mm).");
    slot.start_minute = *start;
    slot.end_minute = *end;
    if (slot.end_minute <= slot.start_minute)
        return Error::invalid("L'heure de fin doit être après l'heure de début.");
    slot.subject_id = parse_id(fields.subject_id);
    slot.subject_label = name_in(subjects, slot.subject_id);
    if (slot.subject_label.empty())
        return Error::invalid("Choisissez une matière de l'établissement.");
    if (!fields.teacher_id.empty()) {
        slot.teacher_id = parse_id(fields.teacher_id);
        slot.teacher_name = name_in(teachers, slot.teacher_id);
        if (slot.teacher_name.empty())
            return Error::invalid("Choisissez un enseignant de l'établissement.");
    }
    slot.room = std::string(trim_text(fields.room));
    if (slot.room.size() > ROOM_MAX)
        return Error::invalid("Le nom de la salle ne doit pas dépasser 30 caractères.");
    if (validate::has_control_characters(slot.room))
        return Error::invalid("Le nom de la salle contient des caractères invisibles : retapez-le.");
    auto week = std::string(trim_text(fields.week));
    if (week == "a")
        week = "A";
    if (week == "b")
        week = "B";
    if (!week.empty() && week != "A" && week != "B")
        return Error::invalid("La semaine est « toutes », « A » ou « B ».");
    slot.week = week;
    auto validity = [](std::string const& text, char const* which) -> ErrorOr<long long> {
        auto const trimmed = trim_text(text);
        if (trimmed.empty())
            return 0LL;
        auto const day = school_time::parse_day(trimmed);
        if (!day)
            return Error::invalid(std::string("La date « ") + which + " » n'est pas valide (jj/mm/aaaa).");
        return *day;
    };
    slot.valid_from = TRY(validity(fields.valid_from, "Valable du"));
    slot.valid_until = TRY(validity(fields.valid_until, "Valable jusqu'au"));
    if (slot.valid_from != 0 && slot.valid_until != 0 && slot.valid_until < slot.valid_from)
        return Error::invalid("La fin de validité du créneau doit suivre son début.");
    return slot;
}

namespace {

struct Lists {
    Choices classes;
    Choices subjects;
    Choices teachers;
    std::vector<Slot> slots; // of the class shown
    long long week_a_monday { 4 };
};

ErrorOr<Lists> load_lists(Context& context, long long class_id)
{
    auto const structure_id = context.user().structure_id;
    return context.database().read([&](soci::session& session) -> ErrorOr<Lists> {
        Lists lists;
        lists.classes = classes_of_structure(session, structure_id);
        lists.subjects = subjects_of(session, structure_id);
        lists.teachers = teachers_of(session, structure_id);
        if (class_id != 0)
            lists.slots = slots_of_class(session, class_id);
        lists.week_a_monday = week_a_monday_of(session, structure_id);
        return lists;
    });
}

view::List options(Choices const& choices, std::string const& selected)
{
    view::List list;
    for (auto const& [id, name] : choices) {
        view::Data item;
        auto const key = std::to_string(id);
        item.set("id", key);
        item.set("label", name);
        item.set("selected", key == selected);
        list.push_back(std::move(item));
    }
    return list;
}

SlotFields fields_of(http::FormFields const& form)
{
    SlotFields fields;
    fields.class_id = std::string(trim_text(form.get("classe")));
    fields.weekday = std::string(trim_text(form.get("jour")));
    fields.start = std::string(trim_text(form.get("debut")));
    fields.end = std::string(trim_text(form.get("fin")));
    fields.subject_id = std::string(trim_text(form.get("matiere")));
    fields.teacher_id = std::string(trim_text(form.get("enseignant")));
    fields.room = std::string(trim_text(form.get("salle")));
    fields.week = std::string(trim_text(form.get("semaine")));
    fields.valid_from = std::string(trim_text(form.get("valable_du")));
    fields.valid_until = std::string(trim_text(form.get("valable_au")));
    return fields;
}

SlotFields fields_of(Slot const& slot)
{
    SlotFields fields;
    fields.class_id = std::to_string(slot.class_id);
    fields.weekday = std::to_string(slot.weekday);
    fields.start = school_time::clock(slot.start_minute);
    fields.end = school_time::clock(slot.end_minute);
    fields.subject_id = std::to_string(slot.subject_id);
    fields.teacher_id = slot.teacher_id == 0 ? std::string() : std::to_string(slot.teacher_id);
    fields.room = slot.room;
    fields.week = slot.week;
    fields.valid_from = slot.valid_from == 0 ? std::string() : school_time::iso_day(slot.valid_from);
    fields.valid_until = slot.valid_until == 0 ? std::string() : school_time::iso_day(slot.valid_until);
    return fields;
}

std::string manage_path(long long class_id)
{
    return "/emploi-du-temps/gestion?classe=" + std::to_string(class_id);
}

ErrorOr<http::Response> render_manage(Context& context, long long class_id, SlotFields const& fields, long long editing,
    std::string const& error, std::string const& notice)
{
    auto const lists = TRY(load_lists(context, class_id));
    view::Data data;
    auto const current = std::to_string(class_id);
    data.set("classes", options(lists.classes, current));
    data.set("class_name", name_in(lists.classes, class_id));
    data.set("week_url", "/emploi-du-temps?classe=" + current);
    view::List slots;
    for (auto const& slot : lists.slots) {
        view::Data item;
        item.set("day", school_time::weekday_name(slot.weekday));
        item.set("hours", school_time::clock(slot.start_minute) + " – " + school_time::clock(slot.end_minute));
        item.set("subject", slot.subject_label);
        item.set("teacher", slot.teacher_name);
        item.set("room", slot.room);
        item.set("week", slot.week.empty() ? std::string("Toutes") : slot.week);
        std::string validity;
        if (slot.valid_from != 0)
            validity = "du " + school_time::long_day(slot.valid_from);
        if (slot.valid_until != 0)
            validity += (validity.empty() ? "jusqu'au " : " au ") + school_time::long_day(slot.valid_until);
        item.set("validity", validity);
        auto const path = "/emploi-du-temps/gestion/creneaux/" + std::to_string(slot.id);
        item.set("edit_url", path);
        item.set("delete_action", path + "/supprimer");
        slots.push_back(std::move(item));
    }
    data.set("has_slots", !slots.empty());
    data.set("slots", std::move(slots));
    data.set("editing", editing != 0);
    data.set("action",
        editing != 0 ? "/emploi-du-temps/gestion/creneaux/" + std::to_string(editing)
                     : std::string("/emploi-du-temps/gestion/creneaux"));
    data.set("error", error);
    data.set("notice", notice);
    data.set("form_classes", options(lists.classes, fields.class_id.empty() ? current : fields.class_id));
    view::List days;
    auto const chosen_day = weekday_of(fields.weekday);
    for (int index = 0; index < 6; ++index) {
        view::Data item;
        item.set("id", std::to_string(index));
        item.set("label", school_time::weekday_name(index));
        item.set("selected", chosen_day && *chosen_day == index);
        days.push_back(std::move(item));
    }
    data.set("days", std::move(days));
    data.set("start", fields.start);
    data.set("end", fields.end);
    data.set("subjects", options(lists.subjects, fields.subject_id));
    data.set("teachers", options(lists.teachers, fields.teacher_id));
    data.set("room", fields.room);
    data.set("week_all", fields.week.empty());
    data.set("week_a", fields.week == "A");
    data.set("week_b", fields.week == "B");
    data.set("valid_from",
        school_time::parse_day(fields.valid_from) ? school_time::iso_day(*school_time::parse_day(fields.valid_from))
                                                  : fields.valid_from);
    data.set("valid_until",
        school_time::parse_day(fields.valid_until) ? school_time::iso_day(*school_time::parse_day(fields.valid_until))
                                                   : fields.valid_until);
    data.set("week_a_monday", school_time::iso_day(lists.week_a_monday));
    return view::render(context, "timetable/manage", std::move(data),
        editing != 0 ? "Modifier un créneau" : "Saisir l'emploi du temps", view::MenuEntry::Timetable,
        error.empty() ? 200 : 422);
}

// The class of the query, of the person's structure; the first one when
// none is asked; not found for another structure's.
ErrorOr<long long> class_in_reach(Context& context, std::string const& asked)
{
    auto const structure_id = context.user().structure_id;
    auto const classes = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<Choices> { return classes_of_structure(session, structure_id); }));
    if (asked.empty())
        return classes.empty() ? 0LL : classes.front().first;
    auto const id = parse_id(asked);
    if (name_in(classes, id).empty())
        return Error::not_found();
    return id;
}

ErrorOr<Slot> slot_in_reach(Context& context)
{
    auto const slot_id = parse_id(context.request.parameter("slot"));
    auto const& person = context.user();
    auto const slot = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Slot>> {
        auto found = slot_by_id(session, slot_id);
        if (!found || !may_manage(person, found->structure_id))
            return std::optional<Slot>();
        return found;
    }));
    if (!slot)
        return Error::not_found();
    return *slot;
}

ErrorOr<http::Response> show_manage(Context& context)
{
    auto const class_id = TRY(class_in_reach(context, context.request.query.get("classe")));
    std::string notice;
    auto const done = context.request.query.get("fait");
    if (done == "ajoute")
        notice = "Le créneau est ajouté.";
    else if (done == "modifie")
        notice = "Le créneau est modifié.";
    else if (done == "supprime")
        notice = "Le créneau est supprimé.";
    else if (done == "semaines")
        notice = "L'alternance des semaines A et B est enregistrée.";
    return render_manage(context, class_id, {}, 0, {}, notice);
}

// The slot of the form, checked, or the form shown again with the reason.
ErrorOr<std::variant<Slot, std::string>> checked_slot(Context& context, SlotFields const& fields, long long editing)
{
    auto const structure_id = context.user().structure_id;
    auto const lists = TRY(load_lists(context, 0));
    auto parsed = slot_of_fields(fields, structure_id, lists.classes, lists.subjects, lists.teachers);
    if (parsed.is_error())
        return std::variant<Slot, std::string>(parsed.error().message_key);
    auto slot = parsed.release_value();
    slot.id = editing;
    auto const refusal
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<std::string>> {
              return slot_refusal(session, slot, editing);
          }));
    if (refusal)
        return std::variant<Slot, std::string>(*refusal);
    return std::variant<Slot, std::string>(slot);
}

ErrorOr<http::Response> create_slot(Context& context)
{
    auto const fields = fields_of(context.request.form);
    auto const class_id = TRY(class_in_reach(context, fields.class_id));
    auto checked = TRY(checked_slot(context, fields, 0));
    if (auto const* refusal = std::get_if<std::string>(&checked))
        return render_manage(context, class_id, fields, 0, *refusal, {});
    auto const slot = std::get<Slot>(checked);
    auto const actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        auto id = insert_slot(session, slot, context.now);
        identity::store::audit(session, actor, "timetable_slot_created", slot.class_name + " : " + slot_when(slot));
        return id;
    }));
    return http::Response::redirect(manage_path(slot.class_id) + "&fait=ajoute");
}

ErrorOr<http::Response> edit_slot(Context& context)
{
    auto const slot = TRY(slot_in_reach(context));
    return render_manage(context, slot.class_id, fields_of(slot), slot.id, {}, {});
}

ErrorOr<http::Response> change_slot(Context& context)
{
    auto const existing = TRY(slot_in_reach(context));
    auto const fields = fields_of(context.request.form);
    auto checked = TRY(checked_slot(context, fields, existing.id));
    if (auto const* refusal = std::get_if<std::string>(&checked))
        return render_manage(context, existing.class_id, fields, existing.id, *refusal, {});
    auto const slot = std::get<Slot>(checked);
    auto const actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        update_slot(session, slot);
        identity::store::audit(session, actor, "timetable_slot_changed", slot.class_name + " : " + slot_when(slot));
        return true;
    }));
    return http::Response::redirect(manage_path(slot.class_id) + "&fait=modifie");
}

ErrorOr<http::Response> remove_slot(Context& context)
{
    auto const slot = TRY(slot_in_reach(context));
    auto const actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        delete_slot(session, slot.id);
        identity::store::audit(session, actor, "timetable_slot_deleted", slot.class_name + " : " + slot_when(slot));
        return true;
    }));
    return http::Response::redirect(manage_path(slot.class_id) + "&fait=supprime");
}

ErrorOr<http::Response> save_weeks(Context& context)
{
    auto const class_id = TRY(class_in_reach(context, context.request.form.get("classe")));
    auto const day = school_time::parse_day(trim_text(context.request.form.get("premiere_semaine_a")));
    if (!day)
        return render_manage(
            context, class_id, {}, 0, "Indiquez la date d'un jour de la première semaine A (jj/mm/aaaa).", {});
    auto const monday = *day - school_time::weekday(*day);
    auto const structure_id = context.user().structure_id;
    auto const actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        set_week_a_monday(session, structure_id, monday);
        identity::store::audit(
            session, actor, "timetable_weeks", "Première semaine A : " + school_time::iso_day(monday));
        return true;
    }));
    return http::Response::redirect(manage_path(class_id) + "&fait=semaines");
}

} // namespace

std::vector<http::Route> manage_routes()
{
    using http::Method;
    return {
        { Method::Get, "/emploi-du-temps/gestion", MANAGE, show_manage },
        { Method::Post, "/emploi-du-temps/gestion/creneaux", MANAGE, create_slot },
        { Method::Get, "/emploi-du-temps/gestion/creneaux/{slot}", MANAGE, edit_slot },
        { Method::Post, "/emploi-du-temps/gestion/creneaux/{slot}", MANAGE, change_slot },
        { Method::Post, "/emploi-du-temps/gestion/creneaux/{slot}/supprimer", MANAGE, remove_slot },
        { Method::Post, "/emploi-du-temps/gestion/semaines", MANAGE, save_weeks },
    };
}

} // namespace cartable::timetable
