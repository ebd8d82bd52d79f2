-- « Vie scolaire »: the roll call of each lesson, the absences, lateness and
-- early departures it records, their justification by the guardians
-- (« Justifier », a declaration in advance) and the CPE's decision, the
-- motives and thresholds of each structure, incidents and punishments.
-- Days are days since 1970-01-01 and minutes are of the school's day
-- (core/school_time.h); *_at are Unix seconds.

-- The motives of absence of a structure (« Maladie », « Rendez-vous
-- médical »…): whether guardians may choose it, and whether a guardian's
-- declaration with it justifies the absence without the CPE.
CREATE TABLE attendance_motive (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    for_guardians BIGINT NOT NULL DEFAULT 1,
    accepted BIGINT NOT NULL DEFAULT 0, -- a guardian's declaration with it regularises by itself
    position BIGINT NOT NULL DEFAULT 0,
    active BIGINT NOT NULL DEFAULT 1,
    UNIQUE (structure_id, label)
);

-- A structure's settings: the half-days missed in a period from which the
-- desk raises an alert, the lateness likewise.
CREATE TABLE attendance_setting (
    structure_id BIGINT PRIMARY KEY REFERENCES identity_structure (id) ON DELETE CASCADE,
    alert_half_days BIGINT NOT NULL DEFAULT 4,
    alert_lateness BIGINT NOT NULL DEFAULT 5
);

-- The call of one lesson (a timetable slot on its date). done_at 0: not
-- taken yet (a row exists once someone opened it).
CREATE TABLE attendance_call (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    slot_id BIGINT NOT NULL, -- services/timetable's slot
    slot_day BIGINT NOT NULL,
    class_id BIGINT NOT NULL REFERENCES identity_class (id) ON DELETE CASCADE,
    subject_id BIGINT NOT NULL DEFAULT 0,
    teacher_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    day BIGINT NOT NULL,
    start_minute BIGINT NOT NULL,
    end_minute BIGINT NOT NULL,
    done_at BIGINT NOT NULL DEFAULT 0,
    done_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL DEFAULT 0,
    updated_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    UNIQUE (slot_id, slot_day)
);
CREATE INDEX attendance_call_day ON attendance_call (structure_id, day);

-- An absence, a lateness or an early departure of a student, from a call
-- or entered by the vie scolaire. state: non_justifiee, en_attente,
-- justifiee, non_valable.
CREATE TABLE attendance_event (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    call_id BIGINT REFERENCES attendance_call (id) ON DELETE SET NULL,
    kind TEXT NOT NULL, -- absence, retard, depart
    day BIGINT NOT NULL,
    start_minute BIGINT NOT NULL,
    end_minute BIGINT NOT NULL,
    minutes BIGINT NOT NULL DEFAULT 0, -- late by, or left that many minutes early
    state TEXT NOT NULL DEFAULT 'non_justifiee',
    motive_id BIGINT REFERENCES attendance_motive (id) ON DELETE SET NULL,
    comment TEXT NOT NULL DEFAULT '', -- the vie scolaire's
    recorded_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    recorded_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    decided_at BIGINT NOT NULL DEFAULT 0,
    notified_at BIGINT NOT NULL DEFAULT 0 -- the guardians were told (once)
);
CREATE INDEX attendance_event_day ON attendance_event (structure_id, day);
CREATE INDEX attendance_event_student ON attendance_event (student_id, day);
CREATE INDEX attendance_event_call ON attendance_event (call_id);

-- What a guardian sends: the justification of recorded absences
-- (« Justifier ») or an absence declared in advance (dates, motive). state:
-- en_attente, acceptee, refusee. A file (photo or PDF) may go with it.
CREATE TABLE attendance_declaration (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    guardian_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    event_id BIGINT REFERENCES attendance_event (id) ON DELETE SET NULL, -- « Justifier » of one event
    first_day BIGINT NOT NULL,
    first_minute BIGINT NOT NULL DEFAULT 0,
    last_day BIGINT NOT NULL,
    last_minute BIGINT NOT NULL DEFAULT 1440,
    motive_id BIGINT REFERENCES attendance_motive (id) ON DELETE SET NULL,
    comment TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL DEFAULT '',
    file_stored TEXT NOT NULL DEFAULT '',
    file_size BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'en_attente',
    created_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    decided_at BIGINT NOT NULL DEFAULT 0,
    decision_comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attendance_declaration_student ON attendance_declaration (student_id, first_day);
CREATE INDEX attendance_declaration_state ON attendance_declaration (structure_id, state);

-- Which declaration justified which events.
CREATE TABLE attendance_justified (
    declaration_id BIGINT NOT NULL REFERENCES attendance_declaration (id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL REFERENCES attendance_event (id) ON DELETE CASCADE,
    PRIMARY KEY (declaration_id, event_id)
);

-- An incident (who, when, where, what happened) and the students involved.
CREATE TABLE attendance_incident (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    day BIGINT NOT NULL,
    minute BIGINT NOT NULL DEFAULT 0,
    place TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    reported_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attendance_incident_day ON attendance_incident (structure_id, day);
CREATE TABLE attendance_incident_student (
    incident_id BIGINT NOT NULL REFERENCES attendance_incident (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, student_id)
);

-- A punishment: retenue, devoir_supplementaire, exclusion_cours; who gave
-- it, when it is done, why.
CREATE TABLE attendance_punishment (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    incident_id BIGINT REFERENCES attendance_incident (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    day BIGINT NOT NULL, -- when it is done (the retenue's date), or given
    start_minute BIGINT NOT NULL DEFAULT 0,
    duration_minutes BIGINT NOT NULL DEFAULT 0,
    given_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    done_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX attendance_punishment_student ON attendance_punishment (student_id, day);
CREATE INDEX attendance_punishment_day ON attendance_punishment (structure_id, day);
