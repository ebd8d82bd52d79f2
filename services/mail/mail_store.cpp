// SPDX-License-Identifier: AGPL-3.0-or-later
// The mailboxes: a message stored once, one entry per person who holds it.
#include "core/db/id_lists.h"
#include "core/db/prepared.h"
#include "core/html/rich_text.h"
#include "core/identity/identity_store.h"
#include "core/text.h"
#include "services/admin/admin.h"
#include "services/mail/mail_internal.h"
#include <algorithm>
#include <array>

namespace cartable::mail {

namespace {

constexpr std::array<std::pair<Folder, std::string_view>, 4> FOLDER_CODES { {
    { Folder::Inbox, "inbox" },
    { Folder::Sent, "sent" },
    { Folder::Drafts, "drafts" },
    { Folder::Trash, "trash" },
} };

#define CARTABLE_ENTRY_COLUMNS                                                                                         \
    "SELECT m.id, COALESCE(m.sender_id, 0), COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), m.subject, "        \
    "m.body, m.is_draft, m.created_at, COALESCE(m.sent_at, 0), e.folder, COALESCE(e.folder_id, 0), "                   \
    "e.previous_folder, e.is_read, m.format "
constexpr char const* ENTRY_COLUMNS = CARTABLE_ENTRY_COLUMNS;
constexpr char const* SELECT_ENTRIES = CARTABLE_ENTRY_COLUMNS
    "FROM mail_entry e JOIN mail_message m ON m.id = e.message_id "
    "LEFT JOIN identity_user u ON u.id = m.sender_id WHERE e.owner_id = :owner AND e.deleted = 0 ";
#undef CARTABLE_ENTRY_COLUMNS

// One row of ENTRY_COLUMNS.
struct EntryRow {
    long long message_id { 0 };
    long long sender_id { 0 };
    std::string first_name;
    std::string last_name;
    std::string subject;
    std::string body;
    long long is_draft { 0 };
    long long created_at { 0 };
    long long sent_at { 0 };
    std::string folder;
    long long folder_id { 0 };
    std::string previous_folder;
    long long is_read { 0 };
    std::string format;

    void bind(soci::statement& statement)
    {
        statement.exchange(soci::into(message_id));
        statement.exchange(soci::into(sender_id));
        statement.exchange(soci::into(first_name));
        statement.exchange(soci::into(last_name));
        statement.exchange(soci::into(subject));
        statement.exchange(soci::into(body));
        statement.exchange(soci::into(is_draft));
        statement.exchange(soci::into(created_at));
        statement.exchange(soci::into(sent_at));
        statement.exchange(soci::into(folder));
        statement.exchange(soci::into(folder_id));
        statement.exchange(soci::into(previous_folder));
        statement.exchange(soci::into(is_read));
        statement.exchange(soci::into(format));
    }

    Entry entry() const
    {
        Entry entry;
        entry.message_id = message_id;
        entry.sender_id = sender_id;
        entry.sender_name = sender_id == 0 ? std::string("Ancien membre") : first_name + " " + last_name;
        entry.subject = subject;
        entry.body = body;
        entry.is_html = format == "html";
        entry.is_draft = is_draft != 0;
        entry.created_at = created_at;
        entry.sent_at = sent_at;
        entry.folder = folder;
        entry.folder_id = folder_id;
        entry.previous_folder = previous_folder;
        entry.is_read = is_read != 0;
        return entry;
    }
};

// The entries a whole query (ENTRY_COLUMNS, then its own FROM) picks; the
// owner is bound first (or after the texts), then the texts, then the values.
std::vector<Entry> fetch_entries_sql(soci::session& session, std::string const& sql, long long owner_id,
    std::vector<long long> values, std::vector<std::string> texts = {}, bool owner_after_texts = false)
{
    EntryRow row;
    soci::statement statement(session);
    row.bind(statement);
    if (!owner_after_texts)
        statement.exchange(soci::use(owner_id));
    for (auto& text : texts)
        statement.exchange(soci::use(text));
    if (owner_after_texts)
        statement.exchange(soci::use(owner_id));
    for (auto& value : values)
        statement.exchange(soci::use(value));
    statement.alloc();
    statement.prepare(sql);
    statement.define_and_bind();
    statement.execute();
    std::vector<Entry> result;
    while (statement.fetch())
        result.push_back(row.entry());
    return result;
}

// The Accueil's « Derniers messages » on every visit: prepared once per
// connection.
struct LatestUnread : db::PreparedQuery {
    long long owner { 0 };
    long long limit { 0 };
    EntryRow row;
    soci::statement statement;

