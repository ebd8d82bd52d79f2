// SPDX-License-Identifier: AGPL-3.0-or-later
// « Emploi du temps »: lessons expanded from the weekly slots (weeks A and
// B, validity, the date's changes), the policy as a table, every route by
// every kind of person, the staff's slot form and its refusals, the CSV
// import, the changes' notifications, script payloads and the private
// iCalendar link (both engines).
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "services/timetable/timetable_internal.h"
#include "tests/support/app_driver.h"
#include <algorithm>
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::query_value;
using cartable::testing::rows_of_tables;
using cartable::testing::user_id;
namespace tt = cartable::timetable;

namespace {

// A Monday far from the demo's changes (which are near today).
long long far_monday()
{
    auto const day = school_time::days_from_civil({ 2030, 3, 6 });
    return day - school_time::weekday(day);
}

long long class_id(AppDriver& driver, std::string const& name)
{
    return query_value(driver, "SELECT id FROM identity_class WHERE name = '" + name + "'");
}

long long structure_id(AppDriver& driver)
{
    return query_value(driver, "SELECT id FROM identity_structure WHERE uai = '0300027A'");
}

// The slot of a class on a weekday at a start (« 08:00 »).
long long slot_id(AppDriver& driver, std::string const& class_name, int weekday, std::string const& start)
{
    auto const minute = school_time::parse_clock(start).value_or(0);
    return query_value(driver,
        "SELECT s.id FROM timetable_slot s JOIN identity_class c ON c.id = s.class_id WHERE c.name = '" + class_name
            + "' AND s.weekday = " + std::to_string(weekday) + " AND s.start_minute = " + std::to_string(minute));
}

void sign_in(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
    driver.get("/accueil");
}

long long other_structure_admin(AppDriver& driver)
{
    auto hash = driver.services().password_hasher->hash(app::DEMO_PASSWORD).release_value();
    auto lease = driver.services().database->lease();
    identity::Structure structure;
    structure.uai = "0340001B";
    structure.name = "Collège Jean Moulin";
    structure.academy = "Montpellier";
    structure.region = "Occitanie";
    identity::User admin;
    admin.login = "admin.moulin";
    admin.first_name = "Paul";
    admin.last_name = "ROCHE";
    admin.profile = access::Profile::Admin;
    admin.structure_id = identity::store::create_structure(lease.session(), structure);
    return identity::store::create_user(lease.session(), admin, hash);
}

bool page_is_safe(std::string const& body)
{
    if (contains(body, "<script>alert") || contains(body, "href=\"javascript:") || contains(body, "<svg")
        || contains(body, "<img src=x"))
        return false;
    return true;
}

std::string iso(long long day)
{
    return school_time::iso_day(day);
}

} // namespace

// Weeks alternate from the structure's first week A; a slot of weeks A
// only is in A weeks, one of weeks B in B weeks.
TEST(TimetableExpansion, WeeksAAndBFollowTheStructureSetting)
{
    AppDriver driver;
    auto const monday = far_monday();
    auto const structure = structure_id(driver);
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    tt::set_week_a_monday(session, structure, monday);
    struct Case {
        long long day;
        char letter;
    };
    for (auto const& [day, letter] :
        std::initializer_list<Case> { { monday, 'A' }, { monday + 4, 'A' }, { monday + 7, 'B' }, { monday + 13, 'B' },
            { monday + 14, 'A' }, { monday - 1, 'B' }, { monday - 7, 'B' }, { monday - 14, 'A' } })
        EXPECT_EQ(tt::week_letter(session, structure, day), letter) << iso(day);
    tt::set_week_a_monday(session, structure, monday);
    auto const tpro = class_id(driver, "TPRO");
    auto const wednesday_a = slot_id(driver, "TPRO", 2, "08:00");
    auto const thursday_b = slot_id(driver, "TPRO", 3, "14:00");
    auto has = [&](long long week, long long slot) {
        auto lessons = tt::lessons_of_classes(session, { tpro }, week, week + 7);
        return std::any_of(
            lessons.begin(), lessons.end(), [&](tt::Lesson const& lesson) { return lesson.slot_id == slot; });
    };
    struct Presence {
        long long week;
        long long slot;
        bool present;
    };
    for (auto const& [week, slot, present] :
        std::initializer_list<Presence> { { monday, wednesday_a, true }, { monday, thursday_b, false },
            { monday + 7, wednesday_a, false }, { monday + 7, thursday_b, true }, { monday + 14, wednesday_a, true } })
        EXPECT_EQ(has(week, slot), present) << iso(week) << " slot " << slot;
    // Slots of every week: 14 lessons of TPRO in an A week, 13 + 1 in a B week.
    EXPECT_EQ(tt::lessons_of_classes(session, { tpro }, monday, monday + 7).size(), 13U);
    EXPECT_EQ(tt::lessons_of_classes(session, { tpro }, monday + 7, monday + 14).size(), 13U);
}

// A slot counts from its first day to its last.
TEST(TimetableExpansion, ValidFromAndUntil)
{
    AppDriver driver;
    auto const monday = far_monday();
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    tt::Slot slot;
    slot.structure_id = structure_id(driver);
    slot.class_id = class_id(driver, "TPRO");
    slot.subject_id = query_value(driver, "SELECT id FROM identity_subject WHERE code = '061300'");
    slot.teacher_id = user_id(driver, "marie.delmas");
    slot.weekday = 5; // samedi
    slot.start_minute = 8 * 60LL;
    slot.end_minute = 10 * 60LL;
    slot.room = "A04";
    slot.valid_from = monday + 7 + 5;
    slot.valid_until = monday + 14 + 5;
    auto const id = tt::insert_slot(session, slot, 0);
    struct Case {
        long long week;
        bool present;
    };
    for (auto const& [week, present] : std::initializer_list<Case> {
             { monday, false }, { monday + 7, true }, { monday + 14, true }, { monday + 21, false } }) {
        auto lessons = tt::lessons_of_classes(session, { slot.class_id }, week, week + 7);
        auto found = std::any_of(
            lessons.begin(), lessons.end(), [&](tt::Lesson const& lesson) { return lesson.slot_id == id; });
        EXPECT_EQ(found, present) << iso(week);
    }
}

