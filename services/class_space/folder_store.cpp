// SPDX-License-Identifier: AGPL-3.0-or-later
// A space's tree of folders and files, the names people give them, and the
// quota line.
#include "services/class_space/folder_store.h"
#include "core/i18n/format.h"
#include "core/text.h"
#include <algorithm>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace cartable::class_space::folders {

namespace {

// Cuts UTF-8 text to at most `bytes` bytes without splitting a character.
std::string cut_utf8(std::string text, std::size_t bytes)
{
    if (text.size() <= bytes)
        return text;
    auto end = bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    text.resize(end);
    return text;
}

std::pair<std::string, std::string> split_extension(std::string const& name)
{
    auto dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0 || name.size() - dot > 16)
        return { name, {} };
    return { name.substr(0, dot), name.substr(dot) };
}

// The order of a folder's items: lower case, the accented Latin letters of
// French folded to their base letter (« Évaluation » with the e's), in one
// pass over the bytes (core's fold_accents tries each letter at each byte:
// too slow for a thousand names on every page).
std::string sort_key(std::string_view name)
{
    // U+00C0 to U+00FF (UTF-8 C3 80 to C3 BF); 0: kept as it is (× ÷).
    static constexpr char LATIN[] = "aaaaaaaceeeeiiiidnooooo\0ouuuuytsaaaaaaaceeeeiiiidnooooo\0ouuuuyty";
    std::string key;
    key.reserve(name.size());
    for (std::size_t index = 0; index < name.size(); ++index) {
        auto c = static_cast<unsigned char>(name[index]);
        if (c >= 'A' && c <= 'Z') {
            key += static_cast<char>(c - 'A' + 'a');
        } else if (c == 0xC3 && index + 1 < name.size()) {
            auto next = static_cast<unsigned char>(name[index + 1]);
            auto plain = next >= 0x80 && next <= 0xBF ? LATIN[next - 0x80] : '\0';
            if (plain == '\0') {
                key += name.substr(index, 2);
            } else {
                key += plain;
            }
            ++index;
        } else if (c == 0xC5 && index + 1 < name.size()
            && (static_cast<unsigned char>(name[index + 1]) == 0x92
                || static_cast<unsigned char>(name[index + 1]) == 0x93)) {
            key += "oe";
            ++index;
        } else {
            key += static_cast<char>(c);
        }
    }
    return key;
}

bool refused_character(UChar32 c)
{
    if (c == '/' || c == '\\' || c == 0xFFFD || U_IS_SURROGATE(c))
        return true;
    auto type = u_charType(c);
    return type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR
        || type == U_UNASSIGNED || type == U_PRIVATE_USE_CHAR;
}

} // namespace

Tree::Tree(std::vector<Item> items)
    : m_items(std::move(items))
{
    for (std::size_t index = 0; index < m_items.size(); ++index) {
        m_index.emplace(m_items[index].id, index);
        m_children[m_items[index].parent_id].push_back(index);
    }
}

Item const* Tree::find(long long id) const
{
    auto found = m_index.find(id);
    return found == m_index.end() ? nullptr : &m_items[found->second];
}

bool Tree::live(Item const& item) const
{
    // Bounded by the number of items, should a cycle ever be written.
    Item const* current = &item;
    for (std::size_t steps = 0; current && steps <= m_items.size(); ++steps) {
        if (current->deleted_at != 0)
            return false;
        if (current->parent_id == 0)
            return true;
        current = find(current->parent_id);
    }
    return false;
}

bool Tree::live_folder(long long id) const
{
    if (id == 0)
        return true;
    auto const* item = find(id);
    return item && item->is_folder() && live(*item);
}

bool Tree::within(long long id, long long ancestor) const
{
    auto const* current = find(id);
    for (std::size_t steps = 0; current && steps <= m_items.size(); ++steps) {
        if (current->id == ancestor)
            return true;
        current = find(current->parent_id);
    }
    return false;
}

