// SPDX-License-Identifier: AGPL-3.0-or-later
// The « Chat » tab of a class space: history paged, the plain form by role,
// every route tried by every kind of person, bad input, XSS; and the live
// side as the server drives it (the WebSocket handler a route hands over):
// presence, broadcast, refusals re-checked at each message (both engines).
#include "app/demo_school.h"
#include "core/http/websocket.h"
#include "services/class_space/chat.h"
#include "services/class_space/class_space.h"
#include "tests/support/app_driver.h"
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>
#include <mutex>
#include <regex>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::class_space_id;
using cartable::testing::contains;

namespace {

long long message_count(AppDriver& driver, long long space)
{
    auto lease = driver.services().database->lease();
    long long count = 0;
    lease.session() << "SELECT COUNT(*) FROM class_space_chat_message WHERE space_id = :space", soci::use(space),
        soci::into(count);
    return count;
}

std::string chat_of(long long space)
{
    return "/espaces/" + std::to_string(space) + "/chat";
}

void sign_in(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
}

http::Response post_message(AppDriver& driver, long long space, std::string const& text)
{
    driver.get(chat_of(space));
    return driver.post(chat_of(space), { { "csrf", driver.csrf_token() }, { "message", text } });
}

void let_visitors_in(AppDriver& driver, long long space, bool allowed)
{
    sign_in(driver, "samuel.beaumont");
    driver.get("/espaces/" + std::to_string(space) + "/membres");
    ASSERT_EQ(
        driver
            .post("/espaces/" + std::to_string(space) + "/parametres",
                { { "csrf", driver.csrf_token() }, { "visiteurs", allowed ? "1" : "0" }, { "commentaires", "1" } })
            .status,
        303);
}

// A connection as the server would hold it: the frames sent, in order.
class FakeConnection final : public http::WebSocketConnection {
public:
    void send(std::shared_ptr<std::string const> text) override
    {
        std::lock_guard lock(m_mutex);
        m_frames.push_back(*text);
    }
    void close() override
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    std::vector<std::string> frames()
    {
        std::lock_guard lock(m_mutex);
        return m_frames;
    }
    std::string last_of(std::string const& type)
    {
        auto all = frames();
        for (auto at = all.rbegin(); at != all.rend(); ++at) {
            auto value = boost::json::parse(*at);
            if (value.as_object().at("type").as_string() == type)
                return *at;
        }
        return {};
    }
    bool closed()
    {
        std::lock_guard lock(m_mutex);
        return m_closed;
    }

private:
    std::mutex m_mutex;
    std::vector<std::string> m_frames;
    bool m_closed { false };
};

struct Live {
    std::shared_ptr<http::WebSocketHandler> handler;
    std::shared_ptr<FakeConnection> connection = std::make_shared<FakeConnection>();
};

// Opens the chat's socket as `login` (through the route and its
// middleware), as the server does once the handshake is done.
Live open_live(AppDriver& driver, std::string const& login, long long space)
{
    sign_in(driver, login);
    auto response = driver.get(chat_of(space) + "/direct");
    EXPECT_EQ(response.status, 101) << login;
    Live live;
    live.handler = response.websocket;
    if (live.handler)
        live.handler->on_open(live.connection);
    return live;
}

char const* const PAYLOADS[] = {
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">lien</a> javascript:alert(1)",
};

// Plain text, escaped: the payloads' words may show (« onerror= » as text
// between &lt; and &gt;), never inside a tag of the page.
void expect_no_xss(std::string const& html)
{
    EXPECT_FALSE(contains(html, "<script>alert"));
    EXPECT_FALSE(std::regex_search(html, std::regex("<[^<>]* onerror=")));
    EXPECT_FALSE(std::regex_search(html, std::regex("<[^<>]*onload=")));
    EXPECT_FALSE(contains(html, "href=\"javascript:"));
    EXPECT_FALSE(contains(html, "<img src=x"));
    EXPECT_FALSE(contains(html, "<svg"));
}

} // namespace

