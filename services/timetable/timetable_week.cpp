// SPDX-License-Identifier: AGPL-3.0-or-later
// « Emploi du temps »: the week of a student (or a guardian's child), a
// teacher, or a class the staff pick; a grid on wide screens, one day at a
// time on a phone, the date's changes shown plainly.
#include "core/displayed_child.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/timetable/timetable_internal.h"
#include <algorithm>
#include <map>
#include <set>

namespace cartable::timetable {

namespace {

constexpr long long MOVE_REACH_DAYS = 56; // lessons moved from up to 8 weeks away show where they were

struct Chosen {
    Target target;
    std::string parameter; // « enfant=12 », « classe=3 », « enseignant=5 », or nothing: one's own
};

ErrorOr<Chosen> chosen_target(Context& context)
{
    using access::Profile;
    auto const& person = context.user();
    auto const& query = context.request.query;
    Chosen chosen;
    TargetKind kind = TargetKind::Student;
    long long id = 0;
    if (query.has("enfant")) {
        id = parse_id(query.get("enfant"));
        chosen.parameter = "enfant=" + std::to_string(id);
    } else if (query.has("classe")) {
        kind = TargetKind::Class;
        id = parse_id(query.get("classe"));
        chosen.parameter = "classe=" + std::to_string(id);
    } else if (query.has("enseignant")) {
        kind = TargetKind::Teacher;
        id = parse_id(query.get("enseignant"));
        chosen.parameter = "enseignant=" + std::to_string(id);
    } else if (person.profile == Profile::Student) {
        id = person.id;
    } else if (person.profile == Profile::Teacher) {
        kind = TargetKind::Teacher;
        id = person.id;
    } else if (person.profile == Profile::Guardian) {
        auto const children = TRY(context.services.children_of(person.id, context.now));
        if (children.empty())
            return Error::not_found("Aucun enfant n'est rattaché à votre compte : il n'y a pas d'emploi du temps à "
                                    "afficher.");
        id = displayed_child(context, children);
        chosen.parameter = "enfant=" + std::to_string(id);
    } else {
        kind = TargetKind::Class;
        auto const structure_id = person.structure_id;
        auto const classes = TRY(context.database().read(
            [&](soci::session& session) -> ErrorOr<std::vector<std::pair<long long, std::string>>> {
                return classes_of_structure(session, structure_id);
            }));
        if (classes.empty())
            return Error::not_found("Votre établissement n'a pas encore de classe.");
        id = classes.front().first;
        chosen.parameter = "classe=" + std::to_string(id);
    }
    if (id == 0)
        return Error::not_found();
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Target>> {
        auto target = find_target(session, kind, id);
        if (!target || !may_read(facts_of(session, person, *target)))
            return std::optional<Target>();
        return target;
    }));
    if (!found)
        return Error::not_found();
    chosen.target = *found;
    return chosen;
}

std::string page_url(Chosen const& chosen, std::string const& name, std::string const& value)
{
    std::string url = "/emploi-du-temps?";
    if (!chosen.parameter.empty()) {
        url += chosen.parameter;
        url += '&';
    }
    url += name;
    url += '=';
    url += value;
    return url;
}

std::string moment(long long day, long long minute)
{
    return school_time::long_day(day) + ", " + school_time::clock(minute);
}

// A day's label without the year: « jeudi 3 décembre ».
std::string short_day(long long day)
{
    auto label = school_time::long_day(day);
    auto const space = label.rfind(' ');
    return space == std::string::npos ? label : label.substr(0, space);
}

struct Entry {
    long long day { 0 };
    long long start { 0 };
    view::Data data;
};

view::Data entry_data(Lesson const& lesson, Slot const* slot, bool show_class, bool manage, bool ghost)
{
    view::Data data;
    auto const start = ghost && slot != nullptr ? slot->start_minute : lesson.start_minute;
    auto const end = ghost && slot != nullptr ? slot->end_minute : lesson.end_minute;
    std::string time = school_time::clock(start);
    time += " – ";
    time += school_time::clock(end);
    data.set("time", std::move(time));
    data.set("subject", lesson.subject_label);
    data.set("class_name", show_class ? lesson.class_name : std::string());
    auto const cancelled = lesson.status == LessonStatus::Cancelled;
    data.set("cancelled", cancelled);
    data.set("teacher", lesson.teacher_name);
    data.set("room", ghost && slot != nullptr ? slot->room : lesson.room);
    data.set("note", lesson.note);
    std::string change;
    if (ghost) {
        change = "Déplacé au " + short_day(lesson.day) + ", " + school_time::clock(lesson.start_minute);
    } else if (cancelled) {
        change = "Annulé";
    } else if (lesson.status == LessonStatus::Moved && slot != nullptr) {
        change = "Cours déplacé (prévu le " + moment(lesson.slot_day, slot->start_minute) + ")";
    }
    data.set("change", std::move(change));
    data.set("moved_away", ghost);
    std::string replaced;
    if (!ghost && lesson.teacher_id != lesson.usual_teacher_id && lesson.teacher_id != 0)
        replaced = "Remplacé par " + lesson.teacher_name;
    data.set("replaced", std::move(replaced));
    std::string room_change;
    if (!ghost && lesson.room_changed && slot != nullptr)
        room_change = "Salle " + lesson.room + " (au lieu de " + slot->room + ")";
    data.set("room_change", std::move(room_change));
    data.set("changed", ghost || lesson.status != LessonStatus::Normal || lesson.room_changed);
    std::string change_url;
    if (manage) {
        change_url
            = "/emploi-du-temps/cours/" + std::to_string(lesson.slot_id) + "/" + school_time::iso_day(lesson.slot_day);
    }
    data.set("change_url", std::move(change_url));
    return data;
}

