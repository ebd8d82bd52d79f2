// SPDX-License-Identifier: AGPL-3.0-or-later
// The agenda of a class space: dates in Paris, repetitions, the iCalendar
// writer (pure), then its routes tried by every kind of person, with other
// spaces' ids, bad input and script payloads, and the private subscription
// link (both engines).
#include "app/demo_school.h"
#include "core/http/message.h"
#include "core/text.h"
#include "services/class_space/agenda_model.h"
#include "tests/support/app_driver.h"
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::class_space_id;
using cartable::testing::contains;
namespace agenda = cartable::class_space::agenda;
using agenda::MINUTES_PER_DAY;

namespace {

long long day_of(int year, int month, int day)
{
    return agenda::days_from_civil({ year, month, day });
}

long long at(int year, int month, int day, int hour, int minute)
{
    return day_of(year, month, day) * MINUTES_PER_DAY + hour * 60LL + minute;
}

// The lines of an iCalendar text, unfolded; fails the test on a bare LF or
// a line longer than 75 octets.
std::vector<std::string> unfolded(std::string const& text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find("\r\n", start);
        EXPECT_NE(end, std::string::npos) << "the text ends with CRLF";
        if (end == std::string::npos)
            break;
        auto physical = text.substr(start, end - start);
        EXPECT_LE(physical.size(), 75U) << physical;
        EXPECT_EQ(physical.find('\n'), std::string::npos) << "a bare line feed";
        if (!physical.empty() && physical.front() == ' ' && !lines.empty())
            lines.back() += physical.substr(1);
        else
            lines.push_back(physical);
        start = end + 2;
    }
    return lines;
}

bool has_line(std::vector<std::string> const& lines, std::string const& line)
{
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

long long event_count(AppDriver& driver)
{
    auto lease = driver.services().database->lease();
    long long count = 0;
    lease.session() << "SELECT COUNT(*) FROM class_space_event", soci::into(count);
    return count;
}

std::string event_title(AppDriver& driver, long long id)
{
    auto lease = driver.services().database->lease();
    std::string title;
    lease.session() << "SELECT title FROM class_space_event WHERE id = :id", soci::use(id), soci::into(title);
    return title;
}

void sign_in(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
}

long long today()
{
    return agenda::floor_div(agenda::local_from_unix(static_cast<long long>(std::time(nullptr))), MINUTES_PER_DAY);
}

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields event_form(
    std::string const& title, long long day, std::string const& from = "10:00", std::string const& to = "11:00")
{
    return { { "titre", title }, { "lieu", "Salle B12" }, { "description", "Apportez votre classeur." },
        { "debut_date", agenda::iso_day(day) }, { "debut_heure", from }, { "fin_date", agenda::iso_day(day) },
        { "fin_heure", to }, { "repetition", "aucune" } };
}

Fields with_csrf(AppDriver& driver, Fields fields)
{
    fields.emplace_back("csrf", driver.csrf_token());
    return fields;
}

// Creates an event as the signed-in person; its id.
long long create(AppDriver& driver, std::string const& base, Fields const& fields)
{
    driver.get(base + "/agenda/nouveau");
    auto response = driver.post(base + "/agenda", with_csrf(driver, fields));
    EXPECT_EQ(response.status, 303) << response.body;
    auto location = response.header("Location");
    return parse_id(location.substr(location.rfind('/') + 1));
}

std::string link_of(std::string const& html)
{
    auto at = html.find("/agenda/abonnement/");
    if (at == std::string::npos)
        return {};
    auto end = html.find(".ics", at);
    return html.substr(at, end + 4 - at);
}

// The first attribute named on… of a tag of the page (its attributes read
// as a browser does, quoted values skipped), or nothing.
std::string event_handler_attribute(std::string const& html)
{
    auto const is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/'; };
    for (std::size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
        auto index = at + 1;
        if (index >= html.size() || !std::isalpha(static_cast<unsigned char>(html[index])))
            continue;
        while (index < html.size() && !is_space(html[index]) && html[index] != '>')
            ++index; // the tag's name
        while (index < html.size() && html[index] != '>') {
            while (index < html.size() && is_space(html[index]))
                ++index;
            auto const name_start = index;
            while (index < html.size() && !is_space(html[index]) && html[index] != '=' && html[index] != '>')
                ++index;
            auto name = html.substr(name_start, index - name_start);
            for (auto& c : name)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (name.starts_with("on"))
                return name;
            if (index < html.size() && html[index] == '=') {
                ++index;
                if (index < html.size() && (html[index] == '"' || html[index] == '\'')) {
                    auto const end = html.find(html[index], index + 1);
                    index = end == std::string::npos ? html.size() : end + 1;
                } else {
                    while (index < html.size() && !is_space(html[index]) && html[index] != '>')
                        ++index;
                }
            }
        }
    }
    return {};
}

} // namespace

