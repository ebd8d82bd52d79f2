// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/error.h"
#include "core/http/form.h"
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cartable::http {

struct UploadedFile {
    std::string field_name;
    std::string file_name; // as sent by the browser, path components removed
    std::string content_type;
    std::filesystem::path path; // a temporary file under the upload directory
    std::uint64_t size { 0 };
};

struct MultipartLimits {
    std::uint64_t max_file_size { 1ULL << 30 };
    std::uint64_t max_field_size { 1 << 20 };
    std::size_t max_parts { 1000 };
    std::size_t max_header_size { 8192 };
};

// The boundary parameter of a multipart/form-data Content-Type, if any.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// A streaming multipart/form-data parser (RFC 7578): the body is fed in
// chunks of any size, file parts are written to temporary files as they
// arrive, so a large upload never sits whole in memory. Plain fields are kept
// in memory (bounded by the limits). Temporary files still owned by the
// parser are removed when it is destroyed; release_files() hands them over.
class MultipartParser {
public:
    MultipartParser(std::string const& boundary, std::filesystem::path upload_directory, MultipartLimits limits = {});
    ~MultipartParser();
    MultipartParser(MultipartParser const&) = delete;
    MultipartParser& operator=(MultipartParser const&) = delete;

    // Any error (malformed body, a limit passed, a disk error) is final: the
    // parser removes its files and refuses further input.
    ErrorOr<void> feed(std::string_view chunk);
    // Fails if the closing boundary has not been seen.
    ErrorOr<void> finish();

    FormFields const& fields() const;
    std::vector<UploadedFile> const& files() const;
    std::vector<UploadedFile> release_files();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace cartable::http