    explicit LatestUnread(soci::session& session)
        : statement(session)
    {
        row.bind(statement);
        statement.exchange(soci::use(owner));
        statement.exchange(soci::use(limit));
        statement.alloc();
        statement.prepare(std::string(SELECT_ENTRIES)
            + "AND e.folder = 'inbox' AND e.is_read = 0 ORDER BY e.arrived_at DESC, e.id DESC LIMIT :limit");
        statement.define_and_bind();
    }

    std::vector<Entry> fetch(long long owner_id, long long count)
    {
        owner = owner_id;
        limit = count;
        std::vector<Entry> result;
        fetch_all(statement, [&] { result.push_back(row.entry()); });
        return result;
    }
};

// The entries the condition (after SELECT_ENTRIES) picks; `values` are bound
// in order after the owner.
std::vector<Entry> fetch_entries(soci::session& session, std::string const& condition, long long owner_id,
    std::vector<long long> values, std::vector<std::string> texts = {})
{
    return fetch_entries_sql(session, SELECT_ENTRIES + condition, owner_id, std::move(values), std::move(texts));
}

bool is_child_of(soci::session& session, long long guardian_id, long long student_id)
{
    long long count = 0;
    session << "SELECT COUNT(*) FROM identity_guardian_link WHERE guardian_id = :guardian AND student_id = :student",
        soci::use(guardian_id), soci::use(student_id), soci::into(count);
    return count > 0;
}

bool is_sqlite(soci::session& session)
{
    return session.get_backend_name() == "sqlite3";
}

// The words of a search, accents folded and in lower case: letters and
// digits (any non-ASCII byte left after folding counts as a letter).
std::vector<std::string> search_words(std::string const& query)
{
    std::vector<std::string> words;
    std::string word;
    auto flush = [&] {
        if (!word.empty() && words.size() < 8)
            words.push_back(word);
        word.clear();
    };
    for (char c : fold_accents(query)) {
        auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || byte >= 0x80)
            word += c;
        else
            flush();
    }
    flush();
    return words;
}

// Every word, as the start of a word of the message: FTS5's query on
// SQLite, to_tsquery's on PostgreSQL.
std::string full_text_query(soci::session& session, std::vector<std::string> const& words)
{
    std::string query;
    for (auto const& word : words) {
        if (is_sqlite(session))
            query.append(query.empty() ? "" : " ").append("\"").append(word).append("\"*");
        else
            query.append(query.empty() ? "" : " & ").append(word).append(":*");
    }
    return query;
}

// On PostgreSQL, whether the words are rare enough in the whole ENT (2 000
// messages at most) for a search to start from the GIN index's matches;
// beyond, it reads the person's mailbox newest first.
// The words themselves are counted, not as beginnings of words: a GIN
// index answers that from one posting list in a few milliseconds, where the
// prefixes of a common word would cost ten times more.
bool few_matches(soci::session& session, std::vector<std::string> const& words)
{
    std::string exact;
    for (auto const& word : words)
        exact.append(exact.empty() ? "" : " & ").append(word);
    long long found = 0;
    session << "SELECT COUNT(*) FROM (SELECT 1 FROM mail_message WHERE search @@ to_tsquery('simple', :query) "
               "LIMIT 2001) sample",
        soci::use(exact), soci::into(found);
    return found <= 2000;
}

// The words a message is found by: subject, sender's name, text.
void index_message(soci::session& session, long long message_id)
{
    std::string subject;
    std::string body;
    std::string format;
    std::string first_name;
    std::string last_name;
    session << "SELECT m.subject, m.body, m.format, COALESCE(u.first_name, ''), COALESCE(u.last_name, '') "
               "FROM mail_message m LEFT JOIN identity_user u ON u.id = m.sender_id WHERE m.id = :id",
        soci::use(message_id), soci::into(subject), soci::into(body), soci::into(format), soci::into(first_name),
        soci::into(last_name);
    auto words = fold_accents(std::string(subject)
                                  .append("\n")
                                  .append(first_name)
                                  .append(" ")
                                  .append(last_name)
                                  .append("\n")
                                  .append(format == "html" ? html::plain_text(body) : body));
    if (is_sqlite(session)) {
        session << "INSERT INTO mail_search (rowid, words) VALUES (:id, :words)", soci::use(message_id),
            soci::use(words);
    } else {
        session << "UPDATE mail_message SET search = to_tsvector('simple', :words) WHERE id = :id", soci::use(words),
            soci::use(message_id);
    }
}

} // namespace

