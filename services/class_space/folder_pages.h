// SPDX-License-Identifier: AGPL-3.0-or-later
// What the folder pages (folders.cpp) and the folder changes
// (folder_changes.cpp) share.
#pragma once

#include "services/class_space/class_space_internal.h"
#include "services/class_space/folder_store.h"

namespace cartable::class_space::folders {

std::string folder_url(Space const& space, long long folder); // « /espaces/1/dossiers/7 »
std::string trash_url(Space const& space);
// Contributors change what they added, managers everything; nobody in an
// archived space.
bool may_change(Loaded const& loaded, Item const& item, long long person);
ErrorOr<void> require_change(Loaded const& loaded, Item const& item, long long person);

// A message above the forms: an error (the form's values kept) or a success.
struct Notice {
    std::string error;
    std::string success;
    int status { 200 };
    std::string folder_name;
    std::string folder_description;
};

// The folder's page: its path, the quota line, what it holds, the forms.
http::Response render_folder(
    Context& context, Loaded const& loaded, Tree const& tree, long long quota, long long folder, Notice const& notice);
// The same, loading the tree.
ErrorOr<http::Response> show_folder_with(
    Context& context, Loaded const& loaded, long long folder, Notice const& notice);

ErrorOr<http::Response> upload_files(Context& context);
ErrorOr<http::Response> create_folder(Context& context);
ErrorOr<http::Response> show_item_form(Context& context);
ErrorOr<http::Response> change_item(Context& context);
ErrorOr<http::Response> trash_item(Context& context);
ErrorOr<http::Response> restore_item(Context& context);
ErrorOr<http::Response> empty_trash(Context& context);

} // namespace cartable::class_space::folders