TEST(AgendaModel, CivilDatesAndParisTime)
{
    EXPECT_EQ(day_of(1970, 1, 1), 0);
    auto date = agenda::civil_from_days(day_of(2026, 11, 28));
    EXPECT_EQ(date.year, 2026);
    EXPECT_EQ(date.month, 11);
    EXPECT_EQ(date.day, 28);
    EXPECT_EQ(agenda::weekday(day_of(2026, 11, 28)), 5); // samedi
    EXPECT_EQ(agenda::weekday(day_of(2019, 6, 10)), 0); // lundi
    EXPECT_EQ(agenda::long_day(day_of(2019, 6, 10)), "lundi 10 juin 2019");
    EXPECT_EQ(agenda::long_day(day_of(2026, 12, 1)), "mardi 1er décembre 2026");
    EXPECT_EQ(agenda::month_title(2026, 2), "février 2026");

    // 2026: summer time from 29 March to 25 October, at 01:00 UTC.
    long long const winter = 1767261600; // 2026-01-01 10:00 UTC
    EXPECT_EQ(agenda::local_from_unix(winter), at(2026, 1, 1, 11, 0));
    long long const summer = 1781258400; // 2026-06-12 10:00 UTC
    EXPECT_EQ(agenda::local_from_unix(summer), at(2026, 6, 12, 12, 0));
    EXPECT_EQ(agenda::unix_from_local(at(2026, 6, 12, 12, 0)), summer);
    EXPECT_EQ(agenda::unix_from_local(at(2026, 1, 1, 11, 0)), winter);
    long long const change = (day_of(2026, 3, 29) * MINUTES_PER_DAY + 60) * 60; // 01:00 UTC
    EXPECT_EQ(agenda::local_from_unix(change - 60), at(2026, 3, 29, 1, 59));
    EXPECT_EQ(agenda::local_from_unix(change), at(2026, 3, 29, 3, 0));
    long long const back = (day_of(2026, 10, 25) * MINUTES_PER_DAY + 60) * 60;
    EXPECT_EQ(agenda::local_from_unix(back - 60), at(2026, 10, 25, 2, 59));
    EXPECT_EQ(agenda::local_from_unix(back), at(2026, 10, 25, 2, 0));
}

TEST(AgendaModel, ParsesWhatTheFormSends)
{
    EXPECT_EQ(agenda::parse_day("2026-11-28"), day_of(2026, 11, 28));
    EXPECT_EQ(agenda::parse_day("28/11/2026"), day_of(2026, 11, 28));
    EXPECT_FALSE(agenda::parse_day("2026-02-31"));
    EXPECT_FALSE(agenda::parse_day("31/02/2026"));
    EXPECT_FALSE(agenda::parse_day("demain"));
    EXPECT_FALSE(agenda::parse_day(""));
    EXPECT_EQ(agenda::parse_clock("09:30"), 570);
    EXPECT_EQ(agenda::parse_clock("9:30"), 570);
    EXPECT_EQ(agenda::parse_clock("9h30"), 570);
    EXPECT_EQ(agenda::parse_clock("14h"), 840);
    EXPECT_EQ(agenda::parse_clock("09:30:00"), 570);
    EXPECT_FALSE(agenda::parse_clock("24:00"));
    EXPECT_FALSE(agenda::parse_clock("10:60"));
    EXPECT_FALSE(agenda::parse_clock("midi"));
    EXPECT_FALSE(agenda::parse_clock(""));
    EXPECT_EQ(agenda::when_text(false, at(2019, 6, 10, 10, 0), at(2019, 6, 10, 11, 0)),
        "lundi 10 juin 2019, de 10:00 à 11:00");
    EXPECT_EQ(
        agenda::when_text(true, at(2019, 6, 10, 0, 0), at(2019, 6, 11, 0, 0)), "lundi 10 juin 2019 (toute la journée)");
    EXPECT_EQ(agenda::when_text(true, at(2019, 6, 10, 0, 0), at(2019, 6, 15, 0, 0)),
        "du lundi 10 juin 2019 au vendredi 14 juin 2019 (toute la journée)");
}

TEST(AgendaModel, RepetitionsExpandedOverTheRangeOnly)
{
    agenda::Event weekly;
    weekly.id = 1;
    weekly.title = "Accompagnement personnalisé";
    weekly.start = at(2026, 11, 3, 10, 0); // a Tuesday
    weekly.end = at(2026, 11, 3, 11, 0);
    weekly.repeat = agenda::Repeat::Weekly;
    weekly.until_day = day_of(2026, 12, 15); // inclusive
    agenda::Event daily;
    daily.id = 2;
    daily.title = "Permanence";
    daily.start = at(2026, 11, 30, 23, 0); // goes over midnight
    daily.end = at(2026, 12, 1, 1, 0);
    daily.repeat = agenda::Repeat::Daily;
    daily.until_day = day_of(2026, 12, 2);
    agenda::Event once;
    once.id = 3;
    once.title = "Conseil de classe";
    once.start = at(2026, 12, 10, 17, 30);
    once.end = at(2026, 12, 10, 19, 0);
    std::vector<agenda::Event> events { weekly, daily, once };

    // December: the weekly one on the 1st, 8th and 15th; the daily one on the
    // 30 November (still going on at midnight), 1st and 2nd; the council.
    auto december
        = agenda::expand(events, day_of(2026, 12, 1) * MINUTES_PER_DAY, day_of(2027, 1, 1) * MINUTES_PER_DAY, 100);
    ASSERT_EQ(december.size(), 7U);
    EXPECT_EQ(december[0].start, at(2026, 11, 30, 23, 0));
    EXPECT_EQ(december[1].start, at(2026, 12, 1, 10, 0));
    EXPECT_EQ(december[2].start, at(2026, 12, 1, 23, 0));
    EXPECT_EQ(december[3].start, at(2026, 12, 2, 23, 0));
    EXPECT_EQ(december[4].start, at(2026, 12, 8, 10, 0));
    EXPECT_EQ(december[5].start, at(2026, 12, 10, 17, 30));
    EXPECT_EQ(december[6].start, at(2026, 12, 15, 10, 0));
    // A week of November: the Tuesday only.
    auto week
        = agenda::expand(events, day_of(2026, 11, 9) * MINUTES_PER_DAY, day_of(2026, 11, 16) * MINUTES_PER_DAY, 100);
    ASSERT_EQ(week.size(), 1U);
    EXPECT_EQ(week[0].start, at(2026, 11, 10, 10, 0));
    // Bounded.
    EXPECT_EQ(agenda::expand(events, 0, day_of(2100, 1, 1) * MINUTES_PER_DAY, 4).size(), 4U);
    EXPECT_EQ(agenda::series_end(weekly), at(2026, 12, 16, 1, 0));
    EXPECT_EQ(agenda::repeat_text(weekly), "Tous les mardis jusqu'au mardi 15 décembre 2026");
}

