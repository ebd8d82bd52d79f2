// SPDX-License-Identifier: AGPL-3.0-or-later
// Inside the publishing service: the places people publish in, who may
// publish where, and the store functions behind the « PUBLICATION » pages.
#pragma once

#include "core/context.h"
#include "core/identity/identity.h"
#include "services/publishing/publishing.h"
#include <optional>
#include <string>
#include <vector>

namespace cartable::publishing {

inline constexpr char const* READ_PUBLIC = "publishing.read_public";
inline constexpr char const* READ_PORTALS = "publishing.read_portals";
// Structure scope: its Admin and Staff profiles publish for their structure.
inline constexpr char const* PUBLISH_STRUCTURE = "publishing.publish_structure";
// Any signed-in person reaches the pages; what they may write is checked
// against their structure right and their grants (académie, région, platform).
inline constexpr char const* PUBLISH = "publishing.publish";
inline constexpr char const* GRANT = "publishing.grant";

// One place people publish in: a structure, an académie, a région, the platform.
struct Place {
    Scope scope { Scope::Structure };
    std::string key; // the académie's or région's name; the UAI for a structure; empty for the platform
    long long structure_id { 0 }; // structure scope only
    std::string label; // « CITE SCOLAIRE ANDRE CHAMSON », « Académie de Montpellier », …
    std::string structure_name; // structure scope: for the default author

    bool operator==(Place const& other) const
    {
        return scope == other.scope && key == other.key && structure_id == other.structure_id;
    }
};

std::string scope_code(Scope scope); // "platform", "region", "academy", "structure"
Scope scope_from_code(std::string const& code);
// In URLs and forms: « etablissement », « academie », « region », « plateforme ».
std::string scope_slug(Scope scope);
std::optional<Scope> scope_from_slug(std::string const& slug);
std::string place_label(Scope scope, std::string const& key, std::string const& structure_name);
// The author an announcement of that place carries by default.
std::string default_author(Place const& place);

struct Grant {
    long long id { 0 };
    long long user_id { 0 };
    std::string login;
    std::string person_name;
    Scope scope { Scope::Platform };
    std::string scope_key;
    long long granted_at { 0 };
};

std::vector<Grant> grants_of(soci::session&, long long user_id);
std::vector<Grant> all_grants(soci::session&);
void revoke_grant(soci::session&, long long grant_id);

// The places this person may publish in: their structure (by the structure
// capability), then their grants. Checked again on every write.
ErrorOr<std::vector<Place>> places_of(Context& context);
// The place of a stored object, if the person may publish there.
ErrorOr<Place> place_for_object(Context& context, Scope scope, std::string const& key, long long structure_id);
// The place a form names (portee, cle), if the person may publish there.
ErrorOr<Place> place_from_form(Context& context, std::string const& slug, std::string const& key);
// Whether the signed-in person is a member of that place (reads its members' news).
bool is_member_of(Context& context, Scope scope, std::string const& key, long long structure_id);
// After a write: the visitor's portal and the Accueil blocks are read again.
void forget_cached_pages(Context& context);

// The news, agenda dates and announcements of one place, for its pages.
std::vector<NewsItem> news_of_place(
    soci::session&, Scope scope, std::string const& key, long long structure_id, bool with_future, long long now);
std::vector<Event> events_of_place(
    soci::session&, Scope scope, std::string const& key, long long structure_id, long long from, int limit);
std::vector<Announcement> all_announcements_of(soci::session&, Scope scope, std::string const& key);
std::optional<Event> find_event(soci::session&, long long event_id);
std::optional<Announcement> find_announcement(soci::session&, long long announcement_id);
void update_news(soci::session&, NewsItem const&);
void delete_news(soci::session&, long long news_id);
void update_event(soci::session&, Event const&);
void delete_event(soci::session&, long long event_id);
void update_announcement(soci::session&, Announcement const&);
void delete_announcement(soci::session&, long long announcement_id);

// Markdown of a news text as safe HTML: raw HTML refused (md4c
// MD_FLAG_NOHTML), and links or images only to http(s), mailto or this site.
std::string render_news_markdown(std::string_view markdown);

// « il y a 3 jours » and the rest of a news item as the templates show it.
view::Data news_entry(NewsItem const& news, std::string const& url, long long now);
view::List events_view(std::vector<Event> const& events);

} // namespace cartable::publishing
