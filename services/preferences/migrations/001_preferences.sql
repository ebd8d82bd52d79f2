-- What each person chooses about being reached: the address notifications
-- go to, the two opt-ins of the first connection, extra numbers, the SMS
-- number, and a free note « Quand et comment me joindre ? ».
CREATE TABLE preferences_person (
    user_id BIGINT PRIMARY KEY REFERENCES identity_user (id) ON DELETE CASCADE,
    notification_email TEXT NOT NULL DEFAULT '',
    notify_structure BIGINT NOT NULL DEFAULT 0,
    notify_partners BIGINT NOT NULL DEFAULT 0,
    extra_phone_1 TEXT NOT NULL DEFAULT '',
    extra_phone_2 TEXT NOT NULL DEFAULT '',
    sms_phone TEXT NOT NULL DEFAULT '',
    reach_note TEXT NOT NULL DEFAULT '',
    contact_confirmed_at BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0
);
