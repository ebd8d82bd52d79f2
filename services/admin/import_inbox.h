// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include <filesystem>

namespace cartable::admin {

namespace capability {
inline constexpr char const* DEPOSIT_IMPORT_FILES = "admin.deposit_import_files";
}

inline constexpr char const* ACADEMY_INBOX = "academie";

// Where deposited files wait: <data>/import/inbox/<UAI> for a structure's
// CSV files, <data>/import/inbox/academie for the académie's AAF export.
std::filesystem::path import_inbox_directory(Config const&, std::string const& destination);
// A file name safe to keep on disk: letters, digits, '.', '-', '_' only.
std::string safe_file_name(std::string const& name);

ErrorOr<http::Response> show_import_inbox(Context&);
ErrorOr<http::Response> deposit_import_files(Context&);
ErrorOr<http::Response> download_import_file(Context&);

} // namespace cartable::admin
