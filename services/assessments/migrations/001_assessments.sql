-- « Évaluations »: the assessments teachers give a class or group in a
-- subject, the marks (in hundredths, or a code: core/school/averages.h), the
-- appraisals of the bulletin (per subject, the head teacher's, the
-- principal's) and the bulletins published per class and period
-- (core/school/periods.h). Days are days since 1970-01-01; *_at are Unix
-- seconds.

-- How a structure rounds the averages it shows: centieme, dixieme, demi.
CREATE TABLE assessments_setting (
    structure_id BIGINT PRIMARY KEY REFERENCES identity_structure (id) ON DELETE CASCADE,
    rounding TEXT NOT NULL DEFAULT 'centieme'
);

CREATE TABLE assessments_assessment (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    class_id BIGINT NOT NULL REFERENCES identity_class (id) ON DELETE CASCADE,
    subject_id BIGINT NOT NULL REFERENCES identity_subject (id) ON DELETE CASCADE,
    teacher_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    period_id BIGINT NOT NULL REFERENCES school_period (id),
    day BIGINT NOT NULL,
    title TEXT NOT NULL,
    scale BIGINT NOT NULL DEFAULT 20,
    coefficient BIGINT NOT NULL DEFAULT 100, -- hundredths: 100 is 1
    published_at BIGINT NOT NULL DEFAULT 0, -- 0: not shown to students and guardians yet
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX assessments_assessment_class ON assessments_assessment (class_id, period_id);
CREATE INDEX assessments_assessment_teacher ON assessments_assessment (teacher_id);

CREATE TABLE assessments_mark (
    assessment_id BIGINT NOT NULL REFERENCES assessments_assessment (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    hundredths BIGINT, -- NULL: a code or nothing
    code TEXT NOT NULL DEFAULT '', -- abs, disp, nr, nn
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (assessment_id, student_id)
);
CREATE INDEX assessments_mark_student ON assessments_mark (student_id);

-- The bulletin's appraisals of a student for a period: kind 'subject' (one
-- per subject, by its teacher), 'head_teacher' (the professeur principal,
-- subject_id 0), 'principal' (the chef d'établissement, subject_id 0).
CREATE TABLE assessments_appraisal (
    period_id BIGINT NOT NULL REFERENCES school_period (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (period_id, student_id, kind, subject_id)
);

-- The bulletins of a class for a period, once the principal published them.
CREATE TABLE assessments_report (
    period_id BIGINT NOT NULL REFERENCES school_period (id) ON DELETE CASCADE,
    class_id BIGINT NOT NULL REFERENCES identity_class (id) ON DELETE CASCADE,
    published_at BIGINT NOT NULL,
    published_by BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    PRIMARY KEY (period_id, class_id)
);
