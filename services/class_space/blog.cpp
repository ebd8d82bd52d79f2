// SPDX-License-Identifier: AGPL-3.0-or-later
// The space's blog (« Blog », its first tab): articles in rich text
// sanitized on the server, draft or published, with categories, images and
// comments; its managers moderate.
#include "core/db/id_lists.h"
#include "core/files.h"
#include "core/html/rich_text.h"
#include "core/http/static_files.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/identity/tokens.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/class_space/class_space_internal.h"
#include "services/notifications/notifications.h"
#include <algorithm>
#include <filesystem>

namespace cartable::class_space {

namespace {

constexpr long long PAGE_SIZE = 10;
constexpr std::size_t MAX_TITLE = 200;
constexpr std::size_t MAX_BODY = 200'000; // bytes of sanitized HTML
constexpr std::size_t MAX_COMMENT = 4'000;
constexpr std::size_t MAX_CATEGORY = 60;
constexpr std::uint64_t MAX_IMAGE_BYTES = 5ULL << 20;
constexpr std::size_t MAX_IMAGES = 10;

struct Article {
    long long id { 0 };
    long long space_id { 0 };
    long long author_id { 0 };
    long long category_id { 0 };
    std::string title;
    std::string body;
    bool published { false };
    long long created_at { 0 };
    long long published_at { 0 };
    long long updated_at { 0 };
    std::string author_name; // « Samuel BEAUMONT », « Ancien membre » when gone
    std::string category;
    long long comments { 0 };
};

std::string author_of(std::string const& first, std::string const& last)
{
    if (first.empty() && last.empty())
        return "Ancien membre";
    return first + " " + last;
}

constexpr char const* ARTICLE_COLUMNS
    = "SELECT a.id, a.space_id, COALESCE(a.author_id, 0), COALESCE(a.category_id, 0), a.title, a.body, a.published, "
      "a.created_at, a.published_at, a.updated_at, COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), "
      "COALESCE(c.name, ''), (SELECT COUNT(*) FROM class_space_comment m WHERE m.article_id = a.id) FROM "
      "class_space_article a LEFT JOIN identity_user u ON u.id = a.author_id LEFT JOIN class_space_category c ON "
      "c.id = a.category_id ";

struct ArticleRow {
    Article article;
    long long published { 0 };
    std::string first;
    std::string last;
};

void bind_article(soci::statement& statement, ArticleRow& row)
{
    auto& a = row.article;
    statement.exchange(soci::into(a.id));
    statement.exchange(soci::into(a.space_id));
    statement.exchange(soci::into(a.author_id));
    statement.exchange(soci::into(a.category_id));
    statement.exchange(soci::into(a.title));
    statement.exchange(soci::into(a.body));
    statement.exchange(soci::into(row.published));
    statement.exchange(soci::into(a.created_at));
    statement.exchange(soci::into(a.published_at));
    statement.exchange(soci::into(a.updated_at));
    statement.exchange(soci::into(row.first));
    statement.exchange(soci::into(row.last));
    statement.exchange(soci::into(a.category));
    statement.exchange(soci::into(a.comments));
}

Article finished(ArticleRow const& row)
{
    auto article = row.article;
    article.published = row.published != 0;
    article.author_name = author_of(row.first, row.last);
    return article;
}

// Articles by a query of ours: `where` names its parameters in the order of
// `values`.
std::vector<Article> select_articles(soci::session& session, std::string const& where, std::vector<long long> values)
{
    std::vector<Article> result;
    ArticleRow row;
    soci::statement statement(session);
    bind_article(statement, row);
    for (auto& value : values)
        statement.exchange(soci::use(value));
    statement.alloc();
    statement.prepare(std::string(ARTICLE_COLUMNS) + where);
    statement.define_and_bind();
    statement.execute();
    while (statement.fetch())
        result.push_back(finished(row));
    return result;
}

// The article of the path, in this space; the drafts only to their author.
ErrorOr<Article> article_in(Context& context, Loaded const& loaded)
{
    auto id = parse_id(context.request.parameter("article"));
    if (id == 0)
        return Error::not_found();
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Article>> {
        return select_articles(session, "WHERE a.id = :id AND a.space_id = :space", { id, loaded.space.id });
    }));
    if (found.empty())
        return Error::not_found();
    auto const& article = found.front();
    if (!article.published && article.author_id != context.user().id)
        return Error::not_found();
    return article;
}

std::string blog_path(Space const& space)
{
    return space_path(space);
}

std::string article_path(Space const& space, long long article_id)
{
    return space_path(space) + "/blog/" + std::to_string(article_id);
}

// « Par SAMUEL BEAUMONT, publié le lundi 10 juin 2019 09:53 - Mis à jour le … »
std::string byline(Article const& article)
{
    std::string line = "Par " + view::upper(article.author_name);
    if (article.published) {
        line += ", publié le " + i18n::format_long_datetime(article.published_at);
        if (article.updated_at > article.published_at + 60)
            line += " - Mis à jour le " + i18n::format_long_datetime(article.updated_at);
    } else {
        line += ", brouillon enregistré le "
            + i18n::format_long_datetime(article.updated_at != 0 ? article.updated_at : article.created_at);
    }
    return line;
}

