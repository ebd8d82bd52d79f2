// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/http/form.h"

#include <gtest/gtest.h>

using namespace cartable;
using namespace cartable::http;

namespace {

struct DecodeCase {
    std::string_view input;
    bool plus_is_space;
    std::string_view expected;
};

} // namespace

TEST(PercentDecode, DecodesTable)
{
    DecodeCase const cases[] = {
        { "", true, "" },
        { "plain", true, "plain" },
        { "a+b", true, "a b" },
        { "a+b", false, "a+b" },
        { "%41%42%43", true, "ABC" },
        { "%c3%a9t%C3%A9", true, "été" },
        { "100%25", true, "100%" },
        { "%2B", true, "+" },
        { "%20+%20", true, "   " },
        { "%00", true, std::string_view("\0", 1) },
        { "a%2Fb", true, "a/b" },
    };
    for (auto const& c : cases) {
        auto decoded = percent_decode(c.input, c.plus_is_space);
        ASSERT_FALSE(decoded.is_error()) << c.input;
        EXPECT_EQ(decoded.value(), c.expected) << c.input;
    }
}

TEST(PercentDecode, RejectsBadEscapes)
{
    for (std::string_view input : { "%", "%4", "abc%", "ab%4", "%G1", "%1G", "%%41", "%-1", "% 1" }) {
        auto decoded = percent_decode(input);
        ASSERT_TRUE(decoded.is_error()) << input;
        EXPECT_EQ(decoded.error().kind, ErrorKind::Invalid) << input;
    }
}

TEST(PercentEncode, EscapesEverythingButUnreserved)
{
    EXPECT_EQ(percent_encode("abc-._~XYZ09"), "abc-._~XYZ09");
    EXPECT_EQ(percent_encode("a b&c=d/e?f"), "a%20b%26c%3Dd%2Fe%3Ff");
    EXPECT_EQ(percent_encode("été"), "%C3%A9t%C3%A9");
    EXPECT_EQ(percent_encode("+%"), "%2B%25");
}

TEST(PercentEncode, RoundTripsEveryByte)
{
    std::string all;
    for (int i = 0; i < 256; ++i)
        all.push_back(static_cast<char>(i));
    auto decoded = percent_decode(percent_encode(all));
    ASSERT_FALSE(decoded.is_error());
    EXPECT_EQ(decoded.value(), all);
}

TEST(Utf8, AcceptsValidText)
{
    for (std::string_view text : {
             "", "ascii", "été à l'école",
             "\xE2\x82\xAC", // €
             "\xF0\x9F\x98\x80", // U+1F600
             "\xF4\x8F\xBF\xBF", // U+10FFFF, the last code point
             "\xED\x9F\xBF", // U+D7FF, just before the surrogates
             "\xEE\x80\x80", // U+E000, just after them
             "\xC2\x80", // U+0080, smallest two-byte form
         })
        EXPECT_TRUE(is_valid_utf8(text)) << text;
}

TEST(Utf8, RejectsInvalidText)
{
    for (std::string_view text : {
             "\x80", // lone continuation byte
             "a\xBF"
             "b", // lone continuation in the middle
             "\xC0\xAF", // overlong '/'
             "\xC1\xBF", // overlong two-byte form
             "\xE0\x80\xAF", // overlong three-byte form
             "\xF0\x80\x80\xAF", // overlong four-byte form
             "\xED\xA0\x80", // U+D800, a high surrogate
             "\xED\xBF\xBF", // U+DFFF, a low surrogate
             "\xF4\x90\x80\x80", // U+110000, beyond Unicode
             "\xF8\x88\x80\x80\x80", // five-byte form
             "\xFF",
             "\xC3", // truncated
             "\xE2\x82", // truncated
             "\xC3(", // bad continuation
         })
        EXPECT_FALSE(is_valid_utf8(text)) << testing::PrintToString(text);
}

TEST(ParseUrlencoded, ParsesFieldsInOrder)
{
    auto parsed = parse_urlencoded("a=1&b=deux+mots&a=3&vide=&seul&&=sans-nom&c=%C3%A9");
    ASSERT_FALSE(parsed.is_error());
    auto const& fields = parsed.value();
    ASSERT_EQ(fields.items().size(), 7u);
    EXPECT_EQ(fields.get("a"), "1");
    EXPECT_EQ(fields.all("a"), (std::vector<std::string> { "1", "3" }));
    EXPECT_EQ(fields.get("b"), "deux mots");
    EXPECT_TRUE(fields.has("vide"));
    EXPECT_EQ(fields.get("vide"), "");
    EXPECT_TRUE(fields.has("seul"));
    EXPECT_EQ(fields.get("seul"), "");
    EXPECT_EQ(fields.get(""), "sans-nom");
    EXPECT_EQ(fields.get("c"), "é");
    EXPECT_FALSE(fields.has("absent"));
    EXPECT_EQ(fields.get("absent"), "");
    EXPECT_TRUE(fields.all("absent").empty());
    EXPECT_EQ(fields.items()[0].first, "a");
    EXPECT_EQ(fields.items()[1].first, "b");
    EXPECT_EQ(fields.items()[6].first, "c");
}

TEST(ParseUrlencoded, KeepsEqualsSignsInValues)
{
    auto parsed = parse_urlencoded("jeton=abc==&x=a=b");
    ASSERT_FALSE(parsed.is_error());
    EXPECT_EQ(parsed->get("jeton"), "abc==");
    EXPECT_EQ(parsed->get("x"), "a=b");
}

TEST(ParseUrlencoded, EmptyBodyGivesNoFields)
{
    for (std::string_view body : { "", "&", "&&&" }) {
        auto parsed = parse_urlencoded(body);
        ASSERT_FALSE(parsed.is_error());
        EXPECT_TRUE(parsed->empty());
    }
}

TEST(ParseUrlencoded, RejectsBadEscapeWithFrenchMessage)
{
    auto parsed = parse_urlencoded("a=1&b=%ZZ");
    ASSERT_TRUE(parsed.is_error());
    EXPECT_EQ(parsed.error().kind, ErrorKind::Invalid);
    EXPECT_EQ(parsed.error().message_key, "Le formulaire envoyé est mal formé.");

    auto truncated = parse_urlencoded("a%2=1");
    ASSERT_TRUE(truncated.is_error());
    EXPECT_EQ(truncated.error().message_key, "Le formulaire envoyé est mal formé.");
}

TEST(ParseUrlencoded, RejectsInvalidUtf8)
{
    for (std::string_view body : { "a=%C0%AF", "a=%80", "a=%ED%A0%80", "%FF=1", "a=\xC3" }) {
        auto parsed = parse_urlencoded(body);
        ASSERT_TRUE(parsed.is_error()) << body;
        EXPECT_EQ(parsed.error().kind, ErrorKind::Invalid);
        EXPECT_EQ(parsed.error().message_key, "Le texte envoyé contient des caractères invalides (UTF-8 attendu).");
    }
}

TEST(ParseUrlencoded, LimitsTheNumberOfFields)
{
    EXPECT_FALSE(parse_urlencoded("a=1&b=2&c=3", 3).is_error());
    auto parsed = parse_urlencoded("a=1&b=2&c=3&d=4", 3);
    ASSERT_TRUE(parsed.is_error());
    EXPECT_EQ(parsed.error().kind, ErrorKind::Invalid);
    // Empty pieces do not count.
    EXPECT_FALSE(parse_urlencoded("a=1&&&b=2&&c=3&", 3).is_error());
}
