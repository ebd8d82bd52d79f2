// SPDX-License-Identifier: AGPL-3.0-or-later
// The families' side of the vie scolaire: a student's « Absences et retards »
// (the student, the guardians, the staff who see him), « Justifier » an
// absence, « Déclarer une absence » in advance, the acknowledgement page and
// its file, and the CPE's « Justificatifs à traiter » with the decision.
#include "core/db/row.h"
#include "core/files.h"
#include "core/http/static_files.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/identity/tokens.h"
#include "core/log.h"
#include "core/school/periods.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/attendance/attendance_family_store.h"
#include "services/notifications/notifications.h"
#include <algorithm>
#include <fstream>

namespace cartable::attendance {

namespace {

using family::Declaration;
using family::EventRow;

constexpr char const* NO_STUDENT = "Cet élève n'existe pas ou ses absences ne vous sont pas accessibles.";
constexpr char const* NO_EVENT = "Cette absence n'existe pas ou ne vous est pas accessible.";
constexpr char const* NO_DECLARATION = "Ce justificatif n'existe pas ou ne vous est pas accessible.";
constexpr char const* ONLY_LEGAL
    = "Seuls les responsables légaux de l'élève peuvent justifier ou déclarer une absence.";
constexpr char const* ONLY_CPE = "Seule la vie scolaire (CPE) accepte ou refuse un justificatif.";
constexpr std::size_t COMMENT_MAX = 1000;
constexpr std::uint64_t FILE_MAX = 5ULL * 1024 * 1024;
constexpr long long PAST_DAYS = 30;
constexpr long long LONGEST_DAYS = 60;
constexpr long long AHEAD_DAYS = 366;

long long today_of(Context const& context)
{
    return school_time::day_of_unix(context.now);
}

std::filesystem::path file_directory(Config const& config)
{
    return config.data_directory / "attendance" / "justificatifs";
}

// Who reads a declaration (its comment and file: often medical): the
// student, his guardians, the vie scolaire and the direction; not teachers.
bool reads_declarations(Facts const& facts)
{
    return facts.is_self || facts.guardian
        || (facts.same_structure
            && ((facts.profile == access::Profile::Staff && facts.vie_scolaire) || facts.direction));
}

std::string when_text(long long unix_seconds)
{
    auto const local = school_time::local_from_unix(unix_seconds);
    auto const day = school_time::floor_div(local, school_time::MINUTES_PER_DAY);
    return school_time::long_day(day) + " à " + school_time::clock(local - (day * school_time::MINUTES_PER_DAY));
}

std::string hours_text(long long start, long long end)
{
    if (end <= start)
        return school_time::clock(start);
    return school_time::clock(start) + " – " + school_time::clock(end);
}

std::string kind_label(EventRow const& event)
{
    if (event.kind == "retard")
        return event.minutes > 0 ? "Retard (" + std::to_string(event.minutes) + " min)" : std::string("Retard");
    if (event.kind == "depart")
        return "Départ anticipé";
    return "Absence";
}

std::string range_text(Declaration const& declaration)
{
    auto text = "Du " + school_time::long_day(declaration.first_day);
    if (declaration.first_minute > 0)
        text += " à partir de " + school_time::clock(declaration.first_minute);
    text += " au " + school_time::long_day(declaration.last_day);
    if (declaration.last_minute < school_time::MINUTES_PER_DAY)
        text += " jusqu'à " + school_time::clock(declaration.last_minute);
    return text;
}

std::string event_path(long long id)
{
    return "/vie-scolaire/absences/" + std::to_string(id) + "/justifier";
}
std::string declaration_path(long long id)
{
    return "/vie-scolaire/declarations/" + std::to_string(id);
}

view::Data event_view(EventRow const& event, bool may_justify)
{
    view::Data entry;
    entry.set("date", school_time::long_day(event.day));
    entry.set("hours", hours_text(event.start_minute, event.end_minute));
    entry.set("subject", event.subject);
    entry.set("kind", kind_label(event));
    entry.set("state", std::string(state_label(event.state)));
    entry.set("state_code", std::string(state_store(event.state)));
    entry.set("motive", event.motive);
    entry.set("may_justify", may_justify && event.state == State::Unjustified);
    entry.set("justify_url", event_path(event.id));
    return entry;
}

view::Data declaration_view(Declaration const& declaration)
{
    view::Data entry;
    entry.set("url", declaration_path(declaration.id));
    entry.set("student", declaration.student_name);
    entry.set("class_name", declaration.class_name);
    entry.set("range", range_text(declaration));
    entry.set("motive", declaration.motive);
    entry.set("comment", declaration.comment);
    entry.set("has_file", !declaration.file_stored.empty());
    entry.set("file_name", declaration.file_name);
    entry.set("file_url", declaration_path(declaration.id) + "/justificatif");
    entry.set("file_size", i18n::format_size(static_cast<std::uint64_t>(std::max(0LL, declaration.file_size))));
    entry.set("state", family::declaration_state_label(declaration.state));
    entry.set("state_code", declaration.state);
    entry.set("sent", when_text(declaration.created_at));
    entry.set("guardian", declaration.guardian_name);
    entry.set("in_advance", declaration.event_id == 0);
    entry.set("id", std::to_string(declaration.id));
    return entry;
}

// The student a family page is about, and what the person may do.
struct Shown {
    identity::User student;
    std::vector<identity::User> children; // a guardian's, for the links to switch
    Facts facts;
    Rights rights;
};

// The student of ?eleve= (or the person, or a guardian's first child):
// anyone without the right to see him gets 404.
ErrorOr<Shown> shown_student(Context& context, std::string_view requested)
{
    auto const& user = context.user();
    Shown shown;
    auto const asked = parse_id(requested);
    if (!requested.empty() && asked == 0)
        return Error::not_found(NO_STUDENT, "bad student id");
    long long student_id = asked;
    if (user.profile == access::Profile::Guardian) {
        shown.children = TRY(context.services.children_of(user.id, context.now));
        if (student_id == 0 && !shown.children.empty())
            student_id = shown.children.front().id;
        if (student_id == 0)
            return shown;
    } else if (user.profile == access::Profile::Student && student_id == 0) {
        student_id = user.id;
    }
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Shown>> {
        auto student = identity::store::find_user(session, student_id);
        if (!student)
            return std::optional<Shown>();
        Shown result;
        result.student = *student;
        result.facts = facts_of(session, user, student_id);
        result.rights = right_from(result.facts);
        return std::optional<Shown>(std::move(result));
    }));
    if (!found || !found->rights.sees)
        return Error::not_found(NO_STUDENT, "attendance of a student not seen");
    found->children = std::move(shown.children);
    return std::move(*found);
}

