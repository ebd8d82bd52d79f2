// SPDX-License-Identifier: AGPL-3.0-or-later
// Declarations in advance meet recorded absences; unjustified absences are
// told to the guardians once per half-day.
#include "core/db/row.h"
#include "core/identity/identity_store.h"
#include "services/attendance/attendance_family_store.h"
#include "services/notifications/notifications.h"

namespace cartable::attendance {

namespace {

// The guardian's declaration in advance (not a « Justifier » of another
// event) that covers the event: accepted ones first, then the latest.
std::optional<family::Declaration> covering_declaration(soci::session& session, family::EventRow const& event)
{
    std::string const accepted = family::ACCEPTED;
    std::string const pending = family::PENDING;
    soci::rowset<soci::row> rows = (session.prepare << "SELECT id FROM attendance_declaration WHERE student_id = "
                                                       ":student AND event_id IS NULL AND state IN (:accepted, "
                                                       ":pending) AND first_day <= :day AND last_day >= :again ORDER "
                                                       "BY id DESC",
        soci::use(event.student_id), soci::use(accepted), soci::use(pending), soci::use(event.day),
        soci::use(event.day));
    std::vector<long long> ids;
    for (auto const& row : rows)
        ids.push_back(db::integer_at(row, 0));
    std::optional<family::Declaration> found;
    for (auto const id : ids) {
        auto declaration = family::declaration_by_id(session, id);
        if (!declaration || !family::covers(*declaration, event))
            continue;
        if (declaration->state == family::ACCEPTED)
            return declaration;
        if (!found)
            found = std::move(declaration);
    }
    return found;
}

// Whether the guardians were already told about an absence of that
// student's half-day (a second absence of the morning, a corrected call).
bool half_day_told(soci::session& session, family::EventRow const& event)
{
    long long count = 0;
    if (event.start_minute < AFTERNOON_FROM_MINUTE)
        session << "SELECT COUNT(*) FROM attendance_event WHERE student_id = :student AND day = :day AND "
                   "start_minute < :afternoon AND notified_at > 0",
            soci::use(event.student_id), soci::use(event.day), soci::use(AFTERNOON_FROM_MINUTE), soci::into(count);
    else
        session << "SELECT COUNT(*) FROM attendance_event WHERE student_id = :student AND day = :day AND "
                   "start_minute >= :afternoon AND notified_at > 0",
            soci::use(event.student_id), soci::use(event.day), soci::use(AFTERNOON_FROM_MINUTE), soci::into(count);
    return count > 0;
}

// « lundi 30 novembre »: the long day without its year.
std::string day_without_year(long long day)
{
    auto text = school_time::long_day(day);
    auto const space = text.rfind(' ');
    return space == std::string::npos ? text : text.substr(0, space);
}

void tell(soci::session& session, std::vector<long long> const& people, notifications::Notification notice,
    std::string const& public_url, long long now, Notified& notified)
{
    for (auto const person : people) {
        notice.recipient_id = person;
        auto const published = notifications::publish(session, notice, public_url, now);
        if (published.in_ent || published.outbox_rows() > 0)
            notified.people.push_back(person);
        notified.outbox_rows += published.outbox_rows();
    }
}

} // namespace

void after_recording(soci::session& session, std::vector<long long> const& event_ids, std::string const& public_url,
    long long now, Notified& notified)
{
    for (auto const id : event_ids) {
        auto event = family::event_by_id(session, id);
        if (!event)
            continue;
        std::optional<family::Declaration> declaration;
        if (event->state == State::Unjustified) {
            declaration = covering_declaration(session, *event);
            if (declaration) {
                family::link_event(session, *declaration, event->id, now);
                event->state = declaration->state == family::ACCEPTED ? State::Justified : State::Pending;
            }
        }
        // Lateness and departures are shown, not told; an absence once per half-day.
        if (event->kind != "absence" || event->notified_at != 0 || half_day_told(session, *event))
            continue;
        if (!declaration && event->state != State::Unjustified)
            continue;
        auto const student = identity::store::find_user(session, event->student_id);
        if (!student)
            continue;
        auto const name = student->display_name();
        auto const when = day_without_year(event->day) + " de " + school_time::clock(event->start_minute) + " à "
            + school_time::clock(event->end_minute);
        bool const feminine = student->civility == "Mme";
        // « Louis CHAMSON a été noté absent le lundi 30 novembre de 08:00 à 09:00 »
        auto absent_sentence = name;
        absent_sentence.append(feminine ? " a été notée absente le " : " a été noté absent le ").append(when);
        notifications::Notification notice;
        notice.event = notifications::Event::Absence;
        notice.child_id = student->id;
        notice.structure_id = event->structure_id;
        notice.title = "Absence de " + name;
        notice.link = "/vie-scolaire?eleve=" + std::to_string(student->id);
        if (declaration) {
            // The guardian who declared it learns what became of it.
            notice.summary = absent_sentence;
            notice.summary.append(" : ").append(declaration->state == family::ACCEPTED
                    ? "l'absence est justifiée par votre déclaration."
                    : "votre déclaration attend la décision de la vie scolaire.");
            notice.link = "/vie-scolaire/declarations/" + std::to_string(declaration->id);
            if (declaration->guardian_id != 0)
                tell(session, { declaration->guardian_id }, notice, public_url, now, notified);
        } else {
            notice.summary = absent_sentence + ".";
            tell(
                session, identity::store::active_guardians_of(session, student->id), notice, public_url, now, notified);
        }
        session << "UPDATE attendance_event SET notified_at = :now WHERE id = :id", soci::use(now),
            soci::use(event->id);
    }
}

} // namespace cartable::attendance
