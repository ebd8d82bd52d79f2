// SPDX-License-Identifier: AGPL-3.0-or-later
// « Comment imprimer le cahier de textes ? »: a page for a week or a period
// that prints as a clean A4 (the print stylesheet of cartable.css), and
// the same content as a PDF made with Pango and Cairo (core/pdf).
#include "core/html/rich_text.h"
#include "core/pdf/pdf.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "core/view/mustache.h"
#include "services/lesson_book/lesson_book_family_internal.h"
#include <map>

namespace cartable::lesson_book::family {

namespace {

struct Period {
    long long from { 0 };
    long long to { 0 }; // included
    std::string error;
};

// ?du=&au=: this week by default, a school year at most.
Period period_of(Context& context)
{
    auto const today = today_of(context);
    auto const monday = today - school_time::weekday(today);
    Period period { monday, monday + 6, {} };
    auto const from = day_parameter(context.request.query.get("du"), monday);
    auto const to = day_parameter(context.request.query.get("au"), from.is_error() ? monday + 6 : from.value() + 6);
    if (from.is_error() || to.is_error()) {
        period.error = "Les dates doivent être de la forme 2026-12-01 ou 01/12/2026.";
        return period;
    }
    if (to.value() < from.value()) {
        period.error = "La fin de la période doit suivre son début.";
        return period;
    }
    if (to.value() - from.value() >= LONGEST_PERIOD_DAYS) {
        period.error = "La période imprimée ne peut pas dépasser une année scolaire.";
        return period;
    }
    period.from = from.value();
    period.to = to.value();
    return period;
}

struct Printed {
    std::string name; // whose book
    std::string file_name;
    Book book;
    std::string child_query;
};

// The person's book for the period: the student's or the chosen child's;
// a teacher or the direction print what they read of their classes.
ErrorOr<Printed> printed_of(Context& context, Period const& period)
{
    auto const& user = context.user();
    auto const now = context.now;
    Printed printed;
    if (user.profile == access::Profile::Student || user.profile == access::Profile::Guardian) {
        auto const subject = TRY(subject_of(context, context.request.query.get("enfant")));
        if (subject.student.id == 0)
            return Error::not_found("Aucun enfant n'est rattaché à votre compte.", "guardian without children");
        printed.name = subject.student.display_name();
        printed.file_name = subject.student.first_name + " " + subject.student.last_name;
        if (subject.guardian)
            printed.child_query = "&enfant=" + std::to_string(subject.student.id);
        auto const student = subject.student.id;
        printed.book = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Book> {
            return book_of(session, student, period.from, period.to + 1, now, false);
        }));
        return printed;
    }
    printed.name = user.display_name();
    printed.file_name = printed.name;
    printed.book = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Book> {
        Book book;
        auto const classes = classes_read_by(session, user);
        book.homework = homework_due(session, classes, period.from, period.to + 1, now, false);
        book.seances = seances_between(session, classes, period.from, period.to + 1, now, false);
        return book;
    }));
    return printed;
}

std::string header_of(std::string const& name, Period const& period)
{
    return "Cahier de textes – " + name + " – du " + school_time::long_day(period.from) + " au "
        + school_time::long_day(period.to);
}

std::string time_of(Seance const& seance)
{
    if (seance.end_minute <= seance.start_minute)
        return {};
    return school_time::clock(seance.start_minute) + " – " + school_time::clock(seance.end_minute);
}

// The period by week, then by day: what the page and the PDF show.
struct Day {
    long long day { 0 };
    std::vector<Seance const*> seances;
    std::vector<Homework const*> homework;
};

std::map<long long, std::map<long long, Day>> weeks_of(Book const& book)
{
    std::map<long long, std::map<long long, Day>> weeks;
    auto day_of = [&](long long day) -> Day& {
        auto& entry = weeks[day - school_time::weekday(day)][day];
        entry.day = day;
        return entry;
    };
    for (auto const& seance : book.seances)
        day_of(seance.day).seances.push_back(&seance);
    for (auto const& homework : book.homework)
        day_of(homework.due_day).homework.push_back(&homework);
    return weeks;
}

