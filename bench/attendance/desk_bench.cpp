// SPDX-License-Identifier: AGPL-3.0-or-later
// The vie scolaire's desk (issue #8) through the real application in
// process (routing, session, policy, rendering), on the engine the test
// environment names (CARTABLE_TEST_ENGINE, CARTABLE_TEST_POSTGRESQL): a
// school of 1,500 students in 50 classes at « 9:00 » (the first lesson of
// the day began an hour ago, the second one now), its timetable, 100
// absences and 40 lateness that morning, 2,000 absences earlier in the
// period, 45 calls of the first hour done and 5 not. Prints p50/p99 of
// GET /vie-scolaire/bureau, with the day's lessons kept (as between two
// requests within ten seconds) and read again; bench/attendance.sh runs it
// on both engines.
#include "app/demo_school.h"
#include "bench/support/timing.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "tests/support/app_driver.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::user_id;

namespace {

using cartable::bench::cpu_milliseconds;
using cartable::bench::percentile;

using Clock = std::chrono::steady_clock;

constexpr int CLASSES = 50;
constexpr int STUDENTS = 30;
constexpr int TEACHERS = 60;
constexpr int CALLS_MISSING = 5;

void seed(AppDriver& driver)
{
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    soci::transaction transaction(session);
    auto const cpe = identity::store::find_user(session, user_id(driver, "nathalie.vidal"));
    long long const structure = cpe->structure_id;
    long long const now = static_cast<long long>(std::time(nullptr));
    long long const today = school_time::day_of_unix(now);
    long long const minute = school_time::local_from_unix(now) - today * school_time::MINUTES_PER_DAY;
    // « 9:00 »: the first lesson began an hour ago, the next ones follow hourly.
    long long const first_start = std::max(0LL, minute - 60);
    long long subject = 0;
    session << "SELECT MIN(id) FROM identity_subject WHERE structure_id = :structure", soci::use(structure),
        soci::into(subject);
    std::vector<long long> teachers;
    for (int t = 0; t < TEACHERS; ++t) {
        identity::User teacher;
        teacher.login = "bench.prof." + std::to_string(t);
        teacher.first_name = "Professeur";
        teacher.last_name = "NUMÉRO " + std::to_string(t);
        teacher.profile = access::Profile::Teacher;
        teacher.structure_id = structure;
        teachers.push_back(identity::store::create_user(session, teacher, ""));
    }
    int const weekday = school_time::weekday(today);
    long long event_count = 0;
    for (int c = 0; c < CLASSES; ++c) {
        identity::SchoolClass school_class;
        school_class.structure_id = structure;
        school_class.name = "BENCH " + std::to_string(c + 1);
        school_class.kind = "class";
        auto const class_id = identity::store::create_class(session, school_class);
        std::vector<long long> students;
        for (int s = 0; s < STUDENTS; ++s) {
            auto const n = std::to_string(c * STUDENTS + s);
            identity::User student;
            student.login = "bench.eleve." + n;
            student.first_name = "Élève";
            student.last_name = "NUMÉRO " + n;
            student.profile = access::Profile::Student;
            student.structure_id = structure;
            auto const student_id = identity::store::create_user(session, student, "");
            identity::store::add_class_member(session, class_id, student_id);
            students.push_back(student_id);
        }
        // Six lessons a day, five days a week (today's weekday and the four after it).
        long long first_slot = 0;
        for (int d = 0; d < 5; ++d) {
            long long const day_of_week = (weekday + d) % 7;
            for (int l = 0; l < 6; ++l) {
                long long const start = d == 0 ? first_start + 60LL * l : 8 * 60 + 60LL * l;
                long long const end = start + 55;
                long long const teacher = teachers[static_cast<std::size_t>((c + l) % TEACHERS)];
                long long slot = 0;
                session << "INSERT INTO timetable_slot (structure_id, class_id, subject_id, teacher_id, weekday, "
                           "start_minute, end_minute, created_at) VALUES (:structure, :class, :subject, :teacher, "
                           ":weekday, :start, :end, 0) RETURNING id",
                    soci::use(structure), soci::use(class_id), soci::use(subject), soci::use(teacher),
                    soci::use(day_of_week), soci::use(start), soci::use(end), soci::into(slot);
                if (d == 0 && l == 0)
                    first_slot = slot;
            }
        }
        // The first hour's call, done in 45 classes out of 50, with 2
        // absences per class and 40 lateness in all.
        if (c >= CALLS_MISSING) {
            long long call = 0;
            long long const done_at = now - 3000;
            long long const teacher = teachers[static_cast<std::size_t>(c % TEACHERS)];
            long long const end = first_start + 55;
            session << "INSERT INTO attendance_call (structure_id, slot_id, slot_day, class_id, subject_id, "
                       "teacher_id, day, start_minute, end_minute, done_at, done_by) VALUES (:structure, :slot, "
                       ":slot_day, :class, :subject, :teacher, :day, :start, :end, :done_at, :done_by) RETURNING id",
                soci::use(structure), soci::use(first_slot), soci::use(today), soci::use(class_id), soci::use(subject),
                soci::use(teacher), soci::use(today), soci::use(first_start), soci::use(end), soci::use(done_at),
                soci::use(teacher), soci::into(call);
            for (int s = 0; s < 3; ++s) {
                bool const late = s == 2;
                if (late && c % 45 >= 40)
                    continue;
                std::string const kind = late ? "retard" : "absence";
                long long const minutes = late ? 7 : 0;
                long long const student = students[static_cast<std::size_t>(s)];
                session << "INSERT INTO attendance_event (structure_id, student_id, call_id, kind, day, start_minute, "
                           "end_minute, minutes, recorded_by, recorded_at) VALUES (:structure, :student, :call, "
                           ":kind, :day, :start, :end, :minutes, :by, :now)",
                    soci::use(structure), soci::use(student), soci::use(call), soci::use(kind), soci::use(today),
                    soci::use(first_start), soci::use(end), soci::use(minutes), soci::use(teacher), soci::use(done_at);
                ++event_count;
            }
        }
        // Earlier in the period: 40 absences per class over the last weeks.
        for (int e = 0; e < 40; ++e) {
            long long const student = students[static_cast<std::size_t>((e * 7) % STUDENTS)];
            long long const day = today - 1 - (e % 20);
            long long const start = e % 2 == 0 ? 8 * 60 : 14 * 60;
            long long const end = start + 55;
            session << "INSERT INTO attendance_event (structure_id, student_id, kind, day, start_minute, end_minute, "
                       "state, recorded_at) VALUES (:structure, :student, 'absence', :day, :start, :end, "
                       "'justifiee', :now)",
                soci::use(structure), soci::use(student), soci::use(day), soci::use(start), soci::use(end),
                soci::use(now);
        }
    }
    transaction.commit();
    std::printf("seeded %d classes of %d students, %d lessons a week each; %lld events this morning\n", CLASSES,
        STUDENTS, 30, event_count);
    if (testing::engine_under_test() == db::Engine::Postgresql)
        session << "ANALYZE";
}

// `cold`: the day's lessons, kept ten seconds, are read again at each request.
void measure(
    AppDriver& driver, char const* what, std::string const& target, int runs, std::string const& expect, bool cold)
{
    std::vector<double> times;
    std::vector<double> cpu_times;
    std::size_t size = 0;
    for (int run = 0; run < runs + 20; ++run) {
        if (cold)
            driver.services().shared_results.forget_all();
        auto const cpu_start = cpu_milliseconds();
        auto const start = Clock::now();
        auto response = driver.get(target);
        auto const elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        auto const cpu = cpu_milliseconds() - cpu_start;
        if (response.status != 200 || response.body.find(expect) == std::string::npos) {
            std::fprintf(stderr, "%s: status %d\n", target.c_str(), response.status);
            std::exit(1);
        }
        size = response.body.size();
        if (run >= 20) {
            times.push_back(elapsed);
            cpu_times.push_back(cpu);
        }
    }
    std::printf("%-40s p50 %6.2f ms  p99 %6.2f ms  (CPU p50 %5.2f ms, p99 %5.2f ms; %zu bytes)\n", what,
        percentile(times, 0.5), percentile(times, 0.99), percentile(cpu_times, 0.5), percentile(cpu_times, 0.99), size);
}

} // namespace

int main(int argc, char** argv)
{
    int const runs = argc > 1 ? std::atoi(argv[1]) : 300;
    AppDriver driver;
    seed(driver);
    if (driver.sign_in("nathalie.vidal", app::DEMO_PASSWORD).status != 303)
        return 1;
    std::printf("%d runs each\n", runs);
    measure(driver, "desk at 9:00 (1,500 students)", "/vie-scolaire/bureau", runs, "Appels non faits", false);
    measure(driver, "the same, lessons read again", "/vie-scolaire/bureau", runs, "Appels non faits", true);
    return 0;
}