// The date's changes: cancelled (still listed), moved within the week,
// moved in from another week, a replacing teacher seen by both teachers.
TEST(TimetableExpansion, ChangesOfADate)
{
    AppDriver driver;
    auto const monday = far_monday();
    auto const structure = structure_id(driver);
    auto const tpro = class_id(driver, "TPRO");
    auto const samuel = user_id(driver, "samuel.beaumont");
    auto const marie = user_id(driver, "marie.delmas");
    auto const julien = user_id(driver, "julien.favier");
    auto const monday_eco = slot_id(driver, "TPRO", 0, "08:00");
    auto const tuesday_eco = slot_id(driver, "TPRO", 1, "09:00");
    auto const tuesday_maths = slot_id(driver, "TPRO", 1, "08:00");
    auto const friday_maths = slot_id(driver, "TPRO", 4, "08:00");
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    tt::set_week_a_monday(session, structure, monday);
    tt::ChangeInput cancelled { monday_eco, monday, true, 0, 0, 0, "", 0, "Professeur en formation" };
    tt::ChangeInput moved { tuesday_eco, monday + 1, false, monday + 4, 15 * 60LL, 17 * 60LL, "", 0, "" };
    tt::ChangeInput moved_in { friday_maths, monday + 7 + 4, false, monday + 2, 14 * 60LL, 16 * 60LL, "B14", 0, "" };
    tt::ChangeInput replaced { tuesday_maths, monday + 1, false, 0, 0, 0, "", julien, "" };
    for (auto const* change : { &cancelled, &moved, &moved_in, &replaced })
        tt::save_change(session, *change, 0, 0);

    auto const week = tt::lessons_of_classes(session, { tpro }, monday, monday + 7);
    auto find = [&](long long slot, long long slot_day) -> tt::Lesson const* {
        for (auto const& lesson : week) {
            if (lesson.slot_id == slot && lesson.slot_day == slot_day)
                return &lesson;
        }
        return nullptr;
    };
    struct Case {
        char const* name;
        long long slot;
        long long slot_day;
        tt::LessonStatus status;
        long long day;
        long long start;
        long long teacher;
    };
    for (auto const& c : std::initializer_list<Case> {
             { "cancelled", monday_eco, monday, tt::LessonStatus::Cancelled, monday, 8 * 60LL, samuel },
             { "moved within the week", tuesday_eco, monday + 1, tt::LessonStatus::Moved, monday + 4, 15 * 60LL,
                 samuel },
             { "moved in from next week", friday_maths, monday + 11, tt::LessonStatus::Moved, monday + 2, 14 * 60LL,
                 marie },
             { "replaced", tuesday_maths, monday + 1, tt::LessonStatus::Replaced, monday + 1, 8 * 60LL, julien },
             { "as usual", friday_maths, monday + 4, tt::LessonStatus::Normal, monday + 4, 8 * 60LL, marie } }) {
        auto const* lesson = find(c.slot, c.slot_day);
        ASSERT_NE(lesson, nullptr) << c.name;
        EXPECT_EQ(lesson->status, c.status) << c.name;
        EXPECT_EQ(lesson->day, c.day) << c.name;
        EXPECT_EQ(lesson->start_minute, c.start) << c.name;
        EXPECT_EQ(lesson->teacher_id, c.teacher) << c.name;
        EXPECT_EQ(lesson->note, c.slot == monday_eco ? "Professeur en formation" : "") << c.name;
    }
    EXPECT_TRUE(find(friday_maths, monday + 11)->room_changed);
    EXPECT_EQ(find(friday_maths, monday + 11)->room, "B14");
    // The lesson moved away is not in its own week any more.
    auto const next = tt::lessons_of_classes(session, { tpro }, monday + 7, monday + 14);
    EXPECT_TRUE(std::none_of(next.begin(), next.end(),
        [&](tt::Lesson const& lesson) { return lesson.slot_id == friday_maths && lesson.slot_day == monday + 11; }));
    // Both teachers see the replaced lesson: Julien gives it, Marie sees it given away.
    auto has = [&](std::vector<tt::Lesson> const& lessons, long long slot, long long day, long long teacher) {
        return std::any_of(lessons.begin(), lessons.end(), [&](tt::Lesson const& lesson) {
            return lesson.slot_id == slot && lesson.slot_day == day && lesson.teacher_id == teacher;
        });
    };
    auto const of_julien = tt::lessons_of_teacher(session, julien, monday, monday + 7);
    auto const of_marie = tt::lessons_of_teacher(session, marie, monday, monday + 7);
    EXPECT_TRUE(has(of_julien, tuesday_maths, monday + 1, julien));
    EXPECT_TRUE(has(of_marie, tuesday_maths, monday + 1, julien));
    // The published single lesson agrees.
    auto const single = tt::lesson(session, tuesday_maths, monday + 1);
    ASSERT_TRUE(single.has_value());
    EXPECT_EQ(single->status, tt::LessonStatus::Replaced);
    EXPECT_FALSE(tt::lesson(session, tuesday_maths, monday + 2).has_value()); // not a Tuesday
}

// Samuel BEAUMONT: 5 lessons of TPRO and 5 of T STMG in an A week, one
// fewer in a B week (TPRO's Wednesday is on weeks A).
TEST(TimetableExpansion, LessonsOfTeacher)
{
    AppDriver driver;
    auto const monday = far_monday();
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    tt::set_week_a_monday(session, structure_id(driver), monday);
    auto const samuel = user_id(driver, "samuel.beaumont");
    EXPECT_EQ(tt::lessons_of_teacher(session, samuel, monday, monday + 7).size(), 10U);
    EXPECT_EQ(tt::lessons_of_teacher(session, samuel, monday + 7, monday + 14).size(), 9U);
    for (auto const& lesson : tt::lessons_of_teacher(session, samuel, monday, monday + 7))
        EXPECT_EQ(lesson.usual_teacher_id, samuel);
}

