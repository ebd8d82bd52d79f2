-- The outbox of e-mails (core/notify). A message is a row written in the
-- same transaction as the event it tells about: a rolled-back event sends
-- nothing, a crash or an unreachable mail server loses nothing. The delivery
-- worker claims a due row with a lease (status 'sending', lease_until), so
-- two nodes or a restart never send a row while another holds it; then
-- records 'sent', or the error and the next attempt ('pending'), or
-- 'failed' after the last attempt. Bodies are erased once sent.
CREATE TABLE notify_outbox (
    id {{ID}},
    channel TEXT NOT NULL DEFAULT 'email',
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    sent_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notify_outbox_due ON notify_outbox (status, next_attempt_at);