bool may_edit(Context const& context, Loaded const& loaded, Article const& article)
{
    if (loaded.space.archived_at != 0)
        return false;
    if (may_manage(loaded.role))
        return true;
    return may_post(loaded.role) && article.author_id == context.user().id;
}

view::Data article_view(Context const& context, Loaded const& loaded, Article const& article, bool full)
{
    view::Data entry;
    entry.set("url", article_path(loaded.space, article.id));
    entry.set("title", article.title);
    entry.set("byline", byline(article));
    entry.set("category", article.category);
    entry.set("published", article.published);
    if (full) {
        entry.set("body_html", article.body);
    } else {
        auto text = html::plain_text(article.body);
        entry.set("excerpt", excerpt(text, 400));
    }
    entry.set("comments",
        article.comments == 0       ? std::string("Aucun commentaire")
            : article.comments == 1 ? std::string("1 commentaire")
                                    : std::to_string(article.comments) + " commentaires");
    entry.set("may_edit", may_edit(context, loaded, article));
    return entry;
}

// ---------------------------------------------------------------- the page

struct BlogPage {
    long long total { 0 };
    long long all { 0 };
    std::vector<Article> articles;
    std::vector<std::tuple<long long, std::string, long long>> categories; // id, name, count
    std::vector<std::tuple<long long, std::string, long long>> authors; // id, name, count
    std::vector<Article> drafts;
};

ErrorOr<http::Response> show_blog(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const& query = context.request.query;
    auto const by_title = query.get("tri") == "titre";
    auto const category = parse_id(query.get("categorie"));
    auto const author = parse_id(query.get("auteur"));
    auto page = std::max(parse_id(query.get("page")), 1LL);
    auto const person = context.user().id;
    auto content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<BlogPage> {
        BlogPage result;
        std::string where = "WHERE a.space_id = :space AND a.published = 1";
        std::vector<long long> values { loaded.space.id };
        if (category != 0) {
            where += " AND a.category_id = :category";
            values.push_back(category);
        }
        if (author != 0) {
            where += " AND a.author_id = :author";
            values.push_back(author);
        }
        {
            soci::statement statement(session);
            statement.exchange(soci::into(result.total));
            for (auto& value : values)
                statement.exchange(soci::use(value));
            statement.alloc();
            statement.prepare("SELECT COUNT(*) FROM class_space_article a " + where);
            statement.define_and_bind();
            statement.execute(true);
        }
        session << "SELECT COUNT(*) FROM class_space_article WHERE space_id = :space AND published = 1",
            soci::use(loaded.space.id), soci::into(result.all);
        auto pages = std::max((result.total + PAGE_SIZE - 1) / PAGE_SIZE, 1LL);
        page = std::min(page, pages);
        values.push_back(PAGE_SIZE);
        values.push_back((page - 1) * PAGE_SIZE);
        result.articles = select_articles(session,
            where + (by_title ? " ORDER BY a.title, a.id" : " ORDER BY a.published_at DESC, a.id DESC")
                + " LIMIT :limit OFFSET :offset",
            values);
        {
            long long id = 0;
            std::string name;
            long long count = 0;
            soci::statement statement = (session.prepare
                    << "SELECT c.id, c.name, (SELECT COUNT(*) FROM class_space_article a WHERE a.category_id = c.id "
                       "AND a.published = 1) FROM class_space_category c WHERE c.space_id = :space ORDER BY c.name",
                soci::use(loaded.space.id), soci::into(id), soci::into(name), soci::into(count));
            statement.execute();
            while (statement.fetch())
                result.categories.emplace_back(id, name, count);
        }
        {
            long long id = 0;
            std::string first;
            std::string last;
            long long count = 0;
            soci::statement statement = (session.prepare
                    << "SELECT COALESCE(a.author_id, 0), COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), "
                       "COUNT(*) FROM class_space_article a LEFT JOIN identity_user u ON u.id = a.author_id WHERE "
                       "a.space_id = :space AND a.published = 1 GROUP BY a.author_id, u.first_name, u.last_name "
                       "ORDER BY COALESCE(u.last_name, ''), COALESCE(u.first_name, '')",
                soci::use(loaded.space.id), soci::into(id), soci::into(first), soci::into(last), soci::into(count));
            statement.execute();
            while (statement.fetch())
                result.authors.emplace_back(id, author_of(first, last), count);
        }
        result.drafts = select_articles(session,
            "WHERE a.space_id = :space AND a.published = 0 AND a.author_id = :person ORDER BY a.created_at DESC "
            "LIMIT 50",
            { loaded.space.id, person });
        return result;
    }));

    view::Data data;
    data.set("all_count", std::to_string(content.all));
    view::List articles;
    for (auto const& article : content.articles)
        articles.push_back(article_view(context, loaded, article, true));
    data.set("articles", std::move(articles));
    data.set("has_articles", !content.articles.empty());
    data.set("filtered", category != 0 || author != 0);
    data.set("filtered_count", std::to_string(content.total));
    data.set("by_title", by_title);
    data.set("category", category == 0 ? std::string() : std::to_string(category));
    data.set("author", author == 0 ? std::string() : std::to_string(author));
    auto const base = blog_path(loaded.space);
    view::List categories;
    for (auto const& [id, name, count] : content.categories) {
        view::Data entry;
        entry.set("name", name);
        entry.set("count", std::to_string(count));
        entry.set("url", base + "?categorie=" + std::to_string(id));
        entry.set("current", id == category);
        entry.set("delete_url", base + "/blog/categories/" + std::to_string(id) + "/supprimer");
        categories.push_back(std::move(entry));
    }
    data.set("has_categories", !categories.empty());
    data.set("categories", std::move(categories));
    view::List authors;
    for (auto const& [id, name, count] : content.authors) {
        view::Data entry;
        entry.set("name", view::upper(name));
        entry.set("count", std::to_string(count));
        entry.set("url", id == 0 ? std::string() : base + "?auteur=" + std::to_string(id));
        entry.set("current", id != 0 && id == author);
        authors.push_back(std::move(entry));
    }
    data.set("authors", std::move(authors));
    data.set("all_url", base);
    view::List drafts;
    for (auto const& draft : content.drafts) {
        view::Data entry;
        entry.set("title", draft.title);
        entry.set("url", article_path(loaded.space, draft.id));
        entry.set("date", i18n::format_long_datetime(draft.updated_at != 0 ? draft.updated_at : draft.created_at));
        drafts.push_back(std::move(entry));
    }
    data.set("has_drafts", !drafts.empty());
    data.set("drafts", std::move(drafts));
    auto pages = std::max((content.total + PAGE_SIZE - 1) / PAGE_SIZE, 1LL);
    std::string paging = base + "?";
    if (by_title)
        paging += "tri=titre&";
    if (category != 0)
        paging += "categorie=" + std::to_string(category) + "&";
    if (author != 0)
        paging += "auteur=" + std::to_string(author) + "&";
    paging += "page=";
    data.set("page_label", "Page " + std::to_string(page) + " sur " + std::to_string(pages));
    data.set("paged", pages > 1);
    data.set("previous_url", page > 1 ? paging + std::to_string(page - 1) : "");
    data.set("next_url", page < pages ? paging + std::to_string(page + 1) : "");
    auto notice = query.get("fait");
    if (notice == "supprime")
        data.set("notice", "L'article est supprimé.");
    else if (notice == "categorie")
        data.set("notice", "La catégorie est enregistrée.");
    else if (notice == "categorie-supprimee")
        data.set("notice", "La catégorie est supprimée ; ses articles restent, sans catégorie.");
    else if (notice == "brouillon")
        data.set("notice", "Le brouillon est enregistré.");
    auto error = query.get("erreur");
    if (error == "categorie")
        data.set("category_error", "Le nom de la catégorie doit compter de 1 à 60 caractères et ne pas déjà exister.");
    return render_tab(context, loaded, Tab::Blog, "class_space/blog", std::move(data));
}

