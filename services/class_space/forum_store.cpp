// SPDX-License-Identifier: AGPL-3.0-or-later
// The forum's rows: categories, topics, posts and what each person has read.
#include "core/db/id_lists.h"
#include "core/html/rich_text.h"
#include "core/text.h"
#include "core/view/mustache.h"
#include "services/class_space/class_space.h"
#include "services/class_space/forum_internal.h"
#include <boost/json.hpp>

namespace cartable::class_space::forum {

namespace {

// The name of a post's or topic's author, as the directory holds it now.
constexpr char const* AUTHOR_NAME = "COALESCE(u.first_name || ' ' || u.last_name, 'Ancien membre')";

// The topic's count and latest post, after a post came or went.
void refresh_topic(soci::session& session, long long topic_id)
{
    session << "UPDATE forum_topic SET post_count = (SELECT COUNT(*) FROM forum_post p WHERE p.topic_id = :a), "
               "last_post_id = COALESCE((SELECT MAX(p.id) FROM forum_post p WHERE p.topic_id = :b), 0), "
               "last_post_at = COALESCE((SELECT MAX(p.created_at) FROM forum_post p WHERE p.topic_id = :c), 0) "
               "WHERE id = :d",
        soci::use(topic_id), soci::use(topic_id), soci::use(topic_id), soci::use(topic_id);
}

std::string limit_clause(long long offset, long long limit)
{
    return " LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(offset);
}

} // namespace

std::vector<Category> categories(soci::session& session, long long space_id, long long reader_id)
{
    std::vector<Category> result;
    Category row;
    soci::statement statement = (session.prepare
            << "SELECT c.id, c.name, c.description, (SELECT COUNT(*) FROM forum_topic t WHERE t.category_id = c.id), "
               "(SELECT COUNT(*) FROM forum_topic t LEFT JOIN forum_read r ON r.topic_id = t.id AND r.user_id = "
               ":reader WHERE t.category_id = c.id AND (r.last_post_id IS NULL OR r.last_post_id < t.last_post_id)), "
               "COALESCE((SELECT MAX(t.last_post_at) FROM forum_topic t WHERE t.category_id = c.id), 0) "
               "FROM forum_category c WHERE c.space_id = :space ORDER BY c.id",
        soci::use(reader_id), soci::use(space_id), soci::into(row.id), soci::into(row.name),
        soci::into(row.description), soci::into(row.topic_count), soci::into(row.unread_topics),
        soci::into(row.last_post_at));
    statement.execute();
    while (statement.fetch())
        result.push_back(row);
    return result;
}

std::optional<Category> category_in(soci::session& session, long long space_id, long long category_id)
{
    Category row;
    session << "SELECT id, name, description FROM forum_category WHERE id = :id AND space_id = :space",
        soci::use(category_id), soci::use(space_id), soci::into(row.id), soci::into(row.name),
        soci::into(row.description);
    if (!session.got_data())
        return std::nullopt;
    session << "SELECT COUNT(*) FROM forum_topic WHERE category_id = :id", soci::use(category_id),
        soci::into(row.topic_count);
    return row;
}

long long add_category(soci::session& session, long long space_id, std::string const& name,
    std::string const& description, long long actor_id, long long now)
{
    long long id = 0;
    session << "INSERT INTO forum_category (space_id, name, description, created_by, created_at) VALUES (:space, "
               ":name, :description, :actor, :now) RETURNING id",
        soci::use(space_id), soci::use(name), soci::use(description), soci::use(actor_id), soci::use(now),
        soci::into(id);
    return id;
}

std::vector<Topic> topics(
    soci::session& session, long long category_id, long long reader_id, long long offset, long long limit)
{
    std::vector<Topic> result;
    Topic row;
    long long pinned = 0;
    long long locked = 0;
    soci::statement statement = (session.prepare << "SELECT t.id, t.category_id, t.title, " + std::string(AUTHOR_NAME)
                + ", t.pinned, t.locked, t.created_at, t.post_count, t.last_post_id, t.last_post_at, "
                  "COALESCE(r.last_post_id, -1), (SELECT COUNT(*) FROM forum_post p WHERE p.topic_id = t.id AND "
                  "p.id > COALESCE(r.last_post_id, 0)), COALESCE((SELECT MIN(p.id) FROM forum_post p WHERE p.topic_id "
                  "= "
                  "t.id AND p.id > COALESCE(r.last_post_id, 0)), 0) FROM forum_topic t LEFT JOIN forum_read r ON "
                  "r.topic_id = "
                  "t.id AND r.user_id = :reader LEFT JOIN identity_user u ON u.id = t.author_id WHERE t.category_id "
                  "= :category ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC"
                + limit_clause(offset, limit),
        soci::use(reader_id), soci::use(category_id), soci::into(row.id), soci::into(row.category_id),
        soci::into(row.title), soci::into(row.author_name), soci::into(pinned), soci::into(locked),
        soci::into(row.created_at), soci::into(row.post_count), soci::into(row.last_post_id),
        soci::into(row.last_post_at), soci::into(row.read_up_to), soci::into(row.unread), soci::into(row.first_unread));
    statement.execute();
    while (statement.fetch()) {
        row.pinned = pinned != 0;
        row.locked = locked != 0;
        result.push_back(row);
    }
    return result;
}

std::optional<Topic> topic_in(soci::session& session, long long space_id, long long topic_id)
{
    Topic row;
    long long pinned = 0;
    long long locked = 0;
    session << "SELECT t.id, t.category_id, t.title, " + std::string(AUTHOR_NAME)
            + ", t.pinned, t.locked, t.created_at, t.post_count, t.last_post_id, t.last_post_at FROM forum_topic t "
              "LEFT JOIN identity_user u ON u.id = t.author_id WHERE t.id = :id AND t.space_id = :space",
        soci::use(topic_id), soci::use(space_id), soci::into(row.id), soci::into(row.category_id),
        soci::into(row.title), soci::into(row.author_name), soci::into(pinned), soci::into(locked),
        soci::into(row.created_at), soci::into(row.post_count), soci::into(row.last_post_id),
        soci::into(row.last_post_at);
    if (!session.got_data())
        return std::nullopt;
    row.pinned = pinned != 0;
    row.locked = locked != 0;
    return row;
}

long long add_topic(soci::session& session, long long space_id, long long category_id, std::string const& title,
    long long author_id, std::string const& body, long long now)
{
    long long id = 0;
    session << "INSERT INTO forum_topic (space_id, category_id, title, author_id, created_at) VALUES (:space, "
               ":category, :title, :author, :now) RETURNING id",
        soci::use(space_id), soci::use(category_id), soci::use(title), soci::use(author_id), soci::use(now),
        soci::into(id);
    add_post(session, space_id, id, author_id, body, now);
    return id;
}

void set_pinned(soci::session& session, long long topic_id, bool pinned)
{
    long long value = pinned ? 1 : 0;
    session << "UPDATE forum_topic SET pinned = :pinned WHERE id = :id", soci::use(value), soci::use(topic_id);
}

void set_locked(soci::session& session, long long topic_id, bool locked)
{
    long long value = locked ? 1 : 0;
    session << "UPDATE forum_topic SET locked = :locked WHERE id = :id", soci::use(value), soci::use(topic_id);
}

void move_topic(soci::session& session, long long topic_id, long long category_id)
{
    session << "UPDATE forum_topic SET category_id = :category WHERE id = :id", soci::use(category_id),
        soci::use(topic_id);
}

void delete_topic(soci::session& session, long long topic_id)
{
    // Not every SQLite connection enforces the foreign keys' cascade.
    session << "DELETE FROM forum_read WHERE topic_id = :id", soci::use(topic_id);
    session << "DELETE FROM forum_post WHERE topic_id = :id", soci::use(topic_id);
    session << "DELETE FROM forum_topic WHERE id = :id", soci::use(topic_id);
}

void delete_category(soci::session& session, long long category_id)
{
    session << "DELETE FROM forum_read WHERE topic_id IN (SELECT id FROM forum_topic WHERE category_id = :id)",
        soci::use(category_id);
    session << "DELETE FROM forum_post WHERE topic_id IN (SELECT id FROM forum_topic WHERE category_id = :id)",
        soci::use(category_id);
    session << "DELETE FROM forum_topic WHERE category_id = :id", soci::use(category_id);
    session << "DELETE FROM forum_category WHERE id = :id", soci::use(category_id);
}

std::vector<Post> posts(soci::session& session, long long topic_id, long long offset, long long limit)
{
    std::vector<Post> result;
    Post row;
    soci::statement statement
        = (session.prepare << "SELECT p.id, p.topic_id, COALESCE(p.author_id, 0), " + std::string(AUTHOR_NAME)
                    + ", p.body, p.created_at, p.edited_at FROM forum_post p LEFT JOIN identity_user u ON u.id = "
                      "p.author_id WHERE p.topic_id = :topic ORDER BY p.id"
                    + limit_clause(offset, limit),
            soci::use(topic_id), soci::into(row.id), soci::into(row.topic_id), soci::into(row.author_id),
            soci::into(row.author_name), soci::into(row.body), soci::into(row.created_at), soci::into(row.edited_at));
    statement.execute();
    while (statement.fetch())
        result.push_back(row);
    return result;
}

std::optional<Post> post_in(soci::session& session, long long space_id, long long post_id)
{
    Post row;
    session << "SELECT p.id, p.topic_id, COALESCE(p.author_id, 0), " + std::string(AUTHOR_NAME)
            + ", p.body, p.created_at, p.edited_at FROM forum_post p LEFT JOIN identity_user u ON u.id = "
              "p.author_id WHERE p.id = :id AND p.space_id = :space",
        soci::use(post_id), soci::use(space_id), soci::into(row.id), soci::into(row.topic_id),
        soci::into(row.author_id), soci::into(row.author_name), soci::into(row.body), soci::into(row.created_at),
        soci::into(row.edited_at);
    if (!session.got_data())
        return std::nullopt;
    return row;
}

long long first_post_of(soci::session& session, long long topic_id)
{
    long long id = 0;
    session << "SELECT COALESCE(MIN(id), 0) FROM forum_post WHERE topic_id = :topic", soci::use(topic_id),
        soci::into(id);
    return id;
}

long long position_of(soci::session& session, long long topic_id, long long post_id)
{
    long long count = 0;
    session << "SELECT COUNT(*) FROM forum_post WHERE topic_id = :topic AND id <= :post", soci::use(topic_id),
        soci::use(post_id), soci::into(count);
    return count;
}

long long add_post(soci::session& session, long long space_id, long long topic_id, long long author_id,
    std::string const& body, long long now)
{
    long long id = 0;
    session << "INSERT INTO forum_post (space_id, topic_id, author_id, body, created_at) VALUES (:space, :topic, "
               ":author, :body, :now) RETURNING id",
        soci::use(space_id), soci::use(topic_id), soci::use(author_id), soci::use(body), soci::use(now), soci::into(id);
    refresh_topic(session, topic_id);
    mark_read(session, author_id, topic_id, id);
    return id;
}

void edit_post(soci::session& session, long long post_id, std::string const& body, long long now)
{
    session << "UPDATE forum_post SET body = :body, edited_at = :now WHERE id = :id", soci::use(body), soci::use(now),
        soci::use(post_id);
}

void delete_post(soci::session& session, long long topic_id, long long post_id)
{
    session << "DELETE FROM forum_post WHERE id = :id", soci::use(post_id);
    refresh_topic(session, topic_id);
}

void mark_read(soci::session& session, long long reader_id, long long topic_id, long long post_id)
{
    session << "INSERT INTO forum_read (user_id, topic_id, last_post_id) VALUES (:reader, :topic, :post) ON CONFLICT "
               "(user_id, topic_id) DO UPDATE SET last_post_id = excluded.last_post_id WHERE forum_read.last_post_id "
               "< excluded.last_post_id",
        soci::use(reader_id), soci::use(topic_id), soci::use(post_id);
}

std::string personal_data_json(soci::session& session, long long person_id)
{
    boost::json::array posts;
    std::string title;
    std::string body;
    long long created_at = 0;
    long long edited_at = 0;
    long long space_id = 0;
    soci::statement statement = (session.prepare
            << "SELECT p.space_id, t.title, p.body, p.created_at, p.edited_at FROM forum_post p JOIN forum_topic t ON "
               "t.id = p.topic_id WHERE p.author_id = :author ORDER BY p.id",
        soci::use(person_id), soci::into(space_id), soci::into(title), soci::into(body), soci::into(created_at),
        soci::into(edited_at));
    statement.execute();
    while (statement.fetch()) {
        posts.push_back(boost::json::object { { "espace", space_id }, { "sujet", title }, { "message", body },
            { "envoye_le", created_at }, { "modifie_le", edited_at } });
    }
    return boost::json::serialize(boost::json::object { { "messages_du_forum", std::move(posts) } });
}

void forget_person(soci::session& session, long long person_id, bool erase)
{
    session << "DELETE FROM forum_read WHERE user_id = :id", soci::use(person_id);
    if (!erase)
        return;
    std::vector<long long> topics;
    {
        long long topic = 0;
        soci::statement statement
            = (session.prepare << "SELECT DISTINCT topic_id FROM forum_post WHERE author_id = :author",
                soci::use(person_id), soci::into(topic));
        statement.execute();
        while (statement.fetch())
            topics.push_back(topic);
    }
    std::string const withdrawn = "<p>Message retiré à la demande de son auteur.</p>";
    for (auto topic : topics) {
        auto first = first_post_of(session, topic);
        session << "UPDATE forum_post SET body = :body, author_id = NULL WHERE id = :id AND author_id = :author",
            soci::use(withdrawn), soci::use(first), soci::use(person_id);
        session << "DELETE FROM forum_post WHERE topic_id = :topic AND author_id = :author", soci::use(topic),
            soci::use(person_id);
        refresh_topic(session, topic);
    }
    session << "UPDATE forum_topic SET author_id = NULL WHERE author_id = :author", soci::use(person_id);
}

void add_hooks(Services& services)
{
    services.personal_data_exporters.emplace_back(
        "forum", [](Context& context, identity::User const& person) -> ErrorOr<PersonalData> {
            auto json = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::string> {
                return personal_data_json(session, person.id);
            }));
            return PersonalData { std::move(json), {} };
        });
    services.departure_handlers.emplace_back([](soci::session& session, identity::User const& former, bool erase) {
        forget_person(session, former.id, erase);
    });
}

