// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/directory/import/aaf_reader.h"
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <variant>

namespace cartable::directory::aaf {

namespace {

std::string trimmed(std::string_view view)
{
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!view.empty() && is_space(view.front()))
        view.remove_prefix(1);
    while (!view.empty() && is_space(view.back()))
        view.remove_suffix(1);
    return std::string(view);
}

std::string_view text_of(xmlChar const* text)
{
    return text ? std::string_view(reinterpret_cast<char const*>(text)) : std::string_view {};
}

// The value of an attribute of the element, from SAX2's array of
// (localname, prefix, URI, value start, value end) for each.
std::string attribute_of(int count, xmlChar const** attributes, std::string_view name)
{
    for (int index = 0; index < count; ++index) {
        auto const** attribute = attributes + static_cast<std::ptrdiff_t>(index) * 5;
        if (text_of(attribute[0]) == name)
            return { reinterpret_cast<char const*>(attribute[3]), reinterpret_cast<char const*>(attribute[4]) };
    }
    return {};
}

constexpr std::pair<std::string_view, Kind> KINDS[] = {
    { "EtabEducNat", Kind::Structure },
    { "MatiereEducNat", Kind::Subject },
    { "MefEducNat", Kind::Mef },
    { "Eleve", Kind::Student },
    { "PersRelEleve", Kind::Guardian },
    { "PersEducNat", Kind::Staff },
};

constexpr std::size_t CHUNK = std::size_t { 256 } * 1024; // bytes handed to the parser at a time

} // namespace

std::vector<std::string> const* Record::values(std::string_view name) const
{
    auto found = attributes.find(name);
    return found == attributes.end() ? nullptr : &found->second;
}

std::string Record::first(std::string_view name) const
{
    auto const* found = values(name);
    return found && !found->empty() ? found->front() : std::string();
}

std::optional<Kind> kind_of_file(std::string const& file_name)
{
    if (!file_name.ends_with(".xml"))
        return std::nullopt;
    // …_<Kind>_<NNNN>.xml
    auto end = file_name.rfind('_');
    if (end == std::string::npos)
        return std::nullopt;
    auto start = file_name.rfind('_', end - 1);
    if (start == std::string::npos)
        return std::nullopt;
    auto kind = std::string_view(file_name).substr(start + 1, end - start - 1);
    for (auto const& [name, value] : KINDS) {
        if (name == kind)
            return value;
    }
    return std::nullopt;
}

bool is_full_export(std::string const& file_name)
{
    return file_name.find("_Complet_") != std::string::npos;
}

char const* kind_label(Kind kind)
{
    switch (kind) {
    case Kind::Structure:
        return "EtabEducNat";
    case Kind::Subject:
        return "MatiereEducNat";
    case Kind::Mef:
        return "MefEducNat";
    case Kind::Student:
        return "Eleve";
    case Kind::Guardian:
        return "PersRelEleve";
    case Kind::Staff:
        return "PersEducNat";
    }
    return "";
}

namespace {

// libxml2's SAX2 push parser, fed the file a chunk at a time: the records
// it completes wait in `ready` until asked for. (The text reader built and
// freed a node per element, which cost as much as the parsing.)
struct Parsing {
    std::FILE* file { nullptr };
    xmlParserCtxtPtr parser { nullptr };
    std::vector<char> chunk = std::vector<char>(CHUNK);
    long long bytes { 0 };
    bool finished { false };
    std::deque<Record> ready;
    std::string error; // the XML is broken: what next() returns after `ready`

    // Where we are inside a record.
    std::optional<Record> record;
    int depth { 0 };
    int depth_of_record { -1 };
    std::string attribute; // <attr name> or <modification name> being read
    bool in_operational { false };
    bool in_identifier { false };
    bool in_value { false };
    bool in_id { false };
    std::string text;

    Parsing() = default;
    Parsing(Parsing const&) = delete;
    Parsing& operator=(Parsing const&) = delete;
    ~Parsing()
    {
        if (parser)
            xmlFreeParserCtxt(parser);
        if (file)
            std::fclose(file);
    }

    int line() const { return parser ? xmlSAX2GetLineNumber(parser) : 0; }