// ---------------------------------------------------------------- one article

ErrorOr<http::Response> show_article(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const article = TRY(article_in(context, loaded));
    struct Comment {
        long long id;
        long long author_id;
        std::string author;
        std::string body;
        long long created_at;
    };
    auto comments = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Comment>> {
        std::vector<Comment> result;
        long long id = 0;
        long long author_id = 0;
        std::string first;
        std::string last;
        std::string body;
        long long created_at = 0;
        soci::statement statement = (session.prepare
                << "SELECT m.id, COALESCE(m.author_id, 0), COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), "
                   "m.body, m.created_at FROM class_space_comment m LEFT JOIN identity_user u ON u.id = m.author_id "
                   "WHERE m.article_id = :article ORDER BY m.id LIMIT 500",
            soci::use(article.id), soci::into(id), soci::into(author_id), soci::into(first), soci::into(last),
            soci::into(body), soci::into(created_at));
        statement.execute();
        while (statement.fetch())
            result.push_back({ id, author_id, author_of(first, last), body, created_at });
        return result;
    }));
    auto data = article_view(context, loaded, article, true);
    data.set("blog_url", blog_path(loaded.space));
    data.set("is_draft", !article.published);
    data.set("may_publish", !article.published && may_edit(context, loaded, article));
    data.set("may_unpublish", article.published && may_manage(loaded.role) && loaded.space.archived_at == 0);
    view::List list;
    auto const me = context.user().id;
    for (auto const& comment : comments) {
        view::Data entry;
        entry.set("author", view::upper(comment.author));
        entry.set("date", i18n::format_long_datetime(comment.created_at));
        entry.set("body_html", html::from_plain_text(comment.body));
        entry.set("may_delete",
            loaded.space.archived_at == 0
                && (may_manage(loaded.role) || (may_post(loaded.role) && comment.author_id == me)));
        entry.set(
            "delete_url", space_path(loaded.space) + "/blog/commentaires/" + std::to_string(comment.id) + "/supprimer");
        list.push_back(std::move(entry));
    }
    data.set("comment_list", std::move(list));
    data.set("has_comments", !comments.empty());
    data.set("comments_open", loaded.space.comments_allowed && article.published);
    data.set("may_comment",
        loaded.space.comments_allowed && article.published && may_post(loaded.role) && loaded.space.archived_at == 0);
    auto notice = context.request.query.get("fait");
    if (notice == "publie")
        data.set("notice", "L'article est publié.");
    else if (notice == "enregistre")
        data.set("notice", "L'article est enregistré.");
    else if (notice == "commentaire")
        data.set("notice", "Votre commentaire est publié.");
    else if (notice == "commentaire-supprime")
        data.set("notice", "Le commentaire est supprimé.");
    else if (notice == "depublie")
        data.set("notice", "L'article est retiré du blog : il redevient un brouillon de son auteur.");
    if (context.request.query.get("erreur") == "commentaire")
        data.set("comment_error", "Le commentaire doit compter de 1 à 4 000 caractères.");
    return render_tab(context, loaded, Tab::Blog, "class_space/article", std::move(data), article.title);
}

