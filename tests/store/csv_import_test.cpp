// SPDX-License-Identifier: AGPL-3.0-or-later
// The CSV import of a structure outside the académie's feed, on files the
// test writes, on SQLite and PostgreSQL.
#include "core/identity/identity_store.h"
#include "services/directory/import/csv_import.h"
#include "tests/support/test_database.h"
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace cartable;
namespace csv = cartable::directory::csv;

namespace {

constexpr long long NOW = 1'790'000'000;
constexpr char const* UAI = "0349999X";
constexpr char const* LABEL = "COLLEGE LES GARRIGUES (0349999X)";

std::string const STUDENTS = "identifiant;nom;prenom;civilite;date_naissance;classe;groupes\n"
                             "E1;DURAND;Léa;Mme;12/03/2012;6A;\"LATIN,CHORALE\"\n"
                             "E2;PETIT;Noé;M.;01/09/2012;6A;\n"
                             "E3;ROUX;Inès;Mme;31/02/2012;6B;\n" // bad date: line 4
                             "E4;;Sans;M.;;6B;\n" // no name: line 5
                             "E5;BLANC;Tom;M;;6B;CHORALE\n";

std::string const GUARDIANS
    = "Identifiant;Nom;Prénom;Civilité;Adresse;Code postal;Ville;Téléphone domicile;Téléphone travail;"
      "Téléphone portable;Mail;Élèves;Lien;Autorité parentale\n"
      "R1;DURAND;Marc;M.;1 rue Haute;34000;MONTPELLIER;;;06 12 34 56 78;marc.durand@example.fr;E1;pere;oui\n"
      "R2;PETIT;Anne;Mme;;;;;;;;\"E2, E5\";mere;oui\n"
      "R3;INCONNU;Paul;M.;;;;;;;;E9;tuteur;non\n"; // unknown student: line 4

std::string const STAFF
    = "identifiant;nom;prenom;civilite;profil;fonction;mail;classes_matieres\n"
      "P1;MOREAU;Julie;Mme;enseignant;;julie.moreau@example.fr;\"6A:MATHEMATIQUES,6B:MATHEMATIQUES\"\n"
      "P2;LEROY;Henri;M.;direction;Principal;;\n"
      "P3;FAURE;Rose;Mme;cantinière;;;\n"; // bad profile: line 4

struct Fixture {
    std::unique_ptr<Services> services = cartable::testing::fresh_services();
    std::filesystem::path directory = std::filesystem::temp_directory_path()
        / ("cartable-csv-" + std::to_string(getpid()) + "-"
            + ::testing::UnitTest::GetInstance()->current_test_info()->name());

    Fixture()
    {
        std::filesystem::remove_all(directory);
        std::filesystem::create_directories(directory);
        auto lease = services->database->lease();
        identity::Structure structure;
        structure.uai = UAI;
        structure.name = "COLLEGE LES GARRIGUES";
        structure.kind = "Collège";
        structure.city = "Montpellier";
        identity::store::create_structure(lease.session(), structure);
    }
    ~Fixture() { std::filesystem::remove_all(directory); }
    Fixture(Fixture const&) = delete;
    Fixture& operator=(Fixture const&) = delete;

    void write(char const* name, std::string const& bytes) const
    {
        std::ofstream file(directory / name, std::ios::binary | std::ios::trunc);
        file << bytes;
    }

    void write_all() const
    {
        write("eleves.csv", STUDENTS);
        write("responsables.csv", GUARDIANS);
        write("personnels.csv", STAFF);
    }

    csv::Report run(bool dry_run = false, long long now = NOW) const
    {
        csv::Options options;
        options.dry_run = dry_run;
        options.now = now;
        auto report = csv::import_directory(*services->database, directory, UAI, options);
        if (report.is_error())
            throw std::runtime_error(report.error().message_key + " " + report.error().detail);
        return report.release_value();
    }

    long long count(std::string const& sql) const
    {
        long long value = 0;
        auto lease = services->database->lease();
        lease.session() << sql, soci::into(value);
        return value;
    }

    std::string text(std::string const& sql) const
    {
        std::string value;
        auto lease = services->database->lease();
        lease.session() << sql, soci::into(value);
        return value;
    }
};

csv::Counts const& of(csv::Report const& report, char const* profile)
{
    static csv::Counts const none;
    auto structure = report.people.find(LABEL);
    if (structure == report.people.end())
        return none;
    auto found = structure->second.find(profile);
    return found == structure->second.end() ? none : found->second;
}

} // namespace

