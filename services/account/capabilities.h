// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

namespace cartable::account::capability {

inline constexpr char const* SIGN_IN = "account.sign_in";
inline constexpr char const* SIGN_OUT = "account.sign_out";
inline constexpr char const* READ_CHARTER = "account.read_charter";
inline constexpr char const* MANAGE_CHARTER = "account.manage_charter";
inline constexpr char const* PRINT_ACTIVATION_LETTERS = "account.print_activation_letters";
inline constexpr char const* WATCH_MAIL_DELIVERY = "account.watch_mail_delivery";

} // namespace cartable::account::capability
