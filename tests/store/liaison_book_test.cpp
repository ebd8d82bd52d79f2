// SPDX-License-Identifier: AGPL-3.0-or-later
// The carnet de liaison (issue #7): who writes, reads, signs and follows a
// note, as tables; every route tried by every kind of person; bad input,
// XSS, attachments, reminders, the CSV, the school year, « Mes données »
// and a former member (both engines).
#include "app/application.h"
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "services/liaison_book/liaison_book.h"
#include "tests/support/app_driver.h"
#include <algorithm>
#include <ctime>
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::query_value;
using cartable::testing::rows_of_tables;
using cartable::testing::user_id;

namespace {

long long class_id(AppDriver& driver, std::string const& name)
{
    return query_value(driver, "SELECT id FROM identity_class WHERE kind = 'class' AND name = '" + name + "'");
}

identity::User account(AppDriver& driver, std::string const& login)
{
    auto const id = user_id(driver, login); // before the lease: the helper takes one
    auto lease = driver.services().database->lease();
    return *identity::store::find_user(lease.session(), id);
}

void sign_in(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
    driver.get("/accueil");
}

// A note written through the store (no route), its id.
long long write_note(AppDriver& driver, std::string const& author_login, std::vector<std::string> const& classes,
    bool asks_reply = true, std::string const& title = "Conseil de classe du premier trimestre")
{
    auto author = account(driver, author_login);
    liaison_book::NewNote note;
    note.title = title;
    note.body_html = "<p>Le conseil de classe aura lieu le lundi 7 décembre à 17 h.</p>";
    note.category = "information";
    note.asks_reply = asks_reply;
    for (auto const& name : classes)
        note.class_ids.push_back(class_id(driver, name));
    auto lease = driver.services().database->lease();
    auto sent = liaison_book::send_note(
        lease.session(), author, note, "https://ent.example", static_cast<long long>(std::time(nullptr)));
    EXPECT_FALSE(sent.is_error()) << author_login;
    return sent.is_error() ? 0 : sent.value();
}

std::string in_ten_days()
{
    return school_time::iso_day(school_time::day_of_unix(static_cast<long long>(std::time(nullptr))) + 10);
}

std::string note_path(long long id)
{
    return "/carnet-de-liaison/mots/" + std::to_string(id);
}

// The form of « Nouveau mot », as a browser without JavaScript sends it.
std::vector<std::pair<std::string, std::string>> compose_form(
    AppDriver& driver, std::string const& title, std::vector<std::pair<std::string, std::string>> extra = {})
{
    std::vector<std::pair<std::string, std::string>> form { { "csrf", driver.csrf_token() }, { "titre", title },
        { "categorie", "sortie" }, { "format", "text" },
        { "texte", "Les élèves iront au musée Cévenol le mardi 15 décembre." } };
    for (auto& field : extra) {
        auto same = std::find_if(form.begin(), form.end(), [&](auto const& kept) { return kept.first == field.first; });
        if (same != form.end() && field.first != "classes" && field.first != "eleves")
            same->second = std::move(field.second);
        else
            form.push_back(std::move(field));
    }
    return form;
}

} // namespace

