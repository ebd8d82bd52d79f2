// SPDX-License-Identifier: AGPL-3.0-or-later
// How the records of the AAF feed become the directory (docs/aaf.md), batch
// by batch. A batch is applied as a set: what the database holds of its
// people is read first, a few statements for all of them; the records are
// then compared with it, and only what differs is written; the new rows wait
// until the end of the batch and go in many at a time (import_statements.h).
// aaf_importer.cpp has the structures, subjects, MEF, guardian links and
// departures; aaf_people.cpp the people.
#pragma once

#include "services/directory/import/aaf_import.h"
#include "services/directory/import/aaf_queries.h"
#include "services/directory/import/aaf_reader.h"
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cartable::directory::aaf {

// A record that cannot be applied: its reason, in French.
struct Rejected {
    std::string reason;
};

// The fields of a compound value « a$b$c » (docs/aaf.md), as views of it.
struct Fields {
    std::array<std::string_view, 8> parts {};
    std::size_t count { 0 }; // all of them, even past the eighth

    std::size_t size() const { return count; }
    std::string_view operator[](std::size_t index) const
    {
        return index < count && index < parts.size() ? parts[index] : std::string_view {};
    }
};
Fields split(std::string_view text, char separator = '$');

// « MONTPELLIER » → « Montpellier », « AIX-MARSEILLE » → « Aix-Marseille ».
std::string title_case(std::string_view text);

struct PersonRow {
    long long id { 0 };
    std::string civility;
    std::string first_name;
    std::string last_name;
    std::string profile;
    std::string function;
    long long structure_id { 0 };
    long long active { 1 };
    std::string national_profile;
    std::string birth_date;
    std::string mef_id;
};

class Importer {
public:
    Importer(Options const& options, Report& report)
        : m_options(options)
        , m_report(report)
    { }

    // The records of one batch (one kind, no id twice) in the session of
    // its transaction; the rejected ones are added to `rejected`.
    void apply_batch(
        soci::session&, Kind, std::vector<Record> const&, std::string const& file, std::vector<Rejection>& rejected);

    // After every file: guardian links from the students' records, and for
    // a full export the departures.
    void finish(soci::session&);

private:
    struct KnownStructure {
        long long id { 0 };
        std::string label; // « LYCEE JEAN MOULIN (0300021U) »
    };
    struct KnownClass {
        long long id { 0 };
        std::string label;
    };
    struct Contact {
        std::array<std::string, 7> fields; // address, postal code, city, phones (home, work, mobile), email
        long long unlisted { 0 };
    };
    // What the database holds of the people of the batch being applied.
    struct Known {
        std::unordered_map<std::string, PersonRow> people; // by external id
        std::unordered_map<long long, Contact> contacts; // by person
        std::unordered_map<long long, std::vector<std::pair<long long, std::string>>> memberships; // class, kind
        std::unordered_map<std::string, std::vector<queries::LinkSourceTuple>> link_sources; // by student
        std::unordered_map<long long, std::vector<queries::FunctionTuple>> functions;
        std::unordered_map<long long, std::vector<std::pair<long long, long long>>> teachings; // class, subject
        std::unordered_map<long long, std::vector<long long>> head_classes;
        std::unordered_map<std::string, long long> structure_of_students; // the students guardians name
    };
    // A person of the batch: an id, or for a new one -(1 + its place among
    // the people waiting to be inserted), until the batch is written.
    struct Person {
        long long ref { 0 };
        bool is_new { false };
    };

    std::optional<Rejected> apply(soci::session&, Kind, Record const&);
    std::optional<Rejected> apply_structure(soci::session&, Record const&);
    std::optional<Rejected> apply_subject(soci::session&, Record const&);
    std::optional<Rejected> apply_mef(soci::session&, Record const&);
    std::optional<Rejected> apply_person(soci::session&, Kind, Record const&);
    std::optional<Rejected> where_person_belongs(soci::session&, Kind, Record const&, bool known, PersonRow& wanted);
    void read_known(soci::session&, Kind, std::vector<Record> const&);
    bool apply_contact(soci::session&, Record const&, Person);
    bool apply_memberships(soci::session&, Record const&, Person, char const* attribute, char const* kind);
    std::optional<bool> apply_link_sources(soci::session&, Record const&);
    void apply_functions(soci::session&, Record const&, Person);
    bool apply_teachings(soci::session&, Record const&, Person);
    void apply_head_classes(soci::session&, Record const&, Person);
    long long add_person(soci::session&, PersonRow const&, std::string const& external);
    std::string new_login(soci::session&, std::string const& first, std::string const& last);
    void write_pending(soci::session&);
    void resolve_links(soci::session&);
    void depart_absent(soci::session&);

    std::optional<KnownStructure> structure_by_external(soci::session&, std::string_view external);
    std::string const& label_of_structure(soci::session&, long long structure_id);
    void load_structure(soci::session&, long long structure_id);
    std::string structure_label_of(soci::session&, Record const&);
    long long ensure_class(soci::session&, long long structure_id, std::string_view kind, std::string_view code,
        std::string_view const* label);
    std::optional<long long> subject_of_structure(
        soci::session&, long long structure_id, std::string const& subject_external);
    Counts& counts(soci::session&, long long structure_id, std::string const& profile_label);
    std::string const& profile_label(std::string const& profile_code);
    std::string const& person_profile_label(Kind);
    void count_rejection(soci::session&, Kind, Record const&);

    Options const& m_options;
    Report& m_report;
    std::unordered_map<std::string, KnownStructure> m_structures; // by external id
    std::unordered_map<long long, std::string> m_structure_labels; // by id
    std::unordered_map<long long, std::map<std::string, Counts>*> m_counts; // in m_report, by structure id
    std::vector<std::string> m_exported_structures; // those the files describe
    std::unordered_map<std::string, KnownClass> m_classes; // by « structure$kind$code »
    std::unordered_map<std::string, std::pair<std::string, std::string>> m_subjects; // code, label
    std::unordered_map<std::string, long long> m_structure_subjects; // by « structure$code »
    std::unordered_set<long long> m_loaded_structures; // whose classes and subjects are read
    std::unordered_map<std::string, std::string> m_profile_labels;
    std::string m_key; // a key being built, kept to reuse its memory
    Known m_known;
    std::vector<std::string> m_touched_students;
    std::vector<std::string> m_touched_guardians;
    std::unordered_set<std::string> m_seen; // the people a full export names
    struct LoginName {
        int next { 1 }; // the suffix to try first (1: none)
        int looked_up { 0 }; // the suffixes up to this one are in m_logins if taken
    };
    std::unordered_set<std::string> m_logins; // taken (all of them once loaded)
    std::unordered_map<std::string, LoginName> m_login_names; // by « prenom.nom »
    bool m_logins_loaded { false };

    // Rows written at the end of the batch.
    import::Pending<queries::InsertPeople> m_new_people;
    import::Pending<queries::InsertContacts> m_new_contacts;
    import::Pending<queries::InsertMembers> m_new_members;
    import::Pending<queries::InsertLinkSources> m_new_link_sources;
    import::Pending<queries::InsertFunctions> m_new_functions;
    import::Pending<queries::InsertTeachings> m_new_teachings;
    import::Pending<queries::InsertHeadClasses> m_new_head_classes;
    import::Pending<queries::InsertGuardianLinks> m_new_guardian_links;
};

} // namespace cartable::directory::aaf
