// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace cartable::i18n {

// The French text of a message key, from core/i18n/fr.json and every
// services/*/i18n/fr.json. A key that is not in the catalog is returned as
// it is, so code may also carry a French sentence directly.
std::string text(std::string_view key);
bool has(std::string_view key);

} // namespace cartable::i18n
