// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/context.h"
#include "core/identity/identity.h"
#include "core/view/mustache.h"
#include "services/preferences/preferences.h"
#include <string>
#include <utility>
#include <vector>

namespace cartable::preferences {

// The French message of each field refused, in the order of the form.
class FieldErrors {
public:
    void add(std::string_view field, std::string message) { m_errors.emplace_back(field, std::move(message)); }
    bool empty() const { return m_errors.empty(); }
    std::string const* find(std::string_view field) const
    {
        for (auto const& [name, message] : m_errors) {
            if (name == field)
                return &message;
        }
        return nullptr;
    }
    // For the form: <field>_error with the message, and the summary list.
    void describe(view::Data& data) const;

private:
    std::vector<std::pair<std::string, std::string>> m_errors;
};

// Which tab of « Préférences » is shown.
enum class Tab { Summary, Edit, Links, Mobile };
void set_tab(view::Data&, Tab);

view::Data contact_step_data(Context&, Choices const&, std::vector<identity::User> const& children, FieldErrors const&);
view::Data summary_data(
    Context&, identity::Contact const&, Choices const&, std::vector<identity::User> const& children);
view::Data edit_data(Context&, identity::Contact const&, Choices const&, bool unlisted,
    std::vector<identity::User> const& children, FieldErrors const&);

} // namespace cartable::preferences
