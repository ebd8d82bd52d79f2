-- Administrators of the platform (structures, académies, announcements of
-- the whole deployment) beside those of one structure; the structure of each
-- audited action, so that a structure's administrators read their own; and
-- a person's objection, at closure, to keeping their public contributions
-- under « Ancien membre ».
ALTER TABLE identity_user ADD COLUMN platform_admin BIGINT NOT NULL DEFAULT 0;
ALTER TABLE identity_user ADD COLUMN erase_contributions BIGINT NOT NULL DEFAULT 0;
ALTER TABLE identity_audit ADD COLUMN structure_id BIGINT;
CREATE INDEX identity_audit_structure ON identity_audit (structure_id, at);
CREATE INDEX identity_audit_at ON identity_audit (at);
