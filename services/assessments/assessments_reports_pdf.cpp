// SPDX-License-Identifier: AGPL-3.0-or-later
// The bulletin as an A4 PDF (core/pdf): made on request from the data, never
// stored, so that an appraisal corrected after publication shows at once.
#include "core/pdf/pdf.h"
#include "services/assessments/assessments_reports_internal.h"

namespace cartable::assessments::reports {

std::string bulletin_file_name(Bulletin const& bulletin)
{
    return "Bulletin " + bulletin.period_label + " " + bulletin.student_name + ".pdf";
}

std::string bulletin_pdf(Bulletin const& bulletin)
{
    std::string header = "Bulletin du ";
    header.append(bulletin.period_label).append(" – ").append(bulletin.student_name);
    header.append(" – ").append(bulletin.class_name).append(" – ").append(bulletin.school_year);
    pdf::Document document(header);
    if (!bulletin.published)
        document.paragraph("Version de travail, non publiée", "Sans Bold 11", 0, 0, pdf::Align::Center);
    std::string school = bulletin.structure_name;
    if (!bulletin.uai.empty())
        school.append(" (UAI ").append(bulletin.uai).append(")");
    document.paragraph(school, "Sans Bold 12", 0, bulletin.published ? 0 : 8);
    document.paragraph("Année scolaire " + bulletin.school_year, "Sans 10", 0, 2);
    document.paragraph("Bulletin du " + bulletin.period_label, "Sans Bold 16", 0, 10);
    std::string student = "Élève : " + bulletin.student_name;
    if (!bulletin.birth_date.empty())
        student.append(", né(e) le ").append(bulletin.birth_date);
    document.paragraph(student, "Sans Bold 11", 0, 8);
    document.paragraph("Classe : " + bulletin.class_name, "Sans 10", 0, 2);
    if (!bulletin.head_teachers.empty())
        document.paragraph("Professeur principal : " + bulletin.head_teachers, "Sans 10", 0, 2);

    // Subject labels (« HISTOIRE-GÉOGRAPHIE ») fit on one line at 140 pt.
    std::vector<pdf::Column> const columns { { "Matière", 140, pdf::Align::Left },
        { "Moy. élève", 40, pdf::Align::Center }, { "Moy. classe", 40, pdf::Align::Center },
        { "Min.", 40, pdf::Align::Center }, { "Max.", 40, pdf::Align::Center },
        { "Appréciation", pdf::TEXT_WIDTH - 300, pdf::Align::Left } };
    std::vector<pdf::Row> rows;
    for (auto const& line : bulletin.lines) {
        std::string subject = line.subject;
        if (!line.teachers.empty())
            subject.append("\n").append(line.teachers);
        rows.push_back({ { subject, false }, { line.average, true }, { line.class_average, false },
            { line.lowest, false }, { line.highest, false }, { line.appraisal, false } });
    }
    rows.push_back({ { "Moyenne générale", true }, { bulletin.overall, true }, { bulletin.class_overall, false },
        { "", false }, { "", false }, { "", false } });
    document.table(columns, rows, "Sans 9", 12);

    document.paragraph("Absences et retards", "Sans Bold 11", 0, 14);
    document.paragraph(bulletin.absences, "Sans 10", 0, 2);
    document.paragraph("Appréciation du professeur principal", "Sans Bold 11", 0, 12);
    document.paragraph(
        bulletin.head_teacher_appraisal.empty() ? "–" : bulletin.head_teacher_appraisal, "Sans 10", 0, 2);
    document.paragraph("Appréciation du chef d'établissement", "Sans Bold 11", 0, 12);
    document.paragraph(bulletin.principal_appraisal.empty() ? "–" : bulletin.principal_appraisal, "Sans 10", 0, 2);
    document.paragraph(bulletin.signed_at, "Sans 10", 0, 18, pdf::Align::Right);
    return document.finish();
}

} // namespace cartable::assessments::reports