TEST(ClassSpaceChat, SameOriginCheck)
{
    EXPECT_TRUE(http::same_origin("", "ent.example.fr"));
    EXPECT_TRUE(http::same_origin("https://ent.example.fr", "ent.example.fr"));
    EXPECT_TRUE(http::same_origin("http://127.0.0.1:8080", "127.0.0.1:8080"));
    EXPECT_TRUE(http::same_origin("https://ENT.example.fr", "ent.example.fr"));
    EXPECT_FALSE(http::same_origin("https://evil.example.com", "ent.example.fr"));
    EXPECT_FALSE(http::same_origin("https://ent.example.fr.evil.com", "ent.example.fr"));
    EXPECT_FALSE(http::same_origin("http://127.0.0.1:9999", "127.0.0.1:8080"));
    EXPECT_FALSE(http::same_origin("null", "ent.example.fr"));
    EXPECT_FALSE(http::same_origin("file://ent.example.fr", "ent.example.fr"));
}

TEST(ClassSpaceChat, HistoryAndTheFormByRole)
{
    AppDriver driver;
    auto const tpro = class_space_id(driver, "TPRO");
    auto const before = message_count(driver, tpro);

    // The demo's conversation is there, under its authors' names.
    sign_in(driver, "louis.chamson");
    auto page = driver.get(chat_of(tpro));
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Chat de la classe"));
    EXPECT_TRUE(contains(page.body, "aria-current=\"page\">Chat</a>"));
    EXPECT_TRUE(contains(page.body, "Samuel BEAUMONT"));
    EXPECT_TRUE(contains(page.body, "le vendredi 5 décembre"));
    EXPECT_TRUE(contains(page.body, "<label for=\"chat-message\">Votre message</label>"));
    EXPECT_TRUE(contains(page.body, "data-chat-socket=\"/espaces/" + std::to_string(tpro) + "/chat/direct\""));

    // The student posts: stored, shown, newest last.
    auto posted = post_message(driver, tpro, "J'ai terminé le plan de mon rapport de stage.");
    EXPECT_EQ(posted.status, 303);
    EXPECT_EQ(posted.header("Location"), chat_of(tpro) + "#chat-formulaire");
    EXPECT_EQ(message_count(driver, tpro), before + 1);

    // The teacher too, and sees both.
    sign_in(driver, "samuel.beaumont");
    EXPECT_EQ(post_message(driver, tpro, "Très bien Louis, envoyez-le-moi avant jeudi.").status, 303);
    page = driver.get(chat_of(tpro));
    auto const first = page.body.find("terminé le plan de mon rapport");
    auto const second = page.body.find("Très bien Louis");
    ASSERT_NE(first, std::string::npos);
    ASSERT_NE(second, std::string::npos);
    EXPECT_LT(first, second);
    EXPECT_EQ(message_count(driver, tpro), before + 2);

    // A guardian let in as a visitor reads, and may not post: a French 403,
    // nothing stored, no form on the page.
    let_visitors_in(driver, tpro, true);
    sign_in(driver, "andre.chamson");
    page = driver.get(chat_of(tpro));
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Très bien Louis"));
    EXPECT_TRUE(contains(page.body, "En visiteur, vous lisez le chat sans y écrire."));
    EXPECT_FALSE(contains(page.body, "chat-formulaire"));
    auto refused = post_message(driver, tpro, "Bonjour, je suis le père de Louis.");
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "En visiteur, vous pouvez lire cet espace, sans y publier."));
    EXPECT_EQ(message_count(driver, tpro), before + 2);
}

