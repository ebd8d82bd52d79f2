-- The messagerie. A message is stored once, whoever it goes to; each person
-- who holds it (its sender, each recipient) has one entry in their mailbox,
-- which says in which folder it sits and whether they read it.
CREATE TABLE mail_message (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id),
    sender_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    is_draft BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);

-- Whom a message is (or, for a draft, will be) addressed to, in order.
CREATE TABLE mail_recipient (
    message_id BIGINT NOT NULL REFERENCES mail_message (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX mail_recipient_user ON mail_recipient (user_id);

-- A person's own folders, nested one level (parent_id of a top folder is NULL).
CREATE TABLE mail_folder (
    id {{ID}},
    owner_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES mail_folder (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX mail_folder_owner ON mail_folder (owner_id);

-- One line of a mailbox: folder is 'inbox', 'sent', 'drafts', 'trash' or
-- 'personal' (then folder_id says which); previous_folder is where « Restaurer »
-- puts back a message from the trash; deleted once the trash is emptied.
CREATE TABLE mail_entry (
    id {{ID}},
    message_id BIGINT NOT NULL REFERENCES mail_message (id) ON DELETE CASCADE,
    owner_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    folder TEXT NOT NULL,
    folder_id BIGINT REFERENCES mail_folder (id) ON DELETE SET NULL,
    previous_folder TEXT NOT NULL DEFAULT '',
    is_read BIGINT NOT NULL DEFAULT 0,
    deleted BIGINT NOT NULL DEFAULT 0,
    UNIQUE (message_id, owner_id)
);
CREATE INDEX mail_entry_mailbox ON mail_entry (owner_id, deleted, folder, message_id);