TEST(AgendaIcs, EscapesText)
{
    EXPECT_EQ(agenda::ics_escape("Salle B12, bâtiment A; 2\\3"), "Salle B12\\, bâtiment A\\; 2\\\\3");
    EXPECT_EQ(agenda::ics_escape("ligne 1\nligne 2\r\nligne 3"), "ligne 1\\nligne 2\\nligne 3");
    EXPECT_EQ(agenda::ics_escape(std::string("a\x01"
                                             "b\x7f",
                  4)),
        "ab");
}

TEST(AgendaIcs, FoldsAt75OctetsOnCharacterBoundaries)
{
    EXPECT_EQ(agenda::ics_line("SUMMARY:court"), "SUMMARY:court\r\n");
    for (std::string const piece : { "a", "é", "€", "🎓" }) {
        for (std::size_t prefix = 0; prefix < 4; ++prefix) {
            std::string line = "DESCRIPTION:" + std::string(prefix, 'x');
            for (int index = 0; index < 80; ++index)
                line += piece;
            auto folded = agenda::ics_line(line);
            auto lines = unfolded(folded);
            ASSERT_EQ(lines.size(), 1U);
            EXPECT_EQ(lines[0], line);
            // No physical line starts or ends inside a UTF-8 character.
            for (std::size_t at = folded.find("\r\n "); at != std::string::npos; at = folded.find("\r\n ", at + 1)) {
                ASSERT_LT(at + 3, folded.size());
                EXPECT_NE(static_cast<unsigned char>(folded[at + 3]) & 0xc0, 0x80) << piece << " " << prefix;
            }
        }
    }
    // The first line uses its 75 octets.
    auto folded = agenda::ics_line(std::string(100, 'a'));
    EXPECT_EQ(folded.find("\r\n"), 75U);
}

TEST(AgendaIcs, WritesACalendar)
{
    agenda::Event weekly;
    weekly.id = 7;
    weekly.title = "Accompagnement personnalisé, groupe 1; salle\\B12";
    weekly.place = "Salle B12";
    weekly.description
        = std::string("Méthodologie du dossier professionnel.\nApportez votre classeur. ") + std::string(120, 'x');
    weekly.start = at(2026, 11, 3, 10, 0);
    weekly.end = at(2026, 11, 3, 11, 0);
    weekly.repeat = agenda::Repeat::Weekly;
    weekly.until_day = day_of(2026, 12, 18);
    weekly.created_at = 1767261600;
    weekly.updated_at = 1767261600;
    agenda::Event internship;
    internship.id = 8;
    internship.title = "PFMP";
    internship.all_day = true;
    internship.start = day_of(2027, 1, 11) * MINUTES_PER_DAY;
    internship.end = day_of(2027, 1, 23) * MINUTES_PER_DAY;
    internship.repeat = agenda::Repeat::Daily;
    internship.until_day = day_of(2027, 1, 11);
    internship.created_at = 1767261600;

    auto text = agenda::ics_calendar(
        { "Classe TPRO", "ent.example", "https://ent.example/espaces/3/agenda" }, { weekly, internship });
    auto lines = unfolded(text);
    EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
    EXPECT_EQ(lines.back(), "END:VCALENDAR");
    EXPECT_TRUE(has_line(lines, "VERSION:2.0"));
    EXPECT_TRUE(has_line(lines, "BEGIN:VTIMEZONE"));
    EXPECT_TRUE(has_line(lines, "TZID:Europe/Paris"));
    EXPECT_TRUE(has_line(lines, "UID:evenement-7@ent.example"));
    EXPECT_TRUE(has_line(lines, "DTSTAMP:20260101T100000Z"));
    EXPECT_TRUE(has_line(lines, "DTSTART;TZID=Europe/Paris:20261103T100000"));
    EXPECT_TRUE(has_line(lines, "DTEND;TZID=Europe/Paris:20261103T110000"));
    // The end of 18 December in Paris (CET), in UTC.
    EXPECT_TRUE(has_line(lines, "RRULE:FREQ=WEEKLY;UNTIL=20261218T225959Z"));
    EXPECT_TRUE(has_line(lines, "SUMMARY:Accompagnement personnalisé\\, groupe 1\\; salle\\\\B12"));
    EXPECT_TRUE(has_line(lines, "LOCATION:Salle B12"));
    EXPECT_TRUE(has_line(lines,
        "DESCRIPTION:Méthodologie du dossier professionnel.\\nApportez votre classeur. " + std::string(120, 'x')));
    EXPECT_TRUE(has_line(lines, "URL:https://ent.example/espaces/3/agenda/7"));
    EXPECT_TRUE(has_line(lines, "DTSTART;VALUE=DATE:20270111"));
    EXPECT_TRUE(has_line(lines, "DTEND;VALUE=DATE:20270123"));
    EXPECT_TRUE(has_line(lines, "RRULE:FREQ=DAILY;UNTIL=20270111"));
    EXPECT_EQ(std::count(lines.begin(), lines.end(), "BEGIN:VEVENT"), 2);
}