// Who reads whose timetable, and who enters it.
TEST(TimetablePolicy, WhoReadsWhichTimetable)
{
    AppDriver driver;
    auto const moulin = other_structure_admin(driver);
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    auto person = [&](std::string const& login) {
        auto found = identity::store::find_user(session, user_id(driver, login));
        EXPECT_TRUE(found.has_value()) << login;
        return *found;
    };
    auto student = [&](char const* login) { return std::make_pair(tt::TargetKind::Student, user_id(driver, login)); };
    auto teacher = [&](char const* login) { return std::make_pair(tt::TargetKind::Teacher, user_id(driver, login)); };
    auto klass = [&](char const* name) { return std::make_pair(tt::TargetKind::Class, class_id(driver, name)); };
    struct Case {
        char const* login;
        std::pair<tt::TargetKind, long long> target;
        bool reads;
    };
    std::initializer_list<Case> const cases {
        { "louis.chamson", student("louis.chamson"), true },
        { "louis.chamson", student("pauline.chamson"), false },
        { "louis.chamson", klass("TPRO"), true },
        { "louis.chamson", klass("T STMG"), false },
        { "louis.chamson", teacher("samuel.beaumont"), false },
        { "andre.chamson", student("louis.chamson"), true },
        { "andre.chamson", student("pauline.chamson"), true },
        { "andre.chamson", student("emma.roux"), false },
        { "andre.chamson", klass("TPRO"), false },
        { "sophie.roux", student("louis.chamson"), false },
        { "sophie.roux", student("emma.roux"), true },
        { "samuel.beaumont", teacher("samuel.beaumont"), true },
        { "samuel.beaumont", teacher("marie.delmas"), false },
        { "samuel.beaumont", klass("TPRO"), true },
        { "samuel.beaumont", student("louis.chamson"), false },
        { "achamson", klass("TPRO"), false },
        { "achamson", teacher("samuel.beaumont"), false },
        { "nathalie.vidal", klass("TPRO"), true },
        { "nathalie.vidal", teacher("samuel.beaumont"), true },
        { "philippe.garnier", klass("T STMG"), true },
        { "admin.ent", klass("TPRO"), true },
        { "admin.moulin", klass("TPRO"), false },
        { "admin.moulin", teacher("samuel.beaumont"), false },
        { "admin.moulin", student("louis.chamson"), false },
    };
    for (auto const& c : cases) {
        auto const target = tt::find_target(session, c.target.first, c.target.second);
        ASSERT_TRUE(target.has_value()) << c.login;
        EXPECT_EQ(tt::may_read(tt::facts_of(session, person(c.login), *target)), c.reads)
            << c.login << " → " << target->label;
    }
    // A student is no teacher, a class no student.
    EXPECT_FALSE(tt::find_target(session, tt::TargetKind::Teacher, user_id(driver, "louis.chamson")).has_value());
    EXPECT_FALSE(
        tt::find_target(session, tt::TargetKind::Class, user_id(driver, "louis.chamson") + 100000).has_value());
    auto const structure = structure_id(driver);
    struct Manage {
        char const* login;
        bool manages;
    };
    for (auto const& [login, manages] : std::initializer_list<Manage> { { "nathalie.vidal", true },
             { "philippe.garnier", true }, { "admin.ent", true }, { "samuel.beaumont", false },
             { "louis.chamson", false }, { "andre.chamson", false }, { "admin.moulin", false } })
        EXPECT_EQ(tt::may_manage(person(login), structure), manages) << login;
    EXPECT_NE(moulin, 0);
}

namespace {

std::string path_of(AppDriver& driver, std::string const& pattern, long long slot, long long day)
{
    std::string path;
    for (std::size_t at = 0; at < pattern.size();) {
        auto open = pattern.find('{', at);
        if (open == std::string::npos) {
            path += pattern.substr(at);
            break;
        }
        path += pattern.substr(at, open - at);
        auto close = pattern.find('}', open);
        auto name = pattern.substr(open + 1, close - open - 1);
        if (name == "slot")
            path += std::to_string(slot);
        else if (name == "day")
            path += iso(day);
        else
            path += "0123456789abcdef0123456789abcdef0123.ics";
        at = close + 1;
    }
    (void)driver;
    return path;
}

std::vector<http::Route> timetable_routes()
{
    access::CapabilityRegistry registry;
    auto router = app::build_router(registry);
    EXPECT_FALSE(router.is_error());
    std::vector<http::Route> routes;
    for (auto const& route : router->routes()) {
        if (route.pattern.starts_with("/emploi-du-temps"))
            routes.push_back(route);
    }
    return routes;
}

} // namespace

// Every route of the timetable: families and teachers reach none of the
// staff's (403 or 404, nothing written); another structure's staff reach
// none of this one's objects (404); ids of another class, child or teacher
// give 404, never data.
TEST(TimetableRoutes, EveryRouteByPerson)
{
    AppDriver driver;
    other_structure_admin(driver);
    auto const routes = timetable_routes();
    ASSERT_GE(routes.size(), 12U);
    auto const slot = slot_id(driver, "TPRO", 0, "08:00");
    auto const today = school_time::day_of_unix(std::time(nullptr));
    auto const monday = today - school_time::weekday(today) + 14;
    std::vector<std::pair<std::string, std::string>> const form { { "annuler", "1" }, { "note", "Essai" },
        { "classe", std::to_string(class_id(driver, "TPRO")) }, { "jour", "5" }, { "debut", "08:00" },
        { "fin", "09:00" }, { "matiere", "1" }, { "salle", "Z1" }, { "premiere_semaine_a", "2026-09-07" },
        { "contenu", "classe;jour;debut;fin;matiere\nTPRO;samedi;08:00;09:00;061300\n" }, { "confirmer", "1" } };
    auto send = [&](http::Route const& route) {
        auto path = path_of(driver, route.pattern, slot, monday);
        if (route.method == http::Method::Get)
            return driver.get(path).status;
        auto fields = form;
        fields.emplace_back("csrf", driver.csrf_token());
        return driver.post(path, fields).status;
    };
    auto const before = rows_of_tables(driver, "timetable%");
    for (auto const* login :
        { "louis.chamson", "andre.chamson", "samuel.beaumont", "achamson", "karim.benali", "admin.moulin" }) {
        sign_in(driver, login);
        bool const other_structure = std::string(login) == "admin.moulin";
        for (auto const& route : routes) {
            if (route.capability != tt::MANAGE)
                continue;
            // Another structure's administrator has his own (empty) entry
            // pages; none of this structure's objects.
            if (other_structure && route.method == http::Method::Get && !contains(route.pattern, "{"))
                continue;
            auto const status = send(route);
            if (other_structure && route.pattern == "/emploi-du-temps/import")
                EXPECT_EQ(status, 422) << "TPRO is unknown to his structure";
            else
                EXPECT_TRUE(status == 403 || status == 404) << login << " " << route.pattern << " " << status;
        }
    }
    EXPECT_EQ(rows_of_tables(driver, "timetable%"), before);

    // Reads of another's timetable.
    struct Read {
        char const* login;
        std::string path;
        int status;
    };
    auto const tpro = std::to_string(class_id(driver, "TPRO"));
    auto const stmg = std::to_string(class_id(driver, "T STMG"));
    auto const louis = std::to_string(user_id(driver, "louis.chamson"));
    auto const pauline = std::to_string(user_id(driver, "pauline.chamson"));
    auto const emma = std::to_string(user_id(driver, "emma.roux"));
    auto const marie = std::to_string(user_id(driver, "marie.delmas"));
    std::vector<Read> const reads {
        { "louis.chamson", "/emploi-du-temps", 200 },
        { "louis.chamson", "/emploi-du-temps?classe=" + tpro, 200 },
        { "louis.chamson", "/emploi-du-temps?classe=" + stmg, 404 },
        { "louis.chamson", "/emploi-du-temps?enfant=" + pauline, 404 },
        { "louis.chamson", "/emploi-du-temps?enseignant=" + marie, 404 },
        { "andre.chamson", "/emploi-du-temps", 200 },
        { "andre.chamson", "/emploi-du-temps?enfant=" + pauline, 200 },
        { "andre.chamson", "/emploi-du-temps?enfant=" + emma, 404 },
        { "andre.chamson", "/emploi-du-temps?enfant=abc", 404 },
        { "samuel.beaumont", "/emploi-du-temps", 200 },
        { "samuel.beaumont", "/emploi-du-temps?enseignant=" + marie, 404 },
        { "samuel.beaumont", "/emploi-du-temps?classe=" + stmg, 200 },
        { "achamson", "/emploi-du-temps?classe=" + tpro, 404 },
        { "nathalie.vidal", "/emploi-du-temps", 200 },
        { "nathalie.vidal", "/emploi-du-temps?enseignant=" + marie, 200 },
        { "nathalie.vidal", "/emploi-du-temps?enfant=" + louis, 200 }, // the vie scolaire reads a student's
        { "nathalie.vidal", "/emploi-du-temps/gestion?classe=" + tpro, 200 },
        { "nathalie.vidal", "/emploi-du-temps/import", 200 },
        { "admin.moulin", "/emploi-du-temps?classe=" + tpro, 404 },
        { "admin.moulin", "/emploi-du-temps/gestion?classe=" + tpro, 404 },
        { "admin.moulin", "/emploi-du-temps/cours/" + std::to_string(slot) + "/" + iso(monday), 404 },
    };
    for (auto const& read : reads) {
        sign_in(driver, read.login);
        auto const response = driver.get(read.path);
        EXPECT_EQ(response.status, read.status) << read.login << " " << read.path;
        if (read.status == 404) {
            EXPECT_FALSE(contains(response.body, "timetable-lesson")) << read.login << " " << read.path;
        }
    }
    // Nobody signed in: the sign-in page, never data.
    driver.forget_cookies();
    EXPECT_EQ(driver.get("/emploi-du-temps").status, 303);
    EXPECT_EQ(driver.get("/emploi-du-temps/calendrier/0123456789abcdef0123456789abcdef.ics").status, 404);
}