// --- « Absences et retards » ------------------------------------------------

ErrorOr<http::Response> show_absences(Context& context)
{
    auto const& user = context.user();
    auto const requested = context.request.query.get("eleve");
    if (requested.empty() && user.profile == access::Profile::Teacher)
        return http::Response::redirect("/vie-scolaire/appel");
    if (requested.empty() && runs_desk(user))
        return http::Response::redirect("/vie-scolaire/bureau");
    if (requested.empty() && user.profile != access::Profile::Student && user.profile != access::Profile::Guardian)
        return Error::forbidden("La vie scolaire de l'établissement est tenue par les CPE et leurs assistants.",
            "attendance landing for staff outside the vie scolaire");
    auto shown = TRY(shown_student(context, requested));
    view::Data data;
    data.set("is_guardian", user.profile == access::Profile::Guardian);
    data.set("has_student", shown.student.id != 0);
    view::List children;
    for (auto const& child : shown.children) {
        view::Data entry;
        entry.set("name", child.display_name());
        entry.set("url", "/vie-scolaire?eleve=" + std::to_string(child.id));
        entry.set("current", child.id == shown.student.id);
        children.push_back(std::move(entry));
    }
    data.set("several_children", shown.children.size() > 1);
    data.set("children", std::move(children));
    if (shown.student.id == 0)
        return view::render(
            context, "attendance/family_absences", std::move(data), "Absences et retards", view::MenuEntry::Attendance);
    auto const today = today_of(context);
    auto const student_id = shown.student.id;
    auto const structure_id = shown.student.structure_id;
    bool const with_declarations = reads_declarations(shown.facts);
    struct Read {
        std::vector<school::Period> periods;
        std::vector<Counts> counts;
        std::vector<EventRow> events;
        std::vector<Declaration> declarations;
        std::vector<family::Punishment> punishments;
        std::string class_name;
    };
    auto read = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Read> {
        Read result;
        result.periods = school::periods_of(session, structure_id, today);
        for (auto const& period : result.periods)
            result.counts.push_back(counts_of(session, student_id, period.first_day, period.last_day));
        auto const first = result.periods.empty() ? today - 365 : result.periods.front().first_day;
        auto const last = result.periods.empty() ? today + 365 : result.periods.back().last_day;
        result.events = family::events_of(session, student_id, first, last);
        if (with_declarations)
            result.declarations = family::declarations_of(session, student_id);
        result.punishments = family::punishments_of(session, student_id, first, last);
        result.class_name = family::class_of(session, student_id);
        return result;
    }));
    data.set("student_name", shown.student.display_name());
    data.set("class_name", read.class_name);
    data.set("may_justify", shown.rights.justifies);
    data.set("action_column", shown.rights.justifies);
    data.set("declare_url", "/vie-scolaire/declarer?eleve=" + std::to_string(student_id));
    data.set("not_legal", shown.facts.guardian && !shown.facts.legal_guardian);
    view::List periods;
    for (std::size_t index = 0; index < read.periods.size(); ++index) {
        view::Data entry;
        entry.set("label", read.periods[index].label);
        entry.set("dates",
            "du " + school_time::long_day(read.periods[index].first_day) + " au "
                + school_time::long_day(read.periods[index].last_day));
        entry.set("half_days", std::to_string(read.counts[index].half_days));
        entry.set("unjustified", std::to_string(read.counts[index].unjustified_half_days));
        entry.set("lateness", std::to_string(read.counts[index].lateness));
        periods.push_back(std::move(entry));
    }
    data.set("periods", std::move(periods));
    view::List events;
    for (auto const& event : read.events)
        events.push_back(event_view(event, shown.rights.justifies));
    data.set("has_events", !read.events.empty());
    data.set("events", std::move(events));
    data.set("with_declarations", with_declarations);
    view::List declarations;
    for (auto const& declaration : read.declarations)
        declarations.push_back(declaration_view(declaration));
    data.set("has_declarations", !read.declarations.empty());
    data.set("declarations", std::move(declarations));
    view::List punishments;
    for (auto const& punishment : read.punishments) {
        view::Data entry;
        entry.set("kind", family::punishment_label(punishment.kind));
        entry.set("date",
            school_time::long_day(punishment.day)
                + (punishment.start_minute > 0 ? " à " + school_time::clock(punishment.start_minute) : std::string()));
        entry.set("reason", punishment.reason);
        punishments.push_back(std::move(entry));
    }
    data.set("has_punishments", !read.punishments.empty());
    data.set("punishments", std::move(punishments));
    auto response = view::render(context, "attendance/family_absences", std::move(data),
        "Absences et retards – " + shown.student.display_name(), view::MenuEntry::Attendance);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

