// SPDX-License-Identifier: AGPL-3.0-or-later
// The space's « Chat » tab: live messages over a WebSocket, kept in
// class_space_chat_message before they are sent to the people connected;
// who is online; a page that shows the history (paged) and posts with a
// plain form when the WebSocket is not there (no JavaScript, a proxy).
#include "services/class_space/chat.h"
#include "core/context.h"
#include "core/http/websocket.h"
#include "core/i18n/format.h"
#include "core/identity/sessions.h"
#include "core/log.h"
#include "core/text.h"
#include "core/validate.h"
#include "services/account/account.h"
#include "services/class_space/class_space_internal.h"
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <ctime>
#include <limits>
#include <map>
#include <mutex>
#include <set>

namespace cartable::class_space {

namespace {

constexpr long long PAGE_SIZE = 50;
// A burst a person typing fast may send, per connection: more within the
// window is refused (an error frame), nothing stored.
constexpr int RATE_BURST = 10;
constexpr long long RATE_WINDOW_SECONDS = 10;

std::string format_moment(long long at)
{
    return i18n::format_short_date(static_cast<std::time_t>(at)) + " "
        + i18n::format_time(static_cast<std::time_t>(at));
}

std::string message_json(ChatMessage const& message)
{
    boost::json::object object;
    object["type"] = "message";
    object["id"] = message.id;
    object["author"] = message.author;
    object["text"] = message.text;
    object["time"] = format_moment(message.created_at);
    object["at"] = message.created_at;
    return boost::json::serialize(object);
}

std::string error_json(std::string const& text)
{
    boost::json::object object;
    object["type"] = "error";
    object["message"] = text;
    return boost::json::serialize(object);
}

std::string presence_text(std::vector<std::string> const& names)
{
    if (names.empty())
        return "Personne n'est en ligne pour l'instant.";
    std::string text = "En ligne : ";
    for (std::size_t at = 0; at < names.size(); ++at) {
        if (at > 0)
            text += ", ";
        text += names[at];
    }
    return text;
}

std::string presence_json(std::vector<std::string> const& names)
{
    boost::json::object object;
    object["type"] = "presence";
    boost::json::array list;
    for (auto const& name : names)
        list.emplace_back(name);
    object["names"] = std::move(list);
    object["text"] = presence_text(names);
    return boost::json::serialize(object);
}

// The rooms of the spaces, one per space of each running application (the
// tests run several in one process): who is connected, to send them what
// is posted and who is online.
class Hub {
public:
    using Key = std::pair<Services const*, long long>;
    struct Member {
        void const* token { nullptr }; // the handler
        long long user_id { 0 };
        std::string name;
        std::shared_ptr<http::WebSocketConnection> connection;
    };

    void join(Key key, Member member)
    {
        std::vector<std::shared_ptr<http::WebSocketConnection>> targets;
        std::shared_ptr<std::string const> presence;
        auto joining = member.connection;
        {
            std::lock_guard lock(m_mutex);
            auto& room = m_rooms[key];
            bool const already_there = std::any_of(
                room.begin(), room.end(), [&](Member const& other) { return other.user_id == member.user_id; });
            room.push_back(std::move(member));
            presence = std::make_shared<std::string const>(presence_json(names_in(room)));
            // Everyone learns of a newcomer; a person's second tab changes
            // nothing for the others.
            if (!already_there)
                targets = connections_in(room);
        }
        if (targets.empty())
            joining->send(presence);
        for (auto const& target : targets)
            target->send(presence);
    }

    void leave(Key key, void const* token)
    {
        std::vector<std::shared_ptr<http::WebSocketConnection>> targets;
        std::shared_ptr<std::string const> presence;
        {
            std::lock_guard lock(m_mutex);
            auto found = m_rooms.find(key);
            if (found == m_rooms.end())
                return;
            auto& room = found->second;
            auto member = std::find_if(room.begin(), room.end(), [&](Member const& m) { return m.token == token; });
            if (member == room.end())
                return;
            auto const user_id = member->user_id;
            room.erase(member);
            if (room.empty()) {
                m_rooms.erase(found);
                return;
            }
            bool const still_there
                = std::any_of(room.begin(), room.end(), [&](Member const& other) { return other.user_id == user_id; });
            if (still_there)
                return;
            presence = std::make_shared<std::string const>(presence_json(names_in(room)));
            targets = connections_in(room);
        }
        for (auto const& target : targets)
            target->send(presence);
    }

