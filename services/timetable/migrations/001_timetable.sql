-- « Emploi du temps »: the weekly slots of each class or group (a lesson:
-- day, hours, subject, teacher, room, week A/B), the changes for one date
-- (cancelled, moved, replaced teacher, other room) and the structure's
-- alternation of weeks A and B.

-- Weeks alternate from a Monday of a week A (a day: days since 1970-01-01).
CREATE TABLE timetable_setting (
    structure_id BIGINT PRIMARY KEY REFERENCES identity_structure (id) ON DELETE CASCADE,
    week_a_monday BIGINT NOT NULL DEFAULT 4
);

CREATE TABLE timetable_slot (
    id {{ID}},
    structure_id BIGINT NOT NULL REFERENCES identity_structure (id) ON DELETE CASCADE,
    class_id BIGINT NOT NULL REFERENCES identity_class (id) ON DELETE CASCADE, -- a class or a group
    subject_id BIGINT NOT NULL REFERENCES identity_subject (id) ON DELETE CASCADE,
    teacher_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    weekday BIGINT NOT NULL, -- 0: lundi … 5: samedi
    start_minute BIGINT NOT NULL, -- minutes of the day, school time
    end_minute BIGINT NOT NULL,
    week TEXT NOT NULL DEFAULT '', -- '' every week, 'A' or 'B'
    room TEXT NOT NULL DEFAULT '',
    valid_from BIGINT NOT NULL DEFAULT 0, -- first day (0: always)
    valid_until BIGINT NOT NULL DEFAULT 0, -- last day (0: no end)
    created_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX timetable_slot_class ON timetable_slot (class_id);
CREATE INDEX timetable_slot_teacher ON timetable_slot (teacher_id);
CREATE INDEX timetable_slot_structure ON timetable_slot (structure_id);

-- A change of one lesson: the slot's lesson of `day` is cancelled, moved to
-- another day and hours, given to a replacing teacher, or put in another
-- room (several of these at once for a move with another room).
CREATE TABLE timetable_change (
    slot_id BIGINT NOT NULL REFERENCES timetable_slot (id) ON DELETE CASCADE,
    day BIGINT NOT NULL,
    cancelled BIGINT NOT NULL DEFAULT 0,
    new_day BIGINT NOT NULL DEFAULT 0, -- 0: not moved
    new_start BIGINT NOT NULL DEFAULT 0,
    new_end BIGINT NOT NULL DEFAULT 0,
    new_room TEXT NOT NULL DEFAULT '',
    replacement_teacher_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    note TEXT NOT NULL DEFAULT '',
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (slot_id, day)
);
CREATE INDEX timetable_change_new_day ON timetable_change (new_day) WHERE new_day <> 0;
