-- A teacher's head classes are read and replaced by teacher (the AAF import,
-- the deletion of personal data): the key starts with the class.
CREATE INDEX directory_head_teacher_teacher ON directory_head_teacher (teacher_id);
