// SPDX-License-Identifier: AGPL-3.0-or-later
// The attachments of séances and homework (see lesson_book_teacher_files.h).
#include "services/lesson_book/lesson_book_teacher_files.h"
#include "core/files.h"
#include "core/http/static_files.h"
#include "core/i18n/format.h"
#include "core/identity/tokens.h"
#include "core/text.h"
#include "services/lesson_book/lesson_book_store.h"
#include <array>
#include <charconv>
#include <filesystem>

namespace cartable::lesson_book {

namespace {

bool safe_stored_name(std::string const& name)
{
    return !name.empty() && name.find('/') == std::string::npos && !name.starts_with('.');
}

} // namespace

std::optional<std::string> attachment_problem(std::vector<http::UploadedFile const*> const& files, std::size_t already)
{
    if (files.size() + already > MAX_ATTACHMENTS)
        return std::string("Une séance ou un travail ne peut pas avoir plus de 10 pièces jointes.");
    for (auto const* file : files) {
        if (static_cast<long long>(file->size) > MAX_ATTACHMENT_BYTES)
            return "La pièce jointe « " + file->file_name + " » dépasse 10 Mo : elle n'est pas ajoutée.";
    }
    return std::nullopt;
}

ErrorOr<std::vector<StoredFile>> keep_files(Config const& config, std::vector<http::UploadedFile const*> const& files)
{
    std::vector<StoredFile> kept;
    if (files.empty())
        return kept;
    auto const directory = attachment_directory(config);
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
        return Error::internal("cannot create the lesson book's attachment directory: " + error.message());
    for (auto const* file : files) {
        StoredFile stored;
        stored.name = file->file_name.substr(0, 200);
        stored.content_type = http::content_type_for(stored.name);
        stored.size = static_cast<long long>(file->size);
        stored.stored_name = identity::random_token(); // base64url: a safe file name
        if (!move_file(file->path, directory / stored.stored_name)) {
            for (auto const& done : kept) {
                std::error_code ignored;
                std::filesystem::remove(directory / done.stored_name, ignored);
            }
            return Error::internal("cannot store a lesson book attachment");
        }
        kept.push_back(std::move(stored));
    }
    return kept;
}

void add_attachments(soci::session& session, long long seance_id, long long homework_id,
    std::vector<StoredFile> const& files, long long now)
{
    soci::indicator seance_indicator = seance_id != 0 ? soci::i_ok : soci::i_null;
    soci::indicator homework_indicator = homework_id != 0 ? soci::i_ok : soci::i_null;
    for (auto const& file : files) {
        session << "INSERT INTO lesson_book_attachment (session_id, homework_id, name, stored_name, size, "
                   "content_type, created_at) VALUES (:seance, :homework, :name, :stored, :size, :type, :now)",
            soci::use(seance_id, seance_indicator), soci::use(homework_id, homework_indicator), soci::use(file.name),
            soci::use(file.stored_name), soci::use(file.size), soci::use(file.content_type), soci::use(now);
    }
}

std::vector<Attachment> attachments_of(soci::session& session, long long seance_id, long long homework_id)
{
    std::vector<Attachment> list;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT id, name, size, content_type FROM lesson_book_attachment WHERE "
                              "COALESCE(session_id, 0) = :seance AND COALESCE(homework_id, 0) = :homework ORDER BY id",
            soci::use(seance_id), soci::use(homework_id));
    for (auto const& row : rows) {
        Attachment attachment;
        attachment.id = integer_at(row, 0);
        attachment.name = row.get<std::string>(1);
        attachment.size = integer_at(row, 2);
        attachment.content_type = row.get<std::string>(3);
        list.push_back(std::move(attachment));
    }
    return list;
}

void copy_attachments(soci::session& session, long long from_seance, long long to_seance, long long now)
{
    session << "INSERT INTO lesson_book_attachment (session_id, name, stored_name, size, content_type, created_at) "
               "SELECT CAST(:to_seance AS BIGINT), name, stored_name, size, content_type, CAST(:now AS BIGINT) FROM "
               "lesson_book_attachment WHERE "
               "session_id = :from_seance",
        soci::use(to_seance), soci::use(now), soci::use(from_seance);
}

std::vector<std::string> stored_names_of(soci::session& session, long long seance_id, long long homework_id)
{
    std::vector<std::string> names;
    soci::rowset<std::string> rows
        = (session.prepare << "SELECT stored_name FROM lesson_book_attachment WHERE COALESCE(session_id, 0) = "
                              ":seance AND COALESCE(homework_id, 0) = :homework",
            soci::use(seance_id), soci::use(homework_id));
    for (auto const& name : rows)
        names.push_back(name);
    return names;
}