TEST(AgendaRoutes, TheTeacherAddsAWeeklyEventShownInEveryView)
{
    AppDriver driver;
    auto const base = "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
    sign_in(driver, "samuel.beaumont");
    // The demo's events.
    auto list = driver.get(base + "/agenda?vue=liste");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Conseil de classe du 1er trimestre"));
    EXPECT_TRUE(contains(list.body, "Sortie au salon de l&#39;étudiant à Montpellier"));
    EXPECT_TRUE(contains(list.body, "aria-current=\"page\">Liste"));

    auto const monday = today() + 7 - agenda::weekday(today()); // next week
    auto fields = event_form("Soutien en comptabilité", monday, "14:00", "15:30");
    fields[7].second = "hebdomadaire";
    fields.emplace_back("jusqu_au", agenda::iso_day(monday + 21));
    auto const before = event_count(driver);
    auto const id = create(driver, base, fields);
    ASSERT_GT(id, 0);
    EXPECT_EQ(event_count(driver), before + 1);

    auto page = driver.get(base + "/agenda/" + std::to_string(id));
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Soutien en comptabilité"));
    EXPECT_TRUE(contains(page.body, agenda::long_day(monday) + ", de 14:00 à 15:30"));
    EXPECT_TRUE(contains(page.body, "Tous les lundis jusqu&#39;au " + agenda::long_day(monday + 21)));
    EXPECT_TRUE(contains(page.body, "Samuel BEAUMONT"));

    // The week after next shows the second occurrence; the fifth week none.
    auto week = driver.get(base + "/agenda?vue=semaine&semaine=" + agenda::iso_day(monday + 9));
    ASSERT_EQ(week.status, 200);
    EXPECT_TRUE(contains(week.body, "Soutien en comptabilité"));
    EXPECT_TRUE(contains(week.body, "Semaine du " + agenda::long_day(monday + 7)));
    EXPECT_TRUE(contains(week.body, "14:00 – 15:30"));
    auto later = driver.get(base + "/agenda?vue=semaine&semaine=" + agenda::iso_day(monday + 28));
    EXPECT_FALSE(contains(later.body, "Soutien en comptabilité"));

    // The month grid of that Monday: a table with its caption and the day.
    auto const date = agenda::civil_from_days(monday);
    auto month = driver.get(base + "/agenda?vue=mois&mois=" + agenda::iso_day(monday).substr(0, 7));
    ASSERT_EQ(month.status, 200);
    EXPECT_TRUE(contains(month.body, "<table class=\"agenda-month\""));
    EXPECT_TRUE(contains(month.body, agenda::month_title(date.year, date.month)));
    EXPECT_TRUE(contains(month.body, "Soutien en comptabilité"));
    EXPECT_TRUE(contains(month.body, "Mois suivant"));
    EXPECT_TRUE(contains(month.body, "aria-current=\"page\">Agenda"));
    // Today's month by default, with today marked.
    auto current = driver.get(base + "/agenda");
    EXPECT_TRUE(contains(current.body, "aria-current=\"date\""));

    // Changed, then deleted.
    auto edit = driver.get(base + "/agenda/" + std::to_string(id) + "/modifier");
    ASSERT_EQ(edit.status, 200);
    EXPECT_TRUE(contains(edit.body, "value=\"Soutien en comptabilité\""));
    EXPECT_TRUE(contains(edit.body, "value=\"hebdomadaire\" checked"));
    auto changed = event_form("Soutien en comptabilité (salle C3)", monday, "14:00", "15:30");
    auto saved = driver.post(base + "/agenda/" + std::to_string(id), with_csrf(driver, changed));
    EXPECT_EQ(saved.status, 303);
    EXPECT_EQ(event_title(driver, id), "Soutien en comptabilité (salle C3)");
    auto removed
        = driver.post(base + "/agenda/" + std::to_string(id) + "/supprimer", { { "csrf", driver.csrf_token() } });
    EXPECT_EQ(removed.status, 303);
    EXPECT_EQ(event_count(driver), before);
    EXPECT_EQ(driver.get(base + "/agenda/" + std::to_string(id)).status, 404);
}