std::string_view folder_code(Folder folder)
{
    for (auto const& [value, code] : FOLDER_CODES) {
        if (value == folder)
            return code;
    }
    return "inbox";
}

std::optional<Folder> folder_from_code(std::string_view code)
{
    for (auto const& [value, name] : FOLDER_CODES) {
        if (name == code)
            return value;
    }
    return std::nullopt;
}

bool may_write_to(soci::session& session, identity::User const& from, identity::User const& to)
{
    if (from.profile == access::Profile::Guardian && to.profile == access::Profile::Student && to.active
        && is_child_of(session, from.id, to.id))
        return true;
    return admin::may_write(admin::communication_rules(session, from.structure_id), from, to);
}

std::vector<Person> searchable_recipients(soci::session& session, identity::User const& from, std::string const& query)
{
    auto pattern = like_containing(query);
    std::vector<long long> ids;
    long long id = 0;
    soci::statement statement = (session.prepare << "SELECT id FROM identity_user WHERE structure_id = :structure "
                                                    "AND active = 1 AND LOWER(first_name || ' ' || last_name) "
                                                    "LIKE :pattern ESCAPE '\\' ORDER BY last_name, first_name, id",
        soci::use(from.structure_id), soci::use(pattern), soci::into(id));
    statement.execute();
    while (statement.fetch())
        ids.push_back(id);
    auto rules = admin::communication_rules(session, from.structure_id);
    std::vector<Person> result;
    for (auto candidate_id : ids) {
        auto candidate = identity::store::find_user(session, candidate_id);
        if (!candidate)
            continue;
        bool allowed = admin::may_write(rules, from, *candidate)
            || (from.profile == access::Profile::Guardian && candidate->profile == access::Profile::Student
                && is_child_of(session, from.id, candidate->id));
        if (allowed)
            result.push_back(
                { candidate->id, candidate->display_name(), std::string(access::profile_label(candidate->profile)) });
        if (result.size() >= 30)
            break;
    }
    return result;
}

std::vector<Entry> folder_page(soci::session& session, long long owner_id, Folder folder, long long page)
{
    auto offset = (std::max(page, 1LL) - 1) * PAGE_SIZE;
    // The page's entries are picked from the index alone (however deep the
    // page), then only those 25 are joined to their messages.
    std::string code(folder_code(folder)); // one of our four codes, never the request's text
    return fetch_entries_sql(session,
        std::string(ENTRY_COLUMNS)
            + "FROM (SELECT id AS picked FROM mail_entry WHERE owner_id = :owner AND deleted = 0 AND folder = '" + code
            + "' ORDER BY arrived_at DESC, id DESC LIMIT :limit OFFSET :offset) page CROSS JOIN mail_entry e "
              "JOIN mail_message m ON m.id = e.message_id LEFT JOIN identity_user u ON u.id = m.sender_id "
              "WHERE e.id = page.picked ORDER BY e.arrived_at DESC, e.id DESC",
        owner_id, { PAGE_SIZE, offset });
}

