// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include "core/http/message.h"
#include "core/view/view.h"
#include <string>

namespace cartable::view {

// Which entry of the left menu is the current page.
enum class MenuEntry { None, Home, Mail, LessonBook, LiaisonBook, Timetable, Attendance, Assessments };

struct Page {
    std::string title;
    std::string body_html; // rendered by a template of ours
    MenuEntry menu { MenuEntry::None };
    int status { 200 };
    // On public pages: whose portal the header shows.
    std::string structure_name;
    std::string structure_place; // « LE VIGAN - ACADÉMIE DE MONTPELLIER »
    std::string home_url { "/" };
};

// A signed-in page inside the frame of SCREENS.md (top bar, left menu with
// the person's name and classes), or a public page when nobody is signed in.
http::Response render_page(Context& context, Page const& page);
// A template rendered into the frame, with csrf_token added to its data.
http::Response render(Context& context, std::string_view template_name, Data data, std::string title,
    MenuEntry menu = MenuEntry::None, int status = 200);
// The header of a public page for that structure.
void set_public_structure(Page& page, identity::Structure const& structure);
std::string upper(std::string text);

// The French error page for a status, inside the frame when it can be.
http::Response error_page(Context* context, int status, std::string const& message_key = {});
// The same, outside any request (the server's own refusals: 400, 413, 431).
http::Response bare_error_page(int status, std::string const& message_key = {});

int status_for(ErrorKind kind);
http::Response error_response(Context& context, Error const& error);

} // namespace cartable::view