    void broadcast(Key key, std::shared_ptr<std::string const> const& text)
    {
        std::vector<std::shared_ptr<http::WebSocketConnection>> targets;
        {
            std::lock_guard lock(m_mutex);
            auto found = m_rooms.find(key);
            if (found == m_rooms.end())
                return;
            targets = connections_in(found->second);
        }
        for (auto const& target : targets)
            target->send(text);
    }

    std::vector<std::string> present(Key key)
    {
        std::lock_guard lock(m_mutex);
        auto found = m_rooms.find(key);
        if (found == m_rooms.end())
            return {};
        return names_in(found->second);
    }

private:
    static std::vector<std::string> names_in(std::vector<Member> const& room)
    {
        std::set<std::pair<long long, std::string>> people;
        for (auto const& member : room)
            people.emplace(member.user_id, member.name);
        std::vector<std::string> names;
        names.reserve(people.size());
        for (auto const& person : people)
            names.push_back(person.second);
        std::sort(names.begin(), names.end());
        return names;
    }

    static std::vector<std::shared_ptr<http::WebSocketConnection>> connections_in(std::vector<Member> const& room)
    {
        std::vector<std::shared_ptr<http::WebSocketConnection>> connections;
        connections.reserve(room.size());
        for (auto const& member : room)
            connections.push_back(member.connection);
        return connections;
    }

    std::mutex m_mutex;
    std::map<Key, std::vector<Member>> m_rooms;
};

Hub& hub()
{
    static Hub instance;
    return instance;
}

// Trimmed, checked: the text to store, or the French reason it is refused.
ErrorOr<std::string> checked_text(std::string_view typed)
{
    auto text = std::string(trim_text(typed));
    if (!validate::is_utf8(text) || text.find('\0') != std::string::npos)
        return Error::invalid("Ce message contient des caractères illisibles : retapez-le.");
    if (text.empty())
        return Error::invalid("Écrivez un message avant de l'envoyer.");
    auto const count = validate::character_count(text);
    if (count > CHAT_MAX_CHARACTERS)
        return Error::invalid(
            "Un message compte au plus 2 000 caractères ; le vôtre en compte " + std::to_string(count) + ".");
    return text;
}

// One connection to the chat of a space.
class ChatSocket final : public http::WebSocketHandler {
public:
    ChatSocket(Services& services, long long space_id, identity::User person, std::string session_token)
        : m_services(services)
        , m_space_id(space_id)
        , m_person(std::move(person))
        , m_session_token(std::move(session_token))
    { }

    void on_open(std::shared_ptr<http::WebSocketConnection> connection) override
    {
        m_connection = connection;
        hub().join({ &m_services, m_space_id }, { this, m_person.id, m_person.display_name(), std::move(connection) });
    }

    void on_message(std::string const& frame) override
    {
        auto const now = static_cast<long long>(std::time(nullptr));
        std::string typed;
        try {
            auto value = boost::json::parse(frame);
            if (auto const* object = value.if_object()) {
                if (auto const* text = object->if_contains("text"); text && text->is_string())
                    typed = std::string(text->as_string());
            }
        } catch (std::exception const&) {
            m_connection->send(error_json("Message illisible."));
            return;
        }
        if (now - m_window_start >= RATE_WINDOW_SECONDS) {
            m_window_start = now;
            m_sent_in_window = 0;
        }
        if (++m_sent_in_window > RATE_BURST) {
            m_connection->send(error_json("Vous envoyez trop de messages à la suite : patientez quelques secondes."));
            return;
        }
        // The person may have signed out, left the class, or the space been
        // archived since the connection opened: checked again now.
        auto loaded = reload(now);
        if (loaded.is_error()) {
            m_connection->send(error_json(loaded.error().message_key));
            if (loaded.error().kind == ErrorKind::Unauthenticated || loaded.error().kind == ErrorKind::NotFound)
                m_connection->close();
            return;
        }
        auto posted = post_chat_message(m_services, loaded.value(), m_person, typed, now);
        if (posted.is_error())
            m_connection->send(error_json(posted.error().kind == ErrorKind::Internal
                    ? "Le message n'a pas pu être enregistré ; réessayez."
                    : posted.error().message_key));
    }