long long folder_count(soci::session& session, long long owner_id, Folder folder)
{
    std::string code(folder_code(folder));
    long long count = 0;
    session << "SELECT COUNT(*) FROM mail_entry WHERE owner_id = :owner AND deleted = 0 AND folder = :folder",
        soci::use(owner_id), soci::use(code), soci::into(count);
    return count;
}

std::vector<Entry> search(soci::session& session, long long owner_id, std::string const& query, long long page)
{
    auto words = search_words(query);
    if (words.empty())
        return {};
    auto offset = (std::max(page, 1LL) - 1) * PAGE_SIZE;
    if (is_sqlite(session)) {
        // From the index's matches, newest message first (FTS5 gives its
        // rowids in that order without sorting), to the person's entries:
        // the page stops after 25 found, however common the word.
        return fetch_entries_sql(session,
            std::string(ENTRY_COLUMNS)
                + "FROM (SELECT held.id AS picked FROM (SELECT rowid AS found FROM mail_search WHERE mail_search "
                  "MATCH :query ORDER BY rowid DESC) matches CROSS JOIN mail_entry held WHERE held.message_id = "
                  "matches.found AND held.owner_id = :owner AND held.deleted = 0 AND held.folder <> 'drafts' "
                  "ORDER BY matches.found DESC LIMIT :limit OFFSET :offset) page CROSS JOIN mail_entry e "
                  "JOIN mail_message m ON m.id = e.message_id LEFT JOIN identity_user u ON u.id = m.sender_id "
                  "WHERE e.id = page.picked ORDER BY e.message_id DESC",
            owner_id, { PAGE_SIZE, offset }, { full_text_query(session, words) }, true);
    }
    auto text = full_text_query(session, words);
    // The subqueries with OFFSET 0 or LIMIT 1 are run as written: PostgreSQL
    // does not fold them into a plan its estimates of a prefix query would
    // choose badly.
    auto const picked = few_matches(session, words)
        // A rarer word: from the GIN index's matches to the person's entries.
        ? std::string("SELECT held.id AS picked, held.message_id FROM (SELECT id FROM mail_message WHERE search @@ "
                      "to_tsquery('simple', :query) OFFSET 0) matches CROSS JOIN LATERAL (SELECT e.id, e.message_id "
                      "FROM mail_entry e WHERE e.message_id = matches.id AND e.owner_id = :owner AND e.deleted = 0 "
                      "AND e.folder <> 'drafts' LIMIT 1) held ORDER BY held.message_id DESC "
                      "LIMIT :limit OFFSET :offset")
        // A common word: the mailbox newest message first, until 25 are found.
        : std::string("SELECT e.id AS picked, e.message_id FROM mail_entry e CROSS JOIN LATERAL (SELECT m.search "
                      "@@ to_tsquery('simple', :query) AS hit FROM mail_message m WHERE m.id = e.message_id LIMIT 1) "
                      "found WHERE e.owner_id = :owner AND e.deleted = 0 AND e.folder <> 'drafts' AND found.hit "
                      "ORDER BY e.owner_id DESC, e.message_id DESC LIMIT :limit OFFSET :offset");
    return fetch_entries_sql(session,
        std::string(ENTRY_COLUMNS) + "FROM (" + picked
            + ") page JOIN mail_entry e ON e.id = page.picked JOIN mail_message m ON m.id = e.message_id "
              "LEFT JOIN identity_user u ON u.id = m.sender_id ORDER BY e.message_id DESC",
        owner_id, { PAGE_SIZE, offset }, { text }, true);
}

