// SPDX-License-Identifier: AGPL-3.0-or-later
// « Droits de publication »: the deployment's administrators let a person
// publish for an académie, a région or the platform, and take it back.
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/view/frame.h"
#include "services/publishing/publication_handlers.h"
#include "services/publishing/publishing_forms.h"
#include "services/publishing/publishing_scopes.h"
#include <set>

namespace cartable::publishing {

namespace {

struct Choice {
    Scope scope;
    std::string key;
    std::string value; // « academie:Montpellier »
    std::string label;
};

// The académies and régions of the deployment's structures, and the platform.
std::vector<Choice> choices(std::vector<identity::Structure> const& structures)
{
    std::set<std::string> academies;
    std::set<std::string> regions;
    for (auto const& structure : structures) {
        if (!structure.academy.empty())
            academies.insert(structure.academy);
        if (!structure.region.empty())
            regions.insert(structure.region);
    }
    std::vector<Choice> result;
    result.reserve(academies.size() + regions.size() + 1);
    for (auto const& academy : academies)
        result.push_back({ Scope::Academy, academy, "academie:" + academy, place_label(Scope::Academy, academy, {}) });
    for (auto const& region : regions)
        result.push_back({ Scope::Region, region, "region:" + region, place_label(Scope::Region, region, {}) });
    result.push_back({ Scope::Platform, {}, "plateforme:", place_label(Scope::Platform, {}, {}) });
    return result;
}

struct GrantsContent {
    std::vector<Grant> grants;
    std::vector<identity::Structure> structures;
};

ErrorOr<GrantsContent> read_grants(Context& context)
{
    return context.database().read([](soci::session& session) -> ErrorOr<GrantsContent> {
        return GrantsContent { all_grants(session), identity::store::list_structures(session) };
    });
}

http::Response grants_page(Context& context, GrantsContent const& content, std::string const& login,
    std::string const& chosen, FieldErrors const& errors, std::string const& message)
{
    view::Data data;
    view::List grants;
    for (auto const& grant : content.grants) {
        view::Data entry;
        entry.set("person", grant.person_name);
        entry.set("login", grant.login);
        entry.set("place", place_label(grant.scope, grant.scope_key, {}));
        entry.set("date", i18n::format_long_date(grant.granted_at));
        entry.set("revoke_url", "/publication/droits/" + std::to_string(grant.id) + "/retirer");
        grants.push_back(std::move(entry));
    }
    data.set("grants", std::move(grants));
    view::List options;
    for (auto const& choice : choices(content.structures)) {
        view::Data entry;
        entry.set("value", choice.value);
        entry.set("label", choice.label);
        entry.set("selected", choice.value == chosen);
        options.push_back(std::move(entry));
    }
    data.set("choices", std::move(options));
    data.set("login", login);
    if (!message.empty())
        data.set("message", message);
    errors.put_into(data);
    return view::render(context, "publishing/grants", std::move(data), "Droits de publication", view::MenuEntry::None,
        errors.empty() ? 200 : 400);
}

} // namespace

ErrorOr<http::Response> show_grants(Context& context)
{
    auto content = TRY(read_grants(context));
    std::string message;
    if (context.request.query.get("fait") == "ajoute")
        message = "Le droit de publication est accordé.";
    else if (context.request.query.get("fait") == "retire")
        message = "Le droit de publication est retiré.";
    return grants_page(context, content, {}, {}, {}, message);
}

ErrorOr<http::Response> add_grant(Context& context)
{
    auto login = trimmed(context.request.form.get("identifiant"));
    auto chosen = context.request.form.get("portee");
    auto content = TRY(read_grants(context));
    FieldErrors errors;
    std::optional<Choice> choice;
    for (auto const& candidate : choices(content.structures)) {
        if (candidate.value == chosen)
            choice = candidate;
    }
    if (!choice)
        errors.add("portee", "Choisissez pour quel portail cette personne publie.");
    std::optional<long long> user_id;
    if (login.empty()) {
        errors.add("identifiant", "Indiquez l'identifiant de la personne.");
    } else {
        user_id = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<long long>> {
            auto found = identity::store::find_user_for_sign_in(session, login);
            if (!found)
                return std::optional<long long>();
            return std::optional<long long>(found->first.id);
        }));
        if (!user_id)
            errors.add("identifiant", "Aucun compte ne porte cet identifiant.");
    }
    if (!errors.empty())
        return grants_page(context, content, login, chosen, errors, {});
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        grant_publishing(session, *user_id, choice->scope, choice->key, context.user().id, context.now);
        identity::store::audit(session, context.user().id, "publishing_granted", login + " " + choice->value);
        return true;
    }));
    return http::Response::redirect("/publication/droits?fait=ajoute");
}

ErrorOr<http::Response> remove_grant(Context& context)
{
    auto id = parse_id(context.request.parameter("grant_id"));
    if (!id)
        return Error::not_found();
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        revoke_grant(session, *id);
        identity::store::audit(session, context.user().id, "publishing_revoked", std::to_string(*id));
        return true;
    }));
    return http::Response::redirect("/publication/droits?fait=retire");
}

} // namespace cartable::publishing
