-- Lookups by the feed's keys bind a parameter, which a partial index
-- (WHERE external_id <> '') cannot serve: plain indexes for them.
CREATE INDEX identity_user_external_lookup ON identity_user (external_id);
CREATE INDEX identity_structure_external_lookup ON identity_structure (external_id);
