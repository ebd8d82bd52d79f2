-- Who may publish for an académie, a région or the platform (« Site
-- inter-établissements »): granted by the deployment's administrators.
-- Structure scope needs no grant (its Admin and Staff profiles publish).
CREATE TABLE publishing_grant (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    scope_key TEXT NOT NULL DEFAULT '',
    granted_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    granted_at BIGINT NOT NULL,
    UNIQUE (user_id, scope, scope_key)
);
CREATE INDEX publishing_grant_scope ON publishing_grant (scope, scope_key);
