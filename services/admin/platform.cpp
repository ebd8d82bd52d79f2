// SPDX-License-Identifier: AGPL-3.0-or-later
// The platform's administration: its structures (outside the académie's
// feed, or to correct them) and its académies with their région.
#include "core/identity/identity_store.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/admin/admin.h"
#include "services/admin/console.h"
#include <charconv>
#include <regex>

namespace cartable::admin {

namespace {

constexpr std::array<char const*, 7> KINDS { "Collège", "Lycée", "Lycée professionnel", "Lycée polyvalent",
    "Cité scolaire", "EREA", "Autre" };

struct StructureRow {
    identity::Structure structure;
    long long parent_id { 0 };
    std::string source;
    long long people { 0 };
};

std::vector<StructureRow> structure_rows(soci::session& session)
{
    std::vector<StructureRow> result;
    StructureRow row;
    soci::indicator parent = soci::i_null;
    soci::statement statement = (session.prepare
            << "SELECT s.id, s.uai, s.name, s.kind, s.city, s.academy, s.region, s.parent_id, s.source, (SELECT "
               "COUNT(*) FROM identity_user u WHERE u.structure_id = s.id AND u.active = 1) FROM identity_structure "
               "s ORDER BY s.region, s.academy, s.name",
        soci::into(row.structure.id), soci::into(row.structure.uai), soci::into(row.structure.name),
        soci::into(row.structure.kind), soci::into(row.structure.city), soci::into(row.structure.academy),
        soci::into(row.structure.region), soci::into(row.parent_id, parent), soci::into(row.source),
        soci::into(row.people));
    statement.execute();
    while (statement.fetch()) {
        if (parent != soci::i_ok)
            row.parent_id = 0;
        result.push_back(row);
    }
    return result;
}

struct StructureForm {
    long long id { 0 }; // 0: a new structure
    std::string uai;
    std::string name;
    std::string kind;
    std::string city;
    std::string academy;
    long long parent_id { 0 };
    std::map<std::string, std::string> errors;
};

ErrorOr<http::Response> structure_form_page(Context& context, StructureForm const& form, int status)
{
    struct Choices {
        std::vector<StructureRow> structures;
        std::vector<Academy> academies;
    };
    auto choices = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Choices> {
        return Choices { structure_rows(session), academies(session) };
    }));
    view::Data data;
    data.set("id", std::to_string(form.id));
    data.set("new", form.id == 0);
    data.set("action",
        form.id == 0 ? "/admin/plateforme/etablissements"
                     : "/admin/plateforme/etablissements/" + std::to_string(form.id));
    data.set("uai", form.uai);
    data.set("name", form.name);
    data.set("city", form.city);
    view::List kinds;
    for (auto const* kind : KINDS) {
        view::Data option;
        option.set("value", kind);
        option.set("selected", form.kind == kind);
        kinds.push_back(std::move(option));
    }
    data.set("kinds", std::move(kinds));
    view::List academy_options;
    for (auto const& academy : choices.academies) {
        view::Data option;
        option.set("value", academy.name);
        option.set("label", "Académie de " + academy.name + " (" + academy.region + ")");
        option.set("selected", form.academy == academy.name);
        academy_options.push_back(std::move(option));
    }
    data.set("academies", std::move(academy_options));
    view::List parents;
    for (auto const& row : choices.structures) {
        if (row.structure.id == form.id)
            continue;
        view::Data option;
        option.set("value", std::to_string(row.structure.id));
        option.set("label", row.structure.name + " (" + row.structure.uai + ")");
        option.set("selected", row.structure.id == form.parent_id);
        parents.push_back(std::move(option));
    }
    data.set("parents", std::move(parents));
    for (auto const& [field, message] : form.errors)
        data.set("error_" + field, message);
    if (!form.errors.empty())
        data.set("error", "L'établissement n'a pas été enregistré : corrigez les champs signalés.");
    return view::render(context, "admin/structure_form", std::move(data),
        form.id == 0 ? "Nouvel établissement" : "Modifier l'établissement", view::MenuEntry::None, status);
}

} // namespace

