// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/directory/import/csv_reader.h"
#include "services/directory/import/import_text.h"
#include <fstream>
#include <sstream>
#include <unicode/ucnv.h>
#include <unicode/utypes.h>

namespace cartable::directory::csv {

namespace {

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

constexpr std::string_view BOM = "\xEF\xBB\xBF";

} // namespace

bool is_valid_utf8(std::string_view bytes)
{
    std::size_t index = 0;
    while (index < bytes.size()) {
        auto lead = static_cast<unsigned char>(bytes[index]);
        if (lead < 0x80) {
            ++index;
            continue;
        }
        std::size_t length = 0;
        unsigned int code = 0;
        unsigned int minimum = 0;
        if ((lead & 0xE0) == 0xC0) {
            length = 2;
            code = lead & 0x1F;
            minimum = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            code = lead & 0x0F;
            minimum = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            code = lead & 0x07;
            minimum = 0x10000;
        } else {
            return false;
        }
        if (index + length > bytes.size())
            return false;
        for (std::size_t next = 1; next < length; ++next) {
            auto byte = static_cast<unsigned char>(bytes[index + next]);
            if ((byte & 0xC0) != 0x80)
                return false;
            code = (code << 6) | (byte & 0x3F);
        }
        if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return false;
        index += length;
    }
    return true;
}

ErrorOr<std::string> to_utf8(std::string_view bytes, Encoding* detected)
{
    if (is_valid_utf8(bytes)) {
        bool bom = bytes.starts_with(BOM);
        if (detected)
            *detected = bom ? Encoding::Utf8WithBom : Encoding::Utf8;
        return std::string(bom ? bytes.substr(BOM.size()) : bytes);
    }
    if (detected)
        *detected = Encoding::Windows1252;
    UErrorCode status = U_ZERO_ERROR;
    auto length = static_cast<int32_t>(bytes.size());
    // At most 3 bytes of UTF-8 per Windows-1252 byte.
    std::string converted(bytes.size() * 3 + 1, '\0');
    auto written = ucnv_convert("UTF-8", "windows-1252", converted.data(), static_cast<int32_t>(converted.size()),
        bytes.data(), length, &status);
    if (U_FAILURE(status))
        return Error::invalid("Le fichier n'est ni en UTF-8 ni en Windows-1252.", u_errorName(status));
    converted.resize(static_cast<std::size_t>(written));
    return converted;
}

ErrorOr<Table> parse(std::string_view bytes)
{
    Table table;
    auto text = TRY(to_utf8(bytes, &table.encoding));

    // `;` unless the header line has none but has a `,`.
    auto header_end = text.find('\n');
    std::string_view header_line = std::string_view(text).substr(0, header_end);
    if (header_line.find(';') == std::string_view::npos && header_line.find(',') != std::string_view::npos)
        table.separator = ',';
    char const separator = table.separator;

    std::vector<Row> rows;
    Row row { 1, {} };
    std::string field;
    bool in_quotes = false;
    int line = 1;
    int quote_line = 0;
    auto end_field = [&] {
        row.fields.emplace_back(trimmed(field));
        field.clear();
    };
    auto end_row = [&] {
        end_field();
        bool blank = true;
        for (auto const& value : row.fields)
            blank = blank && value.empty();
        if (!blank)
            rows.push_back(std::move(row));
        row = Row { line, {} };
    };
    for (std::size_t index = 0; index < text.size(); ++index) {
        char c = text[index];
        if (in_quotes) {
            if (c == '"') {
                if (index + 1 < text.size() && text[index + 1] == '"') {
                    field += '"';
                    ++index;
                } else {
                    in_quotes = false;
                }
            } else if (c == '\r' && index + 1 < text.size() && text[index + 1] == '\n') {
                continue; // CRLF inside a field: one line break
            } else {
                if (c == '\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && trimmed(field).empty()) {
            field.clear();
            in_quotes = true;
            quote_line = line;
        } else if (c == separator) {
            end_field();
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && index + 1 < text.size() && text[index + 1] == '\n')
                ++index;
            ++line;
            end_row();
        } else {
            field += c; // a quote inside an unquoted field is kept as it is
        }
    }
    if (in_quotes)
        return Error::invalid("guillemet ouvert ligne " + std::to_string(quote_line) + " et jamais fermé");
    if (!field.empty() || !row.fields.empty())
        end_row();
    if (rows.empty())
        return Error::invalid("fichier vide : une ligne d'en-tête est attendue");
    table.header = std::move(rows.front().fields);
    rows.erase(rows.begin());
    table.rows = std::move(rows);
    return table;
}

ErrorOr<Table> read_file(std::filesystem::path const& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return Error::invalid("Impossible de lire " + path.string() + ".");
    std::ostringstream bytes;
    bytes << file.rdbuf();
    return parse(bytes.str());
}

std::string column_key(std::string_view name)
{
    auto key = login_part(std::string(trimmed(name)));
    std::string result;
    for (char c : key) {
        if (c != '-')
            result += c;
    }
    return result;
}

} // namespace cartable::directory::csv
