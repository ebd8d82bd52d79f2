// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include "core/error.h"
#include "core/identity/identity.h"
#include <vector>

namespace cartable {

// « Profil affiché »: the child a guardian chose (on the Accueil, or on any
// page that offers the choice, as ?enfant=ID) is remembered by this browser
// (a session cookie, as the session itself) for the pages that follow: the
// Accueil, the lesson book and the timetable open on that child when none
// is asked. It is checked against the guardian's children at each use, so
// a cookie naming another child is ignored.
inline constexpr char const* DISPLAYED_CHILD_COOKIE = "cartable_enfant";

// Called by the application on each page a guardian asks for: remembers
// ?enfant= when it names one of his children.
ErrorOr<void> remember_displayed_child(Context& context);

// The child a guardian's page follows when none is asked: the one last
// chosen in this browser if it is still one of `children`, else the first;
// 0 without children.
long long displayed_child(Context const& context, std::vector<identity::User> const& children);

} // namespace cartable