// Who writes: teachers and staff; not families, not administrators. To whom:
// a teacher to the classes he teaches, staff to any class of the structure.
TEST(LiaisonBookPolicy, WhoWritesToWhichClasses)
{
    AppDriver driver;
    struct Case {
        char const* login;
        bool writes;
        std::vector<std::string> classes;
    };
    std::vector<Case> const cases {
        { "samuel.beaumont", true, { "T STMG", "TPRO" } },
        { "julien.favier", true, { "T STMG", "TPRO" } },
        { "achamson", true, {} },
        { "nathalie.vidal", true, { "T STMG", "TPRO" } },
        { "philippe.garnier", true, { "T STMG", "TPRO" } },
        { "admin.ent", false, {} },
        { "louis.chamson", false, {} },
        { "andre.chamson", false, {} },
    };
    std::vector<identity::User> people;
    people.reserve(cases.size());
    for (auto const& each : cases)
        people.push_back(account(driver, each.login));
    auto outsider = account(driver, "achamson");
    auto const tpro = class_id(driver, "TPRO");
    auto const louis = user_id(driver, "louis.chamson");
    auto lease = driver.services().database->lease();
    for (std::size_t index = 0; index < cases.size(); ++index) {
        auto const& each = cases[index];
        auto const& person = people[index];
        EXPECT_EQ(liaison_book::may_write_notes(person), each.writes) << each.login;
        std::vector<std::string> names;
        for (auto const& school_class : liaison_book::addressable_classes(lease.session(), person)) {
            if (school_class.kind == "class")
                names.push_back(school_class.name);
        }
        std::sort(names.begin(), names.end());
        EXPECT_EQ(names, each.classes) << each.login;
    }
    // A teacher of no class cannot reach TPRO, even by a forged form.
    liaison_book::NewNote note;
    note.title = "Essai";
    note.body_html = "<p>Essai</p>";
    note.category = "information";
    note.class_ids = { tpro };
    auto refused = liaison_book::send_note(lease.session(), outsider, note, "", 1'795'000'000);
    ASSERT_TRUE(refused.is_error());
    EXPECT_EQ(refused.error().kind, ErrorKind::Forbidden);
    note.class_ids.clear();
    note.student_ids = { louis };
    refused = liaison_book::send_note(lease.session(), outsider, note, "", 1'795'000'000);
    ASSERT_TRUE(refused.is_error());
    EXPECT_EQ(refused.error().kind, ErrorKind::Forbidden);
}

// Who reads, signs and follows a note of the CPE to TPRO.
TEST(LiaisonBookPolicy, WhoReadsSignsAndFollowsANote)
{
    AppDriver driver;
    auto const note_id = write_note(driver, "nathalie.vidal", { "TPRO" });
    auto const louis = user_id(driver, "louis.chamson");
    auto const emma = user_id(driver, "emma.roux");
    {
        // Sophie ROUX, a guardian of Louis too, but not a legal one.
        auto sophie = user_id(driver, "sophie.roux");
        auto lease = driver.services().database->lease();
        lease.session() << "INSERT INTO identity_guardian_link (guardian_id, student_id, relationship, legal) VALUES "
                           "(:guardian, :student, 'AUTRE', 0)",
            soci::use(sophie), soci::use(louis);
    }
    struct Case {
        char const* login;
        bool reads;
        bool follows;
        std::vector<long long> signs_for;
    };
    std::vector<Case> const cases {
        { "andre.chamson", true, false, { louis } }, // legal guardian of Louis (TPRO)
        { "sophie.roux", true, false, { emma } }, // legal for Emma, not for Louis
        { "karim.benali", false, false, {} }, // guardian of Inès (T STMG)
        { "louis.chamson", true, false, {} }, // addressed student: reads, no signature
        { "pauline.chamson", false, false, {} }, // T STMG
        { "nathalie.vidal", true, true, {} }, // author
        { "philippe.garnier", true, true, {} }, // direction
        { "admin.ent", true, true, {} }, // administrator of the structure
        { "samuel.beaumont", false, false, {} }, // teaches TPRO, not the author
        { "achamson", false, false, {} },
    };
    std::vector<identity::User> people;
    people.reserve(cases.size());
    for (auto const& each : cases)
        people.push_back(account(driver, each.login));
    auto andre = account(driver, "andre.chamson");
    auto lease = driver.services().database->lease();
    auto note = liaison_book::find_note(lease.session(), note_id);
    ASSERT_TRUE(note);
    for (std::size_t index = 0; index < cases.size(); ++index) {
        auto const& each = cases[index];
        auto standing = liaison_book::standing_of(lease.session(), people[index], *note);
        EXPECT_EQ(standing.reads, each.reads) << each.login;
        EXPECT_EQ(standing.follows, each.follows) << each.login;
        EXPECT_EQ(standing.legal_children, each.signs_for) << each.login;
    }
    // One signature per legal guardian and child.
    EXPECT_TRUE(liaison_book::sign(lease.session(), *note, andre, louis, 1'795'000'100));
    EXPECT_FALSE(liaison_book::sign(lease.session(), *note, andre, louis, 1'795'000'200));
    auto follow = liaison_book::follow_up(lease.session(), *note);
    EXPECT_EQ(follow.signatures, 1);
    EXPECT_EQ(follow.expected, 2); // André for Louis, Sophie for Emma (Lucas has no guardian in the demo)
    EXPECT_EQ(follow.lines.size(), 3U);
}

// Every route of a note, for every kind of person who may not read it, and
// for ids of notes that do not exist: 404, never data, nothing written.
TEST(LiaisonBookRoutes, EveryRouteOfANoteByPerson)
{
    AppDriver driver;
    auto const stmg_note = write_note(driver, "nathalie.vidal", { "T STMG" });
    access::CapabilityRegistry registry;
    auto router = app::build_router(registry);
    ASSERT_FALSE(router.is_error());
    std::vector<http::Route const*> routes;
    for (auto const& route : router->routes()) {
        if (route.pattern.starts_with("/carnet-de-liaison/mots/{id}"))
            routes.push_back(&route);
    }
    ASSERT_EQ(routes.size(), 8U);
    auto send = [&](http::Route const& route, long long id) {
        auto path = route.pattern;
        path.replace(path.find("{id}"), 4, std::to_string(id));
        if (route.method == http::Method::Get)
            return driver.get(path);
        return driver.post(path,
            { { "csrf", driver.csrf_token() }, { "eleve", std::to_string(user_id(driver, "ines.benali")) },
                { "texte", "Réponse" } });
    };
    auto const before = rows_of_tables(driver, "liaison%");
    auto const signatures = query_value(driver, "SELECT COUNT(*) FROM liaison_signature");
    // André reads it (Pauline is in T STMG): not in this list.
    for (auto const* login :
        { "sophie.roux", "lucas.martin", "louis.chamson", "samuel.beaumont", "achamson", "julien.favier" }) {
        sign_in(driver, login);
        for (auto const* route : routes) {
            auto response = send(*route, stmg_note);
            EXPECT_EQ(response.status, 404) << login << " " << route->pattern;
            EXPECT_FALSE(contains(response.body, "Conseil de classe")) << login << " " << route->pattern;
            EXPECT_EQ(send(*route, 999999).status, 404) << login << " " << route->pattern;
        }
    }
    // Karim BENALI reads the note about Inès, but follows nothing.
    sign_in(driver, "karim.benali");
    for (auto const* route : routes) {
        auto status = send(*route, stmg_note).status;
        if (route->pattern.ends_with("/suivi") || route->pattern.ends_with(".csv")
            || route->pattern.ends_with("/impression") || route->pattern.ends_with("/piece-jointe")) {
            EXPECT_EQ(status, 404) << route->pattern;
        } else if (route->pattern.ends_with("/relancer")) {
            EXPECT_EQ(status, 403) << route->pattern;
        }
    }
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM liaison_reminder"), 0);
    // Inès reads, signs nothing; a forbidden write says why in French.
    sign_in(driver, "ines.benali");
    auto refused = driver.post(note_path(stmg_note) + "/signer",
        { { "csrf", driver.csrf_token() }, { "eleve", std::to_string(user_id(driver, "ines.benali")) } });
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "Seuls les responsables légaux"));
    EXPECT_EQ(rows_of_tables(driver, "liaison%"), before + 2); // Karim's signature and reply only
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM liaison_signature"), signatures + 1); // Karim's
    // Families and administrators do not reach « Nouveau mot ».
    for (auto const* login : { "andre.chamson", "louis.chamson", "admin.ent" }) {
        sign_in(driver, login);
        EXPECT_EQ(driver.get("/carnet-de-liaison/nouveau").status, 403) << login;
        auto posted = driver.post("/carnet-de-liaison/nouveau",
            compose_form(driver, "Essai", { { "classes", std::to_string(class_id(driver, "TPRO")) } }));
        EXPECT_EQ(posted.status, 403) << login;
    }
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM liaison_note WHERE title = 'Essai'"), 0);
}

// The browser test's story, in process: the CPE writes to the TPRO
// guardians, André signs once, the CPE sees the count, sends a reminder
// and exports the list.
TEST(LiaisonBookRoutes, CpeWritesGuardianSignsCpeFollows)
{
    AppDriver driver;
    sign_in(driver, "nathalie.vidal");
    // The students' list narrows to a name without JavaScript.
    auto search = driver.get("/carnet-de-liaison/nouveau?recherche=chamson");
    EXPECT_TRUE(contains(search.body, "CHAMSON Louis"));
    EXPECT_TRUE(contains(search.body, "CHAMSON Pauline"));
    EXPECT_FALSE(contains(search.body, "ROUX Emma"));
    ASSERT_EQ(driver.get("/carnet-de-liaison/nouveau").status, 200);
    auto const notices_before = query_value(driver, "SELECT COUNT(*) FROM notifications_item WHERE event = 'liaison'");
    auto sent = driver.post("/carnet-de-liaison/nouveau",
        compose_form(driver, "Photo de classe",
            { { "classes", std::to_string(class_id(driver, "TPRO")) }, { "reponse", "1" },
                { "signer_avant", in_ten_days() } }));
    ASSERT_EQ(sent.status, 303);
    auto const note = query_value(driver, "SELECT MAX(id) FROM liaison_note");
    EXPECT_EQ(
        query_value(driver, "SELECT COUNT(*) FROM liaison_note_student WHERE note_id = " + std::to_string(note)), 3);
    // Every guardian of TPRO is told (André and Sophie).
    EXPECT_EQ(
        query_value(driver, "SELECT COUNT(*) FROM notifications_item WHERE event = 'liaison'"), notices_before + 2);
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM notifications_item WHERE link = '" + note_path(note)
                      + "' AND recipient_id = " + std::to_string(user_id(driver, "andre.chamson"))),
        1);
    auto follow = driver.get(note_path(note) + "/suivi");
    ASSERT_EQ(follow.status, 200);
    EXPECT_TRUE(contains(follow.body, "0 signature sur 2"));

    sign_in(driver, "andre.chamson");
    auto list = driver.get("/carnet-de-liaison");
    EXPECT_TRUE(contains(list.body, "Photo de classe"));
    EXPECT_TRUE(contains(list.body, "À signer"));
    EXPECT_TRUE(contains(list.body, "Mots pour Louis CHAMSON"));
    auto page = driver.get(note_path(note));
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "J&#39;ai pris connaissance") || contains(page.body, "J'ai pris connaissance"));
    EXPECT_TRUE(contains(page.body, "À signer avant le"));
    auto louis = std::to_string(user_id(driver, "louis.chamson"));
    auto signed_note
        = driver.post(note_path(note) + "/signer", { { "csrf", driver.csrf_token() }, { "eleve", louis } });
    EXPECT_EQ(signed_note.status, 303);
    EXPECT_TRUE(contains(driver.get(note_path(note)).body, "Signé par André CHAMSON le"));
    driver.post(note_path(note) + "/signer", { { "csrf", driver.csrf_token() }, { "eleve", louis } });
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM liaison_signature WHERE note_id = " + std::to_string(note)), 1);
    // André may not sign for a child the note is not about (Pauline, T STMG).
    auto pauline = std::to_string(user_id(driver, "pauline.chamson"));
    EXPECT_EQ(
        driver.post(note_path(note) + "/signer", { { "csrf", driver.csrf_token() }, { "eleve", pauline } }).status,
        403);
    auto replied = driver.post(note_path(note) + "/repondre",
        { { "csrf", driver.csrf_token() }, { "eleve", louis }, { "texte", "Louis sera présent." } });
    EXPECT_EQ(replied.status, 303);

    sign_in(driver, "nathalie.vidal");
    follow = driver.get(note_path(note) + "/suivi");
    EXPECT_TRUE(contains(follow.body, "1 signature sur 2"));
    EXPECT_TRUE(contains(follow.body, "Louis sera présent."));
    auto const reminders_before
        = query_value(driver, "SELECT COUNT(*) FROM notifications_item WHERE link = '" + note_path(note) + "'");
    auto reminded = driver.post(note_path(note) + "/relancer", { { "csrf", driver.csrf_token() } });
    EXPECT_EQ(reminded.status, 303);
    // Sophie, who has not signed; not André.
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM notifications_item WHERE link = '" + note_path(note) + "'"),
        reminders_before + 1);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM liaison_reminder"), 1);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM identity_audit WHERE action = 'liaison_reminder'"), 1);
    auto csv = driver.get(note_path(note) + "/suivi.csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBF"
                                     "Classe;Élève;Responsable légal;Signé le;Réponses\r\n"));
    EXPECT_TRUE(contains(csv.body, "TPRO;Louis CHAMSON;André CHAMSON;"));
    EXPECT_TRUE(contains(csv.header("Content-Disposition"), "attachment"));
    auto print = driver.get(note_path(note) + "/impression");
    EXPECT_EQ(print.status, 200);
    EXPECT_TRUE(contains(print.body, "<th scope=\"col\">Responsable légal</th>"));
    EXPECT_FALSE(contains(print.body, "Relancer</button>"));
    // The direction sees it in the structure's list; another teacher does not.
    sign_in(driver, "philippe.garnier");
    EXPECT_TRUE(contains(driver.get("/carnet-de-liaison").body, "Photo de classe"));
    sign_in(driver, "samuel.beaumont");
    EXPECT_FALSE(contains(driver.get("/carnet-de-liaison").body, "Photo de classe"));
}

