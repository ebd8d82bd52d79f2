// SPDX-License-Identifier: AGPL-3.0-or-later
// The carnet de liaison's follow-up table (issue #7) through the real
// application in process (routing, session, policy, rendering), on the
// engine the test environment names (CARTABLE_TEST_ENGINE,
// CARTABLE_TEST_POSTGRESQL): a note of the CPE to 20 classes of 30 students,
// each with one legal guardian (600 guardians), half of them signed. Prints
// the time of sending the note (600 notifications) and p50/p99 of the table,
// its CSV and the note's page for a guardian; bench/liaison_book.sh runs it
// on both engines.
#include "app/demo_school.h"
#include "bench/support/timing.h"
#include "core/identity/identity_store.h"
#include "services/liaison_book/liaison_book.h"
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

// 20 classes « BENCH 01 »… of 30 students with one legal guardian each; the
// CPE's note to all of them, half the guardians signed. The note's id.
long long seed(AppDriver& driver, int classes, int students)
{
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    soci::transaction transaction(session);
    auto cpe = identity::store::find_user(session, user_id(driver, "nathalie.vidal"));
    long long const now = static_cast<long long>(std::time(nullptr));
    liaison_book::NewNote note;
    note.title = "Sortie au musée Cévenol du Vigan – autorisation";
    note.category = "sortie";
    note.body_html = "<p>Madame, Monsieur, merci de signer ce mot avant la sortie.</p>";
    note.asks_reply = true;
    std::vector<std::pair<long long, long long>> families;
    for (int c = 0; c < classes; ++c) {
        identity::SchoolClass school_class;
        school_class.structure_id = cpe->structure_id;
        school_class.name = "BENCH " + std::to_string(c + 1);
        school_class.kind = "class";
        auto class_id = identity::store::create_class(session, school_class);
        note.class_ids.push_back(class_id);
        for (int s = 0; s < students; ++s) {
            auto const n = std::to_string(c * students + s);
            identity::User student;
            student.login = "bench.eleve." + n;
            student.first_name = "Élève";
            student.last_name = "NUMÉRO " + n;
            student.profile = access::Profile::Student;
            student.structure_id = cpe->structure_id;
            auto student_id = identity::store::create_user(session, student, "");
            identity::store::add_class_member(session, class_id, student_id);
            identity::User guardian = student;
            guardian.login = "bench.parent." + n;
            guardian.first_name = "Parent";
            guardian.profile = access::Profile::Guardian;
            auto guardian_id = identity::store::create_user(session, guardian, "");
            identity::store::link_guardian(session, guardian_id, student_id, "MERE");
            families.emplace_back(guardian_id, student_id);
        }
    }
    auto start = Clock::now();
    auto note_id = liaison_book::send_note(session, *cpe, note, "https://ent.example", now).value();
    auto elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    std::printf("sending the note to %zu guardians (notifications included): %.1f ms\n", families.size(), elapsed);
    auto stored = liaison_book::find_note(session, note_id);
    for (std::size_t index = 0; index < families.size(); index += 2) {
        auto guardian = identity::store::find_user(session, families[index].first);
        liaison_book::sign(session, *stored, *guardian, families[index].second, now);
    }
    transaction.commit();
    // A deployment's autovacuum has statistics of its tables; freshly filled
    // ones would get plans for empty tables.
    if (testing::engine_under_test() == db::Engine::Postgresql)
        session << "ANALYZE";
    return note_id;
}

// `cold`: the shared results are forgotten before each request (the first
// look at the table after a signature).
void measure(AppDriver& driver, char const* what, std::string const& target, int runs, std::string const& expect = {},
    bool cold = false)
{
    std::vector<double> times;
    std::vector<double> cpu_times;
    std::size_t size = 0;
    for (int run = 0; run < runs + 20; ++run) {
        if (cold)
            driver.services().shared_results.forget_all();
        auto cpu_start = cpu_milliseconds();
        auto start = Clock::now();
        auto response = driver.get(target);
        auto elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        auto cpu = cpu_milliseconds() - cpu_start;
        if (response.status != 200 || (!expect.empty() && response.body.find(expect) == std::string::npos)) {
            std::fprintf(stderr, "%s: status %d\n", target.c_str(), response.status);
            std::exit(1);
        }
        size = response.body.size();
        if (run >= 20) { // warm-up first
            times.push_back(elapsed);
            cpu_times.push_back(cpu);
        }
    }
    std::printf("%-36s p50 %6.2f ms  p99 %6.2f ms  (CPU p50 %5.2f ms, p99 %5.2f ms; %zu bytes)\n", what,
        percentile(times, 0.5), percentile(times, 0.99), percentile(cpu_times, 0.5), percentile(cpu_times, 0.99), size);
}

} // namespace

int main(int argc, char** argv)
{
    int const runs = argc > 1 ? std::atoi(argv[1]) : 300;
    AppDriver driver;
    auto const note = seed(driver, 20, 30);
    auto const path = "/carnet-de-liaison/mots/" + std::to_string(note);
    if (driver.sign_in("nathalie.vidal", app::DEMO_PASSWORD).status != 303)
        return 1;
    std::printf("%d runs each\n", runs);
    measure(driver, "follow-up table (600 guardians)", path + "/suivi", runs, "300 signatures sur 600");
    measure(driver, "follow-up table, after a signature", path + "/suivi", runs, "300 signatures sur 600", true);
    measure(driver, "CSV export (600 lines)", path + "/suivi.csv", runs);
    measure(driver, "print view", path + "/impression", runs);
    measure(driver, "CPE's list of notes", "/carnet-de-liaison", runs);
    driver.forget_cookies();
    if (driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status != 303)
        return 1;
    measure(driver, "guardian's list of notes", "/carnet-de-liaison", runs);
    return 0;
}
