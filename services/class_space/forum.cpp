// SPDX-License-Identifier: AGPL-3.0-or-later
// The space's « Forum » tab: categories made by the managers, topics and
// replies by the contributors, « Citer », unread markers; the managers pin,
// lock, move and delete; an author edits a post for 30 minutes.
#include "core/html/rich_text.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/text.h"
#include "core/validate.h"
#include "services/class_space/class_space_internal.h"
#include "services/class_space/forum_internal.h"

namespace cartable::class_space {

namespace {

using namespace forum;

std::string forum_path(Space const& space)
{
    return space_path(space) + "/forum";
}

std::string category_url(Space const& space, long long id)
{
    return forum_path(space) + "/categories/" + std::to_string(id);
}

std::string topic_url(Space const& space, long long id, long long page = 1)
{
    auto url = forum_path(space) + "/sujets/" + std::to_string(id);
    if (page > 1)
        url.append("?page=").append(std::to_string(page));
    return url;
}

std::string post_url(Space const& space, long long id)
{
    return forum_path(space) + "/messages/" + std::to_string(id);
}

long long page_count(long long items)
{
    return items <= 0 ? 1 : (items + PAGE_SIZE - 1) / PAGE_SIZE;
}

long long requested_page(Context& context)
{
    auto page = parse_id(context.request.query.get("page"));
    return page == 0 ? 1 : page;
}

// « Page 2 sur 5 », with the links before and after.
view::Data pager(std::string const& base, long long page, long long pages)
{
    view::Data data;
    auto const separator = base.find('?') == std::string::npos ? "?page=" : "&page=";
    data.set("several", pages > 1);
    data.set("label", "Page " + std::to_string(page) + " sur " + std::to_string(pages));
    if (page > 1)
        data.set("previous", page == 2 ? base : base + separator + std::to_string(page - 1));
    if (page < pages)
        data.set("next", base + separator + std::to_string(page + 1));
    return data;
}

// A line of text of a form: trimmed, valid, not too long; a French message
// otherwise.
std::string check_line(std::string const& value, std::size_t max, char const* what, bool required)
{
    if (!validate::is_utf8(value))
        return std::string(what) + " contient des caractères illisibles.";
    if (required && value.empty())
        return std::string(what) + " est obligatoire.";
    if (validate::character_count(value) > max)
        return std::string(what) + " ne doit pas dépasser " + std::to_string(max) + " caractères.";
    return {};
}

std::string check_body(std::string const& body)
{
    if (!validate::is_utf8(body))
        return "Le message contient des caractères illisibles.";
    if (trim_text(html::plain_text(body)).empty())
        return "Le message est vide : écrivez quelques mots avant de l'envoyer.";
    if (body.size() > MAX_BODY)
        return "Le message est trop long (" + std::to_string(MAX_BODY) + " caractères au plus).";
    return {};
}

std::string when(long long time)
{
    return i18n::format_long_datetime(static_cast<std::time_t>(time));
}

// What a form sent back with its error, to show again.
struct FormState {
    std::string error;
    std::string name; // a category's name, a topic's title
    std::string description;
    std::string body_text;
    std::string body_html;
};

ErrorOr<void> require_open(Topic const& topic)
{
    if (topic.locked)
        return Error::forbidden("Ce sujet est verrouillé : on ne peut plus y répondre.", "locked topic");
    return {};
}

// An author edits a post of theirs; a contributor for 30 minutes after
// sending it.
ErrorOr<void> require_edit(Context& context, Loaded const& loaded, Post const& post)
{
    TRY(require_post(loaded));
    if (post.author_id != context.user().id)
        return Error::forbidden("Vous ne pouvez modifier que vos propres messages.", "not the author");
    if (!may_manage(loaded.role) && context.now - post.created_at > EDIT_WINDOW)
        return Error::forbidden(
            "Le délai de 30 minutes pour modifier ce message est passé : il reste tel quel.", "edit window over");
    return {};
}

bool editable(Context& context, Loaded const& loaded, Post const& post)
{
    return !require_edit(context, loaded, post).is_error();
}

// The forum's home: its categories.
ErrorOr<http::Response> forum_page(Context& context, Loaded const& loaded, FormState const& form, int status = 200)
{
    auto const& space = loaded.space;
    auto const reader = context.user().id;
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Category>> {
        return categories(session, space.id, reader);
    }));
    view::Data data;
    view::List items;
    for (auto const& category : found) {
        view::Data item;
        item.set("name", category.name);
        item.set("description", category.description);
        item.set("url", category_url(space, category.id));
        item.set("topics",
            category.topic_count == 1 ? std::string("1 sujet") : std::to_string(category.topic_count) + " sujets");
        item.set("unread", category.unread_topics > 0);
        item.set("unread_label",
            category.unread_topics == 1 ? std::string("1 sujet non lu")
                                        : std::to_string(category.unread_topics) + " sujets non lus");
        item.set("last", category.last_post_at != 0 ? when(category.last_post_at) : std::string());
        items.push_back(std::move(item));
    }
    data.set("categories", std::move(items));
    data.set("error", form.error);
    data.set("name", form.name);
    data.set("description", form.description);
    auto response = render_tab(context, loaded, Tab::Forum, "class_space/forum", std::move(data), "Forum");
    response.status = status;
    return response;
}

