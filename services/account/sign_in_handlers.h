// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include "core/http/message.h"
#include "core/identity/identity.h"
#include <functional>
#include <soci/soci.h>
#include <string>

namespace cartable::account {

ErrorOr<http::Response> choose_profile(Context&);
ErrorOr<http::Response> show_credentials_form(Context&);
ErrorOr<http::Response> sign_in(Context&);
ErrorOr<http::Response> sign_out(Context&);

inline constexpr char const* THROTTLED
    = "Trop de tentatives de connexion ont échoué. Patientez quelques minutes avant de réessayer.";

// A login as typed → as stored: lower case, without the spaces around it.
std::string normalized_login(std::string text);

// Failures are counted per identifier and per address.
struct ThrottleKeys {
    std::string account;
    std::string address;
};
ThrottleKeys throttle_keys(Context const&, std::string const& login);
// Whether too many failures of these keys are recent.
bool throttled(soci::session&, Context const&, ThrottleKeys const&);
ErrorOr<void> record_failure(Context&, ThrottleKeys const&);

// Opens a session for a person who has just proven who they are: the
// previous session ends, the failures of the identifier are forgotten, an
// audit line is written, all in one transaction with `within` (which may
// refuse by returning an error); then the redirect to the charter when it
// is not accepted yet, or to the home page.
ErrorOr<http::Response> open_session(Context&, identity::User const&, ThrottleKeys const&,
    std::string const& audit_action, std::string const& audit_detail,
    std::function<ErrorOr<void>(soci::session&)> const& within = {});

} // namespace cartable::account
