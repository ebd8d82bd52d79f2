// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/access/capability.h"
#include <string>

namespace cartable::identity {

struct Structure {
    long long id { 0 };
    std::string uai; // national id, e.g. 0300027A
    std::string name;
    std::string kind; // « Cité scolaire », « Lycée », « Collège »
    std::string city;
    std::string academy; // « Montpellier »
    std::string region; // « Occitanie »
    std::string welcome_text;
    bool is_demo { false };
};

struct User {
    long long id { 0 };
    std::string login;
    std::string civility; // « M. », « Mme »
    std::string first_name;
    std::string last_name; // kept as the directory spells it (upper case)
    access::Profile profile { access::Profile::Student };
    std::string function; // for staff: « CPE », « Proviseur », …
    long long structure_id { 0 };
    bool active { true };
    bool is_demo { false };
    long long charter_version { 0 }; // the last version of the charter accepted
    // An administrator of the whole platform (structures, académies, the
    // charter, announcements to everyone), not only of their structure.
    bool platform_admin { false };

    // « André CHAMSON », as the guide shows people.
    std::string display_name() const { return first_name + " " + last_name; }
};

// The structure's direction: its administrators, and staff whose function
// names a proviseur, principal or director (« Proviseur adjoint »).
bool is_direction(User const& user);
// The vie scolaire: staff whose function is CPE or assistant d'éducation.
bool is_vie_scolaire(User const& user);

// How to reach a person, as the directory holds it.
struct Contact {
    std::string address; // « 1 Boulevard Pasteur »
    std::string postal_code;
    std::string city;
    std::string phone_home; // « Téléphone personnel »
    std::string phone_work; // « Téléphone professionnel »
    std::string phone_mobile; // « Téléphone mobile »
    std::string email; // the directory's address, a default for notifications
    bool unlisted { false }; // « liste rouge »
};

struct SchoolClass {
    long long id { 0 };
    long long structure_id { 0 };
    std::string name; // « TPRO »
    std::string kind; // "class" or "group"
};

} // namespace cartable::identity
