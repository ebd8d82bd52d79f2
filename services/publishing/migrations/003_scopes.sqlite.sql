-- News and agenda dates get a scope like announcements: the structure (its
-- id in structure_id), the académie or the région (its name in scope_key) or
-- the platform. SQLite cannot drop a NOT NULL: both tables are rebuilt
-- (create, copy, drop, rename), keeping their ids and their sequences. The PostgreSQL file of the
-- same number alters them in place, to the same schema.
CREATE TABLE publishing_news_scoped (
    id {{ID}},
    scope TEXT NOT NULL DEFAULT 'structure',
    scope_key TEXT NOT NULL DEFAULT '',
    structure_id BIGINT REFERENCES identity_structure (id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    image_name TEXT NOT NULL DEFAULT '',
    image_type TEXT NOT NULL DEFAULT '',
    is_public BIGINT NOT NULL DEFAULT 0,
    published_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO publishing_news_scoped (id, scope, scope_key, structure_id, title, summary, body, author_id, is_public,
    published_at, updated_at)
SELECT id, 'structure', '', structure_id, title, summary, body, author_id, is_public, published_at, published_at
FROM publishing_news;
-- Ids of removed rows are not given again: the new table continues the old one's sequence.
DELETE FROM sqlite_sequence WHERE name = 'publishing_news_scoped';
INSERT INTO sqlite_sequence (name, seq) SELECT 'publishing_news_scoped', seq FROM sqlite_sequence WHERE name = 'publishing_news';
DROP TABLE publishing_news;
ALTER TABLE publishing_news_scoped RENAME TO publishing_news;
CREATE INDEX publishing_news_structure ON publishing_news (structure_id, published_at);
CREATE INDEX publishing_news_scope ON publishing_news (scope, scope_key, published_at);

CREATE TABLE publishing_event_scoped (
    id {{ID}},
    scope TEXT NOT NULL DEFAULT 'structure',
    scope_key TEXT NOT NULL DEFAULT '',
    structure_id BIGINT REFERENCES identity_structure (id),
    title TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    is_public BIGINT NOT NULL DEFAULT 1
);
INSERT INTO publishing_event_scoped (id, scope, scope_key, structure_id, title, place, starts_at, ends_at, is_public)
SELECT id, 'structure', '', structure_id, title, place, starts_at, ends_at, is_public FROM publishing_event;
-- Ids of removed rows are not given again: the new table continues the old one's sequence.
DELETE FROM sqlite_sequence WHERE name = 'publishing_event_scoped';
INSERT INTO sqlite_sequence (name, seq) SELECT 'publishing_event_scoped', seq FROM sqlite_sequence WHERE name = 'publishing_event';
DROP TABLE publishing_event;
ALTER TABLE publishing_event_scoped RENAME TO publishing_event;
CREATE INDEX publishing_event_structure ON publishing_event (structure_id, starts_at);
CREATE INDEX publishing_event_scope ON publishing_event (scope, scope_key, starts_at);
