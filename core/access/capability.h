// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/error.h"
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cartable::access {

// The national profiles a person holds in a structure.
enum class Profile { Student, Guardian, Teacher, Staff, Admin };

std::string_view profile_code(Profile profile); // "student", "guardian", …
std::optional<Profile> profile_from_code(std::string_view code);
std::string_view profile_label(Profile profile); // « Élève », « Responsable légal », …

// Where a capability is judged. Public: anyone, signed in or not. SignedIn:
// any signed-in person. Structure: by the person's profile in the structure.
// Deployment: the deployment's administrators.
enum class Scope { Public, SignedIn, Structure, Deployment };

enum class Risk { Read, Write, PersonalData, Configuration };

struct Capability {
    std::string name; // "<service>.<verb>", e.g. "account.sign_in"
    Scope scope { Scope::SignedIn };
    std::vector<Profile> default_profiles; // for Structure scope
    Risk risk { Risk::Read };
    std::string description;
};

// Every service declares its capabilities once, at start; routes then name
// them. A route naming an undeclared capability stops the program at start.
class CapabilityRegistry {
public:
    ErrorOr<void> declare(Capability capability);
    Capability const* find(std::string_view name) const;
    std::vector<Capability> const& all() const { return m_capabilities; }

    // Whether a person with this profile (none: not signed in) holds it by
    // default; deployment capabilities need an administrator of the platform.
    // Relationship to the object is the policy's business.
    bool allows(std::string_view name, std::optional<Profile> profile, bool platform_admin = false) const;

private:
    std::vector<Capability> m_capabilities;
};

} // namespace cartable::access