// Bad input: a French message on the form, nothing written.
TEST(LiaisonBookRoutes, BadInputChangesNothing)
{
    AppDriver driver;
    sign_in(driver, "samuel.beaumont");
    driver.get("/carnet-de-liaison/nouveau");
    auto const tpro = std::to_string(class_id(driver, "TPRO"));
    auto const before = rows_of_tables(driver, "liaison%");
    auto const notices = rows_of_tables(driver, "notifications%");
    struct Case {
        std::vector<std::pair<std::string, std::string>> form;
        char const* message;
    };
    std::vector<Case> const cases {
        { compose_form(driver, "", { { "classes", tpro } }), "Indiquez le titre du mot." },
        { compose_form(driver, "Sortie", {}), "Choisissez au moins une classe ou un élève." },
        { compose_form(driver, "Sortie", { { "classes", tpro }, { "signer_avant", "2020-01-10" } }), "est passée" },
        { compose_form(driver, "Sortie", { { "classes", tpro }, { "signer_avant", "31/02/20x" } }),
            "pas une date (jj/mm/aaaa)" },
        { { { "csrf", driver.csrf_token() }, { "titre", "Sortie" }, { "categorie", "sortie" }, { "texte", "  " },
              { "classes", tpro } },
            "Écrivez le texte du mot." },
        { { { "csrf", driver.csrf_token() }, { "titre", "Sortie" }, { "categorie", "inconnue" }, { "texte", "Texte" },
              { "classes", tpro } },
            "Choisissez une catégorie." },
        { compose_form(driver, std::string(201, 'a'), { { "classes", tpro } }), "200 caractères" },
    };
    for (auto const& each : cases) {
        auto response = driver.post("/carnet-de-liaison/nouveau", each.form);
        EXPECT_EQ(response.status, 400) << each.message;
        EXPECT_TRUE(contains(response.body, each.message)) << each.message;
    }
    // A class he does not teach, by a forged id: 403, in French.
    auto other = driver.post("/carnet-de-liaison/nouveau", compose_form(driver, "Sortie", { { "classes", "999999" } }));
    EXPECT_EQ(other.status, 403);
    EXPECT_TRUE(contains(other.body, "Vous ne pouvez pas écrire aux familles de cette classe."));
    // Bad files: empty, too large.
    auto empty = driver.post_files("/carnet-de-liaison/nouveau",
        compose_form(driver, "Sortie", { { "classes", tpro } }), { { "piece", "autorisation.pdf", "" } });
    EXPECT_EQ(empty.status, 400);
    EXPECT_TRUE(contains(empty.body, "est vide"));
    auto large
        = driver.post_files("/carnet-de-liaison/nouveau", compose_form(driver, "Sortie", { { "classes", tpro } }),
            { { "piece", "programme.pdf", std::string((10 << 20) + 1, 'x') } });
    EXPECT_EQ(large.status, 400);
    EXPECT_TRUE(contains(large.body, "dépasse 10 Mo"));
    EXPECT_EQ(rows_of_tables(driver, "liaison%"), before);
    EXPECT_EQ(rows_of_tables(driver, "notifications%"), notices);
    // An empty reply is refused on the note's page.
    auto const note = write_note(driver, "nathalie.vidal", { "TPRO" });
    sign_in(driver, "andre.chamson");
    driver.get(note_path(note));
    auto blank = driver.post(note_path(note) + "/repondre",
        { { "csrf", driver.csrf_token() }, { "eleve", std::to_string(user_id(driver, "louis.chamson")) },
            { "texte", "   " } });
    EXPECT_EQ(blank.status, 400);
    EXPECT_TRUE(contains(blank.body, "Écrivez votre réponse"));
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM liaison_reply WHERE note_id = " + std::to_string(note)), 0);
    // A note that asks for no reply takes none.
    auto const silent = write_note(driver, "nathalie.vidal", { "TPRO" }, false);
    driver.get(note_path(silent));
    auto refused = driver.post(note_path(silent) + "/repondre",
        { { "csrf", driver.csrf_token() }, { "eleve", std::to_string(user_id(driver, "louis.chamson")) },
            { "texte", "Bonjour" } });
    EXPECT_EQ(refused.status, 403);
}

