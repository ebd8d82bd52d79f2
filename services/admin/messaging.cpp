// SPDX-License-Identifier: AGPL-3.0-or-later
// « Plafonds de la messagerie »: how many recipients a person of each profile
// may reach in one hour before their messages wait for a staff member's
// approval (the messagerie asks `recipient_cap`).
#include "core/identity/identity_store.h"
#include "core/view/frame.h"
#include "services/admin/admin.h"
#include "services/admin/console.h"
#include <algorithm>
#include <charconv>

namespace cartable::admin {

namespace {

struct CapField {
    access::Profile profile;
    std::string value; // as typed
    std::string error;
};

std::string field_name(access::Profile profile)
{
    return std::string("c_").append(access::profile_code(profile));
}

ErrorOr<http::Response> messaging_page(Context& context, identity::Structure const& structure,
    std::vector<CapField> const& fields, std::string const& message, int status)
{
    auto data = console_data(context, structure);
    view::List rows;
    for (auto const& field : fields) {
        view::Data row;
        row.set("field", field_name(field.profile));
        row.set("label", std::string(access::profile_label(field.profile)));
        row.set("value", field.value);
        row.set("default", std::to_string(default_recipient_cap(field.profile)));
        if (!field.error.empty())
            row.set("error", field.error);
        rows.push_back(std::move(row));
    }
    data.set("rows", std::move(rows));
    if (!message.empty())
        data.set("message", message);
    bool failed = std::any_of(fields.begin(), fields.end(), [](auto const& field) { return !field.error.empty(); });
    if (failed)
        data.set("error", "Les plafonds n'ont pas été enregistrés : corrigez les champs signalés.");
    return view::render(
        context, "admin/messaging", std::move(data), "Plafonds de la messagerie", view::MenuEntry::None, status);
}

} // namespace

long long default_recipient_cap(access::Profile profile)
{
    switch (profile) {
    case access::Profile::Student:
    case access::Profile::Guardian:
        return 50;
    case access::Profile::Teacher:
        return 1000;
    case access::Profile::Staff:
    case access::Profile::Admin:
        return 3000;
    }
    return 50;
}

long long recipient_cap(soci::session& session, long long structure_id, access::Profile profile)
{
    std::string code(access::profile_code(profile));
    long long per_hour = 0;
    soci::indicator found = soci::i_null;
    session << "SELECT per_hour FROM admin_recipient_cap WHERE structure_id = :structure AND profile = :profile",
        soci::use(structure_id), soci::use(code), soci::into(per_hour, found);
    if (!session.got_data() || found != soci::i_ok || per_hour < 1)
        return default_recipient_cap(profile);
    return per_hour;
}

void save_recipient_cap(soci::session& session, long long structure_id, access::Profile profile, long long per_hour)
{
    std::string code(access::profile_code(profile));
    session << "DELETE FROM admin_recipient_cap WHERE structure_id = :structure AND profile = :profile",
        soci::use(structure_id), soci::use(code);
    if (per_hour == default_recipient_cap(profile))
        return;
    session << "INSERT INTO admin_recipient_cap (structure_id, profile, per_hour) VALUES (:structure, :profile, "
               ":per_hour)",
        soci::use(structure_id), soci::use(code), soci::use(per_hour);
}

ErrorOr<http::Response> show_messaging(Context& context)
{
    auto structure = TRY(administered_structure(context));
    std::vector<CapField> fields;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
        for (auto profile : PROFILES)
            fields.push_back({ profile, std::to_string(recipient_cap(session, structure.id, profile)), {} });
        return true;
    }));
    return messaging_page(context, structure, fields, {}, 200);
}

ErrorOr<http::Response> save_messaging(Context& context)
{
    auto structure = TRY(administered_structure(context));
    std::vector<CapField> fields;
    std::vector<std::pair<access::Profile, long long>> values;
    for (auto profile : PROFILES) {
        CapField field { profile, context.request.form.get(field_name(profile)), {} };
        long long per_hour = 0;
        auto const* begin = field.value.data();
        auto const* end = begin + field.value.size();
        auto [stop, error] = std::from_chars(begin, end, per_hour);
        if (field.value.empty() || error != std::errc() || stop != end || per_hour < 1 || per_hour > MAX_RECIPIENT_CAP)
            field.error = "Indiquez un nombre entier de destinataires par heure, de 1 à "
                + std::to_string(MAX_RECIPIENT_CAP) + ".";
        else
            values.emplace_back(profile, per_hour);
        fields.push_back(std::move(field));
    }
    if (values.size() != fields.size())
        return messaging_page(context, structure, fields, {}, 400);
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        std::string changes;
        for (auto const& [profile, per_hour] : values) {
            if (recipient_cap(session, structure.id, profile) != per_hour) {
                if (!changes.empty())
                    changes += " ; ";
                changes.append(access::profile_label(profile))
                    .append(" : ")
                    .append(std::to_string(per_hour))
                    .append(" destinataires par heure");
            }
            save_recipient_cap(session, structure.id, profile, per_hour);
        }
        if (!changes.empty())
            identity::store::audit_in(session, context.user().id, structure.id, "recipient_caps_changed", changes);
        return true;
    }));
    return messaging_page(context, structure, fields, "Les plafonds de la messagerie sont enregistrés.", 200);
}

} // namespace cartable::admin
