// SPDX-License-Identifier: AGPL-3.0-or-later
// The places people publish in and who may publish where.
#include "core/view/frame.h"
#include "services/publishing/publishing_scopes.h"
#include <algorithm>

namespace cartable::publishing {

namespace {

struct ScopeNames {
    Scope scope;
    char const* code; // in the database
    char const* slug; // in URLs and forms
};

constexpr ScopeNames SCOPE_NAMES[] = {
    { Scope::Platform, "platform", "plateforme" },
    { Scope::Region, "region", "region" },
    { Scope::Academy, "academy", "academie" },
    { Scope::Structure, "structure", "etablissement" },
};

Place grant_place(Grant const& grant)
{
    return { grant.scope, grant.scope_key, 0, place_label(grant.scope, grant.scope_key, {}), {} };
}

std::vector<Grant> grant_rows(soci::details::prepare_temp_type& prepared)
{
    Grant row;
    std::string scope;
    prepared, soci::into(row.id), soci::into(row.user_id), soci::into(row.login), soci::into(row.person_name),
        soci::into(scope), soci::into(row.scope_key), soci::into(row.granted_at);
    soci::statement statement(prepared);
    std::vector<Grant> result;
    if (statement.execute(true)) {
        do {
            row.scope = scope_from_code(scope);
            result.push_back(row);
        } while (statement.fetch());
    }
    return result;
}

#define GRANT_SELECT                                                                                                   \
    "SELECT g.id, g.user_id, u.login, u.first_name || ' ' || u.last_name, g.scope, g.scope_key, g.granted_at "         \
    "FROM publishing_grant g JOIN identity_user u ON u.id = g.user_id "

} // namespace

std::string scope_code(Scope scope)
{
    for (auto const& names : SCOPE_NAMES) {
        if (names.scope == scope)
            return names.code;
    }
    return "platform";
}

Scope scope_from_code(std::string const& code)
{
    for (auto const& names : SCOPE_NAMES) {
        if (code == names.code)
            return names.scope;
    }
    return Scope::Platform;
}

std::string scope_slug(Scope scope)
{
    for (auto const& names : SCOPE_NAMES) {
        if (names.scope == scope)
            return names.slug;
    }
    return "plateforme";
}

std::optional<Scope> scope_from_slug(std::string const& slug)
{
    for (auto const& names : SCOPE_NAMES) {
        if (slug == names.slug)
            return names.scope;
    }
    return std::nullopt;
}

std::string place_label(Scope scope, std::string const& key, std::string const& structure_name)
{
    switch (scope) {
    case Scope::Structure:
        return structure_name.empty() ? key : view::upper(structure_name);
    case Scope::Academy:
        return "Académie de " + key;
    case Scope::Region:
        return "Région " + key;
    case Scope::Platform:
        return "Site inter-établissements";
    }
    return key;
}

std::string default_author(Place const& place)
{
    switch (place.scope) {
    case Scope::Platform:
        return "L'équipe support produit";
    case Scope::Region:
        // The région's full name, as it signs its messages.
        return place.key == "Occitanie" ? "Région Occitanie / Pyrénées - Méditerranée" : "Région " + place.key;
    case Scope::Academy:
        return "Académie de " + place.key;
    case Scope::Structure:
        return place.structure_name;
    }
    return {};
}

void grant_publishing(soci::session& session, long long user_id, Scope scope, std::string const& scope_key,
    std::optional<long long> granted_by, long long now)
{
    auto code = scope_code(scope);
    long long existing = 0;
    session << "SELECT COUNT(*) FROM publishing_grant WHERE user_id = :user AND scope = :scope AND scope_key = :key",
        soci::use(user_id), soci::use(code), soci::use(scope_key), soci::into(existing);
    if (existing > 0)
        return;
    long long by = granted_by.value_or(0);
    auto by_null = granted_by ? soci::i_ok : soci::i_null;
    session << "INSERT INTO publishing_grant (user_id, scope, scope_key, granted_by, granted_at) VALUES (:user, "
               ":scope, :key, :by, :at)",
        soci::use(user_id), soci::use(code), soci::use(scope_key), soci::use(by, by_null), soci::use(now);
}

std::vector<Grant> grants_of(soci::session& session, long long user_id)
{
    auto prepared = (session.prepare << GRANT_SELECT "WHERE g.user_id = :user ORDER BY g.scope, g.scope_key");
    prepared, soci::use(user_id);
    return grant_rows(prepared);
}

std::vector<Grant> all_grants(soci::session& session)
{
    auto prepared = (session.prepare << GRANT_SELECT "ORDER BY g.scope, g.scope_key, u.login");
    return grant_rows(prepared);
}

void revoke_grant(soci::session& session, long long grant_id)
{
    session << "DELETE FROM publishing_grant WHERE id = :id", soci::use(grant_id);
}

ErrorOr<std::vector<Place>> places_of(Context& context)
{
    std::vector<Place> places;
    auto const& user = context.user();
    if (context.services.capabilities.allows(PUBLISH_STRUCTURE, user.profile, user.platform_admin)) {
        if (auto structure = context.services.structure(user.structure_id, context.now))
            places.push_back({ Scope::Structure, structure->uai, structure->id,
                place_label(Scope::Structure, structure->uai, structure->name), structure->name });
    }
    auto grants = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::vector<Grant>> { return grants_of(session, user.id); }));
    for (auto const& grant : grants)
        places.push_back(grant_place(grant));
    // The platform's administrators speak for the platform without a grant.
    bool platform_granted
        = std::any_of(places.begin(), places.end(), [](Place const& place) { return place.scope == Scope::Platform; });
    if (user.platform_admin && !platform_granted)
        places.push_back({ Scope::Platform, {}, 0, place_label(Scope::Platform, {}, {}), {} });
    return places;
}

ErrorOr<Place> place_for_object(Context& context, Scope scope, std::string const& key, long long structure_id)
{
    for (auto& place : TRY(places_of(context))) {
        // A structure's news and dates carry its id, its announcements its UAI.
        bool same = place.scope == scope
            && (scope == Scope::Structure && structure_id != 0 ? place.structure_id == structure_id : place.key == key);
        if (same)
            return place;
    }
    return Error::forbidden("Vous n'avez pas le droit de publier à cet endroit.",
        "publishing refused at " + scope_code(scope) + " " + key + " " + std::to_string(structure_id));
}

ErrorOr<Place> place_from_form(Context& context, std::string const& slug, std::string const& key)
{
    auto scope = scope_from_slug(slug);
    if (!scope)
        return Error::not_found();
    for (auto& place : TRY(places_of(context))) {
        if (place.scope == *scope && place.key == key)
            return place;
    }
    return Error::forbidden(
        "Vous n'avez pas le droit de publier à cet endroit.", "publishing refused at " + slug + " " + key);
}

bool is_member_of(Context& context, Scope scope, std::string const& key, long long structure_id)
{
    if (!context.signed_in())
        return false;
    auto const& user = context.user();
    if (scope == Scope::Platform)
        return true;
    if (scope == Scope::Structure)
        return user.structure_id == structure_id;
    auto structure = context.services.structure(user.structure_id, context.now);
    if (!structure)
        return false;
    return !key.empty() && (scope == Scope::Academy ? structure->academy : structure->region) == key;
}

void forget_cached_pages(Context& context)
{
    context.services.public_pages.forget_all();
    context.services.shared_results.forget_all();
}

} // namespace cartable::publishing
