// SPDX-License-Identifier: AGPL-3.0-or-later
// « Règles de communication » and « Quotas d'espace » of a structure.
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/view/frame.h"
#include "services/admin/admin.h"
#include "services/admin/console.h"
#include <charconv>

namespace cartable::admin {

namespace {

constexpr std::uint64_t MEGABYTE = 1024ULL * 1024;
constexpr long long MAX_QUOTA_MEGABYTES = 100LL * 1024;

std::string field_of(access::Profile from, access::Profile to)
{
    return "r_" + std::string(access::profile_code(from)) + "_" + std::string(access::profile_code(to));
}

ErrorOr<http::Response> communication_page(
    Context& context, identity::Structure const& structure, std::string const& message, int status)
{
    auto rules = TRY(context.database().read([&](soci::session& session) -> ErrorOr<CommunicationRules> {
        return communication_rules(session, structure.id);
    }));
    auto defaults = CommunicationRules::defaults();
    auto data = console_data(context, structure);
    view::List heads;
    for (auto to : PROFILES) {
        view::Data head;
        head.set("label", std::string(access::profile_label(to)));
        heads.push_back(std::move(head));
    }
    data.set("heads", std::move(heads));
    view::List rows;
    for (auto from : PROFILES) {
        view::Data row;
        row.set("label", std::string(access::profile_label(from)));
        view::List cells;
        for (auto to : PROFILES) {
            view::Data cell;
            cell.set("field", field_of(from, to));
            cell.set("checked", rules.allows(from, to));
            cell.set("default", defaults.allows(from, to) ? "autorisé par défaut" : "interdit par défaut");
            cell.set(
                "label", std::string(access::profile_label(from)) + " vers " + std::string(access::profile_label(to)));
            cells.push_back(std::move(cell));
        }
        row.set("cells", std::move(cells));
        rows.push_back(std::move(row));
    }
    data.set("rows", std::move(rows));
    data.set("custom", !(rules == defaults));
    if (!message.empty())
        data.set("message", message);
    return view::render(
        context, "admin/communication", std::move(data), "Règles de communication", view::MenuEntry::None, status);
}

struct QuotaField {
    access::Profile profile;
    std::string value; // as typed, in Mo
    std::string error;
};

ErrorOr<http::Response> quotas_page(Context& context, identity::Structure const& structure,
    std::vector<QuotaField> const& fields, std::string const& message, int status)
{
    auto data = console_data(context, structure);
    view::List rows;
    for (auto const& field : fields) {
        view::Data row;
        auto code = std::string(access::profile_code(field.profile));
        row.set("field", "q_" + code);
        row.set("label", std::string(access::profile_label(field.profile)));
        row.set("value", field.value);
        row.set("default", i18n::format_size(default_quota_bytes(field.profile)));
        if (!field.error.empty())
            row.set("error", field.error);
        rows.push_back(std::move(row));
    }
    data.set("rows", std::move(rows));
    if (!message.empty())
        data.set("message", message);
    bool failed = std::any_of(fields.begin(), fields.end(), [](auto const& field) { return !field.error.empty(); });
    if (failed)
        data.set("error", "Les quotas n'ont pas été enregistrés : corrigez les champs signalés.");
    return view::render(context, "admin/quotas", std::move(data), "Quotas d'espace", view::MenuEntry::None, status);
}

} // namespace

ErrorOr<http::Response> show_communication(Context& context)
{
    auto structure = TRY(administered_structure(context));
    return communication_page(context, structure, {}, 200);
}

ErrorOr<http::Response> save_communication(Context& context)
{
    auto structure = TRY(administered_structure(context));
    auto rules = CommunicationRules::defaults();
    bool restore = context.request.form.has("defaut");
    if (!restore) {
        for (auto from : PROFILES) {
            for (auto to : PROFILES)
                rules.set(from, to, context.request.form.get(field_of(from, to)) == "1");
        }
    }
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        auto before = communication_rules(session, structure.id);
        std::string changes;
        for (auto from : PROFILES) {
            for (auto to : PROFILES) {
                if (before.allows(from, to) == rules.allows(from, to))
                    continue;
                changes += (changes.empty() ? "" : " ; ") + std::string(access::profile_label(from)) + " → "
                    + std::string(access::profile_label(to)) + (rules.allows(from, to) ? " autorisé" : " interdit");
            }
        }
        save_communication_rules(session, structure.id, rules);
        if (!changes.empty())
            identity::store::audit_in(session, context.user().id, structure.id, "communication_rules_changed", changes);
        return true;
    }));
    context.services.shared_results.forget("admin.rules." + std::to_string(structure.id));
    return communication_page(context, structure,
        restore ? "Les règles par défaut sont rétablies." : "Les règles de communication sont enregistrées.", 200);
}

ErrorOr<http::Response> show_quotas(Context& context)
{
    auto structure = TRY(administered_structure(context));
    std::vector<QuotaField> fields;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        for (auto profile : PROFILES)
            fields.push_back({ profile, std::to_string(quota_bytes(session, structure.id, profile) / MEGABYTE), {} });
        return true;
    }));
    return quotas_page(context, structure, fields, {}, 200);
}

ErrorOr<http::Response> save_quotas(Context& context)
{
    auto structure = TRY(administered_structure(context));
    std::vector<QuotaField> fields;
    std::vector<std::pair<access::Profile, std::uint64_t>> values;
    for (auto profile : PROFILES) {
        QuotaField field { profile, context.request.form.get("q_" + std::string(access::profile_code(profile))), {} };
        long long megabytes = 0;
        auto const* begin = field.value.data();
        auto const* end = begin + field.value.size();
        auto [stop, error] = std::from_chars(begin, end, megabytes);
        if (field.value.empty() || error != std::errc() || stop != end || megabytes < 1
            || megabytes > MAX_QUOTA_MEGABYTES)
            field.error = "Indiquez un nombre entier de Mo, de 1 à " + std::to_string(MAX_QUOTA_MEGABYTES) + ".";
        else
            values.emplace_back(profile, static_cast<std::uint64_t>(megabytes) * MEGABYTE);
        fields.push_back(std::move(field));
    }
    if (values.size() != fields.size())
        return quotas_page(context, structure, fields, {}, 400);
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        std::string changes;
        for (auto const& [profile, bytes] : values) {
            if (quota_bytes(session, structure.id, profile) != bytes)
                changes += (changes.empty() ? "" : " ; ") + std::string(access::profile_label(profile)) + " : "
                    + i18n::format_size(bytes);
            save_quota(session, structure.id, profile, bytes);
        }
        if (!changes.empty())
            identity::store::audit_in(session, context.user().id, structure.id, "quotas_changed", changes);
        return true;
    }));
    return quotas_page(context, structure, fields, "Les quotas sont enregistrés.", 200);
}

} // namespace cartable::admin