long long search_count(soci::session& session, long long owner_id, std::string const& query)
{
    auto words = search_words(query);
    if (words.empty())
        return 0;
    auto text = full_text_query(session, words);
    long long count = 0;
    long long limit = MAX_SEARCH_COUNT + 1;
    if (is_sqlite(session)) {
        session << "SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT rowid AS found FROM mail_search WHERE mail_search "
                   "MATCH :query) matches CROSS JOIN mail_entry e WHERE e.message_id = matches.found AND e.owner_id = "
                   ":owner AND e.deleted = 0 AND e.folder <> 'drafts' LIMIT :limit) counted",
            soci::use(text), soci::use(owner_id), soci::use(limit), soci::into(count);
        return count;
    }
    if (few_matches(session, words)) {
        session << "SELECT COUNT(*) FROM (SELECT id FROM mail_message WHERE search @@ to_tsquery('simple', :query) "
                   "OFFSET 0) matches CROSS JOIN LATERAL (SELECT e.id FROM mail_entry e WHERE e.message_id = "
                   "matches.id AND e.owner_id = :owner AND e.deleted = 0 AND e.folder <> 'drafts' LIMIT 1) held",
            soci::use(text), soci::use(owner_id), soci::into(count);
        return std::min(count, limit);
    }
    session << "SELECT COUNT(*) FROM (SELECT 1 FROM mail_entry e CROSS JOIN LATERAL (SELECT m.search @@ "
               "to_tsquery('simple', :query) AS hit FROM mail_message m WHERE m.id = e.message_id LIMIT 1) found "
               "WHERE e.owner_id = :owner AND e.deleted = 0 AND e.folder <> 'drafts' AND found.hit "
               "ORDER BY e.owner_id DESC, e.message_id DESC LIMIT :limit) counted",
        soci::use(text), soci::use(owner_id), soci::use(limit), soci::into(count);
    return count;
}

long long unread_count(soci::session& session, long long owner_id)
{
    long long count = 0;
    session << "SELECT COUNT(*) FROM mail_entry WHERE owner_id = :owner AND deleted = 0 AND folder = 'inbox' "
               "AND is_read = 0",
        soci::use(owner_id), soci::into(count);
    return count;
}

std::vector<Entry> latest_unread(soci::session& session, long long owner_id, long long limit)
{
    return db::prepared<LatestUnread>(session).fetch(owner_id, limit);
}

std::optional<Entry> find_entry(soci::session& session, long long owner_id, long long message_id)
{
    auto found = fetch_entries(session, "AND m.id = :message", owner_id, { message_id });
    if (found.empty())
        return std::nullopt;
    return found.front();
}

std::vector<Person> recipients_of(soci::session& session, long long message_id)
{
    std::vector<Person> result;
    Person row;
    std::string first_name;
    std::string last_name;
    soci::statement statement
        = (session.prepare << "SELECT u.id, u.first_name, u.last_name FROM mail_recipient r JOIN identity_user u "
                              "ON u.id = r.user_id WHERE r.message_id = :message ORDER BY r.position",
            soci::use(message_id), soci::into(row.id), soci::into(first_name), soci::into(last_name));
    statement.execute();
    while (statement.fetch()) {
        row.name = first_name;
        row.name += ' ';
        row.name += last_name;
        result.push_back(row);
    }
    return result;
}

