// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/http/multipart.h"
#include "core/text.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sodium.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace cartable::http {

namespace {

constexpr char const* malformed_message = "Le formulaire envoyé est mal formé.";
constexpr char const* incomplete_message = "Le formulaire envoyé est incomplet.";
constexpr char const* invalid_text_message = "Le texte envoyé contient des caractères invalides (UTF-8 attendu).";
constexpr char const* file_too_large_message = "Le fichier envoyé dépasse la taille autorisée.";
constexpr char const* field_too_large_message = "Un champ du formulaire dépasse la taille autorisée.";
constexpr char const* too_many_parts_message = "Le formulaire envoyé contient trop d'éléments.";
constexpr char const* bad_file_name_message = "Le nom du fichier envoyé n'est pas valide.";

// RFC 2046 allows spaces and tabs after a boundary; a line of them longer than
// this is not padding but garbage.
constexpr std::size_t max_boundary_padding = 256;

char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equals_ignoring_case(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    }
    return true;
}

constexpr auto trim = trim_blanks;

// RFC 2046 bchars.
bool is_boundary_char(char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

bool is_valid_boundary(std::string_view boundary)
{
    if (boundary.empty() || boundary.size() > 70 || boundary.back() == ' ')
        return false;
    for (char c : boundary) {
        if (!is_boundary_char(c))
            return false;
    }
    return true;
}

struct Parameter {
    std::string name; // lower case
    std::string value;
};

// Parses `; name=value; name="quoted value"` as found after the first item of
// a Content-Type or Content-Disposition header. A backslash escapes only '"'
// and '\': browsers send Windows paths unescaped, and those must survive.
std::optional<std::vector<Parameter>> parse_parameters(std::string_view text)
{
    std::vector<Parameter> parameters;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ';'))
            ++i;
        if (i >= text.size())
            break;
        std::size_t name_start = i;
        while (i < text.size() && text[i] != '=' && text[i] != ';')
            ++i;
        std::string_view name = trim(text.substr(name_start, i - name_start));
        if (name.empty() || i >= text.size() || text[i] != '=')
            return std::nullopt;
        ++i;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
            ++i;
        std::string value;
        if (i < text.size() && text[i] == '"') {
            ++i;
            bool closed = false;
            while (i < text.size()) {
                char c = text[i];
                if (c == '"') {
                    closed = true;
                    ++i;
                    break;
                }
                if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) {
                    value.push_back(text[i + 1]);
                    i += 2;
                    continue;
                }
                value.push_back(c);
                ++i;
            }
            if (!closed)
                return std::nullopt;
            while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
                ++i;
            if (i < text.size() && text[i] != ';')
                return std::nullopt;
        } else {
            std::size_t value_start = i;
            while (i < text.size() && text[i] != ';')
                ++i;
            value = std::string(trim(text.substr(value_start, i - value_start)));
        }
        std::string lower_name;
        for (char c : name)
            lower_name.push_back(ascii_lower(c));
        // The same parameter twice is a way to make two parsers disagree.
        for (auto const& existing : parameters) {
            if (existing.name == lower_name)
                return std::nullopt;
        }
        parameters.push_back({ std::move(lower_name), std::move(value) });
    }
    return parameters;
}

std::optional<std::string> find_parameter(std::vector<Parameter> const& parameters, std::string_view name)
{
    for (auto const& parameter : parameters) {
        if (parameter.name == name)
            return parameter.value;
    }
    return std::nullopt;
}

// RFC 5987 ext-value: charset'language'percent-encoded.
ErrorOr<std::string> decode_extended_value(std::string_view text)
{
    std::size_t first = text.find('\'');
    std::size_t second = first == std::string_view::npos ? first : text.find('\'', first + 1);
    if (second == std::string_view::npos)
        return Error::invalid(malformed_message, "malformed RFC 5987 value");
    std::string_view charset = text.substr(0, first);
    auto decoded = percent_decode(text.substr(second + 1), false);
    if (decoded.is_error())
        return Error::invalid(malformed_message, "malformed RFC 5987 escape");
    if (equals_ignoring_case(charset, "utf-8"))
        return decoded.release_value();
    if (equals_ignoring_case(charset, "iso-8859-1")) {
        std::string utf8;
        for (char c : decoded.value()) {
            auto byte = static_cast<unsigned char>(c);
            if (byte < 0x80) {
                utf8.push_back(c);
            } else {
                utf8.push_back(static_cast<char>(0xC0 | (byte >> 6)));
                utf8.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
            }
        }
        return utf8;
    }
    return Error::invalid(malformed_message, "unsupported RFC 5987 charset");
}

