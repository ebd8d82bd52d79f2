-- The agenda of a space. Times are the school's wall-clock time
-- (Europe/Paris) in minutes since 1970-01-01 00:00, so that a weekly event
-- at 10:00 stays at 10:00 across the change of hour; `series_end` is the
-- end of the last occurrence, for the range of a month or a week.
CREATE TABLE class_space_event (
    id {{ID}},
    space_id BIGINT NOT NULL REFERENCES class_space (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    all_day BIGINT NOT NULL DEFAULT 0,
    start_local BIGINT NOT NULL,
    end_local BIGINT NOT NULL,
    recurrence TEXT NOT NULL DEFAULT '',
    until_day BIGINT NOT NULL DEFAULT 0,
    series_end BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX class_space_event_space ON class_space_event (space_id, start_local);
-- The private subscription link of a person to a space's agenda: only the
-- SHA-256 of its secret is kept, like a session's. « Révoquer le lien »
-- replaces it.
CREATE TABLE class_space_agenda_feed (
    space_id BIGINT NOT NULL REFERENCES class_space (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    token_digest TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (space_id, user_id)
);
CREATE INDEX class_space_agenda_feed_user ON class_space_agenda_feed (user_id);
