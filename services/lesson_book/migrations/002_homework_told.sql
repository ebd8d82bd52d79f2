-- Homework planned ahead (« Publier le … ») is told to the families when it
-- becomes visible: told_at is when the lesson book considered telling them
-- (0: not yet, the sweep of lesson_book_store.cpp takes it once published).
ALTER TABLE lesson_book_homework ADD COLUMN told_at BIGINT NOT NULL DEFAULT 0;
UPDATE lesson_book_homework SET told_at = created_at WHERE publish_at <= created_at;
CREATE INDEX lesson_book_homework_untold ON lesson_book_homework (told_at, publish_at);
