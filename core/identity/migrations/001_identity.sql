-- The base of the directory: structures, people, classes, links. The
-- directory service (AAF and CSV import) extends these tables.
CREATE TABLE identity_structure (
    id {{ID}},
    uai TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    academy TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    welcome_text TEXT NOT NULL DEFAULT '',
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE identity_user (
    id {{ID}},
    login TEXT NOT NULL UNIQUE,
    civility TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    profile TEXT NOT NULL,
    function TEXT NOT NULL DEFAULT '',
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id),
    password_hash TEXT NOT NULL DEFAULT '',
    active BIGINT NOT NULL DEFAULT 1,
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX identity_user_structure ON identity_user (structure_id, profile);

CREATE TABLE identity_class (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'class',
    UNIQUE (structure_id, kind, name)
);

CREATE TABLE identity_class_member (
    class_id BIGINT NOT NULL REFERENCES identity_class (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    PRIMARY KEY (class_id, user_id)
);
CREATE INDEX identity_class_member_user ON identity_class_member (user_id);

CREATE TABLE identity_guardian_link (
    guardian_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    relationship TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (guardian_id, student_id)
);
CREATE INDEX identity_guardian_link_student ON identity_guardian_link (student_id);

CREATE TABLE identity_subject (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    UNIQUE (structure_id, code)
);

CREATE TABLE identity_teaching (
    teacher_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    class_id BIGINT NOT NULL REFERENCES identity_class (id) ON DELETE CASCADE,
    subject_id BIGINT NOT NULL REFERENCES identity_subject (id),
    PRIMARY KEY (teacher_id, class_id, subject_id)
);
CREATE INDEX identity_teaching_class ON identity_teaching (class_id);

-- Server-side sessions: the database keeps the SHA-256 of the session id,
-- never the id itself.
CREATE TABLE identity_session (
    id_digest TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    remote_address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX identity_session_user ON identity_session (user_id);

-- Failed sign-ins, by identifier and by address, for throttling.
CREATE TABLE identity_sign_in_failure (
    throttle_key TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX identity_sign_in_failure_key ON identity_sign_in_failure (throttle_key, failed_at);

CREATE TABLE identity_audit (
    id {{ID}},
    at BIGINT NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
