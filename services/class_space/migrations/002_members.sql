-- Free spaces made by a teacher, and the people invited into a space (a
-- free space's members; anyone a manager adds to a class's space). A class's
-- own members still come from the directory.
ALTER TABLE class_space ADD COLUMN owner_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL;
ALTER TABLE class_space ADD COLUMN description TEXT NOT NULL DEFAULT '';
CREATE TABLE class_space_member (
    space_id BIGINT NOT NULL REFERENCES class_space (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    added_by BIGINT,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (space_id, user_id)
);
CREATE INDEX class_space_member_user ON class_space_member (user_id);
