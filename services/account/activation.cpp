// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/account/activation.h"
#include "core/embedded.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/identity/tokens.h"
#include "core/view/view.h"
#include <algorithm>
#include <map>
#include <set>
#include <sodium.h>
#include <stdexcept>

namespace cartable::account::activation {

namespace {

// No 0/O, 1/I/L: what a parent reads off a letter is what they type.
constexpr std::string_view ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
constexpr std::size_t CODE_LENGTH = 12;
constexpr std::size_t GROUP_LENGTH = 4;

// A person of the structure, as the letters need them.
struct Member {
    identity::User person;
    bool has_password { false };
    bool valid_code { false };
    std::vector<std::string> classes; // a student's classes
    std::vector<long long> children; // a guardian's children in the structure
};

struct Roster {
    std::map<long long, Member> members;
    std::vector<long long> order; // by name
};

Roster roster(soci::session& session, long long structure_id, long long now)
{
    Roster result;
    {
        Member row;
        std::string profile;
        long long has_password = 0;
        long long expires_at = 0;
        long long used_at = 0;
        soci::statement statement
            = (session.prepare << "SELECT u.id, u.login, u.civility, u.first_name, u.last_name, u.profile, "
                                  "u.function, CASE WHEN u.password_hash = '' THEN 0 ELSE 1 END, "
                                  "COALESCE(a.expires_at, 0), COALESCE(a.used_at, 0) "
                                  "FROM identity_user u LEFT JOIN account_activation a ON a.user_id = u.id "
                                  "WHERE u.structure_id = :structure AND u.active = 1 AND u.profile <> 'admin' "
                                  "ORDER BY u.last_name, u.first_name, u.id",
                soci::use(structure_id), soci::into(row.person.id), soci::into(row.person.login),
                soci::into(row.person.civility), soci::into(row.person.first_name), soci::into(row.person.last_name),
                soci::into(profile), soci::into(row.person.function), soci::into(has_password), soci::into(expires_at),
                soci::into(used_at));
        statement.execute();
        while (statement.fetch()) {
            auto member = row;
            member.person.profile = access::profile_from_code(profile).value_or(access::Profile::Student);
            member.person.structure_id = structure_id;
            member.has_password = has_password != 0;
            member.valid_code = used_at == 0 && expires_at > now;
            result.order.push_back(member.person.id);
            result.members.emplace(member.person.id, std::move(member));
        }
    }
    {
        long long user_id = 0;
        std::string name;
        soci::statement statement
            = (session.prepare << "SELECT m.user_id, c.name FROM identity_class_member m "
                                  "JOIN identity_class c ON c.id = m.class_id "
                                  "WHERE c.structure_id = :structure AND c.kind = 'class' ORDER BY c.name",
                soci::use(structure_id), soci::into(user_id), soci::into(name));
        statement.execute();
        while (statement.fetch()) {
            auto found = result.members.find(user_id);
            if (found != result.members.end() && found->second.person.profile == access::Profile::Student)
                found->second.classes.push_back(name);
        }
    }
    {
        long long guardian_id = 0;
        long long student_id = 0;
        soci::statement statement
            = (session.prepare << "SELECT l.guardian_id, l.student_id FROM identity_guardian_link l "
                                  "JOIN identity_user g ON g.id = l.guardian_id WHERE g.structure_id = :structure",
                soci::use(structure_id), soci::into(guardian_id), soci::into(student_id));
        statement.execute();
        while (statement.fetch()) {
            auto guardian = result.members.find(guardian_id);
            if (guardian != result.members.end() && result.members.contains(student_id))
                guardian->second.children.push_back(student_id);
        }
    }
    // A guardian's children in the order of their names.
    std::map<long long, std::size_t> rank;
    for (std::size_t index = 0; index < result.order.size(); ++index)
        rank[result.order[index]] = index;
    for (auto& [id, member] : result.members)
        std::sort(member.children.begin(), member.children.end(),
            [&](long long a, long long b) { return rank[a] < rank[b]; });
    return result;
}

// The groups under which a person's letter may be printed: a student's
// class, each class of a guardian's children, « Personnels ».
std::vector<std::string> groups_of(Roster const& roster, Member const& member)
{
    std::vector<std::string> groups;
    switch (member.person.profile) {
    case access::Profile::Student:
        groups = member.classes;
        break;
    case access::Profile::Guardian:
        for (auto child : member.children) {
            for (auto const& name : roster.members.at(child).classes) {
                if (std::find(groups.begin(), groups.end(), name) == groups.end())
                    groups.push_back(name);
            }
        }
        break;
    default:
        groups.emplace_back(STAFF_GROUP);
        break;
    }
    if (groups.empty())
        groups.emplace_back(NO_CLASS_GROUP);
    return groups;
}

// « responsable de Louis CHAMSON, classe TPRO, et de Pauline CHAMSON, classe T STMG »
std::string guardian_of(Roster const& roster, Member const& member)
{
    std::string text;
    for (std::size_t index = 0; index < member.children.size(); ++index) {
        auto const& child = roster.members.at(member.children[index]);
        text += index == 0 ? "responsable de " : ", et de ";
        text += child.person.display_name();
        if (!child.classes.empty())
            text += ", classe " + child.classes.front();
    }
    return text;
}

} // namespace

std::string new_code()
{
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium failed to initialise");
    std::string code;
    for (std::size_t index = 0; index < CODE_LENGTH; ++index)
        code += ALPHABET[randombytes_uniform(static_cast<std::uint32_t>(ALPHABET.size()))];
    return code;
}

std::string grouped(std::string_view code)
{
    std::string text;
    for (std::size_t index = 0; index < code.size(); ++index) {
        if (index > 0 && index % GROUP_LENGTH == 0)
            text += '-';
        text += code[index];
    }
    return text;
}

std::string normalized(std::string_view typed)
{
    std::string code;
    for (char c : typed) {
        if (c == '-' || c == ' ' || c == '\t')
            continue;
        code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return code;
}

std::string issue(soci::session& session, long long user_id, long long now)
{
    auto code = new_code();
    auto digest = identity::token_digest(code);
    auto hint = code.substr(code.size() - 2);
    long long expires_at = now + VALIDITY_SECONDS;
    session << "DELETE FROM account_activation WHERE user_id = :id", soci::use(user_id);
    session << "INSERT INTO account_activation (user_id, code_digest, code_hint, created_at, expires_at, used_at) "
               "VALUES (:id, :digest, :hint, :created, :expires, 0)",
        soci::use(user_id), soci::use(digest), soci::use(hint), soci::use(now), soci::use(expires_at);
    return code;
}

std::vector<ClassCount> class_counts(soci::session& session, long long structure_id, long long now)
{
    auto people = roster(session, structure_id, now);
    std::map<std::string, ClassCount> counts;
    for (auto id : people.order) {
        auto const& member = people.members.at(id);
        for (auto const& group : groups_of(people, member)) {
            auto& count = counts[group];
            count.name = group;
            ++count.people;
            if (!member.has_password) {
                ++count.without_password;
                if (member.valid_code)
                    ++count.with_valid_code;
            }
        }
    }
    std::vector<ClassCount> result;
    for (auto& [name, count] : counts) {
        if (name != STAFF_GROUP && name != NO_CLASS_GROUP)
            result.push_back(count);
    }
    for (auto const* name : { NO_CLASS_GROUP, STAFF_GROUP }) {
        if (counts.contains(name))
            result.push_back(counts[name]);
    }
    return result;
}

std::vector<Letter> generate(soci::session& session, Selection const& selection, long long now)
{
    auto people = roster(session, selection.structure_id, now);
    std::vector<Letter> letters;
    for (auto id : people.order) {
        auto const& member = people.members.at(id);
        if (member.has_password || (member.valid_code && !selection.renew))
            continue;
        if (selection.profile && member.person.profile != *selection.profile)
            continue;
        auto groups = groups_of(people, member);
        std::string group = groups.front();
        if (!selection.class_name.empty()) {
            if (std::find(groups.begin(), groups.end(), selection.class_name) == groups.end())
                continue;
            group = selection.class_name;
        }
        Letter letter;
        letter.person = member.person;
        letter.group = group;
        if (member.person.profile == access::Profile::Guardian)
            letter.about = guardian_of(people, member);
        else if (member.person.profile == access::Profile::Student && group != NO_CLASS_GROUP)
            letter.about = "élève de la classe " + group;
        letter.code = grouped(issue(session, member.person.id, now));
        letter.expires_at = now + VALIDITY_SECONDS;
        letters.push_back(std::move(letter));
    }
    std::stable_sort(letters.begin(), letters.end(), [](Letter const& a, Letter const& b) {
        auto rank = [](std::string const& group) { return group == STAFF_GROUP ? 2 : group == NO_CLASS_GROUP ? 1 : 0; };
        if (rank(a.group) != rank(b.group))
            return rank(a.group) < rank(b.group);
        return a.group < b.group;
    });
    return letters;
}

std::optional<identity::User> check(
    soci::session& session, std::string const& login, std::string const& typed_code, long long now)
{
    auto digest = identity::token_digest(normalized(typed_code));
    auto found = identity::store::find_user_for_sign_in(session, login);
    std::string stored;
    long long expires_at = 0;
    long long used_at = 0;
    soci::indicator indicator = soci::i_ok;
    long long user_id = found ? found->first.id : 0;
    session << "SELECT code_digest, expires_at, used_at FROM account_activation WHERE user_id = :id",
        soci::use(user_id), soci::into(stored, indicator), soci::into(expires_at), soci::into(used_at);
    if (!session.got_data())
        stored.clear();
    bool matches = identity::constant_time_equals(stored, digest);
    if (!found || !found->first.active || !found->second.empty() || stored.empty() || !matches || used_at != 0
        || expires_at <= now)
        return std::nullopt;
    return found->first;
}

bool consume(soci::session& session, long long user_id, std::string const& typed_code, long long now)
{
    auto digest = identity::token_digest(normalized(typed_code));
    soci::statement statement = (session.prepare << "UPDATE account_activation SET used_at = :now "
                                                    "WHERE user_id = :id AND code_digest = :digest AND used_at = 0 "
                                                    "AND expires_at > :again",
        soci::use(now), soci::use(user_id), soci::use(digest), soci::use(now));
    statement.execute(true);
    return statement.get_affected_rows() > 0;
}

std::string letters_html(LetterPage const& page, std::vector<Letter> const& letters)
{
    view::Data data;
    data.set("title", page.title);
    if (page.stylesheet_url.empty()) {
        auto css = embedded::find("web/static/lettres.css");
        data.set("inline_css", css ? std::string(*css) : std::string());
    } else {
        data.set("stylesheet", page.stylesheet_url);
    }
    std::string place = page.structure.city;
    if (!page.structure.academy.empty())
        place += (place.empty() ? "" : " – ") + std::string("académie de ") + page.structure.academy;
    auto host = page.ent_url;
    if (auto scheme = host.find("://"); scheme != std::string::npos)
        host = host.substr(scheme + 3);
    while (!host.empty() && host.back() == '/')
        host.pop_back();
    view::List list;
    for (auto const& letter : letters) {
        view::Data entry;
        entry.set("group", letter.group);
        entry.set("structure_name", page.structure.name);
        entry.set("structure_place", place);
        std::string name;
        if (!letter.person.civility.empty())
            name = letter.person.civility + " ";
        name += letter.person.display_name();
        entry.set("name", name);
        entry.set("about", letter.about);
        entry.set("login", letter.person.login);
        entry.set("code", letter.code);
        entry.set("expires", i18n::format_long_date(static_cast<std::time_t>(letter.expires_at)));
        entry.set("ent_url", page.ent_url);
        entry.set("ent_host", host.empty() ? page.ent_url : host);
        list.push_back(std::move(entry));
    }
    data.set("count", std::to_string(letters.size()));
    data.set("letters", std::move(list));
    data.set("empty", letters.empty());
    data.set("structure_name", page.structure.name);
    return view::Templates::instance().render("account/activation_letters", data);
}

} // namespace cartable::account::activation
