// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/preferences/preferences_view.h"
#include "core/view/view.h"

namespace cartable::preferences {

namespace {

std::string or_none(std::string const& number)
{
    return number.empty() ? std::string("Aucun numéro") : number;
}

void set_identity(view::Data& data, Context& context, identity::Contact const& contact)
{
    auto const& user = context.user();
    data.set("civility", user.civility);
    data.set("last_name", user.last_name);
    data.set("first_name", user.first_name);
    data.set("profile", std::string(access::profile_label(user.profile)));
    data.set("login", user.login);
    data.set("address", contact.address);
    data.set("postal_code", contact.postal_code);
    data.set("city", contact.city);
    data.set("has_address", !contact.address.empty() || !contact.city.empty());
    data.set("phone_home", or_none(contact.phone_home));
    data.set("phone_work", or_none(contact.phone_work));
    data.set("phone_mobile", or_none(contact.phone_mobile));
}

void set_children(view::Data& data, std::vector<identity::User> const& children)
{
    view::List list;
    for (auto const& child : children) {
        view::Data entry;
        entry.set("name", child.display_name());
        list.push_back(std::move(entry));
    }
    data.set("is_guardian", !children.empty());
    data.set("children", std::move(list));
}

void set_notifications(view::Data& data, Choices const& choices)
{
    data.set("email", choices.notification_email);
    data.set("notify_structure", choices.notify_structure);
    data.set("notify_partners", choices.notify_partners);
    data.set("notifications_active",
        !choices.notification_email.empty() && (choices.notify_structure || choices.notify_partners));
}

} // namespace

void FieldErrors::describe(view::Data& data) const
{
    view::List summary;
    for (auto const& [field, message] : m_errors) {
        data.set(field + "_error", message);
        view::Data entry;
        entry.set("field", field);
        entry.set("message", message);
        summary.push_back(std::move(entry));
    }
    data.set("has_errors", !m_errors.empty());
    data.set("errors", std::move(summary));
}

void set_tab(view::Data& data, Tab tab)
{
    view::Data tabs;
    tabs.set("summary", tab == Tab::Summary);
    tabs.set("edit", tab == Tab::Edit);
    tabs.set("links", tab == Tab::Links);
    tabs.set("mobile", tab == Tab::Mobile);
    data.set("tabs", view::Templates::instance().render("preferences/tabs", tabs));
}

view::Data contact_step_data(
    Context& context, Choices const& choices, std::vector<identity::User> const& children, FieldErrors const& errors)
{
    view::Data data;
    set_notifications(data, choices);
    set_children(data, children);
    errors.describe(data);
    data.set("csrf_token", context.csrf_token());
    return data;
}

view::Data summary_data(Context& context, identity::Contact const& contact, Choices const& choices,
    std::vector<identity::User> const& children)
{
    view::Data data;
    set_tab(data, Tab::Summary);
    set_identity(data, context, contact);
    set_children(data, children);
    set_notifications(data, choices);
    data.set("unlisted", contact.unlisted);
    data.set("extra_phone_1", or_none(choices.extra_phone_1));
    data.set("extra_phone_2", or_none(choices.extra_phone_2));
    std::string sms = "Aucune";
    switch (choices.sms_phone) {
    case SmsPhone::Mobile:
        sms = "Téléphone mobile : " + contact.phone_mobile;
        break;
    case SmsPhone::Home:
        sms = "Téléphone personnel : " + contact.phone_home;
        break;
    case SmsPhone::Work:
        sms = "Téléphone professionnel : " + contact.phone_work;
        break;
    case SmsPhone::Extra1:
        sms = "Téléphone 1 : " + choices.extra_phone_1;
        break;
    case SmsPhone::Extra2:
        sms = "Téléphone 2 : " + choices.extra_phone_2;
        break;
    case SmsPhone::None:
        break;
    }
    data.set("sms", sms);
    data.set("reach_note", choices.reach_note);
    return data;
}

view::Data edit_data(Context& context, identity::Contact const& contact, Choices const& choices, bool unlisted,
    std::vector<identity::User> const& children, FieldErrors const& errors)
{
    view::Data data;
    set_tab(data, Tab::Edit);
    set_identity(data, context, contact);
    set_children(data, children);
    set_notifications(data, choices);
    data.set("unlisted", unlisted);
    data.set("extra_phone_1", choices.extra_phone_1);
    data.set("extra_phone_2", choices.extra_phone_2);
    data.set("reach_note", choices.reach_note);
    view::List options;
    auto option = [&](SmsPhone phone, std::string const& label, std::string const& number) {
        bool from_directory = phone == SmsPhone::Mobile || phone == SmsPhone::Home || phone == SmsPhone::Work;
        if (from_directory && number.empty() && choices.sms_phone != phone)
            return; // a number the directory does not have is not offered
        view::Data entry;
        entry.set("value", std::string(sms_code(phone)));
        entry.set("label", number.empty() ? label : label + " : " + number);
        entry.set("selected", choices.sms_phone == phone);
        options.push_back(std::move(entry));
    };
    option(SmsPhone::None, "Aucune", {});
    option(SmsPhone::Mobile, "Téléphone mobile", contact.phone_mobile);
    option(SmsPhone::Home, "Téléphone personnel", contact.phone_home);
    option(SmsPhone::Work, "Téléphone professionnel", contact.phone_work);
    option(SmsPhone::Extra1, "Téléphone 1", choices.extra_phone_1);
    option(SmsPhone::Extra2, "Téléphone 2", choices.extra_phone_2);
    data.set("sms_options", std::move(options));
    errors.describe(data);
    data.set("csrf_token", context.csrf_token());
    return data;
}

} // namespace cartable::preferences
