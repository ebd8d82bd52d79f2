// SPDX-License-Identifier: AGPL-3.0-or-later
// SMS (core/notify/sms.h): texts cut to 160 characters, the gateway's body
// from its template, numbers masked for administrators.
#include "core/notify/outbox.h"
#include "core/notify/sms.h"
#include <gtest/gtest.h>

using namespace cartable;

TEST(Sms, TextsAreCutToOneHundredAndSixtyCharactersNotBytes)
{
    EXPECT_EQ(notify::sms_text("Cartable : nouveau message"), "Cartable : nouveau message");
    std::string accents;
    for (int i = 0; i < 200; ++i)
        accents += "é";
    auto cut = notify::sms_text(accents);
    std::size_t characters = 0;
    for (char c : cut)
        characters += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
    EXPECT_EQ(characters, 160U);
    EXPECT_TRUE(cut.ends_with("é..."));
    EXPECT_EQ(notify::sms_text(std::string(160, 'a')), std::string(160, 'a'));
}

TEST(Sms, FrenchLettersOutsideTheGsmAlphabetAreWrittenWithinIt)
{
    EXPECT_EQ(notify::sms_text("Cartable : « Fête » à l’école, Françoise CŒUR…"),
        "Cartable : \"Fete\" à l'école, Francoise COEUR...");
}

TEST(Sms, TheBodyFollowsTheTemplateEscapedForItsType)
{
    notify::SmsSettings json;
    json.body_template = R"({"to": "{{to}}", "text": "{{text}}"})";
    json.content_type = "application/json";
    EXPECT_EQ(notify::sms_body(json, "+33612345678", "Dit \"bonjour\"\n"),
        R"({"to": "+33612345678", "text": "Dit \"bonjour\"\n"})");
    notify::SmsSettings form;
    form.body_template = "numero={{to}}&message={{text}}";
    form.content_type = "application/x-www-form-urlencoded";
    EXPECT_EQ(notify::sms_body(form, "+33 6", "é & co"), "numero=%2B33%206&message=%C3%A9%20%26%20co");
}

TEST(Sms, NumbersAreMaskedForAdministrators)
{
    EXPECT_EQ(notify::masked_number("06 12 34 56 78"), "06••••••78");
    EXPECT_EQ(notify::masked_number("12"), "••••");
}