    void on_close() override
    {
        hub().leave({ &m_services, m_space_id }, this);
        m_connection.reset();
    }

private:
    ErrorOr<Loaded> reload(long long now)
    {
        auto const& config = m_services.config;
        identity::SessionLimits const limits { config.session_idle_seconds, config.session_absolute_seconds };
        return m_services.database->read([&](soci::session& session) -> ErrorOr<Loaded> {
            auto resumed = identity::sessions::resume(session, m_session_token, now, limits);
            if (!resumed || resumed->user.id != m_person.id)
                return Error::unauthenticated("Votre session a pris fin : rechargez la page pour vous reconnecter.");
            m_person = resumed->user;
            auto space = space_by_id(session, m_space_id);
            if (!space)
                return Error::not_found("Cet espace n'existe plus.");
            auto role = role_of(m_person, *space, membership(session, m_person, *space));
            if (role == Role::None)
                return Error::not_found("Vous n'avez plus accès à cet espace.");
            Loaded loaded { *space, role };
            TRY(require_post(loaded));
            return loaded;
        });
    }

    Services& m_services;
    long long m_space_id;
    identity::User m_person;
    std::string m_session_token;
    std::shared_ptr<http::WebSocketConnection> m_connection;
    long long m_window_start { 0 };
    int m_sent_in_window { 0 };
};

ErrorOr<http::Response> open_socket(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto token = context.request.cookie(account::SESSION_COOKIE);
    if (!token)
        return Error::not_found();
    http::Response response;
    response.status = 101;
    response.websocket
        = std::make_shared<ChatSocket>(context.services, loaded.space.id, context.user(), std::move(*token));
    return response;
}

struct Page {
    std::vector<ChatMessage> messages; // oldest first
    long long older_than { 0 }; // the id for « Messages plus anciens », 0: none
};

Page load_page(soci::session& session, long long space_id, long long before)
{
    Page page;
    ChatMessage row;
    std::string first;
    std::string last;
    soci::indicator first_indicator = soci::i_ok;
    soci::indicator last_indicator = soci::i_ok;
    long long const wanted = PAGE_SIZE + 1;
    long long const bound = before > 0 ? before : std::numeric_limits<long long>::max();
    soci::statement statement = (session.prepare
            << "SELECT m.id, m.body, m.created_at, u.first_name, u.last_name FROM class_space_chat_message m LEFT "
               "JOIN identity_user u ON u.id = m.author_id WHERE m.space_id = :space AND m.id < :before ORDER BY "
               "m.id DESC LIMIT :wanted",
        soci::use(space_id), soci::use(bound), soci::use(wanted), soci::into(row.id), soci::into(row.text),
        soci::into(row.created_at), soci::into(first, first_indicator), soci::into(last, last_indicator));
    statement.execute();
    while (statement.fetch()) {
        row.author = first_indicator == soci::i_ok && last_indicator == soci::i_ok
            ? std::string(first).append(" ").append(last)
            : std::string("Ancien membre");
        page.messages.push_back(row);
    }
    if (static_cast<long long>(page.messages.size()) > PAGE_SIZE) {
        page.messages.pop_back();
        page.older_than = page.messages.back().id;
    }
    std::reverse(page.messages.begin(), page.messages.end());
    return page;
}

http::Response chat_page(Context& context, Loaded const& loaded, long long before, std::string const& error,
    std::string const& typed, int status = 200)
{
    auto const space_id = loaded.space.id;
    auto page = context.database().read(
        [&](soci::session& session) -> ErrorOr<Page> { return load_page(session, space_id, before); });
    view::Data data;
    view::List messages;
    if (!page.is_error()) {
        for (auto const& message : page.value().messages) {
            view::Data entry;
            entry.set("id", std::to_string(message.id));
            entry.set("author", message.author);
            entry.set("text", message.text);
            entry.set("time", format_moment(message.created_at));
            messages.push_back(std::move(entry));
        }
        if (page.value().older_than)
            data.set("older_url",
                space_path(loaded.space) + "/chat?avant=" + std::to_string(page.value().older_than)
                    + "#chat-historique");
    }
    data.set("has_messages", !messages.empty());
    data.set("messages", std::move(messages));
    data.set("paged", before > 0);
    data.set("presence", presence_text(hub().present({ &context.services, space_id })));
    data.set("visitor", loaded.role == Role::Visitor);
    data.set("error", error);
    data.set("typed", typed);
    data.set("max_characters", std::to_string(CHAT_MAX_CHARACTERS));
    auto response = render_tab(context, loaded, Tab::Chat, "class_space/chat", std::move(data), "Chat");
    response.status = status;
    return response;
}

ErrorOr<http::Response> show_chat(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const before = parse_id(context.request.query.get("avant"));
    return chat_page(context, loaded, before, {}, {});
}

ErrorOr<http::Response> post_from_form(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_post(loaded));
    auto typed = context.request.form.get("message");
    auto posted = post_chat_message(context.services, loaded, context.user(), typed, context.now);
    if (posted.is_error()) {
        if (posted.error().kind != ErrorKind::Invalid)
            return posted.error();
        return chat_page(context, loaded, 0, posted.error().message_key, typed, 422);
    }
    return http::Response::redirect(space_path(loaded.space) + "/chat#chat-formulaire");
}

} // namespace

