// SPDX-License-Identifier: AGPL-3.0-or-later
// The import of a timetable from a CSV file (docs/timetable-csv.md): a
// preview of each line (what will be created, or why not), then « Importer »
// replaces the slots of the classes named in the file, in one transaction,
// nothing written when a line is wrong.
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/directory/import/csv_reader.h"
#include "services/timetable/timetable_internal.h"
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace cartable::timetable {

namespace {

constexpr std::uint64_t FILE_MAX = 1U << 20;
constexpr std::size_t LINES_MAX = 3000;
using Choices = std::vector<std::pair<long long, std::string>>;

struct Line {
    int number { 0 };
    std::vector<std::string>
        cells; // classe, jour, debut, fin, matiere, enseignant, salle, semaine, valable_du, valable_au
    std::optional<Slot> slot;
    std::string error;
};

struct Teacher {
    long long id { 0 };
    std::string login;
    std::string name; // « Samuel BEAUMONT »
};

struct Reference {
    Choices classes;
    std::vector<std::tuple<long long, std::string, std::string>> subjects; // id, code, label
    std::vector<Teacher> teachers;
    std::vector<Slot> slots; // the structure's
};

Reference reference_of(soci::session& session, long long structure_id)
{
    Reference reference;
    reference.classes = classes_of_structure(session, structure_id);
    soci::rowset<soci::row> subjects = (session.prepare << "SELECT id, code, label FROM identity_subject WHERE "
                                                           "structure_id = :structure",
        soci::use(structure_id));
    for (auto const& row : subjects)
        reference.subjects.emplace_back(integer_of(row, 0), row.get<std::string>(1), row.get<std::string>(2));
    soci::rowset<soci::row> teachers
        = (session.prepare << "SELECT id, login, first_name, last_name FROM identity_user WHERE structure_id = "
                              ":structure AND profile = 'teacher' AND active = 1",
            soci::use(structure_id));
    for (auto const& row : teachers) {
        Teacher teacher;
        teacher.id = integer_of(row, 0);
        teacher.login = row.get<std::string>(1);
        teacher.name = row.get<std::string>(2);
        teacher.name += ' ';
        teacher.name += row.get<std::string>(3);
        reference.teachers.push_back(std::move(teacher));
    }
    reference.slots = slots_of_structure(session, structure_id);
    return reference;
}

bool same_text(std::string_view one, std::string_view other)
{
    return fold_accents(trim_text(one)) == fold_accents(trim_text(other));
}

constexpr char const* COLUMNS[]
    = { "classe", "jour", "debut", "fin", "matiere", "enseignant", "salle", "semaine", "valable_du", "valable_au" };

// The lines of the file checked against the structure: each with its slot
// or its French error.
ErrorOr<std::vector<Line>> check(std::string const& bytes, Reference const& reference, long long structure_id)
{
    auto table = directory::csv::parse(bytes);
    if (table.is_error())
        return Error::invalid("Le fichier n'est pas un CSV lisible : " + table.error().message_key);
    auto const& header = table.value().header;
    std::vector<int> positions;
    for (auto const* column : COLUMNS) {
        int found = -1;
        for (std::size_t index = 0; index < header.size(); ++index) {
            if (directory::csv::column_key(header[index]) == directory::csv::column_key(column))
                found = static_cast<int>(index);
        }
        positions.push_back(found);
    }
    for (std::size_t index = 0; index < 5; ++index) {
        if (positions[index] < 0)
            return Error::invalid(std::string("La colonne « ") + COLUMNS[index]
                + " » manque dans la première ligne (classe;jour;debut;fin;matiere;enseignant;salle;semaine).");
    }
    if (table.value().rows.size() > LINES_MAX)
        return Error::invalid("Le fichier a plus de 3 000 lignes : découpez-le.");
    if (table.value().rows.empty())
        return Error::invalid("Le fichier ne contient aucun créneau sous sa première ligne.");
    std::vector<Line> lines;
    std::set<long long> named_classes;
    for (auto const& row : table.value().rows) {
        Line line;
        line.number = row.line;
        for (auto position : positions)
            line.cells.push_back(position >= 0 && static_cast<std::size_t>(position) < row.fields.size()
                    ? row.fields[static_cast<std::size_t>(position)]
                    : std::string());
        SlotFields fields;
        for (auto const& [id, name] : reference.classes) {
            if (same_text(name, line.cells[0]))
                fields.class_id = std::to_string(id);
        }
        fields.weekday = line.cells[1];
        fields.start = line.cells[2];
        fields.end = line.cells[3];
        for (auto const& [id, code, label] : reference.subjects) {
            if (same_text(code, line.cells[4]) || same_text(label, line.cells[4]))
                fields.subject_id = std::to_string(id);
        }
        for (auto const& teacher : reference.teachers) {
            if (!line.cells[5].empty()
                && (same_text(teacher.login, line.cells[5]) || same_text(teacher.name, line.cells[5])))
                fields.teacher_id = std::to_string(teacher.id);
        }
        fields.room = line.cells[6];
        fields.week = same_text(line.cells[7], "toutes") ? std::string() : line.cells[7];
        fields.valid_from = line.cells[8];
        fields.valid_until = line.cells[9];
        if (fields.class_id.empty())
            line.error = "Classe inconnue : « " + line.cells[0] + " ».";
        else if (!weekday_of(fields.weekday))
            line.error = "Jour inconnu : « " + line.cells[1] + " » (lundi … samedi).";
        else if (fields.subject_id.empty())
            line.error = "Matière inconnue : « " + line.cells[4] + " » (code ou libellé).";
        else if (!line.cells[5].empty() && fields.teacher_id.empty())
            line.error = "Enseignant inconnu : « " + line.cells[5] + " » (identifiant ou « Prénom NOM »).";
        if (line.error.empty()) {
            Choices subjects;
            for (auto const& [id, code, label] : reference.subjects)
                subjects.emplace_back(id, label);
            Choices teachers;
            for (auto const& teacher : reference.teachers)
                teachers.emplace_back(teacher.id, teacher.name);
            auto parsed = slot_of_fields(fields, structure_id, reference.classes, subjects, teachers);
            if (parsed.is_error())
                line.error = parsed.error().message_key;
            else
                line.slot = parsed.release_value();
        }
        if (line.slot)
            named_classes.insert(line.slot->class_id);
        lines.push_back(std::move(line));
    }
    // Overlaps: with the slots of the classes the file leaves alone, and
    // between the file's own lines.
    std::vector<Slot> kept;
    for (auto const& slot : reference.slots) {
        if (!named_classes.contains(slot.class_id))
            kept.push_back(slot);
    }
    for (auto& line : lines) {
        if (!line.slot)
            continue;
        if (auto refusal = slot_refusal_among(*line.slot, kept)) {
            line.error = *refusal;
            line.slot.reset();
            continue;
        }
        kept.push_back(*line.slot);
    }
    return lines;
}

std::string read_upload(http::Request const& request, std::string& error)
{
    for (auto const& file : request.files) {
        if (file.field_name != "fichier" || file.file_name.empty())
            continue;
        if (file.size > FILE_MAX) {
            error = "Le fichier dépasse 1 Mo.";
            return {};
        }
        std::ifstream in(file.path, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        return bytes.str();
    }
    return request.form.get("contenu");
}

http::Response render_import(Context& context, std::vector<Line> const& lines, std::string const& content,
    std::string const& error, std::string const& notice)
{
    view::Data data;
    data.set("error", error);
    data.set("notice", notice);
    view::List rows;
    std::size_t wrong = 0;
    for (auto const& line : lines) {
        view::Data row;
        row.set("number", std::to_string(line.number));
        view::List cells;
        for (auto const& cell : line.cells)
            cells.emplace_back(cell);
        row.set("cells", std::move(cells));
        row.set("error", line.error);
        row.set("ok", line.slot.has_value() && line.error.empty());
        if (line.slot && line.error.empty()) {
            auto const& slot = *line.slot;
            std::string what = slot.class_name + " : " + slot.subject_label + " le " + slot_when(slot);
            if (!slot.teacher_name.empty())
                what += ", avec " + slot.teacher_name;
            if (!slot.room.empty())
                what += ", salle " + slot.room;
            if (!slot.week.empty())
                what += ", semaine " + slot.week;
            row.set("what", std::move(what));
        }
        if (!line.error.empty())
            ++wrong;
        rows.push_back(std::move(row));
    }
    data.set("has_lines", !rows.empty());
    data.set("lines", std::move(rows));
    data.set("wrong", wrong != 0);
    data.set("wrong_count", std::to_string(wrong));
    data.set("may_import", !lines.empty() && wrong == 0);
    data.set("content", content);
    auto response = view::render(context, "timetable/import", std::move(data), "Importer l'emploi du temps",
        view::MenuEntry::Timetable, error.empty() && wrong == 0 ? 200 : 422);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

ErrorOr<http::Response> show_import(Context& context)
{
    std::string notice;
    auto const count = context.request.query.get("importe");
    if (!count.empty() && parse_id(count) != 0)
        notice = count + " créneaux importés.";
    return render_import(context, {}, {}, {}, notice);
}

ErrorOr<http::Response> post_import(Context& context)
{
    std::string error;
    auto const content = read_upload(context.request, error);
    if (!error.empty())
        return render_import(context, {}, {}, error, {});
    if (content.empty())
        return render_import(context, {}, {}, "Choisissez un fichier CSV à importer.", {});
    if (content.size() > FILE_MAX)
        return render_import(context, {}, {}, "Le fichier dépasse 1 Mo.", {});
    auto utf8 = directory::csv::to_utf8(content);
    if (utf8.is_error())
        return render_import(context, {}, {}, "Le fichier n'est pas un texte lisible.", {});
    auto const text = utf8.release_value();
    auto const structure_id = context.user().structure_id;
    auto const reference = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<Reference> { return reference_of(session, structure_id); }));
    auto checked = check(text, reference, structure_id);
    if (checked.is_error())
        return render_import(context, {}, {}, checked.error().message_key, {});
    auto const lines = checked.release_value();
    auto const wrong = std::any_of(lines.begin(), lines.end(), [](Line const& line) { return !line.error.empty(); });
    if (context.request.form.get("confirmer") != "1" || wrong)
        return render_import(context, lines, text, {}, {});
    // « Importer »: the slots of the classes named replaced, in one transaction.
    auto const actor = context.user().id;
    auto const imported = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::size_t> {
        std::set<long long> classes;
        for (auto const& line : lines)
            classes.insert(line.slot->class_id);
        for (auto class_id : classes) {
            for (auto const& slot : slots_of_class(session, class_id))
                delete_slot(session, slot.id);
        }
        for (auto const& line : lines)
            insert_slot(session, *line.slot, context.now);
        identity::store::audit(session, actor, "timetable_import",
            std::to_string(lines.size()) + " créneaux, " + std::to_string(classes.size()) + " classes");
        return lines.size();
    }));
    return http::Response::redirect("/emploi-du-temps/import?importe=" + std::to_string(imported));
}

} // namespace

std::vector<http::Route> import_routes()
{
    using http::Method;
    return {
        { Method::Get, "/emploi-du-temps/import", MANAGE, show_import },
        { Method::Post, "/emploi-du-temps/import", MANAGE, post_import },
    };
}

} // namespace cartable::timetable
