// SPDX-License-Identifier: AGPL-3.0-or-later
// « Préférences »: what a person chooses about being reached (first
// connection's contact step, the four tabs), the accounts they link, the
// tokens of their mobile application. Other services read the choices
// through `choices_of` (the notifications will).
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <string_view>
#include <vector>

namespace cartable {
struct Services;
}

namespace cartable::preferences {

// Which number SMS go to (« Notification SMS, votre préférence »).
enum class SmsPhone { None, Mobile, Home, Work, Extra1, Extra2 };

struct Choices {
    std::string notification_email; // « Email de réception »
    bool notify_structure { false }; // « … de mon établissement »
    bool notify_partners { false }; // « … des partenaires »
    std::string extra_phone_1; // « Téléphone 1 »
    std::string extra_phone_2; // « Téléphone 2 »
    SmsPhone sms_phone { SmsPhone::None };
    std::string reach_note; // « Quand et comment me joindre ? »
    long long contact_confirmed_at { 0 }; // the first connection's step done
};

std::string_view sms_code(SmsPhone);
std::optional<SmsPhone> sms_from_code(std::string_view code);

Choices choices_of(soci::session&, long long user_id);
// « Email de réception » as it is in force: the address the person chose,
// else the directory's (what the preferences page shows); empty if none.
std::string reception_email(soci::session&, long long user_id);
// The number SMS go to: the one chosen in « Notification SMS, votre
// préférence » (the directory's mobile, another of its phones, or one of
// the person's two); empty for « Aucune » or a number not filled in.
std::string sms_number(soci::session&, long long user_id);
// The active accounts whose reception address is this one, case aside.
std::vector<long long> people_reached_at(soci::session&, std::string const& email);
void save_choices(soci::session&, long long user_id, Choices const&, long long now);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
// Adds the person's linked accounts to the frame's top bar.
ErrorOr<void> start(Services&);

} // namespace cartable::preferences