// ---------------------------------------------------------------- the form

struct ArticleForm {
    std::string title;
    std::string body; // sanitized HTML
    long long category_id { 0 };
    bool publish { false };
};

std::vector<std::pair<long long, std::string>> categories_of(soci::session& session, long long space_id)
{
    std::vector<std::pair<long long, std::string>> result;
    long long id = 0;
    std::string name;
    soci::statement statement
        = (session.prepare << "SELECT id, name FROM class_space_category WHERE space_id = :space ORDER BY name",
            soci::use(space_id), soci::into(id), soci::into(name));
    statement.execute();
    while (statement.fetch())
        result.emplace_back(id, name);
    return result;
}

ErrorOr<http::Response> render_form(Context& context, Loaded const& loaded, ArticleForm const& form,
    long long article_id, std::vector<std::string> const& errors, int status = 200)
{
    auto categories = TRY(
        context.database().read([&](soci::session& session) -> ErrorOr<std::vector<std::pair<long long, std::string>>> {
            return categories_of(session, loaded.space.id);
        }));
    view::Data data;
    data.set("action",
        article_id == 0 ? space_path(loaded.space) + "/blog" : article_path(loaded.space, article_id) + "/modifier");
    data.set("editing", article_id != 0);
    data.set("cancel_url", article_id == 0 ? blog_path(loaded.space) : article_path(loaded.space, article_id));
    data.set("title", form.title);
    data.set("body_text", html::plain_text(form.body));
    data.set("body_html", form.body);
    view::List options;
    for (auto const& [id, name] : categories) {
        view::Data entry;
        entry.set("id", std::to_string(id));
        entry.set("name", name);
        entry.set("selected", id == form.category_id);
        options.push_back(std::move(entry));
    }
    data.set("categories", std::move(options));
    data.set("has_errors", !errors.empty());
    data.set("errors", text_list(errors));
    auto response = render_tab(context, loaded, Tab::Blog, "class_space/article_form", std::move(data),
        article_id == 0 ? "Nouvel article" : "Modifier l'article");
    response.status = status;
    return response;
}

ErrorOr<http::Response> new_article(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_post(loaded));
    return render_form(context, loaded, {}, 0, {});
}

// The form's fields checked; the French messages of what is wrong.
std::vector<std::string> read_form(Context& context, ArticleForm& form)
{
    auto const& fields = context.request.form;
    std::vector<std::string> errors;
    form.title = std::string(trim_text(fields.get("titre")));
    auto text = fields.get("contenu");
    form.body = fields.get("format") == "html" ? html::sanitize(text) : html::from_plain_text(text);
    form.category_id = parse_id(fields.get("categorie"));
    form.publish = fields.get("action") == "publier";
    if (form.title.empty())
        errors.emplace_back("Donnez un titre à l'article.");
    else if (!validate::is_utf8(form.title) || validate::character_count(form.title) > MAX_TITLE)
        errors.emplace_back("Le titre ne doit pas dépasser 200 caractères.");
    if (form.body.size() > MAX_BODY)
        errors.emplace_back("L'article est trop long (200 000 caractères au plus).");
    if (form.publish && trim_text(html::plain_text(form.body)).empty() && form.body.find("<img") == std::string::npos)
        errors.emplace_back("Écrivez le contenu de l'article avant de le publier.");
    std::size_t images = 0;
    for (auto const& file : context.request.files) {
        if (file.field_name != "images" || file.size == 0)
            continue;
        ++images;
        if (file.size > MAX_IMAGE_BYTES)
            errors.push_back("L'image « " + file.file_name + " » dépasse 5 Mo.");
        else if (!image_type_of(file.path))
            errors.push_back("« " + file.file_name + " » n'est pas une image JPEG, PNG ou WebP.");
    }
    if (images > MAX_IMAGES)
        errors.emplace_back("Joignez au plus 10 images à la fois.");
    return errors;
}

std::filesystem::path image_directory(Config const& config)
{
    return blog_image_directory(config.data_directory);
}

// Moves the form's images under the data directory and records them; their
// tags are added at the end of the article. The files moved, to remove if
// the transaction fails.
struct KeptImage {
    std::string file_name;
    std::string content_type;
    std::uint64_t size { 0 };
    std::string alt;
};

