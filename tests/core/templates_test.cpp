// SPDX-License-Identifier: AGPL-3.0-or-later
// Every template starts with a comment naming its context and giving an
// example; each renders with its example, and values are escaped.
#include "core/view/view.h"
#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace cartable;

namespace {

view::Data to_data(boost::json::value const& value)
{
    switch (value.kind()) {
    case boost::json::kind::object: {
        view::Data data { view::Data::type::object };
        for (auto const& [key, item] : value.as_object())
            data.set(std::string(key), to_data(item));
        return data;
    }
    case boost::json::kind::array: {
        view::List list;
        for (auto const& item : value.as_array())
            list.push_back(to_data(item));
        return list;
    }
    case boost::json::kind::string:
        return std::string(value.as_string());
    case boost::json::kind::bool_:
        return view::Data(value.as_bool());
    case boost::json::kind::int64:
        return std::to_string(value.as_int64());
    case boost::json::kind::uint64:
        return std::to_string(value.as_uint64());
    case boost::json::kind::double_:
        return std::to_string(value.as_double());
    case boost::json::kind::null:
        return view::Data(false);
    }
    return view::Data(false);
}

std::string example_of(std::string_view source)
{
    auto start = source.find("Example:");
    auto end = source.find("\n}}");
    if (start == std::string_view::npos || end == std::string_view::npos || end < start)
        return {};
    return std::string(source.substr(start + 8, end - start - 8));
}

} // namespace

TEST(Templates, EveryTemplateRendersWithItsExample)
{
    auto const& templates = view::Templates::instance();
    auto names = templates.names();
    ASSERT_GE(names.size(), 8u);
    for (auto const& name : names) {
        auto source = templates.source(name);
        ASSERT_TRUE(source.starts_with("{{!")) << name << " must begin with its context comment";
        auto example = example_of(source);
        ASSERT_FALSE(example.empty()) << name << " has no example context";
        boost::system::error_code error;
        auto json = boost::json::parse(example, error);
        ASSERT_FALSE(error) << name << ": example is not JSON: " << error.message();
        std::string html;
        EXPECT_NO_THROW(html = templates.render(name, to_data(json))) << name;
        EXPECT_FALSE(html.empty()) << name;
        EXPECT_EQ(html.find("{{"), std::string::npos) << name;
        EXPECT_EQ(html.find("}}"), std::string::npos) << name << ": a }} in the example closes the comment early";
    }
}

TEST(Templates, ValuesAreEscaped)
{
    view::Data data;
    data.set("title", "<script>alert(1)</script>");
    data.set("message", "\" onmouseover=\"x");
    data.set("home_url", "/");
    auto html = view::Templates::instance().render("view/error", data);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
    EXPECT_EQ(html.find("\" onmouseover"), std::string::npos);
}
