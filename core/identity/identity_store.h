// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/error.h"
#include "core/identity/identity.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace cartable::identity {

// SQL of the identity tables. Every function takes the session of the
// caller's transaction or lease, so that a change spanning several tables
// is one transaction.
namespace store {

long long create_structure(soci::session&, Structure const&);
std::optional<Structure> find_structure(soci::session&, long long id);
std::optional<Structure> find_structure_by_uai(soci::session&, std::string const& uai);
std::vector<Structure> list_structures(soci::session&);

long long create_user(soci::session&, User const&, std::string const& password_hash);
std::optional<User> find_user(soci::session&, long long id);
// The accounts of these ids that exist, in no particular order (a few
// queries however many: a message to a whole school checks 2,000 people).
std::vector<User> find_users(soci::session&, std::vector<long long> const& ids);
// Also the password hash, for sign-in only.
std::optional<std::pair<User, std::string>> find_user_for_sign_in(soci::session&, std::string const& login);
std::vector<User> list_users(soci::session&);
void set_password_hash(soci::session&, long long user_id, std::string const& hash);

long long create_class(soci::session&, SchoolClass const&);
void add_class_member(soci::session&, long long class_id, long long user_id);
void link_guardian(soci::session&, long long guardian_id, long long student_id, std::string const& relationship);
long long create_subject(soci::session&, long long structure_id, std::string const& code, std::string const& label);
void add_teaching(soci::session&, long long teacher_id, long long class_id, long long subject_id);

std::vector<User> children_of(soci::session&, long long guardian_id);
// The active accounts of a student's guardians (legal or not), by id: those
// told of what concerns the child.
std::vector<long long> active_guardians_of(soci::session&, long long student_id);
// The classes and groups whose space the person reaches: a student's own, a
// teacher's taught ones, a guardian's children's, staff's whole structure.
std::vector<SchoolClass> classes_of(soci::session&, User const&);

// The directory's contact details of a person (empty ones if none).
Contact find_contact(soci::session&, long long user_id);
void save_contact(soci::session&, long long user_id, Contact const&);
void set_unlisted(soci::session&, long long user_id, bool unlisted);

// Accounts one person holds, linked by proving each one's credentials.
void link_accounts(soci::session&, long long one, long long other, long long now);
bool unlink_accounts(soci::session&, long long one, long long other);
std::vector<User> linked_accounts(soci::session&, long long user_id);
bool accounts_linked(soci::session&, long long one, long long other);

// Whether anything not loaded by `cartable demo` is in the directory.
bool holds_non_demo_data(soci::session&);
bool is_empty(soci::session&);

void audit(soci::session&, std::optional<long long> actor_id, std::string const& action, std::string const& detail);
// An action on a structure other than the actor's (an administrator of the
// platform at work on a structure): its journal shows it.
void audit_in(
    soci::session&, long long actor_id, long long structure_id, std::string const& action, std::string const& detail);

} // namespace store
} // namespace cartable::identity
