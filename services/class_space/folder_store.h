// SPDX-License-Identifier: AGPL-3.0-or-later
// « Dossiers partagés »: a space's tree of folders and files, the names
// people give them, the quota, and the bytes on disk.
#pragma once

#include "core/config/config.h"
#include "core/error.h"
#include <filesystem>
#include <soci/soci.h>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cartable::class_space::folders {

inline constexpr char const* FOLDER = "folder";
inline constexpr char const* FILE = "file";
inline constexpr std::size_t MAX_NAME_BYTES = 255;
inline constexpr std::size_t MAX_DESCRIPTION_CHARACTERS = 1000;
inline constexpr int THUMBNAIL_PIXELS = 160;

struct Item {
    long long id { 0 };
    long long space_id { 0 };
    long long parent_id { 0 }; // 0: the space's root
    std::string kind; // FOLDER, FILE
    std::string name;
    std::string description;
    long long size { 0 }; // a file's bytes
    std::string content_type; // sniffed when stored
    std::string stored_name; // the file's name on disk: a random token
    bool thumbnail { false };
    long long added_by { 0 };
    std::string added_by_name; // « SAMUEL BEAUMONT »
    long long added_at { 0 };
    long long deleted_at { 0 }; // in the « Corbeille » since then
    long long deleted_by { 0 };

    bool is_folder() const { return kind == FOLDER; }
};

// Every item of one space, trash included: a space holds at most a few
// thousand, and the listing needs the sizes of whole subtrees anyway.
class Tree {
public:
    explicit Tree(std::vector<Item> items);
    Item const* find(long long id) const;
    // Neither the item nor any folder above it is in the trash.
    bool live(Item const& item) const;
    bool live_folder(long long id) const; // 0 (the root) is one
    // `id` is `ancestor` or lies somewhere under it.
    bool within(long long id, long long ancestor) const;
    std::vector<Item const*> children(long long parent) const; // outside the trash, folders first, by name
    std::vector<Item const*> trashed() const; // put in the trash themselves, latest first
    std::vector<Item const*> path_to(long long folder) const; // the folders from the root down to it
    long long size_of(Item const& item) const; // a folder: what it holds outside the trash
    std::vector<long long> subtree(long long id) const; // the item and everything under it
    long long used_bytes() const; // every file, trash included
    bool name_taken(long long parent, std::string const& name, long long except = 0) const;
    // « rapport.pdf », or « rapport (2).pdf » when the name is taken there
    // (or by a file of the same upload).
    std::string free_name(
        long long parent, std::string const& name, std::vector<std::string> const& also_taken = {}) const;
    std::vector<Item> const& items() const { return m_items; }

private:
    std::vector<Item> m_items;
    std::unordered_map<long long, std::size_t> m_index;
    std::unordered_map<long long, std::vector<std::size_t>> m_children;
};

Tree load_tree(soci::session&, long long space_id);
long long quota_of(soci::session&, long long space_id);
// Serialises the writers of one space's files on both engines (a row lock).
void lock_space(soci::session&, long long space_id);

// A name for a folder or a file: Unicode NFC, trimmed, at most 255 bytes,
// no control or format characters, no / or \, neither « . » nor « .. ».
// A typed name that breaks a rule is refused with a French message; the
// name of an uploaded file is mended (characters replaced by « _ », the
// end cut before the extension).
enum class NameSource { Typed, Uploaded };
ErrorOr<std::string> clean_name(std::string_view raw, NameSource source);
// A description: trimmed, at most 1000 characters.
ErrorOr<std::string> clean_description(std::string_view raw);
// « Espace utilisé : 546 Ko, disponible : 299.5 Mo »
std::string quota_line(long long used, long long quota);
// « SAMUEL BEAUMONT », as the guide shows who added an item.
std::string upper_name(std::string const& first_name, std::string const& last_name);

// Files on disk: <data>/class_space/files/<token>, thumbnails beside them.
std::filesystem::path files_directory(Config const& config);
std::filesystem::path thumbnails_directory(Config const& config);
// The type of a stored file from its first bytes, else from its name.
std::string sniffed_type(std::filesystem::path const& path, std::string const& name);
// What a download says it is: a few types that cannot run script as they
// are; HTML, SVG, XML and everything else as bytes.
std::string served_type(std::string const& content_type);
bool thumbnailable(std::string const& content_type);
// A JPEG of at most 160 pixels a side; false (and no file) for a corrupt image.
bool make_thumbnail(std::filesystem::path const& source, std::filesystem::path const& target);
void remove_stored(Config const& config, std::string const& stored_name);

} // namespace cartable::class_space::folders
