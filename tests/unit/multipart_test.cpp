// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/http/multipart.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <sys/stat.h>

using namespace cartable;
using namespace cartable::http;
namespace fs = std::filesystem;
using namespace std::string_literals;

namespace {

constexpr std::string_view boundary = "----CartableBoundary7MA4YWxk";

// A fresh upload directory per test, removed afterwards, so a test can count
// the files left behind.
class MultipartTest : public testing::Test {
protected:
    void SetUp() override
    {
        std::string pattern = (fs::temp_directory_path() / "cartable-multipart-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        m_directory = pattern;
    }
    void TearDown() override
    {
        std::error_code ignored;
        fs::remove_all(m_directory, ignored);
    }

    std::size_t files_in_directory() const
    {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(m_directory), fs::directory_iterator()));
    }

    fs::path m_directory;
};

std::string read_file(fs::path const& path)
{
    std::ifstream stream(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>());
}

std::string binary_content()
{
    // Carries CR, LF, '-' and a near-boundary to tempt the parser.
    std::string content = "\x00\x01\r\n--\r\n----CartableBoundary7MA4YWx\r\n-"s;
    content.push_back('\0');
    for (int i = 0; i < 300; ++i)
        content.push_back(static_cast<char>(i * 7));
    return content;
}

std::string sample_body()
{
    std::string body = "preamble to ignore\r\n";
    body += "--" + std::string(boundary) + "\r\n";
    body += "Content-Disposition: form-data; name=\"titre\"\r\n\r\n";
    body += "Sortie au musée\r\n";
    body += "--" + std::string(boundary) + "\r\n";
    body += "Content-Disposition: form-data; name=\"piece\"; filename=\"C:\\Users\\eleve\\devoir.bin\"\r\n";
    body += "Content-Type: application/octet-stream\r\n\r\n";
    body += binary_content();
    body += "\r\n--" + std::string(boundary) + "\r\n";
    body += "content-disposition: form-data; name=\"vide\"\r\n\r\n";
    body += "\r\n--" + std::string(boundary) + "\r\n";
    body += "Content-Disposition: form-data; name=\"texte\"\r\n";
    body += "Content-Type: text/plain; charset=utf-8\r\n\r\n";
    body += "ligne 1\r\nligne 2\r\n";
    body += "\r\n--" + std::string(boundary) + "--\r\n";
    body += "epilogue to ignore";
    return body;
}

void feed_in_chunks(MultipartParser& parser, std::string_view body, std::size_t chunk_size)
{
    for (std::size_t i = 0; i < body.size(); i += chunk_size) {
        auto result = parser.feed(body.substr(i, chunk_size));
        ASSERT_FALSE(result.is_error()) << "chunk size " << chunk_size << " at " << i << ": " << result.error().detail;
    }
}

std::string file_part(std::string_view name, std::string_view disposition_extra, std::string_view content)
{
    std::string body = "--" + std::string(boundary) + "\r\n";
    body += "Content-Disposition: form-data; name=\"" + std::string(name) + "\"" + std::string(disposition_extra)
        + "\r\n\r\n";
    body += content;
    body += "\r\n";
    return body;
}

std::string closing()
{
    return "--" + std::string(boundary) + "--\r\n";
}

} // namespace

TEST(MultipartBoundary, ParsesTheContentType)
{
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc123"), "abc123");
    EXPECT_EQ(multipart_boundary("Multipart/Form-Data; BOUNDARY=\"a b'c\""), "a b'c");
    EXPECT_EQ(multipart_boundary("multipart/form-data;boundary=----WebKitFormBoundaryX3;charset=utf-8"),
        "----WebKitFormBoundaryX3");
    EXPECT_EQ(multipart_boundary("multipart/form-data; charset=utf-8; boundary=\"q\""), "q");
    EXPECT_EQ(
        multipart_boundary(std::string("multipart/form-data; boundary=") + std::string(70, 'a')), std::string(70, 'a'));
}

TEST(MultipartBoundary, RefusesOthers)
{
    EXPECT_EQ(multipart_boundary("application/x-www-form-urlencoded"), std::nullopt);
    EXPECT_EQ(multipart_boundary("multipart/mixed; boundary=abc"), std::nullopt);
    EXPECT_EQ(multipart_boundary("multipart/form-data"), std::nullopt);
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary="), std::nullopt);
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"\""), std::nullopt);
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"abc"), std::nullopt);
    EXPECT_EQ(multipart_boundary(std::string("multipart/form-data; boundary=") + std::string(71, 'a')), std::nullopt);
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=a\x01z"), std::nullopt);
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=a; boundary=b"), std::nullopt);
}

