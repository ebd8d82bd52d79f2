// SPDX-License-Identifier: AGPL-3.0-or-later
// Streaming reader of the académie's AAF files (docs/aaf.md): one record at
// a time, whatever the size of the file.
#pragma once

#include "core/error.h"
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cartable::directory::aaf {

enum class Operation { Add, Modify, Delete };

struct Record {
    Operation operation { Operation::Add };
    std::string id; // <identifier><id>
    int line { 0 }; // of the record's opening tag
    // Attributes of an add, replaced attributes of a modify: name → values
    // (trimmed, empty ones dropped). A modify with no value empties it.
    std::map<std::string, std::vector<std::string>> attributes;
    // Why the record cannot be read (an unsupported operation…), if so.
    std::string malformed;

    std::vector<std::string> const* values(std::string const& name) const;
    std::string first(std::string const& name) const; // empty if absent
    bool has(std::string const& name) const { return attributes.contains(name); }
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

} // namespace cartable::directory::aaf