    void start(std::string_view name, int attribute_count, xmlChar const** attributes)
    {
        ++depth;
        if (!record) {
            std::optional<Operation> operation;
            if (name == "addRequest")
                operation = Operation::Add;
            else if (name == "modifyRequest")
                operation = Operation::Modify;
            else if (name == "deleteRequest")
                operation = Operation::Delete;
            if (operation) {
                record.emplace();
                record->operation = *operation;
                record->line = line();
                depth_of_record = depth;
            }
            return;
        }
        if (name == "identifier") {
            in_identifier = true;
        } else if (name == "id" && in_identifier) {
            in_id = true;
            text.clear();
        } else if (name == "operationalAttributes") {
            in_operational = true;
        } else if (name == "attr" || name == "modification") {
            attribute = attribute_of(attribute_count, attributes, "name");
            if (name == "modification") {
                auto operation = attribute_of(attribute_count, attributes, "operation");
                if (operation != "replace" && record->malformed.empty())
                    record->malformed.append("opération « ")
                        .append(operation)
                        .append(" » non prise en charge sur ")
                        .append(attribute)
                        .append(" (seul replace est accepté)");
            }
            // Attributes of operationalAttributes are not the record's.
            if (in_operational)
                attribute.clear();
            if (!attribute.empty())
                record->attributes.try_emplace(attribute);
        } else if (name == "value" && !attribute.empty()) {
            in_value = true;
            text.clear();
        }
    }

    void end(std::string_view name)
    {
        int closed = depth--;
        if (!record)
            return;
        if (name == "value" && in_value) {
            in_value = false;
            auto value = trimmed(text);
            if (!value.empty())
                record->attributes[attribute].push_back(std::move(value));
        } else if (name == "id" && in_id) {
            in_id = false;
            record->id = trimmed(text);
        } else if (name == "identifier") {
            in_identifier = false;
        } else if (name == "operationalAttributes") {
            in_operational = false;
        } else if (name == "attr" || name == "modification") {
            attribute.clear();
        } else if (closed == depth_of_record) {
            ready.push_back(std::move(*record));
            record.reset();
        }
    }

    void characters(char const* characters, int length)
    {
        if (in_value || in_id)
            text.append(characters, static_cast<std::size_t>(length));
    }

    // Hands the parser the next chunk of the file (or its end).
    void feed()
    {
        auto count = std::fread(chunk.data(), 1, chunk.size(), file);
        bytes += static_cast<long long>(count);
        int status = xmlParseChunk(parser, chunk.data(), static_cast<int>(count), count == 0 ? 1 : 0);
        if (status != 0) {
            error = "XML mal formé vers la ligne " + std::to_string(line())
                + " : la suite du fichier ne peut pas être lue.";
            finished = true;
            return;
        }
        if (count == 0) {
            finished = true;
            if (record)
                error = "fin de fichier au milieu d'un enregistrement";
        }
    }
};

Parsing& state_of(void* context)
{
    return *static_cast<Parsing*>(context);
}

void on_start(void* context, xmlChar const* name, xmlChar const*, xmlChar const*, int, xmlChar const**,
    int attribute_count, int, xmlChar const** attributes)
{
    state_of(context).start(text_of(name), attribute_count, attributes);
}

void on_end(void* context, xmlChar const* name, xmlChar const*, xmlChar const*)
{
    state_of(context).end(text_of(name));
}

void on_characters(void* context, xmlChar const* characters, int length)
{
    state_of(context).characters(reinterpret_cast<char const*>(characters), length);
}

void on_error(void*, xmlErrorPtr) { } // the failing xmlParseChunk says it

} // namespace

struct Reader::State : Parsing { };

Reader::~Reader() = default;

ErrorOr<std::unique_ptr<Reader>> Reader::open(std::filesystem::path const& file)
{
    std::unique_ptr<Reader> result(new Reader());
    result->m_state = std::make_unique<State>();
    auto& state = *result->m_state;
    state.file = std::fopen(file.c_str(), "rb");
    // Only elements and text: no DTD, no entity declared in the file is
    // expanded, nothing is fetched from the network.
    static xmlSAXHandler handler = [] {
        xmlSAXHandler sax {};
        sax.initialized = XML_SAX2_MAGIC;
        sax.startElementNs = on_start;
        sax.endElementNs = on_end;
        sax.characters = on_characters;
        sax.cdataBlock = on_characters;
        sax.ignorableWhitespace = on_characters;
        sax.serror = on_error;
        return sax;
    }();
    if (state.file)
        state.parser = xmlCreatePushParserCtxt(&handler, static_cast<Parsing*>(&state), nullptr, 0, file.c_str());
    if (!state.parser)
        return Error::invalid("Le fichier " + file.filename().string() + " ne peut pas être lu.");
    xmlCtxtUseOptions(
        state.parser, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE | XML_PARSE_BIG_LINES);
    return result;
}