// Louis's week: ÉCONOMIE-GESTION on Monday at 08:00 with Samuel BEAUMONT in
// a grid of days (th scope=col), and the day list with its neighbours.
TEST(TimetableRoutes, StudentWeekAndDay)
{
    AppDriver driver;
    auto const monday = far_monday();
    sign_in(driver, "louis.chamson");
    auto const page = driver.get("/emploi-du-temps?semaine=" + iso(monday + 2));
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "<th scope=\"col\"><time datetime=\"" + iso(monday) + "\""));
    EXPECT_TRUE(contains(page.body, "ÉCONOMIE-GESTION"));
    EXPECT_TRUE(contains(page.body, "Samuel BEAUMONT"));
    EXPECT_TRUE(contains(page.body, "Semaine précédente"));
    EXPECT_TRUE(contains(page.body, "semaine=" + iso(monday + 7)));
    EXPECT_TRUE(contains(page.body, "Semaine A") || contains(page.body, "Semaine B"));
    EXPECT_TRUE(contains(page.body, "aria-current=\"page\">Emploi du temps"));
    EXPECT_FALSE(contains(page.body, "Modifier ce cours"));
    auto const day = driver.get("/emploi-du-temps?jour=" + iso(monday + 4));
    ASSERT_EQ(day.status, 200);
    EXPECT_TRUE(contains(day.body, "jour=" + iso(monday + 7))); // Friday's next day: Monday
    EXPECT_TRUE(contains(day.body, "jour=" + iso(monday + 3)));
}

