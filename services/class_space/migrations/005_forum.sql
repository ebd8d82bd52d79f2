-- The forum of a space: categories made by its managers, topics in them,
-- posts in the topics, and for each person and topic the last post read
-- (one row, upserted when the topic is opened). A topic and a post keep
-- their space's id, so that nothing is ever found through another space.
CREATE TABLE forum_category (
    id {{ID}},
    space_id BIGINT NOT NULL REFERENCES class_space (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX forum_category_space ON forum_category (space_id);
CREATE TABLE forum_topic (
    id {{ID}},
    space_id BIGINT NOT NULL REFERENCES class_space (id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES forum_category (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    pinned BIGINT NOT NULL DEFAULT 0,
    locked BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    post_count BIGINT NOT NULL DEFAULT 0,
    last_post_id BIGINT NOT NULL DEFAULT 0,
    last_post_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX forum_topic_category ON forum_topic (category_id, pinned, last_post_at, id);
CREATE TABLE forum_post (
    id {{ID}},
    space_id BIGINT NOT NULL REFERENCES class_space (id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES forum_topic (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX forum_post_topic ON forum_post (topic_id, id);
CREATE INDEX forum_post_space ON forum_post (space_id, created_at);
CREATE TABLE forum_read (
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES forum_topic (id) ON DELETE CASCADE,
    last_post_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, topic_id)
);
CREATE INDEX forum_read_topic ON forum_read (topic_id);
