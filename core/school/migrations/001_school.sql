-- The periods of a structure's school year (« Trimestre 1 », « Semestre 2 »):
-- the évaluations average and report per period, the vie scolaire counts the
-- half-days missed per period. Days are days since 1970-01-01, both ends
-- included (core/school_time.h). A structure that set none gets the default
-- trimesters of the year the first time they are asked for.
CREATE TABLE school_period (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    school_year TEXT NOT NULL, -- « 2026-2027 »
    position BIGINT NOT NULL, -- 1, 2, 3 within the year
    label TEXT NOT NULL,
    first_day BIGINT NOT NULL,
    last_day BIGINT NOT NULL,
    UNIQUE (structure_id, school_year, position)
);
CREATE INDEX school_period_days ON school_period (structure_id, first_day);