TEST_F(MultipartTest, ParsesFieldsAndAFileTogether)
{
    MultipartParser parser(std::string(boundary), m_directory);
    std::string body = sample_body();
    ASSERT_FALSE(parser.feed(body).is_error());
    ASSERT_FALSE(parser.finish().is_error());

    auto const& fields = parser.fields();
    ASSERT_EQ(fields.items().size(), 3u);
    EXPECT_EQ(fields.get("titre"), "Sortie au musée");
    EXPECT_TRUE(fields.has("vide"));
    EXPECT_EQ(fields.get("vide"), "");
    EXPECT_EQ(fields.get("texte"), "ligne 1\r\nligne 2\r\n");

    ASSERT_EQ(parser.files().size(), 1u);
    auto const& file = parser.files()[0];
    EXPECT_EQ(file.field_name, "piece");
    EXPECT_EQ(file.file_name, "devoir.bin");
    EXPECT_EQ(file.content_type, "application/octet-stream");
    EXPECT_EQ(file.size, binary_content().size());
    EXPECT_EQ(file.path.parent_path(), m_directory);
    EXPECT_EQ(read_file(file.path), binary_content());

    struct stat info { };
    ASSERT_EQ(stat(file.path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(MultipartTest, EveryChunkSizeGivesTheSameResult)
{
    std::string body = sample_body();
    for (std::size_t chunk_size = 1; chunk_size <= 64; ++chunk_size) {
        MultipartParser parser(std::string(boundary), m_directory);
        feed_in_chunks(parser, body, chunk_size);
        ASSERT_FALSE(parser.finish().is_error()) << "chunk size " << chunk_size;
        EXPECT_EQ(parser.fields().items(),
            (std::vector<std::pair<std::string, std::string>> {
                { "titre", "Sortie au musée" },
                { "vide", "" },
                { "texte", "ligne 1\r\nligne 2\r\n" },
            }))
            << "chunk size " << chunk_size;
        ASSERT_EQ(parser.files().size(), 1u) << "chunk size " << chunk_size;
        EXPECT_EQ(parser.files()[0].file_name, "devoir.bin");
        EXPECT_EQ(read_file(parser.files()[0].path), binary_content()) << "chunk size " << chunk_size;
    }
    // Every parser removed its file when it went away.
    EXPECT_EQ(files_in_directory(), 0u);
}

TEST_F(MultipartTest, BoundarySplitAcrossChunks)
{
    std::string body = file_part("a", "", "premier") + file_part("b", "", "second") + closing();
    std::string const delimiter = "\r\n--" + std::string(boundary);
    std::size_t first_delimiter = body.find(delimiter);
    ASSERT_NE(first_delimiter, std::string::npos);
    // Cut at every position inside the delimiter that ends the first part.
    for (std::size_t cut = first_delimiter; cut <= first_delimiter + delimiter.size(); ++cut) {
        MultipartParser parser(std::string(boundary), m_directory);
        ASSERT_FALSE(parser.feed(std::string_view(body).substr(0, cut)).is_error());
        ASSERT_FALSE(parser.feed(std::string_view(body).substr(cut)).is_error());
        ASSERT_FALSE(parser.finish().is_error());
        EXPECT_EQ(parser.fields().get("a"), "premier") << "cut at " << cut;
        EXPECT_EQ(parser.fields().get("b"), "second") << "cut at " << cut;
    }
}

TEST_F(MultipartTest, DecodesExtendedUtf8FileName)
{
    std::string body
        = file_part("doc", "; filename=\"fallback.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%82%AC.txt", "contenu")
        + file_part("raw", "; filename=\"élève.pdf\"", "pdf")
        + file_part("latin", "; filename*=iso-8859-1'fr'%E9t%E9", "x") + closing();
    MultipartParser parser(std::string(boundary), m_directory);
    ASSERT_FALSE(parser.feed(body).is_error());
    ASSERT_FALSE(parser.finish().is_error());
    ASSERT_EQ(parser.files().size(), 3u);
    EXPECT_EQ(parser.files()[0].file_name, "résumé €.txt");
    EXPECT_EQ(parser.files()[1].file_name, "élève.pdf");
    EXPECT_EQ(parser.files()[2].file_name, "été");
    EXPECT_EQ(parser.files()[1].content_type, "application/octet-stream");
}

TEST_F(MultipartTest, StripsPathsFromFileNames)
{
    std::string body = file_part("a", "; filename=\"../../etc/passwd\"", "1")
        + file_part("b", "; filename=\"C:\\\\Windows\\\\x.txt\"", "2") + closing();
    MultipartParser parser(std::string(boundary), m_directory);
    ASSERT_FALSE(parser.feed(body).is_error());
    ASSERT_FALSE(parser.finish().is_error());
    ASSERT_EQ(parser.files().size(), 2u);
    EXPECT_EQ(parser.files()[0].file_name, "passwd");
    EXPECT_EQ(parser.files()[1].file_name, "x.txt");
    EXPECT_EQ(parser.files()[0].path.parent_path(), m_directory);
}

TEST_F(MultipartTest, RefusesControlCharactersInFileNames)
{
    std::string body = file_part("a", "; filename=\"evil\x01.txt\"", "1") + closing();
    MultipartParser parser(std::string(boundary), m_directory);
    auto result = parser.feed(body);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().kind, ErrorKind::Invalid);
    EXPECT_EQ(files_in_directory(), 0u);
}

TEST_F(MultipartTest, IgnoresAnEmptyFileInput)
{
    std::string body = file_part("piece", "; filename=\"\"", "") + file_part("titre", "", "x") + closing();
    MultipartParser parser(std::string(boundary), m_directory);
    ASSERT_FALSE(parser.feed(body).is_error());
    ASSERT_FALSE(parser.finish().is_error());
    EXPECT_TRUE(parser.files().empty());
    EXPECT_FALSE(parser.fields().has("piece"));
    EXPECT_EQ(parser.fields().get("titre"), "x");
    EXPECT_EQ(files_in_directory(), 0u);
}

TEST_F(MultipartTest, KeepsAnEmptyNamedFile)
{
    std::string body = file_part("piece", "; filename=\"vide.txt\"", "") + closing();
    MultipartParser parser(std::string(boundary), m_directory);
    ASSERT_FALSE(parser.feed(body).is_error());
    ASSERT_FALSE(parser.finish().is_error());
    ASSERT_EQ(parser.files().size(), 1u);
    EXPECT_EQ(parser.files()[0].size, 0u);
    EXPECT_TRUE(fs::exists(parser.files()[0].path));
}

TEST_F(MultipartTest, MissingClosingBoundaryFailsAtFinish)
{
    std::string body = file_part("piece", "; filename=\"a.txt\"", "contenu") + file_part("titre", "", "x");
    MultipartParser parser(std::string(boundary), m_directory);
    ASSERT_FALSE(parser.feed(body).is_error());
    auto result = parser.finish();
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().kind, ErrorKind::Invalid);
    EXPECT_TRUE(parser.files().empty());
    EXPECT_EQ(files_in_directory(), 0u);
    // The error is final.
    EXPECT_TRUE(parser.feed(closing()).is_error());
    EXPECT_TRUE(parser.finish().is_error());
}

TEST_F(MultipartTest, EmptyBodyFailsAtFinish)
{
    MultipartParser parser(std::string(boundary), m_directory);
    ASSERT_FALSE(parser.feed("").is_error());
    EXPECT_TRUE(parser.finish().is_error());
}

TEST_F(MultipartTest, FileOverTheLimitIsTooLargeAndLeavesNoFile)
{
    MultipartLimits limits;
    limits.max_file_size = 100;
    std::string body = file_part("premier", "; filename=\"ok.bin\"", std::string(100, 'a'))
        + file_part("second", "; filename=\"gros.bin\"", std::string(101, 'b')) + closing();
    MultipartParser parser(std::string(boundary), m_directory, limits);
    ErrorOr<void> result;
    for (std::size_t i = 0; i < body.size() && !result.is_error(); i += 16)
        result = parser.feed(std::string_view(body).substr(i, 16));
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().kind, ErrorKind::TooLarge);
    EXPECT_EQ(result.error().message_key, "Le fichier envoyé dépasse la taille autorisée.");
    EXPECT_TRUE(parser.files().empty());
    EXPECT_EQ(files_in_directory(), 0u);
    EXPECT_TRUE(parser.feed("more").is_error());
}