TEST(ClassSpaceChat, EveryRouteByEveryRole)
{
    AppDriver driver;
    auto const tpro = class_space_id(driver, "TPRO");
    auto const stmg = class_space_id(driver, "T STMG");
    let_visitors_in(driver, tpro, true);
    auto const before = message_count(driver, tpro);
    struct Expected {
        char const* login;
        int page; // GET /chat
        int post; // POST /chat
        int direct; // GET /chat/direct
    };
    Expected const people[] = {
        { "samuel.beaumont", 200, 303, 101 }, // manager
        { "nathalie.vidal", 200, 303, 101 }, // the structure's CPE: manager
        { "louis.chamson", 200, 303, 101 }, // contributor
        { "andre.chamson", 200, 403, 101 }, // visitor: reads, live too
        { "pauline.chamson", 404, 404, 404 }, // a student of T STMG
        { "karim.benali", 404, 404, 404 }, // another family's guardian
        { "achamson", 404, 404, 404 }, // a teacher of no class
    };
    for (auto const& person : people) {
        sign_in(driver, person.login);
        auto page = driver.get(chat_of(tpro));
        EXPECT_EQ(page.status, person.page) << person.login;
        if (person.page == 404) {
            EXPECT_FALSE(contains(page.body, "Chat de la classe")) << person.login;
            EXPECT_FALSE(contains(page.body, "Samuel BEAUMONT")) << person.login;
        }
        auto older = driver.get(chat_of(tpro) + "?avant=999999");
        EXPECT_EQ(older.status, person.page) << person.login;
        driver.get("/accueil");
        auto post = driver.post(
            chat_of(tpro), { { "csrf", driver.csrf_token() }, { "message", std::string("Essai de ") + person.login } });
        EXPECT_EQ(post.status, person.post) << person.login;
        auto direct = driver.get(chat_of(tpro) + "/direct");
        EXPECT_EQ(direct.status, person.direct) << person.login;
        EXPECT_EQ(direct.websocket != nullptr, person.direct == 101) << person.login;
        // An unknown space, or no space at all: nothing.
        EXPECT_EQ(driver.get(chat_of(999999)).status, 404) << person.login;
        EXPECT_EQ(driver.get(chat_of(999999) + "/direct").status, 404) << person.login;
        EXPECT_EQ(driver.post(chat_of(999999), { { "csrf", driver.csrf_token() }, { "message", "x" } }).status, 404)
            << person.login;
    }
    EXPECT_EQ(message_count(driver, tpro), before + 3); // the two managers and the contributor

    // Signed out: the sign-in page, nothing posted.
    driver.forget_cookies();
    EXPECT_EQ(driver.get(chat_of(tpro)).status, 303);
    EXPECT_EQ(driver.get(chat_of(tpro) + "/direct").status, 303);

    // Louis, in TPRO, reaches nothing of T STMG's chat; and the id of a
    // T STMG message in TPRO's paging shows only TPRO's messages.
    sign_in(driver, "pauline.chamson");
    EXPECT_EQ(post_message(driver, stmg, "Message réservé à la T STMG").status, 303);
    long long stmg_message = 0;
    {
        auto lease = driver.services().database->lease();
        lease.session() << "SELECT MAX(id) FROM class_space_chat_message WHERE space_id = :space", soci::use(stmg),
            soci::into(stmg_message);
    }
    sign_in(driver, "louis.chamson");
    EXPECT_EQ(driver.get(chat_of(stmg)).status, 404);
    EXPECT_EQ(driver.get(chat_of(stmg) + "/direct").status, 404);
    driver.get(chat_of(tpro));
    EXPECT_EQ(driver.post(chat_of(stmg), { { "csrf", driver.csrf_token() }, { "message", "intrus" } }).status, 404);
    auto paged = driver.get(chat_of(tpro) + "?avant=" + std::to_string(stmg_message + 1));
    EXPECT_EQ(paged.status, 200);
    EXPECT_FALSE(contains(paged.body, "réservé à la T STMG"));
    EXPECT_TRUE(contains(paged.body, "Samuel BEAUMONT"));
}

