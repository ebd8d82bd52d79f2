// SPDX-License-Identifier: AGPL-3.0-or-later
// The help centre on both engines: pages from help/fr, the FAQ, the search.
#include "services/help/help_catalog.h"
#include "services/help/help_store.h"
#include "tests/support/app_driver.h"
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::user_id;

TEST(Help, SearchWordsBecomeQuotedPrefixes)
{
    EXPECT_EQ(
        help::store::fts5_query("Comment imprimer le cahier de textes ?"), "\"imprimer\"* \"cahier\"* \"textes\"*");
    // No FTS5 operator can come from the person's words.
    EXPECT_EQ(help::store::fts5_query("absence\" OR NEAR(x) -y *"), "\"absence\"* \"or\"* \"near\"*");
    // Case and accents are folded by FTS5 itself (unicode61 remove_diacritics).
    EXPECT_EQ(help::store::fts5_query("Élève"), "\"Élève\"*");
    EXPECT_EQ(help::store::fts5_query("le de la"), "");
}

TEST(Help, EveryPageHasAKnownSectionAndProfiles)
{
    auto const& pages = help::pages();
    ASSERT_GE(pages.size(), 20u);
    int questions = 0;
    for (auto const& page : pages) {
        EXPECT_FALSE(help::section_label(page.section).empty()) << page.slug;
        EXPECT_FALSE(page.profiles.empty()) << page.slug;
        EXPECT_FALSE(page.html.empty()) << page.slug;
        EXPECT_FALSE(contains(page.html, "<script")) << page.slug;
        questions += page.is_faq ? 1 : 0;
    }
    EXPECT_GE(questions, 7);
}

TEST(Help, CentreShowsProfilesSectionsAndQuestions)
{
    AppDriver driver;
    auto page = driver.get("/aide");
    ASSERT_EQ(page.status, 200);
    for (auto const* label : { "Aide en ligne – mon ENT Occitanie", "Personnels de direction / Administrateurs",
             "CPE / Personnels de vie scolaire", "Enseignants / Documentalistes", "Responsables légaux", "Élèves",
             "Préférences", "Cahier de textes", "Vie scolaire / Scolarité", "Raccourcis", "Outils",
             "Les questions les plus fréquentes", "Rechercher", ">OK<", "<details class=\"faq\">" })
        EXPECT_TRUE(contains(page.body, label)) << label;
    EXPECT_TRUE(contains(page.body, "imprimer le cahier de textes"));
}

TEST(Help, SearchFindsHowToPrintTheLessonBook)
{
    AppDriver driver;
    auto results = driver.get("/aide/recherche?q=imprimer+le+cahier+de+textes");
    ASSERT_EQ(results.status, 200);
    EXPECT_TRUE(contains(results.body, "imprimer le cahier de textes")) << results.body;
    auto nothing = driver.get("/aide/recherche?q=xylophone");
    EXPECT_TRUE(contains(nothing.body, "Aucune page ne correspond"));
    // Words that look like FTS5 syntax are words, not an error.
    EXPECT_EQ(driver.get("/aide/recherche?q=%22absence%22+OR+NEAR%28%29+*").status, 200);
    EXPECT_EQ(driver.get("/aide/rubrique/nulle-part").status, 404);
    EXPECT_EQ(driver.get("/aide/page/nulle-part").status, 404);
}

TEST(Help, SignedInPeopleSeeTheirProfileFirst)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", "demo-vigan").status, 303);
    auto page = driver.get("/aide");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Rubriques – Responsables légaux"));
    EXPECT_TRUE(contains(page.body, "André CHAMSON")); // inside the frame
}
