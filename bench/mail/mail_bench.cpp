// SPDX-License-Identifier: AGPL-3.0-or-later
// The messagerie's benchmark (issue #5), through the real application in
// process (routing, session, checks, rendering), on the engine the test
// environment names (CARTABLE_TEST_ENGINE, CARTABLE_TEST_POSTGRESQL):
//   1. one message from the CPE to a whole school of 2,000 people: the
//      server's time for the POST and the database rows it writes;
//   2. opening « Boîte de réception » holding 10,000 messages (p50, p99);
//   3. searching a mailbox of 100,000 messages (p50, p99), for a rare word,
//      a word in 1 % of the messages, a two-word query.
// Prints one line per figure; bench/mail.sh runs it on both engines.
#include "app/demo_school.h"
#include "bench/support/timing.h"
#include "core/identity/identity_store.h"
#include "services/admin/admin.h"
#include "services/mail/mail.h"
#include "tests/support/app_driver.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::rows_of_tables;
using cartable::testing::user_id;

namespace {

using cartable::bench::percentile;

using Clock = std::chrono::steady_clock;

double milliseconds(Clock::duration duration)
{
    return std::chrono::duration<double, std::milli>(duration).count();
}

long long structure_of(AppDriver& driver, std::string const& login)
{
    auto lease = driver.services().database->lease();
    long long id = 0;
    lease.session() << "SELECT structure_id FROM identity_user WHERE login = :login", soci::use(login), soci::into(id);
    return id;
}

std::vector<long long> add_people(AppDriver& driver, long long structure, int count)
{
    std::vector<long long> ids;
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    soci::transaction transaction(session);
    for (int index = 0; index < count; ++index) {
        identity::User person;
        person.login = "bench.eleve" + std::to_string(index);
        person.first_name = "Élève";
        person.last_name = "NUMERO" + std::to_string(index);
        person.profile = access::Profile::Student;
        person.structure_id = structure;
        ids.push_back(identity::store::create_user(session, person, ""));
    }
    transaction.commit();
    return ids;
}

// Plausible messages of a school year, from a vocabulary of its words.
std::string sentence(std::mt19937& random, int words)
{
    static std::vector<std::string> const vocabulary = { "bonjour", "classe", "sortie", "devoirs", "contrôle",
        "mathématiques", "français", "histoire", "géographie", "anglais", "espagnol", "physique", "chimie", "réunion",
        "parents", "professeur", "cantine", "absence", "retard", "bulletin", "trimestre", "conseil", "stage",
        "entreprise", "orientation", "brevet", "baccalauréat", "épreuve", "calculatrice", "cahier", "manuel",
        "exercice", "leçon", "révision", "jeudi", "mardi", "vendredi", "lundi", "matin", "après-midi", "merci",
        "cordialement", "autorisation", "signature", "carnet", "liaison", "emploi", "temps", "salle", "gymnase",
        "piscine", "musée", "voyage", "Espagne", "Londres", "photos", "inscription", "dossier" };
    std::string text;
    for (int index = 0; index < words; ++index)
        text.append(index == 0 ? "" : " ").append(vocabulary[random() % vocabulary.size()]);
    return text;
}

// `count` messages to `owner`, from `sender`, sent through the store (rows
// and search index as the messagerie writes them). One message in a hundred
// mentions the « Cévennes », one in ten thousand the « spéléologie ».
void fill_mailbox(AppDriver& driver, long long sender_id, long long owner, int count, long long now)
{
    std::mt19937 random(42);
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    auto sender = identity::store::find_user(session, sender_id);
    for (int done = 0; done < count;) {
        soci::transaction transaction(session);
        for (int index = 0; index < 2000 && done < count; ++index, ++done) {
            auto body = "<p>" + sentence(random, 40) + "</p><p>" + sentence(random, 30) + "</p>";
            if (done % 100 == 7)
                body += "<p>Randonnée dans les Cévennes prévue.</p>";
            if (done % 10000 == 4242)
                body += "<p>Initiation à la spéléologie.</p>";
            auto id = mail::save_draft(
                session, *sender, std::nullopt, { owner }, sentence(random, 5), body, now - (count - done) * 60);
            mail::send_draft(session, sender_id, id, now - (count - done) * 60);
        }
        transaction.commit();
    }
}

// PostgreSQL's statistics and visibility map after a bulk fill, as its
// autovacuum would have them in service.
void settle(AppDriver& driver)
{
    if (driver.services().database->engine() != db::Engine::Postgresql)
        return;
    auto lease = driver.services().database->lease();
    lease.session() << "VACUUM ANALYZE";
}

std::vector<double> time_gets(AppDriver& driver, std::string const& target, int runs)
{
    std::vector<double> times;
    for (int run = 0; run < runs; ++run) {
        auto start = Clock::now();
        auto response = driver.get(target);
        times.push_back(milliseconds(Clock::now() - start));
        if (response.status != 200) {
            std::fprintf(stderr, "GET %s: %d\n", target.c_str(), response.status);
            std::exit(1);
        }
    }
    return times;
}

} // namespace