// The browser may send a full path (old Internet Explorer did); only the last
// component is the name the person chose.
ErrorOr<std::string> clean_file_name(std::string_view raw)
{
    for (char c : raw) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F)
            return Error::invalid(bad_file_name_message, "control character in file name");
    }
    if (!is_valid_utf8(raw))
        return Error::invalid(invalid_text_message, "file name is not valid UTF-8");
    std::size_t separator = raw.find_last_of("/\\");
    std::string_view name = separator == std::string_view::npos ? raw : raw.substr(separator + 1);
    if (name == "." || name == "..")
        return Error::invalid(bad_file_name_message, "file name is a dot entry");
    return std::string(name);
}

std::string random_hex(std::size_t bytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::vector<unsigned char> random(bytes);
    randombytes_buf(random.data(), random.size());
    std::string hex;
    for (unsigned char byte : random) {
        hex.push_back(digits[byte >> 4]);
        hex.push_back(digits[byte & 0x0F]);
    }
    return hex;
}

} // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type)
{
    std::size_t semicolon = content_type.find(';');
    std::string_view type = trim(content_type.substr(0, semicolon));
    if (!equals_ignoring_case(type, "multipart/form-data") || semicolon == std::string_view::npos)
        return std::nullopt;
    auto parameters = parse_parameters(content_type.substr(semicolon + 1));
    if (!parameters)
        return std::nullopt;
    auto boundary = find_parameter(*parameters, "boundary");
    if (!boundary || !is_valid_boundary(*boundary))
        return std::nullopt;
    return boundary;
}

struct MultipartParser::State {
    enum class Phase {
        Preamble,
        AfterBoundary,
        Headers,
        Body,
        Epilogue,
        Failed,
    };

    std::string delimiter; // CRLF "--" boundary
    std::filesystem::path directory;
    MultipartLimits limits;
    Phase phase { Phase::Preamble };
    std::string buffer;
    std::size_t part_count { 0 };
    FormFields fields;
    std::vector<UploadedFile> files;
    Error error;

    // The part being read.
    bool part_is_file { false };
    std::string part_name;
    std::string part_file_name;
    std::string part_content_type;
    std::string field_value;
    int fd { -1 };
    std::filesystem::path temp_path;
    std::uint64_t file_size { 0 };

    ~State() { remove_everything(); }

    void remove_everything()
    {
        close_current_file();
        std::error_code ignored;
        if (!temp_path.empty())
            std::filesystem::remove(temp_path, ignored);
        temp_path.clear();
        for (auto const& file : files)
            std::filesystem::remove(file.path, ignored);
        files.clear();
    }

    void close_current_file()
    {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }

    Error fail(Error reason)
    {
        phase = Phase::Failed;
        error = std::move(reason);
        buffer.clear();
        buffer.shrink_to_fit();
        remove_everything();
        return error;
    }

    ErrorOr<void> process()
    {
        std::string_view view = buffer;
        std::size_t position = 0;
        bool progress = true;
        while (progress) {
            progress = false;
            switch (phase) {
            case Phase::Preamble: {
                std::size_t found = view.find(delimiter, position);
                if (found == std::string_view::npos) {
                    position = keep_tail(view, position);
                    break;
                }
                position = found + delimiter.size();
                phase = Phase::AfterBoundary;
                progress = true;
                break;
            }
            case Phase::AfterBoundary: {
                std::string_view rest = view.substr(position);
                if (rest.size() < 2)
                    break;
                if (rest.starts_with("--")) {
                    phase = Phase::Epilogue;
                    position = view.size();
                    break;
                }
                std::size_t line_end = rest.find("\r\n");
                if (line_end == std::string_view::npos) {
                    if (rest.size() > max_boundary_padding)
                        return Error::invalid(malformed_message, "garbage after boundary");
                    break;
                }
                if (!trim(rest.substr(0, line_end)).empty())
                    return Error::invalid(malformed_message, "garbage after boundary");
                position += line_end + 2;
                if (++part_count > limits.max_parts)
                    return Error::too_large(too_many_parts_message, "too many multipart parts");
                phase = Phase::Headers;
                progress = true;
                break;
            }
            case Phase::Headers: {
                std::string_view rest = view.substr(position);
                if (rest.size() < 2)
                    break;
                if (rest.starts_with("\r\n"))
                    return Error::invalid(malformed_message, "part without headers");
                std::size_t end = rest.find("\r\n\r\n");
                if (end == std::string_view::npos) {
                    if (rest.size() > limits.max_header_size)
                        return Error::invalid(malformed_message, "part headers too large");
                    break;
                }
                if (end > limits.max_header_size)
                    return Error::invalid(malformed_message, "part headers too large");
                TRY(begin_part(rest.substr(0, end)));
                position += end + 4;
                phase = Phase::Body;
                progress = true;
                break;
            }
            case Phase::Body: {
                std::size_t found = view.find(delimiter, position);
                if (found == std::string_view::npos) {
                    std::size_t safe_end = keep_tail(view, position);
                    TRY(part_data(view.substr(position, safe_end - position)));
                    position = safe_end;
                    break;
                }
                TRY(part_data(view.substr(position, found - position)));
                TRY(end_part());
                position = found + delimiter.size();
                phase = Phase::AfterBoundary;
                progress = true;
                break;
            }
            case Phase::Epilogue:
                position = view.size();
                break;
            case Phase::Failed:
                return error;
            }
        }
        buffer.erase(0, position);
        return {};
    }

