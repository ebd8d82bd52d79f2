// SPDX-License-Identifier: AGPL-3.0-or-later
// What publishing keeps about a person, for « Mes données »: the news they
// wrote (and their images).
#include "core/context.h"
#include "services/publishing/news_image.h"
#include "services/publishing/publishing.h"
#include <boost/json.hpp>

namespace cartable::publishing {

namespace {

ErrorOr<PersonalData> export_publications(Context& context, identity::User const& person)
{
    return context.database().read([&](soci::session& session) -> ErrorOr<PersonalData> {
        PersonalData data;
        boost::json::array news;
        long long id = 0;
        std::string title;
        std::string body;
        long long published_at = 0;
        std::string image;
        soci::statement statement = (session.prepare << "SELECT id, title, body, published_at, image_name FROM "
                                                        "publishing_news WHERE author_id = :author ORDER BY id",
            soci::use(person.id), soci::into(id), soci::into(title), soci::into(body), soci::into(published_at),
            soci::into(image));
        statement.execute();
        while (statement.fetch()) {
            boost::json::object entry { { "titre", title }, { "texte", body }, { "publiee_le", published_at } };
            if (!image.empty()) {
                auto path = image_directory(context.config()) / image;
                std::error_code error;
                if (std::filesystem::is_regular_file(path, error)) {
                    auto name = "actualite-" + std::to_string(id) + "-" + image;
                    entry["image"] = "fichiers/" + name;
                    data.files.emplace_back(name, path);
                }
            }
            news.push_back(std::move(entry));
        }
        data.json = boost::json::serialize(boost::json::object { { "actualites", std::move(news) } });
        return data;
    });
}

} // namespace

ErrorOr<void> start(Services& services)
{
    services.personal_data_exporters.emplace_back("publications", export_publications);
    // News signed with the person's own name: « Ancien membre », or gone if
    // they objected (their images with them).
    services.departure_handlers.emplace_back([data_directory = services.config.data_directory](
                                                 soci::session& session, identity::User const& former, bool erase) {
        if (!erase) {
            auto name = former.display_name();
            session << "UPDATE publishing_news SET author = 'Ancien membre' WHERE author_id = :id AND "
                       "(author = :name OR author = '')",
                soci::use(former.id), soci::use(name);
            return;
        }
        std::vector<std::string> images;
        std::string image;
        soci::statement statement = (session.prepare << "SELECT image_name FROM publishing_news WHERE author_id "
                                                        "= :id AND image_name <> ''",
            soci::use(former.id), soci::into(image));
        statement.execute();
        while (statement.fetch())
            images.push_back(image);
        session << "DELETE FROM publishing_news WHERE author_id = :id", soci::use(former.id);
        std::error_code ignored;
        for (auto const& name : images)
            std::filesystem::remove(data_directory / "publishing" / "images" / name, ignored);
    });
    return {};
}

} // namespace cartable::publishing