// Slot form refusals: end before start, a busy teacher (same week letter
// or every week), a room taken, a class already in a lesson; nothing written.
TEST(TimetableManage, SlotRefusalsWriteNothing)
{
    AppDriver driver;
    sign_in(driver, "nathalie.vidal");
    auto const tpro = std::to_string(class_id(driver, "TPRO"));
    auto const stmg = std::to_string(class_id(driver, "T STMG"));
    auto const maths = std::to_string(query_value(driver, "SELECT id FROM identity_subject WHERE code = '061300'"));
    auto const eco = std::to_string(query_value(driver, "SELECT id FROM identity_subject WHERE code = '042400'"));
    auto const samuel = std::to_string(user_id(driver, "samuel.beaumont"));
    auto const marie = std::to_string(user_id(driver, "marie.delmas"));
    auto const julien = std::to_string(user_id(driver, "julien.favier"));
    driver.get("/emploi-du-temps/gestion?classe=" + tpro);
    struct Case {
        char const* name;
        std::string klass, day, start, end, subject, teacher, room, week;
        char const* message;
    };
    std::vector<Case> const cases {
        { "end before start", tpro, "5", "10:00", "09:00", maths, marie, "A04", "",
            "L&#39;heure de fin doit être après" },
        { "bad hour", tpro, "5", "25:00", "26:00", maths, marie, "A04", "",
            "L&#39;heure de début n&#39;est pas valide" },
        { "teacher busy every week", stmg, "0", "14:00", "15:00", maths, julien, "C01", "",
            "Julien FAVIER enseigne déjà le lundi de 14:00 à 16:00 (TPRO)" },
        { "teacher busy in weeks B", stmg, "3", "14:00", "15:00", maths, marie, "C01", "B",
            "Marie DELMAS enseigne déjà le jeudi de 14:00 à 15:00 (TPRO)" },
        { "room taken", stmg, "0", "14:00", "15:00", eco, samuel, "b07", "", "La salle B07 est déjà occupée le lundi" },
        { "class busy", tpro, "0", "09:00", "09:30", maths, marie, "A99", "", "TPRO a déjà cours le lundi de 08:00" },
        { "unknown subject", tpro, "5", "08:00", "09:00", "999999", marie, "A04", "", "Choisissez une matière" },
        { "unknown week", tpro, "5", "08:00", "09:00", maths, marie, "A04", "C", "La semaine est" },
    };
    auto const before = rows_of_tables(driver, "timetable%");
    for (auto const& c : cases) {
        auto const response = driver.post("/emploi-du-temps/gestion/creneaux",
            { { "csrf", driver.csrf_token() }, { "classe", c.klass }, { "jour", c.day }, { "debut", c.start },
                { "fin", c.end }, { "matiere", c.subject }, { "enseignant", c.teacher }, { "salle", c.room },
                { "semaine", c.week } });
        EXPECT_EQ(response.status, 422) << c.name;
        EXPECT_TRUE(contains(response.body, c.message)) << c.name;
        EXPECT_TRUE(contains(response.body, "value=\"" + c.room + "\"")) << c.name << ": the form keeps what was typed";
    }
    EXPECT_EQ(rows_of_tables(driver, "timetable%"), before);
    // Marie is free on Thursdays at 14:00 in weeks A.
    auto const made = driver.post("/emploi-du-temps/gestion/creneaux",
        { { "csrf", driver.csrf_token() }, { "classe", stmg }, { "jour", "3" }, { "debut", "14:00" },
            { "fin", "15:00" }, { "matiere", maths }, { "enseignant", marie }, { "salle", "A05" },
            { "semaine", "A" } });
    EXPECT_EQ(made.status, 303);
    EXPECT_EQ(rows_of_tables(driver, "timetable%"), before + 1);
    // Changing a slot into a clash is refused too; deleting it works.
    auto const id = query_value(driver, "SELECT MAX(id) FROM timetable_slot");
    auto const path = "/emploi-du-temps/gestion/creneaux/" + std::to_string(id);
    EXPECT_EQ(driver.get(path).status, 200);
    auto const clash = driver.post(path,
        { { "csrf", driver.csrf_token() }, { "classe", stmg }, { "jour", "3" }, { "debut", "14:00" },
            { "fin", "15:00" }, { "matiere", maths }, { "enseignant", marie }, { "salle", "A05" }, { "semaine", "" } });
    EXPECT_EQ(clash.status, 422);
    EXPECT_EQ(
        query_value(driver, "SELECT COUNT(*) FROM timetable_slot WHERE id = " + std::to_string(id) + " AND week = 'A'"),
        1);
    EXPECT_EQ(driver.post(path + "/supprimer", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(rows_of_tables(driver, "timetable%"), before);
    // The first week A.
    EXPECT_EQ(driver
                  .post("/emploi-du-temps/gestion/semaines",
                      { { "csrf", driver.csrf_token() }, { "classe", tpro }, { "premiere_semaine_a", "09/09/2026" } })
                  .status,
        303);
    auto const monday = school_time::days_from_civil({ 2026, 9, 7 });
    EXPECT_EQ(query_value(driver, "SELECT week_a_monday FROM timetable_setting"), monday);
    EXPECT_EQ(driver
                  .post("/emploi-du-temps/gestion/semaines",
                      { { "csrf", driver.csrf_token() }, { "classe", tpro }, { "premiere_semaine_a", "demain" } })
                  .status,
        422);
}

// A slot valid for part of the year (« Valable du … jusqu'au … »), from the
// form and from the CSV file; bad dates refused in French.
TEST(TimetableManage, ValidityDatesFromTheFormAndTheFile)
{
    AppDriver driver;
    sign_in(driver, "nathalie.vidal");
    auto const stmg = class_id(driver, "T STMG");
    auto const maths = std::to_string(query_value(driver, "SELECT id FROM identity_subject WHERE code = '061300'"));
    auto const marie = std::to_string(user_id(driver, "marie.delmas"));
    driver.get("/emploi-du-temps/gestion?classe=" + std::to_string(stmg));
    auto const post = [&](std::string const& from, std::string const& until) {
        return driver.post("/emploi-du-temps/gestion/creneaux",
            { { "csrf", driver.csrf_token() }, { "classe", std::to_string(stmg) }, { "jour", "5" },
                { "debut", "08:00" }, { "fin", "09:00" }, { "matiere", maths }, { "enseignant", marie },
                { "salle", "A07" }, { "semaine", "" }, { "valable_du", from }, { "valable_au", until } });
    };
    auto const before = rows_of_tables(driver, "timetable%");
    auto const reversed = post("2031-03-20", "2031-03-01");
    EXPECT_EQ(reversed.status, 422);
    EXPECT_TRUE(contains(reversed.body, "La fin de validité du créneau doit suivre son début."));
    auto const unreadable = post("le 3 mars", "");
    EXPECT_EQ(unreadable.status, 422);
    EXPECT_TRUE(contains(unreadable.body, "La date « Valable du » n&#39;est pas valide"));
    EXPECT_EQ(rows_of_tables(driver, "timetable%"), before);
    ASSERT_EQ(post("03/03/2031", "2031-03-15").status, 303);
    auto const from = school_time::days_from_civil({ 2031, 3, 3 });
    auto const until = school_time::days_from_civil({ 2031, 3, 15 });
    EXPECT_EQ(query_value(driver, "SELECT valid_from FROM timetable_slot WHERE room = 'A07'"), from);
    EXPECT_EQ(query_value(driver, "SELECT valid_until FROM timetable_slot WHERE room = 'A07'"), until);
    auto const shown = driver.get("/emploi-du-temps/gestion?classe=" + std::to_string(stmg));
    EXPECT_TRUE(contains(shown.body, "du " + school_time::long_day(from) + " au " + school_time::long_day(until)));
    {
        auto lease = driver.services().database->lease();
        auto const saturdays = [&](long long first, long long last) {
            long long count = 0;
            for (auto const& lesson : tt::lessons_of_classes(lease.session(), { stmg }, first, last))
                count += lesson.start_minute == 8 * 60 && school_time::weekday(lesson.day) == 5 ? 1 : 0;
            return count;
        };
        EXPECT_EQ(saturdays(from - 7, from), 0);
        EXPECT_EQ(saturdays(from, until + 1), 2); // 8 and 15 March 2031
        EXPECT_EQ(saturdays(until + 1, until + 30), 0);
    }
    // The same slot the rest of the year, from a file: no clash (disjoint validity).
    driver.get("/emploi-du-temps/import");
    std::string const file = "classe;jour;debut;fin;matiere;enseignant;salle;semaine;valable_du;valable_au\n"
                             "T STMG;samedi;08:00;09:00;061300;marie.delmas;A08;;16/03/2031;\n";
    auto const refused = driver.post_files("/emploi-du-temps/import", { { "csrf", driver.csrf_token() } },
        { { "fichier", "edt.csv",
            "classe;jour;debut;fin;matiere;enseignant;salle;semaine;valable_du;valable_au\n"
            "T STMG;samedi;08:00;09:00;061300;marie.delmas;A08;;16/03/2031;01/03/2031\n" } });
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "La fin de validité du créneau doit suivre son début."));
    auto const imported = driver.post(
        "/emploi-du-temps/import", { { "csrf", driver.csrf_token() }, { "confirmer", "1" }, { "contenu", file } });
    EXPECT_EQ(imported.status, 303);
    EXPECT_EQ(query_value(driver, "SELECT valid_from FROM timetable_slot WHERE room = 'A08'"),
        school_time::days_from_civil({ 2031, 3, 16 }));
    EXPECT_EQ(query_value(driver, "SELECT valid_until FROM timetable_slot WHERE room = 'A08'"), 0);
}

