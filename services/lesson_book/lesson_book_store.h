// SPDX-License-Identifier: AGPL-3.0-or-later
// The lesson book's writes: séances and homework, copies, the visa, the
// readers an administrator adds. Each runs in the caller's transaction.
#pragma once

#include "services/lesson_book/lesson_book_internal.h"
#include <string>
#include <string_view>
#include <vector>

namespace cartable::lesson_book::store {

struct SeanceInput {
    long long class_id { 0 };
    long long subject_id { 0 };
    long long day { 0 };
    long long start_minute { 0 };
    long long end_minute { 0 };
    long long slot_id { 0 };
    std::string title;
    std::string content; // sanitized
    std::string links; // checked, one per line
    long long publish_at { 0 };
};

struct HomeworkInput {
    long long class_id { 0 };
    long long subject_id { 0 };
    long long session_id { 0 };
    long long given_day { 0 };
    long long due_day { 0 };
    std::string description; // sanitized
    long long estimated_minutes { 0 };
    bool hand_in_online { false };
    long long publish_at { 0 };
};

// What a write needs besides its object.
struct Writer {
    long long structure_id { 0 };
    long long author_id { 0 };
    long long now { 0 };
    std::string public_url; // begins the links of e-mails
};

// The school day after `day`: Friday and Saturday give Monday.
long long next_school_day(long long day);

long long insert_seance(soci::session&, Writer const&, SeanceInput const&);
void update_seance(soci::session&, long long seance_id, SeanceInput const&, long long now);
// The séance; its homework stays, no longer linked to it.
void delete_seance(soci::session&, long long seance_id);

// New homework; when it is published and due the next school day, the
// class's students and their guardians are told. The number of people told.
std::size_t insert_homework(soci::session&, Writer const&, HomeworkInput const&, long long* inserted_id = nullptr);
// A changed due date is noted (due_changed_at) and told when published.
std::size_t update_homework(soci::session&, Writer const&, Homework const& before, HomeworkInput const&);
void delete_homework(soci::session&, long long homework_id);
// Homework planned ahead that became visible since: told to the families
// as if entered now when it is due the next school day, once (told_at).
// The number of people told. The lesson book's sweep calls it every minute.
std::size_t tell_planned_homework(soci::session&, std::string const& public_url, long long now);
// The homework given in a séance (the first), if any.
std::optional<Homework> homework_of_seance(soci::session&, long long seance_id);

// The students of a class or group, and the guardians of each.
std::vector<long long> students_of_class(soci::session&, long long class_id);

// « Vu le … par … ».
struct Visa {
    long long id { 0 };
    long long class_id { 0 };
    std::string author_name;
    long long until_day { 0 };
    std::string comment;
    long long created_at { 0 };
};
void add_visa(soci::session&, Visa const&, long long author_id);
std::vector<Visa> visas_of_class(soci::session&, long long class_id);

// Inspectors: people an administrator lets read a structure's book.
struct Reader {
    long long user_id { 0 };
    std::string login;
    std::string name;
    long long created_at { 0 };
};
std::vector<Reader> readers_of(soci::session&, long long structure_id);
void grant_reader(soci::session&, long long user_id, long long structure_id, long long granted_by, long long now);
bool revoke_reader(soci::session&, long long user_id, long long structure_id);

} // namespace cartable::lesson_book::store