long long save_draft(soci::session& session, identity::User const& sender, std::optional<long long> draft_id,
    std::vector<long long> const& recipients, std::string const& subject, std::string const& body_html, long long now)
{
    auto const body = html::sanitize(body_html);
    long long id = 0;
    if (draft_id) {
        id = *draft_id;
        session << "UPDATE mail_message SET subject = :subject, body = :body, format = 'html', created_at = :now "
                   "WHERE id = :id AND sender_id = :sender AND is_draft = 1",
            soci::use(subject), soci::use(body), soci::use(now), soci::use(id), soci::use(sender.id);
        session << "UPDATE mail_entry SET arrived_at = :now WHERE message_id = :id AND owner_id = :sender",
            soci::use(now), soci::use(id), soci::use(sender.id);
        session << "DELETE FROM mail_recipient WHERE message_id = :id", soci::use(id);
        auto count = static_cast<long long>(recipients.size());
        session << "UPDATE mail_message SET recipient_count = :count WHERE id = :id", soci::use(count), soci::use(id);
    } else {
        auto count = static_cast<long long>(recipients.size());
        session
            << "INSERT INTO mail_message (structure_id, sender_id, subject, body, format, is_draft, created_at, "
               "recipient_count) VALUES (:structure, :sender, :subject, :body, 'html', 1, :now, :count) RETURNING id",
            soci::use(sender.structure_id), soci::use(sender.id), soci::use(subject), soci::use(body), soci::use(now),
            soci::use(count), soci::into(id);
        session << "INSERT INTO mail_entry (message_id, owner_id, folder, is_read, arrived_at) "
                   "VALUES (:message, :owner, 'drafts', 1, :now)",
            soci::use(id), soci::use(sender.id), soci::use(now);
    }
    if (recipients.empty())
        return id;
    if (!is_sqlite(session)) {
        // One statement, one round trip, however many recipients.
        auto array = db::bigint_array(recipients);
        session << "INSERT INTO mail_recipient (message_id, user_id, position) SELECT :message, t.user_id, "
                   "t.position FROM unnest(CAST(:users AS BIGINT[])) WITH ORDINALITY AS t(user_id, position)",
            soci::use(id), soci::use(array);
        return id;
    }
    // One prepared statement for every recipient (soci's bulk binding; SQLite
    // runs in the process, a row costs no round trip).
    std::vector<long long> message_ids(recipients.size(), id);
    std::vector<long long> positions(recipients.size());
    for (std::size_t index = 0; index < positions.size(); ++index)
        positions[index] = static_cast<long long>(index) + 1;
    session << "INSERT INTO mail_recipient (message_id, user_id, position) VALUES (:message, :user, :position)",
        soci::use(message_ids), soci::use(recipients), soci::use(positions);
    return id;
}

void send_draft(soci::session& session, long long sender_id, long long draft_id, long long now)
{
    session << "UPDATE mail_message SET is_draft = 0, sent_at = :now WHERE id = :id AND sender_id = :sender",
        soci::use(now), soci::use(draft_id), soci::use(sender_id);
    session << "UPDATE mail_entry SET folder = 'sent', arrived_at = :now WHERE message_id = :id AND owner_id = :sender",
        soci::use(now), soci::use(draft_id), soci::use(sender_id);
    session << "INSERT INTO mail_entry (message_id, owner_id, folder, is_read, arrived_at) "
               "SELECT message_id, user_id, 'inbox', 0, :now FROM mail_recipient WHERE message_id = :id",
        soci::use(now), soci::use(draft_id);
    index_message(session, draft_id);
}

std::string body_html(Entry const& entry)
{
    return entry.is_html ? html::sanitize(entry.body) : html::from_plain_text(entry.body);
}

std::string body_text(Entry const& entry)
{
    return entry.is_html ? html::plain_text(entry.body) : entry.body;
}

namespace {

std::vector<Attachment> fetch_attachments(
    soci::session& session, std::string const& condition, long long key, long long second_key)
{
    std::vector<Attachment> result;
    Attachment row;
    soci::statement statement = (session.prepare << "SELECT id, message_id, name, content_type, size, stored_name "
                                                    "FROM mail_attachment WHERE "
                + condition + " ORDER BY id",
        soci::use(key), soci::use(second_key), soci::into(row.id), soci::into(row.message_id), soci::into(row.name),
        soci::into(row.content_type), soci::into(row.size), soci::into(row.stored_name));
    statement.execute();
    while (statement.fetch())
        result.push_back(row);
    return result;
}

} // namespace

std::vector<Attachment> attachments_of(soci::session& session, long long message_id)
{
    return fetch_attachments(session, "message_id = :message AND id > :none", message_id, 0);
}

std::optional<Attachment> find_attachment(soci::session& session, long long message_id, long long attachment_id)
{
    auto found = fetch_attachments(session, "message_id = :message AND id = :id", message_id, attachment_id);
    if (found.empty())
        return std::nullopt;
    return found.front();
}

