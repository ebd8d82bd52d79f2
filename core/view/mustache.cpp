// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/view/mustache.h"
#include "core/text.h"
#include <stdexcept>

namespace cartable::view {

void Data::set(std::string name, Data value)
{
    for (auto& [existing, member] : m_members) {
        if (existing == name) {
            member = std::move(value);
            return;
        }
    }
    m_members.emplace_back(std::move(name), std::move(value));
}

Data const* Data::find(std::string_view name) const
{
    for (auto const& [existing, member] : m_members) {
        if (existing == name)
            return &member;
    }
    return nullptr;
}

bool Data::is_truthy() const
{
    switch (m_type) {
    case type::boolean:
        return m_flag;
    case type::string:
        return !m_string.empty();
    case type::list:
        return !m_list.empty();
    case type::object:
        return true;
    }
    return false;
}

struct Template::Node {
    enum class Kind { Text, Escaped, Raw, Section, Inverted };
    Kind kind { Kind::Text };
    std::string text; // the text, or the name looked up
    std::vector<Node> children;
};

namespace {

using Node = Template::Node;

constexpr auto trim = trim_blanks;

// Mustache spec: "standalone" section and comment tags (alone on their line
// with blanks) take their line with them.
bool standalone(
    std::string_view source, std::size_t tag_start, std::size_t tag_end, std::size_t& line_start, std::size_t& line_end)
{
    line_start = tag_start;
    while (line_start > 0 && (source[line_start - 1] == ' ' || source[line_start - 1] == '\t'))
        --line_start;
    if (line_start > 0 && source[line_start - 1] != '\n')
        return false;
    line_end = tag_end;
    while (
        line_end < source.size() && (source[line_end] == ' ' || source[line_end] == '\t' || source[line_end] == '\r'))
        ++line_end;
    if (line_end < source.size() && source[line_end] != '\n')
        return false;
    if (line_end < source.size())
        ++line_end;
    return true;
}

std::vector<Node> parse(std::string_view source)
{
    std::vector<Node> root;
    std::vector<std::vector<Node>*> stack { &root };
    std::vector<std::string> open_sections;
    std::size_t position = 0;
    auto add_text = [&](std::string_view text) {
        if (text.empty())
            return;
        auto& nodes = *stack.back();
        if (!nodes.empty() && nodes.back().kind == Node::Kind::Text)
            nodes.back().text += text;
        else
            nodes.push_back({ Node::Kind::Text, std::string(text), {} });
    };
    while (position < source.size()) {
        auto open = source.find("{{", position);
        if (open == std::string_view::npos) {
            add_text(source.substr(position));
            break;
        }
        bool triple = source.compare(open, 3, "{{{") == 0;
        auto close = source.find(triple ? "}}}" : "}}", open + (triple ? 3 : 2));
        if (close == std::string_view::npos)
            throw std::runtime_error("unclosed tag at offset " + std::to_string(open));
        auto tag_end = close + (triple ? 3 : 2);
        auto inside = source.substr(open + (triple ? 3 : 2), close - open - (triple ? 3 : 2));
        char sigil = triple ? '{' : (inside.empty() ? ' ' : inside.front());
        bool block = sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!';
        std::size_t line_start = open;
        std::size_t line_end = tag_end;
        if (block && standalone(source, open, tag_end, line_start, line_end)) {
            add_text(source.substr(position, line_start - position));
            position = line_end;
        } else {
            add_text(source.substr(position, open - position));
            position = tag_end;
        }
        switch (sigil) {
        case '!':
            break;
        case '#':
        case '^': {
            auto name = std::string(trim(inside.substr(1)));
            stack.back()->push_back({ sigil == '#' ? Node::Kind::Section : Node::Kind::Inverted, name, {} });
            stack.push_back(&stack.back()->back().children);
            open_sections.push_back(name);
            break;
        }
        case '/': {
            auto name = std::string(trim(inside.substr(1)));
            if (open_sections.empty() || open_sections.back() != name)
                throw std::runtime_error("section closed out of order: " + name);
            open_sections.pop_back();
            stack.pop_back();
            break;
        }
        case '{':
            stack.back()->push_back({ Node::Kind::Raw, std::string(trim(inside)), {} });
            break;
        case '&':
            stack.back()->push_back({ Node::Kind::Raw, std::string(trim(inside.substr(1))), {} });
            break;
        case '>':
        case '=':
            throw std::runtime_error("partials and delimiter changes are not supported");
        default:
            stack.back()->push_back({ Node::Kind::Escaped, std::string(trim(inside)), {} });
            break;
        }
    }
    if (!open_sections.empty())
        throw std::runtime_error("section not closed: " + open_sections.back());
    return root;
}

// Looks a name up from the innermost context outwards; "." is the context.
Data const* lookup(std::vector<Data const*> const& contexts, std::string const& name)
{
    if (name == ".")
        return contexts.back();
    for (auto context = contexts.rbegin(); context != contexts.rend(); ++context) {
        if ((*context)->kind() != Data::type::object)
            continue;
        if (auto const* found = (*context)->find(name))
            return found;
    }
    return nullptr;
}

void append_value(std::string& out, Data const& value, bool escape)
{
    std::string_view text;
    switch (value.kind()) {
    case Data::type::string:
        text = value.text();
        break;
    case Data::type::boolean:
        text = value.is_truthy() ? "true" : "false";
        break;
    default:
        return;
    }
    if (escape)
        append_escaped(out, text);
    else
        out += text;
}

void render_nodes(std::vector<Node> const& nodes, std::vector<Data const*>& contexts, std::string& out)
{
    for (auto const& node : nodes) {
        switch (node.kind) {
        case Node::Kind::Text:
            out += node.text;
            break;
        case Node::Kind::Escaped:
        case Node::Kind::Raw:
            if (auto const* value = lookup(contexts, node.text))
                append_value(out, *value, node.kind == Node::Kind::Escaped);
            break;
        case Node::Kind::Inverted: {
            auto const* value = lookup(contexts, node.text);
            if (!value || !value->is_truthy())
                render_nodes(node.children, contexts, out);
            break;
        }
        case Node::Kind::Section: {
            auto const* value = lookup(contexts, node.text);
            if (!value || !value->is_truthy())
                break;
            if (value->kind() == Data::type::list) {
                for (auto const& item : value->items()) {
                    contexts.push_back(&item);
                    render_nodes(node.children, contexts, out);
                    contexts.pop_back();
                }
            } else if (value->kind() == Data::type::object) {
                contexts.push_back(value);
                render_nodes(node.children, contexts, out);
                contexts.pop_back();
            } else {
                render_nodes(node.children, contexts, out);
            }
            break;
        }
        }
    }
}

} // namespace

void append_escaped(std::string& out, std::string_view text)
{
    // Copies runs of harmless characters at once: most text has none to escape.
    std::size_t start = 0;
    for (std::size_t index = 0; index < text.size(); ++index) {
        char const* entity = nullptr;
        switch (text[index]) {
        case '&':
            entity = "&amp;";
            break;
        case '<':
            entity = "&lt;";
            break;
        case '>':
            entity = "&gt;";
            break;
        case '"':
            entity = "&quot;";
            break;
        case '\'':
            entity = "&#39;";
            break;
        default:
            continue;
        }
        out.append(text.data() + start, index - start);
        out += entity;
        start = index + 1;
    }
    out.append(text.data() + start, text.size() - start);
}

Template::Template(std::string_view source)
    : m_nodes(std::make_unique<std::vector<Node>>(parse(source)))
{ }

Template::~Template() = default;
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(Template&&) noexcept = default;

void Template::render(Data const& data, std::string& out) const
{
    std::vector<Data const*> contexts { &data };
    render_nodes(*m_nodes, contexts, out);
}

std::string Template::render(Data const& data) const
{
    std::string out;
    out.reserve(4096);
    render(data, out);
    return out;
}

} // namespace cartable::view
