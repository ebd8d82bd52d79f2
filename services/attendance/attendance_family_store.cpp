// SPDX-License-Identifier: AGPL-3.0-or-later
// The families' side of the vie scolaire in the database (attendance_family_store.h).
#include "services/attendance/attendance_family_store.h"
#include "core/db/row.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "services/notifications/notifications.h"
#include <algorithm>
#include <boost/json.hpp>

namespace cartable::attendance::family {

namespace {

constexpr char const* EVENT_COLUMNS
    = "SELECT e.id, e.structure_id, e.student_id, e.kind, e.day, e.start_minute, e.end_minute, e.minutes, e.state, "
      "COALESCE(m.label, ''), COALESCE(s.label, ''), e.notified_at FROM attendance_event e LEFT JOIN "
      "attendance_motive m ON m.id = e.motive_id LEFT JOIN attendance_call c ON c.id = e.call_id LEFT JOIN "
      "identity_subject s ON s.id = c.subject_id ";

EventRow event_of_row(soci::row const& row)
{
    EventRow event;
    event.id = db::integer_at(row, 0);
    event.structure_id = db::integer_at(row, 1);
    event.student_id = db::integer_at(row, 2);
    event.kind = row.get<std::string>(3);
    event.day = db::integer_at(row, 4);
    event.start_minute = db::integer_at(row, 5);
    event.end_minute = db::integer_at(row, 6);
    event.minutes = db::integer_at(row, 7);
    event.state = state_from_store(row.get<std::string>(8));
    event.motive = row.get<std::string>(9);
    event.subject = row.get<std::string>(10);
    event.notified_at = db::integer_at(row, 11);
    return event;
}

constexpr char const* DECLARATION_COLUMNS
    = "SELECT d.id, d.structure_id, d.student_id, COALESCE(d.guardian_id, 0), COALESCE(d.event_id, 0), d.first_day, "
      "d.first_minute, d.last_day, d.last_minute, COALESCE(d.motive_id, 0), COALESCE(m.label, ''), d.comment, "
      "d.file_name, d.file_stored, d.file_size, d.state, d.created_at, d.decided_at, d.decision_comment, "
      "st.first_name, st.last_name, COALESCE(g.first_name, ''), COALESCE(g.last_name, '') FROM "
      "attendance_declaration d JOIN identity_user st ON st.id = d.student_id LEFT JOIN identity_user g ON g.id = "
      "d.guardian_id LEFT JOIN attendance_motive m ON m.id = d.motive_id ";

Declaration declaration_of_row(soci::row const& row)
{
    Declaration declaration;
    declaration.id = db::integer_at(row, 0);
    declaration.structure_id = db::integer_at(row, 1);
    declaration.student_id = db::integer_at(row, 2);
    declaration.guardian_id = db::integer_at(row, 3);
    declaration.event_id = db::integer_at(row, 4);
    declaration.first_day = db::integer_at(row, 5);
    declaration.first_minute = db::integer_at(row, 6);
    declaration.last_day = db::integer_at(row, 7);
    declaration.last_minute = db::integer_at(row, 8);
    declaration.motive_id = db::integer_at(row, 9);
    declaration.motive = row.get<std::string>(10);
    declaration.comment = row.get<std::string>(11);
    declaration.file_name = row.get<std::string>(12);
    declaration.file_stored = row.get<std::string>(13);
    declaration.file_size = db::integer_at(row, 14);
    declaration.state = row.get<std::string>(15);
    declaration.created_at = db::integer_at(row, 16);
    declaration.decided_at = db::integer_at(row, 17);
    declaration.decision_comment = row.get<std::string>(18);
    declaration.student_name = row.get<std::string>(19);
    declaration.student_name.append(" ").append(row.get<std::string>(20));
    auto guardian_first = row.get<std::string>(21);
    auto guardian_last = row.get<std::string>(22);
    if (!guardian_last.empty())
        declaration.guardian_name = guardian_first.append(" ").append(guardian_last);
    return declaration;
}

std::string_view linked_state(std::string const& declaration_state)
{
    if (declaration_state == ACCEPTED)
        return state_store(State::Justified);
    if (declaration_state == REFUSED)
        return state_store(State::NotValid);
    return state_store(State::Pending);
}

} // namespace

std::string declaration_state_label(std::string const& state)
{
    if (state == ACCEPTED)
        return "acceptée";
    if (state == REFUSED)
        return "refusée";
    return "en attente";
}

std::optional<EventRow> event_by_id(soci::session& session, long long id)
{
    soci::rowset<soci::row> rows = (session.prepare << std::string(EVENT_COLUMNS) + "WHERE e.id = :id", soci::use(id));
    for (auto const& row : rows)
        return event_of_row(row);
    return std::nullopt;
}

std::vector<EventRow> events_of(soci::session& session, long long student_id, long long first_day, long long last_day)
{
    std::vector<EventRow> events;
    soci::rowset<soci::row> rows = (session.prepare << std::string(EVENT_COLUMNS)
                + "WHERE e.student_id = :student AND e.day >= :first AND e.day <= :last ORDER BY e.day DESC, "
                  "e.start_minute DESC, e.id DESC",
        soci::use(student_id), soci::use(first_day), soci::use(last_day));
    for (auto const& row : rows)
        events.push_back(event_of_row(row));
    return events;
}

std::optional<Declaration> declaration_by_id(soci::session& session, long long id)
{
    soci::rowset<soci::row> rows
        = (session.prepare << std::string(DECLARATION_COLUMNS) + "WHERE d.id = :id", soci::use(id));
    for (auto const& row : rows)
        return declaration_of_row(row);
    return std::nullopt;
}

std::vector<Declaration> declarations_of(soci::session& session, long long student_id)
{
    std::vector<Declaration> declarations;
    soci::rowset<soci::row> rows = (session.prepare
            << std::string(DECLARATION_COLUMNS) + "WHERE d.student_id = :student ORDER BY d.created_at DESC, d.id DESC",
        soci::use(student_id));
    for (auto const& row : rows)
        declarations.push_back(declaration_of_row(row));
    return declarations;
}

std::vector<Declaration> pending_declarations(soci::session& session, long long structure_id)
{
    std::vector<Declaration> declarations;
    std::string const pending = PENDING;
    soci::rowset<soci::row> rows = (session.prepare << std::string(DECLARATION_COLUMNS)
                + "WHERE d.structure_id = :structure AND d.state = :state ORDER BY d.created_at, d.id",
        soci::use(structure_id), soci::use(pending));
    for (auto const& row : rows)
        declarations.push_back(declaration_of_row(row));
    for (auto& declaration : declarations)
        declaration.class_name = class_of(session, declaration.student_id);
    return declarations;
}

std::vector<EventRow> events_of_declaration(soci::session& session, long long declaration_id)
{
    std::vector<EventRow> events;
    soci::rowset<soci::row> rows = (session.prepare << std::string(EVENT_COLUMNS)
                + "JOIN attendance_justified j ON j.event_id = e.id WHERE j.declaration_id = :declaration ORDER BY "
                  "e.day, e.start_minute, e.id",
        soci::use(declaration_id));
    for (auto const& row : rows)
        events.push_back(event_of_row(row));
    return events;
}

bool covers(Declaration const& declaration, EventRow const& event)
{
    auto const start = (event.day * school_time::MINUTES_PER_DAY) + event.start_minute;
    auto const end = (event.day * school_time::MINUTES_PER_DAY) + std::max(event.end_minute, event.start_minute + 1);
    auto const from = (declaration.first_day * school_time::MINUTES_PER_DAY) + declaration.first_minute;
    auto const to = (declaration.last_day * school_time::MINUTES_PER_DAY) + declaration.last_minute;
    return start < to && end > from;
}

void link_event(soci::session& session, Declaration const& declaration, long long event_id, long long now)
{
    session << "INSERT INTO attendance_justified (declaration_id, event_id) VALUES (:declaration, :event) ON "
               "CONFLICT (declaration_id, event_id) DO NOTHING",
        soci::use(declaration.id), soci::use(event_id);
    std::string const state(linked_state(declaration.state));
    long long const decided_at = declaration.state == PENDING ? 0 : now;
    long long motive = declaration.motive_id;
    soci::indicator motive_indicator = motive != 0 ? soci::i_ok : soci::i_null;
    session << "UPDATE attendance_event SET state = :state, motive_id = :motive, decided_at = :decided WHERE id = :id",
        soci::use(state), soci::use(motive, motive_indicator), soci::use(decided_at), soci::use(event_id);
}

long long store_declaration(soci::session& session, Declaration declaration, bool motive_accepted, long long now)
{
    declaration.state = motive_accepted ? ACCEPTED : PENDING;
    long long const decided_at = motive_accepted ? now : 0;
    long long event = declaration.event_id;
    soci::indicator event_indicator = event != 0 ? soci::i_ok : soci::i_null;
    long long guardian = declaration.guardian_id;
    soci::indicator guardian_indicator = guardian != 0 ? soci::i_ok : soci::i_null;
    long long motive = declaration.motive_id;
    soci::indicator motive_indicator = motive != 0 ? soci::i_ok : soci::i_null;
    long long id = 0;
    session << "INSERT INTO attendance_declaration (structure_id, student_id, guardian_id, event_id, first_day, "
               "first_minute, last_day, last_minute, motive_id, comment, file_name, file_stored, file_size, state, "
               "created_at, decided_at) VALUES (:structure, :student, :guardian, :event, :first_day, :first_minute, "
               ":last_day, :last_minute, :motive, :comment, :file_name, :stored, :size, :state, :now, :decided) "
               "RETURNING id",
        soci::use(declaration.structure_id), soci::use(declaration.student_id), soci::use(guardian, guardian_indicator),
        soci::use(event, event_indicator), soci::use(declaration.first_day), soci::use(declaration.first_minute),
        soci::use(declaration.last_day), soci::use(declaration.last_minute), soci::use(motive, motive_indicator),
        soci::use(declaration.comment), soci::use(declaration.file_name), soci::use(declaration.file_stored),
        soci::use(declaration.file_size), soci::use(declaration.state), soci::use(now), soci::use(decided_at),
        soci::into(id);
    declaration.id = id;
    std::vector<long long> covered;
    for (auto const& row : events_of(session, declaration.student_id, declaration.first_day, declaration.last_day)) {
        if (row.state != State::Unjustified)
            continue;
        if (declaration.event_id != 0 ? row.id == declaration.event_id : covers(declaration, row))
            covered.push_back(row.id);
    }
    for (auto const event_id : covered)
        link_event(session, declaration, event_id, now);
    return id;
}

bool decide(soci::session& session, Declaration const& declaration, bool accept, long long decider_id,
    std::string const& comment, std::string const& public_url, long long now, Notified& notified)
{
    std::string const state = accept ? ACCEPTED : REFUSED;
    std::string const pending = PENDING;
    soci::statement update = (session.prepare << "UPDATE attendance_declaration SET state = :state, decided_by = "
                                                 ":decider, decided_at = :now, decision_comment = :comment WHERE id "
                                                 "= :id AND state = :pending",
        soci::use(state), soci::use(decider_id), soci::use(now), soci::use(comment), soci::use(declaration.id),
        soci::use(pending));
    update.execute(true);
    if (update.get_affected_rows() != 1)
        return false;
    std::string const event_state(accept ? state_store(State::Justified) : state_store(State::NotValid));
    std::string const waiting(state_store(State::Pending));
    session << "UPDATE attendance_event SET state = :state, decided_by = :decider, decided_at = :now WHERE state = "
               ":waiting AND id IN (SELECT event_id FROM attendance_justified WHERE declaration_id = :declaration)",
        soci::use(event_state), soci::use(decider_id), soci::use(now), soci::use(waiting), soci::use(declaration.id);
    if (declaration.guardian_id == 0)
        return true;
    auto const student = identity::store::find_user(session, declaration.student_id);
    auto const name = student ? student->display_name() : std::string("votre enfant");
    notifications::Notification notice;
    notice.recipient_id = declaration.guardian_id;
    notice.event = notifications::Event::Absence;
    notice.child_id = declaration.student_id;
    notice.structure_id = declaration.structure_id;
    notice.title = std::string(accept ? "Justificatif accepté pour " : "Justificatif refusé pour ") + name;
    notice.link = "/vie-scolaire/declarations/" + std::to_string(declaration.id);
    notice.summary = std::string("La vie scolaire a ") + (accept ? "accepté" : "refusé") + " votre justificatif pour "
        + name + ".";
    auto const published = notifications::publish(session, notice, public_url, now);
    notified.people.push_back(declaration.guardian_id);
    notified.outbox_rows += published.outbox_rows();
    return true;
}

std::vector<Punishment> punishments_of(
    soci::session& session, long long student_id, long long first_day, long long last_day)
{
    std::vector<Punishment> punishments;
    soci::rowset<soci::row> rows = (session.prepare
            << "SELECT kind, reason, day, start_minute, duration_minutes FROM attendance_punishment "
               "WHERE student_id = :student AND day >= :first AND day <= :last ORDER BY day DESC, id DESC",
        soci::use(student_id), soci::use(first_day), soci::use(last_day));
    for (auto const& row : rows) {
        Punishment punishment;
        punishment.kind = row.get<std::string>(0);
        punishment.reason = row.get<std::string>(1);
        punishment.day = db::integer_at(row, 2);
        punishment.start_minute = db::integer_at(row, 3);
        punishment.duration_minutes = db::integer_at(row, 4);
        punishments.push_back(std::move(punishment));
    }
    return punishments;
}

std::string punishment_label(std::string const& kind)
{
    if (kind == "retenue")
        return "Retenue";
    if (kind == "devoir_supplementaire")
        return "Devoir supplémentaire";
    if (kind == "exclusion_cours")
        return "Exclusion de cours";
    return kind;
}

std::string class_of(soci::session& session, long long student_id)
{
    std::string name;
    session << "SELECT c.name FROM identity_class c JOIN identity_class_member m ON m.class_id = c.id WHERE "
               "m.user_id = :student AND c.kind = 'class' ORDER BY c.name LIMIT 1",
        soci::use(student_id), soci::into(name);
    return session.got_data() ? name : std::string();
}

namespace {

std::string day_and_time(long long day, long long minute)
{
    return school_time::iso_day(day) + " " + school_time::clock(minute);
}

boost::json::object declaration_json(Declaration const& declaration)
{
    return boost::json::object { { "eleve", declaration.student_name },
        { "du", day_and_time(declaration.first_day, declaration.first_minute) },
        { "au", day_and_time(declaration.last_day, declaration.last_minute) }, { "motif", declaration.motive },
        { "commentaire", declaration.comment }, { "justificatif", declaration.file_name },
        { "etat", declaration_state_label(declaration.state) },
        { "envoyee_le", i18n::format_long_datetime(declaration.created_at) },
        { "reponse_vie_scolaire", declaration.decision_comment } };
}

} // namespace

std::string personal_data_json(soci::session& session, identity::User const& person)
{
    boost::json::object result;
    if (person.profile == access::Profile::Student) {
        boost::json::array events;
        for (auto const& event : events_of(session, person.id, 0, 1'000'000)) {
            events.emplace_back(
                boost::json::object { { "type", event.kind }, { "date", school_time::iso_day(event.day) },
                    { "de", school_time::clock(event.start_minute) }, { "a", school_time::clock(event.end_minute) },
                    { "minutes", event.minutes }, { "matiere", event.subject },
                    { "etat", std::string(state_label(event.state)) }, { "motif", event.motive } });
        }
        boost::json::array punishments;
        for (auto const& punishment : punishments_of(session, person.id, 0, 1'000'000))
            punishments.emplace_back(boost::json::object { { "punition", punishment_label(punishment.kind) },
                { "date", school_time::iso_day(punishment.day) }, { "motif", punishment.reason } });
        boost::json::array declarations;
        for (auto const& declaration : declarations_of(session, person.id))
            declarations.emplace_back(declaration_json(declaration));
        result["absences_et_retards"] = std::move(events);
        result["punitions"] = std::move(punishments);
        result["justificatifs"] = std::move(declarations);
    } else {
        boost::json::array sent;
        soci::rowset<soci::row> rows = (session.prepare << "SELECT id FROM attendance_declaration WHERE guardian_id = "
                                                           ":person ORDER BY created_at, id",
            soci::use(person.id));
        std::vector<long long> ids;
        for (auto const& row : rows)
            ids.push_back(db::integer_at(row, 0));
        for (auto const id : ids) {
            if (auto declaration = declaration_by_id(session, id))
                sent.emplace_back(declaration_json(*declaration));
        }
        result["justificatifs_envoyes"] = std::move(sent);
    }
    return boost::json::serialize(result);
}

std::vector<std::string> forget_student(soci::session& session, long long student_id)
{
    std::vector<std::string> files;
    for (auto const& declaration : declarations_of(session, student_id)) {
        if (!declaration.file_stored.empty())
            files.push_back(declaration.file_stored);
    }
    session << "DELETE FROM attendance_declaration WHERE student_id = :student", soci::use(student_id);
    session << "UPDATE attendance_event SET comment = '' WHERE student_id = :student", soci::use(student_id);
    return files;
}

} // namespace cartable::attendance::family