ErrorOr<http::Response> show_forum(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    return forum_page(context, loaded, {});
}

ErrorOr<http::Response> create_category(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_manage(loaded));
    FormState form;
    form.name = std::string(trim_text(context.request.form.get("nom")));
    form.description = std::string(trim_text(context.request.form.get("description")));
    form.error = check_line(form.name, MAX_NAME, "Le nom de la catégorie", true);
    if (form.error.empty())
        form.error = check_line(form.description, MAX_DESCRIPTION, "La description", false);
    if (!form.error.empty())
        return forum_page(context, loaded, form, 422);
    auto const& space = loaded.space;
    auto const actor = context.user().id;
    auto id = TRY(context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        auto made = add_category(session, space.id, form.name, form.description, actor, context.now);
        identity::store::audit(session, actor, "forum_category_added", title_of(space) + " : " + form.name);
        return made;
    }));
    forget_latest(context.services);
    return http::Response::redirect(category_url(space, id));
}

// A category: its topics, pinned first, and the form of a new topic.
ErrorOr<http::Response> category_page(Context& context, Loaded const& loaded, long long category_id, long long page,
    FormState const& form, int status = 200)
{
    auto const& space = loaded.space;
    auto const reader = context.user().id;
    struct Found {
        Category category;
        std::vector<Topic> topics;
    };
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Found> {
        auto category = category_in(session, space.id, category_id);
        if (!category)
            return Error::not_found("Cette catégorie n'existe pas ou a été supprimée.");
        auto list = topics(session, category->id, reader, (page - 1) * PAGE_SIZE, PAGE_SIZE);
        return Found { *category, std::move(list) };
    }));
    auto const pages = page_count(found.category.topic_count);
    if (page > pages)
        return Error::not_found("Cette page du forum n'existe pas.");
    view::Data data;
    data.set("forum_path", forum_path(space));
    data.set("name", found.category.name);
    data.set("description", found.category.description);
    data.set("action", category_url(space, category_id) + "/sujets");
    data.set("delete_url", category_url(space, category_id) + "/supprimer");
    view::List items;
    for (auto const& topic : found.topics) {
        view::Data item;
        item.set("title", topic.title);
        item.set("url", topic_url(space, topic.id));
        item.set("author", topic.author_name);
        item.set("pinned", topic.pinned);
        item.set("locked", topic.locked);
        auto const replies = topic.post_count > 0 ? topic.post_count - 1 : 0;
        item.set("replies", replies == 1 ? std::string("1 réponse") : std::to_string(replies) + " réponses");
        item.set("last", when(topic.last_post_at));
        item.set("new", topic.read_up_to < 0);
        item.set("unread", topic.read_up_to >= 0 && topic.unread > 0);
        item.set("unread_url", topic.first_unread != 0 ? post_url(space, topic.first_unread) : std::string());
        item.set("unread_label",
            topic.unread == 1 ? std::string("1 nouveau message") : std::to_string(topic.unread) + " nouveaux messages");
        items.push_back(std::move(item));
    }
    data.set("topics", std::move(items));
    data.set("pager", pager(category_url(space, category_id), page, pages));
    data.set("error", form.error);
    data.set("title", form.name);
    data.set("body", form.body_text);
    data.set("body_html", form.body_html);
    auto response
        = render_tab(context, loaded, Tab::Forum, "class_space/forum_category", std::move(data), found.category.name);
    response.status = status;
    return response;
}

