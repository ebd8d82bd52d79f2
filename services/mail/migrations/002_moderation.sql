-- Abuse containment (issue #5): a cap of recipients per hour whose excess
-- waits for a staff member's approval, suspensions, recalls and reports.

-- The recipients a sender reached in the last hour, counted cheaply; and a
-- structure's recent messages for the moderation page.
CREATE INDEX mail_message_sender_sent ON mail_message (sender_id, sent_at);
CREATE INDEX mail_message_structure_sent ON mail_message (structure_id, sent_at);

-- A message beyond its sender's cap: not delivered (no recipient entry, the
-- sender's copy in « Messages envoyés » without sent_at) until a staff member
-- approves it; state is 'held', 'approved' or 'refused' (back in the drafts).
CREATE TABLE mail_held (
    message_id BIGINT PRIMARY KEY REFERENCES mail_message (id) ON DELETE CASCADE,
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    recipient_count BIGINT NOT NULL,
    held_at BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'held',
    decided_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    decided_at BIGINT
);
CREATE INDEX mail_held_queue ON mail_held (structure_id, state, held_at);

-- A suspended messagerie: one account's (user_id), or the whole structure's
-- (user_id NULL: everyone but staff and administrators). Lifting deletes it.
CREATE TABLE mail_suspension (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES identity_user (id) ON DELETE CASCADE,
    suspended_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    suspended_at BIGINT NOT NULL
);
CREATE INDEX mail_suspension_structure ON mail_suspension (structure_id, user_id);

-- A message recalled by a staff member: removed from every recipient's
-- mailbox (that many), the sender's copy shown « Rappelé ».
CREATE TABLE mail_recall (
    id {{ID}},
    message_id BIGINT NOT NULL UNIQUE REFERENCES mail_message (id) ON DELETE CASCADE,
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    recalled_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    recalled_at BIGINT NOT NULL,
    mailboxes BIGINT NOT NULL
);

-- « Signaler »: a recipient's report of a message to the structure's staff,
-- once per person and message; closed (« Classer ») by a staff member.
CREATE TABLE mail_report (
    id {{ID}},
    message_id BIGINT NOT NULL REFERENCES mail_message (id) ON DELETE CASCADE,
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    reporter_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    reason TEXT NOT NULL DEFAULT '',
    reported_at BIGINT NOT NULL,
    closed_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    closed_at BIGINT,
    UNIQUE (message_id, reporter_id)
);
CREATE INDEX mail_report_structure ON mail_report (structure_id, closed_at, reported_at);
