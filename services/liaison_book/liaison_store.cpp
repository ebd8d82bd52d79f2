// SPDX-License-Identifier: AGPL-3.0-or-later
// The carnet de liaison's tables and its policy: who writes to whom, who
// reads, signs and follows a note.
#include "core/db/id_lists.h"
#include "core/db/prepared.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "core/text.h"
#include "services/liaison_book/liaison_book.h"
#include "services/notifications/notifications.h"
#include <algorithm>
#include <map>
#include <set>

namespace cartable::liaison_book {

std::vector<Category> const& categories()
{
    static std::vector<Category> const all { { "information", "Information" }, { "autorisation", "Autorisation" },
        { "convocation", "Convocation" }, { "sortie", "Sortie" }, { "sante", "Santé" },
        { "vie_scolaire", "Vie scolaire" } };
    return all;
}

std::string_view category_label(std::string_view code)
{
    for (auto const& category : categories()) {
        if (category.code == code)
            return category.label;
    }
    return "Information";
}

std::string school_year_of(long long unix_seconds)
{
    auto date = school_time::civil_from_days(school_time::day_of_unix(unix_seconds));
    int first = date.month >= 9 ? date.year : date.year - 1;
    return std::to_string(first) + "-" + std::to_string(first + 1);
}

bool oversees(identity::User const& person)
{
    if (!person.active)
        return false;
    if (person.profile == access::Profile::Admin)
        return true;
    if (person.profile != access::Profile::Staff)
        return false;
    auto function = fold_accents(person.function);
    for (auto const* word : { "proviseur", "principal", "adjoint", "cpe", "direct" }) {
        if (function.find(word) != std::string::npos)
            return true;
    }
    return false;
}

bool may_write_notes(identity::User const& person)
{
    return person.active && (person.profile == access::Profile::Teacher || person.profile == access::Profile::Staff);
}

std::vector<identity::SchoolClass> addressable_classes(soci::session& session, identity::User const& writer)
{
    std::vector<identity::SchoolClass> result;
    if (!may_write_notes(writer))
        return result;
    identity::SchoolClass row;
    auto collect = [&](soci::statement& statement) {
        statement.execute();
        while (statement.fetch())
            result.push_back(row);
    };
    if (writer.profile == access::Profile::Teacher) {
        soci::statement statement = (session.prepare << "SELECT DISTINCT c.id, c.structure_id, c.name, c.kind FROM "
                                                        "identity_class c JOIN identity_teaching t ON t.class_id = "
                                                        "c.id WHERE t.teacher_id = :teacher AND c.structure_id = "
                                                        ":structure ORDER BY c.kind, c.name",
            soci::use(writer.id), soci::use(writer.structure_id), soci::into(row.id), soci::into(row.structure_id),
            soci::into(row.name), soci::into(row.kind));
        collect(statement);
    } else {
        soci::statement statement = (session.prepare << "SELECT id, structure_id, name, kind FROM identity_class WHERE "
                                                        "structure_id = :structure ORDER BY kind, name",
            soci::use(writer.structure_id), soci::into(row.id), soci::into(row.structure_id), soci::into(row.name),
            soci::into(row.kind));
        collect(statement);
    }
    return result;
}

Standing standing_of(soci::session& session, identity::User const& person, Note const& note)
{
    Standing standing;
    if (!person.active)
        return standing;
    if (person.profile == access::Profile::Guardian) {
        long long student = 0;
        long long legal = 0;
        soci::statement statement
            = (session.prepare << "SELECT g.student_id, g.legal FROM identity_guardian_link g JOIN "
                                  "liaison_note_student ns ON ns.student_id = g.student_id WHERE g.guardian_id = "
                                  ":guardian AND ns.note_id = :note ORDER BY g.student_id",
                soci::use(person.id), soci::use(note.id), soci::into(student), soci::into(legal));
        statement.execute();
        while (statement.fetch()) {
            standing.children.push_back(student);
            if (legal != 0)
                standing.legal_children.push_back(student);
        }
    } else if (person.profile == access::Profile::Student) {
        long long count = 0;
        session << "SELECT COUNT(*) FROM liaison_note_student WHERE note_id = :note AND student_id = :student",
            soci::use(note.id), soci::use(person.id), soci::into(count);
        if (count > 0)
            standing.children.push_back(person.id);
    }
    bool const same_structure = person.structure_id == note.structure_id;
    standing.follows = same_structure && (note.author_id == person.id || oversees(person));
    standing.reads = standing.follows || !standing.children.empty();
    return standing;
}

namespace {

constexpr char const* NOTE_COLUMNS
    = "SELECT n.id, n.structure_id, COALESCE(n.author_id, 0), n.author_name, n.school_year, n.title, n.body, "
      "n.category, n.asks_reply, n.sign_before_day, n.attachment_name, n.attachment_stored, n.attachment_size, "
      "n.created_at";

struct NoteRow {
    Note note;
    long long asks_reply { 0 };
};

void bind_note(soci::statement& statement, NoteRow& row)
{
    auto& note = row.note;
    statement.exchange(soci::into(note.id));
    statement.exchange(soci::into(note.structure_id));
    statement.exchange(soci::into(note.author_id));
    statement.exchange(soci::into(note.author_name));
    statement.exchange(soci::into(note.school_year));
    statement.exchange(soci::into(note.title));
    statement.exchange(soci::into(note.body));
    statement.exchange(soci::into(note.category));
    statement.exchange(soci::into(row.asks_reply));
    statement.exchange(soci::into(note.sign_before_day));
    statement.exchange(soci::into(note.attachment_name));
    statement.exchange(soci::into(note.attachment_stored));
    statement.exchange(soci::into(note.attachment_size));
    statement.exchange(soci::into(note.created_at));
}

Note finished(NoteRow const& row)
{
    auto note = row.note;
    note.asks_reply = row.asks_reply != 0;
    return note;
}

std::string student_name(std::string const& first, std::string const& last)
{
    return first + " " + last;
}

// The guardians (legal or not, active) of the note's students.
// Each guardian with each addressed child of theirs: they are told about
// that child, by that child's choices of notifications.
std::vector<notifications::Addressee> guardians_of_note(soci::session& session, long long note_id)
{
    std::vector<notifications::Addressee> result;
    long long guardian = 0;
    long long student = 0;
    soci::statement statement = (session.prepare << "SELECT g.guardian_id, g.student_id FROM identity_guardian_link g "
                                                    "JOIN liaison_note_student ns ON ns.student_id = g.student_id "
                                                    "JOIN identity_user u ON u.id = g.guardian_id WHERE "
                                                    "ns.note_id = :note AND u.active = 1",
        soci::use(note_id), soci::into(guardian), soci::into(student));
    statement.execute();
    while (statement.fetch())
        result.push_back({ guardian, student });
    return result;
}

std::vector<long long> people_of(std::vector<notifications::Addressee> const& addressees)
{
    std::set<long long> people;
    for (auto const& addressee : addressees)
        people.insert(addressee.person);
    return { people.begin(), people.end() };
}

} // namespace

ErrorOr<long long> send_note(soci::session& session, identity::User const& author, NewNote const& note,
    std::string const& public_url, long long now, Notified* notified, Announce announce)
{
    auto allowed = addressable_classes(session, author);
    std::vector<long long> allowed_ids;
    allowed_ids.reserve(allowed.size());
    for (auto const& school_class : allowed)
        allowed_ids.push_back(school_class.id);
    for (auto id : note.class_ids) {
        if (std::find(allowed_ids.begin(), allowed_ids.end(), id) == allowed_ids.end())
            return Error::forbidden("Vous ne pouvez pas écrire aux familles de cette classe.", "class not addressable");
    }
    // Every active student of the classes one may address, with their class.
    std::map<long long, std::string> reachable;
    std::map<long long, std::string> addressed;
    if (!allowed_ids.empty()) {
        long long student = 0;
        long long class_id = 0;
        std::string class_name;
        soci::statement statement = (session.prepare
                << "SELECT m.user_id, c.id, c.name FROM identity_class_member m JOIN identity_class c ON c.id = "
                   "m.class_id JOIN identity_user u ON u.id = m.user_id WHERE u.profile = 'student' AND u.active = 1 "
                   "AND c.id IN ("
                    + db::id_list(allowed_ids) + ") ORDER BY c.kind, c.name",
            soci::into(student), soci::into(class_id), soci::into(class_name));
        statement.execute();
        while (statement.fetch()) {
            reachable.emplace(student, class_name);
            if (std::find(note.class_ids.begin(), note.class_ids.end(), class_id) != note.class_ids.end())
                addressed.emplace(student, class_name);
        }
    }
    for (auto id : note.student_ids) {
        auto found = reachable.find(id);
        if (found == reachable.end())
            return Error::forbidden("Vous ne pouvez pas écrire aux familles de cet élève.", "student not addressable");
        addressed.emplace(id, found->second);
    }
    if (addressed.empty())
        return Error::invalid("Choisissez au moins une classe ou un élève.");

    auto const year = school_year_of(now);
    auto const author_name = author.display_name();
    long long const asks = note.asks_reply ? 1 : 0;
    long long note_id = 0;
    session << "INSERT INTO liaison_note (structure_id, author_id, author_name, school_year, title, body, category, "
               "asks_reply, sign_before_day, attachment_name, attachment_stored, attachment_size, created_at) VALUES "
               "(:structure, :author, :author_name, :year, :title, :body, :category, :asks, :before, :file_name, "
               ":stored, :size, :now) RETURNING id",
        soci::use(author.structure_id), soci::use(author.id), soci::use(author_name), soci::use(year),
        soci::use(note.title), soci::use(note.body_html), soci::use(note.category), soci::use(asks),
        soci::use(note.sign_before_day), soci::use(note.attachment_name), soci::use(note.attachment_stored),
        soci::use(note.attachment_size), soci::use(now), soci::into(note_id);
    std::vector<long long> students;
    std::vector<long long> notes;
    std::vector<std::string> classes;
    for (auto const& [student, class_name] : addressed) {
        students.push_back(student);
        notes.push_back(note_id);
        classes.push_back(class_name);
    }
    session << "INSERT INTO liaison_note_student (note_id, student_id, class_name) VALUES (:note, :student, :class)",
        soci::use(notes), soci::use(students), soci::use(classes);

    if (announce == Announce::No)
        return note_id;
    // One notification per guardian and addressed child (each child's
    // choices apply), in a few queries however many families.
    auto guardians = guardians_of_note(session, note_id);
    notifications::Notification notice;
    notice.event = notifications::Event::LiaisonNote;
    notice.structure_id = author.structure_id;
    notice.title = "Nouveau mot dans le carnet de liaison";
    notice.link = "/carnet-de-liaison/mots/" + std::to_string(note_id);
    notice.summary = author_name + " a écrit un mot dans le carnet de liaison de votre enfant.";
    auto rows = notifications::publish_about_children(session, notice, guardians, public_url, now, true);
    if (notified)
        *notified = Notified { people_of(guardians), rows };
    return note_id;
}

namespace {

// A note by its id, on every page of a note: prepared once per connection.
struct NoteById : db::PreparedQuery {
    long long id { 0 };
    NoteRow row;
    soci::statement statement;