std::vector<Item const*> Tree::children(long long parent) const
{
    std::vector<Item const*> result;
    auto found = m_children.find(parent);
    if (found == m_children.end())
        return result;
    for (auto index : found->second) {
        if (m_items[index].deleted_at == 0)
            result.push_back(&m_items[index]);
    }
    // Folders first, then by name without case or accents: the keys of
    // this folder's items only.
    std::vector<std::pair<std::string, Item const*>> keyed;
    keyed.reserve(result.size());
    for (auto const* item : result)
        keyed.emplace_back(sort_key(item->name), item);
    std::sort(keyed.begin(), keyed.end(), [](auto const& left, auto const& right) {
        if (left.second->is_folder() != right.second->is_folder())
            return left.second->is_folder();
        if (left.first != right.first)
            return left.first < right.first;
        return left.second->id < right.second->id;
    });
    for (std::size_t index = 0; index < keyed.size(); ++index)
        result[index] = keyed[index].second;
    return result;
}

std::vector<Item const*> Tree::trashed() const
{
    std::vector<Item const*> result;
    for (auto const& item : m_items) {
        if (item.deleted_at != 0)
            result.push_back(&item);
    }
    std::sort(result.begin(), result.end(), [](Item const* left, Item const* right) {
        return left->deleted_at != right->deleted_at ? left->deleted_at > right->deleted_at : left->id > right->id;
    });
    return result;
}

std::vector<Item const*> Tree::path_to(long long folder) const
{
    std::vector<Item const*> path;
    auto const* current = find(folder);
    for (std::size_t steps = 0; current && steps <= m_items.size(); ++steps) {
        path.push_back(current);
        current = find(current->parent_id);
    }
    std::reverse(path.begin(), path.end());
    return path;
}

long long Tree::size_of(Item const& item) const
{
    if (!item.is_folder())
        return item.size;
    long long total = 0;
    std::vector<long long> pending { item.id };
    for (std::size_t steps = 0; !pending.empty() && steps <= m_items.size(); ++steps) {
        auto folder = pending.back();
        pending.pop_back();
        auto found = m_children.find(folder);
        if (found == m_children.end())
            continue;
        for (auto index : found->second) {
            auto const& child = m_items[index];
            if (child.deleted_at != 0)
                continue;
            if (child.is_folder())
                pending.push_back(child.id);
            else
                total += child.size;
        }
    }
    return total;
}

std::vector<long long> Tree::subtree(long long id) const
{
    std::vector<long long> result;
    if (!find(id))
        return result;
    std::vector<long long> pending { id };
    while (!pending.empty() && result.size() <= m_items.size()) {
        auto current = pending.back();
        pending.pop_back();
        result.push_back(current);
        auto found = m_children.find(current);
        if (found == m_children.end())
            continue;
        for (auto index : found->second)
            pending.push_back(m_items[index].id);
    }
    return result;
}

long long Tree::used_bytes() const
{
    long long total = 0;
    for (auto const& item : m_items)
        total += item.is_folder() ? 0 : item.size;
    return total;
}

bool Tree::name_taken(long long parent, std::string const& name, long long except) const
{
    auto found = m_children.find(parent);
    if (found == m_children.end())
        return false;
    return std::any_of(found->second.begin(), found->second.end(), [&](std::size_t index) {
        auto const& item = m_items[index];
        return item.deleted_at == 0 && item.id != except && item.name == name;
    });
}

std::string Tree::free_name(long long parent, std::string const& name, std::vector<std::string> const& also_taken) const
{
    auto taken = [&](std::string const& candidate) {
        return name_taken(parent, candidate)
            || std::find(also_taken.begin(), also_taken.end(), candidate) != also_taken.end();
    };
    if (!taken(name))
        return name;
    auto [base, extension] = split_extension(name);
    for (int number = 2;; ++number) {
        auto suffix = std::string(" (").append(std::to_string(number)).append(")").append(extension);
        auto candidate = cut_utf8(base, MAX_NAME_BYTES - suffix.size()) + suffix;
        if (!taken(candidate))
            return candidate;
    }
}