    // Where the bytes that cannot yet be told apart from the start of a
    // delimiter begin: they wait for the next chunk.
    std::size_t keep_tail(std::string_view view, std::size_t position) const
    {
        std::size_t const keep = delimiter.size() - 1;
        if (view.size() - position <= keep)
            return position;
        std::size_t start = view.size() - keep;
        std::size_t carriage_return = view.find('\r', start);
        return carriage_return == std::string_view::npos ? view.size() : carriage_return;
    }

    ErrorOr<void> begin_part(std::string_view block)
    {
        part_is_file = false;
        part_name.clear();
        part_file_name.clear();
        part_content_type.clear();
        field_value.clear();
        file_size = 0;

        std::optional<std::string> disposition;
        std::optional<std::string> content_type;
        // Obsolete line folding (a line starting with a space continues the
        // previous one) is joined back before the fields are read.
        std::vector<std::string> lines;
        std::size_t start = 0;
        while (start <= block.size()) {
            std::size_t end = block.find("\r\n", start);
            if (end == std::string_view::npos)
                end = block.size();
            std::string_view line = block.substr(start, end - start);
            start = end + 2;
            if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !lines.empty()) {
                lines.back() += ' ';
                lines.back() += trim(line);
            } else {
                lines.emplace_back(line);
            }
        }
        for (auto const& line : lines) {
            std::size_t colon = line.find(':');
            if (colon == std::string::npos || colon == 0)
                return Error::invalid(malformed_message, "malformed part header");
            std::string_view name = std::string_view(line).substr(0, colon);
            std::string_view value = trim(std::string_view(line).substr(colon + 1));
            if (equals_ignoring_case(name, "content-disposition")) {
                if (disposition)
                    return Error::invalid(malformed_message, "duplicate Content-Disposition");
                disposition = std::string(value);
            } else if (equals_ignoring_case(name, "content-type")) {
                content_type = std::string(value);
            }
        }
        if (!disposition)
            return Error::invalid(malformed_message, "part without Content-Disposition");

        std::string_view disposition_view = *disposition;
        std::size_t semicolon = disposition_view.find(';');
        if (!equals_ignoring_case(trim(disposition_view.substr(0, semicolon)), "form-data"))
            return Error::invalid(malformed_message, "part disposition is not form-data");
        std::optional<std::vector<Parameter>> parameters;
        if (semicolon != std::string_view::npos)
            parameters = parse_parameters(disposition_view.substr(semicolon + 1));
        if (!parameters)
            return Error::invalid(malformed_message, "malformed Content-Disposition parameters");

        auto name = find_parameter(*parameters, "name");
        if (!name)
            return Error::invalid(malformed_message, "part without a name");
        if (!is_valid_utf8(*name))
            return Error::invalid(invalid_text_message, "part name is not valid UTF-8");
        part_name = std::move(*name);