ErrorOr<std::vector<KeptImage>> keep_images(Context& context)
{
    std::vector<KeptImage> kept;
    auto directory = image_directory(context.config());
    for (auto const& file : context.request.files) {
        if (file.field_name != "images" || file.size == 0)
            continue;
        auto type = image_type_of(file.path);
        if (!type)
            continue;
        std::error_code error;
        std::filesystem::create_directories(directory, error);
        auto extension = *type == "image/jpeg" ? ".jpg" : *type == "image/png" ? ".png" : ".webp";
        KeptImage image { identity::random_token() + extension, *type, file.size, file.file_name };
        if (!move_file(file.path, directory / image.file_name)) {
            for (auto const& done : kept)
                std::filesystem::remove(directory / done.file_name, error);
            return Error::internal("cannot store a blog image");
        }
        kept.push_back(std::move(image));
    }
    return kept;
}

void forget_images(Config const& config, std::vector<KeptImage> const& images)
{
    std::error_code ignored;
    for (auto const& image : images)
        std::filesystem::remove(image_directory(config) / image.file_name, ignored);
}

// Records the images of an article and returns the HTML that shows them.
std::string record_images(soci::session& session, long long space_id, long long article_id,
    std::vector<KeptImage> const& images, long long now)
{
    std::string html;
    for (auto const& image : images) {
        long long size = static_cast<long long>(image.size);
        long long id = insert_returning_id(session,
            "INSERT INTO class_space_article_image (article_id, space_id, file_name, content_type, size, created_at) "
            "VALUES (:article, :space, :file, :type, :size, :now)",
            article_id, space_id, image.file_name, image.content_type, size, now);
        std::string alt;
        view::append_escaped(alt, image.alt);
        html += "<p><img src=\"/espaces/" + std::to_string(space_id) + "/blog/images/" + std::to_string(id)
            + "\" alt=\"" + alt + "\"></p>";
    }
    return html;
}

bool category_of_space(soci::session& session, long long space_id, long long category_id)
{
    if (category_id == 0)
        return true;
    long long count = 0;
    session << "SELECT COUNT(*) FROM class_space_category WHERE id = :id AND space_id = :space", soci::use(category_id),
        soci::use(space_id), soci::into(count);
    return count > 0;
}

// The space's members who hear of a new article: its students and teachers,
// those invited, and not the author.
std::vector<long long> readers_of(soci::session& session, Space const& space, long long author)
{
    std::vector<long long> result;
    long long id = 0;
    soci::statement statement = (session.prepare
            << "SELECT DISTINCT u.id FROM identity_user u WHERE u.active = 1 AND u.id <> :author AND (u.id IN "
               "(SELECT user_id FROM identity_class_member WHERE class_id = :class1) OR u.id IN (SELECT teacher_id "
               "FROM identity_teaching WHERE class_id = :class2) OR u.id IN (SELECT user_id FROM class_space_member "
               "WHERE space_id = :space AND role <> 'visitor'))",
        soci::use(author), soci::use(space.class_id), soci::use(space.class_id), soci::use(space.id), soci::into(id));
    statement.execute();
    while (statement.fetch())
        result.push_back(id);
    return result;
}

struct Saved {
    long long id { 0 };
    std::vector<long long> told;
    std::size_t outbox_rows { 0 };
};

// A new article told to the class, in the transaction that publishes it.
void announce(soci::session& session, Space const& space, long long article_id, std::string const& title,
    identity::User const& publisher, std::string const& public_url, long long now, Saved& saved)
{
    notifications::Notification notice;
    notice.event = notifications::Event::Article;
    notice.structure_id = space.structure_id;
    notice.title = "Nouvel article dans " + title_of(space) + " : " + excerpt(title, 80);
    notice.link = article_path(space, article_id);
    notice.summary = publisher.display_name() + " a publié un article dans " + title_of(space) + ".";
    saved.told = readers_of(session, space, publisher.id);
    saved.outbox_rows = notifications::publish_to_many(session, notice, saved.told, public_url, now, true);
}

ErrorOr<http::Response> save_article(Context& context, Loaded const& loaded, std::optional<Article> const& existing)
{
    ArticleForm form;
    auto errors = read_form(context, form);
    if (existing)
        form.publish = form.publish || (existing->published && context.request.form.get("action") != "brouillon");
    if (!errors.empty())
        return render_form(context, loaded, form, existing ? existing->id : 0, errors, 400);
    auto images = TRY(keep_images(context));
    auto const person = context.user();
    auto const now = context.now;
    auto const public_url = context.public_url();
    auto saved = context.database().write([&](soci::session& session) -> ErrorOr<Saved> {
        if (!category_of_space(session, loaded.space.id, form.category_id))
            return Error::invalid("Cette catégorie n'existe pas dans cet espace.");
        Saved result;
        long long published = form.publish ? 1 : 0;
        auto const category = form.category_id == 0 ? std::optional<long long>() : form.category_id;
        soci::indicator category_indicator = category ? soci::i_ok : soci::i_null;
        long long category_value = form.category_id;
        bool first_publication = form.publish && (!existing || !existing->published);
        long long published_at = first_publication ? now : existing ? existing->published_at : 0;
        if (!existing) {
            std::string const empty;
            result.id = insert_returning_id(session,
                "INSERT INTO class_space_article (space_id, author_id, title, body, published, created_at) VALUES "
                "(:space, :author, :title, :body, 0, :now)",
                loaded.space.id, person.id, form.title, empty, now);
        } else {
            result.id = existing->id;
        }
        auto body = form.body + record_images(session, loaded.space.id, result.id, images, now);
        session << "UPDATE class_space_article SET category_id = :category, title = :title, body = :body, published "
                   "= :published, published_at = :published_at, updated_at = :now WHERE id = :id",
            soci::use(category_value, category_indicator), soci::use(form.title), soci::use(body), soci::use(published),
            soci::use(published_at), soci::use(now), soci::use(result.id);
        if (first_publication) {
            announce(session, loaded.space, result.id, form.title, person, public_url, now, result);
        }
        return result;
    });
    forget_latest(context.services);
    if (saved.is_error()) {
        forget_images(context.config(), images);
        if (saved.error().kind == ErrorKind::Invalid)
            return render_form(context, loaded, form, existing ? existing->id : 0, { saved.error().message_key }, 400);
        return saved.error();
    }
    notifications::published(context.services, saved.value().told, saved.value().outbox_rows);
    if (!form.publish)
        return http::Response::redirect(article_path(loaded.space, saved.value().id) + "?fait=enregistre");
    return http::Response::redirect(
        article_path(loaded.space, saved.value().id) + (existing ? "?fait=enregistre" : "?fait=publie"));
}