struct Week {
    std::vector<Lesson> lessons;
    std::map<long long, Slot> slots; // of the changed lessons
    char letter { 'A' };
    std::set<long long> managed_structures;
};

ErrorOr<Week> load_week(Context& context, Target const& target, long long monday)
{
    auto const& person = context.user();
    return context.database().read([&](soci::session& session) -> ErrorOr<Week> {
        Week week;
        week.lessons = lessons_of(session, target, monday - MOVE_REACH_DAYS, monday + 7 + MOVE_REACH_DAYS);
        for (auto const& lesson : week.lessons) {
            if ((lesson.status == LessonStatus::Moved || lesson.room_changed) && !week.slots.contains(lesson.slot_id)) {
                if (auto slot = slot_by_id(session, lesson.slot_id))
                    week.slots.emplace(lesson.slot_id, *slot);
            }
            if (may_manage(person, lesson.structure_id))
                week.managed_structures.insert(lesson.structure_id);
        }
        week.letter = week_letter(session, target.structure_id, monday);
        return week;
    });
}

view::Data day_links(Chosen const& chosen, long long day, long long monday, long long today_day)
{
    view::Data data;
    data.set("label", school_time::long_day(day));
    data.set("iso", school_time::iso_day(day));
    data.set("today", day == today_day);
    auto previous = day - 1;
    while (school_time::weekday(previous) >= 5)
        --previous;
    auto next = day + 1;
    while (school_time::weekday(next) >= 5)
        ++next;
    data.set("previous_url", page_url(chosen, "jour", school_time::iso_day(previous)));
    data.set("next_url", page_url(chosen, "jour", school_time::iso_day(next)));
    (void)monday;
    return data;
}

