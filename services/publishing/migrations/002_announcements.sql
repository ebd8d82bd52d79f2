-- Announcements (« Annonces ») from the platform's support team, the région,
-- the académie or the structure, shown on the Accueil of the people they
-- reach during their display period.
CREATE TABLE publishing_announcement (
    id {{ID}},
    scope TEXT NOT NULL,
    scope_key TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link_url TEXT NOT NULL DEFAULT '',
    profiles TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX publishing_announcement_period ON publishing_announcement (ends_at, starts_at);