TEST_F(MultipartTest, FieldOverTheLimitIsTooLarge)
{
    MultipartLimits limits;
    limits.max_field_size = 10;
    MultipartParser parser(std::string(boundary), m_directory, limits);
    auto result = parser.feed(file_part("titre", "", std::string(11, 'x')) + closing());
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().kind, ErrorKind::TooLarge);
}

TEST_F(MultipartTest, TooManyPartsIsTooLarge)
{
    MultipartLimits limits;
    limits.max_parts = 2;
    MultipartParser parser(std::string(boundary), m_directory, limits);
    auto result = parser.feed(file_part("a", "", "1") + file_part("b", "", "2") + file_part("c", "", "3") + closing());
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().kind, ErrorKind::TooLarge);
}

TEST_F(MultipartTest, HugeHeadersAreRefused)
{
    MultipartLimits limits;
    limits.max_header_size = 64;
    MultipartParser parser(std::string(boundary), m_directory, limits);
    std::string body = "--" + std::string(boundary) + "\r\nX-Padding: " + std::string(200, 'p');
    auto result = parser.feed(body);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().kind, ErrorKind::Invalid);
}

TEST_F(MultipartTest, InvalidUtf8FieldIsRefused)
{
    MultipartParser parser(std::string(boundary), m_directory);
    auto result = parser.feed(
        file_part("piece", "; filename=\"a.txt\"", "ok") + file_part("titre", "", "\xC0\xAF") + closing());
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().kind, ErrorKind::Invalid);
    EXPECT_EQ(result.error().message_key, "Le texte envoyé contient des caractères invalides (UTF-8 attendu).");
    EXPECT_EQ(files_in_directory(), 0u);
}

