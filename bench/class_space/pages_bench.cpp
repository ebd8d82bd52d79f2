// SPDX-License-Identifier: AGPL-3.0-or-later
// The class spaces' pages (issue #6), through the real application in
// process (routing, session, role in the space, rendering), on the engine
// the test environment names (CARTABLE_TEST_ENGINE, CARTABLE_TEST_POSTGRESQL):
// the blog of « Classe TPRO » holding 200 articles (first page by date, by
// title, the last page, a category, one article with 30 comments).
// Prints p50 and p99 per page; bench/class_space.sh runs it on both engines.
#include "app/demo_school.h"
#include "bench/support/timing.h"
#include "tests/support/app_driver.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::user_id;

namespace {

using cartable::bench::percentile;

using Clock = std::chrono::steady_clock;

long long scalar(AppDriver& driver, std::string const& sql)
{
    auto lease = driver.services().database->lease();
    long long value = 0;
    lease.session() << sql, soci::into(value);
    return value;
}

std::string const BODY
    = "<p>Cette semaine, la classe a travaillé sur <strong>l'étude de marché</strong> d'une entreprise du Vigan : "
      "chaque groupe a présenté ses résultats, ses graphiques et ses recommandations.</p><ul><li>Groupe 1 : la "
      "boulangerie de la place</li><li>Groupe 2 : le camping municipal</li><li>Groupe 3 : la coopérative "
      "oléicole</li></ul><p>Les diaporamas sont dans les dossiers partagés. Bravo à toutes et à tous pour la "
      "qualité des présentations orales ; pensez à relire les remarques avant l'épreuve.</p>";

void seed(AppDriver& driver, long long space, int articles, int comments)
{
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    soci::transaction transaction(session);
    auto const teacher = user_id(driver, "samuel.beaumont");
    auto const student = user_id(driver, "louis.chamson");
    long long category = 0;
    session << "SELECT MIN(id) FROM class_space_category WHERE space_id = :space", soci::use(space),
        soci::into(category);
    long long const now = 1'780'000'000;
    for (int index = 0; index < articles; ++index) {
        std::string title = "Compte rendu de la séance " + std::to_string(index + 1);
        long long at = now - static_cast<long long>(index) * 86'400;
        long long author = index % 3 == 0 ? student : teacher;
        long long category_id = index % 2 == 0 ? category : 0;
        soci::indicator indicator = index % 2 == 0 ? soci::i_ok : soci::i_null;
        session << "INSERT INTO class_space_article (space_id, author_id, category_id, title, body, published, "
                   "created_at, published_at, updated_at) VALUES (:space, :author, :category, :title, :body, 1, :at, "
                   ":at2, :at3)",
            soci::use(space), soci::use(author), soci::use(category_id, indicator), soci::use(title), soci::use(BODY),
            soci::use(at), soci::use(at), soci::use(at);
    }
    long long article = 0;
    session << "SELECT MAX(id) FROM class_space_article WHERE space_id = :space", soci::use(space), soci::into(article);
    for (int index = 0; index < comments; ++index) {
        std::string text = "Merci pour ce compte rendu, je complète la partie " + std::to_string(index + 1) + ".";
        long long at = now + index;
        session << "INSERT INTO class_space_comment (article_id, author_id, body, created_at) VALUES (:article, "
                   ":author, :body, :at)",
            soci::use(article), soci::use(student), soci::use(text), soci::use(at);
    }
    transaction.commit();
}

void measure(AppDriver& driver, char const* what, std::string const& target, int runs)
{
    std::vector<double> times;
    std::size_t size = 0;
    for (int run = 0; run < runs + 20; ++run) {
        auto start = Clock::now();
        auto response = driver.get(target);
        auto elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        if (response.status != 200) {
            std::fprintf(stderr, "%s: status %d\n", target.c_str(), response.status);
            std::exit(1);
        }
        size = response.body.size();
        if (run >= 20) // warm-up first
            times.push_back(elapsed);
    }
    std::printf(
        "%-44s p50 %6.2f ms  p99 %6.2f ms  (%zu bytes)\n", what, percentile(times, 0.5), percentile(times, 0.99), size);
}

} // namespace

int main(int argc, char** argv)
{
    int const articles = argc > 1 ? std::atoi(argv[1]) : 200;
    int const runs = argc > 2 ? std::atoi(argv[2]) : 300;
    AppDriver driver;
    auto const space = scalar(
        driver, "SELECT s.id FROM class_space s JOIN identity_class c ON c.id = s.class_id WHERE c.name = 'TPRO'");
    seed(driver, space, articles, 30);
    if (driver.sign_in("louis.chamson", app::DEMO_PASSWORD).status != 303)
        return 1;
    auto const base = "/espaces/" + std::to_string(space);
    auto const category = scalar(driver, "SELECT MIN(id) FROM class_space_category");
    auto const article = scalar(driver, "SELECT MAX(id) FROM class_space_article");
    std::printf("blog of %d articles, %d runs each\n", articles + 1, runs);
    measure(driver, "blog, first page (date)", base, runs);
    measure(driver, "blog, sorted by title", base + "?tri=titre", runs);
    measure(driver, "blog, last page", base + "?page=21", runs);
    measure(driver, "blog, one category", base + "?categorie=" + std::to_string(category), runs);
    measure(driver, "article with 30 comments", base + "/blog/" + std::to_string(article), runs);
    return 0;
}
