// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/view/frame.h"
#include "core/view/view.h"
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace cartable::view {

// The last body of one kind of page each reader was shown, with a
// fingerprint of what it showed: the same page asked again when nothing in
// it changed (a reload, a parent coming back to the week, a CPE watching
// the signatures come in) is not built again. The fingerprint must say all
// the body depends on, the session's CSRF token included (so that it never
// matches another session's page); an object the page was built from
// (`source`, a cached result) is compared by identity and kept alive with
// the entry, so that its address cannot be taken by another. At most
// `max_bytes` are kept: past that, everything is dropped.
class BodyMemo {
public:
    explicit BodyMemo(std::size_t max_bytes)
        : m_max_bytes(max_bytes)
    { }

    std::optional<std::string> find(long long reader, std::string const& fingerprint, void const* source = nullptr)
    {
        std::lock_guard lock(m_mutex);
        auto found = m_entries.find(reader);
        if (found == m_entries.end() || found->second.fingerprint != fingerprint
            || found->second.source.get() != source)
            return std::nullopt;
        return found->second.body;
    }

    void store(long long reader, std::string fingerprint, std::string body, std::shared_ptr<void const> source = {})
    {
        std::lock_guard lock(m_mutex);
        if (auto found = m_entries.find(reader); found != m_entries.end()) {
            m_bytes -= found->second.fingerprint.size() + found->second.body.size();
            m_entries.erase(found);
        }
        auto const size = fingerprint.size() + body.size();
        if (m_bytes + size > m_max_bytes) {
            m_entries.clear();
            m_bytes = 0;
        }
        m_bytes += size;
        m_entries.emplace(reader, Entry { std::move(fingerprint), std::move(body), std::move(source) });
    }

private:
    struct Entry {
        std::string fingerprint;
        std::string body;
        std::shared_ptr<void const> source;
    };
    std::size_t m_max_bytes;
    std::mutex m_mutex;
    std::unordered_map<long long, Entry> m_entries;
    std::size_t m_bytes { 0 };
};

// A template's page inside the frame, its body from `memo` when the
// reader's last one had this fingerprint (and source); otherwise the data
// `build()` gives is rendered (with the form's CSRF token) and kept. Only
// the frame is rendered at each request.
template<typename Build>
http::Response render_remembered(Context& context, BodyMemo& memo, std::string fingerprint,
    std::shared_ptr<void const> const& source, std::string_view template_name, std::string title, MenuEntry menu,
    Build&& build)
{
    auto const reader = context.user().id;
    auto body = memo.find(reader, fingerprint, source.get());
    if (!body) {
        Data data = build();
        if (Templates::instance().needs_csrf_token(template_name))
            data.set("csrf_token", context.csrf_token());
        body = Templates::instance().render(template_name, data);
        memo.store(reader, std::move(fingerprint), *body, source);
    }
    return render_page(context, Page { std::move(title), std::move(*body), menu });
}

} // namespace cartable::view
