-- The carnet de liaison: notes (« mots ») from the school to the guardians
-- of chosen students, each kept with its structure and school year.
CREATE TABLE liaison_note (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id),
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    school_year TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL,
    asks_reply BIGINT NOT NULL DEFAULT 0,
    sign_before_day BIGINT NOT NULL DEFAULT 0,
    attachment_name TEXT NOT NULL DEFAULT '',
    attachment_stored TEXT NOT NULL DEFAULT '',
    attachment_size BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX liaison_note_structure ON liaison_note (structure_id, school_year, created_at);
CREATE INDEX liaison_note_author ON liaison_note (author_id, school_year);

-- The students a note is about (frozen when it is sent), with their class then.
CREATE TABLE liaison_note_student (
    note_id BIGINT NOT NULL REFERENCES liaison_note (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    class_name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (note_id, student_id)
);
CREATE INDEX liaison_note_student_student ON liaison_note_student (student_id);

-- « J'ai pris connaissance »: one per legal guardian and student. A former
-- guardian's signature stays, signed « Ancien membre » (guardian_id NULL).
CREATE TABLE liaison_signature (
    id {{ID}},
    note_id BIGINT NOT NULL REFERENCES liaison_note (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL,
    guardian_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    guardian_name TEXT NOT NULL,
    signed_at BIGINT NOT NULL,
    UNIQUE (note_id, student_id, guardian_id)
);
CREATE INDEX liaison_signature_guardian ON liaison_signature (guardian_id);

-- Replies of guardians to a note that asks for one; kept, never deleted by them.
CREATE TABLE liaison_reply (
    id {{ID}},
    note_id BIGINT NOT NULL REFERENCES liaison_note (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL,
    guardian_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    guardian_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX liaison_reply_note ON liaison_reply (note_id, student_id);
CREATE INDEX liaison_reply_guardian ON liaison_reply (guardian_id);

-- « Relancer »: each reminder sent, by whom, to how many.
CREATE TABLE liaison_reminder (
    id {{ID}},
    note_id BIGINT NOT NULL REFERENCES liaison_note (id) ON DELETE CASCADE,
    sent_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    recipients BIGINT NOT NULL,
    sent_at BIGINT NOT NULL
);
CREATE INDEX liaison_reminder_note ON liaison_reminder (note_id);