        auto file_name = find_parameter(*parameters, "filename");
        auto extended_file_name = find_parameter(*parameters, "filename*");
        if (extended_file_name) {
            // RFC 6266: filename* wins over filename when both are present.
            std::string decoded = TRY(decode_extended_value(*extended_file_name));
            part_file_name = TRY(clean_file_name(decoded));
            part_is_file = true;
        } else if (file_name) {
            part_file_name = TRY(clean_file_name(*file_name));
            part_is_file = true;
        }
        if (part_is_file) {
            part_content_type = content_type && !content_type->empty() ? *content_type : "application/octet-stream";
            for (char c : part_content_type) {
                auto byte = static_cast<unsigned char>(c);
                if (byte < 0x20 || byte >= 0x7F)
                    return Error::invalid(malformed_message, "bad part Content-Type");
            }
        }
        return {};
    }

    ErrorOr<void> open_temp_file()
    {
        if (sodium_init() < 0)
            return Error::internal("libsodium could not be initialised");
        for (int attempt = 0; attempt < 8; ++attempt) {
            std::filesystem::path candidate = directory / ("upload-" + random_hex(16) + ".part");
            int opened = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
            if (opened >= 0) {
                fd = opened;
                temp_path = std::move(candidate);
                return {};
            }
            if (errno != EEXIST)
                return Error::internal(std::string("cannot create upload file: ") + std::strerror(errno));
        }
        return Error::internal("cannot find a free upload file name");
    }

    ErrorOr<void> part_data(std::string_view data)
    {
        if (data.empty())
            return {};
        if (!part_is_file) {
            if (data.size() > limits.max_field_size - std::min(limits.max_field_size, field_value.size()))
                return Error::too_large(field_too_large_message, "multipart field too large");
            field_value.append(data);
            return {};
        }
        if (part_file_name.empty())
            return Error::invalid(bad_file_name_message, "file content without a file name");
        if (data.size() > limits.max_file_size - std::min(limits.max_file_size, file_size))
            return Error::too_large(file_too_large_message, "uploaded file too large");
        if (fd < 0)
            TRY(open_temp_file());
        while (!data.empty()) {
            ssize_t written = ::write(fd, data.data(), data.size());
            if (written < 0) {
                if (errno == EINTR)
                    continue;
                return Error::internal(std::string("cannot write upload file: ") + std::strerror(errno));
            }
            data.remove_prefix(static_cast<std::size_t>(written));
            file_size += static_cast<std::uint64_t>(written);
        }
        return {};
    }

    ErrorOr<void> end_part()
    {
        if (!part_is_file) {
            if (!is_valid_utf8(field_value))
                return Error::invalid(invalid_text_message, "multipart field is not valid UTF-8");
            fields.add(std::move(part_name), std::move(field_value));
            field_value.clear();
            return {};
        }
        // An empty file input: the browser sends the part all the same.
        if (part_file_name.empty() && file_size == 0)
            return {};
        if (fd < 0)
            TRY(open_temp_file());
        int to_close = std::exchange(fd, -1);
        if (::close(to_close) != 0)
            return Error::internal(std::string("cannot close upload file: ") + std::strerror(errno));
        files.push_back({ std::move(part_name), std::move(part_file_name), std::move(part_content_type),
            std::move(temp_path), file_size });
        temp_path.clear();
        return {};
    }
};

MultipartParser::MultipartParser(
    std::string const& boundary, std::filesystem::path upload_directory, MultipartLimits limits)
    : m_state(std::make_unique<State>())
{
    m_state->directory = std::move(upload_directory);
    m_state->limits = limits;
    m_state->delimiter = "\r\n--" + boundary;
    // The first boundary may open the body without the CRLF that precedes
    // every other one: a virtual CRLF lets one search find them all.
    m_state->buffer = "\r\n";
    if (!is_valid_boundary(boundary))
        m_state->fail(Error::invalid(malformed_message, "invalid multipart boundary"));
}

MultipartParser::~MultipartParser() = default;

ErrorOr<void> MultipartParser::feed(std::string_view chunk)
{
    if (m_state->phase == State::Phase::Failed)
        return m_state->error;
    if (m_state->phase == State::Phase::Epilogue)
        return {};
    m_state->buffer.append(chunk);
    auto result = m_state->process();
    if (result.is_error())
        return m_state->fail(result.release_error());
    return {};
}

ErrorOr<void> MultipartParser::finish()
{
    if (m_state->phase == State::Phase::Failed)
        return m_state->error;
    if (m_state->phase != State::Phase::Epilogue)
        return m_state->fail(Error::invalid(incomplete_message, "multipart body without closing boundary"));
    return {};
}

FormFields const& MultipartParser::fields() const
{
    return m_state->fields;
}

std::vector<UploadedFile> const& MultipartParser::files() const
{
    return m_state->files;
}

std::vector<UploadedFile> MultipartParser::release_files()
{
    return std::exchange(m_state->files, {});
}

} // namespace cartable::http