long long Reader::bytes_read() const
{
    return m_state->bytes;
}

ErrorOr<std::optional<Record>> Reader::next()
{
    auto& state = *m_state;
    while (state.ready.empty() && !state.finished)
        state.feed();
    if (!state.ready.empty()) {
        auto record = std::move(state.ready.front());
        state.ready.pop_front();
        return std::optional<Record>(std::move(record));
    }
    if (!state.error.empty())
        return Error::invalid(state.error);
    return std::optional<Record> {};
}

// The batches read ahead, and what the reading thread and the import share.
struct ReadAhead::Shared {
    static constexpr std::size_t AHEAD = 2; // batches waiting at most

    std::vector<std::filesystem::path> files;
    std::size_t batch_size { 500 };
    std::mutex mutex;
    std::condition_variable changed;
    // A batch, the end of the files (nothing), or an error that stops all.
    std::deque<std::variant<std::optional<ReadBatch>, Error>> items;
    bool stopping { false };
    std::vector<ReadBatch> spent; // applied, to be freed here
    std::thread thread;

    // False if the import stopped listening.
    bool hand_over(std::variant<std::optional<ReadBatch>, Error> item)
    {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stopping || items.size() < AHEAD; });
        if (stopping)
            return false;
        items.push_back(std::move(item));
        changed.notify_all();
        return true;
    }

    void read_all()
    {
        try {
            for (std::size_t index = 0; index < files.size(); ++index) {
                auto reader = Reader::open(files[index]);
                if (reader.is_error()) {
                    hand_over(reader.error());
                    return;
                }
                if (!read_file(index, *reader.value()))
                    return;
            }
            hand_over(std::optional<ReadBatch> {});
        } catch (std::exception const& failure) {
            hand_over(Error::internal(std::string("reading the AAF files: ") + failure.what()));
        }
    }

    bool read_file(std::size_t index, Reader& reader)
    {
        std::unordered_set<std::string> ids; // of the batch being filled
        std::optional<Record> carried; // the record that starts the next batch
        bool more = true;
        std::vector<ReadBatch> freed;
        while (more) {
            {
                std::lock_guard lock(mutex);
                freed.swap(spent);
            }
            freed.clear();
            ReadBatch batch;
            batch.file = index;
            ids.clear();
            if (carried) {
                ids.insert(carried->id);
                batch.records.push_back(std::move(*carried));
                carried.reset();
            }
            while (batch.records.size() < batch_size) {
                auto next = reader.next();
                if (next.is_error()) {
                    batch.error = next.error().message_key;
                    more = false;
                    break;
                }
                if (!next.value()) {
                    more = false;
                    break;
                }
                auto& record = *next.value();
                if (!record.id.empty() && !ids.insert(record.id).second) {
                    carried = std::move(record);
                    break;
                }
                batch.records.push_back(std::move(record));
            }
            more = more || carried.has_value();
            batch.bytes_read = reader.bytes_read();
            if (!hand_over(std::optional<ReadBatch>(std::move(batch))))
                return false;
        }
        return true;
    }
};

ReadAhead::ReadAhead(std::vector<std::filesystem::path> files, std::size_t batch_size)
    : m_shared(std::make_unique<Shared>())
{
    xmlInitParser(); // before libxml2 is used by another thread
    m_shared->files = std::move(files);
    m_shared->batch_size = batch_size > 0 ? batch_size : 1;
    m_shared->thread = std::thread([shared = m_shared.get()] { shared->read_all(); });
}

ReadAhead::~ReadAhead()
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->stopping = true;
    }
    m_shared->changed.notify_all();
    m_shared->thread.join();
}

void ReadAhead::recycle(ReadBatch&& batch)
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->spent.push_back(std::move(batch));
}

ErrorOr<std::optional<ReadBatch>> ReadAhead::next()
{
    std::unique_lock lock(m_shared->mutex);
    m_shared->changed.wait(lock, [&] { return !m_shared->items.empty(); });
    auto item = std::move(m_shared->items.front());
    m_shared->items.pop_front();
    m_shared->changed.notify_all();
    if (auto* error = std::get_if<Error>(&item))
        return std::move(*error);
    return std::move(std::get<std::optional<ReadBatch>>(item));
}

} // namespace cartable::directory::aaf
