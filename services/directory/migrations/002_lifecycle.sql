-- When a departed person's personal data was deleted (three months after
-- the departure, arrêté du 30 novembre 2006, art. 6).
ALTER TABLE identity_user ADD COLUMN personal_data_deleted_at BIGINT NOT NULL DEFAULT 0;
