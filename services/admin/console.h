// SPDX-License-Identifier: AGPL-3.0-or-later
// What the console's pages share.
#pragma once

#include "core/context.h"
#include "core/error.h"
#include "core/http/message.h"
#include "core/identity/identity.h"
#include "core/view/mustache.h"
#include <string>

namespace cartable::admin {

namespace capability {
inline constexpr char const* ADMINISTER_STRUCTURE = "admin.administer_structure";
inline constexpr char const* ADMINISTER_PLATFORM = "admin.administer_platform";
} // namespace capability

// The structure a page works on: the administrator's own; an administrator
// of the platform names another with `uai` (query or form).
ErrorOr<identity::Structure> administered_structure(Context&);
// « ?uai=0300027A » for the links of a page about another structure than the
// administrator's own (empty otherwise).
std::string structure_query(Context&, identity::Structure const&, char separator = '?');
// Common data of the console's pages: the structure, its query, and for
// administrators of the platform the choice of another structure.
view::Data console_data(Context&, identity::Structure const&);
// The French label of an audited action (empty: not an administrator's).
std::string action_label(std::string const& action);

ErrorOr<http::Response> show_console(Context&);
ErrorOr<http::Response> show_journal(Context&);

ErrorOr<http::Response> show_people(Context&);
ErrorOr<http::Response> show_person(Context&);
ErrorOr<http::Response> show_local_account_form(Context&);
ErrorOr<http::Response> create_local_account(Context&);
ErrorOr<http::Response> deactivate_person(Context&);
ErrorOr<http::Response> reactivate_person(Context&);
ErrorOr<http::Response> reset_activation(Context&);
ErrorOr<http::Response> record_objection(Context&);

ErrorOr<http::Response> show_classes(Context&);
ErrorOr<http::Response> show_class(Context&);
ErrorOr<http::Response> create_group(Context&);
ErrorOr<http::Response> add_class_member(Context&);
ErrorOr<http::Response> remove_class_member(Context&);
ErrorOr<http::Response> add_class_teacher(Context&);
ErrorOr<http::Response> remove_class_teacher(Context&);

ErrorOr<http::Response> show_communication(Context&);
ErrorOr<http::Response> save_communication(Context&);
ErrorOr<http::Response> show_quotas(Context&);
ErrorOr<http::Response> save_quotas(Context&);
ErrorOr<http::Response> show_messaging(Context&);
ErrorOr<http::Response> save_messaging(Context&);

ErrorOr<http::Response> show_structures(Context&);
ErrorOr<http::Response> show_structure_form(Context&);
ErrorOr<http::Response> save_structure(Context&);
ErrorOr<http::Response> show_academies(Context&);
ErrorOr<http::Response> save_academy(Context&);

} // namespace cartable::admin