TEST(AgendaRoutes, BadInputIsShownOnTheFormAndNothingIsSaved)
{
    AppDriver driver;
    auto const base = "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
    sign_in(driver, "samuel.beaumont");
    auto const day = today() + 3;
    auto form = [&](std::vector<std::pair<std::string, std::string>> changes) {
        auto fields = event_form("Conseil pédagogique", day);
        for (auto const& [name, value] : changes) {
            bool replaced = false;
            for (auto& field : fields) {
                if (field.first == name) {
                    field.second = value;
                    replaced = true;
                }
            }
            if (!replaced)
                fields.emplace_back(name, value);
        }
        return fields;
    };
    struct Case {
        Fields fields;
        char const* message;
    };
    std::vector<Case> const cases {
        { form({ { "titre", "   " } }), "Indiquez le titre de l" },
        { form({ { "titre", std::string(201, 'a') } }), "Le titre ne doit pas dépasser 200 caractères." },
        { form({ { "debut_date", "" } }), "Indiquez la date de début (jj/mm/aaaa)." },
        { form({ { "debut_date", "31/02/2027" } }), "Indiquez la date de début (jj/mm/aaaa)." },
        { form({ { "debut_heure", "" } }), "Indiquez l&#39;heure de début" },
        { form({ { "fin_heure", "25:00" } }), "n&#39;est pas valide (hh:mm)." },
        { form({ { "fin_heure", "09:00" } }), "La fin de l&#39;événement est avant son début." },
        { form({ { "fin_date", agenda::iso_day(day - 1) } }), "La fin de l&#39;événement est avant son début." },
        { form({ { "journee", "1" }, { "fin_date", agenda::iso_day(day - 2) } }),
            "La fin de l&#39;événement est avant son début." },
        { form({ { "fin_date", agenda::iso_day(day + 120) } }), "ne peut pas durer plus de 90 jours" },
        { form({ { "repetition", "hebdomadaire" } }), "Indiquez jusqu&#39;à quelle date l&#39;événement se répète." },
        { form({ { "repetition", "quotidienne" }, { "jusqu_au", agenda::iso_day(day + 400) } }),
            "Une répétition ne peut pas dépasser un an" },
        { form({ { "repetition", "quotidienne" }, { "jusqu_au", agenda::iso_day(day - 1) } }),
            "La répétition doit s&#39;arrêter après le début" },
        { form({ { "repetition", "quotidienne" }, { "jusqu_au", "bientôt" } }),
            "La date de fin de la répétition n&#39;est pas une date valide" },
        { form({ { "repetition", "quotidienne" }, { "jusqu_au", agenda::iso_day(day + 10) },
              { "fin_date", agenda::iso_day(day + 2) } }),
            "Un événement répété tous les jours ne peut pas durer plus d&#39;un jour." },
        { form({ { "repetition", "mensuelle" } }), "Choisissez une répétition proposée" },
    };
    auto const before = event_count(driver);
    driver.get(base + "/agenda/nouveau");
    for (auto const& bad : cases) {
        auto response = driver.post(base + "/agenda", with_csrf(driver, bad.fields));
        EXPECT_EQ(response.status, 422) << bad.message;
        EXPECT_TRUE(contains(response.body, "role=\"alert\"")) << bad.message;
        EXPECT_TRUE(contains(response.body, bad.message)) << bad.message << "\n" << response.body.substr(0, 200);
        // The form is shown again with what was typed.
        EXPECT_TRUE(contains(response.body, "name=\"titre\"")) << bad.message;
    }
    EXPECT_EQ(event_count(driver), before);

    // The same on a change: nothing changed.
    auto const id = create(driver, base, event_form("Conseil pédagogique", day));
    auto refused = driver.post(base + "/agenda/" + std::to_string(id), with_csrf(driver, form({ { "titre", "" } })));
    EXPECT_EQ(refused.status, 422);
    EXPECT_EQ(event_title(driver, id), "Conseil pédagogique");
}

TEST(AgendaRoutes, WhoDoesWhat)
{
    AppDriver driver;
    auto const base = "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
    auto const day = today() + 2;
    sign_in(driver, "samuel.beaumont");
    auto const teachers = create(driver, base, event_form("Devoir surveillé de gestion", day));
    // The parents may visit.
    driver.get(base + "/membres");
    ASSERT_EQ(driver.post(base + "/parametres", { { "csrf", driver.csrf_token() }, { "visiteurs", "1" } }).status, 303);

    // A student adds an event, changes it, but not the teacher's.
    sign_in(driver, "louis.chamson");
    auto const students = create(driver, base, event_form("Révisions en groupe au CDI", day, "12:30", "13:30"));
    ASSERT_GT(students, 0);
    auto own = driver.get(base + "/agenda/" + std::to_string(students));
    EXPECT_TRUE(contains(own.body, "/modifier"));
    EXPECT_EQ(driver.get(base + "/agenda/" + std::to_string(students) + "/modifier").status, 200);
    EXPECT_EQ(driver
                  .post(base + "/agenda/" + std::to_string(students),
                      with_csrf(driver, event_form("Révisions au CDI", day, "12:30", "13:30")))
                  .status,
        303);
    EXPECT_EQ(event_title(driver, students), "Révisions au CDI");
    auto other = driver.get(base + "/agenda/" + std::to_string(teachers));
    EXPECT_EQ(other.status, 200);
    EXPECT_FALSE(contains(other.body, "/modifier"));
    EXPECT_EQ(driver.get(base + "/agenda/" + std::to_string(teachers) + "/modifier").status, 403);
    auto refused = driver.post(
        base + "/agenda/" + std::to_string(teachers), with_csrf(driver, event_form("Pas de devoir", day)));
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "que vous avez ajoutés"));
    EXPECT_EQ(
        driver.post(base + "/agenda/" + std::to_string(teachers) + "/supprimer", { { "csrf", driver.csrf_token() } })
            .status,
        403);
    EXPECT_EQ(event_title(driver, teachers), "Devoir surveillé de gestion");

    // A parent reads, without adding anything.
    sign_in(driver, "andre.chamson");
    auto const before = event_count(driver);
    auto read = driver.get(base + "/agenda?vue=semaine&semaine=" + agenda::iso_day(day));
    EXPECT_EQ(read.status, 200);
    EXPECT_TRUE(contains(read.body, "Devoir surveillé de gestion"));
    EXPECT_FALSE(contains(read.body, "Nouvel événement"));
    EXPECT_EQ(driver.get(base + "/agenda/" + std::to_string(teachers)).status, 200);
    auto form = driver.get(base + "/agenda/nouveau");
    EXPECT_EQ(form.status, 403);
    EXPECT_TRUE(contains(form.body, "En visiteur, vous pouvez lire cet espace, sans y publier."));
    auto posted = driver.post(base + "/agenda", with_csrf(driver, event_form("Réunion des parents", day)));
    EXPECT_EQ(posted.status, 403);
    EXPECT_TRUE(contains(posted.body, "En visiteur"));
    EXPECT_EQ(
        driver.post(base + "/agenda/" + std::to_string(students), with_csrf(driver, event_form("x", day))).status, 403);
    EXPECT_EQ(
        driver.post(base + "/agenda/" + std::to_string(students) + "/supprimer", { { "csrf", driver.csrf_token() } })
            .status,
        403);
    EXPECT_EQ(event_count(driver), before);

    // The teacher changes and removes the student's event.
    sign_in(driver, "samuel.beaumont");
    driver.get(base + "/agenda");
    EXPECT_EQ(driver
                  .post(base + "/agenda/" + std::to_string(students),
                      with_csrf(driver, event_form("Révisions au CDI (salle 2)", day, "12:30", "13:30")))
                  .status,
        303);
    EXPECT_EQ(event_title(driver, students), "Révisions au CDI (salle 2)");
    EXPECT_EQ(
        driver.post(base + "/agenda/" + std::to_string(students) + "/supprimer", { { "csrf", driver.csrf_token() } })
            .status,
        303);
    EXPECT_EQ(event_count(driver), before - 1);
}

