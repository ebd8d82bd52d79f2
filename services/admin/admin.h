// SPDX-License-Identifier: AGPL-3.0-or-later
// The administration console (docs: services/admin/README.md), and the
// settings other services ask for: who may write to whom in a structure,
// and how much each profile may store.
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include "core/identity/identity.h"
#include <array>
#include <cstdint>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace cartable {
struct Services;
}

namespace cartable::admin {

inline constexpr std::array<access::Profile, 5> PROFILES { access::Profile::Student, access::Profile::Guardian,
    access::Profile::Teacher, access::Profile::Staff, access::Profile::Admin };

// Who may write to whom in one structure, by profile pair. The defaults: a
// student writes to students, teachers and staff; a guardian to teachers and
// staff (and to their own children, which the messaging allows on the
// link); teachers, staff and administrators to everyone.
class CommunicationRules {
public:
    static CommunicationRules defaults();
    bool allows(access::Profile from, access::Profile to) const;
    void set(access::Profile from, access::Profile to, bool allowed);
    bool operator==(CommunicationRules const&) const = default;

private:
    std::array<std::array<bool, PROFILES.size()>, PROFILES.size()> m_allowed {};
};

CommunicationRules communication_rules(soci::session&, long long structure_id);
// Stores the rules that differ from the defaults (the others follow them).
void save_communication_rules(soci::session&, long long structure_id, CommunicationRules const&);

// The one policy function of the messaging: whether `from` may write to
// `to`. Inside one structure only (an administrator of the platform writes
// to anyone), to an active person, as the structure's rules say.
bool may_write(CommunicationRules const&, identity::User const& from, identity::User const& to);

// Storage each person of a profile may use (attachments, shared folders).
std::uint64_t default_quota_bytes(access::Profile);
std::uint64_t quota_bytes(soci::session&, long long structure_id, access::Profile);
void save_quota(soci::session&, long long structure_id, access::Profile, std::uint64_t bytes);

// How many recipients a person of a profile may reach in one hour through
// the messagerie; beyond it a message waits for a staff member's approval.
inline constexpr long long MAX_RECIPIENT_CAP = 100000;
long long default_recipient_cap(access::Profile);
long long recipient_cap(soci::session&, long long structure_id, access::Profile);
void save_recipient_cap(soci::session&, long long structure_id, access::Profile, long long per_hour);

// An académie of the platform and its région.
struct Academy {
    long long id { 0 };
    std::string name; // « Montpellier »
    std::string region; // « Occitanie »
    long long structures { 0 };
};
// The académies registered and those the structures name, by name.
std::vector<Academy> academies(soci::session&);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();

} // namespace cartable::admin