// Payloads through the title, the text, a reply and a file name come back
// escaped or sanitized on every page that shows them.
TEST(LiaisonBookRoutes, ScriptsAreNeverRenderedBack)
{
    AppDriver driver;
    std::vector<std::string> const payloads { "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>" };
    auto const tpro = std::to_string(class_id(driver, "TPRO"));
    auto const louis = std::to_string(user_id(driver, "louis.chamson"));
    auto clean = [](std::string const& body) {
        return !contains(body, "<script>alert") && !contains(body, "<img src=x") && !contains(body, "<svg onload")
            && !contains(body, "href=\"javascript:");
    };
    for (auto const& payload : payloads) {
        sign_in(driver, "nathalie.vidal");
        driver.get("/carnet-de-liaison/nouveau");
        auto html_text = "<p>Texte " + payload + " <a href=\"javascript:alert(1)\">lien</a></p>";
        auto sent = driver.post_files("/carnet-de-liaison/nouveau",
            { { "csrf", driver.csrf_token() }, { "titre", "Titre " + payload }, { "categorie", "information" },
                { "format", "html" }, { "texte", html_text }, { "classes", tpro }, { "reponse", "1" } },
            { { "piece", "fichier " + payload + ".pdf", "%PDF-1.4" } });
        ASSERT_EQ(sent.status, 303) << payload;
        auto note = note_path(query_value(driver, "SELECT MAX(id) FROM liaison_note"));
        sign_in(driver, "andre.chamson");
        driver.get(note);
        EXPECT_EQ(driver
                      .post(note + "/repondre",
                          { { "csrf", driver.csrf_token() }, { "eleve", louis }, { "texte", "Réponse " + payload } })
                      .status,
            303);
        for (auto const& page : { std::string("/carnet-de-liaison"), note }) {
            auto body = driver.get(page).body;
            EXPECT_TRUE(clean(body)) << page << " " << payload;
        }
        sign_in(driver, "nathalie.vidal");
        for (auto const& page : { std::string("/carnet-de-liaison"), note, note + "/suivi", note + "/impression" }) {
            auto body = driver.get(page).body;
            EXPECT_TRUE(clean(body)) << page << " " << payload;
            EXPECT_TRUE(contains(body, "Titre")) << page;
        }
    }
    // The plain textarea (no JavaScript) sends text: shown as text.
    sign_in(driver, "nathalie.vidal");
    driver.get("/carnet-de-liaison/nouveau");
    driver.post("/carnet-de-liaison/nouveau",
        compose_form(driver, "Texte simple", { { "classes", tpro }, { "texte", "<script>alert(1)</script>" } }));
    auto body = driver.get(note_path(query_value(driver, "SELECT MAX(id) FROM liaison_note"))).body;
    EXPECT_TRUE(clean(body));
    EXPECT_TRUE(contains(body, "&lt;script&gt;"));
}