void remove_unused_files(soci::session& session, Config const& config, std::vector<std::string> const& stored_names)
{
    for (auto const& name : stored_names) {
        long long users = 0;
        session << "SELECT COUNT(*) FROM lesson_book_attachment WHERE stored_name = :name", soci::into(users),
            soci::use(name);
        if (users != 0 || !safe_stored_name(name))
            continue;
        std::error_code ignored;
        std::filesystem::remove(attachment_directory(config) / name, ignored);
    }
}

std::vector<std::string> remove_attachments(
    soci::session& session, long long seance_id, long long homework_id, std::vector<long long> const& attachment_ids)
{
    std::vector<std::string> names;
    for (auto const id : attachment_ids) {
        std::string stored;
        soci::indicator found = soci::i_null;
        session << "SELECT stored_name FROM lesson_book_attachment WHERE id = :id AND COALESCE(session_id, 0) = "
                   ":seance AND COALESCE(homework_id, 0) = :homework",
            soci::into(stored, found), soci::use(id), soci::use(seance_id), soci::use(homework_id);
        if (!session.got_data() || found != soci::i_ok)
            continue; // another item's file: left alone
        session << "DELETE FROM lesson_book_attachment WHERE id = :id", soci::use(id);
        names.push_back(std::move(stored));
    }
    return names;
}

std::vector<long long> ticked_for_removal(http::FormFields const& form)
{
    std::vector<long long> ids;
    for (auto const& value : form.all("retirer")) {
        long long id = 0;
        auto const parsed = std::from_chars(value.data(), value.data() + value.size(), id);
        if (parsed.ec == std::errc {} && parsed.ptr == value.data() + value.size() && id > 0)
            ids.push_back(id);
    }
    return ids;
}

view::List attachment_list(std::vector<Attachment> const& attachments)
{
    view::List list;
    for (auto const& attachment : attachments) {
        view::Data item;
        item.set("name", attachment.name);
        item.set("size", i18n::format_size(static_cast<std::uint64_t>(attachment.size)));
        item.set("url", "/cahier-de-textes/enseignant/pieces/" + std::to_string(attachment.id));
        item.set("id", std::to_string(attachment.id));
        list.push_back(std::move(item));
    }
    return list;
}

// GET /cahier-de-textes/enseignant/pieces/{piece}: to those who read the
// séance or homework it belongs to (published, unless they see planned items).
ErrorOr<http::Response> serve_attachment(Context& context)
{
    auto const id = parse_id(context.request.parameter("piece"));
    auto const& person = context.user();
    auto const now = context.now;
    auto const found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<StoredFile>> {
        long long seance_id = 0;
        long long homework_id = 0;
        StoredFile file;
        soci::indicator seance_indicator = soci::i_null;
        soci::indicator homework_indicator = soci::i_null;
        session << "SELECT session_id, homework_id, name, stored_name FROM lesson_book_attachment WHERE id = :id",
            soci::into(seance_id, seance_indicator), soci::into(homework_id, homework_indicator), soci::into(file.name),
            soci::into(file.stored_name), soci::use(id);
        if (!session.got_data())
            return std::optional<StoredFile>();
        long long class_id = 0;
        long long subject_id = 0;
        long long publish_at = 0;
        if (seance_indicator == soci::i_ok && seance_id != 0) {
            auto const seance = seance_by_id(session, seance_id);
            if (!seance)
                return std::optional<StoredFile>();
            class_id = seance->class_id;
            subject_id = seance->subject_id;
            publish_at = seance->publish_at;
        } else if (homework_indicator == soci::i_ok && homework_id != 0) {
            auto const homework = homework_by_id(session, homework_id);
            if (!homework)
                return std::optional<StoredFile>();
            class_id = homework->class_id;
            subject_id = homework->subject_id;
            publish_at = homework->publish_at;
        } else {
            return std::optional<StoredFile>();
        }
        auto const right = right_of(session, person, class_id, subject_id);
        if (!may_read(right) || (!sees_planned(right) && publish_at > now))
            return std::optional<StoredFile>();
        return std::optional<StoredFile>(file);
    }));
    if (!found || !safe_stored_name(found->stored_name))
        return Error::not_found("Cette pièce jointe n'existe pas ou n'est plus dans le cahier de textes.");
    auto response = http::serve_file(context.request, attachment_directory(context.config()) / found->stored_name,
        http::download_type(found->name), found->name);
    if (response.status == 404)
        return Error::not_found("Cette pièce jointe n'existe pas ou n'est plus dans le cahier de textes.");
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

} // namespace cartable::lesson_book