TEST(ClassSpaceChat, BadInputIsShownOnTheForm)
{
    AppDriver driver;
    auto const tpro = class_space_id(driver, "TPRO");
    auto const before = message_count(driver, tpro);
    sign_in(driver, "louis.chamson");

    auto empty = post_message(driver, tpro, "   \n  ");
    EXPECT_EQ(empty.status, 422);
    EXPECT_TRUE(contains(empty.body, "Écrivez un message avant de l&#39;envoyer."));
    EXPECT_TRUE(contains(empty.body, "role=\"alert\""));

    std::string const too_long(2001, 'a');
    auto long_one = post_message(driver, tpro, too_long);
    EXPECT_EQ(long_one.status, 422);
    EXPECT_TRUE(contains(long_one.body, "Un message compte au plus 2 000 caractères ; le vôtre en compte 2001."));
    EXPECT_TRUE(contains(long_one.body, too_long)); // kept in the form

    // 2 000 characters of two bytes each are fine.
    std::string accented;
    for (int at = 0; at < 2000; ++at)
        accented += "é";
    EXPECT_EQ(post_message(driver, tpro, accented).status, 303);

    auto unreadable = post_message(driver, tpro, std::string("abc\xff"));
    EXPECT_NE(unreadable.status, 303);
    EXPECT_EQ(message_count(driver, tpro), before + 1);
}

