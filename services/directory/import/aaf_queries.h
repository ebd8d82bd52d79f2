// SPDX-License-Identifier: AGPL-3.0-or-later
// The statements the AAF import runs for its people (import_statements.h
// says how they are prepared and run many rows at a time).
#pragma once

#include "services/directory/import/import_statements.h"
#include <string>
#include <tuple>

namespace cartable::directory::aaf::queries {

using import::ByKeys;
using import::Fetch;
using import::Run;

// ---- Reads of what the database holds of a batch's people, by key.

inline constexpr char PEOPLE[] = "SELECT external_id, id, civility, first_name, last_name, profile, function, "
                                 "structure_id, active, national_profile, birth_date, mef_id FROM identity_user "
                                 "WHERE external_id IN (?)";
using PersonTuple = std::tuple<std::string, long long, std::string, std::string, std::string, std::string, std::string,
    long long, long long, std::string, std::string, std::string>;
using People = ByKeys<PEOPLE, std::string, PersonTuple>;

inline constexpr char CONTACTS[] = "SELECT user_id, address, postal_code, city, phone_home, phone_work, "
                                   "phone_mobile, email, unlisted FROM identity_contact WHERE user_id IN (?)";
using ContactTuple = std::tuple<long long, std::string, std::string, std::string, std::string, std::string, std::string,
    std::string, long long>;
using Contacts = ByKeys<CONTACTS, long long, ContactTuple>;

inline constexpr char MEMBERSHIPS[] = "SELECT m.user_id, m.class_id, c.kind FROM identity_class_member m JOIN "
                                      "identity_class c ON c.id = m.class_id WHERE m.user_id IN (?)";
using Memberships = ByKeys<MEMBERSHIPS, long long, std::tuple<long long, long long, std::string>>;

inline constexpr char LINK_SOURCES[] = "SELECT student_external, guardian_external, link_code, financial, legal, "
                                       "contact, payment FROM directory_link_source WHERE student_external IN (?)";
using LinkSourceTuple = std::tuple<std::string, std::string, std::string, long long, long long, long long, long long>;
using LinkSources = ByKeys<LINK_SOURCES, std::string, LinkSourceTuple>;

inline constexpr char FUNCTIONS[] = "SELECT user_id, structure_id, code, label, discipline_code, discipline_label "
                                    "FROM directory_function WHERE user_id IN (?)";
using FunctionTuple = std::tuple<long long, long long, std::string, std::string, std::string, std::string>;
using Functions = ByKeys<FUNCTIONS, long long, FunctionTuple>;

inline constexpr char TEACHINGS[] = "SELECT teacher_id, class_id, subject_id FROM identity_teaching "
                                    "WHERE teacher_id IN (?)";
using Teachings = ByKeys<TEACHINGS, long long, std::tuple<long long, long long, long long>>;

inline constexpr char HEAD_CLASSES[] = "SELECT teacher_id, class_id FROM directory_head_teacher "
                                       "WHERE teacher_id IN (?)";
using HeadClasses = ByKeys<HEAD_CLASSES, long long, std::tuple<long long, long long>>;

inline constexpr char STRUCTURES_OF_PEOPLE[] = "SELECT external_id, structure_id FROM identity_user "
                                               "WHERE external_id IN (?)";
using StructuresOfPeople = ByKeys<STRUCTURES_OF_PEOPLE, std::string, std::tuple<std::string, long long>>;

// ---- Guardian links: the students to look at again, what their records
// ask for (guardians by id) and what is there now.

inline constexpr char STUDENTS_OF_GUARDIANS[] = "SELECT student_external FROM directory_link_source "
                                                "WHERE guardian_external IN (?)";
using StudentsOfGuardians = ByKeys<STUDENTS_OF_GUARDIANS, std::string, std::tuple<std::string>>;

inline constexpr char PERSON_IDS[] = "SELECT external_id, id FROM identity_user WHERE external_id IN (?)";
using PersonIds = ByKeys<PERSON_IDS, std::string, std::tuple<std::string, long long>>;

// (student external, guardian id, link code, financial, legal, contact, payment)
using LinkTuple = std::tuple<std::string, long long, std::string, long long, long long, long long, long long>;
inline constexpr char WANTED_LINKS[] = "SELECT l.student_external, u.id, l.link_code, l.financial, l.legal, "
                                       "l.contact, l.payment FROM directory_link_source l JOIN identity_user u "
                                       "ON u.external_id = l.guardian_external WHERE l.student_external IN (?)";
using WantedLinks = ByKeys<WANTED_LINKS, std::string, LinkTuple>;
inline constexpr char CURRENT_LINKS[] = "SELECT s.external_id, l.guardian_id, l.link_code, l.financial, l.legal, "
                                        "l.contact, l.payment FROM identity_guardian_link l JOIN identity_user s "
                                        "ON s.id = l.student_id WHERE s.external_id IN (?)";
using CurrentLinks = ByKeys<CURRENT_LINKS, std::string, LinkTuple>;

// ---- Rows inserted at the end of each batch.

struct InsertPeople {
    static constexpr char const* TABLE = "identity_user";
    static constexpr char const* HEAD
        = "INSERT INTO identity_user (login, civility, first_name, last_name, profile, function, structure_id, "
          "password_hash, active, is_demo, created_at, external_id, source, national_profile, birth_date, mef_id) "
          "VALUES ";
    static constexpr char const* ROW = "(?, ?, ?, ?, ?, ?, ?, '', 1, 0, ?, ?, 'aaf', ?, ?, ?)";
    static constexpr char const* TAIL = " RETURNING id, external_id";
    // login, civility, first name, last name, profile, function, structure,
    // created at, external id, national profile, birth date, MEF
    using Row = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string, long long,
        long long, std::string, std::string, std::string, std::string>;
    using Returned = std::tuple<long long, std::string>;
};

struct InsertContacts {
    static constexpr char const* TABLE = "identity_contact";
    static constexpr char const* HEAD = "INSERT INTO identity_contact (user_id, address, postal_code, city, "
                                        "phone_home, phone_work, phone_mobile, email, unlisted) VALUES ";
    static constexpr char const* ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static constexpr char const* TAIL = "";
    using Row = ContactTuple;
    using Returned = std::tuple<>;
};

struct InsertMembers {
    static constexpr char const* TABLE = "identity_class_member";
    static constexpr char const* HEAD = "INSERT INTO identity_class_member (class_id, user_id) VALUES ";
    static constexpr char const* ROW = "(?, ?)";
    static constexpr char const* TAIL = "";
    using Row = std::tuple<long long, long long>; // class, person
    using Returned = std::tuple<>;
};

struct InsertLinkSources {
    static constexpr char const* TABLE = "directory_link_source";
    static constexpr char const* HEAD = "INSERT INTO directory_link_source (student_external, guardian_external, "
                                        "link_code, financial, legal, contact, payment) VALUES ";
    static constexpr char const* ROW = "(?, ?, ?, ?, ?, ?, ?)";
    static constexpr char const* TAIL = "";
    using Row = LinkSourceTuple;
    using Returned = std::tuple<>;
};

struct InsertFunctions {
    static constexpr char const* TABLE = "directory_function";
    static constexpr char const* HEAD = "INSERT INTO directory_function (user_id, structure_id, code, label, "
                                        "discipline_code, discipline_label) VALUES ";
    static constexpr char const* ROW = "(?, ?, ?, ?, ?, ?)";
    static constexpr char const* TAIL = "";
    using Row = FunctionTuple;
    using Returned = std::tuple<>;
};

struct InsertTeachings {
    static constexpr char const* TABLE = "identity_teaching";
    static constexpr char const* HEAD = "INSERT INTO identity_teaching (teacher_id, class_id, subject_id) VALUES ";
    static constexpr char const* ROW = "(?, ?, ?)";
    static constexpr char const* TAIL = "";
    using Row = std::tuple<long long, long long, long long>;
    using Returned = std::tuple<>;
};

struct InsertHeadClasses {
    static constexpr char const* TABLE = "directory_head_teacher";
    static constexpr char const* HEAD = "INSERT INTO directory_head_teacher (teacher_id, class_id) VALUES ";
    static constexpr char const* ROW = "(?, ?)";
    static constexpr char const* TAIL = "";
    using Row = std::tuple<long long, long long>;
    using Returned = std::tuple<>;
};

struct InsertGuardianLinks {
    static constexpr char const* TABLE = "identity_guardian_link";
    static constexpr char const* HEAD = "INSERT INTO identity_guardian_link (guardian_id, student_id, relationship, "
                                        "financial, legal, contact, payment, link_code) VALUES ";
    static constexpr char const* ROW = "(?, ?, ?, ?, ?, ?, ?, ?)";
    static constexpr char const* TAIL = "";
    using Row = std::tuple<long long, long long, std::string, long long, long long, long long, long long, std::string>;
    using Returned = std::tuple<>;
};

// ---- One row at a time: changes to people already there, and the rare
// lookups.

inline constexpr char UPDATE_PERSON[]
    = "UPDATE identity_user SET civility = :civility, first_name = :first, last_name = :last, profile = :profile, "
      "function = :function, structure_id = :structure, active = 1, departed_at = 0, national_profile = :national, "
      "birth_date = :birth, mef_id = :mef, source = 'aaf' WHERE id = :id";
using UpdatePerson = Run<UPDATE_PERSON, std::string, std::string, std::string, std::string, std::string, long long,
    std::string, std::string, std::string, long long>;

inline constexpr char DEPART_PERSON[] = "UPDATE identity_user SET active = 0, departed_at = :now WHERE id = :id";
using DepartPerson = Run<DEPART_PERSON, long long, long long>;

inline constexpr char UPDATE_CONTACT[]
    = "UPDATE identity_contact SET address = :address, postal_code = :postal, city = :city, phone_home = :home, "
      "phone_work = :work, phone_mobile = :mobile, email = :email WHERE user_id = :user";
using UpdateContact = Run<UPDATE_CONTACT, std::string, std::string, std::string, std::string, std::string, std::string,
    std::string, long long>;

inline constexpr char DELETE_MEMBER[] = "DELETE FROM identity_class_member WHERE class_id = :class AND user_id = :user";
using DeleteMember = Run<DELETE_MEMBER, long long, long long>;

inline constexpr char DELETE_LINK_SOURCES[] = "DELETE FROM directory_link_source WHERE student_external = :student";
using DeleteLinkSources = Run<DELETE_LINK_SOURCES, std::string>;

inline constexpr char DELETE_FUNCTIONS[] = "DELETE FROM directory_function WHERE user_id = :user";
using DeleteFunctions = Run<DELETE_FUNCTIONS, long long>;

inline constexpr char DELETE_TEACHINGS[] = "DELETE FROM identity_teaching WHERE teacher_id = :teacher";
using DeleteTeachings = Run<DELETE_TEACHINGS, long long>;

inline constexpr char DELETE_HEAD_CLASSES[] = "DELETE FROM directory_head_teacher WHERE teacher_id = :teacher";
using DeleteHeadClasses = Run<DELETE_HEAD_CLASSES, long long>;

inline constexpr char DELETE_GUARDIAN_LINKS[] = "DELETE FROM identity_guardian_link WHERE student_id = :student";
using DeleteGuardianLinks = Run<DELETE_GUARDIAN_LINKS, long long>;

inline constexpr char ALL_LOGINS[] = "SELECT login FROM identity_user";
using AllLogins = Fetch<ALL_LOGINS, std::tuple<std::string>>;

inline constexpr char LOGINS_TAKEN[] = "SELECT login FROM identity_user WHERE login IN (?)";
using LoginsTaken = ByKeys<LOGINS_TAKEN, std::string, std::tuple<std::string>>;

// A guardian whose record names no known student: the structure of a
// student whose record names him.
inline constexpr char STRUCTURE_OF_LINKED_STUDENT[]
    = "SELECT u.structure_id FROM directory_link_source l JOIN identity_user u ON u.external_id = "
      "l.student_external WHERE l.guardian_external = :guardian";
using StructureOfLinkedStudent = Fetch<STRUCTURE_OF_LINKED_STUDENT, std::tuple<long long>, std::string>;

inline constexpr char FIND_CLASS[]
    = "SELECT id, label FROM identity_class WHERE structure_id = :structure AND kind = :kind AND name = :name";
using FindClass = Fetch<FIND_CLASS, std::tuple<long long, std::string>, long long, std::string, std::string>;

inline constexpr char CLASSES_OF[] = "SELECT id, kind, name, label FROM identity_class WHERE structure_id = :s";
using ClassesOf = Fetch<CLASSES_OF, std::tuple<long long, std::string, std::string, std::string>, long long>;

inline constexpr char SUBJECTS_OF[] = "SELECT id, code FROM identity_subject WHERE structure_id = :structure";
using SubjectsOf = Fetch<SUBJECTS_OF, std::tuple<long long, std::string>, long long>;

inline constexpr char FIND_SUBJECT[]
    = "SELECT id FROM identity_subject WHERE structure_id = :structure AND code = :code";
using FindSubject = Fetch<FIND_SUBJECT, std::tuple<long long>, long long, std::string>;

inline constexpr char ACTIVE_PEOPLE_OF[] = "SELECT id, profile, external_id FROM identity_user WHERE structure_id "
                                           "= :structure AND source = 'aaf' AND active = 1";
using ActivePeopleOf = Fetch<ACTIVE_PEOPLE_OF, std::tuple<long long, std::string, std::string>, long long>;

} // namespace cartable::directory::aaf::queries
