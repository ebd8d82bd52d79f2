// SPDX-License-Identifier: AGPL-3.0-or-later
// The AAF import on the sample set of tools/aaf/generate.mjs, against the
// figures the generator expects (expected.json), on SQLite and PostgreSQL.
#include "services/directory/import/aaf_import.h"
#include "services/directory/lifecycle.h"
#include "tests/support/test_database.h"
#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

using namespace cartable;
namespace aaf = cartable::directory::aaf;

namespace {

constexpr long long NOW = 1'790'000'000; // a fixed clock: 2026-09-21

// The sample set, generated once per test program.
std::filesystem::path const& sample()
{
    static std::filesystem::path const directory = [] {
        auto path = std::filesystem::temp_directory_path() / ("cartable-aaf-sample-" + std::to_string(getpid()));
        std::filesystem::remove_all(path);
        auto command = std::string("node '") + CARTABLE_SOURCE_DIR + "/tools/aaf/generate.mjs' sample '" + path.string()
            + "' >/dev/null";
        if (std::system(command.c_str()) != 0)
            throw std::runtime_error("the AAF generator failed: " + command);
        return path;
    }();
    return directory;
}

boost::json::value const& expected()
{
    static boost::json::value const value = [] {
        std::ifstream file(sample() / "expected.json");
        std::stringstream text;
        text << file.rdbuf();
        return boost::json::parse(text.str());
    }();
    return value;
}

long long expect_number(char const* set, char const* key)
{
    return expected().at(set).at(key).as_int64();
}

long long expect_profile(char const* set, char const* key, char const* profile)
{
    return expected().at(set).at(key).at(profile).as_int64();
}

aaf::Report run(Services& services, char const* set, bool dry_run = false, long long now = NOW)
{
    aaf::Options options;
    options.dry_run = dry_run;
    options.now = now;
    auto report = aaf::import_directory(*services.database, sample() / set, options);
    if (report.is_error())
        throw std::runtime_error(report.error().message_key + " " + report.error().detail);
    return report.release_value();
}

// A figure of the report summed over structures, for one profile label.
long long sum(aaf::Report const& report, std::string const& profile, long long aaf::Counts::*field)
{
    long long total = 0;
    for (auto const& [structure, profiles] : report.people) {
        if (auto found = profiles.find(profile); found != profiles.end())
            total += found->second.*field;
    }
    return total;
}

long long count(Services& services, std::string const& sql)
{
    long long value = 0;
    auto lease = services.database->lease();
    lease.session() << sql, soci::into(value);
    return value;
}

struct Profiles {
    char const* key;
    char const* label;
};
constexpr Profiles PROFILES[] = { { "student", "Élève" }, { "guardian", "Responsable légal" },
    { "teacher", "Enseignant" }, { "staff", "Personnel de l'établissement" } };

} // namespace

