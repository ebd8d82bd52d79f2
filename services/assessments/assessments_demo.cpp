// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo school's évaluations: for TPRO and T STMG, in the current period,
// three or four assessments per subject taught to them with realistic marks
// (a few Abs, Disp, NR), coefficients 1 and 2, a quiz on 10, all published
// but one. Appraisals and bulletins are assessments_reports.cpp's.
#include "core/db/row.h"
#include "core/school_time.h"
#include "services/assessments/assessments_internal.h"
#include <algorithm>
#include <string>
#include <vector>

namespace cartable::assessments {

namespace {

struct Planned {
    char const* title;
    long long scale;
    long long coefficient; // hundredths
};

struct SubjectPlan {
    char const* label;
    std::vector<Planned> assessments;
};

std::vector<SubjectPlan> const& plans()
{
    static std::vector<SubjectPlan> const list {
        { "ÉCONOMIE-GESTION",
            { { "Le contrat de travail", 20, 200 }, { "Quiz : la rémunération et le bulletin de paie", 10, 100 },
                { "La relation client", 20, 100 }, { "Étude de cas : la scierie des Cévennes", 20, 200 } } },
        { "MATHÉMATIQUES",
            { { "Statistiques à deux variables", 20, 200 }, { "Quiz : pourcentages et évolutions", 10, 100 },
                { "Suites arithmétiques et géométriques", 20, 100 }, { "Fonctions dérivées", 20, 200 } } },
        { "FRANÇAIS",
            { { "Commentaire de texte : Maupassant, « Le Horla »", 20, 200 },
                { "Quiz : les figures de style", 10, 100 },
                { "Écriture d'invention : une lettre ouverte", 20, 100 } } },
        { "HISTOIRE-GÉOGRAPHIE",
            { { "La Première Guerre mondiale, une guerre totale", 20, 200 },
                { "Quiz : repères chronologiques 1914-1945", 10, 100 },
                { "Croquis : les espaces productifs français", 20, 100 } } },
    };
    return list;
}

// A plausible mark for that student and assessment, in hundredths of its scale,
// or a code now and then.
school::Mark demo_mark(long long student_id, long long seed, long long scale)
{
    school::Mark mark;
    auto const pick = student_id * 31 + seed * 17;
    if (pick % 29 == 3) {
        mark.code = school::Code::Absent;
        return mark;
    }
    if (pick % 37 == 11) {
        mark.code = school::Code::Dispense;
        return mark;
    }
    if (pick % 41 == 7) {
        mark.code = school::Code::NonRendu;
        return mark;
    }
    auto const level = 8 + (student_id * 7) % 9; // 8 to 16 out of 20
    auto const change = (student_id * 13 + seed * 5) % 9 - 4; // -4 to +4
    auto on_twenty = std::clamp<long long>((level + change) * 100 + ((student_id + seed) % 2) * 50, 200, 1950);
    mark.hundredths = on_twenty * scale / 20 / 50 * 50; // halves of a point
    return mark;
}

} // namespace

void add_demo_assessments(soci::session& session, long long structure_id, long long now)
{
    auto const today = school_time::day_of_unix(now);
    auto const period = school::period_containing(session, structure_id, today);
    struct Teaching {
        long long class_id { 0 };
        std::string class_name;
        long long subject_id { 0 };
        std::string subject_label;
        long long teacher_id { 0 };
    };
    std::vector<Teaching> teachings;
    {
        soci::rowset<soci::row> rows
            = (session.prepare << "SELECT t.class_id, c.name, t.subject_id, s.label, t.teacher_id FROM "
                                  "identity_teaching t JOIN identity_class c ON c.id = t.class_id JOIN "
                                  "identity_subject s ON s.id = t.subject_id WHERE c.structure_id = :structure AND "
                                  "c.name IN ('TPRO', 'T STMG') ORDER BY c.name, s.label",
                soci::use(structure_id));
        for (auto const& row : rows) {
            teachings.push_back({ db::integer_at(row, 0), row.get<std::string>(1), db::integer_at(row, 2),
                row.get<std::string>(3), db::integer_at(row, 4) });
        }
    }
    long long seed = 0;
    for (auto const& teaching : teachings) {
        auto const plan = std::find_if(plans().begin(), plans().end(),
            [&](SubjectPlan const& candidate) { return teaching.subject_label == candidate.label; });
        if (plan == plans().end())
            continue;
        std::vector<long long> students;
        {
            soci::rowset<long long> rows
                = (session.prepare << "SELECT m.user_id FROM identity_class_member m JOIN identity_user u ON u.id = "
                                      "m.user_id WHERE m.class_id = :class AND u.profile = 'student' ORDER BY "
                                      "m.user_id",
                    soci::use(teaching.class_id));
            for (auto id : rows)
                students.push_back(id);
        }
        auto const count = static_cast<long long>(plan->assessments.size());
        for (long long index = 0; index < count; ++index) {
            auto const& planned = plan->assessments[static_cast<std::size_t>(index)];
            // TPRO's « Le contrat de travail » is the one the browser test creates.
            if (teaching.class_name == "TPRO" && index == 0 && teaching.subject_label == "ÉCONOMIE-GESTION")
                continue;
            ++seed;
            auto const offset = static_cast<long long>(seed % 4);
            auto const day
                = std::clamp(today - 38 + index * 11 + offset, period.first_day, std::max(period.first_day, today));
            // Published the evening after, not later than now; T STMG's
            // last mathematics test is still being marked.
            bool const published
                = !(teaching.class_name == "T STMG" && teaching.subject_label == "MATHÉMATIQUES" && index == count - 1);
            auto const evening = school_time::unix_from_local((day + 1) * school_time::MINUTES_PER_DAY + 18LL * 60);
            long long const published_at = published ? std::min(evening, now - 60) : 0;
            std::string const title = planned.title;
            long long id = 0;
            session << "INSERT INTO assessments_assessment (structure_id, class_id, subject_id, teacher_id, "
                       "period_id, day, title, scale, coefficient, published_at, created_at, updated_at) VALUES "
                       "(:structure, :class, :subject, :teacher, :period, :day, :title, :scale, :coefficient, "
                       ":published, :created, :updated) RETURNING id",
                soci::use(structure_id), soci::use(teaching.class_id), soci::use(teaching.subject_id),
                soci::use(teaching.teacher_id), soci::use(period.id), soci::use(day), soci::use(title),
                soci::use(planned.scale), soci::use(planned.coefficient), soci::use(published_at), soci::use(now),
                soci::use(now), soci::into(id);
            for (auto const student : students) {
                auto const mark = demo_mark(student, seed, planned.scale);
                soci::indicator value_indicator = mark.hundredths ? soci::i_ok : soci::i_null;
                long long const value = mark.hundredths.value_or(0);
                std::string const code(school::code_store(mark.code));
                session << "INSERT INTO assessments_mark (assessment_id, student_id, hundredths, code, updated_at) "
                           "VALUES (:assessment, :student, :hundredths, :code, :now)",
                    soci::use(id), soci::use(student), soci::use(value, value_indicator), soci::use(code),
                    soci::use(now);
            }
        }
    }
}

} // namespace cartable::assessments
