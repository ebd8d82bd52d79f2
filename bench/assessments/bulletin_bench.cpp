// SPDX-License-Identifier: AGPL-3.0-or-later
// The bulletins (issue #8) in process, on the engine the test environment
// names (CARTABLE_TEST_ENGINE, CARTABLE_TEST_POSTGRESQL): a class of 35
// students, 12 subjects, 60 published assessments with every mark (2 100
// marks), appraisals for each subject and absences. Prints mean and p99 of
// the averages alone (class_period), of the whole read of the class's
// bulletins (report_of), of one bulletin's PDF, and of a bulletin's PDF
// through the application (routing, session, policy, read, PDF);
// bench/assessments.sh runs it on both engines.
#include "app/demo_school.h"
#include "bench/support/timing.h"
#include "core/identity/identity_store.h"
#include "core/school/periods.h"
#include "core/school_time.h"
#include "services/assessments/assessments_reports_internal.h"
#include "tests/support/app_driver.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <numeric>
#include <string>
#include <vector>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::user_id;

namespace {

using cartable::bench::cpu_milliseconds;
using cartable::bench::percentile;

using Clock = std::chrono::steady_clock;

void print(char const* what, std::vector<double> const& times, std::vector<double> const& cpu)
{
    auto const mean = std::accumulate(times.begin(), times.end(), 0.0) / static_cast<double>(times.size());
    auto const cpu_mean = std::accumulate(cpu.begin(), cpu.end(), 0.0) / static_cast<double>(cpu.size());
    std::printf("%-44s mean %7.2f ms  p99 %7.2f ms  (CPU mean %6.2f ms, p99 %6.2f ms; %zu runs)\n", what, mean,
        percentile(times, 0.99), cpu_mean, percentile(cpu, 0.99), times.size());
}

template<typename Work> void measure(char const* what, int runs, Work&& work)
{
    std::vector<double> times;
    std::vector<double> cpu_times;
    for (int run = 0; run < runs + 5; ++run) {
        auto const cpu_start = cpu_milliseconds();
        auto const start = Clock::now();
        work();
        auto const elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        auto const cpu = cpu_milliseconds() - cpu_start;
        if (run >= 5) {
            times.push_back(elapsed);
            cpu_times.push_back(cpu);
        }
    }
    print(what, times, cpu_times);
}

struct Seeded {
    long long class_id { 0 };
    long long period_id { 0 };
    std::vector<long long> students;
};

// « BENCH TPRO »: 35 students, 12 subjects each taught by a demo teacher, 5
// assessments per subject with all marks, an appraisal per subject and
// student, two absences and a lateness each.
Seeded seed(AppDriver& driver)
{
    Seeded seeded;
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    soci::transaction transaction(session);
    auto const teacher = user_id(driver, "samuel.beaumont");
    auto const principal = identity::store::find_user(session, user_id(driver, "philippe.garnier"));
    auto const structure = principal->structure_id;
    long long const now = static_cast<long long>(std::time(nullptr));
    auto const period = school::period_containing(session, structure, school_time::day_of_unix(now));
    seeded.period_id = period.id;
    identity::SchoolClass school_class;
    school_class.structure_id = structure;
    school_class.name = "BENCH TPRO";
    school_class.kind = "class";
    seeded.class_id = identity::store::create_class(session, school_class);
    for (int s = 0; s < 35; ++s) {
        identity::User student;
        student.login = "bench.eleve." + std::to_string(s);
        student.first_name = "Élève";
        student.last_name = "NUMÉRO " + std::to_string(s);
        student.profile = access::Profile::Student;
        student.structure_id = structure;
        auto const id = identity::store::create_user(session, student, "");
        identity::store::add_class_member(session, seeded.class_id, id);
        seeded.students.push_back(id);
        for (int event = 0; event < 3; ++event) {
            std::string const kind = event < 2 ? "absence" : "retard";
            long long const day = period.first_day + 7 + event;
            long long const minute = 8LL * 60 + 60LL * event;
            long long const end = minute + 55;
            session << "INSERT INTO attendance_event (structure_id, student_id, kind, day, start_minute, end_minute, "
                       "state, recorded_at) VALUES (:structure, :student, :kind, :day, :start, :end, "
                       "'non_justifiee', :at)",
                soci::use(structure), soci::use(id), soci::use(kind), soci::use(day), soci::use(minute), soci::use(end),
                soci::use(now);
        }
    }
    for (int subject_index = 0; subject_index < 12; ++subject_index) {
        auto const subject = identity::store::create_subject(session, structure,
            "BENCH" + std::to_string(subject_index), "MATIÈRE DE BANC " + std::to_string(subject_index + 1));
        identity::store::add_teaching(session, teacher, seeded.class_id, subject);
        for (int a = 0; a < 5; ++a) {
            std::string const title = "Évaluation " + std::to_string(a + 1);
            long long const day = period.first_day + 3LL * a;
            long long const coefficient = 100 + 50LL * (a % 3);
            long long const published = now - 3600;
            session << "INSERT INTO assessments_assessment (structure_id, class_id, subject_id, teacher_id, "
                       "period_id, day, title, scale, coefficient, published_at, created_at, updated_at) VALUES "
                       "(:structure, :class, :subject, :teacher, :period, :day, :title, 20, :coefficient, "
                       ":published, :created, :updated)",
                soci::use(structure), soci::use(seeded.class_id), soci::use(subject), soci::use(teacher),
                soci::use(seeded.period_id), soci::use(day), soci::use(title), soci::use(coefficient),
                soci::use(published), soci::use(now), soci::use(now);
            long long assessment = 0;
            session << "SELECT MAX(id) FROM assessments_assessment", soci::into(assessment);
            for (std::size_t s = 0; s < seeded.students.size(); ++s) {
                long long const hundredths = static_cast<long long>(
                    (s * 137 + static_cast<std::size_t>(a) * 311 + static_cast<std::size_t>(subject_index) * 71)
                    % 2001);
                session << "INSERT INTO assessments_mark (assessment_id, student_id, hundredths, code, updated_at) "
                           "VALUES (:assessment, :student, :hundredths, '', :at)",
                    soci::use(assessment), soci::use(seeded.students[s]), soci::use(hundredths), soci::use(now);
            }
        }
        std::string const text = "Trimestre sérieux, des résultats réguliers ; il faut maintenant approfondir "
                                 "l'analyse des documents et soigner la rédaction des réponses argumentées.";
        for (auto const student : seeded.students)
            session << "INSERT INTO assessments_appraisal (period_id, student_id, kind, subject_id, text, author_id, "
                       "updated_at) VALUES (:period, :student, 'subject', :subject, :text, :author, :at)",
                soci::use(seeded.period_id), soci::use(student), soci::use(subject), soci::use(text),
                soci::use(teacher), soci::use(now);
    }
    transaction.commit();
    if (testing::engine_under_test() == db::Engine::Postgresql)
        session << "ANALYZE";
    return seeded;
}

} // namespace

