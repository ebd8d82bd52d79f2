// SPDX-License-Identifier: AGPL-3.0-or-later
// Streaming reader of the académie's AAF files (docs/aaf.md): one record at
// a time, whatever the size of the file; and the batches of records an
// import applies, read ahead on a thread of their own.
#pragma once

#include "core/error.h"
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cartable::directory::aaf {

enum class Operation { Add, Modify, Delete };

struct Record {
    Operation operation { Operation::Add };
    std::string id; // <identifier><id>
    int line { 0 }; // of the record's opening tag
    // Attributes of an add, replaced attributes of a modify: name → values
    // (trimmed, empty ones dropped). A modify with no value empties it.
    std::map<std::string, std::vector<std::string>, std::less<>> attributes;
    // Why the record cannot be read (an unsupported operation…), if so.
    std::string malformed;

    std::vector<std::string> const* values(std::string_view name) const;
    std::string first(std::string_view name) const; // empty if absent
    bool has(std::string_view name) const { return attributes.contains(name); }
};

// The kinds of file, in the order they are processed.
enum class Kind { Structure, Subject, Mef, Student, Guardian, Staff };
std::optional<Kind> kind_of_file(std::string const& file_name);
bool is_full_export(std::string const& file_name); // « Complet » or « Delta »
char const* kind_label(Kind);

class Reader {
public:
    static ErrorOr<std::unique_ptr<Reader>> open(std::filesystem::path const& file);
    ~Reader();
    Reader(Reader const&) = delete;
    Reader& operator=(Reader const&) = delete;

    // The next record, nothing at the end; an error if the XML is broken
    // beyond one record (the rest of the file cannot be read).
    ErrorOr<std::optional<Record>> next();
    // Bytes of the file read so far (for the progress bar).
    long long bytes_read() const;

private:
    Reader() = default;
    struct State;
    std::unique_ptr<State> m_state;
};

// Up to `size` records of one file, in their order. A batch never holds
// two records of the same id: the second one starts the next batch, so the
// records of a batch can be applied as a set (read first, written last).
struct ReadBatch {
    std::size_t file { 0 }; // index in the list given to ReadAhead
    std::vector<Record> records;
    std::string error; // the file cannot be read further (then the file's last batch)
    long long bytes_read { 0 }; // of the file, after this batch
};

// Reads the files one after the other on a thread of its own, a couple of
// batches ahead of the import that applies them: parsing the XML (a third of
// the work) runs while the database writes. Memory stays bounded.
class ReadAhead {
public:
    ReadAhead(std::vector<std::filesystem::path> files, std::size_t batch_size);
    ~ReadAhead();
    ReadAhead(ReadAhead const&) = delete;
    ReadAhead& operator=(ReadAhead const&) = delete;

    // The next batch, nothing after the last file; an error if a file
    // cannot be opened (the import stops there).
    ErrorOr<std::optional<ReadBatch>> next();
    // A batch applied, handed back to be freed by the thread that made it
    // (its thousands of strings are then freed at the cost of their making).
    void recycle(ReadBatch&&);

private:
    struct Shared;
    std::unique_ptr<Shared> m_shared;
};

} // namespace cartable::directory::aaf
