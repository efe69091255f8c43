-- 0050_inbound_messages.sql (issue 11, "Real mail")
-- Every message that reaches the inbound webhook, classified (lib/mail/inbound_classify.ts) and kept with its
-- parsed fields and raw headers: replies, auto-replies, bounce notices and other automated mail, matched to an
-- outreach row or not (unmatched ones wait here for review: GET /api/admin/inbound). No foreign keys: outreach
-- is partitioned (key (id, queued_at)), and a review row must outlive a deleted application.
CREATE TABLE inbound_messages (
    id BIGSERIAL PRIMARY KEY,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    kind VARCHAR(16) NOT NULL CHECK (kind IN ('human', 'auto_reply', 'bounce', 'other')),
    reasons TEXT[] NOT NULL DEFAULT '{}',
    message_id VARCHAR(998),
    sender VARCHAR(998),
    from_header TEXT,
    subject TEXT,
    in_reply_to TEXT,
    references_header TEXT,
    -- auto-reply: the day the person is back, when the text says it
    return_date DATE,
    -- bounce notice: what its report says
    bounce_message_id VARCHAR(998),
    bounce_recipient VARCHAR(998),
    bounce_status VARCHAR(32),
    bounce_diagnostic TEXT,
    -- what it matched, how, and what was done
    outreach_id INTEGER,
    application_id INTEGER,
    contact_id INTEGER,
    matched_by VARCHAR(32) CHECK (matched_by IN ('in_reply_to', 'report_message_id', 'final_recipient', 'sender')),
    action VARCHAR(32) NOT NULL CHECK (action IN ('replied', 'delayed', 'bounced', 'stored', 'unmatched')),
    delayed_until TIMESTAMP WITH TIME ZONE,
    stripped_text TEXT,
    raw_headers JSONB NOT NULL DEFAULT '[]'::jsonb
);
-- Mailgun retrying the same message stores and applies it once.
CREATE UNIQUE INDEX idx_inbound_messages_message_id ON inbound_messages (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX idx_inbound_messages_application ON inbound_messages (application_id, received_at)
    WHERE application_id IS NOT NULL;
CREATE INDEX idx_inbound_messages_review ON inbound_messages (kind, received_at DESC);

-- A matched message belongs to the user of its application: the user reads their own (the timeline), the
-- webhook and the admin route write and read as the owner. Unmatched ones are visible to nobody but the owner.
ALTER TABLE inbound_messages ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON inbound_messages FROM app_user;
GRANT SELECT ON inbound_messages TO app_user;
REVOKE ALL ON SEQUENCE inbound_messages_id_seq FROM app_user;
CREATE POLICY inbound_message_isolation ON inbound_messages FOR SELECT TO app_user USING (
    EXISTS (
        SELECT 1 FROM applications a
        WHERE a.id = inbound_messages.application_id
          AND a.user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer)
    )
);
CREATE POLICY readonly_all ON inbound_messages FOR SELECT TO readonly USING (true);

-- Our own RFC 5322 Message-ID per outreach, chosen and stored before the send (sent as h:Message-Id): replies
-- and bounce reports are matched by it, follow-ups thread on it, and crash recovery looks it up at Mailgun.
ALTER TABLE outreach ADD COLUMN message_id VARCHAR(998);
CREATE INDEX idx_outreach_message_id ON outreach (message_id) WHERE message_id IS NOT NULL;
-- Why a queued row waits (contract §6 waiting_reason) when the dispatcher or an auto-reply held it back:
-- 'earlier_step', 'follow_up_mailbox', 'auto_reply_delay'; null once it is sent or when nothing holds it.
ALTER TABLE outreach ADD COLUMN hold_reason VARCHAR(32);
-- A follow-up waiting for step 1's mailbox gives up after a limit: when it started waiting.
ALTER TABLE outreach ADD COLUMN held_since TIMESTAMP WITH TIME ZONE;