    explicit NoteById(soci::session& session)
        : statement(session)
    {
        bind_note(statement, row);
        statement.exchange(soci::use(id));
        statement.alloc();
        statement.prepare(std::string(NOTE_COLUMNS) + " FROM liaison_note n WHERE n.id = :id");
        statement.define_and_bind();
    }

    std::optional<Note> find(long long note_id)
    {
        id = note_id;
        if (!fetch_one(statement))
            return std::nullopt;
        return finished(row);
    }
};

} // namespace

std::optional<Note> find_note(soci::session& session, long long note_id)
{
    return db::prepared<NoteById>(session).find(note_id);
}

std::vector<Listed> notes_for(soci::session& session, identity::User const& person, std::string const& school_year)
{
    std::vector<Listed> result;
    if (!person.active)
        return result;
    NoteRow row;
    Listed extra;
    std::string first;
    std::string last;
    long long legal = 0;
    long long signed_count = 0;
    soci::statement statement(session);
    bind_note(statement, row);
    std::string sql;
    if (person.profile == access::Profile::Guardian || person.profile == access::Profile::Student) {
        statement.exchange(soci::into(extra.child_id));
        statement.exchange(soci::into(first));
        statement.exchange(soci::into(last));
        statement.exchange(soci::into(legal));
        statement.exchange(soci::into(signed_count));
        if (person.profile == access::Profile::Guardian) {
            statement.exchange(soci::use(person.id));
            statement.exchange(soci::use(person.id));
            sql = ", ns.student_id, u.first_name, u.last_name, g.legal, (SELECT COUNT(*) FROM liaison_signature s "
                  "WHERE s.note_id = n.id AND s.student_id = ns.student_id AND s.guardian_id = :signer) FROM "
                  "liaison_note n JOIN liaison_note_student ns ON ns.note_id = n.id JOIN identity_guardian_link g ON "
                  "g.student_id = ns.student_id AND g.guardian_id = :guardian JOIN identity_user u ON u.id = "
                  "ns.student_id WHERE ";
        } else {
            statement.exchange(soci::use(person.id));
            sql = ", ns.student_id, u.first_name, u.last_name, 0, 0 FROM liaison_note n JOIN liaison_note_student ns "
                  "ON ns.note_id = n.id JOIN identity_user u ON u.id = ns.student_id WHERE ns.student_id = :student "
                  "AND ";
        }
        statement.exchange(soci::use(school_year));
        sql += "n.school_year = :year ORDER BY u.first_name, u.id, n.created_at DESC, n.id DESC";
    } else {
        statement.exchange(soci::into(signed_count));
        statement.exchange(soci::into(extra.expected));
        sql = ", (SELECT COUNT(*) FROM liaison_signature s JOIN identity_guardian_link g ON g.guardian_id = "
              "s.guardian_id AND g.student_id = s.student_id AND g.legal = 1 WHERE s.note_id = n.id), (SELECT "
              "COUNT(*) FROM liaison_note_student ns JOIN identity_guardian_link g ON g.student_id = ns.student_id "
              "AND g.legal = 1 WHERE ns.note_id = n.id) FROM liaison_note n WHERE n.structure_id = :structure AND ";
        statement.exchange(soci::use(person.structure_id));
        if (!oversees(person)) {
            statement.exchange(soci::use(person.id));
            sql += "n.author_id = :author AND ";
        }
        statement.exchange(soci::use(school_year));
        sql += "n.school_year = :year ORDER BY n.created_at DESC, n.id DESC";
    }
    statement.alloc();
    statement.prepare(std::string(NOTE_COLUMNS) + sql);
    statement.define_and_bind();
    statement.execute();
    while (statement.fetch()) {
        Listed listed = extra;
        listed.note = finished(row);
        if (person.profile == access::Profile::Guardian || person.profile == access::Profile::Student) {
            listed.child_name = student_name(first, last);
            listed.signed_by_me = signed_count > 0;
            listed.to_sign = legal != 0 && signed_count == 0;
        } else {
            listed.signatures = signed_count;
        }
        result.push_back(std::move(listed));
    }
    // Per child (already), the notes still to sign first.
    std::map<long long, std::size_t> child_order;
    for (auto const& listed : result)
        child_order.emplace(listed.child_id, child_order.size());
    std::stable_sort(result.begin(), result.end(), [&](Listed const& a, Listed const& b) {
        return std::pair(child_order[a.child_id], !a.to_sign) < std::pair(child_order[b.child_id], !b.to_sign);
    });
    return result;
}

std::vector<std::string> school_years_for(soci::session& session, identity::User const& person)
{
    std::vector<std::string> years;
    std::string year;
    std::string sql;
    if (person.profile == access::Profile::Guardian)
        sql = "SELECT DISTINCT n.school_year FROM liaison_note n JOIN liaison_note_student ns ON ns.note_id = n.id "
              "JOIN identity_guardian_link g ON g.student_id = ns.student_id WHERE g.guardian_id = :person ORDER BY "
              "n.school_year DESC";
    else if (person.profile == access::Profile::Student)
        sql = "SELECT DISTINCT n.school_year FROM liaison_note n JOIN liaison_note_student ns ON ns.note_id = n.id "
              "WHERE ns.student_id = :person ORDER BY n.school_year DESC";
    else
        sql = "SELECT DISTINCT school_year FROM liaison_note WHERE structure_id = :structure ORDER BY school_year DESC";
    long long const key = person.profile == access::Profile::Guardian || person.profile == access::Profile::Student
        ? person.id
        : person.structure_id;
    soci::statement statement = (session.prepare << sql, soci::use(key), soci::into(year));
    statement.execute();
    while (statement.fetch())
        years.push_back(year);
    return years;
}

bool sign(soci::session& session, Note const& note, identity::User const& guardian, long long student_id, long long now)
{
    // A double click (or two tabs) signs once: the second insert finds the
    // unique (note, student, guardian) and does nothing.
    auto name = guardian.display_name();
    soci::statement statement = (session.prepare
            << "INSERT INTO liaison_signature (note_id, student_id, guardian_id, guardian_name, signed_at) VALUES "
               "(:note, :student, :guardian, :name, :now) ON CONFLICT (note_id, student_id, guardian_id) DO NOTHING",
        soci::use(note.id), soci::use(student_id), soci::use(guardian.id), soci::use(name), soci::use(now));
    statement.execute(true);
    return statement.get_affected_rows() > 0;
}

void add_reply(soci::session& session, Note const& note, identity::User const& guardian, long long student_id,
    std::string const& text, long long now)
{
    auto name = guardian.display_name();
    session << "INSERT INTO liaison_reply (note_id, student_id, guardian_id, guardian_name, body, created_at) VALUES "
               "(:note, :student, :guardian, :name, :body, :now)",
        soci::use(note.id), soci::use(student_id), soci::use(guardian.id), soci::use(name), soci::use(text),
        soci::use(now);
}

std::vector<Signature> signatures_for(soci::session& session, long long note_id, std::vector<long long> const& students)
{
    std::vector<Signature> result;
    if (students.empty())
        return result;
    Signature row;
    soci::statement statement = (session.prepare << "SELECT student_id, COALESCE(guardian_id, 0), guardian_name, "
                                                    "signed_at FROM liaison_signature WHERE note_id = :note AND "
                                                    "student_id IN ("
                + db::id_list(students) + ") ORDER BY signed_at, id",
        soci::use(note_id), soci::into(row.student_id), soci::into(row.guardian_id), soci::into(row.guardian_name),
        soci::into(row.signed_at));
    statement.execute();
    while (statement.fetch())
        result.push_back(row);
    return result;
}

std::vector<Reply> replies_for(soci::session& session, long long note_id, std::vector<long long> const& students)
{
    std::vector<Reply> result;
    if (students.empty())
        return result;
    Reply row;
    soci::statement statement = (session.prepare << "SELECT student_id, COALESCE(guardian_id, 0), guardian_name, "
                                                    "body, created_at FROM liaison_reply WHERE note_id = :note AND "
                                                    "student_id IN ("
                + db::id_list(students) + ") ORDER BY created_at, id",
        soci::use(note_id), soci::into(row.student_id), soci::into(row.guardian_id), soci::into(row.guardian_name),
        soci::into(row.text), soci::into(row.created_at));
    statement.execute();
    while (statement.fetch())
        result.push_back(row);
    return result;
}

FollowUp follow_up(soci::session& session, Note const& note)
{
    FollowUp result;
    FollowLine line;
    std::string first;
    std::string last;
    std::string guardian_first;
    std::string guardian_last;
    soci::statement statement = (session.prepare
            << "SELECT ns.student_id, u.first_name, u.last_name, ns.class_name, COALESCE(g.guardian_id, 0), "
               "COALESCE(gu.first_name, ''), COALESCE(gu.last_name, ''), COALESCE(s.signed_at, 0) FROM "
               "liaison_note_student ns JOIN identity_user u ON u.id = ns.student_id LEFT JOIN identity_guardian_link "
               "g ON g.student_id = ns.student_id AND g.legal = 1 LEFT JOIN identity_user gu ON gu.id = g.guardian_id "
               "LEFT JOIN liaison_signature s ON s.note_id = ns.note_id AND s.student_id = ns.student_id AND "
               "s.guardian_id = g.guardian_id WHERE ns.note_id = :note ORDER BY ns.class_name, u.last_name, "
               "u.first_name, u.id, gu.last_name, gu.first_name, g.guardian_id",
        soci::use(note.id), soci::into(line.student_id), soci::into(first), soci::into(last),
        soci::into(line.class_name), soci::into(line.guardian_id), soci::into(guardian_first),
        soci::into(guardian_last), soci::into(line.signed_at));
    statement.execute();
    std::map<std::pair<long long, long long>, std::size_t> index;
    std::map<long long, std::size_t> first_line;
    while (statement.fetch()) {
        line.student_name = student_name(first, last);
        line.guardian_name = line.guardian_id != 0 ? student_name(guardian_first, guardian_last) : std::string();
        index[{ line.student_id, line.guardian_id }] = result.lines.size();
        first_line.emplace(line.student_id, result.lines.size());
        if (line.guardian_id != 0) {
            ++result.expected;
            if (line.signed_at != 0)
                ++result.signatures;
        }
        result.lines.push_back(line);
    }
    std::string name;
    std::string text;
    long long student = 0;
    long long guardian = 0;
    soci::statement replies = (session.prepare << "SELECT student_id, COALESCE(guardian_id, 0), guardian_name, body "
                                                  "FROM liaison_reply WHERE note_id = :note ORDER BY created_at, id",
        soci::use(note.id), soci::into(student), soci::into(guardian), soci::into(name), soci::into(text));
    replies.execute();
    while (replies.fetch()) {
        auto found = index.find({ student, guardian });
        auto at = found != index.end() ? found->second : first_line.count(student) ? first_line[student] : SIZE_MAX;
        if (at == SIZE_MAX)
            continue;
        // A reply of a former guardian (or one no longer legal) goes on the
        // student's first line, with its author's name.
        std::string shown = found != index.end() ? text : name;
        if (found == index.end())
            shown.append(" : ").append(text);
        result.lines[at].replies.push_back(std::move(shown));
    }
    session << "SELECT COUNT(*), COALESCE(MAX(sent_at), 0) FROM liaison_reminder WHERE note_id = :note",
        soci::use(note.id), soci::into(result.reminders), soci::into(result.last_reminder_at);
    return result;
}

long long remind(soci::session& session, Note const& note, identity::User const& sender, std::string const& public_url,
    long long now, Notified* notified)
{
    std::vector<notifications::Addressee> pending;
    for (auto const& line : follow_up(session, note).lines) {
        if (line.guardian_id != 0 && line.signed_at == 0)
            pending.push_back({ line.guardian_id, line.student_id });
    }
    auto recipients = people_of(pending);
    notifications::Notification notice;
    notice.event = notifications::Event::LiaisonNote;
    notice.structure_id = note.structure_id;
    notice.title = "Rappel : un mot du carnet de liaison attend votre signature";
    notice.link = "/carnet-de-liaison/mots/" + std::to_string(note.id);
    notice.summary = "Un mot du carnet de liaison de votre enfant attend votre signature.";
    std::size_t rows = 0;
    if (!recipients.empty())
        rows = notifications::publish_about_children(session, notice, pending, public_url, now);
    auto count = static_cast<long long>(recipients.size());
    session << "INSERT INTO liaison_reminder (note_id, sent_by, recipients, sent_at) VALUES (:note, :sender, "
               ":recipients, :now)",
        soci::use(note.id), soci::use(sender.id), soci::use(count), soci::use(now);
    identity::store::audit_in(session, sender.id, note.structure_id, "liaison_reminder",
        "mot " + std::to_string(note.id) + " : " + std::to_string(count) + " responsables relancés");
    if (notified)
        *notified = Notified { std::move(recipients), rows };
    return count;
}

void forget_person(soci::session& session, long long person_id, bool erase)
{
    session << "UPDATE liaison_signature SET guardian_name = 'Ancien membre', guardian_id = NULL WHERE guardian_id = "
               ":person",
        soci::use(person_id);
    if (erase)
        session << "DELETE FROM liaison_reply WHERE guardian_id = :person", soci::use(person_id);
    else
        session << "UPDATE liaison_reply SET guardian_name = 'Ancien membre', guardian_id = NULL WHERE guardian_id = "
                   ":person",
            soci::use(person_id);
    session << "UPDATE liaison_note SET author_name = 'Ancien membre', author_id = NULL WHERE author_id = :person",
        soci::use(person_id);
    session << "UPDATE liaison_reminder SET sent_by = NULL WHERE sent_by = :person", soci::use(person_id);
}

} // namespace cartable::liaison_book