TEST(AafImport, FullExportCreatesTheDirectoryTheGeneratorDescribes)
{
    auto services = cartable::testing::fresh_services();
    auto report = run(*services, "complet");
    EXPECT_TRUE(report.full);
    EXPECT_TRUE(report.rejections.empty()) << report.text();
    for (auto const& profile : PROFILES)
        EXPECT_EQ(sum(report, profile.label, &aaf::Counts::created), expect_profile("complet", "created", profile.key))
            << profile.key << "\n"
            << report.text();
    EXPECT_EQ(report.structures.created, expect_number("complet", "structures"));
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM identity_structure WHERE source = 'aaf'"),
        expect_number("complet", "structures"));
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM identity_class WHERE kind = 'class'"),
        expect_number("complet", "classes"));
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM identity_class WHERE kind = 'group'"),
        expect_number("complet", "groups"));
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM directory_subject"), expect_number("complet", "subjects"));
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM directory_mef"), expect_number("complet", "mefs"));
    EXPECT_EQ(
        count(*services, "SELECT COUNT(*) FROM identity_guardian_link"), expect_number("complet", "guardian_links"));
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM identity_teaching"), expect_number("complet", "teachings"));
    EXPECT_EQ(
        count(*services, "SELECT COUNT(*) FROM directory_head_teacher"), expect_number("complet", "head_teachers"));
    EXPECT_EQ(count(*services,
                  "SELECT COUNT(*) FROM identity_class_member m JOIN identity_class c ON c.id = "
                  "m.class_id WHERE c.kind = 'class'"),
        expect_number("complet", "class_members"));
    EXPECT_EQ(count(*services,
                  "SELECT COUNT(*) FROM identity_class_member m JOIN identity_class c ON c.id = "
                  "m.class_id WHERE c.kind = 'group'"),
        expect_number("complet", "group_members"));
    // Values are trimmed, accents kept, parental authority recorded.
    for (auto const& entry : expected().at("complet").at("trimmed").as_array()) {
        auto const& object = entry.as_object();
        if (object.at("attribute").as_string() != "givenName" || object.at("value").is_null())
            continue;
        std::string id(object.at("id").as_string());
        std::string first_name;
        auto lease = services->database->lease();
        lease.session() << "SELECT first_name FROM identity_user WHERE external_id = :id", soci::use(id),
            soci::into(first_name);
        EXPECT_EQ(first_name, std::string(object.at("value").as_string())) << id;
    }
    EXPECT_GT(count(*services, "SELECT COUNT(*) FROM identity_guardian_link WHERE legal = 0"), 0);
}

TEST(AafImport, RunningTheSameFilesAgainChangesNothing)
{
    auto services = cartable::testing::fresh_services();
    run(*services, "complet");
    auto users = count(*services, "SELECT COUNT(*) FROM identity_user");
    auto links = count(*services, "SELECT COUNT(*) FROM identity_guardian_link");
    auto again = run(*services, "complet", false, NOW + 86400);
    auto totals = again.totals();
    EXPECT_EQ(totals.created, 0);
    EXPECT_EQ(totals.updated, 0) << again.text();
    EXPECT_EQ(totals.departed, 0);
    EXPECT_EQ(again.structures.created, 0);
    EXPECT_EQ(again.classes_created + again.groups_created, 0);
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM identity_user"), users);
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM identity_guardian_link"), links);
}

TEST(AafImport, DryRunTellsThePlanAndChangesNothing)
{
    auto services = cartable::testing::fresh_services();
    auto plan = run(*services, "complet", true);
    EXPECT_TRUE(plan.dry_run);
    EXPECT_EQ(sum(plan, "Élève", &aaf::Counts::created), expect_profile("complet", "created", "student"));
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM identity_user"), 0);
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM identity_structure"), 0);
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM directory_link_source"), 0);
    // The report of the simulation is kept all the same.
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM directory_import WHERE dry_run = 1 AND status = 'done'"), 1);
    EXPECT_NE(plan.text().find("Simulation"), std::string::npos);
}

TEST(AafImport, DeltaAppliesExactlyItsOperations)
{
    auto services = cartable::testing::fresh_services();
    run(*services, "complet");
    auto delta = run(*services, "delta", false, NOW + 7 * 86400);
    EXPECT_FALSE(delta.full);
    EXPECT_TRUE(delta.rejections.empty()) << delta.text();
    for (auto const& profile : PROFILES) {
        EXPECT_EQ(sum(delta, profile.label, &aaf::Counts::created), expect_profile("delta", "created", profile.key))
            << profile.key << "\n"
            << delta.text();
        EXPECT_EQ(sum(delta, profile.label, &aaf::Counts::updated), expect_profile("delta", "updated", profile.key))
            << profile.key << "\n"
            << delta.text();
        EXPECT_EQ(sum(delta, profile.label, &aaf::Counts::departed), expect_profile("delta", "departed", profile.key))
            << profile.key;
    }
    auto const& after = expected().at("delta").at("after");
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM identity_user WHERE active = 1 AND profile = 'student'"),
        after.at("active").at("student").as_int64());
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM identity_user WHERE active = 1 AND profile = 'guardian'"),
        after.at("active").at("guardian").as_int64());
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM identity_teaching"), after.at("teachings").as_int64());
}

