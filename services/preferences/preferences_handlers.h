// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include "core/error.h"
#include "core/http/message.h"

namespace cartable::preferences {

// First connection, step 2 (« 2 Contact et préférences »).
ErrorOr<http::Response> show_contact_step(Context&);
ErrorOr<http::Response> save_contact_step(Context&);
// « Résumé » and « Mes préférences ».
ErrorOr<http::Response> show_summary(Context&);
ErrorOr<http::Response> show_edit(Context&);
ErrorOr<http::Response> save_edit(Context&);
// « Rapprochement de comptes », and the switch of the top bar.
ErrorOr<http::Response> show_links(Context&);
ErrorOr<http::Response> link_account(Context&);
ErrorOr<http::Response> unlink_account(Context&);
ErrorOr<http::Response> switch_account(Context&);
void add_linked_accounts_to_frame(Context&, view::Data&);
// « Application mobile », and what the REST API tells about the person.
ErrorOr<http::Response> show_mobile(Context&);
ErrorOr<http::Response> pair_device(Context&);
ErrorOr<http::Response> revoke_device(Context&);
ErrorOr<http::Response> api_me(Context&);
// « Mes données »: the page and the archive.
ErrorOr<http::Response> show_my_data(Context&);
ErrorOr<http::Response> download_my_data(Context&);
ErrorOr<http::Response> save_contributions_choice(Context&);
ErrorOr<void> register_account_export(Services&);

} // namespace cartable::preferences