std::string body_from_form(std::string_view format, std::string_view text)
{
    if (format == "html")
        return html::sanitize(text);
    // Runs of lines starting with « > » are a quotation; the rest is text.
    std::string result;
    std::string plain;
    std::string quoted;
    auto flush_plain = [&] {
        if (!trim_text(plain).empty())
            result += html::from_plain_text(plain);
        plain.clear();
    };
    auto flush_quoted = [&] {
        if (!trim_text(quoted).empty())
            result += "<blockquote>" + html::from_plain_text(quoted) + "</blockquote>";
        quoted.clear();
    };
    for_each_line(text, [&](std::string_view line) {
        if (!line.empty() && line.front() == '>') {
            flush_plain();
            line.remove_prefix(1);
            if (!line.empty() && line.front() == ' ')
                line.remove_prefix(1);
            quoted.append(line).append("\n");
        } else {
            flush_quoted();
            plain.append(line).append("\n");
        }
    });
    flush_quoted();
    flush_plain();
    return html::sanitize(result);
}

std::string editable_text(std::string_view body)
{
    // The sanitizer's output is well formed: a quotation is a top-level
    // <blockquote>…</blockquote> run (a nested one ends the outer early,
    // which only flattens it).
    std::string result;
    auto add_text = [&](std::string_view html, bool quoted) {
        auto text = html::plain_text(html);
        auto trimmed = trim_text(text);
        if (trimmed.empty())
            return;
        if (!result.empty())
            result += "\n";
        std::size_t start = 0;
        while (start <= trimmed.size()) {
            auto end = trimmed.find('\n', start);
            if (end == std::string_view::npos)
                end = trimmed.size();
            if (quoted)
                result += "> ";
            result.append(trimmed.substr(start, end - start)).append("\n");
            start = end + 1;
        }
    };
    std::size_t at = 0;
    while (at < body.size()) {
        auto open = body.find("<blockquote>", at);
        if (open == std::string_view::npos) {
            add_text(body.substr(at), false);
            break;
        }
        auto close = body.find("</blockquote>", open);
        if (close == std::string_view::npos)
            close = body.size();
        add_text(body.substr(at, open - at), false);
        add_text(body.substr(open, close - open), true);
        at = close == body.size() ? close : close + std::string_view("</blockquote>").size();
    }
    return result;
}

