-- 0020_outreach_engine.sql
-- What the outreach engine needs beyond the seed schema (docs/outreach.md explains the design).
--
-- The seed's outreach.status CHECK is kept unchanged: a row being sent is still 'queued', and the dispatcher's
-- progress lives in extra columns (claim lease, send attempt, provider message id). No foreign key references
-- outreach (it becomes a table partitioned on queued_at in 0030, key (id, queued_at)), and no unique index on
-- outreach is added here for the same reason (a unique index on a partitioned table must hold the partition
-- key): the random tokens are unique by construction (128 bits) and indexed plainly.

-- ---------------------------------------------------------------------------------------------------------
-- Outreach: scheduling, the dispatcher's lease, the send attempt, and the opaque tokens
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE outreach
    -- when the step may go out (queued_at + the step's delay; pushed forward by retries and send windows)
    ADD COLUMN due_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN sequence_template_id INTEGER,
    -- only send inside the sender's weekday business hours (08:00-18:00 in users.timezone)
    ADD COLUMN send_window BOOLEAN NOT NULL DEFAULT FALSE,
    -- the dispatcher that holds the row, until lease_until
    ADD COLUMN claim_id UUID,
    ADD COLUMN claimed_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE,
    -- set just before the provider is called, cleared when the outcome is known: a row still queued with
    -- send_started_at set is "maybe sent" and is reconciled with the provider before any resend
    ADD COLUMN send_attempt_id UUID,
    ADD COLUMN send_started_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN send_attempts INTEGER NOT NULL DEFAULT 0 CHECK (send_attempts >= 0),
    ADD COLUMN mailbox_id INTEGER,
    ADD COLUMN provider_message_id VARCHAR(255),
    ADD COLUMN last_error TEXT,
    -- v:outreach at Mailgun (never the row id), and the List-Unsubscribe token
    ADD COLUMN outreach_token VARCHAR(64),
    ADD COLUMN unsubscribe_token VARCHAR(64);

UPDATE outreach SET due_at = COALESCE(queued_at, NOW()) WHERE due_at IS NULL;
ALTER TABLE outreach ALTER COLUMN due_at SET DEFAULT NOW();
ALTER TABLE outreach ALTER COLUMN due_at SET NOT NULL;

-- The dispatcher's scan: due queued rows, oldest first.
CREATE INDEX idx_outreach_due ON outreach(due_at) WHERE status = 'queued';
CREATE INDEX idx_outreach_token ON outreach(outreach_token) WHERE outreach_token IS NOT NULL;
CREATE INDEX idx_outreach_unsubscribe_token ON outreach(unsubscribe_token) WHERE unsubscribe_token IS NOT NULL;
CREATE INDEX idx_outreach_provider_message ON outreach(provider_message_id) WHERE provider_message_id IS NOT NULL;
CREATE INDEX idx_outreach_application_contact ON outreach(application_id, contact_id, step_no);

-- Groups the rows of one enrollment (outreach.sequence_instance_id).
CREATE SEQUENCE outreach_sequence_instance_seq;
GRANT USAGE, SELECT ON SEQUENCE outreach_sequence_instance_seq TO app_user;

-- ---------------------------------------------------------------------------------------------------------
-- Contacts: one contact per (company, email) whatever the case of the email
-- ---------------------------------------------------------------------------------------------------------
CREATE UNIQUE INDEX idx_contacts_company_email ON contacts(company_id, lower(email));

-- ---------------------------------------------------------------------------------------------------------
-- Mailboxes: failure streak (a mailbox that keeps failing is paused) and why it was paused
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE mailboxes
    ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    ADD COLUMN last_error TEXT,
    ADD COLUMN paused_reason TEXT,
    ADD COLUMN last_sent_at TIMESTAMP WITH TIME ZONE;

GRANT SELECT (consecutive_failures, last_error, paused_reason, last_sent_at) ON mailboxes TO app_user, readonly;

-- How many messages a mailbox may send today. Active: daily_cap. Warm-up (warmup_enabled): a linear ramp
-- from daily_cap/30 (at least 5) on its first day to daily_cap on day 30, never above daily_cap; a mailbox in
-- warm-up without a start date is on its first day. Paused: 0. STABLE (reads the clock).
CREATE FUNCTION mailbox_send_cap(
    p_status VARCHAR, p_warmup_enabled BOOLEAN, p_warmup_start TIMESTAMP WITH TIME ZONE, p_daily_cap INTEGER
) RETURNS INTEGER
LANGUAGE sql
STABLE
AS $$
    SELECT CASE
        WHEN p_status = 'active' THEN p_daily_cap
        WHEN p_status = 'warmup' AND p_warmup_enabled IS NOT TRUE THEN p_daily_cap
        WHEN p_status = 'warmup' THEN LEAST(
            p_daily_cap,
            GREATEST(5, CEIL(p_daily_cap * (GREATEST(0, FLOOR(EXTRACT(EPOCH FROM (NOW() - COALESCE(p_warmup_start, NOW()))) / 86400)) + 1) / 30.0)::INTEGER)
        )
        ELSE 0
    END
$$;

-- ---------------------------------------------------------------------------------------------------------
-- Webhook replay protection: every signature token seen, shared by all app processes
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE webhook_tokens (
    token VARCHAR(255) PRIMARY KEY,
    seen_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_webhook_tokens_seen ON webhook_tokens(seen_at);
REVOKE ALL ON webhook_tokens FROM app_user;

-- ---------------------------------------------------------------------------------------------------------
-- The development transport: messages are stored, never sent (shown at /dev/outbox)
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE outbox_messages (
    id BIGSERIAL PRIMARY KEY,
    outreach_token VARCHAR(64),
    message_id VARCHAR(255) NOT NULL,
    mailbox_email VARCHAR(255) NOT NULL,
    to_email VARCHAR(255) NOT NULL,
    subject VARCHAR(500) NOT NULL,
    body TEXT NOT NULL,
    headers JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
-- one stored message per outreach token: a repeated send finds the first one (exactly once)
CREATE UNIQUE INDEX idx_outbox_messages_token ON outbox_messages(outreach_token) WHERE outreach_token IS NOT NULL;
CREATE INDEX idx_outbox_messages_created ON outbox_messages(created_at DESC);
REVOKE ALL ON outbox_messages FROM app_user;
