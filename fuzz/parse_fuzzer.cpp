// SPDX-License-Identifier: AGPL-3.0-or-later
// Feeds arbitrary bytes to every parser that reads what a browser sends. The
// first byte picks where the multipart body is cut in two, so the fuzzer also
// explores boundaries split across chunks.
#include "core/http/cookies.h"
#include "core/http/form.h"
#include "core/http/multipart.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace cartable::http;

namespace {

// A directory per input: libFuzzer may end with _Exit(), which would leave a
// process-wide one behind.
class UploadDirectory {
public:
    UploadDirectory()
    {
        std::string pattern = (fs::temp_directory_path() / "cartable-fuzz-XXXXXX").string();
        if (!mkdtemp(pattern.data()))
            std::abort();
        m_path = pattern;
    }
    ~UploadDirectory()
    {
        std::error_code ignored;
        fs::remove_all(m_path, ignored);
    }
    fs::path const& path() const { return m_path; }

private:
    fs::path m_path;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0)
        return 0;
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    std::string_view const rest = input.substr(1);

    auto form = parse_urlencoded(rest, 64);
    if (!form.is_error()) {
        for (auto const& [name, value] : form->items()) {
            if (!is_valid_utf8(name) || !is_valid_utf8(value))
                std::abort();
        }
    }
    auto decoded = percent_decode(rest);
    if (!decoded.is_error()) {
        auto round_trip = percent_decode(percent_encode(decoded.value()), false);
        if (round_trip.is_error() || round_trip.value() != decoded.value())
            std::abort();
    }

    (void)parse_cookie_header(rest);
    (void)find_cookie(rest, "session");

    auto boundary = multipart_boundary(rest);
    if (boundary && (boundary->empty() || boundary->size() > 70))
        std::abort();

    UploadDirectory directory;
    {
        MultipartLimits limits;
        limits.max_file_size = 4096;
        limits.max_field_size = 4096;
        limits.max_parts = 16;
        limits.max_header_size = 1024;
        // A short fixed boundary so the fuzzer finds it easily; the seeds use it.
        MultipartParser parser("xyz", directory.path(), limits);
        std::size_t cut = rest.empty() ? 0 : data[0] % (rest.size() + 1);
        bool failed = parser.feed(rest.substr(0, cut)).is_error();
        if (!failed)
            failed = parser.feed(rest.substr(cut)).is_error();
        if (!failed)
            failed = parser.finish().is_error();
        for (auto const& file : parser.files()) {
            if (file.size > limits.max_file_size || !fs::exists(file.path))
                std::abort();
        }
        if (failed && !parser.files().empty())
            std::abort();
    }
    // The parser has gone: it must have removed every file it made.
    if (!fs::is_empty(directory.path()))
        std::abort();
    return 0;
}