// The attachment downloads for those who read the note, and nobody else.
TEST(LiaisonBookRoutes, AttachmentOnlyForReaders)
{
    AppDriver driver;
    sign_in(driver, "samuel.beaumont");
    driver.get("/carnet-de-liaison/nouveau");
    auto sent = driver.post_files("/carnet-de-liaison/nouveau",
        compose_form(driver, "Stage en entreprise", { { "classes", std::to_string(class_id(driver, "TPRO")) } }),
        { { "piece", "convention de stage.pdf", "%PDF-1.4 convention" } });
    ASSERT_EQ(sent.status, 303);
    auto note = note_path(query_value(driver, "SELECT MAX(id) FROM liaison_note"));
    for (auto const* login : { "andre.chamson", "louis.chamson", "samuel.beaumont", "nathalie.vidal" }) {
        sign_in(driver, login);
        auto file = driver.get(note + "/piece-jointe");
        EXPECT_EQ(file.status, 200) << login;
        EXPECT_TRUE(contains(file.header("Content-Disposition"), "attachment")) << login;
        EXPECT_EQ(file.header("Content-Type"), "application/octet-stream") << login;
    }
    for (auto const* login : { "karim.benali", "pauline.chamson", "marie.delmas" }) {
        sign_in(driver, login);
        EXPECT_EQ(driver.get(note + "/piece-jointe").status, 404) << login;
    }
}

