-- « Mot de passe oublié » : a link sent to the person's reception address
-- carries a random token; only its SHA-256 is kept here. Valid one hour,
-- used once; using one ends every other link of the person.
CREATE TABLE account_password_reset (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    token_digest TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX account_password_reset_user ON account_password_reset (user_id);