ErrorOr<http::Response> create_article(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_post(loaded));
    return save_article(context, loaded, std::nullopt);
}

ErrorOr<Article> editable_article(Context& context, Loaded const& loaded)
{
    auto article = TRY(article_in(context, loaded));
    TRY(require_post(loaded));
    if (!may_edit(context, loaded, article))
        return Error::forbidden("Seuls l'auteur de l'article et les gestionnaires de l'espace peuvent le modifier.",
            "article edit refused");
    return article;
}

ErrorOr<http::Response> edit_article(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const article = TRY(editable_article(context, loaded));
    ArticleForm form { article.title, article.body, article.category_id, article.published };
    return render_form(context, loaded, form, article.id, {});
}

ErrorOr<http::Response> update_article(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const article = TRY(editable_article(context, loaded));
    return save_article(context, loaded, article);
}

ErrorOr<http::Response> delete_article(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const article = TRY(editable_article(context, loaded));
    auto const actor = context.user().id;
    std::vector<std::string> files;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        std::string file;
        soci::statement statement
            = (session.prepare << "SELECT file_name FROM class_space_article_image WHERE article_id = :article",
                soci::use(article.id), soci::into(file));
        statement.execute();
        while (statement.fetch())
            files.push_back(file);
        session << "DELETE FROM class_space_article WHERE id = :id", soci::use(article.id);
        if (article.author_id != actor)
            identity::store::audit(session, actor, "class_space_article_deleted",
                title_of(loaded.space) + " : « " + article.title + " » de " + article.author_name);
        return true;
    }));
    forget_latest(context.services);
    std::error_code ignored;
    for (auto const& file : files)
        std::filesystem::remove(image_directory(context.config()) / file, ignored);
    return http::Response::redirect(blog_path(loaded.space) + "?fait=supprime");
}

ErrorOr<http::Response> publish_article(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const article = TRY(editable_article(context, loaded));
    if (article.published)
        return http::Response::redirect(article_path(loaded.space, article.id));
    // The article as it is, published.
    auto const person = context.user();
    auto const now = context.now;
    auto const public_url = context.public_url();
    auto saved = TRY(context.database().write([&](soci::session& session) -> ErrorOr<Saved> {
        Saved result;
        result.id = article.id;
        session << "UPDATE class_space_article SET published = 1, published_at = :now, updated_at = :now2 WHERE id = "
                   ":id",
            soci::use(now), soci::use(now), soci::use(article.id);
        // The person publishing is the author (or a manager for them).
        announce(session, loaded.space, article.id, article.title, person, public_url, now, result);
        return result;
    }));
    forget_latest(context.services);
    notifications::published(context.services, saved.told, saved.outbox_rows);
    return http::Response::redirect(article_path(loaded.space, article.id) + "?fait=publie");
}

// A manager takes an article off the blog: it goes back to its author's drafts.
ErrorOr<http::Response> unpublish_article(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_manage(loaded));
    auto const article = TRY(article_in(context, loaded));
    auto const actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "UPDATE class_space_article SET published = 0 WHERE id = :id", soci::use(article.id);
        identity::store::audit(session, actor, "class_space_article_unpublished",
            title_of(loaded.space) + " : « " + article.title + " » de " + article.author_name);
        return true;
    }));
    forget_latest(context.services);
    if (article.author_id != actor)
        return http::Response::redirect(blog_path(loaded.space) + "?fait=supprime");
    return http::Response::redirect(article_path(loaded.space, article.id) + "?fait=depublie");
}

// ---------------------------------------------------------------- comments

ErrorOr<http::Response> add_comment(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const article = TRY(article_in(context, loaded));
    TRY(require_post(loaded));
    if (!loaded.space.comments_allowed || !article.published)
        return Error::forbidden("Les commentaires sont fermés dans cet espace.", "comments closed");
    auto body = std::string(trim_text(context.request.form.get("commentaire")));
    if (body.empty() || !validate::is_utf8(body) || validate::character_count(body) > MAX_COMMENT)
        return http::Response::redirect(article_path(loaded.space, article.id) + "?erreur=commentaire#commenter");
    auto const person = context.user().id;
    auto const now = context.now;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "INSERT INTO class_space_comment (article_id, author_id, body, created_at) VALUES (:article, "
                   ":author, :body, :now)",
            soci::use(article.id), soci::use(person), soci::use(body), soci::use(now);
        return true;
    }));
    return http::Response::redirect(article_path(loaded.space, article.id) + "?fait=commentaire#commentaires");
}