// Notes belong to a school year (September to August); the list shows one.
// A note to both of André's children tells him about each, by each child's
// choices (« Préférences » > « Notifications » per child).
TEST(LiaisonBookStore, GuardiansAreToldPerChildByThatChildsChoices)
{
    AppDriver driver;
    auto const andre = user_id(driver, "andre.chamson");
    auto const louis = user_id(driver, "louis.chamson");
    auto const pauline = user_id(driver, "pauline.chamson");
    auto const items = [&](long long child) {
        return query_value(driver,
            "SELECT COUNT(*) FROM notifications_item WHERE event = 'liaison' AND recipient_id = "
                + std::to_string(andre) + " AND child_id = " + std::to_string(child));
    };
    write_note(driver, "nathalie.vidal", { "TPRO", "T STMG" });
    EXPECT_EQ(items(louis), 1);
    EXPECT_EQ(items(pauline), 1);
    // André no longer wants the carnet's notifications about Pauline.
    {
        auto lease = driver.services().database->lease();
        lease.session() << "INSERT INTO notifications_choice (user_id, event, child_id, channel, enabled) VALUES "
                           "(:user, 'liaison', :child, 'ent', 0)",
            soci::use(andre), soci::use(pauline);
    }
    write_note(driver, "nathalie.vidal", { "TPRO", "T STMG" }, false, "Photo de classe");
    EXPECT_EQ(items(louis), 2);
    EXPECT_EQ(items(pauline), 1);
}

