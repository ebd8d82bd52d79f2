// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/help/help_catalog.h"
#include "core/embedded.h"
#include "core/identity/tokens.h"
#include "core/text.h"
#include "core/view/markdown.h"
#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace cartable::help {

std::vector<Label> const& sections()
{
    static std::vector<Label> const list {
        { "preferences", "Préférences" },
        { "messagerie", "Messagerie" },
        { "cahier-de-textes", "Cahier de textes" },
        { "evaluations", "Évaluations" },
        { "absences", "Absences" },
        { "rubriques", "Rubriques" },
        { "carnet-de-liaison", "Carnet de liaison" },
        { "etablissement", "Établissement" },
        { "services-personnels", "Services personnels" },
        { "vie-scolaire", "Vie scolaire / Scolarité" },
        { "publication", "Publication" },
        { "raccourcis", "Raccourcis" },
        { "outils", "Outils" },
    };
    return list;
}

std::vector<Label> const& profiles()
{
    static std::vector<Label> const list {
        { "direction", "Personnels de direction / Administrateurs" },
        { "vie-scolaire", "CPE / Personnels de vie scolaire" },
        { "enseignants", "Enseignants / Documentalistes" },
        { "responsables", "Responsables légaux" },
        { "eleves", "Élèves" },
    };
    return list;
}

std::string_view section_label(std::string_view code)
{
    for (auto const& section : sections()) {
        if (section.code == code)
            return section.label;
    }
    return {};
}

std::string render_markdown(std::string_view markdown)
{
    return view::markdown_to_html(markdown);
}

namespace {

// Plain text of rendered HTML: tags dropped, the few entities md4c writes
// turned back into characters.
std::string plain_text(std::string_view html)
{
    std::string text;
    bool in_tag = false;
    for (std::size_t index = 0; index < html.size(); ++index) {
        char c = html[index];
        if (c == '<') {
            in_tag = true;
            text += ' ';
        } else if (c == '>') {
            in_tag = false;
        } else if (!in_tag) {
            if (c == '&') {
                static std::pair<std::string_view, char> const entities[]
                    = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&#39;", '\'' } };
                bool replaced = false;
                for (auto const& [entity, character] : entities) {
                    if (html.substr(index, entity.size()) == entity) {
                        text += character;
                        index += entity.size() - 1;
                        replaced = true;
                        break;
                    }
                }
                if (replaced)
                    continue;
            }
            text += (c == '\n') ? ' ' : c;
        }
    }
    std::string collapsed;
    for (char c : text) {
        if (c == ' ' && (collapsed.empty() || collapsed.back() == ' '))
            continue;
        collapsed += c;
    }
    return std::string(trim_blanks(collapsed));
}

std::vector<std::string> split_list(std::string_view text)
{
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string_view::npos)
            comma = text.size();
        auto item = trim_blanks(text.substr(start, comma - start));
        if (!item.empty())
            items.emplace_back(item);
        start = comma + 1;
    }
    return items;
}

bool is_known(std::vector<Label> const& labels, std::string_view code)
{
    return std::any_of(labels.begin(), labels.end(), [&](Label const& label) { return label.code == code; });
}

// "---\nkey: value\n…\n---\nbody"
HelpPage parse_page(std::string_view path, std::string_view content)
{
    auto fail
        = [&](std::string const& why) { return std::runtime_error("help page " + std::string(path) + ": " + why); };
    if (!content.starts_with("---\n"))
        throw fail("missing front matter");
    auto end = content.find("\n---\n", 3);
    if (end == std::string_view::npos)
        throw fail("unclosed front matter");
    HelpPage page;
    auto slash = path.rfind('/');
    page.slug = std::string(path.substr(slash + 1, path.size() - slash - 4));
    auto header = content.substr(4, end - 4);
    std::size_t start = 0;
    while (start < header.size()) {
        auto newline = header.find('\n', start);
        if (newline == std::string_view::npos)
            newline = header.size();
        auto line = header.substr(start, newline - start);
        start = newline + 1;
        auto colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        auto key = trim_blanks(line.substr(0, colon));
        auto value = trim_blanks(line.substr(colon + 1));
        if (key == "titre")
            page.title = std::string(value);
        else if (key == "rubrique")
            page.section = std::string(value);
        else if (key == "profils")
            page.profiles = split_list(value);
        else if (key == "faq")
            page.is_faq = value == "oui";
        else if (key == "ordre")
            std::from_chars(value.data(), value.data() + value.size(), page.position);
    }
    if (page.title.empty())
        throw fail("no titre");
    if (!is_known(sections(), page.section))
        throw fail("unknown rubrique " + page.section);
    for (auto const& profile : page.profiles) {
        if (!is_known(profiles(), profile))
            throw fail("unknown profil " + profile);
    }
    page.html = render_markdown(content.substr(end + 5));
    page.text = plain_text(page.html);
    page.digest = identity::token_digest(std::string(content));
    return page;
}

} // namespace

std::vector<HelpPage> const& pages()
{
    static std::vector<HelpPage> const list = [] {
        std::vector<HelpPage> result;
        for (auto const& file : embedded::all_files()) {
            if (file.path.starts_with("help/fr/") && file.path.ends_with(".md"))
                result.push_back(parse_page(file.path, file.content));
        }
        std::sort(result.begin(), result.end(), [](HelpPage const& a, HelpPage const& b) {
            return a.section != b.section ? a.section < b.section
                                          : (a.position != b.position ? a.position < b.position : a.title < b.title);
        });
        return result;
    }();
    return list;
}

HelpPage const* find_page(std::string_view slug)
{
    for (auto const& page : pages()) {
        if (page.slug == slug)
            return &page;
    }
    return nullptr;
}

} // namespace cartable::help
