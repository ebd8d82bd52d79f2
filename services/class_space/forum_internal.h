// SPDX-License-Identifier: AGPL-3.0-or-later
// The forum of a space: its rows and the queries of its pages. Every lookup
// takes the space's id, so an id from another space is never found.
#pragma once

#include "core/context.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <string_view>
#include <vector>

namespace cartable::class_space::forum {

inline constexpr long long PAGE_SIZE = 20;
inline constexpr long long EDIT_WINDOW = 30 * 60; // a contributor edits a post for 30 minutes
inline constexpr std::size_t MAX_NAME = 80;
inline constexpr std::size_t MAX_DESCRIPTION = 300;
inline constexpr std::size_t MAX_TITLE = 150;
inline constexpr std::size_t MAX_BODY = 20000; // characters of the post's HTML

struct Category {
    long long id { 0 };
    std::string name;
    std::string description;
    long long topic_count { 0 };
    long long unread_topics { 0 };
    long long last_post_at { 0 };
};

struct Topic {
    long long id { 0 };
    long long category_id { 0 };
    std::string title;
    std::string author_name;
    bool pinned { false };
    bool locked { false };
    long long created_at { 0 };
    long long post_count { 0 };
    long long last_post_id { 0 };
    long long last_post_at { 0 };
    long long read_up_to { -1 }; // -1: never opened by the person
    long long unread { 0 }; // posts after the last one read
    long long first_unread { 0 }; // the first of them, 0 if none
};

struct Post {
    long long id { 0 };
    long long topic_id { 0 };
    long long author_id { 0 };
    std::string author_name;
    std::string body; // sanitized HTML
    long long created_at { 0 };
    long long edited_at { 0 };
};

std::vector<Category> categories(soci::session&, long long space_id, long long reader_id);
std::optional<Category> category_in(soci::session&, long long space_id, long long category_id);
long long add_category(soci::session&, long long space_id, std::string const& name, std::string const& description,
    long long actor_id, long long now);

// A page of a category's topics, pinned first, then by the latest post.
std::vector<Topic> topics(
    soci::session&, long long category_id, long long reader_id, long long offset, long long limit);
std::optional<Topic> topic_in(soci::session&, long long space_id, long long topic_id);
// A topic and its first post; the author has read it.
long long add_topic(soci::session&, long long space_id, long long category_id, std::string const& title,
    long long author_id, std::string const& body, long long now);
void set_pinned(soci::session&, long long topic_id, bool pinned);
void set_locked(soci::session&, long long topic_id, bool locked);
void move_topic(soci::session&, long long topic_id, long long category_id);
void delete_topic(soci::session&, long long topic_id);
// A category, its topics and their posts.
void delete_category(soci::session&, long long category_id);

std::vector<Post> posts(soci::session&, long long topic_id, long long offset, long long limit);
std::optional<Post> post_in(soci::session&, long long space_id, long long post_id);
long long first_post_of(soci::session&, long long topic_id);
// The post's place in its topic, from 1.
long long position_of(soci::session&, long long topic_id, long long post_id);
// A reply; its author has read the topic up to it.
long long add_post(soci::session&, long long space_id, long long topic_id, long long author_id, std::string const& body,
    long long now);
void edit_post(soci::session&, long long post_id, std::string const& body, long long now);
void delete_post(soci::session&, long long topic_id, long long post_id);
// The person has read the topic up to that post (never backwards).
void mark_read(soci::session&, long long reader_id, long long topic_id, long long post_id);

// « Mes données »: the person's topics and posts (JSON).
std::string personal_data_json(soci::session&, long long person_id);
// A former member, three months after they left: their reading marks go;
// their posts stay signed « Ancien membre » (the directory renames them), or,
// when they objected to their keeping (`erase`), their replies go and their
// first posts say that they were withdrawn.
void forget_person(soci::session&, long long person_id, bool erase);
// Registers the two above with the services (called by class_space::start).
void add_hooks(Services&);

// A post's body as the form sends it: HTML from the editor (format=html),
// sanitized; or the textarea's text, where lines starting with « > » are a
// quotation.
std::string body_from_form(std::string_view format, std::string_view text);
// A post's body as the plain textarea shows it again: its text, each line
// of a quotation starting with « > » (so that editing keeps it).
std::string editable_text(std::string_view body);
// The quotation of a post that « Citer » puts in a reply: as HTML for the
// editor, as text for the plain textarea.
std::string quotation_html(Post const& post);
std::string quotation_text(Post const& post);

} // namespace cartable::class_space::forum
