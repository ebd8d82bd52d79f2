// SPDX-License-Identifier: AGPL-3.0-or-later
// « Nouveau mot »: the form (classes by checkbox, students from a list that
// a search narrows, all without JavaScript), its checks, and the sending.
#include "core/db/id_lists.h"
#include "core/files.h"
#include "core/html/rich_text.h"
#include "core/identity/tokens.h"
#include "core/log.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/liaison_book/liaison_internal.h"
#include "services/notifications/notifications.h"
#include <algorithm>

namespace cartable::liaison_book {

namespace {

struct Student {
    long long id { 0 };
    std::string name;
    std::string class_name;
};

struct Choices {
    std::vector<identity::SchoolClass> classes;
    std::vector<Student> students;
};

// The classes and students the writer may address; the students narrowed
// to those whose name holds `search` (accents and case aside).
Choices choices_of(soci::session& session, identity::User const& writer, std::string const& search)
{
    Choices choices;
    choices.classes = addressable_classes(session, writer);
    if (choices.classes.empty())
        return choices;
    std::vector<long long> ids;
    for (auto const& school_class : choices.classes)
        ids.push_back(school_class.id);
    Student row;
    std::string first;
    std::string last;
    soci::statement statement = (session.prepare
            << "SELECT DISTINCT u.id, u.first_name, u.last_name, c.name, c.kind FROM identity_class_member m JOIN "
               "identity_class c ON c.id = m.class_id JOIN identity_user u ON u.id = m.user_id WHERE u.profile = "
               "'student' AND u.active = 1 AND c.kind = 'class' AND c.id IN ("
                + db::id_list(ids) + ") ORDER BY c.kind, c.name, u.last_name, u.first_name, u.id",
        soci::into(row.id), soci::into(first), soci::into(last), soci::into(row.class_name), soci::into(row.name));
    statement.execute();
    auto const wanted = fold_accents(search);
    while (statement.fetch()) {
        row.name = last;
        row.name.append(" ").append(first);
        if (!wanted.empty() && fold_accents(row.name).find(wanted) == std::string::npos)
            continue;
        choices.students.push_back(row);
    }
    return choices;
}

// The form as typed, shown again with its error.
struct Form {
    std::string title;
    std::string text; // as sent: HTML from the editor or plain text
    bool html { false };
    std::string category { "information" };
    std::vector<long long> class_ids;
    std::vector<long long> student_ids;
    bool asks_reply { false };
    std::string sign_before;
};

std::vector<long long> ids_of(std::vector<std::string> const& values)
{
    std::vector<long long> ids;
    for (auto const& value : values) {
        auto id = parse_id(value);
        if (id != 0 && std::find(ids.begin(), ids.end(), id) == ids.end())
            ids.push_back(id);
    }
    return ids;
}

Form form_of(http::FormFields const& fields)
{
    Form form;
    form.title = std::string(trim_text(fields.get("titre")));
    form.text = fields.get("texte");
    form.html = fields.get("format") == "html";
    form.category = fields.get("categorie");
    form.class_ids = ids_of(fields.all("classes"));
    form.student_ids = ids_of(fields.all("eleves"));
    form.asks_reply = fields.get("reponse") == "1";
    form.sign_before = std::string(trim_text(fields.get("signer_avant")));
    return form;
}

bool contains(std::vector<long long> const& ids, long long id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

http::Response render_form(
    Context& context, Choices const& choices, Form const& form, std::string const& search, std::string const& error)
{
    view::Data data;
    data.set("error", error);
    data.set("title", form.title);
    // The editor starts from sanitized HTML; the plain textarea from text.
    auto const body_html = form.html ? html::sanitize(form.text) : html::from_plain_text(form.text);
    data.set("body_html", body_html);
    data.set("body", form.html ? html::plain_text(body_html) : form.text);
    view::List categories_list;
    for (auto const& category : categories()) {
        view::Data item;
        item.set("code", std::string(category.code));
        item.set("label", std::string(category.label));
        item.set("selected", category.code == form.category);
        categories_list.push_back(std::move(item));
    }
    data.set("categories", std::move(categories_list));
    view::List classes;
    for (auto const& school_class : choices.classes) {
        if (school_class.kind != "class")
            continue;
        view::Data item;
        item.set("id", std::to_string(school_class.id));
        item.set("name", school_class.name);
        item.set("checked", contains(form.class_ids, school_class.id));
        classes.push_back(std::move(item));
    }
    data.set("has_classes", !classes.empty());
    data.set("classes", std::move(classes));
    // The students by class, each class an optgroup.
    view::List groups;
    view::List students;
    std::string group;
    auto close_group = [&] {
        if (students.empty())
            return;
        view::Data item;
        item.set("label", group);
        item.set("students", std::move(students));
        groups.push_back(std::move(item));
        students = view::List {};
    };
    for (auto const& student : choices.students) {
        if (student.class_name != group) {
            close_group();
            group = student.class_name;
        }
        view::Data item;
        item.set("id", std::to_string(student.id));
        item.set("name", student.name);
        item.set("selected", contains(form.student_ids, student.id));
        students.push_back(std::move(item));
    }
    close_group();
    data.set("has_students", !groups.empty());
    data.set("student_groups", std::move(groups));
    data.set("search", search);
    data.set("asks_reply", form.asks_reply);
    data.set("sign_before", form.sign_before);
    data.set("today", school_time::iso_day(school_time::day_of_unix(context.now)));
    return view::render(context, "liaison_book/compose", std::move(data), "Nouveau mot", view::MenuEntry::LiaisonBook,
        error.empty() ? 200 : 400);
}

ErrorOr<Choices> load_choices(Context& context, std::string const& search)
{
    auto const& writer = context.user();
    return context.database().read(
        [&](soci::session& session) -> ErrorOr<Choices> { return choices_of(session, writer, search); });
}

ErrorOr<void> check_writer(Context& context)
{
    if (!may_write_notes(context.user()))
        return Error::forbidden("Seuls les enseignants et les personnels écrivent dans le carnet de liaison.");
    return {};
}

http::UploadedFile const* chosen_file(http::Request const& request)
{
    for (auto const& file : request.files) {
        if (file.field_name == "piece" && !file.file_name.empty())
            return &file;
    }
    return nullptr;
}

// The note the form describes, or the French reason it is not one.
ErrorOr<NewNote> note_of(Form const& form, http::UploadedFile const* file, long long today)
{
    NewNote note;
    if (form.title.empty())
        return Error::invalid("Indiquez le titre du mot.");
    if (!validate::is_utf8(form.title) || !validate::is_utf8(form.text) || validate::has_control_characters(form.title))
        return Error::invalid("Le texte contient des caractères illisibles : retapez-le.");
    if (validate::character_count(form.title) > MAX_TITLE)
        return Error::invalid("Le titre ne doit pas dépasser 200 caractères.");
    note.body_html = form.html ? html::sanitize(form.text) : html::from_plain_text(form.text);
    if (std::string(trim_text(html::plain_text(note.body_html))).empty())
        return Error::invalid("Écrivez le texte du mot.");
    if (note.body_html.size() > MAX_BODY)
        return Error::invalid("Le texte du mot est trop long (20 000 caractères au plus).");
    auto const& all = categories();
    if (std::none_of(all.begin(), all.end(), [&](auto const& category) { return category.code == form.category; }))
        return Error::invalid("Choisissez une catégorie.");
    if (form.class_ids.empty() && form.student_ids.empty())
        return Error::invalid("Choisissez au moins une classe ou un élève.");
    if (!form.sign_before.empty()) {
        auto day = school_time::parse_day(form.sign_before);
        if (!day)
            return Error::invalid("La date « À signer avant le » n'est pas une date (jj/mm/aaaa).");
        if (*day < today)
            return Error::invalid("La date « À signer avant le » est passée : choisissez aujourd'hui ou plus tard.");
        if (*day > today + 366)
            return Error::invalid("La date « À signer avant le » doit tomber dans l'année qui vient.");
        note.sign_before_day = *day;
    }
    if (file) {
        if (file->size == 0)
            return Error::invalid("Le fichier « " + file->file_name + " » est vide : choisissez-en un autre.");
        if (static_cast<long long>(file->size) > MAX_ATTACHMENT_BYTES)
            return Error::invalid("Le fichier « " + file->file_name + " » dépasse 10 Mo : il n'est pas joint.");
        if (!validate::is_utf8(file->file_name) || validate::has_control_characters(file->file_name))
            return Error::invalid("Le nom du fichier n'est pas lisible : renommez-le.");
        note.attachment_name = file->file_name.substr(0, 200);
        note.attachment_size = static_cast<long long>(file->size);
    }
    note.title = form.title;
    note.category = form.category;
    note.asks_reply = form.asks_reply;
    note.class_ids = form.class_ids;
    note.student_ids = form.student_ids;
    return note;
}

void remove_stored(Config const& config, std::string const& stored_name)
{
    if (stored_name.empty())
        return;
    std::error_code ignored;
    std::filesystem::remove(attachment_directory(config) / stored_name, ignored);
}

} // namespace

// GET /carnet-de-liaison/nouveau[?recherche=…]
ErrorOr<http::Response> show_compose(Context& context)
{
    TRY(check_writer(context));
    auto search = std::string(trim_text(context.request.query.get("recherche")));
    auto choices = TRY(load_choices(context, search));
    Form form;
    for (auto const& value : context.request.query.all("classes"))
        form.class_ids.push_back(parse_id(value));
    return render_form(context, choices, form, search, {});
}

// POST /carnet-de-liaison/nouveau
ErrorOr<http::Response> send_compose(Context& context)
{
    TRY(check_writer(context));
    auto form = form_of(context.request.form);
    auto const* file = chosen_file(context.request);
    auto note = note_of(form, file, school_time::day_of_unix(context.now));
    if (note.is_error()) {
        auto choices = TRY(load_choices(context, {}));
        return render_form(context, choices, form, {}, note.error().message_key);
    }
    auto& new_note = note.value();
    if (file) {
        auto directory = attachment_directory(context.config());
        std::error_code error;
        std::filesystem::create_directories(directory, error);
        if (error)
            return Error::internal("cannot create the liaison attachment directory: " + error.message());
        // Base64url: letters, digits, '-' and '_' only, safe as a file name.
        new_note.attachment_stored = identity::random_token();
        if (!move_file(file->path, directory / new_note.attachment_stored))
            return Error::internal("cannot store a liaison attachment");
    }
    auto const& author = context.user();
    Notified notified;
    auto sent = context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        return send_note(session, author, new_note, context.public_url(), context.now, &notified);
    });
    if (sent.is_error()) {
        remove_stored(context.config(), new_note.attachment_stored);
        if (sent.error().kind != ErrorKind::Invalid)
            return sent.error();
        auto choices = TRY(load_choices(context, {}));
        return render_form(context, choices, form, {}, sent.error().message_key);
    }
    notifications::published(context.services, notified.people, notified.outbox_rows);
    log::info("liaison note " + std::to_string(sent.value()) + " sent to " + std::to_string(notified.people.size())
        + " guardians");
    return http::Response::redirect("/carnet-de-liaison?fait=envoye");
}

} // namespace cartable::liaison_book