TEST(LiaisonBookStore, SchoolYearsAndTheirLists)
{
    EXPECT_EQ(liaison_book::school_year_of(1'788'220'800), "2026-2027"); // 2026-09-01
    EXPECT_EQ(liaison_book::school_year_of(1'819'670'400), "2026-2027"); // 2027-08-31
    EXPECT_EQ(liaison_book::school_year_of(1'788'134'400), "2025-2026"); // 2026-08-31
    AppDriver driver;
    auto const old_note = write_note(driver, "nathalie.vidal", { "TPRO" }, false, "Mot ancien de 2019");
    {
        auto lease = driver.services().database->lease();
        lease.session() << "UPDATE liaison_note SET school_year = '2019-2020' WHERE id = :id", soci::use(old_note);
    }
    sign_in(driver, "andre.chamson");
    EXPECT_FALSE(contains(driver.get("/carnet-de-liaison").body, "Mot ancien de 2019"));
    auto previous = driver.get("/carnet-de-liaison?annee=2019-2020");
    EXPECT_EQ(previous.status, 200);
    EXPECT_TRUE(contains(previous.body, "Mot ancien de 2019"));
    EXPECT_EQ(driver.get("/carnet-de-liaison?annee=1990-1991").status, 404);
}

// The demo: notes the guide's screens show, one already signed.
TEST(LiaisonBookStore, DemoNotes)
{
    AppDriver driver;
    sign_in(driver, "andre.chamson");
    auto list = driver.get("/carnet-de-liaison");
    EXPECT_TRUE(contains(list.body, "Sortie au musée Cévenol du Vigan – autorisation"));
    EXPECT_TRUE(contains(list.body, "À signer"));
    // « Profil affiché »: one child at a time, only his own.
    EXPECT_TRUE(contains(list.body, "Profil affiché"));
    auto pauline = driver.get("/carnet-de-liaison?enfant=" + std::to_string(user_id(driver, "pauline.chamson")));
    EXPECT_FALSE(contains(pauline.body, "Sortie au musée Cévenol"));
    EXPECT_TRUE(contains(pauline.body, "Retards du matin et carnet de correspondance"));
    EXPECT_EQ(driver.get("/carnet-de-liaison?enfant=" + std::to_string(user_id(driver, "emma.roux"))).status, 403);
    sign_in(driver, "nathalie.vidal");
    list = driver.get("/carnet-de-liaison");
    EXPECT_TRUE(contains(list.body, "1 signature sur 2"));
    EXPECT_TRUE(contains(list.body, "Réunion parents-professeurs de la TPRO"));
}

// « Mes données », and a former guardian's signature signed « Ancien membre ».
TEST(LiaisonBookStore, PersonalDataAndFormerMembers)
{
    AppDriver driver;
    auto const& exporters = driver.services().personal_data_exporters;
    EXPECT_TRUE(std::any_of(exporters.begin(), exporters.end(),
        [](auto const& exporter) { return exporter.first == "carnet de liaison"; }));
    auto const note_id = write_note(driver, "nathalie.vidal", { "TPRO" }, true, "Vaccination contre la grippe");
    auto andre = account(driver, "andre.chamson");
    auto const louis = user_id(driver, "louis.chamson");
    auto const nathalie = user_id(driver, "nathalie.vidal");
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    auto note = liaison_book::find_note(session, note_id);
    liaison_book::sign(session, *note, andre, louis, 1'795'000'100);
    liaison_book::add_reply(session, *note, andre, louis, "Louis est déjà vacciné.", 1'795'000'200);
    auto json = liaison_book::personal_data_json(session, andre.id);
    EXPECT_TRUE(contains(json, "Vaccination contre la grippe"));
    EXPECT_TRUE(contains(json, "Louis est déjà vacciné."));
    auto written = liaison_book::personal_data_json(session, nathalie);
    EXPECT_TRUE(contains(written, "Vaccination contre la grippe"));
    EXPECT_FALSE(contains(written, "Louis est déjà vacciné."));
    liaison_book::forget_person(session, andre.id, false);
    long long kept = 0;
    session << "SELECT COUNT(*) FROM liaison_signature WHERE note_id = :note AND guardian_name = 'Ancien membre' AND "
               "guardian_id IS NULL",
        soci::use(note_id), soci::into(kept);
    EXPECT_EQ(kept, 1);
    EXPECT_FALSE(contains(liaison_book::personal_data_json(session, andre.id), "Vaccination"));
    liaison_book::forget_person(session, nathalie, true);
    EXPECT_EQ(liaison_book::find_note(session, note_id)->author_name, "Ancien membre");
}
