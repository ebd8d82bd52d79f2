-- The directory as the académie's feed (AAF) and the structures' CSV files
-- describe it, on top of the identity tables: the feed's keys (jointures),
-- where each person comes from, departures, subjects and MEF of the
-- académie, the details of guardian links, functions, head teachers, and the
-- reports of each import.
ALTER TABLE identity_structure ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE identity_structure ADD COLUMN parent_id BIGINT;
ALTER TABLE identity_structure ADD COLUMN source TEXT NOT NULL DEFAULT 'local';
CREATE UNIQUE INDEX identity_structure_external ON identity_structure (external_id) WHERE external_id <> '';

ALTER TABLE identity_user ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE identity_user ADD COLUMN source TEXT NOT NULL DEFAULT 'local';
ALTER TABLE identity_user ADD COLUMN national_profile TEXT NOT NULL DEFAULT '';
ALTER TABLE identity_user ADD COLUMN birth_date TEXT NOT NULL DEFAULT '';
ALTER TABLE identity_user ADD COLUMN mef_id TEXT NOT NULL DEFAULT '';
ALTER TABLE identity_user ADD COLUMN departed_at BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX identity_user_external ON identity_user (external_id) WHERE external_id <> '';
CREATE INDEX identity_user_departed ON identity_user (departed_at) WHERE departed_at <> 0;

ALTER TABLE identity_class ADD COLUMN label TEXT NOT NULL DEFAULT '';

ALTER TABLE identity_guardian_link ADD COLUMN financial BIGINT NOT NULL DEFAULT 0;
ALTER TABLE identity_guardian_link ADD COLUMN legal BIGINT NOT NULL DEFAULT 1;
ALTER TABLE identity_guardian_link ADD COLUMN contact BIGINT NOT NULL DEFAULT 1;
ALTER TABLE identity_guardian_link ADD COLUMN payment BIGINT NOT NULL DEFAULT 0;
ALTER TABLE identity_guardian_link ADD COLUMN link_code TEXT NOT NULL DEFAULT '';

-- The académie's subjects and MEF, by their jointure.
CREATE TABLE directory_subject (
    external_id TEXT PRIMARY KEY,
    code TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL
);

CREATE TABLE directory_mef (
    external_id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    stat_code TEXT NOT NULL DEFAULT ''
);

-- Guardian links as the students' records give them (by jointure): the
-- guardians arrive in a later file, the links are resolved after it.
CREATE TABLE directory_link_source (
    student_external TEXT NOT NULL,
    guardian_external TEXT NOT NULL,
    link_code TEXT NOT NULL DEFAULT '',
    financial BIGINT NOT NULL DEFAULT 0,
    legal BIGINT NOT NULL DEFAULT 0,
    contact BIGINT NOT NULL DEFAULT 0,
    payment BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (student_external, guardian_external)
);
CREATE INDEX directory_link_source_guardian ON directory_link_source (guardian_external);

-- A staff member's functions in a structure (« DIR », « ENS »…).
CREATE TABLE directory_function (
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    discipline_code TEXT NOT NULL DEFAULT '',
    discipline_label TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, structure_id, code, discipline_code)
);

-- « Professeur principal » of a class.
CREATE TABLE directory_head_teacher (
    class_id BIGINT NOT NULL REFERENCES identity_class (id) ON DELETE CASCADE,
    teacher_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    PRIMARY KEY (class_id, teacher_id)
);

-- Each import run, its figures and its report (shown in the console).
CREATE TABLE directory_import (
    id {{ID}},
    source TEXT NOT NULL,
    mode TEXT NOT NULL,
    dry_run BIGINT NOT NULL DEFAULT 0,
    location TEXT NOT NULL DEFAULT '',
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'running',
    records BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    report TEXT NOT NULL DEFAULT ''
);

CREATE TABLE directory_import_rejection (
    import_id BIGINT NOT NULL REFERENCES directory_import (id) ON DELETE CASCADE,
    file TEXT NOT NULL,
    line BIGINT NOT NULL,
    record_id TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL
);
CREATE INDEX directory_import_rejection_import ON directory_import_rejection (import_id);

-- The people a full export named, structure by structure, during its run:
-- the others of those structures have left.
CREATE TABLE directory_import_seen (
    import_id BIGINT NOT NULL,
    external_id TEXT NOT NULL,
    PRIMARY KEY (import_id, external_id)
);