TEST(AafImport, MalformedRecordsAreRejectedWithFileAndLineAndTheRestGoesOn)
{
    auto services = cartable::testing::fresh_services();
    auto report = run(*services, "malformed");
    auto const& rejected = expected().at("malformed").at("rejected").as_array();
    ASSERT_EQ(report.rejections.size(), rejected.size()) << report.text();
    for (auto const& entry : rejected) {
        auto const& object = entry.as_object();
        std::string file(object.at("file").as_string());
        auto line = object.at("line").as_int64();
        auto found = std::find_if(report.rejections.begin(), report.rejections.end(),
            [&](aaf::Rejection const& rejection) { return rejection.file == file && rejection.line == line; });
        EXPECT_NE(found, report.rejections.end()) << file << ":" << line << " " << object.at("reason").as_string();
        if (found != report.rejections.end()) {
            EXPECT_FALSE(found->reason.empty());
        }
    }
    EXPECT_EQ(sum(report, "Élève", &aaf::Counts::created), expect_profile("malformed", "created", "student"));
    EXPECT_EQ(
        count(*services, "SELECT COUNT(*) FROM directory_import_rejection"), static_cast<long long>(rejected.size()));
}

TEST(AafImport, AFullExportDepartsTheAbsentAndTheirDataGoesThreeMonthsLater)
{
    auto services = cartable::testing::fresh_services();
    run(*services, "complet");
    // Someone the académie no longer sends: a full export without him.
    std::string external;
    {
        auto lease = services->database->lease();
        lease.session() << "SELECT MIN(external_id) FROM identity_user WHERE profile = 'student'", soci::into(external);
    }
    auto without = std::filesystem::temp_directory_path() / ("cartable-aaf-without-" + std::to_string(getpid()));
    std::filesystem::remove_all(without);
    std::filesystem::copy(sample() / "complet", without);
    {
        auto path = without / "ENT2026_Complet_Eleve_0000.xml";
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        auto content = text.str();
        auto id_at = content.find("<id>" + external + "</id>");
        ASSERT_NE(id_at, std::string::npos);
        auto start = content.rfind("<addRequest>", id_at);
        auto end = content.find("</addRequest>", id_at) + std::string("</addRequest>").size();
        content.erase(start, end - start);
        std::ofstream out(path, std::ios::trunc);
        out << content;
    }
    aaf::Options options;
    options.now = NOW + 86400;
    auto report = aaf::import_directory(*services->database, without, options).release_value();
    EXPECT_EQ(sum(report, "Élève", &aaf::Counts::departed), 1) << report.text();
    auto active = [&] {
        long long value = 0;
        auto lease = services->database->lease();
        lease.session() << "SELECT active FROM identity_user WHERE external_id = :e", soci::use(external),
            soci::into(value);
        return value;
    };
    EXPECT_EQ(active(), 0);
    // Two months later the data is still there; three months later it is gone.
    {
        auto lease = services->database->lease();
        EXPECT_EQ(directory::delete_expired_personal_data(lease.session(), NOW + 60LL * 86400), 0);
        EXPECT_EQ(directory::delete_expired_personal_data(lease.session(), NOW + 95LL * 86400), 1);
    }
    EXPECT_EQ(count(*services, "SELECT COUNT(*) FROM identity_user WHERE external_id = '" + external + "'"), 0);
    EXPECT_EQ(count(*services,
                  "SELECT COUNT(*) FROM identity_user WHERE first_name = 'Ancien' AND last_name = "
                  "'membre' AND personal_data_deleted_at > 0"),
        1);
    std::filesystem::remove_all(without);
}

