// SPDX-License-Identifier: AGPL-3.0-or-later
// The CSV reader of `cartable import csv`: RFC 4180 quoting, separators,
// line ends, and the encodings spreadsheet software writes.
#include "services/directory/import/csv_reader.h"
#include <gtest/gtest.h>

using namespace cartable::directory::csv;

namespace {

Table parsed(std::string const& bytes)
{
    auto table = parse(bytes);
    if (table.is_error())
        throw std::runtime_error(table.error().message_key);
    return table.release_value();
}

} // namespace

TEST(CsvReader, SemicolonSeparatedWithHeaderAndLineNumbers)
{
    auto table = parsed("identifiant;nom;prenom\n1;DUPONT;Jean\n2;MARTIN;Léa\n");
    EXPECT_EQ(table.separator, ';');
    EXPECT_EQ(table.encoding, Encoding::Utf8);
    ASSERT_EQ(table.header, (std::vector<std::string> { "identifiant", "nom", "prenom" }));
    ASSERT_EQ(table.rows.size(), 2U);
    EXPECT_EQ(table.rows[0].line, 2);
    EXPECT_EQ(table.rows[1].line, 3);
    EXPECT_EQ(table.rows[1].fields, (std::vector<std::string> { "2", "MARTIN", "Léa" }));
}

TEST(CsvReader, QuotedFieldsWithSeparatorsDoubledQuotesAndLineBreaks)
{
    auto table = parsed("a;b;c\r\n\"x;y\";\"il dit \"\"bonjour\"\"\";\"deux\r\nlignes\"\r\nsuite;;fin\r\n");
    ASSERT_EQ(table.rows.size(), 2U);
    EXPECT_EQ(table.rows[0].fields, (std::vector<std::string> { "x;y", "il dit \"bonjour\"", "deux\nlignes" }));
    EXPECT_EQ(table.rows[0].line, 2);
    EXPECT_EQ(table.rows[1].line, 4); // the quoted line break counts
    EXPECT_EQ(table.rows[1].fields, (std::vector<std::string> { "suite", "", "fin" }));
}

TEST(CsvReader, CrlfAndBlankLinesAndNoFinalLineBreak)
{
    auto table = parsed("a;b\r\n1;2\r\n\r\n;\r\n3;4");
    ASSERT_EQ(table.rows.size(), 2U);
    EXPECT_EQ(table.rows[0].fields, (std::vector<std::string> { "1", "2" }));
    EXPECT_EQ(table.rows[1].fields, (std::vector<std::string> { "3", "4" }));
    EXPECT_EQ(table.rows[1].line, 5);
}

TEST(CsvReader, CommaWhenTheHeaderHasNoSemicolon)
{
    auto table = parsed("identifiant,nom,groupes\n1,DUPONT,\"G1,G2\"\n");
    EXPECT_EQ(table.separator, ',');
    ASSERT_EQ(table.rows.size(), 1U);
    EXPECT_EQ(table.rows[0].fields, (std::vector<std::string> { "1", "DUPONT", "G1,G2" }));
    // A header with both: `;` wins, commas are data.
    auto both = parsed("a;b,c\n1;2,3\n");
    EXPECT_EQ(both.separator, ';');
    EXPECT_EQ(both.rows[0].fields, (std::vector<std::string> { "1", "2,3" }));
}

TEST(CsvReader, Utf8ByteOrderMarkIsDropped)
{
    auto table = parsed("\xEF\xBB\xBFidentifiant;nom\n1;Hélène\n");
    EXPECT_EQ(table.encoding, Encoding::Utf8WithBom);
    EXPECT_EQ(table.header.front(), "identifiant");
    EXPECT_EQ(table.rows[0].fields[1], "Hélène");
}

TEST(CsvReader, Windows1252IsConvertedToUtf8)
{
    // « Hélène;Œuvre » as Excel saves it: é = 0xE9, è = 0xE8, Œ = 0x8C.
    auto table = parsed("identifiant;nom;pr\xE9nom\n1;H\xE9l\xE8ne;\x8Cuvre\n");
    EXPECT_EQ(table.encoding, Encoding::Windows1252);
    EXPECT_EQ(table.header[2], "prénom");
    EXPECT_EQ(table.rows[0].fields[1], "Hélène");
    EXPECT_EQ(table.rows[0].fields[2], "Œuvre");
}

TEST(CsvReader, FieldsAreTrimmed)
{
    auto table = parsed("a ; b\n  x  ;\t\"  y \"  \n");
    EXPECT_EQ(table.header, (std::vector<std::string> { "a", "b" }));
    EXPECT_EQ(table.rows[0].fields, (std::vector<std::string> { "x", "y" }));
}

TEST(CsvReader, AnUnclosedQuoteOrAnEmptyFileIsAnError)
{
    auto unclosed = parse("a;b\n1;\"ouvert\n2;3\n");
    ASSERT_TRUE(unclosed.is_error());
    EXPECT_NE(unclosed.error().message_key.find("ligne 2"), std::string::npos) << unclosed.error().message_key;
    EXPECT_TRUE(parse("").is_error());
    EXPECT_TRUE(parse("\r\n\r\n").is_error());
}

TEST(CsvReader, Utf8Validation)
{
    EXPECT_TRUE(is_valid_utf8("élève €"));
    EXPECT_FALSE(is_valid_utf8("\xE9l\xE8ve"));
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF")); // overlong
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80")); // surrogate
    EXPECT_FALSE(is_valid_utf8("\xE2\x82")); // cut short
}

TEST(CsvReader, ColumnKeysIgnoreCaseAccentsAndSeparators)
{
    EXPECT_EQ(column_key("Prénom"), "prenom");
    EXPECT_EQ(column_key("DATE_NAISSANCE"), "datenaissance");
    EXPECT_EQ(column_key("Date naissance"), "datenaissance");
    EXPECT_EQ(column_key(" Autorité-Parentale "), "autoriteparentale");
}
