// SPDX-License-Identifier: AGPL-3.0-or-later
// « Résumé », « Mes préférences » and the first connection's contact step.
#include "services/preferences/preferences_handlers.h"
#include "core/identity/identity_store.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/preferences/preferences.h"
#include "services/preferences/preferences_view.h"

namespace cartable::preferences {

namespace {

constexpr std::size_t MAX_NOTE = 300;

struct Loaded {
    identity::Contact contact;
    Choices choices;
    std::vector<identity::User> children;
};

ErrorOr<Loaded> load(Context& context)
{
    auto const user = context.user();
    auto loaded = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Loaded> {
        return Loaded { identity::store::find_contact(session, user.id), choices_of(session, user.id), {} };
    }));
    if (user.profile == access::Profile::Guardian)
        loaded.children = TRY(context.services.children_of(user.id, context.now));
    // Until the person chooses, notifications go to the directory's address.
    if (loaded.choices.notification_email.empty())
        loaded.choices.notification_email = loaded.contact.email;
    return loaded;
}

// What the forms send, checked field by field; nothing is saved unless all
// of it is right.
struct Submitted {
    Choices choices;
    bool unlisted { false };
    FieldErrors errors;
};

void read_notification_fields(http::FormFields const& form, Submitted& submitted)
{
    auto email = std::string(trim_text(form.get("email")));
    submitted.choices.notification_email = email;
    submitted.choices.notify_structure = !form.get("notifications_etablissement").empty();
    submitted.choices.notify_partners = !form.get("notifications_partenaires").empty();
    if (!email.empty() && !validate::is_email(email))
        submitted.errors.add("email", "L'adresse email saisie n'est pas valide (exemple : prenom.nom@exemple.fr).");
    else if (email.empty() && (submitted.choices.notify_structure || submitted.choices.notify_partners))
        submitted.errors.add("email", "Indiquez l'adresse email à laquelle envoyer les notifications.");
}

Submitted read_preferences_form(http::FormFields const& form, identity::Contact const& contact)
{
    Submitted submitted;
    read_notification_fields(form, submitted);
    submitted.unlisted = !form.get("liste_rouge").empty();
    auto phone = [&](std::string_view field, std::string_view label, std::string& target) {
        auto typed = std::string(trim_text(form.get(field)));
        target = typed;
        if (typed.empty())
            return;
        if (auto normalized = validate::phone_number(typed))
            target = *normalized;
        else
            submitted.errors.add(field,
                std::string(label)
                    + " n'est pas un numéro de téléphone valide (exemple : 06 12 34 56 78 ou +33 6 12 34 56 78).");
    };
    phone("telephone1", "Le téléphone 1", submitted.choices.extra_phone_1);
    phone("telephone2", "Le téléphone 2", submitted.choices.extra_phone_2);
    auto sms = sms_from_code(form.get("sms"));
    if (!sms) {
        submitted.errors.add("sms", "Choisissez un des numéros proposés pour les notifications SMS.");
    } else {
        submitted.choices.sms_phone = *sms;
        std::string const* number = nullptr;
        switch (*sms) {
        case SmsPhone::Mobile:
            number = &contact.phone_mobile;
            break;
        case SmsPhone::Home:
            number = &contact.phone_home;
            break;
        case SmsPhone::Work:
            number = &contact.phone_work;
            break;
        case SmsPhone::Extra1:
            number = &submitted.choices.extra_phone_1;
            break;
        case SmsPhone::Extra2:
            number = &submitted.choices.extra_phone_2;
            break;
        case SmsPhone::None:
            break;
        }
        if (number && number->empty())
            submitted.errors.add("sms", "Le numéro choisi pour les notifications SMS n'est pas renseigné.");
    }
    auto note = std::string(form.get("joindre"));
    submitted.choices.reach_note = std::string(trim_text(note));
    if (!validate::is_utf8(note))
        submitted.errors.add("joindre", "Le texte contient des caractères illisibles.");
    else if (validate::character_count(submitted.choices.reach_note) > MAX_NOTE)
        submitted.errors.add("joindre",
            "« Quand et comment me joindre ? » ne doit pas dépasser 300 caractères (vous en avez saisi "
                + std::to_string(validate::character_count(submitted.choices.reach_note)) + ").");
    return submitted;
}

