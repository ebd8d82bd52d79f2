// SPDX-License-Identifier: AGPL-3.0-or-later
// What the class spaces keep about a person, for « Mes données »: the
// articles (and their images), comments, agenda events and chat messages
// they wrote (the forum's posts have their own exporter); and what becomes of them when the person's data is deleted
// after they left.
#include "core/context.h"
#include "services/class_space/class_space_internal.h"
#include <boost/json.hpp>
#include <filesystem>

namespace cartable::class_space {

namespace {

ErrorOr<PersonalData> export_spaces(Context& context, identity::User const& person)
{
    return context.database().read([&](soci::session& session) -> ErrorOr<PersonalData> {
        PersonalData data;
        boost::json::array articles;
        boost::json::array comments;
        long long id = 0;
        std::string space;
        std::string title;
        std::string body;
        long long published = 0;
        long long created_at = 0;
        {
            soci::statement statement = (session.prepare
                    << "SELECT a.id, s.name, a.title, a.body, a.published, a.created_at FROM class_space_article a "
                       "JOIN class_space s ON s.id = a.space_id WHERE a.author_id = :author ORDER BY a.id",
                soci::use(person.id), soci::into(id), soci::into(space), soci::into(title), soci::into(body),
                soci::into(published), soci::into(created_at));
            statement.execute();
            while (statement.fetch()) {
                articles.push_back(boost::json::object { { "espace", space }, { "titre", title }, { "texte", body },
                    { "publie", published != 0 }, { "cree_le", created_at } });
            }
        }
        {
            soci::statement statement = (session.prepare
                    << "SELECT m.id, a.title, m.body, m.created_at FROM class_space_comment m JOIN "
                       "class_space_article a ON a.id = m.article_id WHERE m.author_id = :author ORDER BY m.id",
                soci::use(person.id), soci::into(id), soci::into(title), soci::into(body), soci::into(created_at));
            statement.execute();
            while (statement.fetch())
                comments.push_back(
                    boost::json::object { { "article", title }, { "texte", body }, { "ecrit_le", created_at } });
        }
        boost::json::array events;
        boost::json::array chat;
        {
            std::string place;
            soci::statement statement = (session.prepare
                    << "SELECT s.name, e.title, e.place, e.description, e.created_at FROM class_space_event e JOIN "
                       "class_space s ON s.id = e.space_id WHERE e.author_id = :author ORDER BY e.id",
                soci::use(person.id), soci::into(space), soci::into(title), soci::into(place), soci::into(body),
                soci::into(created_at));
            statement.execute();
            while (statement.fetch())
                events.push_back(boost::json::object { { "espace", space }, { "titre", title }, { "lieu", place },
                    { "description", body }, { "cree_le", created_at } });
        }
        {
            soci::statement statement = (session.prepare
                    << "SELECT s.name, m.body, m.created_at FROM class_space_chat_message m JOIN class_space s ON "
                       "s.id = m.space_id WHERE m.author_id = :author ORDER BY m.id",
                soci::use(person.id), soci::into(space), soci::into(body), soci::into(created_at));
            statement.execute();
            while (statement.fetch())
                chat.push_back(
                    boost::json::object { { "espace", space }, { "texte", body }, { "ecrit_le", created_at } });
        }
        std::string file;
        soci::statement statement = (session.prepare
                << "SELECT i.file_name FROM class_space_article_image i JOIN class_space_article a ON a.id = "
                   "i.article_id WHERE a.author_id = :author ORDER BY i.id",
            soci::use(person.id), soci::into(file));
        statement.execute();
        while (statement.fetch()) {
            auto path = blog_image_directory(context.config().data_directory) / file;
            std::error_code error;
            if (std::filesystem::is_regular_file(path, error))
                data.files.emplace_back("espace-" + file, path);
        }
        data.json = boost::json::serialize(
            boost::json::object { { "articles", std::move(articles) }, { "commentaires", std::move(comments) },
                { "evenements_d_agenda", std::move(events) }, { "messages_de_chat", std::move(chat) } });
        return data;
    });
}

} // namespace

void start_blog(Services& services)
{
    services.personal_data_exporters.emplace_back("espaces de classe", export_spaces);
    // Articles and comments stay signed « Ancien membre » (the directory
    // renames the account), or go if the person objected, images with them.
    services.departure_handlers.emplace_back([data_directory = services.config.data_directory](
                                                 soci::session& session, identity::User const& former, bool erase) {
        if (!erase)
            return;
        std::vector<std::string> files;
        std::string file;
        soci::statement statement = (session.prepare
                << "SELECT i.file_name FROM class_space_article_image i JOIN class_space_article a ON a.id = "
                   "i.article_id WHERE a.author_id = :author",
            soci::use(former.id), soci::into(file));
        statement.execute();
        while (statement.fetch())
            files.push_back(file);
        session << "DELETE FROM class_space_comment WHERE author_id = :id", soci::use(former.id);
        session << "DELETE FROM class_space_chat_message WHERE author_id = :id", soci::use(former.id);
        session << "DELETE FROM class_space_event WHERE author_id = :id", soci::use(former.id);
        session << "DELETE FROM class_space_article WHERE author_id = :id", soci::use(former.id);
        std::error_code ignored;
        for (auto const& name : files)
            std::filesystem::remove(blog_image_directory(data_directory) / name, ignored);
    });
}

} // namespace cartable::class_space
