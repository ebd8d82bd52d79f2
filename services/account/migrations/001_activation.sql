-- Activation codes of local accounts: people imported from the académie's
-- feed or a CSV file have no password; the secretariat prints them a letter
-- with a code, and the first sign-in with that code sets the password. Only
-- the SHA-256 of a code is kept, with its last two characters for the
-- secretariat (« le code qui finit par RW »).
CREATE TABLE account_activation (
    user_id BIGINT PRIMARY KEY REFERENCES identity_user (id) ON DELETE CASCADE,
    code_digest TEXT NOT NULL,
    code_hint TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NOT NULL DEFAULT 0
);