ErrorOr<http::Response> show_category(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    return category_page(context, loaded, parse_id(context.request.parameter("category")), requested_page(context), {});
}

ErrorOr<http::Response> create_topic(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const& space = loaded.space;
    auto const category_id = parse_id(context.request.parameter("category"));
    auto exists = TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        return category_in(session, space.id, category_id).has_value();
    }));
    if (!exists)
        return Error::not_found("Cette catégorie n'existe pas ou a été supprimée.");
    TRY(require_post(loaded));
    auto const& fields = context.request.form;
    FormState form;
    form.name = std::string(trim_text(fields.get("titre")));
    auto const body = body_from_form(fields.get("format"), fields.get("corps"));
    form.body_text = editable_text(body);
    form.body_html = body;
    form.error = check_line(form.name, MAX_TITLE, "Le titre du sujet", true);
    if (form.error.empty())
        form.error = check_body(body);
    if (!form.error.empty())
        return category_page(context, loaded, category_id, 1, form, 422);
    auto const author = context.user().id;
    auto id = TRY(context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        return add_topic(session, space.id, category_id, form.name, author, body, context.now);
    }));
    forget_latest(context.services);
    return http::Response::redirect(topic_url(space, id));
}

// A topic: a page of its posts, the managers' tools, the reply form. Opening
// it reads it up to the last post shown.
// `requested` 0: the last page; `quoted_id` 0: no quotation.
ErrorOr<http::Response> topic_page(Context& context, Loaded const& loaded, long long topic_id, long long requested,
    long long quoted_id, FormState form, int status = 200)
{
    auto const& space = loaded.space;
    auto const reader = context.user().id;
    struct Found {
        Topic topic;
        std::vector<Post> posts;
        std::string category_name;
        std::vector<Category> categories;
        std::optional<Post> quoted;
        long long first_post { 0 };
        long long page { 1 };
        long long pages { 1 };
    };
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Found> {
        Found result;
        auto topic = topic_in(session, space.id, topic_id);
        if (!topic)
            return Error::not_found("Ce sujet n'existe pas ou a été supprimé.");
        result.topic = *topic;
        result.pages = page_count(topic->post_count);
        result.page = requested == 0 ? result.pages : requested;
        if (result.page > result.pages)
            return Error::not_found("Cette page du forum n'existe pas.");
        result.posts = posts(session, topic_id, (result.page - 1) * PAGE_SIZE, PAGE_SIZE);
        result.first_post = first_post_of(session, topic_id);
        if (auto category = category_in(session, space.id, topic->category_id))
            result.category_name = category->name;
        if (may_manage(loaded.role))
            result.categories = categories(session, space.id, reader);
        if (quoted_id != 0) {
            result.quoted = post_in(session, space.id, quoted_id);
            if (!result.quoted || result.quoted->topic_id != topic_id)
                return Error::not_found("Ce message n'existe pas ou a été supprimé.");
        }
        return result;
    }));
    if (!found.posts.empty()) {
        auto const last_shown = found.posts.back().id;
        TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
            mark_read(session, reader, topic_id, last_shown);
            return true;
        }));
    }
    auto const& topic = found.topic;
    auto const may_reply = may_post(loaded.role) && space.archived_at == 0 && !topic.locked;
    auto const manager = may_manage(loaded.role) && space.archived_at == 0;
    if (found.quoted && may_reply && form.error.empty()) {
        form.body_text = quotation_text(*found.quoted);
        form.body_html = quotation_html(*found.quoted);
    }
    view::Data data;
    data.set("forum_path", forum_path(space));
    data.set("category_name", found.category_name);
    data.set("category_url", category_url(space, topic.category_id));
    data.set("title", topic.title);
    data.set("pinned", topic.pinned);
    data.set("locked", topic.locked);
    data.set("manager", manager);
    data.set("may_reply", may_reply);
    auto const base = topic_url(space, topic_id);
    data.set("topic_url", base);
    view::List items;
    for (auto const& post : found.posts) {
        view::Data item;
        item.set("id", std::to_string(post.id));
        item.set("author", post.author_name);
        item.set("date", when(post.created_at));
        item.set("edited", post.edited_at != 0);
        item.set("edited_date", post.edited_at != 0 ? when(post.edited_at) : std::string());
        item.set("body", post.body);
        item.set("first", post.id == found.first_post);
        item.set("quote_url", base + "?page=" + std::to_string(found.page) + "&citer=" + std::to_string(post.id));
        item.set("may_quote", may_reply);
        item.set("may_edit", editable(context, loaded, post));
        item.set("may_delete", manager && post.id != found.first_post);
        item.set("post_url", post_url(space, post.id));
        items.push_back(std::move(item));
    }
    data.set("posts", std::move(items));
    data.set("pager", pager(base, found.page, found.pages));
    view::List moves;
    for (auto const& category : found.categories) {
        if (category.id == topic.category_id)
            continue;
        view::Data item;
        item.set("id", std::to_string(category.id));
        item.set("name", category.name);
        moves.push_back(std::move(item));
    }
    data.set("may_move", !moves.empty());
    data.set("moves", std::move(moves));
    data.set("quoting", found.quoted.has_value() && may_reply);
    data.set("quoted_author", found.quoted ? found.quoted->author_name : std::string());
    data.set("error", form.error);
    data.set("body", form.body_text);
    data.set("body_html", form.body_html);
    auto response = render_tab(context, loaded, Tab::Forum, "class_space/forum_topic", std::move(data), topic.title);
    response.status = status;
    return response;
}

