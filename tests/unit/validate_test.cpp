// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/validate.h"
#include "core/view/qrcode.h"
#include <gtest/gtest.h>

using namespace cartable;

TEST(Validate, CountsCharactersAsAPersonDoes)
{
    EXPECT_EQ(validate::character_count(""), 0u);
    EXPECT_EQ(validate::character_count("Le Vigan"), 8u);
    EXPECT_EQ(validate::character_count("é"), 1u); // precomposed
    EXPECT_EQ(validate::character_count("e\xCC\x81"), 1u); // e + combining acute accent
    EXPECT_EQ(validate::character_count("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"),
        1u); // a family emoji joined with ZWJ
    EXPECT_EQ(validate::character_count("\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7"), 1u); // the French flag
    std::string three_hundred;
    for (int index = 0; index < 300; ++index)
        three_hundred += "é";
    EXPECT_EQ(validate::character_count(three_hundred), 300u);
    EXPECT_EQ(validate::character_count(three_hundred + "a"), 301u);
    EXPECT_EQ(validate::character_count("a\xFF"
                                        "b"),
        3u); // a bad byte counts as one
    EXPECT_FALSE(validate::is_utf8("a\xFF"));
    EXPECT_TRUE(validate::is_utf8("Élève"));
}

TEST(Validate, EmailAddresses)
{
    EXPECT_TRUE(validate::is_email("andre.chamson@outlook.fr"));
    EXPECT_TRUE(validate::is_email("prenom.nom+ent@ac-montpellier.fr"));
    EXPECT_FALSE(validate::is_email(""));
    EXPECT_FALSE(validate::is_email("andre.chamson"));
    EXPECT_FALSE(validate::is_email("andre@localhost"));
    EXPECT_FALSE(validate::is_email("andre@@outlook.fr"));
    EXPECT_FALSE(validate::is_email("andre chamson@outlook.fr"));
    EXPECT_FALSE(validate::is_email(".andre@outlook.fr"));
    EXPECT_FALSE(validate::is_email("andre..chamson@outlook.fr"));
    EXPECT_FALSE(validate::is_email("andre@outlook."));
    EXPECT_FALSE(validate::is_email("andre@-outlook.fr"));
    EXPECT_FALSE(validate::is_email("andre@outlook.f"));
    EXPECT_FALSE(validate::is_email("andré@outlook.fr"));
    EXPECT_FALSE(validate::is_email("<script>@outlook.fr"));
    EXPECT_FALSE(validate::is_email(std::string(250, 'a') + "@b.fr"));
}

TEST(Validate, TelephoneNumbersAreWrittenTheGuidesWay)
{
    EXPECT_EQ(validate::phone_number("06 12 12 12 12"), "+33 6 12 12 12 12");
    EXPECT_EQ(validate::phone_number("0612121212"), "+33 6 12 12 12 12");
    EXPECT_EQ(validate::phone_number("04.77.88.22.55"), "+33 4 77 88 22 55");
    EXPECT_EQ(validate::phone_number("+33 4 77 88 22 55"), "+33 4 77 88 22 55");
    EXPECT_EQ(validate::phone_number("+33 (0)6 12 12 12 12"), "+33 6 12 12 12 12");
    EXPECT_EQ(validate::phone_number("0033 6 12 12 12 12"), "+33 6 12 12 12 12");
    EXPECT_EQ(validate::phone_number("+44 20 7946 0958"), "+442079460958");
    EXPECT_EQ(validate::phone_number("06 12 12 12"), std::nullopt);
    EXPECT_EQ(validate::phone_number("06 12 12 12 12 12"), std::nullopt);
    EXPECT_EQ(validate::phone_number("06 12 AB 12 12"), std::nullopt);
    EXPECT_EQ(validate::phone_number("00 00 12 12 12"), std::nullopt);
    EXPECT_EQ(validate::phone_number("6+12121212"), std::nullopt);
    EXPECT_EQ(validate::phone_number(""), std::nullopt);
}

TEST(QrCode, DrawsAnSvgWithItsLabel)
{
    auto svg = view::qr_code_svg("cartable:?serveur=https%3A%2F%2Fent.example.fr&jeton=abc", "Code <QR>");
    ASSERT_TRUE(svg);
    EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
    EXPECT_NE(svg->find("aria-label=\"Code &lt;QR&gt;\""), std::string::npos);
    EXPECT_NE(svg->find("h1v1h-1z"), std::string::npos);
    EXPECT_FALSE(view::qr_code_svg(std::string(5000, 'x'), "trop long"));
}