// The CSV import: a good file previewed then imported (the classes named
// replaced, the others kept); each kind of bad line named, nothing written.
TEST(TimetableImport, PreviewThenImport)
{
    AppDriver driver;
    sign_in(driver, "nathalie.vidal");
    driver.get("/emploi-du-temps/import");
    std::string const good = "\xEF\xBB\xBF"
                             "classe;jour;debut;fin;matiere;enseignant;salle;semaine\n"
                             "TPRO;lundi;08:00;10:00;042400;samuel.beaumont;B12;\n"
                             "TPRO;mardi;08:00;09:00;MATHÉMATIQUES;Marie DELMAS;A04;A\n"
                             "TPRO;mardi;08:00;09:00;mathématiques;Marie DELMAS;A04;B\n";
    auto const stmg_before = query_value(driver,
        "SELECT COUNT(*) FROM timetable_slot s JOIN identity_class c ON c.id = s.class_id WHERE c.name = 'T STMG'");
    auto const before = rows_of_tables(driver, "timetable%");
    auto const preview = driver.post_files(
        "/emploi-du-temps/import", { { "csrf", driver.csrf_token() } }, { { "fichier", "emploi-du-temps.csv", good } });
    ASSERT_EQ(preview.status, 200) << preview.body;
    EXPECT_TRUE(contains(preview.body, "Aperçu"));
    EXPECT_TRUE(contains(preview.body, "Sera créé : TPRO : ÉCONOMIE-GESTION le lundi de 08:00 à 10:00"));
    EXPECT_EQ(rows_of_tables(driver, "timetable%"), before);
    auto const content = cartable::testing::hidden_field(preview.body, "contenu");
    ASSERT_FALSE(content.empty());
    auto const imported = driver.post(
        "/emploi-du-temps/import", { { "csrf", driver.csrf_token() }, { "confirmer", "1" }, { "contenu", good } });
    EXPECT_EQ(imported.status, 303);
    EXPECT_EQ(
        query_value(driver,
            "SELECT COUNT(*) FROM timetable_slot s JOIN identity_class c ON c.id = s.class_id WHERE c.name = 'TPRO'"),
        3);
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM timetable_slot s JOIN identity_class c ON c.id = s.class_id WHERE c.name = "
                  "'T STMG'"),
        stmg_before);

    struct Bad {
        char const* line;
        char const* message;
    };
    for (auto const& [line, message] : std::initializer_list<Bad> {
             { "TSEG;lundi;08:00;10:00;042400;samuel.beaumont;B12;", "Classe inconnue : « TSEG »" },
             { "TPRO;dimanche;08:00;10:00;042400;samuel.beaumont;B12;", "Jour inconnu" },
             { "TPRO;lundi;08:00;10:00;PHILOSOPHIE;samuel.beaumont;B12;", "Matière inconnue : « PHILOSOPHIE »" },
             { "TPRO;lundi;08:00;10:00;042400;jean.dupont;B12;", "Enseignant inconnu : « jean.dupont »" },
             { "TPRO;lundi;huit;10:00;042400;samuel.beaumont;B12;", "L&#39;heure de début n&#39;est pas valide" },
             { "TPRO;lundi;10:00;08:00;042400;samuel.beaumont;B12;", "L&#39;heure de fin doit être après" },
             { "TPRO;lundi;09:00;11:00;020100;julien.favier;B07;", "TPRO a déjà cours le lundi de 08:00" },
             { "TPRO;vendredi;08:00;09:00;061300;samuel.beaumont;A04;",
                 "Samuel BEAUMONT enseigne déjà le vendredi de 08:00 à 10:00 (T STMG)" },
             { "TPRO;lundi;12:30;13:00;061300;marie.delmas;X;Z", "La semaine est" } }) {
        std::string const file = std::string("classe;jour;debut;fin;matiere;enseignant;salle;semaine\n")
            + "TPRO;lundi;08:00;10:00;042400;samuel.beaumont;B12;\n" + line + "\n";
        auto const rows = rows_of_tables(driver, "timetable%");
        auto const shown = driver.post_files(
            "/emploi-du-temps/import", { { "csrf", driver.csrf_token() } }, { { "fichier", "edt.csv", file } });
        EXPECT_EQ(shown.status, 422) << line;
        EXPECT_TRUE(contains(shown.body, message)) << line;
        EXPECT_FALSE(contains(shown.body, "name=\"confirmer\"")) << line;
        // « Importer » forced anyway: refused, nothing written.
        auto const forced = driver.post(
            "/emploi-du-temps/import", { { "csrf", driver.csrf_token() }, { "confirmer", "1" }, { "contenu", file } });
        EXPECT_EQ(forced.status, 422) << line;
        EXPECT_EQ(rows_of_tables(driver, "timetable%"), rows) << line;
    }
    auto const no_column = driver.post_files("/emploi-du-temps/import", { { "csrf", driver.csrf_token() } },
        { { "fichier", "edt.csv", "classe;jour;debut\nTPRO;lundi;08:00\n" } });
    EXPECT_EQ(no_column.status, 422);
    EXPECT_TRUE(contains(no_column.body, "La colonne « fin » manque"));
}