// --- What a guardian sends: the checks ----------------------------------------

// PDF, JPEG or PNG, by the file's first bytes whatever its name says.
std::optional<std::string> justificatif_type(std::filesystem::path const& path)
{
    std::ifstream input(path, std::ios::binary);
    char head[8] {};
    input.read(head, sizeof head);
    std::string_view const bytes(head, static_cast<std::size_t>(input.gcount()));
    if (bytes.starts_with("%PDF-"))
        return "application/pdf";
    if (bytes.starts_with("\xFF\xD8\xFF"))
        return "image/jpeg";
    if (bytes.starts_with("\x89PNG\r\n\x1A\n"))
        return "image/png";
    return std::nullopt;
}

// The form's motive, comment and file, or the French reason they are refused.
struct Sent {
    Motive motive;
    std::string comment;
    http::UploadedFile const* file { nullptr };
};

ErrorOr<Sent> sent_of(soci::session& session, long long structure_id, http::Request const& request)
{
    Sent sent;
    auto const motive_id = parse_id(request.form.get("motif"));
    auto motive = find_motive(session, structure_id, motive_id);
    if (!motive || !motive->for_guardians)
        return Error::invalid("Choisissez le motif de l'absence dans la liste.");
    sent.motive = *motive;
    auto const comment = std::string(trim_text(request.form.get("commentaire")));
    if (!validate::is_utf8(comment))
        return Error::invalid("Le commentaire contient des caractères illisibles : retapez-le.");
    if (validate::character_count(comment) > COMMENT_MAX)
        return Error::invalid("Le commentaire ne doit pas dépasser 1 000 caractères.");
    sent.comment = comment;
    auto const files = request.files_named("justificatif");
    if (!files.empty()) {
        auto const& file = *files.front();
        if (!validate::is_utf8(file.file_name) || validate::has_control_characters(file.file_name)
            || file.file_name.size() > 200)
            return Error::invalid("Le nom du justificatif n'est pas lisible : renommez le fichier.");
        if (file.size > FILE_MAX)
            return Error::invalid("Le fichier « " + file.file_name
                + " » dépasse 5 Mo : envoyez une photo moins "
                  "lourde ou un PDF plus léger.");
        if (!justificatif_type(file.path))
            return Error::invalid("Le fichier « " + file.file_name
                + " » n'est ni une photo (JPEG ou PNG) ni un document PDF : il n'est pas accepté.");
        sent.file = &file;
    } else {
        for (auto const& file : request.files) {
            if (file.field_name == "justificatif" && !file.file_name.empty() && file.size == 0)
                return Error::invalid("Le fichier « " + file.file_name + " » est vide : choisissez-en un autre.");
        }
    }
    return sent;
}

