-- The charter every person accepts before reaching the ENT, in versions; the
-- version each person last accepted is kept on the person, so that the gate
-- costs nothing more than the session's own query.
CREATE TABLE identity_charter (
    version BIGINT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL
);

CREATE TABLE identity_charter_acceptance (
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    accepted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, version)
);
CREATE INDEX identity_charter_acceptance_version ON identity_charter_acceptance (version, accepted_at);

ALTER TABLE identity_user ADD COLUMN charter_version BIGINT NOT NULL DEFAULT 0;

-- What the directory knows of how to reach a person (the académie's feed or
-- the structure's files fill it), and whether they are on the liste rouge.
CREATE TABLE identity_contact (
    user_id BIGINT PRIMARY KEY REFERENCES identity_user (id) ON DELETE CASCADE,
    address TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    phone_home TEXT NOT NULL DEFAULT '',
    phone_work TEXT NOT NULL DEFAULT '',
    phone_mobile TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    unlisted BIGINT NOT NULL DEFAULT 0
);

-- Personal access tokens of the mobile application (the REST API): the
-- database keeps the SHA-256 of each, never the token.
CREATE TABLE identity_api_token (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_digest TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL DEFAULT 0,
    revoked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX identity_api_token_user ON identity_api_token (user_id);

-- Accounts one person holds (parent and teacher, two structures): linked in
-- pairs, smaller id first; a person moves between them without signing in.
CREATE TABLE identity_account_link (
    first_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    second_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (first_id, second_id)
);
CREATE INDEX identity_account_link_second ON identity_account_link (second_id);