ErrorOr<http::Response> show_week(Context& context)
{
    using access::Profile;
    auto const chosen = TRY(chosen_target(context));
    auto const& target = chosen.target;
    auto const now_day = today(context);
    auto const& query = context.request.query;
    auto const asked_day = school_time::parse_day(query.get("jour"));
    auto const asked_week = school_time::parse_day(query.get("semaine"));
    // On a Saturday or a Sunday, the coming week.
    auto const coming = school_time::weekday(now_day) >= 5 ? now_day - school_time::weekday(now_day) + 7 : now_day;
    auto const reference = asked_day.value_or(asked_week.value_or(coming));
    auto const monday = reference - school_time::weekday(reference);
    auto shown_day = asked_day.value_or(now_day >= monday && now_day < monday + 5 ? now_day : monday);
    if (school_time::weekday(shown_day) == 6)
        shown_day = monday;
    auto week = TRY(load_week(context, target, monday));

    bool const show_class = target.kind == TargetKind::Teacher;
    std::vector<Entry> entries;
    for (auto const& lesson : week.lessons) {
        auto const found = week.slots.find(lesson.slot_id);
        Slot const* slot = found == week.slots.end() ? nullptr : &found->second;
        bool const manage = week.managed_structures.contains(lesson.structure_id);
        if (lesson.day >= monday && lesson.day < monday + 7)
            entries.push_back({ lesson.day, lesson.start_minute, entry_data(lesson, slot, show_class, manage, false) });
        // Where a moved lesson was to be.
        if (lesson.status == LessonStatus::Moved && slot != nullptr && lesson.slot_day >= monday
            && lesson.slot_day < monday + 7)
            entries.push_back(
                { lesson.slot_day, slot->start_minute, entry_data(lesson, slot, show_class, false, true) });
    }
    std::stable_sort(entries.begin(), entries.end(),
        [](Entry const& a, Entry const& b) { return std::tie(a.day, a.start) < std::tie(b.day, b.start); });

    auto const saturday
        = std::any_of(entries.begin(), entries.end(), [&](Entry const& entry) { return entry.day == monday + 5; });
    auto const last_day = monday + (saturday ? 6 : 5);
    std::set<long long> starts;
    for (auto const& entry : entries)
        starts.insert(entry.start);

    view::List headers;
    for (auto day = monday; day < last_day; ++day) {
        view::Data header;
        header.set("label", short_day(day));
        header.set("iso", school_time::iso_day(day));
        header.set("today", day == now_day);
        headers.push_back(std::move(header));
    }
    view::List rows;
    for (auto start : starts) {
        view::List cells;
        for (auto day = monday; day < last_day; ++day) {
            view::List lessons;
            for (auto const& entry : entries) {
                if (entry.day == day && entry.start == start)
                    lessons.push_back(entry.data);
            }
            view::Data cell;
            cell.set("has_lessons", !lessons.empty());
            cell.set("lessons", std::move(lessons));
            cells.push_back(std::move(cell));
        }
        view::Data row;
        row.set("hour", school_time::clock(start));
        row.set("cells", std::move(cells));
        rows.push_back(std::move(row));
    }
    view::List day_lessons;
    for (auto const& entry : entries) {
        if (entry.day == shown_day)
            day_lessons.push_back(entry.data);
    }

    view::Data data;
    auto const& person = context.user();
    std::string heading = "Emploi du temps";
    if (target.kind != TargetKind::Student || target.id != person.id) {
        heading += target.kind == TargetKind::Class ? " de la classe " : " de ";
        heading += target.label;
    }
    data.set("heading", heading);
    std::string week_label = "Semaine du " + school_time::long_day(monday);
    data.set("week_label", std::move(week_label));
    data.set("letter", std::string("Semaine ") + week.letter);
    data.set("previous_url", page_url(chosen, "semaine", school_time::iso_day(monday - 7)));
    data.set("next_url", page_url(chosen, "semaine", school_time::iso_day(monday + 7)));
    data.set("this_week_url", page_url(chosen, "semaine", school_time::iso_day(coming)));
    data.set("this_week", coming >= monday && coming < monday + 7);
    data.set("days", std::move(headers));
    data.set("rows", std::move(rows));
    data.set("empty", entries.empty());
    data.set("day", day_links(chosen, shown_day, monday, now_day));
    data.set("day_lessons", std::move(day_lessons));
    data.set("day_empty",
        std::none_of(entries.begin(), entries.end(), [&](Entry const& entry) { return entry.day == shown_day; }));

    // The guardian's children, the staff's choice of a class or teacher.
    view::List children;
    if (person.profile == Profile::Guardian) {
        for (auto const& child : TRY(context.services.children_of(person.id, context.now))) {
            view::Data item;
            item.set("label", child.display_name());
            item.set("url", "/emploi-du-temps?enfant=" + std::to_string(child.id));
            item.set("current", target.kind == TargetKind::Student && target.id == child.id);
            children.push_back(std::move(item));
        }
    }
    data.set("has_children", children.size() > 1);
    data.set("children", std::move(children));
    bool const staff = may_manage(person, person.structure_id);
    data.set("staff", staff);
    if (staff) {
        auto const structure_id = person.structure_id;
        auto lists = TRY(context.database().read(
            [&](soci::session& session) -> ErrorOr<std::pair<std::vector<std::pair<long long, std::string>>,
                                            std::vector<std::pair<long long, std::string>>>> {
                return std::make_pair(classes_of_structure(session, structure_id), teachers_of(session, structure_id));
            }));
        view::List classes;
        for (auto const& [id, name] : lists.first) {
            view::Data item;
            item.set("id", std::to_string(id));
            item.set("label", name);
            item.set("selected", target.kind == TargetKind::Class && target.id == id);
            classes.push_back(std::move(item));
        }
        view::List teachers;
        for (auto const& [id, name] : lists.second) {
            view::Data item;
            item.set("id", std::to_string(id));
            item.set("label", name);
            item.set("selected", target.kind == TargetKind::Teacher && target.id == id);
            teachers.push_back(std::move(item));
        }
        data.set("pick", staff);
        data.set("classes", std::move(classes));
        data.set("teachers", std::move(teachers));
    } else {
        data.set("pick", false);
    }
    data.set("manage_url",
        staff && target.kind == TargetKind::Class ? "/emploi-du-temps/gestion?classe=" + std::to_string(target.id)
                                                  : std::string());
    data.set("subscribe", !staff);
    data.set("saved", query.get("enregistre") == "1");
    return view::render(context, "timetable/week", std::move(data), heading, view::MenuEntry::Timetable);
}

} // namespace

std::vector<http::Route> week_routes()
{
    using http::Method;
    return {
        { Method::Get, "/emploi-du-temps", READ, show_week },
    };
}

} // namespace cartable::timetable
