// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/text.h"
#include "core/view/frame.h"
#include "services/help/help.h"
#include "services/help/help_catalog.h"
#include "services/help/help_store.h"
#include <algorithm>

namespace cartable::help {

namespace {

constexpr char const* READ = "help.read";

// The help profile a person sees first.
std::string default_profile(Context& context)
{
    if (!context.signed_in())
        return {};
    auto const& user = context.user();
    switch (user.profile) {
    case access::Profile::Student:
        return "eleves";
    case access::Profile::Guardian:
        return "responsables";
    case access::Profile::Teacher:
        return "enseignants";
    case access::Profile::Admin:
        return "direction";
    case access::Profile::Staff:
        return user.function == "CPE" ? "vie-scolaire" : "direction";
    }
    return {};
}

std::string chosen_profile(Context& context)
{
    auto asked = context.request.query.get("profil");
    if (asked == "tous")
        return {};
    for (auto const& profile : profiles()) {
        if (profile.code == asked)
            return asked;
    }
    return default_profile(context);
}

bool for_profile(HelpPage const& page, std::string const& profile)
{
    return profile.empty() || std::find(page.profiles.begin(), page.profiles.end(), profile) != page.profiles.end();
}

view::Data item_of(HelpPage const& page)
{
    view::Data item;
    item.set("title", page.title);
    item.set("url", "/aide/page/" + page.slug);
    item.set("excerpt", excerpt(page.text, 220));
    item.set("section", std::string(section_label(page.section)));
    return item;
}

ErrorOr<http::Response> show_help_centre(Context& context)
{
    auto profile = chosen_profile(context);
    view::Data data;
    data.set("deployment_name", context.config().deployment_name);
    data.set("query", "");
    view::List profile_links;
    for (auto const& entry : profiles()) {
        view::Data link;
        link.set("label", std::string(entry.label));
        link.set("url", "/aide?profil=" + std::string(entry.code));
        link.set("current", entry.code == profile);
        profile_links.push_back(std::move(link));
        if (entry.code == profile)
            data.set("profile_label", std::string(entry.label));
    }
    data.set("profiles", std::move(profile_links));
    view::List section_links;
    for (auto const& section : sections()) {
        auto count = std::count_if(pages().begin(), pages().end(),
            [&](HelpPage const& page) { return page.section == section.code && for_profile(page, profile); });
        view::Data link;
        link.set("label", std::string(section.label));
        link.set("url", "/aide/rubrique/" + std::string(section.code) + (profile.empty() ? "" : "?profil=" + profile));
        link.set("count", std::to_string(count));
        section_links.push_back(std::move(link));
    }
    data.set("sections", std::move(section_links));
    view::List questions;
    for (auto const& page : pages()) {
        if (!page.is_faq || !for_profile(page, profile))
            continue;
        view::Data question;
        question.set("title", page.title);
        question.set("html", page.html);
        question.set("url", "/aide/page/" + page.slug);
        questions.push_back(std::move(question));
    }
    data.set("faq", std::move(questions));
    return view::render(context, "help/home", std::move(data), "Aide en ligne");
}

ErrorOr<http::Response> show_section(Context& context)
{
    auto code = context.request.parameter("section");
    auto label = section_label(code);
    if (label.empty())
        return Error::not_found("Cette rubrique de l'aide n'existe pas.");
    auto profile = chosen_profile(context);
    view::Data data;
    data.set("heading", std::string(label));
    data.set("query", "");
    data.set("empty_message", "Cette rubrique n'a pas encore de page pour ce profil.");
    view::List items;
    for (auto const& page : pages()) {
        if (page.section == code && for_profile(page, profile))
            items.push_back(item_of(page));
    }
    data.set("items", std::move(items));
    return view::render(context, "help/list", std::move(data), std::string(label) + " – Aide en ligne");
}

ErrorOr<http::Response> show_page(Context& context)
{
    auto const* page = find_page(context.request.parameter("slug"));
    if (!page)
        return Error::not_found("Cette page de l'aide n'existe pas.");
    view::Data data;
    data.set("title", page->title);
    data.set("section", std::string(section_label(page->section)));
    data.set("section_url", "/aide/rubrique/" + page->section);
    data.set("html", page->html);
    return view::render(context, "help/page", std::move(data), page->title + " – Aide en ligne");
}

ErrorOr<http::Response> search_help(Context& context)
{
    auto words = context.request.query.get("q");
    if (words.size() > 200)
        return Error::invalid("La recherche est limitée à 200 caractères.");
    auto engine = context.database().engine();
    auto slugs = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<std::string>> {
        return store::search(session, engine, words, 20);
    }));
    view::Data data;
    data.set("heading", words.empty() ? std::string("Rechercher dans l'aide") : "Résultats pour « " + words + " »");
    data.set("query", words);
    data.set("empty_message",
        words.empty() ? "Saisissez un ou plusieurs mots, puis « OK »."
                      : "Aucune page ne correspond à votre recherche. Essayez d'autres mots.");
    view::List items;
    for (auto const& slug : slugs) {
        if (auto const* page = find_page(slug))
            items.push_back(item_of(*page));
    }
    data.set("items", std::move(items));
    return view::render(context, "help/list", std::move(data), "Recherche – Aide en ligne");
}

} // namespace

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    return registry.declare({ READ, access::Scope::Public, {}, access::Risk::Read, "Lire l'aide en ligne" });
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/aide", READ, show_help_centre },
        { Method::Get, "/aide/rubrique/{section}", READ, show_section },
        { Method::Get, "/aide/page/{slug}", READ, show_page },
        { Method::Get, "/aide/recherche", READ, search_help },
    };
}

ErrorOr<void> start(Services& services)
{
    auto const& all = pages();
    auto engine = services.database->engine();
    return services.database
               ->write([&](soci::session& session) -> ErrorOr<bool> {
                   store::synchronise(session, engine, all);
                   return true;
               })
               .is_error()
        ? Error::internal("indexing the help pages failed")
        : ErrorOr<void> {};
}

} // namespace cartable::help