void forget_person(Context& context)
{
    // The frame's and the directory's view of the person.
    context.services.personal_results.forget("contact:" + std::to_string(context.user().id));
}

} // namespace

ErrorOr<http::Response> show_contact_step(Context& context)
{
    auto loaded = TRY(load(context));
    auto data = contact_step_data(context, loaded.choices, loaded.children, {});
    return view::render(context, "preferences/contact_step", std::move(data), "Contact et préférences");
}

ErrorOr<http::Response> save_contact_step(Context& context)
{
    auto loaded = TRY(load(context));
    Submitted submitted;
    read_notification_fields(context.request.form, submitted);
    if (!submitted.errors.empty()) {
        auto choices = loaded.choices;
        choices.notification_email = submitted.choices.notification_email;
        choices.notify_structure = submitted.choices.notify_structure;
        choices.notify_partners = submitted.choices.notify_partners;
        auto data = contact_step_data(context, choices, loaded.children, submitted.errors);
        return view::render(
            context, "preferences/contact_step", std::move(data), "Contact et préférences", view::MenuEntry::None, 400);
    }
    auto const user_id = context.user().id;
    TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<bool> {
        auto choices = choices_of(session, user_id);
        choices.notification_email = submitted.choices.notification_email;
        choices.notify_structure = submitted.choices.notify_structure;
        choices.notify_partners = submitted.choices.notify_partners;
        choices.contact_confirmed_at = context.now;
        save_choices(session, user_id, choices, context.now);
        identity::store::audit(session, user_id, "contact_confirmed", "");
        return true;
    }));
    return http::Response::redirect("/accueil");
}

ErrorOr<http::Response> show_summary(Context& context)
{
    auto loaded = TRY(load(context));
    auto data = summary_data(context, loaded.contact, loaded.choices, loaded.children);
    if (context.request.query.get("enregistre") == "1")
        data.set("notice", "Vos informations ont été enregistrées.");
    return view::render(context, "preferences/summary", std::move(data), "Préférences");
}

ErrorOr<http::Response> show_edit(Context& context)
{
    auto loaded = TRY(load(context));
    auto data = edit_data(context, loaded.contact, loaded.choices, loaded.contact.unlisted, loaded.children, {});
    return view::render(context, "preferences/edit", std::move(data), "Mes préférences");
}

ErrorOr<http::Response> save_edit(Context& context)
{
    auto loaded = TRY(load(context));
    auto submitted = read_preferences_form(context.request.form, loaded.contact);
    if (!submitted.errors.empty()) {
        auto data = edit_data(
            context, loaded.contact, submitted.choices, submitted.unlisted, loaded.children, submitted.errors);
        return view::render(
            context, "preferences/edit", std::move(data), "Mes préférences", view::MenuEntry::None, 400);
    }
    auto const user_id = context.user().id;
    TRY(context.database().transaction([&](soci::session& session) -> ErrorOr<bool> {
        auto choices = submitted.choices;
        choices.contact_confirmed_at = choices_of(session, user_id).contact_confirmed_at;
        save_choices(session, user_id, choices, context.now);
        if (submitted.unlisted != loaded.contact.unlisted) {
            identity::store::set_unlisted(session, user_id, submitted.unlisted);
            identity::store::audit(
                session, user_id, submitted.unlisted ? "unlisted_on" : "unlisted_off", "liste rouge");
        }
        return true;
    }));
    forget_person(context);
    return http::Response::redirect("/preferences?enregistre=1");
}

} // namespace cartable::preferences
