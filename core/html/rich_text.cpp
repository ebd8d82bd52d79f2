// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/html/rich_text.h"
#include "core/text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <gumbo.h>
#include <memory>

namespace cartable::html {

namespace {

// Deeper than this, elements are flattened to their text: no real message
// nests that far, and the walk stays bounded whatever arrives.
constexpr int MAX_DEPTH = 48;

void append_escaped(std::string& out, std::string_view text)
{
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
}

// Elements dropped with everything inside them.
bool is_dropped(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_META:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_UNKNOWN:
        return true;
    default:
        return false;
    }
}

// Elements kept (with the attributes `kept_attribute` allows).
bool is_allowed(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_B:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_I:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_U:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_A:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_TD:
        return true;
    default:
        return false;
    }
}

bool is_void(GumboTag tag)
{
    return tag == GUMBO_TAG_BR || tag == GUMBO_TAG_HR || tag == GUMBO_TAG_IMG;
}

bool is_block(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_HR:
        return true;
    default:
        return false;
    }
}

bool is_positive_number(std::string_view value)
{
    return !value.empty() && value.size() <= 4
        && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Whether an image source may be shown: https or a path of this site (no
// plain http, which a page served over https would not load anyway).
bool is_safe_image(std::string_view url)
{
    if (!is_safe_link(url))
        return false;
    auto lower = std::string(url.substr(0, 8));
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower.starts_with("https://") || url.starts_with('/');
}

bool kept_attribute(GumboTag tag, std::string_view name, std::string_view value)
{
    switch (tag) {
    case GUMBO_TAG_A:
        return (name == "href" && is_safe_link(value)) || name == "title";
    case GUMBO_TAG_IMG:
        return (name == "src" && is_safe_image(value)) || name == "alt" || name == "title"
            || ((name == "width" || name == "height") && is_positive_number(value));
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
        return (name == "colspan" || name == "rowspan") && is_positive_number(value);
    case GUMBO_TAG_OL:
        return name == "start" && is_positive_number(value);
    default:
        return false;
    }
}

class Builder {
public:
    std::string out;

    void children(GumboVector const& nodes, int depth)
    {
        for (unsigned i = 0; i < nodes.length; ++i)
            node(*static_cast<GumboNode const*>(nodes.data[i]), depth);
    }

    void node(GumboNode const& node, int depth)
    {
        switch (node.type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA:
            append_escaped(out, node.v.text.text);
            return;
        case GUMBO_NODE_ELEMENT:
            element(node.v.element, depth);
            return;
        default: // comments, documents, templates
            return;
        }
    }

private:
    void element(GumboElement const& element, int depth)
    {
        if (element.tag_namespace != GUMBO_NAMESPACE_HTML || is_dropped(element.tag))
            return;
        if (!is_allowed(element.tag) || depth >= MAX_DEPTH) {
            children(element.children, depth + 1);
            if (is_block(element.tag) && depth < MAX_DEPTH)
                out += "\n";
            return;
        }
        std::string_view name = gumbo_normalized_tagname(element.tag);
        if (element.tag == GUMBO_TAG_IMG && !has_safe_source(element))
            return;
        out += '<';
        out += name;
        for (unsigned i = 0; i < element.attributes.length; ++i) {
            auto const& attribute = *static_cast<GumboAttribute const*>(element.attributes.data[i]);
            if (!kept_attribute(element.tag, attribute.name, attribute.value))
                continue;
            out += ' ';
            out += attribute.name;
            out += "=\"";
            append_escaped(out, attribute.value);
            out += '"';
        }
        if (element.tag == GUMBO_TAG_A)
            out += R"( rel="noopener noreferrer nofollow")";
        out += '>';
        if (is_void(element.tag))
            return;
        children(element.children, depth + 1);
        out += "</";
        out += name;
        out += '>';
    }

    static bool has_safe_source(GumboElement const& element)
    {
        auto const* source = gumbo_get_attribute(&element.attributes, "src");
        return source != nullptr && is_safe_image(source->value);
    }
};

struct OutputDeleter {
    void operator()(GumboOutput* output) const { gumbo_destroy_output(&kGumboDefaultOptions, output); }
};

// Parses a fragment as the content of a <div>, as an editor's HTML is.
std::unique_ptr<GumboOutput, OutputDeleter> parse_fragment(std::string_view html)
{
    auto options = kGumboDefaultOptions;
    options.fragment_context = GUMBO_TAG_DIV;
    options.fragment_namespace = GUMBO_NAMESPACE_HTML;
    options.max_errors = 0;
    return std::unique_ptr<GumboOutput, OutputDeleter>(gumbo_parse_with_options(&options, html.data(), html.size()));
}

void collect_text(GumboNode const& node, std::string& out, int depth)
{
    if (node.type == GUMBO_NODE_TEXT || node.type == GUMBO_NODE_WHITESPACE || node.type == GUMBO_NODE_CDATA) {
        out += node.v.text.text;
        return;
    }
    if (node.type != GUMBO_NODE_ELEMENT || depth > MAX_DEPTH)
        return;
    auto const& element = node.v.element;
    if (is_dropped(element.tag))
        return;
    if (element.tag == GUMBO_TAG_BR) {
        out += '\n';
        return;
    }
    for (unsigned i = 0; i < element.children.length; ++i)
        collect_text(*static_cast<GumboNode const*>(element.children.data[i]), out, depth + 1);
    if (is_block(element.tag) || element.tag == GUMBO_TAG_TD || element.tag == GUMBO_TAG_TH)
        out += element.tag == GUMBO_TAG_TD || element.tag == GUMBO_TAG_TH ? " " : "\n";
}

// Trims each line's end and keeps at most one blank line between paragraphs.
std::string tidy_lines(std::string const& text)
{
    std::string out;
    std::size_t blank_run = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string_view line(text.data() + start, end - start);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
            line.remove_suffix(1);
        if (line.empty()) {
            ++blank_run;
        } else {
            if (!out.empty())
                out += blank_run > 0 ? "\n\n" : "\n";
            out += line;
            blank_run = 0;
        }
        start = end + 1;
    }
    return out;
}

} // namespace