ErrorOr<http::Response> show_topic(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    return topic_page(context, loaded, parse_id(context.request.parameter("topic")), requested_page(context),
        parse_id(context.request.query.get("citer")), {});
}

// The object of the path's `parameter`, in the person's space (404 otherwise).
template<typename T>
ErrorOr<T> of_path(Context& context, Loaded const& loaded, char const* parameter,
    std::optional<T> (*find)(soci::session&, long long, long long), char const* missing)
{
    auto const id = parse_id(context.request.parameter(parameter));
    auto found = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::optional<T>> { return find(session, loaded.space.id, id); }));
    if (!found)
        return Error::not_found(missing);
    return *found;
}

ErrorOr<Topic> topic_of_path(Context& context, Loaded const& loaded)
{
    return of_path(context, loaded, "topic", topic_in, "Ce sujet n'existe pas ou a été supprimé.");
}

ErrorOr<Post> post_of_path(Context& context, Loaded const& loaded)
{
    return of_path(context, loaded, "post", post_in, "Ce message n'existe pas ou a été supprimé.");
}

ErrorOr<http::Response> reply(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const topic = TRY(topic_of_path(context, loaded));
    TRY(require_post(loaded));
    TRY(require_open(topic));
    auto const& fields = context.request.form;
    auto const body = body_from_form(fields.get("format"), fields.get("corps"));
    FormState form;
    form.error = check_body(body);
    if (!form.error.empty()) {
        form.body_text = editable_text(body);
        form.body_html = body;
        return topic_page(context, loaded, topic.id, 0, 0, form, 422);
    }
    auto const& space = loaded.space;
    auto const author = context.user().id;
    auto const [id, position]
        = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::pair<long long, long long>> {
              auto made = add_post(session, space.id, topic.id, author, body, context.now);
              return std::pair { made, position_of(session, topic.id, made) };
          }));
    forget_latest(context.services);
    return http::Response::redirect(
        topic_url(space, topic.id, page_count(position)) + "#message-" + std::to_string(id));
}

// A post's place: its topic's page, at the post.
ErrorOr<http::Response> go_to_post(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const post = TRY(post_of_path(context, loaded));
    auto position = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<long long> { return position_of(session, post.topic_id, post.id); }));
    return http::Response::redirect(
        topic_url(loaded.space, post.topic_id, page_count(position)) + "#message-" + std::to_string(post.id));
}

