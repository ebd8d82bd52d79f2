// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/access/capability.h"
#include "core/identity/identity.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <string_view>
#include <vector>

// Activation codes of local accounts without a password (people imported
// from the académie's feed or a CSV file). A code is 12 characters of an
// alphabet without 0/O/1/I/L, shown « K7QM-4XPT-9HRW », kept only as its
// SHA-256, valid 90 days, typed in any case with or without dashes. The code
// itself is printed in the letters only, never logged.
namespace cartable::account::activation {

inline constexpr long long VALIDITY_SECONDS = 90LL * 24 * 3600;
inline constexpr char const* STAFF_GROUP = "Personnels";
inline constexpr char const* NO_CLASS_GROUP = "Sans classe";

// A new random code, 12 characters, not grouped.
std::string new_code();
// « K7QM4XPT9HRW » → « K7QM-4XPT-9HRW ».
std::string grouped(std::string_view code);
// What was typed → the code: upper case, dashes and spaces dropped.
std::string normalized(std::string_view typed);

// Issues a new code to one person (replacing any earlier one) and returns it.
std::string issue(soci::session&, long long user_id, long long now);

// One class of a structure, as the secretariat's page counts it.
struct ClassCount {
    std::string name;
    long long people { 0 };
    long long without_password { 0 };
    long long with_valid_code { 0 };
};
// The classes of the structure (students and their guardians), then the
// staff and teachers under « Personnels ».
std::vector<ClassCount> class_counts(soci::session&, long long structure_id, long long now);

// Who gets letters: the active people of a structure, of a class (empty:
// every class) and a profile (none: every profile but administrators).
struct Selection {
    long long structure_id { 0 };
    std::string class_name;
    std::optional<access::Profile> profile;
    bool renew { false }; // also those with a valid code, who get a new one
};

struct Letter {
    identity::User person;
    std::string group; // the class under which the letter is printed
    std::string about; // for a guardian: « responsable de Louis CHAMSON, classe TPRO »
    std::string code; // grouped
    long long expires_at { 0 };
};

// Issues codes to the people selected without a password and without a
// valid code (or all of them with renew); the letters, by group then name.
std::vector<Letter> generate(soci::session&, Selection const&, long long now);

// The person whose login and code these are, if the code is unused and
// still valid and the account active without a password.
std::optional<identity::User> check(
    soci::session&, std::string const& login, std::string const& typed_code, long long now);
// Marks the code used, if it still is unused; false if it was used meanwhile.
bool consume(soci::session&, long long user_id, std::string const& typed_code, long long now);

// The letters as one print-ready HTML page (A4, one letter per page).
// stylesheet_url empty: the print style is inlined (a file opened from disk).
struct LetterPage {
    identity::Structure structure;
    std::string ent_url; // https://ent.example.fr
    std::string stylesheet_url;
    std::string title;
};
std::string letters_html(LetterPage const&, std::vector<Letter> const&);

} // namespace cartable::account::activation