long long add_attachment(soci::session& session, long long owner_id, Attachment const& attachment, long long now)
{
    long long id = 0;
    session << "INSERT INTO mail_attachment (message_id, owner_id, name, content_type, size, stored_name, created_at) "
               "VALUES (:message, :owner, :name, :type, :size, :stored, :now) RETURNING id",
        soci::use(attachment.message_id), soci::use(owner_id), soci::use(attachment.name),
        soci::use(attachment.content_type), soci::use(attachment.size), soci::use(attachment.stored_name),
        soci::use(now), soci::into(id);
    return id;
}

std::optional<std::string> remove_attachment(
    soci::session& session, long long owner_id, long long draft_id, long long attachment_id)
{
    std::string stored_name;
    soci::indicator found = soci::i_null;
    session << "SELECT a.stored_name FROM mail_attachment a JOIN mail_message m ON m.id = a.message_id "
               "WHERE a.id = :id AND a.message_id = :draft AND m.sender_id = :owner AND m.is_draft = 1",
        soci::use(attachment_id), soci::use(draft_id), soci::use(owner_id), soci::into(stored_name, found);
    if (found != soci::i_ok)
        return std::nullopt;
    session << "DELETE FROM mail_attachment WHERE id = :id", soci::use(attachment_id);
    long long others = 0;
    session << "SELECT COUNT(*) FROM mail_attachment WHERE stored_name = :stored", soci::use(stored_name),
        soci::into(others);
    if (others > 0)
        return std::string();
    return stored_name;
}

void copy_attachments(
    soci::session& session, long long owner_id, long long from_message_id, long long to_draft_id, long long now)
{
    if (!find_entry(session, owner_id, from_message_id))
        return;
    for (auto attachment : attachments_of(session, from_message_id)) {
        attachment.message_id = to_draft_id;
        add_attachment(session, owner_id, attachment, now);
    }
}

long long attachment_bytes_of(soci::session& session, long long owner_id)
{
    long long total = 0;
    soci::indicator indicator = soci::i_null;
    session << "SELECT SUM(a.size) FROM mail_attachment a JOIN mail_entry e ON e.message_id = a.message_id "
               "AND e.owner_id = a.owner_id WHERE a.owner_id = :owner AND e.deleted = 0",
        soci::use(owner_id), soci::into(total, indicator);
    return indicator == soci::i_ok ? total : 0;
}

bool set_read(soci::session& session, long long owner_id, long long message_id, bool read)
{
    long long value = read ? 1 : 0;
    soci::statement statement = (session.prepare << "UPDATE mail_entry SET is_read = :read WHERE owner_id = :owner "
                                                    "AND message_id = :message AND deleted = 0",
        soci::use(value), soci::use(owner_id), soci::use(message_id));
    return changed(statement);
}

bool move_to_trash(soci::session& session, long long owner_id, long long message_id)
{
    soci::statement statement = (session.prepare << "UPDATE mail_entry SET previous_folder = folder, folder = 'trash' "
                                                    "WHERE owner_id = :owner AND message_id = :message AND deleted = 0 "
                                                    "AND folder <> 'trash'",
        soci::use(owner_id), soci::use(message_id));
    return changed(statement);
}

bool restore(soci::session& session, long long owner_id, long long message_id)
{
    soci::statement statement = (session.prepare << "UPDATE mail_entry SET folder = CASE WHEN previous_folder = '' "
                                                    "OR (previous_folder = 'personal' AND folder_id IS NULL) "
                                                    "THEN 'inbox' ELSE previous_folder END, previous_folder = '' "
                                                    "WHERE owner_id = :owner AND message_id = :message AND deleted = 0 "
                                                    "AND folder = 'trash'",
        soci::use(owner_id), soci::use(message_id));
    return changed(statement);
}

long long empty_trash(soci::session& session, long long owner_id)
{
    soci::statement statement = (session.prepare << "UPDATE mail_entry SET deleted = 1 WHERE owner_id = :owner "
                                                    "AND folder = 'trash' AND deleted = 0",
        soci::use(owner_id));
    statement.execute(true);
    return statement.get_affected_rows();
}

