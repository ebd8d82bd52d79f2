-- How many recipients a person of a profile may reach in one hour in a
-- structure's messagerie (a missing row means the default); beyond it a
-- message waits for a staff member's approval (services/mail/README.md).
CREATE TABLE admin_recipient_cap (
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    profile TEXT NOT NULL,
    per_hour BIGINT NOT NULL,
    PRIMARY KEY (structure_id, profile)
);
