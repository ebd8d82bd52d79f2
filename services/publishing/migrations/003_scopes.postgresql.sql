-- News and agenda dates get a scope like announcements: the structure (its
-- id in structure_id), the académie or the région (its name in scope_key) or
-- the platform. PostgreSQL alters the tables in place; the SQLite file of the
-- same number rebuilds them, to the same schema.
ALTER TABLE publishing_news ADD COLUMN scope TEXT NOT NULL DEFAULT 'structure';
ALTER TABLE publishing_news ADD COLUMN scope_key TEXT NOT NULL DEFAULT '';
ALTER TABLE publishing_news ALTER COLUMN structure_id DROP NOT NULL;
ALTER TABLE publishing_news ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE publishing_news ADD COLUMN image_name TEXT NOT NULL DEFAULT '';
ALTER TABLE publishing_news ADD COLUMN image_type TEXT NOT NULL DEFAULT '';
ALTER TABLE publishing_news ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
UPDATE publishing_news SET updated_at = published_at;
CREATE INDEX publishing_news_scope ON publishing_news (scope, scope_key, published_at);

ALTER TABLE publishing_event ADD COLUMN scope TEXT NOT NULL DEFAULT 'structure';
ALTER TABLE publishing_event ADD COLUMN scope_key TEXT NOT NULL DEFAULT '';
ALTER TABLE publishing_event ALTER COLUMN structure_id DROP NOT NULL;
CREATE INDEX publishing_event_scope ON publishing_event (scope, scope_key, starts_at);
