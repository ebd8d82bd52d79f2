// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cartable::view {

// The values a template reads: text, a flag, a list, or an object of named
// values. Moved, not copied, into their parent.
class Data {
public:
    enum class type { object, list, string, boolean };
    using List = std::vector<Data>;

    Data()
        : m_type(type::object)
    { }
    explicit Data(type kind)
        : m_type(kind)
    { }
    Data(std::string text)
        : m_type(type::string)
        , m_string(std::move(text))
    { }
    Data(char const* text)
        : m_type(type::string)
        , m_string(text)
    { }
    Data(bool flag)
        : m_type(type::boolean)
        , m_flag(flag)
    { }
    Data(List list)
        : m_type(type::list)
        , m_list(std::move(list))
    { }

    // On an object: sets (or replaces) a named value.
    void set(std::string name, Data value);
    // On a list: appends.
    void push_back(Data value) { m_list.push_back(std::move(value)); }

    type kind() const { return m_type; }
    Data const* find(std::string_view name) const;
    bool is_truthy() const;
    std::string const& text() const { return m_string; }
    List const& items() const { return m_list; }

private:
    type m_type;
    bool m_flag { false };
    std::string m_string;
    List m_list;
    std::vector<std::pair<std::string, Data>> m_members;
};

using List = Data::List;

// A parsed Mustache template (the subset our templates use: variables,
// {{{raw}}} and {{&raw}}, sections and inverted sections over flags, lists
// and objects, comments). Parsing once at start, rendering is a walk over
// the nodes appending to one string: kainjow's renderer cost 180 000
// instructions per page here, this one a tenth (docs/decisions/templates.md).
class Template {
public:
    // Throws std::runtime_error on a malformed template (a bug, found by
    // the test that renders every template).
    explicit Template(std::string_view source);
    ~Template();
    Template(Template&&) noexcept;
    Template& operator=(Template&&) noexcept;

    void render(Data const& data, std::string& out) const;
    std::string render(Data const& data) const;

    struct Node;

private:
    std::unique_ptr<std::vector<Node>> m_nodes;
};

void append_escaped(std::string& out, std::string_view text);

} // namespace cartable::view