ErrorOr<http::Response> delete_comment(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_post(loaded));
    auto const comment_id = parse_id(context.request.parameter("comment"));
    struct Found {
        long long article_id { 0 };
        long long author_id { 0 };
        long long published { 0 };
    };
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Found>> {
        Found result;
        session << "SELECT m.article_id, COALESCE(m.author_id, 0), a.published FROM class_space_comment m JOIN "
                   "class_space_article a ON a.id = m.article_id WHERE m.id = :id AND a.space_id = :space",
            soci::use(comment_id), soci::use(loaded.space.id), soci::into(result.article_id),
            soci::into(result.author_id), soci::into(result.published);
        if (!session.got_data())
            return std::optional<Found>();
        return std::optional<Found>(result);
    }));
    if (!found || found->published == 0)
        return Error::not_found();
    auto const actor = context.user().id;
    if (!may_manage(loaded.role) && found->author_id != actor)
        return Error::forbidden("Seuls l'auteur du commentaire et les gestionnaires de l'espace peuvent le supprimer.",
            "comment deletion refused");
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "DELETE FROM class_space_comment WHERE id = :id", soci::use(comment_id);
        if (found->author_id != actor)
            identity::store::audit(session, actor, "class_space_comment_deleted", title_of(loaded.space));
        return true;
    }));
    return http::Response::redirect(
        article_path(loaded.space, found->article_id) + "?fait=commentaire-supprime#commentaires");
}

// ---------------------------------------------------------------- categories

ErrorOr<http::Response> add_category(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_manage(loaded));
    auto name = std::string(trim_text(context.request.form.get("nom")));
    auto const base = blog_path(loaded.space);
    if (name.empty() || !validate::is_utf8(name) || validate::character_count(name) > MAX_CATEGORY)
        return http::Response::redirect(base + "?erreur=categorie#categories");
    auto const now = context.now;
    auto added = TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        long long count = 0;
        session << "SELECT COUNT(*) FROM class_space_category WHERE space_id = :space AND name = :name",
            soci::use(loaded.space.id), soci::use(name), soci::into(count);
        if (count > 0)
            return false;
        session << "INSERT INTO class_space_category (space_id, name, created_at) VALUES (:space, :name, :now)",
            soci::use(loaded.space.id), soci::use(name), soci::use(now);
        return true;
    }));
    return http::Response::redirect(base + (added ? "?fait=categorie#categories" : "?erreur=categorie#categories"));
}

ErrorOr<http::Response> delete_category(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_manage(loaded));
    auto const id = parse_id(context.request.parameter("category"));
    auto deleted = TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        if (id == 0 || !category_of_space(session, loaded.space.id, id))
            return false;
        session << "UPDATE class_space_article SET category_id = NULL WHERE category_id = :id", soci::use(id);
        session << "DELETE FROM class_space_category WHERE id = :id", soci::use(id);
        return true;
    }));
    if (!deleted)
        return Error::not_found();
    return http::Response::redirect(blog_path(loaded.space) + "?fait=categorie-supprimee#categories");
}

// ---------------------------------------------------------------- images

// An image of an article of this space, to those who may read the article.
ErrorOr<http::Response> serve_image(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const id = parse_id(context.request.parameter("image"));
    auto const person = context.user().id;
    struct Image {
        std::string file_name;
        std::string content_type;
    };
    auto image = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Image>> {
        Image result;
        session << "SELECT i.file_name, i.content_type FROM class_space_article_image i JOIN class_space_article a ON "
                   "a.id = i.article_id WHERE i.id = :id AND i.space_id = :space AND (a.published = 1 OR a.author_id "
                   "= :person)",
            soci::use(id), soci::use(loaded.space.id), soci::use(person), soci::into(result.file_name),
            soci::into(result.content_type);
        if (!session.got_data())
            return std::optional<Image>();
        return std::optional<Image>(result);
    }));
    if (!image)
        return Error::not_found();
    auto response = http::serve_file(
        context.request, image_directory(context.config()) / image->file_name, image->content_type, std::string());
    if (response.status == 404)
        return Error::not_found();
    response.set_header("Cache-Control", "private, max-age=3600");
    response.set_header("X-Content-Type-Options", "nosniff");
    return response;
}

} // namespace