// Épingler, verrouiller, déplacer: the managers' tools on a topic.
ErrorOr<http::Response> moderate_topic(Context& context, std::string_view what)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const topic = TRY(topic_of_path(context, loaded));
    TRY(require_manage(loaded));
    auto const& space = loaded.space;
    auto const& fields = context.request.form;
    auto const actor = context.user().id;
    auto const on = fields.get("valeur") == "1";
    auto const target = parse_id(fields.get("categorie"));
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        std::string detail;
        if (what == "pin") {
            set_pinned(session, topic.id, on);
            detail = on ? "épinglé" : "désépinglé";
        } else if (what == "lock") {
            set_locked(session, topic.id, on);
            detail = on ? "verrouillé" : "déverrouillé";
        } else {
            auto category = category_in(session, space.id, target);
            if (!category)
                return Error::not_found("Cette catégorie n'existe pas ou a été supprimée.");
            move_topic(session, topic.id, category->id);
            detail = "déplacé vers " + category->name;
        }
        identity::store::audit(
            session, actor, "forum_topic_moderated", title_of(space) + " : « " + topic.title + " » " + detail);
        return true;
    }));
    forget_latest(context.services);
    return http::Response::redirect(topic_url(space, topic.id));
}

ErrorOr<http::Response> pin_topic(Context& context)
{
    return moderate_topic(context, "pin");
}

ErrorOr<http::Response> lock_topic(Context& context)
{
    return moderate_topic(context, "lock");
}

ErrorOr<http::Response> move_topic_route(Context& context)
{
    return moderate_topic(context, "move");
}

// The confirmation of a deletion, a page of its own (no JavaScript needed).
http::Response confirm_page(Context& context, Loaded const& loaded, std::string const& question,
    std::string const& excerpt, std::string const& action, std::string const& back)
{
    view::Data data;
    data.set("question", question);
    data.set("excerpt", excerpt);
    data.set("action", action);
    data.set("back", back);
    return render_tab(context, loaded, Tab::Forum, "class_space/forum_confirm", std::move(data), "Confirmer");
}

ErrorOr<Category> category_of_path(Context& context, Loaded const& loaded)
{
    return of_path(context, loaded, "category", category_in, "Cette catégorie n'existe pas ou a été supprimée.");
}

ErrorOr<http::Response> confirm_delete_category(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const category = TRY(category_of_path(context, loaded));
    TRY(require_manage(loaded));
    auto const url = category_url(loaded.space, category.id);
    return confirm_page(context, loaded, "Supprimer la catégorie « " + category.name + " » et tous ses sujets ?",
        category.topic_count == 1
            ? std::string("1 sujet sera supprimé, avec ses messages.")
            : std::to_string(category.topic_count) + " sujets seront supprimés, avec leurs messages.",
        url + "/supprimer", url);
}

ErrorOr<http::Response> delete_category_route(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const category = TRY(category_of_path(context, loaded));
    TRY(require_manage(loaded));
    auto const& space = loaded.space;
    auto const actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        delete_category(session, category.id);
        identity::store::audit(
            session, actor, "forum_category_deleted", title_of(space) + " : « " + category.name + " » supprimée");
        return true;
    }));
    forget_latest(context.services);
    return http::Response::redirect(forum_path(space));
}

ErrorOr<http::Response> confirm_delete_topic(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const topic = TRY(topic_of_path(context, loaded));
    TRY(require_manage(loaded));
    auto const url = topic_url(loaded.space, topic.id);
    return confirm_page(context, loaded, "Supprimer le sujet « " + topic.title + " » et ses messages ?",
        topic.post_count == 1 ? std::string("1 message sera supprimé.")
                              : std::to_string(topic.post_count) + " messages seront supprimés.",
        url + "/supprimer", url);
}

ErrorOr<http::Response> delete_topic_route(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const topic = TRY(topic_of_path(context, loaded));
    TRY(require_manage(loaded));
    auto const& space = loaded.space;
    auto const actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        delete_topic(session, topic.id);
        identity::store::audit(
            session, actor, "forum_topic_deleted", title_of(space) + " : « " + topic.title + " » supprimé");
        return true;
    }));
    forget_latest(context.services);
    return http::Response::redirect(category_url(space, topic.category_id));
}

ErrorOr<http::Response> confirm_delete_post(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const post = TRY(post_of_path(context, loaded));
    TRY(require_manage(loaded));
    auto first = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<long long> { return first_post_of(session, post.topic_id); }));
    if (first == post.id)
        return Error::conflict("Le premier message ouvre le sujet : supprimez le sujet pour le retirer.");
    auto excerpt = html::plain_text(post.body);
    if (validate::character_count(excerpt) > 200)
        excerpt = excerpt.substr(0, 200) + "…";
    return confirm_page(context, loaded, "Supprimer ce message de " + post.author_name + " ?", excerpt,
        post_url(loaded.space, post.id) + "/supprimer", post_url(loaded.space, post.id));
}

