// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/view/mustache.h"
#include <gtest/gtest.h>
#include <stdexcept>

using namespace cartable::view;

namespace {
std::string render(char const* source, Data const& data)
{
    return Template(source).render(data);
}
} // namespace

TEST(Mustache, VariablesAreEscapedUnlessTriple)
{
    Data data;
    data.set("name", "<b>André</b> & \"Louis\" l'aîné");
    EXPECT_EQ(render("{{name}}", data), "&lt;b&gt;André&lt;/b&gt; &amp; &quot;Louis&quot; l&#39;aîné");
    EXPECT_EQ(render("{{{name}}}", data), "<b>André</b> & \"Louis\" l'aîné");
    EXPECT_EQ(render("{{& name}}", data), "<b>André</b> & \"Louis\" l'aîné");
    EXPECT_EQ(render("[{{missing}}]", data), "[]");
}

TEST(Mustache, SectionsOverListsObjectsAndFlags)
{
    Data data;
    List children;
    for (auto const* name : { "Louis", "Pauline" }) {
        Data child;
        child.set("name", name);
        children.push_back(std::move(child));
    }
    data.set("children", std::move(children));
    data.set("guardian", true);
    data.set("empty", List {});
    data.set("blank", "");
    Data structure;
    structure.set("uai", "0300027A");
    data.set("structure", std::move(structure));
    data.set("title", "Accueil");
    EXPECT_EQ(render("{{#children}}<li>{{name}} ({{title}})</li>{{/children}}", data),
        "<li>Louis (Accueil)</li><li>Pauline (Accueil)</li>");
    EXPECT_EQ(render("{{#guardian}}oui{{/guardian}}{{^guardian}}non{{/guardian}}", data), "oui");
    EXPECT_EQ(render("{{#empty}}x{{/empty}}{{^empty}}Aucun{{/empty}}", data), "Aucun");
    EXPECT_EQ(render("{{#blank}}x{{/blank}}{{^blank}}vide{{/blank}}", data), "vide");
    EXPECT_EQ(render("{{#structure}}{{uai}}{{/structure}}", data), "0300027A");
    EXPECT_EQ(render("{{^nothing}}absent{{/nothing}}", data), "absent");
}

TEST(Mustache, StandaloneTagsAndCommentsTakeTheirLine)
{
    Data data;
    data.set("items", List { Data("a"), Data("b") });
    EXPECT_EQ(
        render("{{! a comment\n over two lines }}\n<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n", data),
        "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
    EXPECT_EQ(render("a {{! inline }}b", data), "a b");
}

TEST(Mustache, MalformedTemplatesAreRefused)
{
    EXPECT_THROW(Template("{{#a}}x"), std::runtime_error);
    EXPECT_THROW(Template("{{#a}}x{{/b}}"), std::runtime_error);
    EXPECT_THROW(Template("{{name"), std::runtime_error);
    EXPECT_THROW(Template("{{> partial}}"), std::runtime_error);
}