bool is_safe_link(std::string_view url)
{
    // Browsers ignore leading spaces and control characters and any tab or
    // line break inside a scheme: look at the URL as they do.
    std::string cleaned;
    for (char c : url) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f)
            continue;
        cleaned += static_cast<char>(std::tolower(byte));
        if (cleaned.size() > 16)
            break;
    }
    auto colon = cleaned.find(':');
    auto first_separator = cleaned.find_first_of("/?#");
    if (colon == std::string::npos || (first_separator != std::string::npos && first_separator < colon))
        return !url.empty() && !(url.starts_with("//") || url.starts_with("\\"));
    return cleaned.starts_with("https:") || cleaned.starts_with("http:") || cleaned.starts_with("mailto:");
}

std::string sanitize(std::string_view untrusted_html)
{
    auto output = parse_fragment(untrusted_html);
    Builder builder;
    builder.out.reserve(untrusted_html.size());
    if (output && output->root != nullptr && output->root->type == GUMBO_NODE_ELEMENT)
        builder.children(output->root->v.element.children, 0);
    return std::move(builder.out);
}

std::string plain_text(std::string_view html)
{
    auto output = parse_fragment(html);
    std::string text;
    if (output && output->root != nullptr && output->root->type == GUMBO_NODE_ELEMENT) {
        auto const& children = output->root->v.element.children;
        for (unsigned i = 0; i < children.length; ++i)
            collect_text(*static_cast<GumboNode const*>(children.data[i]), text, 0);
    }
    return tidy_lines(text);
}

std::string from_plain_text(std::string_view text)
{
    std::string out;
    std::string paragraph;
    auto flush = [&] {
        if (paragraph.empty())
            return;
        out += "<p>";
        out += paragraph;
        out += "</p>";
        paragraph.clear();
    };
    for_each_line(text, [&](std::string_view line) {
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
            flush();
        } else {
            if (!paragraph.empty())
                paragraph += "<br>";
            append_escaped(paragraph, line);
        }
    });
    flush();
    return out;
}

} // namespace cartable::html