std::string quotation_html(Post const& post)
{
    std::string author;
    view::append_escaped(author, post.author_name);
    return html::sanitize("<blockquote><p><strong>" + author + " a écrit :</strong></p>" + post.body + "</blockquote>")
        + "<p></p>";
}

std::string quotation_text(Post const& post)
{
    std::string result = "> " + post.author_name + " a écrit :\n";
    auto text = html::plain_text(post.body);
    std::size_t start = 0;
    auto trimmed = trim_text(text);
    while (start <= trimmed.size()) {
        auto end = trimmed.find('\n', start);
        if (end == std::string_view::npos)
            end = trimmed.size();
        result.append("> ").append(trimmed.substr(start, end - start)).append("\n");
        start = end + 1;
    }
    return result + "\n";
}

} // namespace cartable::class_space::forum

namespace cartable::class_space {

std::vector<ForumItem> latest_forum_posts(soci::session& session, std::vector<long long> const& space_ids, int limit)
{
    std::vector<ForumItem> result;
    if (space_ids.empty() || limit <= 0)
        return result;
    ForumItem row;
    soci::statement statement = (session.prepare << "SELECT p.space_id, p.topic_id, p.id, t.title, "
                + std::string(forum::AUTHOR_NAME)
                + ", p.created_at FROM forum_post p JOIN forum_topic t ON t.id = p.topic_id LEFT JOIN identity_user "
                  "u ON u.id = p.author_id WHERE p.space_id IN ("
                + db::id_list(space_ids) + ") ORDER BY p.created_at DESC, p.id DESC LIMIT " + std::to_string(limit),
        soci::into(row.space_id), soci::into(row.topic_id), soci::into(row.post_id), soci::into(row.topic_title),
        soci::into(row.author_name), soci::into(row.posted_at));
    statement.execute();
    while (statement.fetch()) {
        row.url = "/espaces/" + std::to_string(row.space_id) + "/forum/messages/" + std::to_string(row.post_id);
        result.push_back(row);
    }
    return result;
}

} // namespace cartable::class_space
