// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/html/rich_text.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using cartable::html::from_plain_text;
using cartable::html::is_safe_link;
using cartable::html::plain_text;
using cartable::html::sanitize;

namespace {

// Nothing a browser could run survives: the markers must be gone.
bool looks_dangerous(std::string const& html)
{
    std::string lower;
    for (char c : html)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char const* marker : { "<script", "javascript:", "vbscript:", "data:", "onerror", "onload", "onclick",
             "onmouseover", "onfocus", "ontoggle", "onbegin", "<iframe", "<svg", "<style", "style=", "<object",
             "<embed", "<form", "<meta", "<link", "<base", "srcdoc", "formaction", "<math", "<template" }) {
        if (lower.find(marker) != std::string::npos)
            return true;
    }
    return false;
}

} // namespace

TEST(RichText, KeepsTheFormattingOfAMessage)
{
    EXPECT_EQ(sanitize("<p>Bonjour <strong>à tous</strong>,<br>la sortie est <em>maintenue</em>.</p>"),
        "<p>Bonjour <strong>à tous</strong>,<br>la sortie est <em>maintenue</em>.</p>");
    EXPECT_EQ(
        sanitize("<ul><li>un cahier</li><li>une trousse</li></ul>"), "<ul><li>un cahier</li><li>une trousse</li></ul>");
    EXPECT_EQ(sanitize(R"(<a href="https://www.education.gouv.fr/">site</a>)"),
        R"(<a href="https://www.education.gouv.fr/" rel="noopener noreferrer nofollow">site</a>)");
    EXPECT_EQ(
        sanitize(R"(<img src="/messagerie/pieces/3" alt="plan">)"), R"(<img src="/messagerie/pieces/3" alt="plan">)");
}

TEST(RichText, UnknownElementsGiveTheirContentAndAttributesAreDropped)
{
    EXPECT_EQ(sanitize(R"(<div class="x" style="color:red"><font color="red">Rouge</font></div>)"), "Rouge\n");
    EXPECT_EQ(sanitize(R"html(<p style="position:fixed" id="a" onclick="x()">Texte</p>)html"), "<p>Texte</p>");
    EXPECT_EQ(sanitize("Deux < trois & quatre > un"), "Deux &lt; trois &amp; quatre &gt; un");
    EXPECT_EQ(sanitize("<b>non fermé"), "<b>non fermé</b>");
    EXPECT_EQ(sanitize("<!-- commentaire -->texte"), "texte");
}

TEST(RichText, NoXssPayloadSurvives)
{
    std::vector<std::string> const payloads = {
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<img src=\"javascript:alert(1)\">",
        "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\" javascript:alert(1)\">x</a>",
        "<a href=\"java\tscript:alert(1)\">x</a>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
        "<a href=\"&#0000106avascript:alert(1)\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<body onload=alert(1)>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"javascript:alert(1)\">",
        "<form action=\"javascript:alert(1)\"><button>x</button></form>",
        "<button formaction=\"javascript:alert(1)\">x</button>",
        "<input onfocus=alert(1) autofocus>",
        "<details open ontoggle=alert(1)>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<style>@import 'http://evil.example/x.css';</style>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<link rel=stylesheet href=\"javascript:alert(1)\">",
        "<base href=\"javascript:alert(1)//\">",
        "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
        "<p onmouseover=\"alert(1)\">x</p>",
        "<<script>script>alert(1)<</script>/script>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<template><script>alert(1)</script></template>",
        "<a href=\"#\" onclick=\"alert(1)\">x</a>",
        "<img src=\"https://ok.example/x.png\" onerror=\"alert(1)\">",
        "<xmp><img src=x onerror=alert(1)></xmp>",
        "<textarea><script>alert(1)</script></textarea>",
        "\"><script>alert(1)</script>",
        "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
        "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
    };
    for (auto const& payload : payloads) {
        auto clean = sanitize(payload);
        EXPECT_FALSE(looks_dangerous(clean)) << payload << "\n→ " << clean;
        // Sanitizing is stable: a second pass changes nothing.
        EXPECT_EQ(sanitize(clean), clean) << payload;
    }
}

TEST(RichText, LinksAreCheckedAsBrowsersReadThem)
{
    EXPECT_TRUE(is_safe_link("https://ent.example/x"));
    EXPECT_TRUE(is_safe_link("http://ent.example/x"));
    EXPECT_TRUE(is_safe_link("mailto:vie.scolaire@college.example"));
    EXPECT_TRUE(is_safe_link("/messagerie"));
    EXPECT_TRUE(is_safe_link("page.html#haut"));
    EXPECT_FALSE(is_safe_link("javascript:alert(1)"));
    EXPECT_FALSE(is_safe_link(" \x01JAVASCRIPT:alert(1)"));
    EXPECT_FALSE(is_safe_link("data:text/html;base64,xx"));
    EXPECT_FALSE(is_safe_link("//evil.example/"));
    EXPECT_FALSE(is_safe_link(""));
}

TEST(RichText, DeepNestingStaysBounded)
{
    std::string deep;
    for (int i = 0; i < 5000; ++i)
        deep += "<b>";
    deep += "fond";
    auto clean = sanitize(deep);
    EXPECT_NE(clean.find("fond"), std::string::npos);
    EXPECT_FALSE(looks_dangerous(clean));
}

TEST(RichText, PlainTextAndBack)
{
    EXPECT_EQ(plain_text("<p>Bonjour,</p><p>La sortie <b>est</b> maintenue.<br>Cordialement</p>"),
        "Bonjour,\nLa sortie est maintenue.\nCordialement");
    EXPECT_EQ(plain_text("<script>x</script>Texte &amp; suite"), "Texte & suite");
    EXPECT_EQ(from_plain_text("Bonjour,\n\nLa sortie <est> maintenue.\nMerci"),
        "<p>Bonjour,</p><p>La sortie &lt;est&gt; maintenue.<br>Merci</p>");
    EXPECT_EQ(from_plain_text(""), "");
}