ErrorOr<http::Response> delete_post_route(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const post = TRY(post_of_path(context, loaded));
    TRY(require_manage(loaded));
    auto const& space = loaded.space;
    auto const actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        if (first_post_of(session, post.topic_id) == post.id)
            return Error::conflict("Le premier message ouvre le sujet : supprimez le sujet pour le retirer.");
        delete_post(session, post.topic_id, post.id);
        identity::store::audit(
            session, actor, "forum_post_deleted", title_of(space) + " : message de " + post.author_name + " supprimé");
        return true;
    }));
    forget_latest(context.services);
    return http::Response::redirect(topic_url(space, post.topic_id));
}

http::Response edit_page(Context& context, Loaded const& loaded, Post const& post, FormState const& form, int status)
{
    view::Data data;
    data.set("action", post_url(loaded.space, post.id) + "/modifier");
    data.set("back", post_url(loaded.space, post.id));
    data.set("error", form.error);
    data.set("body", form.body_text);
    data.set("body_html", form.body_html);
    data.set("limit", !may_manage(loaded.role));
    auto response
        = render_tab(context, loaded, Tab::Forum, "class_space/forum_edit", std::move(data), "Modifier un message");
    response.status = status;
    return response;
}

ErrorOr<http::Response> show_edit(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const post = TRY(post_of_path(context, loaded));
    TRY(require_edit(context, loaded, post));
    FormState form;
    form.body_text = editable_text(post.body);
    form.body_html = post.body;
    return edit_page(context, loaded, post, form, 200);
}

ErrorOr<http::Response> save_edit(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const post = TRY(post_of_path(context, loaded));
    TRY(require_edit(context, loaded, post));
    auto const& fields = context.request.form;
    auto const body = body_from_form(fields.get("format"), fields.get("corps"));
    FormState form;
    form.error = check_body(body);
    if (!form.error.empty()) {
        form.body_text = editable_text(body);
        form.body_html = body;
        return edit_page(context, loaded, post, form, 422);
    }
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        edit_post(session, post.id, body, context.now);
        return true;
    }));
    forget_latest(context.services);
    return go_to_post(context);
}

} // namespace

std::vector<http::Route> forum_routes()
{
    using http::Method;
    return {
        { Method::Get, "/espaces/{space}/forum", READ, show_forum },
        { Method::Post, "/espaces/{space}/forum/categories", MANAGE, create_category },
        { Method::Get, "/espaces/{space}/forum/categories/{category}", READ, show_category },
        { Method::Post, "/espaces/{space}/forum/categories/{category}/sujets", POST, create_topic },
        { Method::Get, "/espaces/{space}/forum/categories/{category}/supprimer", MANAGE, confirm_delete_category },
        { Method::Post, "/espaces/{space}/forum/categories/{category}/supprimer", MANAGE, delete_category_route },
        { Method::Get, "/espaces/{space}/forum/sujets/{topic}", READ, show_topic },
        { Method::Post, "/espaces/{space}/forum/sujets/{topic}/reponses", POST, reply },
        { Method::Post, "/espaces/{space}/forum/sujets/{topic}/epingler", MANAGE, pin_topic },
        { Method::Post, "/espaces/{space}/forum/sujets/{topic}/verrouiller", MANAGE, lock_topic },
        { Method::Post, "/espaces/{space}/forum/sujets/{topic}/deplacer", MANAGE, move_topic_route },
        { Method::Get, "/espaces/{space}/forum/sujets/{topic}/supprimer", MANAGE, confirm_delete_topic },
        { Method::Post, "/espaces/{space}/forum/sujets/{topic}/supprimer", MANAGE, delete_topic_route },
        { Method::Get, "/espaces/{space}/forum/messages/{post}", READ, go_to_post },
        { Method::Get, "/espaces/{space}/forum/messages/{post}/modifier", POST, show_edit },
        { Method::Post, "/espaces/{space}/forum/messages/{post}/modifier", POST, save_edit },
        { Method::Get, "/espaces/{space}/forum/messages/{post}/supprimer", MANAGE, confirm_delete_post },
        { Method::Post, "/espaces/{space}/forum/messages/{post}/supprimer", MANAGE, delete_post_route },
    };
}

} // namespace cartable::class_space
