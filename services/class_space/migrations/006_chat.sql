-- The « Chat » tab of a space: its messages, plain text, kept so that the
-- page shows the history (paged by id, newest last) and a message posted
-- without JavaScript reaches the people connected.
CREATE TABLE class_space_chat_message (
    id {{ID}},
    space_id BIGINT NOT NULL REFERENCES class_space (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX class_space_chat_message_space ON class_space_chat_message (space_id, id);
