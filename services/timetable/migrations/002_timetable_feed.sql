-- The private iCalendar link of a person's timetable (a student's, a
-- guardian's children's, a teacher's): only the SHA-256 of its token is kept.
CREATE TABLE timetable_feed (
    user_id BIGINT PRIMARY KEY REFERENCES identity_user (id) ON DELETE CASCADE,
    token_digest TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