int main(int argc, char** argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each figure as soon as measured
    int const search_messages = argc > 1 ? std::stoi(argv[1]) : 100000;
    AppDriver driver;
    auto const now = static_cast<long long>(std::time(nullptr));
    auto structure = structure_of(driver, "nathalie.vidal");
    std::printf("engine: %s\n", driver.services().database->engine() == db::Engine::Sqlite ? "sqlite" : "postgresql");

    // 1. The CPE writes to 2,000 people. The structure's administrator has
    // raised the staff's hourly cap (abuse containment), so that each of the
    // runs is a real sending rather than a message held for approval.
    auto school = add_people(driver, structure, 2000);
    {
        auto lease = driver.services().database->lease();
        admin::save_recipient_cap(lease.session(), structure, access::Profile::Staff, 1000000);
    }
    driver.sign_in("nathalie.vidal", app::DEMO_PASSWORD);
    driver.get("/messagerie/nouveau");
    std::vector<double> send_times;
    long long rows_written = 0;
    for (int run = 0; run < 7; ++run) {
        std::vector<std::pair<std::string, std::string>> form { { "csrf", driver.csrf_token() } };
        for (auto id : school)
            form.emplace_back("destinataire", std::to_string(id));
        form.emplace_back("objet", "Fermeture exceptionnelle du collège vendredi " + std::to_string(run));
        form.emplace_back("corps",
            "Madame, Monsieur,\n\nEn raison des intempéries, la cité scolaire sera fermée vendredi. Les cours "
            "reprendront lundi à 8 h.\n\nLa direction");
        form.emplace_back("action", "envoyer");
        auto before = rows_of_tables(driver, "%");
        auto start = Clock::now();
        auto response = driver.post("/messagerie/nouveau", form);
        send_times.push_back(milliseconds(Clock::now() - start));
        rows_written = rows_of_tables(driver, "%") - before;
        if (response.status != 303) {
            std::fprintf(stderr, "send: %d\n%s\n", response.status, response.body.substr(0, 2000).c_str());
            return 1;
        }
    }
    std::printf("send_2000_recipients_ms median %.1f min %.1f max %.1f (aim < 100)\n", percentile(send_times, 0.5),
        percentile(send_times, 0), percentile(send_times, 1));
    std::printf("send_2000_recipients_rows_written %lld (+1 search index entry)\n", rows_written);
    if (search_messages == 0)
        return 0; // the sending only

    // 2. An inbox of 10,000 messages, against the same page almost empty.
    auto reader = school.front();
    driver.forget_cookies();
    {
        // The bench's student signs in with a known password.
        auto lease = driver.services().database->lease();
        auto hash = driver.services().password_hasher->hash(app::DEMO_PASSWORD).release_value();
        lease.session() << "UPDATE identity_user SET password_hash = :hash WHERE id = :id", soci::use(hash),
            soci::use(reader);
    }
    driver.sign_in("bench.eleve0", app::DEMO_PASSWORD);
    time_gets(driver, "/messagerie", 50);
    auto few = time_gets(driver, "/messagerie", 1000);
    std::printf(
        "inbox_7_ms p50 %.2f p99 %.2f (the same page with 7 messages)\n", percentile(few, 0.5), percentile(few, 0.99));
    fill_mailbox(driver, user_id(driver, "samuel.beaumont"), reader, 10000 - 7, now);
    settle(driver);
    time_gets(driver, "/messagerie", 50);
    auto inbox = time_gets(driver, "/messagerie", 1000);
    std::printf("inbox_10000_ms p50 %.2f p99 %.2f (aim p99 < 5)\n", percentile(inbox, 0.5), percentile(inbox, 0.99));
    auto deep = time_gets(driver, "/messagerie?page=300", 200);
    std::printf("inbox_10000_page_300_ms p50 %.2f p99 %.2f\n", percentile(deep, 0.5), percentile(deep, 0.99));

    // 3. Search in a mailbox of 100,000 messages.
    fill_mailbox(driver, user_id(driver, "marie.delmas"), reader, search_messages - 10000, now);
    settle(driver);
    for (auto const* query : { "spéléologie", "cevennes", "randonnee cevennes", "sortie musee" }) {
        auto target = std::string("/messagerie/recherche?q=") + query;
        for (auto& c : target) {
            if (c == ' ')
                c = '+';
        }
        time_gets(driver, target, 5);
        auto times = time_gets(driver, target, 100);
        std::printf("search_%d_messages_ms \"%s\" p50 %.2f p99 %.2f (aim < 50)\n", search_messages, query,
            percentile(times, 0.5), percentile(times, 0.99));
    }
    return 0;
}