TEST(ClassSpaceChat, XssPayloadsAreEscaped)
{
    AppDriver driver;
    auto const tpro = class_space_id(driver, "TPRO");
    sign_in(driver, "louis.chamson");
    for (auto const* payload : PAYLOADS) {
        EXPECT_EQ(post_message(driver, tpro, payload).status, 303) << payload;
        // Refused input comes back in the form: escaped there too.
        auto refused = post_message(driver, tpro, std::string(payload) + std::string(2001, 'x'));
        EXPECT_EQ(refused.status, 422);
        expect_no_xss(refused.body);
    }
    auto page = driver.get(chat_of(tpro));
    expect_no_xss(page.body);
    EXPECT_TRUE(contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    EXPECT_TRUE(contains(page.body, "&lt;img src=x onerror=alert(1)&gt;"));

    // Live, the text travels as JSON, drawn with textContent by the page.
    auto samuel = open_live(driver, "samuel.beaumont", tpro);
    ASSERT_TRUE(samuel.handler);
    auto louis = open_live(driver, "louis.chamson", tpro);
    ASSERT_TRUE(louis.handler);
    louis.handler->on_message(R"({"text": "<img src=x onerror=alert(1)>"})");
    auto frame = boost::json::parse(samuel.connection->last_of("message"));
    EXPECT_EQ(frame.as_object().at("text").as_string(), "<img src=x onerror=alert(1)>");
    louis.handler->on_close();
    samuel.handler->on_close();
}

TEST(ClassSpaceChat, HistoryIsPaged)
{
    AppDriver driver;
    auto const tpro = class_space_id(driver, "TPRO");
    sign_in(driver, "samuel.beaumont");
    {
        auto lease = driver.services().database->lease();
        for (int number = 1; number <= 120; ++number) {
            std::string text = "Révision numéro " + std::to_string(number) + ".";
            long long at = 1700000000 + number;
            lease.session() << "INSERT INTO class_space_chat_message (space_id, author_id, body, created_at) VALUES "
                               "(:space, NULL, :body, :at)",
                soci::use(tpro), soci::use(text), soci::use(at);
        }
    }
    auto page = driver.get(chat_of(tpro));
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Révision numéro 120."));
    EXPECT_TRUE(contains(page.body, "Révision numéro 71."));
    EXPECT_FALSE(contains(page.body, "Révision numéro 70."));
    EXPECT_TRUE(contains(page.body, "Ancien membre"));
    auto const link = page.body.find("Messages plus anciens");
    ASSERT_NE(link, std::string::npos);
    auto const href = page.body.rfind("href=\"", link);
    auto const url_start = href + 6;
    auto url = page.body.substr(url_start, page.body.find('"', url_start) - url_start);
    auto const amp = url.find("&amp;");
    EXPECT_EQ(amp, std::string::npos);
    auto older = driver.get(url.substr(0, url.find('#')));
    ASSERT_EQ(older.status, 200);
    EXPECT_TRUE(contains(older.body, "Révision numéro 70."));
    EXPECT_TRUE(contains(older.body, "Révision numéro 21."));
    EXPECT_FALSE(contains(older.body, "Révision numéro 71."));
    EXPECT_FALSE(contains(older.body, "Révision numéro 20."));
    EXPECT_TRUE(contains(older.body, "Revenir aux derniers messages"));
    EXPECT_TRUE(contains(older.body, "Messages plus anciens")); // 20 more, and the demo's
}

TEST(ClassSpaceChat, LiveMessagesAndPresence)
{
    AppDriver driver;
    auto const tpro = class_space_id(driver, "TPRO");
    auto const before = message_count(driver, tpro);
    auto samuel = open_live(driver, "samuel.beaumont", tpro);
    ASSERT_TRUE(samuel.handler);
    EXPECT_TRUE(contains(samuel.connection->last_of("presence"), "En ligne : Samuel BEAUMONT"));
    auto louis = open_live(driver, "louis.chamson", tpro);
    ASSERT_TRUE(louis.handler);
    auto presence = boost::json::parse(samuel.connection->last_of("presence"));
    EXPECT_EQ(presence.as_object().at("text").as_string(), "En ligne : Louis CHAMSON, Samuel BEAUMONT");
    EXPECT_EQ(class_space::chat_presence(driver.services(), tpro),
        (std::vector<std::string> { "Louis CHAMSON", "Samuel BEAUMONT" }));
    // The page without JavaScript says who is online too.
    EXPECT_TRUE(contains(driver.get(chat_of(tpro)).body, "En ligne : Louis CHAMSON, Samuel BEAUMONT"));

    // Louis writes through the socket: stored, and both receive it.
    louis.handler->on_message(R"({"text": "  Bonjour monsieur, le rapport est-il à rendre en PDF ?  "})");
    EXPECT_EQ(message_count(driver, tpro), before + 1);
    auto frame = boost::json::parse(samuel.connection->last_of("message"));
    EXPECT_EQ(frame.as_object().at("author").as_string(), "Louis CHAMSON");
    EXPECT_EQ(frame.as_object().at("text").as_string(), "Bonjour monsieur, le rapport est-il à rendre en PDF ?");
    EXPECT_FALSE(louis.connection->last_of("message").empty());

    // A message posted with the plain form reaches the sockets too.
    sign_in(driver, "samuel.beaumont");
    EXPECT_EQ(post_message(driver, tpro, "Oui, en PDF, par la messagerie.").status, 303);
    frame = boost::json::parse(louis.connection->last_of("message"));
    EXPECT_EQ(frame.as_object().at("text").as_string(), "Oui, en PDF, par la messagerie.");
    EXPECT_EQ(frame.as_object().at("author").as_string(), "Samuel BEAUMONT");

    // Another space's sockets hear nothing of it.
    auto pauline = open_live(driver, "pauline.chamson", class_space_id(driver, "T STMG"));
    ASSERT_TRUE(pauline.handler);
    EXPECT_TRUE(contains(pauline.connection->last_of("presence"), "En ligne : Pauline CHAMSON"));
    sign_in(driver, "samuel.beaumont");
    EXPECT_EQ(post_message(driver, tpro, "Bonne soirée à tous.").status, 303);
    EXPECT_TRUE(pauline.connection->last_of("message").empty());

    // Bad input through the socket: an error frame, nothing stored.
    auto const stored = message_count(driver, tpro);
    louis.handler->on_message(R"({"text": "   "})");
    EXPECT_TRUE(contains(louis.connection->last_of("error"), "Écrivez un message"));
    louis.handler->on_message("pas du JSON");
    EXPECT_TRUE(contains(louis.connection->last_of("error"), "illisible"));
    louis.handler->on_message(R"({"text": ")" + std::string(2001, 'a') + R"("})");
    EXPECT_TRUE(contains(louis.connection->last_of("error"), "2 000 caractères"));
    EXPECT_EQ(message_count(driver, tpro), stored);

    // Louis leaves: Samuel sees him go.
    louis.handler->on_close();
    presence = boost::json::parse(samuel.connection->last_of("presence"));
    EXPECT_EQ(presence.as_object().at("text").as_string(), "En ligne : Samuel BEAUMONT");
    samuel.handler->on_close();
    pauline.handler->on_close();
    EXPECT_TRUE(class_space::chat_presence(driver.services(), tpro).empty());
}

TEST(ClassSpaceChat, LiveRefusalsAreCheckedAtEachMessage)
{
    AppDriver driver;
    auto const tpro = class_space_id(driver, "TPRO");
    let_visitors_in(driver, tpro, true);
    auto const before = message_count(driver, tpro);

    // A visitor hears the chat live, and may not write in it.
    auto andre = open_live(driver, "andre.chamson", tpro);
    ASSERT_TRUE(andre.handler);
    andre.handler->on_message(R"({"text": "Bonjour à tous"})");
    EXPECT_TRUE(contains(andre.connection->last_of("error"), "En visiteur"));
    EXPECT_EQ(message_count(driver, tpro), before);

    // The teacher closes the door to parents: the open socket learns it at
    // its next message, and is closed.
    let_visitors_in(driver, tpro, false);
    andre.handler->on_message(R"({"text": "Encore moi"})");
    EXPECT_TRUE(contains(andre.connection->last_of("error"), "plus accès"));
    EXPECT_TRUE(andre.connection->closed());
    andre.handler->on_close();

    // Louis signs out in another tab: his socket may no longer post.
    auto louis = open_live(driver, "louis.chamson", tpro);
    ASSERT_TRUE(louis.handler);
    louis.handler->on_message(R"({"text": "Premier message"})");
    EXPECT_EQ(message_count(driver, tpro), before + 1);
    driver.get("/accueil");
    driver.post("/deconnexion", { { "csrf", driver.csrf_token() } });
    louis.handler->on_message(R"({"text": "Après la déconnexion"})");
    EXPECT_TRUE(contains(louis.connection->last_of("error"), "session"));
    EXPECT_TRUE(louis.connection->closed());
    EXPECT_EQ(message_count(driver, tpro), before + 1);
    louis.handler->on_close();

    // Too many at once: refused past the burst.
    auto samuel = open_live(driver, "samuel.beaumont", tpro);
    ASSERT_TRUE(samuel.handler);
    for (int number = 1; number <= 12; ++number)
        samuel.handler->on_message(R"({"text": "Rappel )" + std::to_string(number) + R"("})");
    EXPECT_TRUE(contains(samuel.connection->last_of("error"), "trop de messages"));
    EXPECT_EQ(message_count(driver, tpro), before + 1 + 10);

    // An archived space is read-only, live and with the form.
    {
        auto lease = driver.services().database->lease();
        lease.session() << "UPDATE class_space SET archived_at = 1700000000 WHERE id = :id", soci::use(tpro);
    }
    auto const archived_count = message_count(driver, tpro);
    auto teacher = open_live(driver, "samuel.beaumont", tpro);
    ASSERT_TRUE(teacher.handler);
    teacher.handler->on_message(R"({"text": "Dans un espace archivé"})");
    EXPECT_TRUE(contains(teacher.connection->last_of("error"), "archivé"));
    auto page = driver.get(chat_of(tpro));
    EXPECT_EQ(page.status, 200);
    EXPECT_FALSE(contains(page.body, "chat-formulaire"));
    EXPECT_TRUE(contains(page.body, "le chat se lit sans s'écrire"));
    auto refused = driver.post(chat_of(tpro), { { "csrf", driver.csrf_token() }, { "message", "Archivé ?" } });
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "archivé"));
    EXPECT_EQ(message_count(driver, tpro), archived_count);
    teacher.handler->on_close();
    samuel.handler->on_close();
}