TEST(CsvImport, CreatesPeopleClassesLinksAndTeachingsAndRejectsBadRows)
{
    Fixture fixture;
    fixture.write_all();
    auto report = fixture.run();
    auto text = csv::report_text(report, UAI);
    EXPECT_EQ(of(report, "Élève").created, 3) << text;
    EXPECT_EQ(of(report, "Élève").rejected, 2) << text;
    EXPECT_EQ(of(report, "Responsable légal").created, 2) << text;
    EXPECT_EQ(of(report, "Responsable légal").rejected, 1) << text;
    EXPECT_EQ(of(report, "Enseignant").created, 1) << text;
    EXPECT_EQ(of(report, "Personnel de l'établissement").created, 1) << text;
    EXPECT_EQ(report.files, 3);
    EXPECT_EQ(report.records, 11);
    EXPECT_EQ(report.guardian_links, 3);
    EXPECT_EQ(report.teachings, 2);
    EXPECT_NE(text.find("Import CSV – établissement 0349999X : 3 fichier(s), 11 ligne(s)"), std::string::npos) << text;

    ASSERT_EQ(report.rejections.size(), 4U) << text;
    EXPECT_EQ(report.rejections[0].file, "eleves.csv");
    EXPECT_EQ(report.rejections[0].line, 4);
    EXPECT_EQ(report.rejections[0].record_id, "E3");
    EXPECT_NE(report.rejections[0].reason.find("31/02/2012"), std::string::npos);
    EXPECT_EQ(report.rejections[1].line, 5);
    EXPECT_EQ(report.rejections[1].reason, "nom absent");
    EXPECT_EQ(report.rejections[2].file, "responsables.csv");
    EXPECT_EQ(report.rejections[2].line, 4);
    EXPECT_NE(report.rejections[2].reason.find("« E9 » inconnu"), std::string::npos);
    EXPECT_EQ(report.rejections[3].file, "personnels.csv");
    EXPECT_EQ(report.rejections[3].line, 4);
    EXPECT_NE(report.rejections[3].reason.find("cantinière"), std::string::npos);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM directory_import_rejection"), 4);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM directory_import WHERE source = 'csv' AND dry_run = 0 AND "
                            "status = 'done'"),
        1);

    // The keys, the source, the data.
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM identity_user WHERE source = 'csv' AND external_id LIKE "
                            "'csv:0349999X:%' AND active = 1"),
        7);
    EXPECT_EQ(fixture.text("SELECT birth_date FROM identity_user WHERE external_id = 'csv:0349999X:E1'"), "2012-03-12");
    EXPECT_EQ(fixture.text("SELECT login FROM identity_user WHERE external_id = 'csv:0349999X:E2'"), "noe.petit");
    EXPECT_EQ(fixture.text("SELECT civility FROM identity_user WHERE external_id = 'csv:0349999X:E5'"), "M.");
    EXPECT_EQ(fixture.text("SELECT function FROM identity_user WHERE external_id = 'csv:0349999X:P2'"), "Principal");
    EXPECT_EQ(fixture.text("SELECT national_profile FROM identity_user WHERE external_id = 'csv:0349999X:P1'"), "ENS");
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM identity_class WHERE kind = 'class'"), 2);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM identity_class WHERE kind = 'group'"), 2);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM identity_class_member m JOIN identity_class c ON c.id = m.class_id "
                            "WHERE c.name = 'CHORALE'"),
        2);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM identity_guardian_link"), 3);
    EXPECT_EQ(fixture.text("SELECT l.relationship FROM identity_guardian_link l JOIN identity_user u ON u.id = "
                           "l.guardian_id WHERE u.external_id = 'csv:0349999X:R2' ORDER BY l.student_id"),
        "mère");
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM identity_teaching"), 2);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM identity_subject WHERE code = 'MATHEMATIQUES'"), 1);
    EXPECT_EQ(fixture
                  .text("SELECT c.phone_mobile FROM identity_contact c JOIN identity_user u ON u.id = c.user_id "
                        "WHERE u.external_id = 'csv:0349999X:R1'")
                  .empty(),
        false);
}

TEST(CsvImport, ReRunningTheSameFilesChangesNothing)
{
    Fixture fixture;
    fixture.write_all();
    fixture.run();
    auto again = fixture.run();
    auto totals = again.totals();
    EXPECT_EQ(totals.created, 0) << csv::report_text(again, UAI);
    EXPECT_EQ(totals.updated, 0) << csv::report_text(again, UAI);
    EXPECT_EQ(totals.departed, 0);
    EXPECT_EQ(totals.unchanged, 7);
    EXPECT_EQ(totals.rejected, 4);
    EXPECT_EQ(again.classes_created, 0);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM identity_guardian_link"), 3);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM identity_teaching"), 2);
}

TEST(CsvImport, DryRunWritesNothingButKeepsItsReport)
{
    Fixture fixture;
    fixture.write_all();
    auto plan = fixture.run(true);
    EXPECT_TRUE(plan.dry_run);
    EXPECT_EQ(plan.totals().created, 7);
    EXPECT_EQ(plan.guardian_links, 3); // the students created earlier in the run are seen
    EXPECT_NE(csv::report_text(plan, UAI).find("Simulation de l'import CSV (rien n'a été modifié)"), std::string::npos);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM identity_user WHERE source = 'csv'"), 0);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM identity_class"), 0);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM directory_import WHERE dry_run = 1 AND status = 'done'"), 1);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM directory_import_rejection"), 4);
}

