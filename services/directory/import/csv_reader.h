// SPDX-License-Identifier: AGPL-3.0-or-later
// The CSV files of `cartable import csv` (docs/csv-import.md): RFC 4180
// fields, `;` or `,` separated, in UTF-8 (with or without a BOM) or in the
// Windows-1252 that spreadsheet software writes.
#pragma once

#include "core/error.h"
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cartable::directory::csv {

enum class Encoding {
    Utf8,
    Utf8WithBom,
    Windows1252,
};

struct Row {
    int line { 0 }; // the physical line the row starts on, the header being line 1
    std::vector<std::string> fields; // trimmed of surrounding spaces and tabs
};

struct Table {
    Encoding encoding { Encoding::Utf8 };
    char separator { ';' };
    std::vector<std::string> header;
    std::vector<Row> rows; // blank rows left out
};

bool is_valid_utf8(std::string_view bytes);

// The bytes as UTF-8: valid UTF-8 as it is (its BOM dropped), anything else
// converted from Windows-1252.
ErrorOr<std::string> to_utf8(std::string_view bytes, Encoding* detected = nullptr);

// The table of a whole file's bytes. An error for a quoted field left open
// or a file without a header line.
ErrorOr<Table> parse(std::string_view bytes);
ErrorOr<Table> read_file(std::filesystem::path const&);

// A column name as compared: lower case, without accents, spaces,
// underscores or hyphens (« Date_Naissance », « date naissance » and
// « DATE-NAISSANCE » are the same column).
std::string column_key(std::string_view name);

} // namespace cartable::directory::csv
