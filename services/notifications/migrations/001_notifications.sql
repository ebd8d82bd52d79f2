-- The notification centre (services/notifications): what each person is
-- told in the ENT (the bell of the top bar, /notifications), written by
-- `notifications::publish` in the transaction of the event, with the
-- e-mails and SMS of core/notify's outbox the person chose.
CREATE TABLE notifications_item (
    id {{ID}},
    recipient_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    child_id BIGINT NOT NULL DEFAULT 0,
    structure_id BIGINT NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notifications_item_recipient ON notifications_item (recipient_id, created_at);
CREATE INDEX notifications_item_unread ON notifications_item (recipient_id, read_at);

-- A choice that differs from the default: event × child (0: the person
-- themself) × channel ('ent', 'email', 'sms').
CREATE TABLE notifications_choice (
    user_id BIGINT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    child_id BIGINT NOT NULL DEFAULT 0,
    channel TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    PRIMARY KEY (user_id, event, child_id, channel)
);

-- « Ne pas m'envoyer de courriel ni de SMS entre … et … », in minutes
-- after local midnight; the end may be the next morning.
CREATE TABLE notifications_quiet (
    user_id BIGINT PRIMARY KEY REFERENCES identity_user (id) ON DELETE CASCADE,
    start_minute BIGINT NOT NULL,
    end_minute BIGINT NOT NULL
);
