// SPDX-License-Identifier: AGPL-3.0-or-later
// E-mail as SMTP carries it: headers (RFC 5322), encoded words (RFC 2047),
// multipart/alternative with base64 parts (RFC 2045–2046).
#include "core/notify/mime.h"
#include <gtest/gtest.h>
#include <sodium.h>

using namespace cartable::notify;

namespace {

bool contains(std::string const& text, std::string const& part)
{
    return text.find(part) != std::string::npos;
}

std::string decode_base64(std::string text)
{
    std::string binary(text.size(), '\0');
    std::size_t length = 0;
    sodium_base642bin(reinterpret_cast<unsigned char*>(binary.data()), binary.size(), text.data(), text.size(), " \r\n",
        &length, nullptr, sodium_base64_VARIANT_ORIGINAL);
    binary.resize(length);
    return binary;
}

// The text of an encoded word « =?UTF-8?B?…?= ».
std::string decode_words(std::string const& header)
{
    std::string text;
    std::size_t start = 0;
    while ((start = header.find("=?UTF-8?B?", start)) != std::string::npos) {
        auto end = header.find("?=", start + 10);
        text += decode_base64(header.substr(start + 10, end - start - 10));
        start = end + 2;
    }
    return text;
}

} // namespace

TEST(Mime, PlainAsciiHeadersStayAsTheyAre)
{
    EXPECT_EQ(mime::encoded_words("Password reset"), "Password reset");
    EXPECT_EQ(mime::address_of("ENT Occitanie <ne-pas-repondre@ent.example.fr>"), "ne-pas-repondre@ent.example.fr");
    EXPECT_EQ(mime::address_of("ne-pas-repondre@ent.example.fr"), "ne-pas-repondre@ent.example.fr");
    EXPECT_EQ(mime::domain_of("ne-pas-repondre@ent.example.fr"), "ent.example.fr");
}

TEST(Mime, FrenchSubjectsBecomeShortEncodedWordsThatNeverCutACharacter)
{
    std::string subject = "Nouveau mot de passe pour votre compte mon ENT Occitanie – réinitialisation demandée";
    auto encoded = mime::encoded_words(subject);
    EXPECT_EQ(encoded.rfind("=?UTF-8?B?", 0), 0U);
    EXPECT_EQ(decode_words(encoded), subject);
    std::size_t start = 0;
    while (start < encoded.size()) {
        auto end = encoded.find("\r\n ", start);
        auto word = encoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
        EXPECT_LE(word.size(), 75U) << word;
        // Each word decodes alone to whole characters.
        auto part = decode_words(word);
        EXPECT_NE(static_cast<unsigned char>(part.front()) & 0xC0, 0x80);
        start = end == std::string::npos ? encoded.size() : end + 3;
    }
    // A line break typed into a subject never makes a header of its own.
    EXPECT_FALSE(contains(mime::encoded_words("Objet\r\nBcc: x@example.fr"), "\r\nBcc"));
}

TEST(Mime, AMessageHasItsHeadersAndBothParts)
{
    mime::Message message;
    message.from = "ENT Occitanie – Cité <ne-pas-repondre@ent.example.fr>";
    message.to = "andre.chamson@outlook.fr";
    message.subject = "Nouveau mot de passe";
    message.text = "Bonjour,\nvoici le lien : https://ent.example.fr/x\n";
    message.html = "<p>Bonjour,</p>";
    message.message_id = "abc_DEF-123@ent.example.fr";
    message.date = 1'560'153'180; // lundi 10 juin 2019 07:53:00 UTC
    auto composed = mime::compose(message);
    EXPECT_TRUE(contains(composed, "\r\nTo: andre.chamson@outlook.fr\r\n"));
    EXPECT_TRUE(contains(composed, "From: =?UTF-8?B?"));
    EXPECT_TRUE(contains(composed, "?=\r\n <ne-pas-repondre@ent.example.fr>\r\n"));
    EXPECT_TRUE(contains(composed, "\r\nSubject: Nouveau mot de passe\r\n"));
    EXPECT_TRUE(contains(composed, "\r\nDate: Mon, 10 Jun 2019 07:53:00 +0000\r\n"));
    EXPECT_TRUE(contains(composed, "\r\nMessage-ID: <abc_DEF-123@ent.example.fr>\r\n"));
    EXPECT_TRUE(contains(composed, "\r\nMIME-Version: 1.0\r\n"));
    EXPECT_TRUE(contains(composed, "Content-Type: multipart/alternative; boundary=\"=_abc_DEF-123\"\r\n\r\n"));
    EXPECT_TRUE(contains(composed, "--=_abc_DEF-123\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
    EXPECT_TRUE(contains(composed, "--=_abc_DEF-123\r\nContent-Type: text/html; charset=UTF-8\r\n"));
    EXPECT_TRUE(composed.ends_with("--=_abc_DEF-123--\r\n"));
    auto text_start = composed.find("\r\n\r\n", composed.find("text/plain")) + 4;
    auto text_end = composed.find("--=_", text_start);
    EXPECT_EQ(decode_base64(composed.substr(text_start, text_end - text_start)), message.text);
    // No line of the message is longer than RFC 5322's 78 characters.
    std::size_t start = 0;
    while (start < composed.size()) {
        auto end = composed.find("\r\n", start);
        EXPECT_LE(end - start, 78U) << composed.substr(start, end - start);
        start = end + 2;
    }
}

TEST(Mime, WithoutHtmlTheMessageIsPlainText)
{
    mime::Message message;
    message.from = "ne-pas-repondre@ent.example.fr";
    message.to = "andre.chamson@outlook.fr";
    message.subject = "Essai";
    message.text = "Bonjour";
    message.message_id = "id@ent.example.fr";
    auto composed = mime::compose(message);
    EXPECT_FALSE(contains(composed, "multipart"));
    EXPECT_TRUE(
        contains(composed, "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"));
}