// Moves the uploaded file to its place; its stored name ("" without file).
ErrorOr<std::string> keep_file(Config const& config, http::UploadedFile const* file)
{
    if (file == nullptr)
        return std::string();
    auto const directory = file_directory(config);
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
        return Error::internal("cannot create the justificatifs directory: " + error.message());
    auto stored = identity::random_token(); // base64url: safe as a file name
    if (!move_file(file->path, directory / stored))
        return Error::internal("cannot store a justificatif");
    return stored;
}

void drop_file(Config const& config, std::string const& stored)
{
    if (stored.empty())
        return;
    std::error_code ignored;
    std::filesystem::remove(file_directory(config) / stored, ignored);
}

view::List motive_options(std::vector<Motive> const& motives, long long chosen)
{
    view::List options;
    for (auto const& motive : motives) {
        if (!motive.for_guardians)
            continue;
        view::Data entry;
        entry.set("id", std::to_string(motive.id));
        entry.set("label", motive.label);
        entry.set("selected", motive.id == chosen);
        options.push_back(std::move(entry));
    }
    return options;
}

// --- « Justifier » ----------------------------------------------------------

struct Justifiable {
    EventRow event;
    identity::User student;
    std::vector<Motive> motives;
};

// The event of the path, for a legal guardian, while « non justifiée ».
ErrorOr<Justifiable> justifiable(Context& context)
{
    auto const id = parse_id(context.request.parameter("event"));
    auto const& user = context.user();
    struct Found {
        Justifiable item;
        Rights rights;
    };
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Found>> {
        auto event = family::event_by_id(session, id);
        if (!event)
            return std::optional<Found>();
        auto student = identity::store::find_user(session, event->student_id);
        if (!student)
            return std::optional<Found>();
        Found result { { *event, *student, {} }, rights_toward(session, user, event->student_id) };
        if (result.rights.justifies)
            result.item.motives = motives_of(session, event->structure_id);
        return std::optional<Found>(std::move(result));
    }));
    if (!found || !found->rights.sees)
        return Error::not_found(NO_EVENT, "attendance event not seen");
    if (!found->rights.justifies)
        return Error::forbidden(ONLY_LEGAL, "justify without the right");
    if (found->item.event.state != State::Unjustified)
        return Error::conflict(
            "Cette absence n'est plus « non justifiée » : voyez son état dans la liste.", "event already justified");
    return std::move(found->item);
}

http::Response render_justify(
    Context& context, Justifiable const& item, long long motive, std::string const& comment, std::string const& error)
{
    view::Data data;
    data.set("student_name", item.student.display_name());
    data.set("back_url", "/vie-scolaire?eleve=" + std::to_string(item.student.id));
    data.set("action", event_path(item.event.id));
    data.set("event", event_view(item.event, false));
    data.set("motives", motive_options(item.motives, motive));
    data.set("comment", comment);
    data.set("error", error);
    return view::render(context, "attendance/justify_form", std::move(data), "Justifier une absence",
        view::MenuEntry::Attendance, error.empty() ? 200 : 400);
}

ErrorOr<http::Response> show_justify(Context& context)
{
    auto item = TRY(justifiable(context));
    return render_justify(context, item, 0, {}, {});
}

