// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/admin/admin.h"
#include "services/admin/import_inbox.h"

namespace cartable::admin {

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    return registry.declare({ capability::DEPOSIT_IMPORT_FILES, access::Scope::Structure, { access::Profile::Admin },
        access::Risk::PersonalData, "Déposer les fichiers d'import de l'annuaire (AAF, CSV)" });
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/admin/depot", capability::DEPOSIT_IMPORT_FILES, show_import_inbox },
        { Method::Post, "/admin/depot", capability::DEPOSIT_IMPORT_FILES, deposit_import_files },
        { Method::Get, "/admin/depot/{file}", capability::DEPOSIT_IMPORT_FILES, download_import_file },
    };
}

} // namespace cartable::admin
