// SPDX-License-Identifier: AGPL-3.0-or-later
// The console's home (« Administration ») and the journal of administrators'
// actions.
#include "services/admin/console.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/view/frame.h"
#include <map>

namespace cartable::admin {

ErrorOr<identity::Structure> administered_structure(Context& context)
{
    auto const& user = context.user();
    auto asked = context.request.query.get("uai");
    if (asked.empty())
        asked = context.request.form.get("uai");
    auto structure
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<identity::Structure>> {
              if (asked.empty())
                  return identity::store::find_structure(session, user.structure_id);
              return identity::store::find_structure_by_uai(session, asked);
          }));
    if (!structure)
        return Error::not_found("Aucun établissement n'a cet UAI.");
    if (structure->id != user.structure_id && !user.platform_admin)
        return Error::forbidden("error.forbidden", "administration of another structure refused");
    return *structure;
}

std::string structure_query(Context& context, identity::Structure const& structure, char separator)
{
    if (structure.id == context.user().structure_id)
        return {};
    return std::string(1, separator) + "uai=" + http::percent_encode(structure.uai);
}

view::Data console_data(Context& context, identity::Structure const& structure)
{
    view::Data data;
    data.set("structure_name", structure.name);
    data.set("structure_uai", structure.uai);
    data.set("query", structure_query(context, structure));
    data.set("other_structure", structure.id != context.user().structure_id);
    data.set("platform_admin", context.user().platform_admin);
    return data;
}

std::string action_label(std::string const& action)
{
    static std::map<std::string, std::string> const LABELS {
        { "user_added", "Compte créé" },
        { "user_deactivated", "Compte désactivé" },
        { "user_reactivated", "Compte réactivé" },
        { "activation_code_reset", "Code d'activation renouvelé" },
        { "activation_codes_issued", "Lettres d'activation imprimées" },
        { "contributions_objection", "Opposition à la conservation des contributions enregistrée" },
        { "class_member_added", "Membre ajouté à une classe ou un groupe" },
        { "class_member_removed", "Membre retiré d'une classe ou d'un groupe" },
        { "class_teacher_added", "Enseignant ajouté à une classe ou un groupe" },
        { "class_teacher_removed", "Enseignant retiré d'une classe ou d'un groupe" },
        { "group_created", "Groupe créé" },
        { "communication_rules_changed", "Règles de communication modifiées" },
        { "quotas_changed", "Quotas d'espace modifiés" },
        { "structure_created", "Établissement créé" },
        { "structure_changed", "Établissement modifié" },
        { "academy_saved", "Académie enregistrée" },
        { "charter_published", "Charte publiée" },
        { "import_file_deposited", "Fichier d'import déposé" },
        { "import_started", "Import de l'annuaire lancé" },
        { "publishing_granted", "Droit de publication donné" },
        { "publishing_revoked", "Droit de publication retiré" },
        { "announcement_published", "Annonce publiée" },
        { "announcement_changed", "Annonce modifiée" },
        { "announcement_removed", "Annonce supprimée" },
        { "personal_data_deleted", "Données personnelles supprimées (départ)" },
        { "mail_retried", "Envoi de courriel relancé" },
        { "class_space_settings", "Paramètres d'un espace de classe modifiés" },
        { "recipient_caps_changed", "Plafonds de destinataires de la messagerie modifiés" },
        { "mail_held_approved", "Message en attente validé et envoyé" },
        { "mail_held_refused", "Message en attente refusé" },
        { "mail_suspended", "Messagerie suspendue" },
        { "mail_suspension_lifted", "Messagerie rétablie" },
        { "mail_recalled", "Message rappelé" },
        { "mail_reported", "Message signalé" },
        { "mail_reports_closed", "Signalements classés" },
    };
    auto found = LABELS.find(action);
    return found == LABELS.end() ? std::string() : found->second;
}

ErrorOr<http::Response> show_console(Context& context)
{
    auto structure = TRY(administered_structure(context));
    auto data = console_data(context, structure);
    struct Figures {
        long long active { 0 };
        long long inactive { 0 };
        long long classes { 0 };
        long long groups { 0 };
    };
    auto figures = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Figures> {
        Figures result;
        session << "SELECT COALESCE(SUM(CASE WHEN active = 1 THEN 1 ELSE 0 END), 0), "
                   "COALESCE(SUM(CASE WHEN active = 1 THEN 0 ELSE 1 END), 0) FROM identity_user "
                   "WHERE structure_id = :structure",
            soci::use(structure.id), soci::into(result.active), soci::into(result.inactive);
        session << "SELECT COALESCE(SUM(CASE WHEN kind = 'class' THEN 1 ELSE 0 END), 0), "
                   "COALESCE(SUM(CASE WHEN kind = 'class' THEN 0 ELSE 1 END), 0) FROM identity_class "
                   "WHERE structure_id = :structure",
            soci::use(structure.id), soci::into(result.classes), soci::into(result.groups);
        return result;
    }));
    data.set("active", std::to_string(figures.active));
    data.set("inactive", std::to_string(figures.inactive));
    data.set("classes", std::to_string(figures.classes));
    data.set("groups", std::to_string(figures.groups));
    if (context.user().platform_admin) {
        auto structures
            = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<identity::Structure>> {
                  return identity::store::list_structures(session);
              }));
        view::List options;
        for (auto const& entry : structures) {
            view::Data option;
            option.set("uai", entry.uai);
            option.set("label", entry.name + " (" + entry.uai + ")");
            option.set("selected", entry.id == structure.id);
            options.push_back(std::move(option));
        }
        data.set("structures", std::move(options));
    }
    return view::render(context, "admin/console", std::move(data), "Administration");
}

ErrorOr<http::Response> show_journal(Context& context)
{
    auto structure = TRY(administered_structure(context));
    struct Entry {
        long long at { 0 };
        std::string actor;
        std::string action;
        std::string detail;
    };
    auto entries = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Entry>> {
        std::vector<Entry> result;
        Entry row;
        std::string first;
        std::string last;
        soci::indicator first_found = soci::i_null;
        soci::indicator last_found = soci::i_null;
        soci::statement statement = (session.prepare
                << "SELECT a.at, u.first_name, u.last_name, a.action, a.detail FROM identity_audit a LEFT JOIN "
                   "identity_user u ON u.id = a.actor_id WHERE a.structure_id = :structure ORDER BY a.at DESC, "
                   "a.id DESC LIMIT 2000",
            soci::use(structure.id), soci::into(row.at), soci::into(first, first_found), soci::into(last, last_found),
            soci::into(row.action), soci::into(row.detail));
        statement.execute();
        while (statement.fetch() && result.size() < 300) {
            if (action_label(row.action).empty())
                continue;
            row.actor = first_found == soci::i_ok
                ? std::string(first).append(" ").append(last_found == soci::i_ok ? last : std::string())
                : std::string("Système");
            result.push_back(row);
        }
        return result;
    }));
    auto data = console_data(context, structure);
    view::List list;
    for (auto const& entry : entries) {
        view::Data item;
        item.set("date", i18n::format_long_datetime(static_cast<std::time_t>(entry.at)));
        item.set("actor", entry.actor);
        item.set("action", action_label(entry.action));
        item.set("detail", entry.detail);
        list.push_back(std::move(item));
    }
    data.set("entries", std::move(list));
    return view::render(context, "admin/journal", std::move(data), "Journal des actions d'administration");
}

} // namespace cartable::admin
