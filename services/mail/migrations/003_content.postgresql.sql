-- Rich text, attachments and full-text search (PostgreSQL).
-- format: 'text' for the plain messages of earlier versions, 'html' for
-- rich text sanitized when written (core/html/rich_text.h).
ALTER TABLE mail_message ADD COLUMN format TEXT NOT NULL DEFAULT 'text';

-- The words of each sent message (subject, sender's name, text), accents
-- folded by Cartable, so both engines find the same messages.
ALTER TABLE mail_message ADD COLUMN search tsvector;
CREATE INDEX mail_message_search ON mail_message USING GIN (search);

-- A file attached to a message: stored once under the data directory
-- (mail/attachments/<stored_name>) however many people hold the message, and
-- counted in its owner's quota while the owner keeps the message.
CREATE TABLE mail_attachment (
    id {{ID}},
    message_id BIGINT NOT NULL REFERENCES mail_message (id) ON DELETE CASCADE,
    owner_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    stored_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX mail_attachment_message ON mail_attachment (message_id);
CREATE INDEX mail_attachment_owner ON mail_attachment (owner_id);
CREATE INDEX mail_attachment_stored ON mail_attachment (stored_name);

-- When the message reached this mailbox (sent, received, or the draft last
-- saved): folders list by it, newest first, straight from the index.
ALTER TABLE mail_entry ADD COLUMN arrived_at BIGINT NOT NULL DEFAULT 0;
UPDATE mail_entry SET arrived_at = (SELECT COALESCE(m.sent_at, m.created_at) FROM mail_message m
    WHERE m.id = mail_entry.message_id);
CREATE INDEX mail_entry_arrival ON mail_entry (owner_id, deleted, folder, arrived_at, id);
-- The older mailbox index is covered by mail_entry_arrival's first columns;
-- a person's entries by message instead (a search reads a mailbox newest
-- message first).
DROP INDEX mail_entry_mailbox;
CREATE INDEX mail_entry_owner_message ON mail_entry (owner_id, message_id);

-- How many people a message (or draft) is addressed to: the hourly cap
-- (abuse containment) sums a few messages instead of counting their recipients.
ALTER TABLE mail_message ADD COLUMN recipient_count BIGINT NOT NULL DEFAULT 0;
UPDATE mail_message SET recipient_count = (SELECT COUNT(*) FROM mail_recipient r WHERE r.message_id = mail_message.id);