ErrorOr<http::Response> justify_absence(Context& context)
{
    auto item = TRY(justifiable(context));
    auto const structure_id = item.event.structure_id;
    auto sent = context.database().read(
        [&](soci::session& session) -> ErrorOr<Sent> { return sent_of(session, structure_id, context.request); });
    if (sent.is_error()) {
        if (sent.error().kind != ErrorKind::Invalid)
            return sent.error();
        return render_justify(context, item, parse_id(context.request.form.get("motif")),
            context.request.form.get("commentaire"), sent.error().message_key);
    }
    auto const stored = TRY(keep_file(context.config(), sent->file));
    Declaration declaration;
    declaration.structure_id = structure_id;
    declaration.student_id = item.student.id;
    declaration.guardian_id = context.user().id;
    declaration.event_id = item.event.id;
    declaration.first_day = item.event.day;
    declaration.first_minute = item.event.start_minute;
    declaration.last_day = item.event.day;
    declaration.last_minute = std::max(item.event.end_minute, item.event.start_minute + 1);
    declaration.motive_id = sent->motive.id;
    declaration.comment = sent->comment;
    declaration.file_stored = stored;
    if (sent->file != nullptr) {
        declaration.file_name = sent->file->file_name;
        declaration.file_size = static_cast<long long>(sent->file->size);
    }
    auto const event_id = item.event.id;
    auto const accepted = sent->motive.accepted;
    auto written = context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        // Another guardian may have justified it meanwhile.
        auto event = family::event_by_id(session, event_id);
        if (!event || event->state != State::Unjustified)
            return Error::conflict("Cette absence vient d'être justifiée : voyez son état dans la liste.");
        return family::store_declaration(session, declaration, accepted, context.now);
    });
    if (written.is_error()) {
        drop_file(context.config(), stored);
        return written.error();
    }
    log::info("attendance declaration " + std::to_string(written.value()) + " for event " + std::to_string(event_id));
    return http::Response::redirect(declaration_path(written.value()));
}

// --- « Déclarer une absence » -----------------------------------------------

struct DeclareForm {
    std::string from;
    std::string from_time;
    std::string to;
    std::string to_time;
    long long motive { 0 };
    std::string comment;
};

struct Declarable {
    Shown shown;
    std::vector<identity::User> legal_children;
    std::vector<Motive> motives;
};

ErrorOr<Declarable> declarable(Context& context, std::string_view requested)
{
    auto const& user = context.user();
    Declarable result;
    if (user.profile == access::Profile::Guardian && requested.empty()) {
        // The first child this guardian may declare for.
        auto const children = TRY(context.services.children_of(user.id, context.now));
        std::string first;
        for (auto const& child : children) {
            auto const legal = TRY(context.database().read([&](soci::session& session) -> ErrorOr<bool> {
                return rights_toward(session, user, child.id).justifies;
            }));
            if (legal) {
                first = std::to_string(child.id);
                break;
            }
        }
        if (first.empty())
            return Error::forbidden(ONLY_LEGAL, "no child to declare for");
        result.shown = TRY(shown_student(context, first));
    } else {
        result.shown = TRY(shown_student(context, requested));
    }
    if (result.shown.student.id == 0)
        return Error::not_found(NO_STUDENT, "no student");
    if (!result.shown.rights.justifies)
        return Error::forbidden(ONLY_LEGAL, "declare without the right");
    auto const structure_id = result.shown.student.structure_id;
    auto const children = result.shown.children;
    TRY(context.database().read([&](soci::session& session) -> ErrorOr<void> {
        result.motives = motives_of(session, structure_id);
        for (auto const& child : children) {
            if (rights_toward(session, user, child.id).justifies)
                result.legal_children.push_back(child);
        }
        return {};
    }));
    return result;
}

http::Response render_declare(
    Context& context, Declarable const& item, DeclareForm const& form, std::string const& error)
{
    view::Data data;
    data.set("student_name", item.shown.student.display_name());
    data.set("student_id", std::to_string(item.shown.student.id));
    data.set("back_url", "/vie-scolaire?eleve=" + std::to_string(item.shown.student.id));
    view::List children;
    for (auto const& child : item.legal_children) {
        view::Data entry;
        entry.set("id", std::to_string(child.id));
        entry.set("name", child.display_name());
        entry.set("selected", child.id == item.shown.student.id);
        children.push_back(std::move(entry));
    }
    data.set("several_children", item.legal_children.size() > 1);
    data.set("children", std::move(children));
    data.set("motives", motive_options(item.motives, form.motive));
    data.set("from", form.from);
    data.set("from_time", form.from_time);
    data.set("to", form.to);
    data.set("to_time", form.to_time);
    data.set("comment", form.comment);
    data.set("error", error);
    return view::render(context, "attendance/declaration_form", std::move(data), "Déclarer une absence",
        view::MenuEntry::Attendance, error.empty() ? 200 : 400);
}

