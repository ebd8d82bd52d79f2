-- « Espace des classes »: every class and group of the directory has its
-- space (made as soon as the class is known: import, console, demo); its
-- settings live here, its members come from the directory. The blog,
-- agenda, forum, chat and shared folders of a space hang from its id.
CREATE TABLE class_space (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    class_id BIGINT UNIQUE REFERENCES identity_class (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    visitors_allowed BIGINT NOT NULL DEFAULT 0,
    comments_allowed BIGINT NOT NULL DEFAULT 1,
    archived_at BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX class_space_structure ON class_space (structure_id);