TEST(AgendaRoutes, NobodyOutsideTheSpaceSeesAnythingEvenByGuessingIds)
{
    AppDriver driver;
    auto const tpro = class_space_id(driver, "TPRO");
    auto const stmg = class_space_id(driver, "T STMG");
    ASSERT_GT(stmg, 0);
    auto const base = "/espaces/" + std::to_string(tpro);
    auto const day = today() + 4;
    sign_in(driver, "samuel.beaumont");
    // The demo lets parents visit TPRO: closed to them first.
    driver.get(base + "/membres");
    ASSERT_EQ(
        driver.post(base + "/parametres", { { "csrf", driver.csrf_token() }, { "commentaires", "1" } }).status, 303);
    auto const id = create(driver, base, event_form("Entretiens individuels d'orientation", day));
    auto const event = std::to_string(id);
    auto const before = event_count(driver);

    std::vector<std::string> const reads { base + "/agenda", base + "/agenda?vue=semaine", base + "/agenda?vue=liste",
        base + "/agenda.ics", base + "/agenda/nouveau", base + "/agenda/abonnement", base + "/agenda/" + event,
        base + "/agenda/" + event + "/modifier" };
    std::vector<std::string> const writes { base + "/agenda", base + "/agenda/abonnement", base + "/agenda/" + event,
        base + "/agenda/" + event + "/supprimer" };
    // T STMG's student, a teacher of no class, another family's guardian,
    // and Louis's father while visitors are not let in.
    for (auto const* login : { "pauline.chamson", "achamson", "karim.benali", "andre.chamson" }) {
        sign_in(driver, login);
        for (auto const& path : reads) {
            auto response = driver.get(path);
            EXPECT_EQ(response.status, 404) << login << " " << path;
            EXPECT_FALSE(contains(response.body, "Entretiens individuels")) << login << " " << path;
        }
        driver.get("/");
        for (auto const& path : writes) {
            auto response = driver.post(path, with_csrf(driver, event_form("Intrus", day)));
            EXPECT_EQ(response.status, 404) << login << " " << path;
            EXPECT_FALSE(contains(response.body, "/agenda/abonnement/")) << login << " " << path;
        }
    }
    EXPECT_EQ(event_count(driver), before);
    EXPECT_EQ(event_title(driver, id), "Entretiens individuels d'orientation");

    // Without a session: to the sign-in page, or refused.
    driver.forget_cookies();
    EXPECT_EQ(driver.get(base + "/agenda").status, 303);
    EXPECT_EQ(driver.get(base + "/agenda.ics").status, 303);

    // The CPE manages both spaces: TPRO's event through T STMG's path is not found.
    sign_in(driver, "nathalie.vidal");
    auto const other = "/espaces/" + std::to_string(stmg) + "/agenda/" + event;
    EXPECT_EQ(driver.get("/espaces/" + std::to_string(stmg) + "/agenda").status, 200);
    EXPECT_EQ(driver.get(other).status, 404);
    EXPECT_EQ(driver.get(other + "/modifier").status, 404);
    EXPECT_EQ(driver.post(other, with_csrf(driver, event_form("Détourné", day))).status, 404);
    EXPECT_EQ(driver.post(other + "/supprimer", { { "csrf", driver.csrf_token() } }).status, 404);
    EXPECT_EQ(event_title(driver, id), "Entretiens individuels d'orientation");
    auto stmg_calendar = driver.get("/espaces/" + std::to_string(stmg) + "/agenda.ics");
    EXPECT_EQ(stmg_calendar.status, 200);
    EXPECT_FALSE(contains(stmg_calendar.body, "Entretiens individuels"));
    // Ids that are not ids.
    for (auto const* bad : { "0", "-1", "abc", "999999999" })
        EXPECT_EQ(driver.get(base + "/agenda/" + bad).status, 404) << bad;
    EXPECT_EQ(driver.get("/espaces/999999/agenda").status, 404);
}

