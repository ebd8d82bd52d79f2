// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/identity/identity_store.h"
#include "services/preferences/preferences.h"
#include <array>
#include <string_view>

namespace cartable::preferences {

namespace {

constexpr std::array<std::pair<SmsPhone, std::string_view>, 6> SMS_CODES { {
    { SmsPhone::None, "" },
    { SmsPhone::Mobile, "mobile" },
    { SmsPhone::Home, "personnel" },
    { SmsPhone::Work, "professionnel" },
    { SmsPhone::Extra1, "telephone1" },
    { SmsPhone::Extra2, "telephone2" },
} };

} // namespace

std::string_view sms_code(SmsPhone phone)
{
    for (auto const& [value, code] : SMS_CODES) {
        if (value == phone)
            return code;
    }
    return {};
}

std::optional<SmsPhone> sms_from_code(std::string_view code)
{
    for (auto const& [value, known] : SMS_CODES) {
        if (known == code)
            return value;
    }
    return std::nullopt;
}

Choices choices_of(soci::session& session, long long user_id)
{
    Choices choices;
    long long structure = 0;
    long long partners = 0;
    std::string sms;
    session << "SELECT notification_email, notify_structure, notify_partners, extra_phone_1, extra_phone_2, "
               "sms_phone, reach_note, contact_confirmed_at FROM preferences_person WHERE user_id = :user",
        soci::use(user_id), soci::into(choices.notification_email), soci::into(structure), soci::into(partners),
        soci::into(choices.extra_phone_1), soci::into(choices.extra_phone_2), soci::into(sms),
        soci::into(choices.reach_note), soci::into(choices.contact_confirmed_at);
    choices.notify_structure = structure != 0;
    choices.notify_partners = partners != 0;
    choices.sms_phone = sms_from_code(sms).value_or(SmsPhone::None);
    return choices;
}

// The address in force, in SQL: the chosen one, else the directory's.
constexpr char const* RECEPTION_EMAIL = "CASE WHEN COALESCE(p.notification_email, '') <> '' THEN p.notification_email "
                                        "ELSE COALESCE(c.email, '') END";

std::string reception_email(soci::session& session, long long user_id)
{
    std::string email;
    session << "SELECT " + std::string(RECEPTION_EMAIL)
            + " FROM identity_user u LEFT JOIN preferences_person p ON p.user_id = u.id "
              "LEFT JOIN identity_contact c ON c.user_id = u.id WHERE u.id = :user",
        soci::use(user_id), soci::into(email);
    return email;
}

std::string sms_number(soci::session& session, long long user_id)
{
    auto choices = choices_of(session, user_id);
    auto contact = identity::store::find_contact(session, user_id);
    switch (choices.sms_phone) {
    case SmsPhone::Home:
        return contact.phone_home;
    case SmsPhone::Work:
        return contact.phone_work;
    case SmsPhone::Extra1:
        return choices.extra_phone_1;
    case SmsPhone::Extra2:
        return choices.extra_phone_2;
    case SmsPhone::Mobile:
        return contact.phone_mobile;
    case SmsPhone::None:
        break;
    }
    return {}; // « Aucune »: no SMS
}

std::vector<long long> people_reached_at(soci::session& session, std::string const& email)
{
    std::vector<long long> people;
    long long id = 0;
    soci::statement statement = (session.prepare << "SELECT u.id FROM identity_user u "
                                                    "LEFT JOIN preferences_person p ON p.user_id = u.id "
                                                    "LEFT JOIN identity_contact c ON c.user_id = u.id "
                                                    "WHERE u.active = 1 AND LOWER("
                + std::string(RECEPTION_EMAIL) + ") = LOWER(:email) ORDER BY u.id",
        soci::use(email), soci::into(id));
    statement.execute();
    while (statement.fetch())
        people.push_back(id);
    return people;
}

void save_choices(soci::session& session, long long user_id, Choices const& choices, long long now)
{
    long long structure = choices.notify_structure ? 1 : 0;
    long long partners = choices.notify_partners ? 1 : 0;
    std::string sms(sms_code(choices.sms_phone));
    session << "DELETE FROM preferences_person WHERE user_id = :user", soci::use(user_id);
    session << "INSERT INTO preferences_person (user_id, notification_email, notify_structure, notify_partners, "
               "extra_phone_1, extra_phone_2, sms_phone, reach_note, contact_confirmed_at, updated_at) VALUES "
               "(:user, :email, :structure, :partners, :one, :two, :sms, :note, :confirmed, :now)",
        soci::use(user_id), soci::use(choices.notification_email), soci::use(structure), soci::use(partners),
        soci::use(choices.extra_phone_1), soci::use(choices.extra_phone_2), soci::use(sms),
        soci::use(choices.reach_note), soci::use(choices.contact_confirmed_at), soci::use(now);
}

} // namespace cartable::preferences