ErrorOr<http::Response> show_structures(Context& context)
{
    auto rows = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::vector<StructureRow>> { return structure_rows(session); }));
    std::map<long long, std::string> names;
    for (auto const& row : rows)
        names[row.structure.id] = row.structure.name;
    view::List list;
    for (auto const& row : rows) {
        view::Data entry;
        entry.set("uai", row.structure.uai);
        entry.set("name", row.structure.name);
        entry.set("kind", row.structure.kind);
        entry.set("city", row.structure.city);
        entry.set("academy", row.structure.academy);
        entry.set("region", row.structure.region);
        entry.set("parent", row.parent_id ? names[row.parent_id] : std::string());
        entry.set("source", row.source == "aaf" ? "AAF" : row.source == "csv" ? "CSV" : "locale");
        entry.set("people", std::to_string(row.people));
        entry.set("edit_url", "/admin/plateforme/etablissements/" + std::to_string(row.structure.id));
        entry.set("console_url", "/admin?uai=" + http::percent_encode(row.structure.uai));
        list.push_back(std::move(entry));
    }
    view::Data data;
    data.set("structures", std::move(list));
    data.set("count", std::to_string(rows.size()));
    return view::render(context, "admin/structures", std::move(data), "Établissements de la plateforme");
}

ErrorOr<http::Response> show_structure_form(Context& context)
{
    StructureForm form;
    auto id_text = context.request.parameter("id");
    if (!id_text.empty()) {
        form.id = parse_id(id_text);
        auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<StructureRow>> {
            for (auto const& row : structure_rows(session)) {
                if (row.structure.id == form.id)
                    return std::optional<StructureRow>(row);
            }
            return std::optional<StructureRow>();
        }));
        if (!found)
            return Error::not_found();
        form.uai = found->structure.uai;
        form.name = found->structure.name;
        form.kind = found->structure.kind;
        form.city = found->structure.city;
        form.academy = found->structure.academy;
        form.parent_id = found->parent_id;
    }
    return structure_form_page(context, form, 200);
}

ErrorOr<http::Response> save_structure(Context& context)
{
    auto const& fields = context.request.form;
    StructureForm form;
    form.id = parse_id(context.request.parameter("id"));
    form.uai = std::string(trim_text(fields.get("uai")));
    for (auto& c : form.uai)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    form.name = std::string(trim_text(fields.get("nom")));
    form.kind = fields.get("type");
    form.city = std::string(trim_text(fields.get("commune")));
    form.academy = fields.get("academie");
    form.parent_id = parse_id(fields.get("parent"));

    static std::regex const UAI("^[0-9]{7}[A-Z]$");
    if (form.id == 0 && !std::regex_match(form.uai, UAI))
        form.errors["uai"] = "L'UAI s'écrit avec sept chiffres et une lettre, par exemple 0300027A.";
    if (form.name.empty() || form.name.size() > 200)
        form.errors["name"] = "Indiquez le nom de l'établissement (200 caractères au plus).";
    if (std::find(KINDS.begin(), KINDS.end(), form.kind) == KINDS.end())
        form.errors["kind"] = "Choisissez le type d'établissement.";
    if (form.city.size() > 100)
        form.errors["city"] = "La commune tient en 100 caractères.";

    auto outcome = TRY(context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        std::string region;
        for (auto const& academy : academies(session)) {
            if (academy.name == form.academy)
                region = academy.region;
        }
        if (region.empty())
            form.errors["academy"] = "Choisissez l'académie.";
        if (form.id == 0 && form.errors.empty() && identity::store::find_structure_by_uai(session, form.uai))
            form.errors["uai"] = "Un établissement a déjà cet UAI.";
        if (form.id != 0 && !identity::store::find_structure(session, form.id))
            return Error::not_found();
        if (form.parent_id != 0
            && (form.parent_id == form.id || !identity::store::find_structure(session, form.parent_id)))
            form.errors["parent"] = "Choisissez un autre établissement de rattachement.";
        if (!form.errors.empty())
            return 0LL;
        soci::indicator parent_indicator = form.parent_id ? soci::i_ok : soci::i_null;
        auto id = form.id;
        if (id == 0) {
            identity::Structure structure;
            structure.uai = form.uai;
            structure.name = form.name;
            structure.kind = form.kind;
            structure.city = form.city;
            structure.academy = form.academy;
            structure.region = region;
            id = identity::store::create_structure(session, structure);
        } else {
            session << "UPDATE identity_structure SET name = :name, kind = :kind, city = :city, academy = :academy, "
                       "region = :region WHERE id = :id",
                soci::use(form.name), soci::use(form.kind), soci::use(form.city), soci::use(form.academy),
                soci::use(region), soci::use(id);
        }
        session << "UPDATE identity_structure SET parent_id = :parent WHERE id = :id",
            soci::use(form.parent_id, parent_indicator), soci::use(id);
        identity::store::audit_in(session, context.user().id, id,
            form.id == 0 ? "structure_created" : "structure_changed",
            form.name + (form.uai.empty() ? std::string() : " (" + form.uai + ")"));
        return id;
    }));
    if (!form.errors.empty())
        return structure_form_page(context, form, 400);
    if (outcome != 0)
        context.services.structures.forget(outcome);
    context.services.forget_directory();
    context.services.public_pages.forget_all();
    return http::Response::redirect("/admin/plateforme/etablissements");
}