std::vector<HomeItem> latest_items(
    soci::session& session, std::vector<Space> const& spaces, std::vector<long long> const& ids, int limit)
{
    std::vector<std::pair<long long, HomeItem>> dated; // newest first, articles and forum posts
    long long const count = limit;
    auto articles = select_articles(session,
        "WHERE a.space_id IN (" + db::id_list(ids)
            + ") AND a.published = 1 ORDER BY a.published_at DESC, a.id DESC "
              "LIMIT :limit",
        { count });
    for (auto const& article : articles) {
        auto space = std::find_if(
            spaces.begin(), spaces.end(), [&](Space const& candidate) { return candidate.id == article.space_id; });
        if (space == spaces.end())
            continue;
        dated.emplace_back(article.published_at,
            HomeItem { article.title,
                title_of(*space) + " – " + view::upper(article.author_name) + " – "
                    + i18n::format_long_datetime(article.published_at),
                excerpt(html::plain_text(article.body), 160), article_path(*space, article.id) });
    }
    for (auto const& post : latest_forum_posts(session, ids, limit)) {
        auto space = std::find_if(
            spaces.begin(), spaces.end(), [&](Space const& candidate) { return candidate.id == post.space_id; });
        if (space == spaces.end())
            continue;
        dated.emplace_back(post.posted_at,
            HomeItem { "Forum : " + post.topic_title,
                title_of(*space) + " – " + view::upper(post.author_name) + " – "
                    + i18n::format_long_datetime(post.posted_at),
                {}, post.url });
    }
    std::stable_sort(dated.begin(), dated.end(), [](auto const& a, auto const& b) { return a.first > b.first; });
    std::vector<HomeItem> items;
    for (auto& [at, item] : dated) {
        if (std::cmp_greater_equal(items.size(), limit))
            break;
        items.push_back(std::move(item));
    }
    return items;
}

void add_demo_blog(soci::session& session, long long now)
{
    auto space = [&]() -> std::optional<Space> {
        long long class_id = 0;
        session << "SELECT id FROM identity_class WHERE name = 'TPRO'", soci::into(class_id);
        return session.got_data() ? space_of_class(session, class_id) : std::nullopt;
    }();
    auto person = [&](std::string const& login) {
        long long id = 0;
        session << "SELECT id FROM identity_user WHERE login = :login", soci::use(login), soci::into(id);
        return id;
    };
    if (!space)
        return;
    // As in the guide, the teachers of TPRO and T STMG let parents visit.
    session << "UPDATE class_space SET visitors_allowed = 1 WHERE class_id IN (SELECT id FROM identity_class WHERE "
               "name IN ('TPRO', 'T STMG'))";
    long long const teacher = person("samuel.beaumont");
    long long const student = person("louis.chamson");
    std::string const category_name = "Vie de la classe";
    long long const category = insert_returning_id(session,
        "INSERT INTO class_space_category (space_id, name, created_at) VALUES (:space, :name, :now)", space->id,
        category_name, now);
    long long const published_at = now - 3LL * 24 * 3600 + 9LL * 60;
    std::string const title = "Bienvenue dans l'espace de la classe TPRO";
    std::string const body
        = "<p>Bonjour à toutes et à tous,</p><p>Cet espace est celui de notre classe : vous y trouverez les "
          "articles du blog, l'agenda des sorties et des conseils de classe, le forum pour vos questions et les "
          "documents partagés, dont la <strong>convention de stage</strong> à faire signer avant le 15 "
          "janvier.</p><p>Pensez à consulter le cahier de textes chaque soir.</p><p>Samuel BEAUMONT, professeur "
          "d'économie-gestion</p>";
    long long const one = 1;
    long long const article = insert_returning_id(session,
        "INSERT INTO class_space_article (space_id, author_id, category_id, title, body, published, created_at, "
        "published_at, updated_at) VALUES (:space, :author, :category, :title, :body, :published, :created, "
        ":published_at, :updated)",
        space->id, teacher, category, title, body, one, published_at, published_at, published_at);
    std::string const comment = "Merci monsieur, je ferai signer la convention par mon tuteur cette semaine.";
    long long const commented_at = published_at + 2LL * 3600;
    session << "INSERT INTO class_space_comment (article_id, author_id, body, created_at) VALUES (:article, :author, "
               ":body, :now)",
        soci::use(article), soci::use(student), soci::use(comment), soci::use(commented_at);
}

std::vector<http::Route> blog_routes()
{
    using http::Method;
    return {
        { Method::Get, "/espaces/{space}", READ, show_blog },
        { Method::Get, "/espaces/{space}/blog/nouveau", POST, new_article },
        { Method::Post, "/espaces/{space}/blog", POST, create_article },
        { Method::Get, "/espaces/{space}/blog/{article}", READ, show_article },
        { Method::Get, "/espaces/{space}/blog/{article}/modifier", POST, edit_article },
        { Method::Post, "/espaces/{space}/blog/{article}/modifier", POST, update_article },
        { Method::Post, "/espaces/{space}/blog/{article}/publier", POST, publish_article },
        { Method::Post, "/espaces/{space}/blog/{article}/supprimer", POST, delete_article },
        { Method::Post, "/espaces/{space}/blog/{article}/retirer", MANAGE, unpublish_article },
        { Method::Post, "/espaces/{space}/blog/{article}/commentaires", POST, add_comment },
        { Method::Post, "/espaces/{space}/blog/commentaires/{comment}/supprimer", POST, delete_comment },
        { Method::Post, "/espaces/{space}/blog/categories", MANAGE, add_category },
        { Method::Post, "/espaces/{space}/blog/categories/{category}/supprimer", MANAGE, delete_category },
        { Method::Get, "/espaces/{space}/blog/images/{image}", READ, serve_image },
    };
}

} // namespace cartable::class_space