ErrorOr<http::Response> show_declare(Context& context)
{
    auto item = TRY(declarable(context, context.request.query.get("eleve")));
    DeclareForm form;
    form.from = school_time::iso_day(today_of(context));
    form.to = form.from;
    return render_declare(context, item, form, {});
}

// The range of the form, or the French reason it is refused.
ErrorOr<Declaration> range_of(DeclareForm const& form, long long today)
{
    Declaration range;
    auto const from = school_time::parse_day(trim_text(form.from));
    if (!from)
        return Error::invalid("La date « Du » n'est pas une date (jj/mm/aaaa).");
    auto const to = school_time::parse_day(trim_text(form.to));
    if (!to)
        return Error::invalid("La date « Au » n'est pas une date (jj/mm/aaaa).");
    range.first_day = *from;
    range.last_day = *to;
    if (!trim_text(form.from_time).empty()) {
        auto const minute = school_time::parse_clock(trim_text(form.from_time));
        if (!minute)
            return Error::invalid("L'heure « à partir de » n'est pas une heure (hh:mm).");
        range.first_minute = *minute;
    }
    if (!trim_text(form.to_time).empty()) {
        auto const minute = school_time::parse_clock(trim_text(form.to_time));
        if (!minute)
            return Error::invalid("L'heure « jusqu'à » n'est pas une heure (hh:mm).");
        range.last_minute = *minute;
    }
    if (range.last_day < range.first_day
        || (range.last_day == range.first_day && range.last_minute <= range.first_minute))
        return Error::invalid("La fin de l'absence (« Au ») doit venir après son début (« Du »).");
    if (range.first_day < today - PAST_DAYS)
        return Error::invalid(
            "Une absence de plus de 30 jours ne se déclare plus en ligne : contactez la vie scolaire.");
    if (range.last_day - range.first_day + 1 > LONGEST_DAYS)
        return Error::invalid("Une déclaration couvre 60 jours au plus : pour une absence plus longue, contactez la "
                              "vie scolaire.");
    if (range.first_day > today + AHEAD_DAYS)
        return Error::invalid("Une absence se déclare au plus un an à l'avance.");
    return range;
}

ErrorOr<http::Response> declare_absence(Context& context)
{
    auto const& request = context.request;
    auto item = TRY(declarable(context, request.form.get("eleve")));
    DeclareForm form { request.form.get("du"), request.form.get("du_heure"), request.form.get("au"),
        request.form.get("au_heure"), parse_id(request.form.get("motif")), request.form.get("commentaire") };
    auto range = range_of(form, today_of(context));
    if (range.is_error())
        return render_declare(context, item, form, range.error().message_key);
    auto const structure_id = item.shown.student.structure_id;
    auto sent = context.database().read(
        [&](soci::session& session) -> ErrorOr<Sent> { return sent_of(session, structure_id, request); });
    if (sent.is_error()) {
        if (sent.error().kind != ErrorKind::Invalid)
            return sent.error();
        return render_declare(context, item, form, sent.error().message_key);
    }
    auto const stored = TRY(keep_file(context.config(), sent->file));
    auto declaration = range.release_value();
    declaration.structure_id = structure_id;
    declaration.student_id = item.shown.student.id;
    declaration.guardian_id = context.user().id;
    declaration.motive_id = sent->motive.id;
    declaration.comment = sent->comment;
    declaration.file_stored = stored;
    if (sent->file != nullptr) {
        declaration.file_name = sent->file->file_name;
        declaration.file_size = static_cast<long long>(sent->file->size);
    }
    auto const accepted = sent->motive.accepted;
    auto written = context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        return family::store_declaration(session, declaration, accepted, context.now);
    });
    if (written.is_error()) {
        drop_file(context.config(), stored);
        return written.error();
    }
    log::info("attendance declaration " + std::to_string(written.value()) + " in advance");
    return http::Response::redirect(declaration_path(written.value()));
}

// --- A declaration: its page and its file -----------------------------------

struct Readable {
    Declaration declaration;
    std::vector<EventRow> events;
    Rights rights;
};

