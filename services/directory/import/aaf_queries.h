// SPDX-License-Identifier: AGPL-3.0-or-later
// The statements an import runs for every person, prepared once per
// connection (parsing them again for each of 700 000 records cost more than
// running them).
#pragma once

#include "core/db/prepared.h"
#include <optional>
#include <string>

namespace cartable::directory::aaf::queries {

struct PersonRow {
    long long id { 0 };
    std::string civility;
    std::string first_name;
    std::string last_name;
    std::string profile;
    std::string function;
    long long structure_id { 0 };
    long long active { 1 };
    std::string national_profile;
    std::string birth_date;
    std::string mef_id;
};

struct FindPerson : db::PreparedQuery {
    std::string external;
    PersonRow row;
    soci::statement statement;

    explicit FindPerson(soci::session& session)
        : statement((session.prepare << "SELECT id, civility, first_name, last_name, profile, function, structure_id, "
                                        "active, national_profile, birth_date, mef_id FROM identity_user WHERE "
                                        "external_id = :external",
            soci::use(external), soci::into(row.id), soci::into(row.civility), soci::into(row.first_name),
            soci::into(row.last_name), soci::into(row.profile), soci::into(row.function), soci::into(row.structure_id),
            soci::into(row.active), soci::into(row.national_profile), soci::into(row.birth_date),
            soci::into(row.mef_id)))
    { }

    std::optional<PersonRow> find(std::string const& key)
    {
        external = key;
        if (!fetch_one(statement))
            return std::nullopt;
        return row;
    }
};

struct InsertPerson : db::PreparedQuery {
    std::string login;
    PersonRow person;
    long long created { 0 };
    std::string external;
    long long id { 0 };
    soci::statement statement;

    explicit InsertPerson(soci::session& session)
        : statement((session.prepare << "INSERT INTO identity_user (login, civility, first_name, last_name, profile, "
                                        "function, structure_id, password_hash, active, is_demo, created_at, "
                                        "external_id, source, national_profile, birth_date, mef_id) VALUES (:login, "
                                        ":civility, :first, :last, :profile, :function, :structure, '', 1, 0, "
                                        ":created, :external, 'aaf', :national, :birth, :mef) RETURNING id",
            soci::use(login), soci::use(person.civility), soci::use(person.first_name), soci::use(person.last_name),
            soci::use(person.profile), soci::use(person.function), soci::use(person.structure_id), soci::use(created),
            soci::use(external), soci::use(person.national_profile), soci::use(person.birth_date),
            soci::use(person.mef_id), soci::into(id)))
    { }

    long long insert(std::string const& new_login, PersonRow const& values, long long now, std::string const& key)
    {
        login = new_login;
        person = values;
        created = now;
        external = key;
        fetch_one(statement);
        return id;
    }
};

struct InsertMember : db::PreparedQuery {
    long long class_id { 0 };
    long long user_id { 0 };
    soci::statement statement;

    explicit InsertMember(soci::session& session)
        : statement((session.prepare << "INSERT INTO identity_class_member (class_id, user_id) VALUES (:class, :user)",
            soci::use(class_id), soci::use(user_id)))
    { }

    void insert(long long group, long long person)
    {
        class_id = group;
        user_id = person;
        run(statement);
    }
};

struct InsertLinkSource : db::PreparedQuery {
    std::string student;
    std::string guardian;
    std::string code;
    long long flags[4] { 0, 0, 0, 0 };
    soci::statement statement;

    explicit InsertLinkSource(soci::session& session)
        : statement((session.prepare << "INSERT INTO directory_link_source (student_external, guardian_external, "
                                        "link_code, financial, legal, contact, payment) VALUES (:student, :guardian, "
                                        ":code, :financial, :legal, :contact, :payment)",
            soci::use(student), soci::use(guardian), soci::use(code), soci::use(flags[0]), soci::use(flags[1]),
            soci::use(flags[2]), soci::use(flags[3])))
    { }

    void insert(std::string const& student_key, std::string const& guardian_key, std::string const& link_code,
        long long const (&values)[4])
    {
        student = student_key;
        guardian = guardian_key;
        code = link_code;
        for (int index = 0; index < 4; ++index)
            flags[index] = values[index];
        run(statement);
    }
};

struct InsertContact : db::PreparedQuery {
    long long user_id { 0 };
    std::string fields[7];
    soci::statement statement;

    explicit InsertContact(soci::session& session)
        : statement(
            (session.prepare << "INSERT INTO identity_contact (user_id, address, postal_code, city, phone_home, "
                                "phone_work, phone_mobile, email, unlisted) VALUES (:user, :address, :postal, "
                                ":city, :home, :work, :mobile, :email, 0)",
                soci::use(user_id), soci::use(fields[0]), soci::use(fields[1]), soci::use(fields[2]),
                soci::use(fields[3]), soci::use(fields[4]), soci::use(fields[5]), soci::use(fields[6])))
    { }

    void insert(long long person, std::string const* const (&values)[7])
    {
        user_id = person;
        for (int index = 0; index < 7; ++index)
            fields[index] = *values[index];
        run(statement);
    }
};

} // namespace cartable::directory::aaf::queries
