// SPDX-License-Identifier: AGPL-3.0-or-later
// « Raccourcis »: the pages a member pins from « Ajouter à mes raccourcis »,
// listed in the left menu of every page.
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <string_view>
#include <vector>

namespace cartable {
struct Services;
}

namespace cartable::shortcuts {

struct Shortcut {
    long long id { 0 };
    std::string label;
    std::string url; // a path of this ENT, with its query
    long long position { 0 };
};

inline constexpr std::size_t MAX_SHORTCUTS = 30;

// Whether the address is a page of this ENT (a path, never another site).
bool is_local_address(std::string_view url);

std::vector<Shortcut> list(soci::session&, long long user_id);
// The new shortcut's id, or nothing when the page is already pinned.
std::optional<long long> add(
    soci::session&, long long user_id, std::string const& label, std::string const& url, long long now);
bool remove(soci::session&, long long user_id, long long shortcut_id);
// One place up (-1) or down (+1).
bool move(soci::session&, long long user_id, long long shortcut_id, int direction);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
ErrorOr<void> start(Services&);

} // namespace cartable::shortcuts