TEST(AafImport, ClassesKeepTheLabelsTheStructuresGive)
{
    auto services = cartable::testing::fresh_services();
    run(*services, "complet");
    run(*services, "delta", false, NOW + 7 * 86400);
    // The students' records name « 2NDE1 » and « 2NDE2 »: the labels stay the structure's.
    auto labelled = [&](char const* name, char const* label) {
        return count(*services,
            std::string("SELECT COUNT(*) FROM identity_class c JOIN identity_structure s ON s.id = c.structure_id "
                        "WHERE s.uai = '0300021U' AND c.name = '")
                + name + "' AND c.label = '" + label + "'");
    };
    EXPECT_EQ(labelled("2NDE1", "SECONDE 1"), 1);
    EXPECT_EQ(labelled("2NDE2", "SECONDE 2"), 1);
}

TEST(AafImport, SmallBatchesMakeTheSameDirectory)
{
    auto by_default = cartable::testing::fresh_services();
    auto full = run(*by_default, "complet");
    std::vector<long long> expected_rows;
    char const* const TABLES[]
        = { "identity_user", "identity_contact", "identity_class_member", "identity_guardian_link", "identity_teaching",
              "directory_head_teacher", "directory_function", "directory_link_source" };
    for (auto const* table : TABLES)
        expected_rows.push_back(count(*by_default, std::string("SELECT COUNT(*) FROM ") + table));

    auto in_threes = cartable::testing::fresh_services();
    aaf::Options options;
    options.now = NOW;
    options.batch_size = 3;
    auto small = aaf::import_directory(*in_threes->database, sample() / "complet", options).release_value();
    EXPECT_EQ(small.totals().created, full.totals().created);
    EXPECT_EQ(small.guardian_links, full.guardian_links);
    EXPECT_EQ(small.teachings, full.teachings);
    for (std::size_t index = 0; index < std::size(TABLES); ++index)
        EXPECT_EQ(count(*in_threes, std::string("SELECT COUNT(*) FROM ") + TABLES[index]), expected_rows[index])
            << TABLES[index];
}

TEST(AafImport, ARecordOfAnIdAlreadyInTheFileIsAppliedAfterIt)
{
    auto services = cartable::testing::fresh_services();
    run(*services, "complet");
    // A new student, then a change of her first name, in one file; her
    // record names the same guardian twice.
    auto directory = std::filesystem::temp_directory_path() / ("cartable-aaf-twice-" + std::to_string(getpid()));
    std::filesystem::remove_all(directory);
    std::filesystem::create_directories(directory);
    std::ofstream(directory / "ENT2026_Delta_Eleve_0000.xml") << R"(<?xml version="1.0" encoding="UTF-8"?>
<ficAlimMENESR>
  <addRequest>
    <identifier><id>3999990</id></identifier>
    <attributes>
      <attr name="sn"><value>FABRE</value></attr>
      <attr name="givenName"><value>Zoé</value></attr>
      <attr name="ENTPersonStructRattach"><value>1001</value></attr>
      <attr name="ENTEleveClasses"><value>1001$2NDE1</value></attr>
      <attr name="ENTElevePersRelEleve">
        <value>4000001$10$1$1$1$1</value>
        <value>4000001$10$1$1$1$1</value>
      </attr>
    </attributes>
  </addRequest>
  <modifyRequest>
    <identifier><id>3999990</id></identifier>
    <modifications>
      <modification name="givenName" operation="replace"><value>Zoéline</value></modification>
    </modifications>
  </modifyRequest>
</ficAlimMENESR>
)";
    aaf::Options options;
    options.now = NOW + 86400;
    auto report = aaf::import_directory(*services->database, directory, options).release_value();
    EXPECT_TRUE(report.rejections.empty()) << report.text();
    EXPECT_EQ(sum(report, "Élève", &aaf::Counts::created), 1) << report.text();
    EXPECT_EQ(sum(report, "Élève", &aaf::Counts::updated), 1) << report.text();
    EXPECT_EQ(count(*services,
                  "SELECT COUNT(*) FROM identity_user WHERE external_id = '3999990' AND first_name = "
                  "'Zoéline'"),
        1);
    EXPECT_EQ(count(*services,
                  "SELECT COUNT(*) FROM identity_guardian_link l JOIN identity_user s ON s.id = l.student_id "
                  "WHERE s.external_id = '3999990'"),
        1);
    std::filesystem::remove_all(directory);
}