TEST_F(MultipartTest, MalformedPartsAreRefused)
{
    std::string const open = "--" + std::string(boundary) + "\r\n";
    for (std::string body : {
             open + "Content-Type: text/plain\r\n\r\nx\r\n" + closing(), // no disposition
             open + "Content-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n" + closing(), // not form-data
             open + "Content-Disposition: form-data\r\n\r\nx\r\n" + closing(), // no name
             open + "Content-Disposition: form-data; name=\"a\r\n\r\nx\r\n" + closing(), // unclosed quote
             open + "Content-Disposition form-data\r\n\r\nx\r\n" + closing(), // no colon
             open + "\r\nx\r\n" + closing(), // no headers
             "--" + std::string(boundary) + "garbage\r\n" + closing(), // after boundary
         }) {
        MultipartParser parser(std::string(boundary), m_directory);
        auto result = parser.feed(body);
        if (!result.is_error())
            result = parser.finish();
        ASSERT_TRUE(result.is_error()) << testing::PrintToString(body);
        EXPECT_EQ(result.error().kind, ErrorKind::Invalid);
    }
}

TEST_F(MultipartTest, InvalidBoundaryIsRefused)
{
    MultipartParser parser("", m_directory);
    EXPECT_TRUE(parser.feed("--\r\n").is_error());
}

TEST_F(MultipartTest, DestroyingTheParserRemovesItsFiles)
{
    fs::path kept;
    {
        MultipartParser parser(std::string(boundary), m_directory);
        ASSERT_FALSE(parser.feed(file_part("piece", "; filename=\"a.txt\"", "contenu") + closing()).is_error());
        ASSERT_FALSE(parser.finish().is_error());
        ASSERT_EQ(parser.files().size(), 1u);
        kept = parser.files()[0].path;
        EXPECT_TRUE(fs::exists(kept));
    }
    EXPECT_FALSE(fs::exists(kept));
    EXPECT_EQ(files_in_directory(), 0u);
}

TEST_F(MultipartTest, DestroyingMidwayRemovesThePartialFile)
{
    {
        MultipartParser parser(std::string(boundary), m_directory);
        std::string body = file_part("piece", "; filename=\"a.txt\"", std::string(4096, 'z'));
        ASSERT_FALSE(parser.feed(std::string_view(body).substr(0, 2000)).is_error());
        EXPECT_EQ(files_in_directory(), 1u);
    }
    EXPECT_EQ(files_in_directory(), 0u);
}

TEST_F(MultipartTest, ReleasedFilesAreKept)
{
    std::vector<UploadedFile> released;
    {
        MultipartParser parser(std::string(boundary), m_directory);
        ASSERT_FALSE(parser
                         .feed(file_part("a", "; filename=\"a.txt\"", "AAA")
                             + file_part("b", "; filename=\"b.txt\"", "BB") + closing())
                         .is_error());
        ASSERT_FALSE(parser.finish().is_error());
        released = parser.release_files();
        EXPECT_TRUE(parser.files().empty());
    }
    ASSERT_EQ(released.size(), 2u);
    EXPECT_EQ(read_file(released[0].path), "AAA");
    EXPECT_EQ(read_file(released[1].path), "BB");
    EXPECT_EQ(released[1].size, 2u);
    EXPECT_NE(released[0].path, released[1].path);
    EXPECT_EQ(files_in_directory(), 2u);
}

TEST_F(MultipartTest, BoundaryAtTheVeryStartAndPaddingAfterIt)
{
    std::string body = "--" + std::string(boundary) + " \t\r\n" + "Content-Disposition: form-data; name=\"a\"\r\n\r\n1"
        + "\r\n--" + std::string(boundary) + "--";
    MultipartParser parser(std::string(boundary), m_directory);
    ASSERT_FALSE(parser.feed(body).is_error());
    ASSERT_FALSE(parser.finish().is_error());
    EXPECT_EQ(parser.fields().get("a"), "1");
}