// A change by the CPE: Louis sees « Annulé » with the note, his father is
// told about Louis, both teachers are told; a replaced teacher and a room
// change read plainly.
TEST(TimetableChange, CancelledAndToldToTheGuardian)
{
    AppDriver driver;
    auto const monday = far_monday();
    auto const slot = slot_id(driver, "TPRO", 0, "08:00");
    auto const path = "/emploi-du-temps/cours/" + std::to_string(slot) + "/" + iso(monday);
    sign_in(driver, "nathalie.vidal");
    auto const week
        = driver.get("/emploi-du-temps?classe=" + std::to_string(class_id(driver, "TPRO")) + "&semaine=" + iso(monday));
    EXPECT_TRUE(contains(week.body, "href=\"" + path + "\""));
    ASSERT_EQ(driver.get(path).status, 200);
    auto const nothing = driver.post(path, { { "csrf", driver.csrf_token() }, { "note", "" } });
    EXPECT_EQ(nothing.status, 422);
    EXPECT_TRUE(contains(nothing.body, "Indiquez un changement"));
    auto const bad = driver.post(path,
        { { "csrf", driver.csrf_token() }, { "date", iso(monday + 3) }, { "debut", "15:00" }, { "fin", "14:00" } });
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(contains(bad.body, "L&#39;heure de fin doit être après"));
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM timetable_change WHERE slot_id = " + std::to_string(slot)), 0);
    auto const saved = driver.post(
        path, { { "csrf", driver.csrf_token() }, { "annuler", "1" }, { "note", "Professeur en formation" } });
    EXPECT_EQ(saved.status, 303);

    auto told = [&](std::string const& login, long long child) {
        return query_value(driver,
            "SELECT COUNT(*) FROM notifications_item WHERE event = 'timetable' AND recipient_id = "
                + std::to_string(user_id(driver, login)) + " AND child_id = " + std::to_string(child));
    };
    auto const louis = user_id(driver, "louis.chamson");
    EXPECT_EQ(told("andre.chamson", louis), 1);
    EXPECT_EQ(told("louis.chamson", 0), 1);
    EXPECT_EQ(told("emma.roux", 0), 1);
    EXPECT_EQ(told("samuel.beaumont", 0), 1);
    EXPECT_EQ(told("pauline.chamson", 0), 0);
    EXPECT_EQ(told("karim.benali", user_id(driver, "ines.benali")), 0);
    EXPECT_EQ(told("nathalie.vidal", 0), 0);

    sign_in(driver, "louis.chamson");
    auto const seen = driver.get("/emploi-du-temps?semaine=" + iso(monday));
    EXPECT_TRUE(contains(seen.body, "Annulé"));
    EXPECT_TRUE(contains(seen.body, "<s>ÉCONOMIE-GESTION</s>"));
    EXPECT_TRUE(contains(seen.body, "Professeur en formation"));

    // Replaced (by a teacher free then), and another room, then moved.
    sign_in(driver, "nathalie.vidal");
    auto const julien = std::to_string(user_id(driver, "julien.favier"));
    EXPECT_EQ(
        driver.post(path, { { "csrf", driver.csrf_token() }, { "remplacant", julien }, { "salle", "B14" } }).status,
        303);
    EXPECT_EQ(told("julien.favier", 0), 1);
    sign_in(driver, "louis.chamson");
    auto const replaced = driver.get("/emploi-du-temps?semaine=" + iso(monday));
    EXPECT_TRUE(contains(replaced.body, "Remplacé par Julien FAVIER"));
    EXPECT_TRUE(contains(replaced.body, "Salle B14 (au lieu de B12)"));
    sign_in(driver, "nathalie.vidal");
    EXPECT_EQ(driver
                  .post(path,
                      { { "csrf", driver.csrf_token() }, { "date", iso(monday + 3) }, { "debut", "16:00" },
                          { "fin", "17:00" } })
                  .status,
        303);
    sign_in(driver, "louis.chamson");
    auto const moved = driver.get("/emploi-du-temps?semaine=" + iso(monday));
    EXPECT_TRUE(contains(moved.body, "Déplacé au jeudi"));
    EXPECT_TRUE(contains(moved.body, ", 16:00"));
    // « Rétablir le cours prévu ».
    sign_in(driver, "nathalie.vidal");
    EXPECT_EQ(driver.post(path + "/retablir", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM timetable_change WHERE slot_id = " + std::to_string(slot)), 0);
}

// Script payloads through the room (slot and change) and the note come
// back escaped.
// A lesson moved, given to a replacing teacher or to another room is
// checked against that date's other lessons: the class, the teacher and
// the room must be free; nothing is written otherwise.
TEST(TimetableChange, MovesAndReplacementsAreCheckedForClashes)
{
    AppDriver driver;
    auto const monday = far_monday();
    auto const slot = slot_id(driver, "TPRO", 0, "08:00"); // Samuel BEAUMONT, B12
    auto const path = "/emploi-du-temps/cours/" + std::to_string(slot) + "/" + iso(monday);
    auto const marie = std::to_string(user_id(driver, "marie.delmas"));
    sign_in(driver, "nathalie.vidal");
    ASSERT_EQ(driver.get(path).status, 200);
    struct Case {
        char const* name;
        std::vector<std::pair<std::string, std::string>> fields;
        std::string message;
    };
    auto const monday_text = school_time::long_day(monday);
    std::vector<Case> const cases {
        { "replacing teacher busy", { { "remplacant", marie }, { "salle", "B12" } },
            "Marie DELMAS enseigne déjà le " + monday_text + " de 08:00 à 10:00 (T STMG)." },
        { "room taken", { { "salle", "A05" } },
            "La salle A05 est déjà occupée le " + monday_text + " de 08:00 à 10:00 (T STMG)." },
        { "class busy at the new time",
            { { "date", iso(monday + 1) }, { "debut", "08:00" }, { "fin", "09:00" }, { "salle", "B12" } },
            "TPRO a déjà cours le " + school_time::long_day(monday + 1) + " de 08:00 à 09:00 (MATHÉMATIQUES)." },
        { "teacher busy at the new time",
            { { "date", iso(monday + 1) }, { "debut", "11:00" }, { "fin", "12:00" }, { "salle", "B12" } },
            "Samuel BEAUMONT enseigne déjà le " + school_time::long_day(monday + 1) + " de 11:00 à 12:00 (T STMG)." },
    };
    auto const before = rows_of_tables(driver, "timetable%");
    for (auto const& c : cases) {
        std::vector<std::pair<std::string, std::string>> form { { "csrf", driver.csrf_token() } };
        form.insert(form.end(), c.fields.begin(), c.fields.end());
        auto const response = driver.post(path, form);
        EXPECT_EQ(response.status, 422) << c.name;
        auto expected = c.message;
        for (std::size_t at = expected.find('\''); at != std::string::npos; at = expected.find('\'', at))
            expected.replace(at, 1, "&#39;");
        EXPECT_TRUE(contains(response.body, expected)) << c.name << "\n" << c.message;
    }
    EXPECT_EQ(rows_of_tables(driver, "timetable%"), before);
    // Tuesday at 16:00 the class, Samuel BEAUMONT and B12 are free.
    EXPECT_EQ(driver
                  .post(path,
                      { { "csrf", driver.csrf_token() }, { "date", iso(monday + 1) }, { "debut", "16:00" },
                          { "fin", "17:00" }, { "salle", "B12" } })
                  .status,
        303);
    EXPECT_EQ(rows_of_tables(driver, "timetable%"), before + 1);
}

TEST(TimetableChange, ScriptPayloadsAreEscaped)
{
    AppDriver driver;
    auto const monday = far_monday();
    auto const slot = slot_id(driver, "TPRO", 0, "08:00");
    auto const path = "/emploi-du-temps/cours/" + std::to_string(slot) + "/" + iso(monday);
    auto const tpro = std::to_string(class_id(driver, "TPRO"));
    for (std::string const payload : { "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
             "\"><svg onload=alert(1)>", "javascript:alert(1)" }) {
        sign_in(driver, "nathalie.vidal");
        auto const room = payload.substr(0, 30);
        auto const saved
            = driver.post(path, { { "csrf", driver.csrf_token() }, { "salle", room }, { "note", payload } });
        EXPECT_EQ(saved.status, 303) << payload << saved.body;
        auto const form = driver.get(path);
        EXPECT_TRUE(page_is_safe(form.body)) << payload;
        auto const slot_form = driver.post("/emploi-du-temps/gestion/creneaux",
            { { "csrf", driver.csrf_token() }, { "classe", tpro }, { "jour", "0" }, { "debut", "09:00" },
                { "fin", "09:30" }, { "matiere", "1" }, { "enseignant", "" }, { "salle", room }, { "semaine", "" } });
        EXPECT_EQ(slot_form.status, 422);
        EXPECT_TRUE(page_is_safe(slot_form.body)) << payload;
        sign_in(driver, "louis.chamson");
        auto const page = driver.get("/emploi-du-temps?semaine=" + iso(monday));
        EXPECT_TRUE(page_is_safe(page.body)) << payload;
        EXPECT_FALSE(contains(page.body, "href=\"javascript")) << payload;
    }
    sign_in(driver, "louis.chamson");
    EXPECT_TRUE(contains(driver.get("/emploi-du-temps?semaine=" + iso(monday)).body, "javascript:alert(1)"));
}

// The private link: created and shown once, the feed read without a
// session, its lessons in Paris time with cancelled ones marked; a guardian's
// feed names each child; « Révoquer le lien » ends the former one.
TEST(TimetableFeed, PrivateLink)
{
    AppDriver driver;
    sign_in(driver, "louis.chamson");
    auto const page = driver.get("/emploi-du-temps/abonnement");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Créer mon lien d'abonnement"));
    auto const created = driver.post("/emploi-du-temps/abonnement", { { "csrf", driver.csrf_token() } });
    ASSERT_EQ(created.status, 200);
    auto const marker = std::string("/emploi-du-temps/calendrier/");
    auto const at = created.body.find(marker);
    ASSERT_NE(at, std::string::npos);
    auto const end = created.body.find(".ics", at);
    auto const feed_path = created.body.substr(at, end + 4 - at);
    auto const token = feed_path.substr(marker.size(), feed_path.size() - marker.size() - 4);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM timetable_feed WHERE token_digest = '" + token + "'"), 0);
    EXPECT_FALSE(contains(driver.get("/emploi-du-temps/abonnement").body, token));

    driver.forget_cookies();
    auto const feed = driver.get(feed_path);
    ASSERT_EQ(feed.status, 200);
    EXPECT_TRUE(contains(feed.body, "BEGIN:VCALENDAR\r\n"));
    EXPECT_TRUE(contains(feed.body, "TZID:Europe/Paris"));
    EXPECT_TRUE(contains(feed.body, "SUMMARY:ÉCONOMIE-GESTION"));
    EXPECT_TRUE(contains(feed.body, "DTSTART;TZID=Europe/Paris:"));
    EXPECT_TRUE(contains(feed.body, "T080000\r\n"));
    EXPECT_TRUE(contains(feed.body, "STATUS:CANCELLED")); // the demo's lesson of a teacher in training
    EXPECT_TRUE(contains(feed.body, "Professeur en formation"));
    EXPECT_FALSE(contains(feed.body, "HISTOIRE-GÉOGRAPHIE")); // T STMG's

    sign_in(driver, "louis.chamson");
    driver.get("/emploi-du-temps/abonnement");
    auto const renewed = driver.post("/emploi-du-temps/abonnement", { { "csrf", driver.csrf_token() } });
    EXPECT_TRUE(contains(renewed.body, marker));
    driver.forget_cookies();
    EXPECT_EQ(driver.get(feed_path).status, 404);

    sign_in(driver, "andre.chamson");
    driver.get("/emploi-du-temps/abonnement");
    auto const father = driver.post("/emploi-du-temps/abonnement", { { "csrf", driver.csrf_token() } });
    auto const from = father.body.find(marker);
    ASSERT_NE(from, std::string::npos);
    auto const father_path = father.body.substr(from, father.body.find(".ics", from) + 4 - from);
    driver.forget_cookies();
    auto const both = driver.get(father_path);
    ASSERT_EQ(both.status, 200);
    EXPECT_TRUE(contains(both.body, "SUMMARY:Louis : ÉCONOMIE-GESTION"));
    EXPECT_TRUE(contains(both.body, "SUMMARY:Pauline : HISTOIRE-GÉOGRAPHIE"));
    // Staff have no personal timetable to follow.
    sign_in(driver, "nathalie.vidal");
    EXPECT_EQ(driver.get("/emploi-du-temps/abonnement").status, 403);
}

// The iCalendar text itself: local times on both sides of the change of
// hour, escaped text, a cancelled lesson.
TEST(TimetableFeed, CalendarText)
{
    tt::Lesson summer;
    summer.slot_id = 1;
    summer.day = school_time::days_from_civil({ 2026, 10, 23 });
    summer.slot_day = summer.day;
    summer.start_minute = 8 * 60LL;
    summer.end_minute = 10 * 60LL;
    summer.subject_label = "ÉCONOMIE-GESTION";
    summer.class_name = "TPRO";
    summer.room = "B12";
    summer.note = "Sortie; au musée, avec\nles autres";
    auto winter = summer;
    winter.day = school_time::days_from_civil({ 2026, 10, 30 });
    winter.slot_day = winter.day;
    winter.status = tt::LessonStatus::Cancelled;
    auto const text = tt::ics_of_lessons({ { summer, "Louis" }, { winter, "" } }, "Emploi du temps", "ent.example", 0);
    EXPECT_TRUE(contains(text, "DTSTART;TZID=Europe/Paris:20261023T080000\r\n"));
    EXPECT_TRUE(contains(text, "DTSTART;TZID=Europe/Paris:20261030T080000\r\n"));
    EXPECT_TRUE(contains(text, "SUMMARY:Louis : ÉCONOMIE-GESTION\r\n"));
    EXPECT_TRUE(contains(text, "Sortie\\; au musée\\, avec\\nles autres"));
    EXPECT_TRUE(contains(text, "STATUS:CANCELLED\r\n"));
    EXPECT_TRUE(contains(text, "BEGIN:VTIMEZONE"));
}
