// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/directory/import/aaf_reader.h"
#include <libxml/xmlreader.h>
#include <string_view>

namespace cartable::directory::aaf {

namespace {

std::string trimmed(char const* text)
{
    std::string_view view(text ? text : "");
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!view.empty() && is_space(view.front()))
        view.remove_prefix(1);
    while (!view.empty() && is_space(view.back()))
        view.remove_suffix(1);
    return std::string(view);
}

std::string_view name_of(xmlTextReaderPtr reader)
{
    auto const* name = xmlTextReaderConstLocalName(reader);
    return name ? std::string_view(reinterpret_cast<char const*>(name)) : std::string_view {};
}

std::string attribute_of(xmlTextReaderPtr reader, char const* attribute)
{
    auto* value = xmlTextReaderGetAttribute(reader, reinterpret_cast<xmlChar const*>(attribute));
    std::string result = value ? reinterpret_cast<char const*>(value) : "";
    xmlFree(value);
    return result;
}

constexpr std::pair<std::string_view, Kind> KINDS[] = {
    { "EtabEducNat", Kind::Structure },
    { "MatiereEducNat", Kind::Subject },
    { "MefEducNat", Kind::Mef },
    { "Eleve", Kind::Student },
    { "PersRelEleve", Kind::Guardian },
    { "PersEducNat", Kind::Staff },
};

} // namespace

std::vector<std::string> const* Record::values(std::string const& name) const
{
    auto found = attributes.find(name);
    return found == attributes.end() ? nullptr : &found->second;
}

std::string Record::first(std::string const& name) const
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

struct Reader::State {
    xmlTextReaderPtr reader { nullptr };
    ~State()
    {
        if (reader)
            xmlFreeTextReader(reader);
    }
};

Reader::~Reader() = default;

ErrorOr<std::unique_ptr<Reader>> Reader::open(std::filesystem::path const& file)
{
    std::unique_ptr<Reader> result(new Reader());
    result->m_state = std::make_unique<State>();
    // No network, no entity expansion from outside: the file only.
    result->m_state->reader = xmlReaderForFile(file.c_str(), nullptr,
        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE | XML_PARSE_COMPACT
            | XML_PARSE_BIG_LINES);
    if (!result->m_state->reader)
        return Error::invalid("Le fichier " + file.filename().string() + " ne peut pas être lu.");
    return result;
}

long long Reader::bytes_read() const
{
    return static_cast<long long>(xmlTextReaderByteConsumed(m_state->reader));
}

ErrorOr<std::optional<Record>> Reader::next()
{
    auto* reader = m_state->reader;
    std::optional<Record> record;
    // Where we are inside a record.
    std::string attribute; // <attr name> or <modification name> being read
    bool in_identifier = false;
    bool in_value = false;
    bool in_id = false;
    std::string text;
    int depth_of_record = -1;
    while (true) {
        int status = xmlTextReaderRead(reader);
        if (status == 0)
            return record
                ? ErrorOr<std::optional<Record>>(Error::invalid("fin de fichier au milieu d'un enregistrement"))
                : ErrorOr<std::optional<Record>>(std::optional<Record> {});
        if (status < 0) {
            int line = xmlTextReaderGetParserLineNumber(reader);
            return Error::invalid(
                "XML mal formé vers la ligne " + std::to_string(line) + " : la suite du fichier ne peut pas être lue.");
        }
        auto type = xmlTextReaderNodeType(reader);
        auto name = name_of(reader);
        int depth = xmlTextReaderDepth(reader);
        if (type == XML_READER_TYPE_ELEMENT) {
            bool empty = xmlTextReaderIsEmptyElement(reader) != 0;
            if (!record) {
                std::optional<Operation> operation;
                if (name == "addRequest")
                    operation = Operation::Add;
                else if (name == "modifyRequest")
                    operation = Operation::Modify;
                else if (name == "deleteRequest")
                    operation = Operation::Delete;
                if (operation) {
                    record = Record {};
                    record->operation = *operation;
                    // The line of the element itself (the parser reads ahead).
                    auto* node = xmlTextReaderCurrentNode(reader);
                    auto line = node ? xmlGetLineNo(node) : -1;
                    record->line = line > 0 ? static_cast<int>(line) : xmlTextReaderGetParserLineNumber(reader);
                    depth_of_record = depth;
                    if (empty)
                        return record;
                }
                continue;
            }
            if (name == "identifier") {
                in_identifier = !empty;
            } else if (name == "id" && in_identifier) {
                in_id = !empty;
                text.clear();
            } else if (name == "attr" || name == "modification") {
                attribute = attribute_of(reader, "name");
                if (name == "modification") {
                    auto operation = attribute_of(reader, "operation");
                    if (operation != "replace" && record->malformed.empty())
                        record->malformed.append("opération « ")
                            .append(operation)
                            .append(" » non prise en charge sur ")
                            .append(attribute)
                            .append(" (seul replace est accepté)");
                }
                // Attributes of operationalAttributes are not the record's.
                if (!attribute.empty())
                    record->attributes.try_emplace(attribute);
                if (empty)
                    attribute.clear();
            } else if (name == "value" && !attribute.empty()) {
                in_value = !empty;
                text.clear();
            }
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA
            || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            if (in_value || in_id) {
                auto const* value = xmlTextReaderConstValue(reader);
                if (value)
                    text += reinterpret_cast<char const*>(value);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT && record) {
            if (name == "value" && in_value) {
                in_value = false;
                auto value = trimmed(text.c_str());
                if (!value.empty())
                    record->attributes[attribute].push_back(std::move(value));
            } else if (name == "id" && in_id) {
                in_id = false;
                record->id = trimmed(text.c_str());
            } else if (name == "identifier") {
                in_identifier = false;
            } else if (name == "attr" || name == "modification") {
                attribute.clear();
            } else if (depth == depth_of_record) {
                return record;
            }
        }
    }
}

} // namespace cartable::directory::aaf
