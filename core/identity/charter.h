// SPDX-License-Identifier: AGPL-3.0-or-later
// The charter (« Charte d'utilisation de l'ENT »): versions published by an
// administrator, and who accepted which version when.
#pragma once

#include "core/identity/identity.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace cartable::identity::charter {

struct Version {
    long long version { 0 };
    std::string title;
    std::string body; // Markdown
    long long published_at { 0 };
    std::string published_by; // the administrator's name, or empty
    long long acceptances { 0 };
};

struct Acceptance {
    long long user_id { 0 };
    std::string login;
    std::string name;
    std::string profile;
    long long version { 0 };
    long long accepted_at { 0 };
};

// The version in force, if any was ever published.
std::optional<Version> current(soci::session&);
long long current_version(soci::session&);
std::vector<Version> versions(soci::session&);
// A new version, in force at once: everybody accepts it again.
long long publish(soci::session&, std::string const& title, std::string const& body,
    std::optional<long long> published_by, long long now);
// Records the person's acceptance of that version (again is harmless).
void accept(soci::session&, long long user_id, long long version, long long now);
// The most recent acceptances, of one version or of all (version 0).
std::vector<Acceptance> acceptances(soci::session&, long long version, int limit, int offset);

} // namespace cartable::identity::charter
