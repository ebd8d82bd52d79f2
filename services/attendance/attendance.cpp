// SPDX-License-Identifier: AGPL-3.0-or-later
// The vie scolaire's capabilities, routes, start and published reads.
#include "services/attendance/attendance.h"
#include "core/context.h"
#include "core/db/row.h"
#include "services/attendance/attendance_family_store.h"
#include "services/attendance/attendance_internal.h"
#include <set>
#include <utility>

namespace cartable::attendance {

std::string_view state_store(State state)
{
    switch (state) {
    case State::Pending:
        return "en_attente";
    case State::Justified:
        return "justifiee";
    case State::NotValid:
        return "non_valable";
    case State::Unjustified:
        break;
    }
    return "non_justifiee";
}

std::string_view state_label(State state)
{
    switch (state) {
    case State::Pending:
        return "en attente";
    case State::Justified:
        return "justifiée";
    case State::NotValid:
        return "non valable";
    case State::Unjustified:
        break;
    }
    return "non justifiée";
}

State state_from_store(std::string_view stored)
{
    for (auto const state : { State::Pending, State::Justified, State::NotValid })
        if (state_store(state) == stored)
            return state;
    return State::Unjustified;
}

Counts counts_of(soci::session& session, long long student_id, long long first_day, long long last_day)
{
    Counts counts;
    std::set<std::pair<long long, int>> missed;
    std::set<std::pair<long long, int>> unjustified;
    soci::rowset<soci::row> rows = (session.prepare << "SELECT kind, day, start_minute, state FROM attendance_event "
                                                       "WHERE student_id = :student AND day >= :first AND day <= :last",
        soci::use(student_id), soci::use(first_day), soci::use(last_day));
    for (auto const& row : rows) {
        auto const kind = row.get<std::string>(0);
        if (kind == "retard") {
            ++counts.lateness;
            continue;
        }
        if (kind != "absence")
            continue;
        std::pair<long long, int> const half_day { db::integer_at(row, 1),
            db::integer_at(row, 2) < AFTERNOON_FROM_MINUTE ? 0 : 1 };
        missed.insert(half_day);
        auto const state = state_from_store(row.get<std::string>(3));
        if (state == State::Unjustified || state == State::NotValid)
            unjustified.insert(half_day);
    }
    counts.half_days = static_cast<long long>(missed.size());
    counts.unjustified_half_days = static_cast<long long>(unjustified.size());
    return counts;
}

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ READ, access::Scope::SignedIn, {}, access::Risk::Read,
        "Consulter les absences et retards (les siens, ceux de ses enfants, de ses élèves)" }));
    TRY(registry.declare({ CALL, access::Scope::Structure, { access::Profile::Teacher, access::Profile::Staff },
        access::Risk::Write, "Faire l'appel de ses cours" }));
    return registry.declare({ DESK, access::Scope::Structure, { access::Profile::Staff, access::Profile::Admin },
        access::Risk::Write, "Tenir la vie scolaire : absences, justificatifs, incidents et punitions" });
}

std::vector<http::Route> routes()
{
    std::vector<http::Route> all;
    for (auto* part : { &call_routes, &desk_routes, &family_routes })
        for (auto& route : (*part)())
            all.push_back(std::move(route));
    return all;
}

ErrorOr<void> start(Services& services)
{
    return family::start(services);
}

} // namespace cartable::attendance
