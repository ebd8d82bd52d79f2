-- « Cahier de textes »: per class or group and subject, the séances (what
-- was done in a lesson) and the travail à faire (homework and its due date),
-- their attachments; what students tick « Fait », hand in online, or note
-- for themselves; the direction's visa; the readers an administrator adds
-- (inspectors); the private iCalendar links.
-- Days are days since 1970-01-01 and minutes are of the school's day
-- (core/school_time.h); publish_at and *_at are Unix seconds.

CREATE TABLE lesson_book_session (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    class_id BIGINT NOT NULL REFERENCES identity_class (id) ON DELETE CASCADE,
    subject_id BIGINT NOT NULL REFERENCES identity_subject (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    day BIGINT NOT NULL,
    start_minute BIGINT NOT NULL DEFAULT 0,
    end_minute BIGINT NOT NULL DEFAULT 0,
    slot_id BIGINT NOT NULL DEFAULT 0, -- the timetable's slot (services/timetable); 0: outside it
    title TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '', -- rich text, sanitized
    links TEXT NOT NULL DEFAULT '', -- addresses, one per line
    publish_at BIGINT NOT NULL DEFAULT 0, -- students and guardians see it from then
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX lesson_book_session_class ON lesson_book_session (class_id, day);
CREATE INDEX lesson_book_session_author ON lesson_book_session (author_id);

CREATE TABLE lesson_book_homework (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    class_id BIGINT NOT NULL REFERENCES identity_class (id) ON DELETE CASCADE,
    subject_id BIGINT NOT NULL REFERENCES identity_subject (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    session_id BIGINT REFERENCES lesson_book_session (id) ON DELETE SET NULL, -- the séance it was given in
    given_day BIGINT NOT NULL,
    due_day BIGINT NOT NULL,
    description TEXT NOT NULL, -- rich text, sanitized
    estimated_minutes BIGINT NOT NULL DEFAULT 0,
    hand_in_online BIGINT NOT NULL DEFAULT 0,
    publish_at BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    due_changed_at BIGINT NOT NULL DEFAULT 0 -- when the due date last changed
);
CREATE INDEX lesson_book_homework_class ON lesson_book_homework (class_id, due_day);
CREATE INDEX lesson_book_homework_author ON lesson_book_homework (author_id);
CREATE INDEX lesson_book_homework_session ON lesson_book_homework (session_id);

-- A file of a séance or of a homework (one of the two), stored under the
-- data directory by its id.
CREATE TABLE lesson_book_attachment (
    id {{ID}},
    session_id BIGINT REFERENCES lesson_book_session (id) ON DELETE CASCADE,
    homework_id BIGINT REFERENCES lesson_book_homework (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    stored_name TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL DEFAULT 'application/octet-stream',
    created_at BIGINT NOT NULL
);
CREATE INDEX lesson_book_attachment_session ON lesson_book_attachment (session_id);
CREATE INDEX lesson_book_attachment_homework ON lesson_book_attachment (homework_id);

-- « Fait »: ticked by the student, seen by the guardians.
CREATE TABLE lesson_book_done (
    homework_id BIGINT NOT NULL REFERENCES lesson_book_homework (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    done_at BIGINT NOT NULL,
    PRIMARY KEY (homework_id, student_id)
);
CREATE INDEX lesson_book_done_student ON lesson_book_done (student_id);

-- A copy handed in online, when the homework asks for one.
CREATE TABLE lesson_book_hand_in (
    id {{ID}},
    homework_id BIGINT NOT NULL REFERENCES lesson_book_homework (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    stored_name TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL DEFAULT 'application/octet-stream',
    handed_at BIGINT NOT NULL
);
CREATE INDEX lesson_book_hand_in_homework ON lesson_book_hand_in (homework_id, student_id);

-- A student's own note in his agenda (visible to him and his guardians).
CREATE TABLE lesson_book_personal (
    id {{ID}},
    student_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    day BIGINT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL, -- plain text
    done BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX lesson_book_personal_student ON lesson_book_personal (student_id, day);

-- « Vu le … par … »: the direction's or an inspector's visa of a class's
-- book in a subject (subject_id 0: every subject) up to a day.
CREATE TABLE lesson_book_visa (
    id {{ID}},
    class_id BIGINT NOT NULL REFERENCES identity_class (id) ON DELETE CASCADE,
    subject_id BIGINT NOT NULL DEFAULT 0,
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    until_day BIGINT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX lesson_book_visa_class ON lesson_book_visa (class_id);

-- People an administrator lets read a structure's whole lesson book
-- (inspectors of the académie).
CREATE TABLE lesson_book_reader (
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    granted_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, structure_id)
);

-- The private iCalendar link of a person (the SHA-256 of its token).
CREATE TABLE lesson_book_feed (
    user_id BIGINT PRIMARY KEY REFERENCES identity_user (id) ON DELETE CASCADE,
    token_digest TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
