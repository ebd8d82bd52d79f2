-- « Dossiers partagés »: the folders and files of a space, one tree. A file's
-- bytes live under <data>/class_space/files/<stored_name> (a random token,
-- never the person's name for it). An item put in the « Corbeille » keeps
-- its place (deleted_at <> 0) and hides what it holds; emptying the trash
-- removes it and its content. Every file counts against the space's quota,
-- trashed ones too, until the trash is emptied.
CREATE TABLE class_space_item (
    id {{ID}},
    space_id BIGINT NOT NULL REFERENCES class_space (id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES class_space_item (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    size BIGINT NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT '',
    stored_name TEXT NOT NULL DEFAULT '',
    thumbnail BIGINT NOT NULL DEFAULT 0,
    added_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    added_at BIGINT NOT NULL,
    deleted_at BIGINT NOT NULL DEFAULT 0,
    deleted_by BIGINT
);
CREATE INDEX class_space_item_space ON class_space_item (space_id, parent_id);
-- 300 Mo by default.
ALTER TABLE class_space ADD COLUMN folder_quota_bytes BIGINT NOT NULL DEFAULT 314572800;