ErrorOr<http::Response> show_academies(Context& context)
{
    auto list = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::vector<Academy>> { return academies(session); }));
    view::List rows;
    for (auto const& academy : list) {
        view::Data row;
        row.set("name", academy.name);
        row.set("region", academy.region);
        row.set("structures", std::to_string(academy.structures));
        rows.push_back(std::move(row));
    }
    view::Data data;
    data.set("academies", std::move(rows));
    auto error = context.request.query.get("erreur");
    if (error == "champs")
        data.set("error", "Indiquez le nom de l'académie et sa région (100 caractères au plus chacun).");
    if (context.request.query.get("ok") == "1")
        data.set("message", "L'académie est enregistrée.");
    return view::render(context, "admin/academies", std::move(data), "Académies et régions");
}

// Adds an académie, or changes the région of one (and of its structures).
ErrorOr<http::Response> save_academy(Context& context)
{
    auto name = std::string(trim_text(context.request.form.get("nom")));
    auto region = std::string(trim_text(context.request.form.get("region")));
    constexpr std::string_view PREFIX = "Académie de ";
    if (name.starts_with(PREFIX))
        name = name.substr(PREFIX.size());
    if (name.empty() || region.empty() || name.size() > 100 || region.size() > 100)
        return http::Response::redirect("/admin/plateforme/academies?erreur=champs");
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        long long known = 0;
        session << "SELECT COUNT(*) FROM admin_academy WHERE name = :name", soci::use(name), soci::into(known);
        if (known == 0)
            session << "INSERT INTO admin_academy (name, region, created_at) VALUES (:name, :region, :now)",
                soci::use(name), soci::use(region), soci::use(context.now);
        else
            session << "UPDATE admin_academy SET region = :region WHERE name = :name", soci::use(region),
                soci::use(name);
        session << "UPDATE identity_structure SET region = :region WHERE academy = :name", soci::use(region),
            soci::use(name);
        identity::store::audit(
            session, context.user().id, "academy_saved", "Académie de " + name + " (" + region + ")");
        return true;
    }));
    context.services.structures.forget_all();
    context.services.public_pages.forget_all();
    return http::Response::redirect("/admin/plateforme/academies?ok=1");
}

} // namespace cartable::admin
