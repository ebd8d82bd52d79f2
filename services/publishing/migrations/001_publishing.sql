-- News published by a structure, some of them public (shown on its portal).
CREATE TABLE publishing_news (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    is_public BIGINT NOT NULL DEFAULT 0,
    published_at BIGINT NOT NULL
);
CREATE INDEX publishing_news_structure ON publishing_news (structure_id, published_at);

-- Dates of the structure's public agenda.
CREATE TABLE publishing_event (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id),
    title TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    is_public BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX publishing_event_structure ON publishing_event (structure_id, starts_at);
