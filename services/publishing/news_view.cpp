// SPDX-License-Identifier: AGPL-3.0-or-later
// News and agenda dates as the templates show them; news text from Markdown.
#include "core/i18n/format.h"
#include "services/publishing/publishing_scopes.h"
#include <md4c-html.h>

namespace cartable::publishing {

namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix)
{
    if (text.size() < prefix.size())
        return false;
    for (std::size_t index = 0; index < prefix.size(); ++index) {
        if (std::tolower(static_cast<unsigned char>(text[index])) != prefix[index])
            return false;
    }
    return true;
}

// A link or image address a reader may follow: a web or mail address, or a
// path of this site. Anything with another scheme (javascript:, data:, …)
// is not.
bool is_safe_address(std::string_view url)
{
    if (starts_with_ignoring_case(url, "http://") || starts_with_ignoring_case(url, "https://")
        || starts_with_ignoring_case(url, "mailto:"))
        return true;
    if (url.starts_with("//"))
        return false;
    auto colon = url.find(':');
    auto end_of_path = url.find_first_of("/?#");
    return colon == std::string_view::npos || (end_of_path != std::string_view::npos && end_of_path < colon);
}

// md4c writes every attribute it produces as name="value", with any quote
// of the value escaped: an href or src attribute found that way is one of
// its own, and its address is replaced when it is not safe.
std::string neutralise_addresses(std::string html)
{
    for (auto const* attribute : { " href=\"", " src=\"" }) {
        std::string_view marker(attribute);
        for (auto position = html.find(marker); position != std::string::npos;
             position = html.find(marker, position + 1)) {
            auto start = position + marker.size();
            auto end = html.find('"', start);
            if (end == std::string::npos)
                break;
            if (!is_safe_address(std::string_view(html).substr(start, end - start)))
                html.replace(start, end - start, "#");
        }
    }
    return html;
}

} // namespace

std::string render_news_markdown(std::string_view markdown)
{
    std::string html;
    md_html(
        markdown.data(), static_cast<MD_SIZE>(markdown.size()),
        [](MD_CHAR const* text, MD_SIZE size, void* out) { static_cast<std::string*>(out)->append(text, size); }, &html,
        MD_DIALECT_COMMONMARK | MD_FLAG_NOHTML, 0);
    return neutralise_addresses(std::move(html));
}

view::Data news_entry(NewsItem const& news, std::string const& url, long long now)
{
    view::Data entry;
    entry.set("title", news.title);
    entry.set("summary", news.summary);
    entry.set("url", url);
    entry.set("age", i18n::format_relative(news.published_at, now));
    entry.set("date", i18n::format_long_date(news.published_at));
    auto time = static_cast<std::time_t>(news.published_at);
    std::tm local {};
    localtime_r(&time, &local);
    char iso[16];
    std::strftime(iso, sizeof iso, "%Y-%m-%d", &local);
    entry.set("iso_date", std::string(iso));
    entry.set("author", news.author);
    entry.set("is_public", news.is_public);
    if (!news.image_name.empty())
        entry.set("image_url", "/publication/images/" + std::to_string(news.id));
    return entry;
}

view::List events_view(std::vector<Event> const& events)
{
    view::List list;
    for (auto const& event : events) {
        view::Data entry;
        entry.set("title", event.title);
        entry.set("place", event.place);
        entry.set("when", i18n::format_long_datetime(event.starts_at));
        list.push_back(std::move(entry));
    }
    return list;
}

} // namespace cartable::publishing