ErrorOr<http::Response> show_print(Context& context)
{
    auto period = period_of(context);
    auto const printed = TRY(printed_of(context, period));
    view::Data data;
    data.set("header", header_of(printed.name, period));
    data.set("from", school_time::iso_day(period.from));
    data.set("to", school_time::iso_day(period.to));
    data.set("error", period.error);
    data.set("enfant", printed.child_query.empty() ? std::string() : printed.child_query.substr(8));
    data.set("pdf_url",
        "/cahier-de-textes/imprimer.pdf?du=" + school_time::iso_day(period.from)
            + "&au=" + school_time::iso_day(period.to) + printed.child_query);
    view::List weeks;
    for (auto const& [monday, days] : weeks_of(printed.book)) {
        view::Data week;
        week.set("label", "Semaine du " + school_time::long_day(monday));
        view::List day_list;
        for (auto const& [day, entry] : days) {
            view::Data item;
            item.set("label", school_time::long_day(day));
            view::List seances;
            for (auto const* seance : entry.seances) {
                view::Data row;
                row.set("subject", seance->subject_label);
                row.set("time", time_of(*seance));
                row.set("title", seance->title);
                row.set("content_html", html::sanitize(seance->content));
                seances.push_back(std::move(row));
            }
            item.set("seances", std::move(seances));
            view::List homework;
            for (auto const* work : entry.homework) {
                view::Data row;
                row.set("subject", work->subject_label);
                row.set("given", "Donné le " + short_day(work->given_day));
                row.set("description_html", html::sanitize(work->description));
                if (work->estimated_minutes > 0)
                    row.set("duration", duration_label(work->estimated_minutes));
                row.set("done", std::binary_search(printed.book.done.begin(), printed.book.done.end(), work->id));
                homework.push_back(std::move(row));
            }
            item.set("homework", std::move(homework));
            day_list.push_back(std::move(item));
        }
        week.set("days", std::move(day_list));
        weeks.push_back(std::move(week));
    }
    data.set("weeks", std::move(weeks));
    auto response = view::render(context, "lesson_book/print_book", std::move(data), "Imprimer le cahier de textes",
        view::MenuEntry::LessonBook, period.error.empty() ? 200 : 422);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

ErrorOr<http::Response> download_pdf(Context& context)
{
    auto const period = period_of(context);
    if (!period.error.empty())
        return Error::invalid(period.error, "bad print period");
    auto const printed = TRY(printed_of(context, period));
    http::Response response;
    response.body = book_pdf(header_of(printed.name, period), printed.book, period.from, period.to + 1);
    response.set_header("Content-Type", "application/pdf");
    response.set_header("Content-Disposition",
        pdf::attachment_disposition(
            "Cahier de textes " + printed.file_name + " " + school_time::iso_day(period.from) + ".pdf"));
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

} // namespace

std::string book_pdf(std::string const& header, Book const& book, long long from_day, long long to_day)
{
    pdf::Document document(header);
    auto const weeks = weeks_of(book);
    if (weeks.empty())
        document.paragraph("Aucune séance ni aucun travail du " + school_time::long_day(from_day) + " au "
                + school_time::long_day(to_day - 1) + ".",
            "Sans 11");
    bool first = true;
    for (auto const& [monday, days] : weeks) {
        if (!first)
            document.break_page();
        first = false;
        document.paragraph("Semaine du " + school_time::long_day(monday), "Sans Bold 14", 0, 0);
        for (auto const& [day, entry] : days) {
            document.paragraph(school_time::long_day(day), "Sans Bold 12", 0, 10);
            for (auto const* seance : entry.seances) {
                auto const time = time_of(*seance);
                document.paragraph("Séance – " + seance->subject_label + (time.empty() ? "" : " (" + time + ")") + " : "
                        + seance->title,
                    "Sans Bold 10", 10, 6);
                document.paragraph(html::plain_text(seance->content), "Sans 10", 20, 2);
            }
            for (auto const* homework : entry.homework) {
                bool const done = std::binary_search(book.done.begin(), book.done.end(), homework->id);
                std::string title = "À faire – " + homework->subject_label;
                title += " (donné le " + short_day(homework->given_day);
                if (homework->estimated_minutes > 0)
                    title += ", durée estimée : " + duration_label(homework->estimated_minutes);
                title += ")";
                if (done)
                    title += " – Fait";
                document.paragraph(title, "Sans Bold 10", 10, 6);
                document.paragraph(html::plain_text(homework->description), "Sans 10", 20, 2);
            }
        }
    }
    return document.finish();
}

std::vector<http::Route> print_routes()
{
    using http::Method;
    return {
        { Method::Get, "/cahier-de-textes/imprimer", READ, show_print },
        { Method::Get, "/cahier-de-textes/imprimer.pdf", READ, download_pdf },
    };
}

} // namespace cartable::lesson_book::family
