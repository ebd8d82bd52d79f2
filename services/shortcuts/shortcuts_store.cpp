// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/shortcuts/shortcuts.h"
#include <algorithm>

namespace cartable::shortcuts {

bool is_local_address(std::string_view url)
{
    if (url.empty() || url.size() > 500 || url.front() != '/' || url.starts_with("//"))
        return false;
    return std::none_of(url.begin(), url.end(), [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F || c == '\\' || c == '"' || c == '<' || c == '>';
    });
}

std::vector<Shortcut> list(soci::session& session, long long user_id)
{
    std::vector<Shortcut> result;
    Shortcut row;
    soci::statement statement = (session.prepare << "SELECT id, label, url, position FROM shortcuts_entry "
                                                    "WHERE user_id = :user ORDER BY position, id",
        soci::use(user_id), soci::into(row.id), soci::into(row.label), soci::into(row.url), soci::into(row.position));
    statement.execute();
    while (statement.fetch())
        result.push_back(row);
    return result;
}

std::optional<long long> add(
    soci::session& session, long long user_id, std::string const& label, std::string const& url, long long now)
{
    long long existing = 0;
    long long last = 0;
    soci::indicator last_indicator = soci::i_ok;
    session << "SELECT COUNT(*) FROM shortcuts_entry WHERE user_id = :user AND url = :url", soci::use(user_id),
        soci::use(url), soci::into(existing);
    if (existing > 0)
        return std::nullopt;
    session << "SELECT MAX(position) FROM shortcuts_entry WHERE user_id = :user", soci::use(user_id),
        soci::into(last, last_indicator);
    long long position = last_indicator == soci::i_ok ? last + 1 : 1;
    long long id = 0;
    session << "INSERT INTO shortcuts_entry (user_id, label, url, position, created_at) "
               "VALUES (:user, :label, :url, :position, :now) RETURNING id",
        soci::use(user_id), soci::use(label), soci::use(url), soci::use(position), soci::use(now), soci::into(id);
    return id;
}

bool remove(soci::session& session, long long user_id, long long shortcut_id)
{
    soci::statement statement = (session.prepare << "DELETE FROM shortcuts_entry WHERE id = :id AND user_id = :user",
        soci::use(shortcut_id), soci::use(user_id));
    statement.execute(true);
    return statement.get_affected_rows() > 0;
}

bool move(soci::session& session, long long user_id, long long shortcut_id, int direction)
{
    auto entries = list(session, user_id);
    auto found
        = std::find_if(entries.begin(), entries.end(), [&](auto const& entry) { return entry.id == shortcut_id; });
    if (found == entries.end())
        return false;
    auto index = found - entries.begin();
    auto other = index + direction;
    if (other < 0 || other >= static_cast<std::ptrdiff_t>(entries.size()))
        return true; // already first or last
    std::swap(entries[static_cast<std::size_t>(index)], entries[static_cast<std::size_t>(other)]);
    // Positions written anew, 1..n, in the new order.
    long long position = 0;
    for (auto const& entry : entries) {
        ++position;
        session << "UPDATE shortcuts_entry SET position = :position WHERE id = :id AND user_id = :user",
            soci::use(position), soci::use(entry.id), soci::use(user_id);
    }
    return true;
}

} // namespace cartable::shortcuts