TEST(AgendaRoutes, AnArchivedSpaceIsReadOnly)
{
    AppDriver driver;
    auto const space = class_space_id(driver, "TPRO");
    auto const base = "/espaces/" + std::to_string(space);
    auto const day = today() + 1;
    sign_in(driver, "samuel.beaumont");
    auto const id = create(driver, base, event_form("Bilan de fin d'année", day));
    {
        auto lease = driver.services().database->lease();
        lease.session() << "UPDATE class_space SET archived_at = 1000 WHERE id = :id", soci::use(space);
    }
    auto const before = event_count(driver);
    auto page = driver.get(base + "/agenda/" + std::to_string(id));
    EXPECT_EQ(page.status, 200);
    EXPECT_FALSE(contains(page.body, "/modifier"));
    EXPECT_FALSE(contains(driver.get(base + "/agenda").body, "Nouvel événement"));
    auto refused = driver.get(base + "/agenda/nouveau");
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "Cet espace est archivé"));
    EXPECT_EQ(driver.post(base + "/agenda", with_csrf(driver, event_form("Nouveau", day))).status, 403);
    EXPECT_EQ(
        driver.post(base + "/agenda/" + std::to_string(id), with_csrf(driver, event_form("Changé", day))).status, 403);
    EXPECT_EQ(
        driver.post(base + "/agenda/" + std::to_string(id) + "/supprimer", { { "csrf", driver.csrf_token() } }).status,
        403);
    EXPECT_EQ(event_count(driver), before);
    EXPECT_EQ(event_title(driver, id), "Bilan de fin d'année");
    EXPECT_EQ(driver.get(base + "/agenda.ics").status, 200);
}

TEST(AgendaRoutes, ScriptsAreShownAsText)
{
    AppDriver driver;
    auto const base = "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
    auto const day = today() + 5;
    sign_in(driver, "louis.chamson");
    std::vector<std::string> const payloads { "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>", "javascript:alert(1)" };
    // The scanner itself.
    EXPECT_EQ(event_handler_attribute("<p>x</p><img src=x onerror=alert(1)>"), "onerror");
    EXPECT_EQ(event_handler_attribute("<svg/onload=alert(1)>"), "onload");
    EXPECT_EQ(event_handler_attribute("<input value=\"&quot;&gt;&lt;svg onload=alert(1)&gt;\"> onload=x"), "");
    // Shown as text, the payloads keep their words (« onerror=alert(1) »
    // between &lt; and &gt;): what must never be is a tag of ours or theirs
    // carrying an event handler, a script, or a javascript: link.
    auto const safe = [](std::string const& html, std::string const& what) {
        EXPECT_FALSE(contains(html, "<script>alert")) << what;
        EXPECT_FALSE(contains(html, "<img src=x onerror=")) << what;
        EXPECT_FALSE(contains(html, "<svg onload=")) << what;
        EXPECT_FALSE(contains(html, "href=\"javascript:")) << what;
        EXPECT_EQ(event_handler_attribute(html), "") << what;
    };
    for (auto const& payload : payloads) {
        auto fields = event_form(payload + " titre", day);
        fields[1].second = payload; // lieu
        fields[2].second = payload + "\n" + payload; // description
        auto const id = create(driver, base, fields);
        ASSERT_GT(id, 0) << payload;
        auto const page = driver.get(base + "/agenda/" + std::to_string(id)).body;
        safe(page, payload + " (event)");
        if (payload.starts_with("<img")) {
            EXPECT_TRUE(contains(page, "&lt;img src=x onerror=alert(1)&gt; titre"));
        }
        safe(driver.get(base + "/agenda/" + std::to_string(id) + "/modifier").body, payload + " (form)");
        safe(driver.get(base + "/agenda?vue=semaine&semaine=" + agenda::iso_day(day)).body, payload + " (week)");
        safe(driver.get(base + "/agenda?vue=liste").body, payload + " (list)");
        safe(
            driver.get(base + "/agenda?vue=mois&mois=" + agenda::iso_day(day).substr(0, 7)).body, payload + " (month)");
        // Typed into every field of a form refused: shown back escaped.
        Fields refused { { "titre", payload }, { "lieu", payload }, { "description", payload },
            { "debut_date", payload }, { "debut_heure", payload }, { "fin_date", payload }, { "fin_heure", payload },
            { "repetition", "hebdomadaire" }, { "jusqu_au", payload } };
        auto shown = driver.post(base + "/agenda", with_csrf(driver, refused));
        EXPECT_EQ(shown.status, 422);
        safe(shown.body, payload + " (refused form)");
        // And in the query of the views.
        safe(driver.get(base + "/agenda?vue=" + payload + "&mois=" + payload + "&semaine=" + payload).body,
            payload + " (query)");
    }
}

