-- A member's pinned pages (« Ajouter à mes raccourcis »), in their order.
CREATE TABLE shortcuts_entry (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    url TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, url)
);
