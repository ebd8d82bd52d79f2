// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/access/capability.h"
#include <algorithm>
#include <array>
#include <utility>

namespace cartable::access {

namespace {
struct ProfileText {
    Profile profile;
    std::string_view code;
    std::string_view label;
};
constexpr std::array PROFILES {
    ProfileText { Profile::Student, "student", "Élève" },
    ProfileText { Profile::Guardian, "guardian", "Responsable légal" },
    ProfileText { Profile::Teacher, "teacher", "Enseignant" },
    ProfileText { Profile::Staff, "staff", "Personnel de l'établissement" },
    ProfileText { Profile::Admin, "admin", "Administrateur ENT" },
};

bool is_valid_name(std::string_view name)
{
    auto dot = name.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size())
        return false;
    return std::all_of(name.begin(), name.end(),
        [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == '.' || (c >= '0' && c <= '9'); });
}
} // namespace

std::string_view profile_code(Profile profile)
{
    for (auto const& entry : PROFILES) {
        if (entry.profile == profile)
            return entry.code;
    }
    return "student";
}

std::optional<Profile> profile_from_code(std::string_view code)
{
    for (auto const& entry : PROFILES) {
        if (entry.code == code)
            return entry.profile;
    }
    return std::nullopt;
}

std::string_view profile_label(Profile profile)
{
    for (auto const& entry : PROFILES) {
        if (entry.profile == profile)
            return entry.label;
    }
    return "";
}

ErrorOr<void> CapabilityRegistry::declare(Capability capability)
{
    if (!is_valid_name(capability.name))
        return Error::internal("malformed capability name: " + capability.name);
    if (find(capability.name))
        return Error::internal("capability declared twice: " + capability.name);
    if (capability.scope == Scope::Structure && capability.default_profiles.empty())
        return Error::internal("capability held by no profile: " + capability.name);
    m_capabilities.push_back(std::move(capability));
    return {};
}

Capability const* CapabilityRegistry::find(std::string_view name) const
{
    for (auto const& capability : m_capabilities) {
        if (capability.name == name)
            return &capability;
    }
    return nullptr;
}

bool CapabilityRegistry::allows(std::string_view name, std::optional<Profile> profile, bool platform_admin) const
{
    auto const* capability = find(name);
    if (!capability)
        return false;
    switch (capability->scope) {
    case Scope::Public:
        return true;
    case Scope::SignedIn:
        return profile.has_value();
    case Scope::Structure:
        return profile
            && std::find(capability->default_profiles.begin(), capability->default_profiles.end(), *profile)
            != capability->default_profiles.end();
    case Scope::Deployment:
        return profile == Profile::Admin && platform_admin;
    }
    return false;
}

} // namespace cartable::access
