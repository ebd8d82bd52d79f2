// SPDX-License-Identifier: AGPL-3.0-or-later
// « Espace des classes »: the space of each class and group, who is what in
// it, and its page. (The blog, agenda, forum, chat and shared folders of a
// space come with the class-spaces issue.)
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include "core/identity/identity.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace cartable {
struct Services;
}

namespace cartable::class_space {

struct Space {
    long long id { 0 };
    long long structure_id { 0 };
    long long class_id { 0 }; // 0: a free space
    std::string name; // « TPRO »
    std::string kind; // class, group
    bool visitors_allowed { false };
    bool comments_allowed { true };
    long long archived_at { 0 };
    long long owner_id { 0 }; // who made a free space
    std::string description;
};

// What a person is in a space. Manager: the class's teachers, and the
// structure's staff and administrators; contributor: its students; visitor:
// the guardians of its students, when a manager lets visitors in.
enum class Role { None, Visitor, Contributor, Manager };

struct Membership {
    bool teaches { false }; // the person teaches the class
    bool member { false }; // the person is a student of the class
    bool guardian_of_member { false }; // a child of theirs is
    // The role a manager gave the person by inviting them (a free space's
    // members, or someone added to a class's space).
    Role invited { Role::None };
};

// The policy, from the facts: a table in the tests.
Role role_of(identity::User const& person, Space const& space, Membership const& facts);
std::string_view role_label(Role);
bool may_read(Role role);
bool may_post(Role role); // write, comment, upload, chat
bool may_manage(Role role); // moderate, settings

// Makes the missing spaces of the directory's classes and groups; returns
// how many were made.
long long ensure_spaces(soci::session&, long long now);
std::optional<Space> space_of_class(soci::session&, long long class_id);
std::optional<Space> space_by_id(soci::session&, long long space_id);
// The spaces a person has a role in, by name: the menu's « ESPACE DES
// CLASSES », the Accueil's blocks.
std::vector<Space> spaces_of(soci::session&, identity::User const& person);
// The person's facts about the class of a space.
Membership membership(soci::session&, identity::User const& person, Space const& space);

// The demo school's blog of « Classe TPRO »: an article by Samuel BEAUMONT,
// a category and a comment by Louis CHAMSON; TPRO and T STMG let parents in.
void add_demo_blog(soci::session&, long long now);

// The demo's chat of TPRO: a few messages between Samuel BEAUMONT and his
// students (after ensure_spaces).
void add_demo_chat(soci::session&, long long now);

// The forum's newest posts in these spaces, newest first: the Accueil's
// « Blogs & Forums » block (the caller passes the spaces the person reads).
struct ForumItem {
    long long space_id { 0 };
    long long topic_id { 0 };
    long long post_id { 0 };
    std::string topic_title;
    std::string author_name;
    long long posted_at { 0 };
    std::string url; // "/espaces/12/forum/messages/40"
};
std::vector<ForumItem> latest_forum_posts(soci::session&, std::vector<long long> const& space_ids, int limit);
// The demo school's TPRO forum (categories, topics, replies).
void add_demo_forum(soci::session&, long long now);

// The demo school's « Stage en entreprise » folder in TPRO (once).
ErrorOr<void> add_demo_folders(soci::session&, Services const& services, long long now);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
// The agenda's subscription links (a public capability: the link's token is
// the credential); called by declare_capabilities.
ErrorOr<void> declare_agenda_capabilities(access::CapabilityRegistry&);
// The demo school's TPRO events (conseil de classe, sortie, AP).
void add_demo_agenda(soci::session&, long long now);
std::vector<http::Route> routes();
ErrorOr<void> start(Services&);

} // namespace cartable::class_space
