// SPDX-License-Identifier: AGPL-3.0-or-later
// What the publishing service offers other services (the Accueil's
// « Actualités » and « Annonces » blocks read through it).
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include "core/view/mustache.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace cartable {
struct Services;
}

namespace cartable::publishing {

// Who publishes, and so whom it reaches: the platform (« Site
// inter-établissements »), a région, an académie or a structure.
enum class Scope { Platform, Region, Academy, Structure };

struct NewsItem {
    long long id { 0 };
    long long structure_id { 0 }; // structure scope only (0 otherwise)
    std::string title;
    std::string summary;
    std::string body; // Markdown
    bool is_public { false };
    long long published_at { 0 };
    Scope scope { Scope::Structure };
    std::string scope_key; // the académie's or région's name; empty for a structure or the platform
    std::string author; // « Claire ESTÈVE », « Région Occitanie / Pyrénées - Méditerranée »
    long long author_id { 0 };
    std::string image_name; // under <data>/publishing/images; empty: no image
    std::string image_type; // image/jpeg, image/png, image/webp
    long long updated_at { 0 };
};

struct Event {
    long long id { 0 };
    long long structure_id { 0 }; // structure scope only (0 otherwise)
    std::string title;
    std::string place;
    long long starts_at { 0 };
    long long ends_at { 0 };
    bool is_public { true };
    Scope scope { Scope::Structure };
    std::string scope_key;
};

enum class Audience { Public, Members };

struct Announcement {
    long long id { 0 };
    Scope scope { Scope::Platform };
    std::string scope_key; // the région's or académie's name, the structure's UAI
    std::string author; // « L'équipe support produit », « Région Occitanie / Pyrénées - Méditerranée »
    std::string title;
    std::string body;
    std::string link_url; // « En savoir plus »
    std::vector<access::Profile> profiles; // empty: everyone
    long long starts_at { 0 };
    long long ends_at { 0 };
};

// Where a member of a structure belongs: what reaches them comes from these.
struct Reach {
    long long structure_id { 0 };
    std::string academy;
    std::string region;
};

// The announcements shown now to a person of that profile in that structure.
std::vector<Announcement> announcements_for(soci::session&, std::string const& uai, std::string const& academy,
    std::string const& region, access::Profile profile, long long now, int limit);
long long add_announcement(soci::session&, Announcement const&, long long now);
// The announcements as the templates show them (author, title, body, date,
// and « En savoir plus » only for a web address: never a javascript: link).
view::List announcements_view(std::vector<Announcement> const&);
// The announcements of one académie or région (scope_key), in their period.
std::vector<Announcement> announcements_of_scope(
    soci::session&, Scope scope, std::string const& scope_key, long long now, int limit);

// A structure's own news (structure scope).
std::vector<NewsItem> latest_news(soci::session&, long long structure_id, Audience audience, int limit);
// The news that reach a member (Accueil): members' and public news of their
// structure, its académie, its région and the platform, published by now,
// newest first.
std::vector<NewsItem> news_reaching(soci::session&, Reach const& reach, long long now, int limit);
// Where a member reads that news item (its portal's page).
std::string news_url(NewsItem const& news, std::string const& structure_uai);
std::optional<NewsItem> find_news(soci::session&, long long news_id);
std::vector<Event> upcoming_events(soci::session&, long long structure_id, long long from, int limit);
long long add_news(soci::session&, NewsItem const&);
long long add_event(soci::session&, Event const&);

// Lets that person publish for an académie, a région or the platform.
void grant_publishing(soci::session&, long long user_id, Scope scope, std::string const& scope_key,
    std::optional<long long> granted_by, long long now);

// The demonstration's publications above the structure: Claire ESTÈVE
// (publisher_id) may publish for its académie, its région and the platform,
// and each has news and agenda dates.
void add_demo_publications(soci::session&, long long structure_id, long long publisher_id, long long now);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
// Registers what publishing exports for « Mes données ».
ErrorOr<void> start(Services&);

} // namespace cartable::publishing
