// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/admin/admin.h"
#include "services/admin/console.h"
#include "services/admin/import_inbox.h"

namespace cartable::admin {

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    using access::Profile;
    using access::Risk;
    using access::Scope;
    TRY(registry.declare({ capability::DEPOSIT_IMPORT_FILES, Scope::Structure, { Profile::Admin }, Risk::PersonalData,
        "Déposer les fichiers d'import de l'annuaire (AAF, CSV)" }));
    TRY(registry.declare({ capability::ADMINISTER_STRUCTURE, Scope::Structure, { Profile::Admin }, Risk::PersonalData,
        "Administrer son établissement : personnes, classes et groupes, règles de communication, quotas, journal" }));
    return registry.declare({ capability::ADMINISTER_PLATFORM, Scope::Deployment, {}, Risk::Configuration,
        "Administrer la plateforme : établissements, académies et régions" });
}

std::vector<http::Route> routes()
{
    using http::Method;
    auto const* structure = capability::ADMINISTER_STRUCTURE;
    auto const* platform = capability::ADMINISTER_PLATFORM;
    return {
        { Method::Get, "/admin/depot", capability::DEPOSIT_IMPORT_FILES, show_import_inbox },
        { Method::Post, "/admin/depot", capability::DEPOSIT_IMPORT_FILES, deposit_import_files },
        { Method::Get, "/admin/depot/{file}", capability::DEPOSIT_IMPORT_FILES, download_import_file },
        { Method::Get, "/admin", structure, show_console },
        { Method::Get, "/admin/journal", structure, show_journal },
        { Method::Get, "/admin/personnes", structure, show_people },
        { Method::Get, "/admin/personnes/nouvelle", structure, show_local_account_form },
        { Method::Post, "/admin/personnes", structure, create_local_account },
        { Method::Get, "/admin/personnes/{id}", structure, show_person },
        { Method::Post, "/admin/personnes/{id}/desactiver", structure, deactivate_person },
        { Method::Post, "/admin/personnes/{id}/reactiver", structure, reactivate_person },
        { Method::Post, "/admin/personnes/{id}/code", structure, reset_activation },
        { Method::Post, "/admin/personnes/{id}/opposition", structure, record_objection },
        { Method::Get, "/admin/classes", structure, show_classes },
        { Method::Post, "/admin/classes", structure, create_group },
        { Method::Get, "/admin/classes/{id}", structure, show_class },
        { Method::Post, "/admin/classes/{id}/eleves", structure, add_class_member },
        { Method::Post, "/admin/classes/{id}/eleves/retirer", structure, remove_class_member },
        { Method::Post, "/admin/classes/{id}/enseignants", structure, add_class_teacher },
        { Method::Post, "/admin/classes/{id}/enseignants/retirer", structure, remove_class_teacher },
        { Method::Get, "/admin/communication", structure, show_communication },
        { Method::Post, "/admin/communication", structure, save_communication },
        { Method::Get, "/admin/quotas", structure, show_quotas },
        { Method::Post, "/admin/quotas", structure, save_quotas },
        { Method::Get, "/admin/messagerie", structure, show_messaging },
        { Method::Post, "/admin/messagerie", structure, save_messaging },
        { Method::Get, "/admin/plateforme/etablissements", platform, show_structures },
        { Method::Post, "/admin/plateforme/etablissements", platform, save_structure },
        { Method::Get, "/admin/plateforme/etablissements/nouveau", platform, show_structure_form },
        { Method::Get, "/admin/plateforme/etablissements/{id}", platform, show_structure_form },
        { Method::Post, "/admin/plateforme/etablissements/{id}", platform, save_structure },
        { Method::Get, "/admin/plateforme/academies", platform, show_academies },
        { Method::Post, "/admin/plateforme/academies", platform, save_academy },
    };
}

} // namespace cartable::admin