ErrorOr<ChatMessage> post_chat_message(
    Services& services, Loaded const& loaded, identity::User const& author, std::string_view typed, long long now)
{
    TRY(require_post(loaded));
    auto text = TRY(checked_text(typed));
    auto const space_id = loaded.space.id;
    ChatMessage message;
    message.author = author.display_name();
    message.text = std::move(text);
    message.created_at = now;
    message.id = TRY(services.database->write([&](soci::session& session) -> ErrorOr<long long> {
        long long id = 0;
        session << "INSERT INTO class_space_chat_message (space_id, author_id, body, created_at) VALUES (:space, "
                   ":author, :body, :now) RETURNING id",
            soci::use(space_id), soci::use(author.id), soci::use(message.text), soci::use(now), soci::into(id);
        return id;
    }));
    // Stored first: whoever reloads the page finds what the others saw.
    hub().broadcast({ &services, space_id }, std::make_shared<std::string const>(message_json(message)));
    return message;
}

void add_demo_chat(soci::session& session, long long now)
{
    long long space_id = 0;
    session << "SELECT s.id FROM class_space s JOIN identity_class c ON c.id = s.class_id WHERE c.name = 'TPRO'",
        soci::into(space_id);
    if (!session.got_data())
        return;
    struct Line {
        char const* login;
        long long minutes_ago;
        char const* text;
    };
    static constexpr Line LINES[] = {
        { "samuel.beaumont", 26LL * 60,
            "Bonjour à tous. Pour jeudi, relisez le chapitre sur le contrat de travail "
            "et préparez vos questions sur votre période de formation en entreprise." },
        { "louis.chamson", 26LL * 60 - 12,
            "Bonjour monsieur, est-ce qu'on doit rendre le rapport de stage jeudi "
            "ou la semaine prochaine ?" },
        { "samuel.beaumont", 26LL * 60 - 20,
            "La semaine prochaine, le vendredi 5 décembre. Jeudi, apportez "
            "seulement votre plan." },
        { "louis.chamson", 25LL * 60, "Merci, c'est noté !" },
    };
    for (auto const& line : LINES) {
        long long author = 0;
        std::string login = line.login;
        session << "SELECT id FROM identity_user WHERE login = :login", soci::use(login), soci::into(author);
        if (!session.got_data())
            continue;
        long long const at = now - (line.minutes_ago * 60);
        std::string text = line.text;
        session << "INSERT INTO class_space_chat_message (space_id, author_id, body, created_at) VALUES (:space, "
                   ":author, :body, :at)",
            soci::use(space_id), soci::use(author), soci::use(text), soci::use(at);
    }
}

std::vector<std::string> chat_presence(Services const& services, long long space_id)
{
    return hub().present({ &services, space_id });
}

std::vector<http::Route> chat_routes()
{
    using http::Method;
    return {
        { Method::Get, "/espaces/{space}/chat", READ, show_chat },
        { Method::Post, "/espaces/{space}/chat", POST, post_from_form },
        { Method::Get, "/espaces/{space}/chat/direct", READ, open_socket },
    };
}

} // namespace cartable::class_space