ErrorOr<Readable> readable_declaration(Context& context)
{
    auto const id = parse_id(context.request.parameter("id"));
    auto const& user = context.user();
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Readable>> {
        auto declaration = family::declaration_by_id(session, id);
        if (!declaration)
            return std::optional<Readable>();
        auto const facts = facts_of(session, user, declaration->student_id);
        if (!reads_declarations(facts) || !right_from(facts).sees)
            return std::optional<Readable>();
        Readable result { *declaration, family::events_of_declaration(session, id), right_from(facts) };
        result.declaration.class_name = family::class_of(session, declaration->student_id);
        return std::optional<Readable>(std::move(result));
    }));
    if (!found)
        return Error::not_found(NO_DECLARATION, "declaration not readable");
    return std::move(*found);
}

ErrorOr<http::Response> show_declaration(Context& context)
{
    auto found = TRY(readable_declaration(context));
    auto const& declaration = found.declaration;
    auto data = declaration_view(declaration);
    bool const sender = declaration.guardian_id == context.user().id;
    data.set("acknowledgement",
        std::string(declaration.event_id == 0 ? "Votre déclaration d'absence a bien été reçue le "
                                              : "Votre justificatif a bien été reçu le ")
            + when_text(declaration.created_at) + ".");
    data.set("is_sender", sender);
    data.set("pending", declaration.state == family::PENDING);
    data.set("accepted", declaration.state == family::ACCEPTED);
    data.set("refused", declaration.state == family::REFUSED);
    data.set("decided", declaration.decided_at > 0 ? when_text(declaration.decided_at) : std::string());
    data.set("decision_comment", declaration.decision_comment);
    data.set("may_decide", found.rights.decides && declaration.state == family::PENDING);
    data.set("decision_url", declaration_path(declaration.id) + "/decision");
    data.set("back_url", "/vie-scolaire?eleve=" + std::to_string(declaration.student_id));
    view::List events;
    for (auto const& event : found.events)
        events.push_back(event_view(event, false));
    data.set("has_events", !found.events.empty());
    data.set("events", std::move(events));
    auto response = view::render(context, "attendance/declaration_page", std::move(data),
        declaration.event_id == 0 ? "Déclaration d'absence" : "Justificatif d'absence", view::MenuEntry::Attendance);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

ErrorOr<http::Response> serve_justificatif(Context& context)
{
    auto found = TRY(readable_declaration(context));
    auto const& stored = found.declaration.file_stored;
    if (stored.empty() || stored.find_first_of("/\\.") != std::string::npos)
        return Error::not_found("Ce justificatif n'a pas de fichier joint.", "no file");
    auto const path = file_directory(context.config()) / stored;
    auto const type = justificatif_type(path);
    if (!type)
        return Error::not_found("Ce fichier n'est plus disponible.", "justificatif missing on disk");
    auto response = http::serve_file(context.request, path, *type, found.declaration.file_name);
    if (response.status == 404)
        return Error::not_found("Ce fichier n'est plus disponible.", "justificatif missing on disk");
    response.set_header("Cache-Control", "private, no-store");
    response.set_header("X-Content-Type-Options", "nosniff");
    return response;
}

// --- The CPE: « Justificatifs à traiter » -------------------------------------

ErrorOr<http::Response> show_pending(Context& context)
{
    auto const& user = context.user();
    if (!runs_desk(user))
        return Error::forbidden(ONLY_CPE, "pending declarations outside the vie scolaire");
    auto const structure_id = user.structure_id;
    auto const pending = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Declaration>> {
        return family::pending_declarations(session, structure_id);
    }));
    bool const decides = user.profile == access::Profile::Staff && identity::is_vie_scolaire(user);
    view::Data data;
    view::List list;
    for (auto const& declaration : pending) {
        auto entry = declaration_view(declaration);
        entry.set("decision_url", declaration_path(declaration.id) + "/decision");
        entry.set("may_decide", decides);
        list.push_back(std::move(entry));
    }
    data.set("has_pending", !pending.empty());
    data.set("pending", std::move(list));
    auto const done = context.request.query.get("fait");
    data.set("notice",
        done == "accepte"      ? std::string("Le justificatif est accepté : la famille en est informée.")
            : done == "refuse" ? std::string("Le justificatif est refusé : la famille en est informée.")
                               : std::string());
    auto response = view::render(
        context, "attendance/decisions_list", std::move(data), "Justificatifs à traiter", view::MenuEntry::Attendance);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