int main(int argc, char** argv)
{
    int const runs = argc > 1 ? std::atoi(argv[1]) : 20;
    AppDriver driver;
    auto const seeded = seed(driver);
    long long const now = static_cast<long long>(std::time(nullptr));
    std::printf("a class of 35 students, 12 subjects, 60 assessments (2 100 marks); %d runs each\n", runs);
    std::size_t pdf_size = 0;
    {
        auto lease = driver.services().database->lease();
        auto& session = lease.session();
        measure("averages alone (class_period)", runs, [&] {
            auto const figures = assessments::class_period(session, seeded.class_id, seeded.period_id, true, now);
            if (figures.is_error() || figures->averages.overall.size() != 35)
                std::exit(1);
        });
        measure("the class's bulletins read (report_of)", runs, [&] {
            auto const report = assessments::reports::report_of(session, seeded.class_id, seeded.period_id, now);
            if (report.is_error())
                std::exit(1);
        });
        auto const report = assessments::reports::report_of(session, seeded.class_id, seeded.period_id, now).value();
        // Each of the 35 bulletins, `runs` times.
        std::vector<double> times;
        std::vector<double> cpu_times;
        for (int run = 0; run < runs + 1; ++run) {
            for (auto const& student : report.figures.students) {
                auto const cpu_start = cpu_milliseconds();
                auto const start = Clock::now();
                auto const pdf
                    = assessments::reports::bulletin_pdf(assessments::reports::bulletin_of(report, student, now));
                auto const elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
                auto const cpu = cpu_milliseconds() - cpu_start;
                pdf_size = pdf.size();
                if (run >= 1) {
                    times.push_back(elapsed);
                    cpu_times.push_back(cpu);
                }
            }
        }
        print("one bulletin's PDF (from the read)", times, cpu_times);
    }
    if (driver.sign_in("philippe.garnier", app::DEMO_PASSWORD).status != 303)
        return 1;
    std::vector<double> times;
    std::vector<double> cpu_times;
    for (int run = 0; run < runs + 1; ++run) {
        for (auto const student : seeded.students) {
            auto const target = "/evaluations/bulletins/" + std::to_string(seeded.class_id) + "/"
                + std::to_string(seeded.period_id) + "/eleves/" + std::to_string(student) + "/bulletin.pdf";
            auto const cpu_start = cpu_milliseconds();
            auto const start = Clock::now();
            auto const response = driver.get(target);
            auto const elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            auto const cpu = cpu_milliseconds() - cpu_start;
            if (response.status != 200) {
                std::fprintf(stderr, "%s: status %d\n", target.c_str(), response.status);
                return 1;
            }
            if (run >= 1) {
                times.push_back(elapsed);
                cpu_times.push_back(cpu);
            }
        }
    }
    print("a bulletin's PDF through the application", times, cpu_times);
    std::printf("PDF size: %zu bytes\n", pdf_size);
    return 0;
}