TEST(CsvImport, Windows1252FilesAreConverted)
{
    Fixture fixture;
    // As a spreadsheet saves it: Windows-1252, CRLF, « é » = 0xE9.
    fixture.write("eleves.csv", "identifiant;nom;pr\xE9nom;classe\r\nW1;H\xC9RAULT;H\xE9l\xE8ne;5\xE8me A\r\n");
    auto report = fixture.run();
    EXPECT_EQ(of(report, "Élève").created, 1) << csv::report_text(report, UAI);
    EXPECT_EQ(fixture.text("SELECT first_name FROM identity_user WHERE external_id = 'csv:0349999X:W1'"), "Hélène");
    EXPECT_EQ(fixture.text("SELECT last_name FROM identity_user WHERE external_id = 'csv:0349999X:W1'"), "HÉRAULT");
    EXPECT_EQ(fixture.text("SELECT name FROM identity_class WHERE kind = 'class'"), "5ème A");
    // The same file in UTF-8 with a BOM is the same person, unchanged.
    fixture.write("eleves.csv", "\xEF\xBB\xBFidentifiant;nom;prénom;classe\nW1;HÉRAULT;Hélène;5ème A\n");
    EXPECT_EQ(fixture.run().totals().unchanged, 1);
}

TEST(CsvImport, ThePeopleAbsentFromTheFilesDepart)
{
    Fixture fixture;
    fixture.write_all();
    fixture.run();
    // E5 leaves; R2 still names E5, so R2 is rejected now but stays.
    std::string without = STUDENTS.substr(0, STUDENTS.find("E5;"));
    fixture.write("eleves.csv", without);
    auto report = fixture.run(false, NOW + 86'400);
    EXPECT_EQ(of(report, "Élève").departed, 1) << csv::report_text(report, UAI);
    EXPECT_EQ(of(report, "Responsable légal").departed, 0) << csv::report_text(report, UAI);
    EXPECT_EQ(fixture.count("SELECT active FROM identity_user WHERE external_id = 'csv:0349999X:E5'"), 0);
    EXPECT_EQ(
        fixture.count("SELECT departed_at FROM identity_user WHERE external_id = 'csv:0349999X:E5'"), NOW + 86'400);
    EXPECT_EQ(fixture.count("SELECT active FROM identity_user WHERE external_id = 'csv:0349999X:R2'"), 1);

    // Back in the file: active again.
    fixture.write("eleves.csv", STUDENTS);
    auto back = fixture.run();
    EXPECT_EQ(of(back, "Élève").updated, 1) << csv::report_text(back, UAI);
    EXPECT_EQ(fixture.count("SELECT active FROM identity_user WHERE external_id = 'csv:0349999X:E5'"), 1);
}

TEST(CsvImport, AFileMissingARequiredColumnIsRefusedAndDepartsNobody)
{
    Fixture fixture;
    fixture.write_all();
    fixture.run();
    fixture.write("eleves.csv", "identifiant;nom;classe\nE1;DURAND;6A\n");
    auto report = fixture.run();
    ASSERT_FALSE(report.rejections.empty());
    EXPECT_EQ(report.rejections[0].file, "eleves.csv");
    EXPECT_EQ(report.rejections[0].line, 1);
    EXPECT_NE(report.rejections[0].reason.find("prenom"), std::string::npos) << report.rejections[0].reason;
    EXPECT_EQ(report.totals().departed, 0) << csv::report_text(report, UAI);
    EXPECT_EQ(fixture.count("SELECT COUNT(*) FROM identity_user WHERE profile = 'student' AND active = 1"), 3);
}

TEST(CsvImport, AnUnknownStructureOrNoFilesIsRefused)
{
    Fixture fixture;
    fixture.write_all();
    csv::Options options;
    options.now = NOW;
    auto unknown = csv::import_directory(*fixture.services->database, fixture.directory, "0000000Z", options);
    ASSERT_TRUE(unknown.is_error());
    EXPECT_NE(unknown.error().message_key.find("0000000Z"), std::string::npos);
    auto empty = std::filesystem::temp_directory_path() / ("cartable-csv-empty-" + std::to_string(getpid()));
    std::filesystem::create_directories(empty);
    auto none = csv::import_directory(*fixture.services->database, empty, UAI, options);
    std::filesystem::remove_all(empty);
    ASSERT_TRUE(none.is_error());
    EXPECT_NE(none.error().message_key.find("eleves.csv"), std::string::npos);
}

TEST(CsvImport, AnIdentifierTwiceIsRejected)
{
    Fixture fixture;
    fixture.write("eleves.csv", "identifiant;nom;prenom\nX1;UN;Un\nX1;DEUX;Deux\n");
    fixture.write("personnels.csv", "identifiant;nom;prenom;profil\nX1;TROIS;Trois;enseignant\n");
    auto report = fixture.run();
    ASSERT_EQ(report.rejections.size(), 2U);
    EXPECT_EQ(report.rejections[0].line, 3);
    EXPECT_NE(report.rejections[0].reason.find("déjà présent dans eleves.csv ligne 2"), std::string::npos);
    EXPECT_EQ(report.rejections[1].file, "personnels.csv");
}
