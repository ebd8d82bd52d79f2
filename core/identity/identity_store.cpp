// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/identity/identity_store.h"
#include "core/db/id_lists.h"
#include "core/db/prepared.h"
#include <algorithm>
#include <ctime>

namespace cartable::identity::store {

namespace {

constexpr char const* STRUCTURE_COLUMNS = "id, uai, name, kind, city, academy, region, welcome_text, is_demo";
constexpr char const* USER_COLUMNS = "u.id, u.login, u.civility, u.first_name, u.last_name, u.profile, u.function, "
                                     "u.structure_id, u.active, u.is_demo, u.charter_version, u.platform_admin";

struct StructureRow {
    Structure value;
    long long is_demo { 0 };
    void bind(soci::statement& statement)
    {
        statement.exchange(soci::into(value.id));
        statement.exchange(soci::into(value.uai));
        statement.exchange(soci::into(value.name));
        statement.exchange(soci::into(value.kind));
        statement.exchange(soci::into(value.city));
        statement.exchange(soci::into(value.academy));
        statement.exchange(soci::into(value.region));
        statement.exchange(soci::into(value.welcome_text));
        statement.exchange(soci::into(is_demo));
    }
    Structure get()
    {
        value.is_demo = is_demo != 0;
        return value;
    }
};

struct UserRow {
    User value;
    std::string profile;
    long long active { 0 };
    long long is_demo { 0 };
    long long platform_admin { 0 };
    void bind(soci::statement& statement)
    {
        statement.exchange(soci::into(value.id));
        statement.exchange(soci::into(value.login));
        statement.exchange(soci::into(value.civility));
        statement.exchange(soci::into(value.first_name));
        statement.exchange(soci::into(value.last_name));
        statement.exchange(soci::into(profile));
        statement.exchange(soci::into(value.function));
        statement.exchange(soci::into(value.structure_id));
        statement.exchange(soci::into(active));
        statement.exchange(soci::into(is_demo));
        statement.exchange(soci::into(value.charter_version));
        statement.exchange(soci::into(platform_admin));
    }
    User get()
    {
        value.profile = access::profile_from_code(profile).value_or(access::Profile::Student);
        value.active = active != 0;
        value.is_demo = is_demo != 0;
        value.platform_admin = platform_admin != 0;
        return value;
    }
};

// Runs a query whose rows map through Row, with the given bound values.
template<typename Row, typename Value, typename... Uses>
std::vector<Value> query(soci::session& session, std::string const& sql, Uses&&... uses)
{
    Row row;
    soci::statement statement(session);
    (statement.exchange(std::forward<Uses>(uses)), ...);
    row.bind(statement);
    statement.alloc();
    statement.prepare(sql);
    statement.define_and_bind();
    std::vector<Value> result;
    if (statement.execute(true)) {
        do {
            result.push_back(row.get());
        } while (statement.fetch());
    }
    statement.clean_up();
    return result;
}

long long now()
{
    return static_cast<long long>(std::time(nullptr));
}

} // namespace

long long create_structure(soci::session& session, Structure const& structure)
{
    long long id = 0;
    long long is_demo = structure.is_demo ? 1 : 0;
    long long created = now();
    session
        << "INSERT INTO identity_structure (uai, name, kind, city, academy, region, welcome_text, is_demo, created_at) "
           "VALUES (:uai, :name, :kind, :city, :academy, :region, :welcome, :demo, :created) RETURNING id",
        soci::use(structure.uai), soci::use(structure.name), soci::use(structure.kind), soci::use(structure.city),
        soci::use(structure.academy), soci::use(structure.region), soci::use(structure.welcome_text),
        soci::use(is_demo), soci::use(created), soci::into(id);
    return id;
}

std::optional<Structure> find_structure(soci::session& session, long long id)
{
    auto rows = query<StructureRow, Structure>(
        session, std::string("SELECT ") + STRUCTURE_COLUMNS + " FROM identity_structure WHERE id = :id", soci::use(id));
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::optional<Structure> find_structure_by_uai(soci::session& session, std::string const& uai)
{
    auto rows = query<StructureRow, Structure>(session,
        std::string("SELECT ") + STRUCTURE_COLUMNS + " FROM identity_structure WHERE uai = :uai", soci::use(uai));
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<Structure> list_structures(soci::session& session)
{
    return query<StructureRow, Structure>(
        session, std::string("SELECT ") + STRUCTURE_COLUMNS + " FROM identity_structure ORDER BY name");
}

long long create_user(soci::session& session, User const& user, std::string const& password_hash)
{
    long long id = 0;
    std::string profile(access::profile_code(user.profile));
    long long active = user.active ? 1 : 0;
    long long is_demo = user.is_demo ? 1 : 0;
    long long platform_admin = user.platform_admin ? 1 : 0;
    long long created = now();
    session << "INSERT INTO identity_user (login, civility, first_name, last_name, profile, function, structure_id, "
               "password_hash, active, is_demo, created_at, platform_admin) VALUES (:login, :civility, :first, "
               ":last, :profile, :function, :structure, :hash, :active, :demo, :created, :platform) RETURNING id",
        soci::use(user.login), soci::use(user.civility), soci::use(user.first_name), soci::use(user.last_name),
        soci::use(profile), soci::use(user.function), soci::use(user.structure_id), soci::use(password_hash),
        soci::use(active), soci::use(is_demo), soci::use(created), soci::use(platform_admin), soci::into(id);
    return id;
}

std::optional<User> find_user(soci::session& session, long long id)
{
    auto rows = query<UserRow, User>(
        session, std::string("SELECT ") + USER_COLUMNS + " FROM identity_user u WHERE u.id = :id", soci::use(id));
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<User> find_users(soci::session& session, std::vector<long long> const& ids)
{
    std::vector<User> users;
    users.reserve(ids.size());
    constexpr std::size_t CHUNK = 500;
    for (std::size_t start = 0; start < ids.size(); start += CHUNK) {
        auto list = db::id_list(std::span(ids).subspan(start, std::min(CHUNK, ids.size() - start)));
        auto rows = query<UserRow, User>(
            session, std::string("SELECT ") + USER_COLUMNS + " FROM identity_user u WHERE u.id IN (" + list + ")");
        users.insert(users.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
    }
    return users;
}

std::optional<std::pair<User, std::string>> find_user_for_sign_in(soci::session& session, std::string const& login)
{
    // The person and the hash in one query (sign-in is the hot path of a
    // Monday morning).
    struct SignInRow : UserRow {
        std::string hash;
        void bind(soci::statement& statement)
        {
            UserRow::bind(statement);
            statement.exchange(soci::into(hash));
        }
        std::pair<User, std::string> get() { return { UserRow::get(), hash }; }
    };
    auto rows = query<SignInRow, std::pair<User, std::string>>(session,
        std::string("SELECT ") + USER_COLUMNS + ", u.password_hash FROM identity_user u WHERE u.login = :login",
        soci::use(login));
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<User> list_users(soci::session& session)
{
    return query<UserRow, User>(session,
        std::string("SELECT ") + USER_COLUMNS
            + " FROM identity_user u ORDER BY u.structure_id, u.profile, u.last_name, u.first_name");
}

void set_password_hash(soci::session& session, long long user_id, std::string const& hash)
{
    session << "UPDATE identity_user SET password_hash = :hash WHERE id = :id", soci::use(hash), soci::use(user_id);
}

long long create_class(soci::session& session, SchoolClass const& school_class)
{
    long long id = 0;
    session << "INSERT INTO identity_class (structure_id, name, kind) VALUES (:structure, :name, :kind) RETURNING id",
        soci::use(school_class.structure_id), soci::use(school_class.name), soci::use(school_class.kind),
        soci::into(id);
    return id;
}

void add_class_member(soci::session& session, long long class_id, long long user_id)
{
    session << "INSERT INTO identity_class_member (class_id, user_id) VALUES (:class, :user)", soci::use(class_id),
        soci::use(user_id);
}

void link_guardian(soci::session& session, long long guardian_id, long long student_id, std::string const& relationship)
{
    session << "INSERT INTO identity_guardian_link (guardian_id, student_id, relationship) VALUES (:guardian, "
               ":student, :relationship)",
        soci::use(guardian_id), soci::use(student_id), soci::use(relationship);
}

long long create_subject(
    soci::session& session, long long structure_id, std::string const& code, std::string const& label)
{
    long long id = 0;
    session
        << "INSERT INTO identity_subject (structure_id, code, label) VALUES (:structure, :code, :label) RETURNING id",
        soci::use(structure_id), soci::use(code), soci::use(label), soci::into(id);
    return id;
}

void add_teaching(soci::session& session, long long teacher_id, long long class_id, long long subject_id)
{
    session << "INSERT INTO identity_teaching (teacher_id, class_id, subject_id) VALUES (:teacher, :class, :subject)",
        soci::use(teacher_id), soci::use(class_id), soci::use(subject_id);
}

namespace {

constexpr char CHILDREN_OF[]
    = "SELECT u.id, u.login, u.civility, u.first_name, u.last_name, u.profile, u.function, "
      "u.structure_id, u.active, u.is_demo, u.charter_version, u.platform_admin FROM identity_user u "
      "JOIN identity_guardian_link g ON g.student_id = u.id "
      "WHERE g.guardian_id = :guardian AND u.active = 1 ORDER BY u.first_name, u.last_name";

// A prepared query of rows of one kind, by one id.
template<typename Row, typename Value, char const* Sql> struct RowsById : db::PreparedQuery {
    long long id { 0 };
    Row row;
    soci::statement statement;

    explicit RowsById(soci::session& session)
        : statement(session)
    {
        statement.exchange(soci::use(id));
        row.bind(statement);
        statement.alloc();
        statement.prepare(Sql);
        statement.define_and_bind();
    }

    std::vector<Value> fetch(long long value)
    {
        id = value;
        std::vector<Value> result;
        fetch_all(statement, [&] { result.push_back(row.get()); });
        return result;
    }
};

} // namespace

std::vector<long long> active_guardians_of(soci::session& session, long long student_id)
{
    std::vector<long long> ids;
    soci::rowset<long long> rows = (session.prepare << "SELECT g.guardian_id FROM identity_guardian_link g JOIN "
                                                       "identity_user u ON u.id = g.guardian_id WHERE g.student_id = "
                                                       ":student AND u.active = 1 ORDER BY g.guardian_id",
        soci::use(student_id));
    for (auto id : rows)
        ids.push_back(id);
    return ids;
}

std::vector<User> children_of(soci::session& session, long long guardian_id)
{
    return db::prepared<RowsById<UserRow, User, CHILDREN_OF>>(session).fetch(guardian_id);
}

namespace {
struct ClassRow {
    SchoolClass value;
    void bind(soci::statement& statement)
    {
        statement.exchange(soci::into(value.id));
        statement.exchange(soci::into(value.structure_id));
        statement.exchange(soci::into(value.name));
        statement.exchange(soci::into(value.kind));
    }
    SchoolClass get() { return value; }
};

constexpr char CLASSES_OF_STUDENT[] = "SELECT c.id, c.structure_id, c.name, c.kind FROM identity_class c JOIN "
                                      "identity_class_member m ON m.class_id = c.id "
                                      "WHERE m.user_id = :user ORDER BY c.kind, c.name";
constexpr char CLASSES_OF_TEACHER[] = "SELECT DISTINCT c.id, c.structure_id, c.name, c.kind FROM identity_class c JOIN "
                                      "identity_teaching t ON t.class_id = c.id "
                                      "WHERE t.teacher_id = :user ORDER BY c.kind, c.name";
constexpr char CLASSES_OF_GUARDIAN[]
    = "SELECT DISTINCT c.id, c.structure_id, c.name, c.kind FROM identity_class c "
      "JOIN identity_class_member m ON m.class_id = c.id JOIN identity_guardian_link g ON g.student_id = m.user_id "
      "WHERE g.guardian_id = :user ORDER BY c.kind, c.name";
constexpr char CLASSES_OF_STRUCTURE[] = "SELECT c.id, c.structure_id, c.name, c.kind FROM identity_class c "
                                        "WHERE c.structure_id = :structure ORDER BY c.kind, c.name";

} // namespace

std::vector<SchoolClass> classes_of(soci::session& session, User const& user)
{
    switch (user.profile) {
    case access::Profile::Student:
        return db::prepared<RowsById<ClassRow, SchoolClass, CLASSES_OF_STUDENT>>(session).fetch(user.id);
    case access::Profile::Teacher:
        return db::prepared<RowsById<ClassRow, SchoolClass, CLASSES_OF_TEACHER>>(session).fetch(user.id);
    case access::Profile::Guardian:
        return db::prepared<RowsById<ClassRow, SchoolClass, CLASSES_OF_GUARDIAN>>(session).fetch(user.id);
    case access::Profile::Staff:
    case access::Profile::Admin:
        break;
    }
    return db::prepared<RowsById<ClassRow, SchoolClass, CLASSES_OF_STRUCTURE>>(session).fetch(user.structure_id);
}

bool holds_non_demo_data(soci::session& session)
{
    long long count = 0;
    session << "SELECT (SELECT COUNT(*) FROM identity_structure WHERE is_demo = 0) + (SELECT COUNT(*) FROM "
               "identity_user WHERE is_demo = 0)",
        soci::into(count);
    return count > 0;
}

bool is_empty(soci::session& session)
{
    long long count = 0;
    session << "SELECT COUNT(*) FROM identity_structure", soci::into(count);
    return count == 0;
}

void audit(
    soci::session& session, std::optional<long long> actor_id, std::string const& action, std::string const& detail)
{
    long long at = now();
    long long actor = actor_id.value_or(0);
    soci::indicator actor_indicator = actor_id ? soci::i_ok : soci::i_null;
    // The action belongs to the actor's structure (none for the system's own).
    session << "INSERT INTO identity_audit (at, actor_id, action, detail, structure_id) VALUES (:at, :actor, "
               ":action, :detail, (SELECT structure_id FROM identity_user WHERE id = :actor_again))",
        soci::use(at), soci::use(actor, actor_indicator), soci::use(action), soci::use(detail),
        soci::use(actor, actor_indicator);
}

} // namespace cartable::identity::store

namespace cartable::identity::store {

Contact find_contact(soci::session& session, long long user_id)
{
    Contact contact;
    long long unlisted = 0;
    session << "SELECT address, postal_code, city, phone_home, phone_work, phone_mobile, email, unlisted "
               "FROM identity_contact WHERE user_id = :user",
        soci::use(user_id), soci::into(contact.address), soci::into(contact.postal_code), soci::into(contact.city),
        soci::into(contact.phone_home), soci::into(contact.phone_work), soci::into(contact.phone_mobile),
        soci::into(contact.email), soci::into(unlisted);
    contact.unlisted = unlisted != 0;
    return contact;
}

void save_contact(soci::session& session, long long user_id, Contact const& contact)
{
    long long unlisted = contact.unlisted ? 1 : 0;
    session << "DELETE FROM identity_contact WHERE user_id = :user", soci::use(user_id);
    session << "INSERT INTO identity_contact (user_id, address, postal_code, city, phone_home, phone_work, "
               "phone_mobile, email, unlisted) VALUES (:user, :address, :postal, :city, :home, :work, :mobile, "
               ":email, :unlisted)",
        soci::use(user_id), soci::use(contact.address), soci::use(contact.postal_code), soci::use(contact.city),
        soci::use(contact.phone_home), soci::use(contact.phone_work), soci::use(contact.phone_mobile),
        soci::use(contact.email), soci::use(unlisted);
}

void set_unlisted(soci::session& session, long long user_id, bool unlisted)
{
    auto contact = find_contact(session, user_id);
    contact.unlisted = unlisted;
    save_contact(session, user_id, contact);
}

void link_accounts(soci::session& session, long long one, long long other, long long now)
{
    long long first = std::min(one, other);
    long long second = std::max(one, other);
    if (accounts_linked(session, first, second))
        return;
    session << "INSERT INTO identity_account_link (first_id, second_id, linked_at) VALUES (:first, :second, :at)",
        soci::use(first), soci::use(second), soci::use(now);
}

bool unlink_accounts(soci::session& session, long long one, long long other)
{
    long long first = std::min(one, other);
    long long second = std::max(one, other);
    soci::statement statement
        = (session.prepare << "DELETE FROM identity_account_link WHERE first_id = :first AND second_id = :second",
            soci::use(first), soci::use(second));
    statement.execute(true);
    return statement.get_affected_rows() > 0;
}

std::vector<User> linked_accounts(soci::session& session, long long user_id)
{
    return query<UserRow, User>(session,
        std::string("SELECT ") + USER_COLUMNS
            + " FROM identity_user u JOIN identity_account_link l ON (l.first_id = :one AND l.second_id = u.id) "
              "OR (l.second_id = :two AND l.first_id = u.id) WHERE u.active = 1 ORDER BY u.id",
        soci::use(user_id), soci::use(user_id));
}

bool accounts_linked(soci::session& session, long long one, long long other)
{
    long long first = std::min(one, other);
    long long second = std::max(one, other);
    long long count = 0;
    session << "SELECT COUNT(*) FROM identity_account_link WHERE first_id = :first AND second_id = :second",
        soci::use(first), soci::use(second), soci::into(count);
    return count > 0;
}

} // namespace cartable::identity::store

namespace cartable::identity::store {

void audit_in(soci::session& session, long long actor_id, long long structure_id, std::string const& action,
    std::string const& detail)
{
    long long at = now();
    session << "INSERT INTO identity_audit (at, actor_id, action, detail, structure_id) VALUES (:at, :actor, "
               ":action, :detail, :structure)",
        soci::use(at), soci::use(actor_id), soci::use(action), soci::use(detail), soci::use(structure_id);
}

} // namespace cartable::identity::store