TEST(AgendaRoutes, TheCalendarExport)
{
    AppDriver driver;
    auto const base = "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
    sign_in(driver, "louis.chamson");
    auto const day = today() + 6;
    auto fields = event_form("Oral blanc, groupe 1; salle B12", day, "08:00", "12:00");
    fields[2].second = "Passage par ordre alphabétique.\nApportez votre dossier professionnel.";
    create(driver, base, fields);
    auto response = driver.get(base + "/agenda.ics");
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(response.header("Content-Type"), "text/calendar; charset=utf-8");
    auto lines = unfolded(response.body);
    EXPECT_TRUE(has_line(lines, "X-WR-CALNAME:Classe TPRO"));
    EXPECT_TRUE(has_line(lines, "SUMMARY:Oral blanc\\, groupe 1\\; salle B12"));
    EXPECT_TRUE(has_line(lines, "DESCRIPTION:Passage par ordre alphabétique.\\nApportez votre dossier professionnel."));
    auto const date = agenda::civil_from_days(day);
    char start[64];
    std::snprintf(
        start, sizeof start, "DTSTART;TZID=Europe/Paris:%04d%02d%02dT080000", date.year, date.month, date.day);
    EXPECT_TRUE(has_line(lines, start));
    // The demo's weekly « Accompagnement personnalisé ».
    EXPECT_TRUE(has_line(lines, "SUMMARY:Accompagnement personnalisé"));
    EXPECT_TRUE(contains(response.body, "RRULE:FREQ=WEEKLY;UNTIL="));
}

TEST(AgendaRoutes, ThePrivateSubscriptionLink)
{
    AppDriver driver;
    auto const base = "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
    sign_in(driver, "samuel.beaumont");
    driver.get(base + "/membres");
    ASSERT_EQ(driver.post(base + "/parametres", { { "csrf", driver.csrf_token() }, { "visiteurs", "1" } }).status, 303);

    // Louis's father makes his link; it is shown once.
    sign_in(driver, "andre.chamson");
    auto page = driver.get(base + "/agenda/abonnement");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Créer mon lien d'abonnement"));
    auto made = driver.post(base + "/agenda/abonnement", { { "csrf", driver.csrf_token() } });
    ASSERT_EQ(made.status, 200);
    EXPECT_EQ(made.header("Cache-Control"), "private, no-store");
    auto const link = link_of(made.body);
    ASSERT_FALSE(link.empty());
    auto const token = link.substr(std::string("/agenda/abonnement/").size(), link.size() - 23);
    EXPECT_GE(token.size(), 43U);
    // Only its digest is kept.
    {
        auto lease = driver.services().database->lease();
        long long found = 0;
        lease.session() << "SELECT COUNT(*) FROM class_space_agenda_feed WHERE token_digest = :token", soci::use(token),
            soci::into(found);
        EXPECT_EQ(found, 0);
    }
    auto again = driver.get(base + "/agenda/abonnement");
    EXPECT_FALSE(contains(again.body, link));
    EXPECT_TRUE(contains(again.body, "Révoquer le lien"));

    // A calendar application, without any cookie.
    driver.forget_cookies();
    auto feed = driver.get(link);
    ASSERT_EQ(feed.status, 200);
    EXPECT_EQ(feed.header("Content-Type"), "text/calendar; charset=utf-8");
    EXPECT_TRUE(contains(feed.body, "SUMMARY:Conseil de classe du 1er trimestre"));
    EXPECT_EQ(driver.get("/agenda/abonnement/" + token).status, 404); // without .ics
    EXPECT_EQ(driver.get("/agenda/abonnement/x" + token.substr(1) + ".ics").status, 404);
    EXPECT_EQ(driver.get("/agenda/abonnement/court.ics").status, 404);
    // The access log does not write the token.
    http::Request logged;
    logged.path = link;
    logged.path_parameters = { { "token", token + ".ics" } };
    EXPECT_FALSE(contains(logged.path_for_log(), token));

    // « Révoquer le lien »: the old one is not found, the new one works.
    sign_in(driver, "andre.chamson");
    driver.get(base + "/agenda/abonnement");
    auto renewed = driver.post(base + "/agenda/abonnement", { { "csrf", driver.csrf_token() } });
    auto const second = link_of(renewed.body);
    ASSERT_FALSE(second.empty());
    EXPECT_NE(second, link);
    driver.forget_cookies();
    EXPECT_EQ(driver.get(link).status, 404);
    EXPECT_EQ(driver.get(second).status, 200);

    // The teacher shuts the parents out: the father's link stops working.
    sign_in(driver, "samuel.beaumont");
    driver.get(base + "/membres");
    ASSERT_EQ(driver.post(base + "/parametres", { { "csrf", driver.csrf_token() }, { "visiteurs", "0" } }).status, 303);
    driver.forget_cookies();
    EXPECT_EQ(driver.get(second).status, 404);

    // A student's link stops working when he leaves the class.
    sign_in(driver, "louis.chamson");
    driver.get(base + "/agenda/abonnement");
    auto const students = link_of(driver.post(base + "/agenda/abonnement", { { "csrf", driver.csrf_token() } }).body);
    ASSERT_FALSE(students.empty());
    driver.forget_cookies();
    EXPECT_EQ(driver.get(students).status, 200);
    auto const louis = cartable::testing::user_id(driver, "louis.chamson");
    {
        auto lease = driver.services().database->lease();
        lease.session() << "DELETE FROM identity_class_member WHERE user_id = :id", soci::use(louis);
    }
    EXPECT_EQ(driver.get(students).status, 404);
}
