// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/http/static_files.h"
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace cartable::http;

namespace {

class ServeFile : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_path
            = std::filesystem::temp_directory_path() / ("cartable-serve-file-" + std::to_string(::getpid()) + ".txt");
        std::ofstream(m_path) << "0123456789";
    }
    void TearDown() override { std::filesystem::remove(m_path); }
    Response with_range(std::string const& range)
    {
        Request request;
        if (!range.empty())
            request.headers.emplace_back("range", range);
        return serve_file(request, m_path, "text/plain", "Cours de l'élève.txt");
    }
    std::filesystem::path m_path;
};

} // namespace

TEST_F(ServeFile, WholeFileWithUtf8Name)
{
    auto response = with_range("");
    EXPECT_EQ(response.status, 200);
    ASSERT_TRUE(response.file.has_value());
    EXPECT_EQ(response.file->offset, 0u);
    EXPECT_EQ(response.file->length, 10u);
    EXPECT_EQ(response.header("Accept-Ranges"), "bytes");
    auto disposition = response.header("Content-Disposition");
    EXPECT_NE(disposition.find("filename*=UTF-8''Cours%20de%20l%27%C3%A9l%C3%A8ve.txt"), std::string::npos)
        << disposition;
    EXPECT_NE(disposition.find("filename=\"Cours de l'__l__ve.txt\""), std::string::npos) << disposition;
}

TEST_F(ServeFile, ByteRanges)
{
    struct Row {
        char const* range;
        int status;
        std::uint64_t offset;
        std::uint64_t length;
        char const* content_range;
    };
    Row const rows[] = {
        { "bytes=0-3", 206, 0, 4, "bytes 0-3/10" },
        { "bytes=4-", 206, 4, 6, "bytes 4-9/10" },
        { "bytes=-3", 206, 7, 3, "bytes 7-9/10" },
        { "bytes=8-100", 206, 8, 2, "bytes 8-9/10" },
        { "bytes=10-12", 416, 0, 0, "bytes */10" },
        { "bytes=5-2", 416, 0, 0, "bytes */10" },
        { "bytes=abc", 416, 0, 0, "bytes */10" },
    };
    for (auto const& row : rows) {
        auto response = with_range(row.range);
        EXPECT_EQ(response.status, row.status) << row.range;
        EXPECT_EQ(response.header("Content-Range"), row.content_range) << row.range;
        if (row.status == 206) {
            ASSERT_TRUE(response.file.has_value());
            EXPECT_EQ(response.file->offset, row.offset) << row.range;
            EXPECT_EQ(response.file->length, row.length) << row.range;
        }
    }
    // Several ranges at once are answered with the whole file.
    EXPECT_EQ(with_range("bytes=0-1,4-5").status, 200);
}

TEST_F(ServeFile, EtagRevalidation)
{
    auto first = with_range("");
    Request again;
    again.headers.emplace_back("if-none-match", first.header("ETag"));
    EXPECT_EQ(serve_file(again, m_path, "text/plain", "").status, 304);
}

TEST(StaticFiles, FingerprintedUrlsAreCachedForAYear)
{
    auto url = static_url("cartable.css");
    auto fingerprint = static_fingerprint("cartable.css");
    ASSERT_FALSE(fingerprint.empty());
    EXPECT_EQ(url, "/static/" + fingerprint + "/cartable.css");
    Request request;
    auto response = serve_static(request, fingerprint, "cartable.css");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(response.header("Content-Type"), "text/css; charset=utf-8");
    EXPECT_EQ(serve_static(request, "0000", "cartable.css").status, 404);
    auto plain = serve_static(request, "", "cartable.css");
    EXPECT_EQ(plain.header("Cache-Control"), "no-cache");
    Request revalidate;
    revalidate.headers.emplace_back("if-none-match", plain.header("ETag"));
    EXPECT_EQ(serve_static(revalidate, "", "cartable.css").status, 304);
}
