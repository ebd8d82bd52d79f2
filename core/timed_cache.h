// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <mutex>
#include <optional>
#include <unordered_map>

namespace cartable {

// A small map whose entries live for a fixed number of seconds. For what
// every page needs and rarely changes (a structure's name, the public portal
// of a school): a change shows up at most that many seconds later on the
// other nodes, at once on the node that made it (forget()).
template<typename Key, typename Value> class TimedCache {
public:
    explicit TimedCache(long long lifetime_seconds)
        : m_lifetime(lifetime_seconds)
    { }

    std::optional<Value> find(Key const& key, long long now)
    {
        std::lock_guard lock(m_mutex);
        auto found = m_entries.find(key);
        if (found == m_entries.end() || now - found->second.stored_at >= m_lifetime)
            return std::nullopt;
        return found->second.value;
    }

    void store(Key const& key, Value value, long long now)
    {
        std::lock_guard lock(m_mutex);
        // A cache of a few hundred structures: dropping all is simpler than LRU.
        if (m_entries.size() > 10000)
            m_entries.clear();
        m_entries.insert_or_assign(key, Entry { std::move(value), now });
    }

    void forget(Key const& key)
    {
        std::lock_guard lock(m_mutex);
        m_entries.erase(key);
    }

    // Forgets the entries whose key satisfies `predicate` (a service's keys
    // of one structure, by their prefix).
    template<typename Predicate> void forget_if(Predicate&& predicate)
    {
        std::lock_guard lock(m_mutex);
        std::erase_if(m_entries, [&](auto const& entry) { return predicate(entry.first); });
    }

    void forget_all()
    {
        std::lock_guard lock(m_mutex);
        m_entries.clear();
    }

private:
    struct Entry {
        Value value;
        long long stored_at { 0 };
    };
    long long m_lifetime;
    std::mutex m_mutex;
    std::unordered_map<Key, Entry> m_entries;
};

} // namespace cartable