std::vector<PersonalFolder> personal_folders(soci::session& session, long long owner_id)
{
    std::vector<PersonalFolder> all;
    PersonalFolder row;
    soci::statement statement = (session.prepare << "SELECT id, COALESCE(parent_id, 0), name FROM mail_folder "
                                                    "WHERE owner_id = :owner ORDER BY name, id",
        soci::use(owner_id), soci::into(row.id), soci::into(row.parent_id), soci::into(row.name));
    statement.execute();
    while (statement.fetch())
        all.push_back(row);
    std::vector<PersonalFolder> ordered;
    ordered.reserve(all.size());
    for (auto const& top : all) {
        if (top.parent_id != 0)
            continue;
        ordered.push_back(top);
        for (auto const& child : all) {
            if (child.parent_id == top.id)
                ordered.push_back(child);
        }
    }
    return ordered;
}

std::optional<long long> create_folder(
    soci::session& session, long long owner_id, std::string const& name, long long parent_id, long long now)
{
    if (parent_id != 0) {
        long long count = 0;
        session << "SELECT COUNT(*) FROM mail_folder WHERE id = :parent AND owner_id = :owner AND parent_id IS NULL",
            soci::use(parent_id), soci::use(owner_id), soci::into(count);
        if (count == 0)
            return std::nullopt;
    }
    long long id = 0;
    soci::indicator parent_indicator = parent_id != 0 ? soci::i_ok : soci::i_null;
    session << "INSERT INTO mail_folder (owner_id, parent_id, name, created_at) VALUES (:owner, :parent, :name, :now) "
               "RETURNING id",
        soci::use(owner_id), soci::use(parent_id, parent_indicator), soci::use(name), soci::use(now), soci::into(id);
    return id;
}

std::vector<Entry> personal_folder_page(soci::session& session, long long owner_id, long long folder_id, long long page)
{
    auto offset = (std::max(page, 1LL) - 1) * PAGE_SIZE;
    return fetch_entries(session,
        "AND e.folder = 'personal' AND e.folder_id = :folder ORDER BY e.arrived_at DESC, e.id DESC "
        "LIMIT :limit OFFSET :offset",
        owner_id, { folder_id, PAGE_SIZE, offset });
}

long long personal_folder_count(soci::session& session, long long owner_id, long long folder_id)
{
    long long count = 0;
    session << "SELECT COUNT(*) FROM mail_entry WHERE owner_id = :owner AND deleted = 0 AND folder = 'personal' "
               "AND folder_id = :folder",
        soci::use(owner_id), soci::use(folder_id), soci::into(count);
    return count;
}

bool move_to_folder(soci::session& session, long long owner_id, long long message_id, long long folder_id)
{
    if (folder_id != 0) {
        long long count = 0;
        session << "SELECT COUNT(*) FROM mail_folder WHERE id = :folder AND owner_id = :owner", soci::use(folder_id),
            soci::use(owner_id), soci::into(count);
        if (count == 0)
            return false;
        soci::statement statement
            = (session.prepare << "UPDATE mail_entry SET folder = 'personal', folder_id = :folder "
                                  "WHERE owner_id = :owner AND message_id = :message AND deleted = 0 "
                                  "AND folder IN ('inbox', 'personal')",
                soci::use(folder_id), soci::use(owner_id), soci::use(message_id));
        return changed(statement);
    }
    soci::statement statement = (session.prepare << "UPDATE mail_entry SET folder = 'inbox', folder_id = NULL "
                                                    "WHERE owner_id = :owner AND message_id = :message AND deleted = 0 "
                                                    "AND folder IN ('inbox', 'personal')",
        soci::use(owner_id), soci::use(message_id));
    return changed(statement);
}

bool changed(soci::statement& statement)
{
    statement.execute(true);
    return statement.get_affected_rows() > 0;
}

std::vector<long long> ids_of(soci::session& session, std::string const& sql, long long key)
{
    std::vector<long long> result;
    long long id = 0;
    soci::statement statement = (session.prepare << sql, soci::use(key), soci::into(id));
    statement.execute();
    while (statement.fetch())
        result.push_back(id);
    return result;
}

} // namespace cartable::mail