Tree load_tree(soci::session& session, long long space_id)
{
    std::vector<Item> items;
    Item row;
    long long thumbnail = 0;
    std::string first_name;
    std::string last_name;
    soci::statement statement = (session.prepare
            << "SELECT i.id, COALESCE(i.parent_id, 0), i.kind, i.name, i.description, i.size, i.content_type, "
               "i.stored_name, i.thumbnail, COALESCE(i.added_by, 0), COALESCE(u.first_name, ''), "
               "COALESCE(u.last_name, ''), i.added_at, i.deleted_at, COALESCE(i.deleted_by, 0) FROM class_space_item i "
               "LEFT JOIN identity_user u ON u.id = i.added_by WHERE i.space_id = :space",
        soci::use(space_id), soci::into(row.id), soci::into(row.parent_id), soci::into(row.kind), soci::into(row.name),
        soci::into(row.description), soci::into(row.size), soci::into(row.content_type), soci::into(row.stored_name),
        soci::into(thumbnail), soci::into(row.added_by), soci::into(first_name), soci::into(last_name),
        soci::into(row.added_at), soci::into(row.deleted_at), soci::into(row.deleted_by));
    statement.execute();
    while (statement.fetch()) {
        row.space_id = space_id;
        row.thumbnail = thumbnail != 0;
        row.added_by_name = row.added_by == 0 ? std::string("un ancien membre") : upper_name(first_name, last_name);
        items.push_back(row);
    }
    return Tree(std::move(items));
}

long long quota_of(soci::session& session, long long space_id)
{
    long long quota = 0;
    session << "SELECT folder_quota_bytes FROM class_space WHERE id = :id", soci::use(space_id), soci::into(quota);
    return quota;
}

void lock_space(soci::session& session, long long space_id)
{
    session << "UPDATE class_space SET folder_quota_bytes = folder_quota_bytes WHERE id = :id", soci::use(space_id);
}

ErrorOr<std::string> clean_name(std::string_view raw, NameSource source)
{
    auto const typed = source == NameSource::Typed;
    auto text = icu::UnicodeString::fromUTF8(icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())));
    UErrorCode status = U_ZERO_ERROR;
    auto const* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status))
        return Error::internal("no NFC normaliser");
    auto normal = nfc->normalize(text, status);
    if (U_FAILURE(status))
        return Error::invalid("Ce nom n'est pas un texte valide.");
    icu::UnicodeString kept;
    for (int32_t index = 0; index < normal.length();) {
        auto c = normal.char32At(index);
        index += U16_LENGTH(c);
        if (refused_character(c)) {
            if (typed)
                return Error::invalid("Un nom ne peut contenir ni « / », ni « \\ », ni caractère de contrôle.");
            kept.append(static_cast<UChar32>('_'));
        } else {
            kept.append(c);
        }
    }
    int32_t start = 0;
    int32_t end = kept.length();
    while (start < end && u_isUWhiteSpace(kept.char32At(start)))
        start += U16_LENGTH(kept.char32At(start));
    while (end > start && u_isUWhiteSpace(kept.char32At(end - 1)))
        end -= U16_LENGTH(kept.char32At(end - 1));
    std::string name;
    kept.tempSubStringBetween(start, end).toUTF8String(name);
    if (name.empty()) {
        if (typed)
            return Error::invalid("Donnez un nom.");
        name = "fichier";
    }
    if (name == "." || name == "..") {
        if (typed)
            return Error::invalid("Les noms « . » et « .. » ne sont pas permis.");
        name = "fichier";
    }
    if (name.size() > MAX_NAME_BYTES) {
        if (typed)
            return Error::invalid("Ce nom est trop long : 255 octets au plus (environ 120 lettres accentuées).");
        auto [base, extension] = split_extension(name);
        name = std::string(trim_text(cut_utf8(base, MAX_NAME_BYTES - extension.size()))) + extension;
    }
    return name;
}

ErrorOr<std::string> clean_description(std::string_view raw)
{
    auto text = icu::UnicodeString::fromUTF8(icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())));
    std::string description;
    text.toUTF8String(description);
    description = std::string(trim_text(description));
    std::size_t characters = 0;
    for (unsigned char c : description)
        characters += (c & 0xC0) != 0x80 ? 1 : 0;
    if (characters > MAX_DESCRIPTION_CHARACTERS)
        return Error::invalid("La description ne doit pas dépasser 1000 caractères.");
    return description;
}

std::string quota_line(long long used, long long quota)
{
    auto available = quota > used ? quota - used : 0;
    return "Espace utilisé : " + i18n::format_size(static_cast<std::uint64_t>(std::max(used, 0LL)))
        + ", disponible : " + i18n::format_size(static_cast<std::uint64_t>(available));
}

std::string upper_name(std::string const& first_name, std::string const& last_name)
{
    auto text = icu::UnicodeString::fromUTF8(first_name + " " + last_name);
    std::string upper;
    text.toUpper(icu::Locale::getFrench()).toUTF8String(upper);
    return upper;
}

} // namespace cartable::class_space::folders