ErrorOr<http::Response> decide_declaration(Context& context)
{
    auto const id = parse_id(context.request.parameter("id"));
    auto const& user = context.user();
    auto const choice = context.request.form.get("decision");
    auto const comment = std::string(trim_text(context.request.form.get("commentaire")));
    auto const found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Readable>> {
        auto declaration = family::declaration_by_id(session, id);
        if (!declaration)
            return std::optional<Readable>();
        auto const facts = facts_of(session, user, declaration->student_id);
        if (!reads_declarations(facts) || !right_from(facts).sees)
            return std::optional<Readable>();
        return std::optional<Readable>(Readable { *declaration, {}, right_from(facts) });
    }));
    if (!found)
        return Error::not_found(NO_DECLARATION, "decision on a declaration not readable");
    if (!found->rights.decides)
        return Error::forbidden(ONLY_CPE, "decision without the right");
    if (choice != "accepter" && choice != "refuser")
        return Error::invalid("Choisissez « Accepter » ou « Refuser ».");
    if (!validate::is_utf8(comment) || validate::character_count(comment) > COMMENT_MAX)
        return Error::invalid("Le commentaire ne doit pas dépasser 1 000 caractères lisibles.");
    bool const accept = choice == "accepter";
    Notified notified;
    auto const decided = TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        return family::decide(
            session, found->declaration, accept, user.id, comment, context.public_url(), context.now, notified);
    }));
    if (!decided)
        return Error::conflict("Ce justificatif a déjà été traité.", "declaration already decided");
    notifications::published(context.services, notified.people, notified.outbox_rows);
    log::info("attendance declaration " + std::to_string(id) + (accept ? " accepted" : " refused"));
    return http::Response::redirect(std::string("/vie-scolaire/justificatifs?fait=") + (accept ? "accepte" : "refuse"));
}

} // namespace

std::vector<http::Route> family_routes()
{
    using http::Method;
    return {
        { Method::Get, "/vie-scolaire", READ, show_absences },
        { Method::Get, "/vie-scolaire/absences/{event}/justifier", READ, show_justify },
        { Method::Post, "/vie-scolaire/absences/{event}/justifier", READ, justify_absence },
        { Method::Get, "/vie-scolaire/declarer", READ, show_declare },
        { Method::Post, "/vie-scolaire/declarer", READ, declare_absence },
        { Method::Get, "/vie-scolaire/declarations/{id}", READ, show_declaration },
        { Method::Get, "/vie-scolaire/declarations/{id}/justificatif", READ, serve_justificatif },
        { Method::Post, "/vie-scolaire/declarations/{id}/decision", DESK, decide_declaration },
        { Method::Get, "/vie-scolaire/justificatifs", DESK, show_pending },
    };
}

namespace family {

ErrorOr<void> start(Services& services)
{
    services.personal_data_exporters.emplace_back(
        "vie scolaire", [](Context& context, identity::User const& person) -> ErrorOr<PersonalData> {
            PersonalData data;
            std::vector<std::pair<std::string, std::string>> files;
            data.json = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::string> {
                // The files this guardian sent, or sent about this student.
                soci::rowset<soci::row> rows = (session.prepare << "SELECT id, file_name, file_stored FROM "
                                                                   "attendance_declaration WHERE (guardian_id = "
                                                                   ":person OR student_id = :again) AND file_stored "
                                                                   "<> '' ORDER BY id",
                    soci::use(person.id), soci::use(person.id));
                for (auto const& row : rows)
                    files.emplace_back(
                        "justificatifs/" + std::to_string(db::integer_at(row, 0)) + "-" + row.get<std::string>(1),
                        row.get<std::string>(2));
                return personal_data_json(session, person);
            }));
            for (auto const& [name, stored] : files)
                data.files.emplace_back(name, file_directory(context.config()) / stored);
            return data;
        });
    // A departed student's justifications (comments, medical certificates)
    // go with the rest of their personal data; absences stay counted.
    services.departure_handlers.emplace_back(
        [directory = file_directory(services.config)](soci::session& session, identity::User const& former, bool) {
            if (former.profile != access::Profile::Student)
                return;
            std::error_code ignored;
            for (auto const& stored : forget_student(session, former.id))
                std::filesystem::remove(directory / stored, ignored);
        });
    return {};
}

} // namespace family

} // namespace cartable::attendance
