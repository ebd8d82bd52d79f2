-- Every read of another person's personal data by staff: who, whom, what,
-- when; shown to the structure's direction.
CREATE TABLE directory_access_log (
    id {{ID}},
    at BIGINT NOT NULL,
    viewer_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    structure_id BIGINT NOT NULL,
    what TEXT NOT NULL
);
CREATE INDEX directory_access_log_structure ON directory_access_log (structure_id, at);
