-- The administration console: who may write to whom in a structure (the
-- messaging asks; a missing row means the default), storage quotas per
-- profile (missing: the default), and the académies of the platform with
-- their région.
CREATE TABLE admin_communication_rule (
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    from_profile TEXT NOT NULL,
    to_profile TEXT NOT NULL,
    allowed BIGINT NOT NULL,
    PRIMARY KEY (structure_id, from_profile, to_profile)
);

CREATE TABLE admin_quota (
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    profile TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    PRIMARY KEY (structure_id, profile)
);

CREATE TABLE admin_academy (
    id {{ID}},
    name TEXT NOT NULL UNIQUE,
    region TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
