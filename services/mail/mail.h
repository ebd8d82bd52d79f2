// SPDX-License-Identifier: AGPL-3.0-or-later
// « Messagerie »: messages between the members of a structure, as the
// structure's communication rules allow (services/mail/README.md).
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include "core/identity/identity.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <string_view>
#include <vector>

namespace cartable {
struct Services;
}

namespace cartable::mail {

enum class Folder { Inbox, Sent, Drafts, Trash };

std::string_view folder_code(Folder); // "inbox", as stored
std::optional<Folder> folder_from_code(std::string_view);

inline constexpr long long PAGE_SIZE = 25;

// One message as one person holds it in their mailbox.
struct Entry {
    long long message_id { 0 };
    long long sender_id { 0 }; // 0 once the sender's account is gone
    std::string sender_name;
    std::string subject;
    std::string body; // as stored: sanitized HTML, or plain text for older messages
    bool is_html { false };
    bool is_draft { false };
    long long created_at { 0 };
    long long sent_at { 0 };
    std::string folder; // its code
    long long folder_id { 0 }; // for a personal folder
    std::string previous_folder;
    bool is_read { false };
};

// The message's text as (sanitized) HTML, whichever way it was stored.
std::string body_html(Entry const&);
// Its text without markup, for quoting and exports.
std::string body_text(Entry const&);

struct Person {
    long long id { 0 };
    std::string name; // « Samuel BEAUMONT »
    std::string detail; // in suggestions: the profile (« Enseignant »), two namesakes told apart
};

// Whether `from` may write to `to`: the structure's rules, and a guardian
// always to their own children.
bool may_write_to(soci::session&, identity::User const& from, identity::User const& to);
// The people `from` may write to whose name contains `query`, by name.
std::vector<Person> searchable_recipients(soci::session&, identity::User const& from, std::string const& query);

// Entries of a folder, newest first, one page (from 1).
std::vector<Entry> folder_page(soci::session&, long long owner_id, Folder, long long page);
long long folder_count(soci::session&, long long owner_id, Folder);
long long unread_count(soci::session&, long long owner_id);
// The messages of the person's folders (not emptied from the trash) whose
// subject, text or sender's name hold words starting with each word of
// `query` (accents and case aside), newest first, one page; and how many
// there are, counted up to MAX_SEARCH_COUNT + 1 (« plus de 1 000 »).
inline constexpr long long MAX_SEARCH_COUNT = 1000;
std::vector<Entry> search(soci::session&, long long owner_id, std::string const& query, long long page);
long long search_count(soci::session&, long long owner_id, std::string const& query);
// The newest unread messages of the inbox.
std::vector<Entry> latest_unread(soci::session&, long long owner_id, long long limit);

// A person's own folder; nested one level (parent_id 0 for a top folder).
struct PersonalFolder {
    long long id { 0 };
    long long parent_id { 0 };
    std::string name;
};
inline constexpr std::size_t MAX_FOLDER_NAME = 60;

// The person's folders, each top folder followed by its subfolders, by name.
std::vector<PersonalFolder> personal_folders(soci::session&, long long owner_id);
// The new folder's id; nothing when the parent is not a top folder of theirs.
std::optional<long long> create_folder(
    soci::session&, long long owner_id, std::string const& name, long long parent_id, long long now);
std::vector<Entry> personal_folder_page(soci::session&, long long owner_id, long long folder_id, long long page);
long long personal_folder_count(soci::session&, long long owner_id, long long folder_id);
// « Déplacer » a message the person holds (not in the trash) into one of
// their folders, or back to the inbox (folder_id 0).
bool move_to_folder(soci::session&, long long owner_id, long long message_id, long long folder_id);

// The message as its owner holds it; nothing when they neither sent nor
// received it (or emptied it from their trash).
std::optional<Entry> find_entry(soci::session&, long long owner_id, long long message_id);
std::vector<Person> recipients_of(soci::session&, long long message_id);

// A new draft (or the draft of that id rewritten) by `sender`, its id. The
// text is rich text: it is sanitized (core/html/rich_text.h) before it is stored.
long long save_draft(soci::session&, identity::User const& sender, std::optional<long long> draft_id,
    std::vector<long long> const& recipients, std::string const& subject, std::string const& body_html, long long now);
// Sends a draft of the sender: one inbox entry per recipient, the sender's
// entry into « Messages envoyés », its words in the search index.
void send_draft(soci::session&, long long sender_id, long long draft_id, long long now);

// A file attached to a message (stored once, under the data directory).
struct Attachment {
    long long id { 0 };
    long long message_id { 0 };
    std::string name; // as the sender's browser gave it
    std::string content_type;
    long long size { 0 };
    std::string stored_name; // the file's name under mail/attachments
};
inline constexpr long long MAX_ATTACHMENT_BYTES = 10LL << 20; // one file
inline constexpr long long MAX_MESSAGE_ATTACHMENT_BYTES = 20LL << 20; // all the files of a message
inline constexpr std::size_t MAX_ATTACHMENTS = 10;

std::vector<Attachment> attachments_of(soci::session&, long long message_id);
std::optional<Attachment> find_attachment(soci::session&, long long message_id, long long attachment_id);
long long add_attachment(soci::session&, long long owner_id, Attachment const&, long long now);
// Removes an attachment from a draft of the owner; the stored file name when
// no other message refers to it any more (the caller removes the file).
std::optional<std::string> remove_attachment(
    soci::session&, long long owner_id, long long draft_id, long long attachment_id);
// Forwarding: the attachments of a message the owner holds, added to their
// draft (the files are shared, not copied).
void copy_attachments(
    soci::session&, long long owner_id, long long from_message_id, long long to_draft_id, long long now);
// The bytes of attachments counted in a person's quota: those of the
// messages they wrote and still keep (not emptied from their trash).
long long attachment_bytes_of(soci::session&, long long owner_id);

bool set_read(soci::session&, long long owner_id, long long message_id, bool read);
bool move_to_trash(soci::session&, long long owner_id, long long message_id);
bool restore(soci::session&, long long owner_id, long long message_id);
long long empty_trash(soci::session&, long long owner_id);

// Every message the person holds, for « Mes données » (a JSON array).
std::string personal_data_json(soci::session&, long long person_id);
// A former member's mailbox, folders and drafts, removed with their personal data.
void forget_mailbox(soci::session&, long long person_id);

// The demo school's messages (app/demo_school.cpp), once its people exist.
void add_demo_messages(soci::session&, long long now);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
ErrorOr<void> start(Services&);

} // namespace cartable::mail
