// SPDX-License-Identifier: AGPL-3.0-or-later
// « Annuaire »: finding the people of one's structure, and their card. The
// liste rouge is kept here: coordinates never appear in a search, and on a
// card only to the person, to the structure's staff, or when not unlisted.
// (The AAF and CSV import will extend this service.)
#pragma once

#include "core/access/capability.h"
#include "core/db/database.h"
#include "core/error.h"
#include "core/http/router.h"
#include "core/identity/identity.h"
#include <soci/soci.h>
#include <string>
#include <vector>

namespace cartable {
struct Services;
}

namespace cartable::directory {

// Whether the viewer is one of those the structure authorises to see
// coordinates on the liste rouge: administrators, direction, CPE and the
// secretariat (by their directory function).
bool authorised_for_unlisted(identity::User const& viewer);
// Whether the viewer may see the coordinates (address, phones) of that person.
bool may_see_coordinates(identity::User const& viewer, identity::User const& person, identity::Contact const&);

// Records that staff read that person's personal data (what: « coordonnées »,
// « fiche (console d'administration) »), for the journal of the direction.
void record_access(
    soci::session&, long long viewer_id, identity::User const& person, std::string const& what, long long now);

// Files a structure's CSV import under that structure, so that its
// administrators read the report in their console.
ErrorOr<void> attach_import_to_structure(soci::session&, long long import_id, std::string const& uai);
// After an import: the classes and groups it brought get their space.
void make_class_spaces(db::Database*, long long now);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
// Registers what the directory exports for « Mes données ».
ErrorOr<void> start(Services&);

} // namespace cartable::directory
