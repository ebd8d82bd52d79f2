// SPDX-License-Identifier: AGPL-3.0-or-later
// What the publishing service offers other services (the Accueil's
// « Actualités » block reads the structure's news through it).
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include "core/view/mustache.h"
#include <soci/soci.h>
#include <string>
#include <vector>

namespace cartable::publishing {

struct NewsItem {
    long long id { 0 };
    long long structure_id { 0 };
    std::string title;
    std::string summary;
    std::string body;
    bool is_public { false };
    long long published_at { 0 };
};

struct Event {
    long long id { 0 };
    long long structure_id { 0 };
    std::string title;
    std::string place;
    long long starts_at { 0 };
    long long ends_at { 0 };
    bool is_public { true };
};

enum class Audience { Public, Members };

// Who publishes an announcement, and so whom it reaches.
enum class Scope { Platform, Region, Academy, Structure };

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

std::vector<NewsItem> latest_news(soci::session&, long long structure_id, Audience audience, int limit);
std::optional<NewsItem> find_news(soci::session&, long long news_id);
std::vector<Event> upcoming_events(soci::session&, long long structure_id, long long from, int limit);
long long add_news(soci::session&, NewsItem const&);
long long add_event(soci::session&, Event const&);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();

} // namespace cartable::publishing
