-- 0065_accounts_plans.sql
-- Accounts people can live with (issue 14) and the per-user sending caps of issue 9 item 7:
-- single-use account tokens (password reset, email verification), session activity, the one table of plan
-- limits, and the send-charge ledger that the dispatcher writes in the same statement as the send record.

-- Password-reset and email-verification links. Only the SHA-256 of the random token is stored (a leaked
-- table yields no usable link). `email` is the address a verification link proves (a later email change makes
-- an older link useless). `used_at` makes a link single use; reset links die with a password change
-- (deleted in the same transaction as the new hash).
CREATE TABLE account_tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose VARCHAR(20) NOT NULL CHECK (purpose IN ('password_reset', 'verify_email')),
    token_hash CHAR(64) NOT NULL UNIQUE,
    email VARCHAR(255) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX idx_account_tokens_user ON account_tokens (user_id, purpose);
CREATE INDEX idx_account_tokens_expires ON account_tokens (expires_at);
-- Read and written by the owner pool only (the link is followed before anyone is signed in).
REVOKE ALL ON account_tokens FROM app_user;
REVOKE ALL ON SEQUENCE account_tokens_id_seq FROM app_user;

-- "Active sessions" in /account: when a session was last used (moved at most every five minutes). A table of
-- its own, not a column of sessions: any request, also one that is refused, may move it, and the sessions
-- table itself then changes only when a session starts or ends.
CREATE TABLE session_activity (
    session_id BIGINT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
REVOKE ALL ON session_activity FROM app_user;

-- The plan table, in one place (lib/plans.ts reads it; docs/accounts.md shows it). NULL means "no limit".
-- emails_per_month: sent emails per calendar month (UTC) included in the plan; past it each send takes one
-- of users.credits_remaining. daily_sends / daily_enrollments: the per-user day caps (issue 9 item 7).
CREATE TABLE plan_limits (
    tier VARCHAR(50) PRIMARY KEY CHECK (tier IN ('free', 'pro', 'teams', 'enterprise')),
    emails_per_month INTEGER CHECK (emails_per_month >= 0),
    live_sequences INTEGER CHECK (live_sequences >= 0),
    contacts_per_import INTEGER CHECK (contacts_per_import >= 0),
    daily_sends INTEGER CHECK (daily_sends >= 0),
    daily_enrollments INTEGER CHECK (daily_enrollments >= 0)
);
INSERT INTO plan_limits (tier, emails_per_month, live_sequences, contacts_per_import, daily_sends, daily_enrollments)
VALUES ('free', 200, 5, 100, 50, 50),
       ('pro', 2000, 50, 2000, 300, 300),
       ('teams', 10000, 200, 10000, 1000, 1000),
       ('enterprise', NULL, NULL, NULL, NULL, NULL);
GRANT SELECT ON plan_limits TO app_user, readonly;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON plan_limits FROM app_user;

-- One row per sent email: written by the dispatcher's send-record statement (db/outreach_dispatch.ts), keyed
-- by the outreach row, so recording the same send twice charges once. `from_credits`: taken from
-- users.credits_remaining because the month's plan allowance was used up.
CREATE TABLE send_charges (
    outreach_id INTEGER NOT NULL,
    queued_at TIMESTAMP WITH TIME ZONE NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    charged_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    from_credits BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (outreach_id, queued_at)
);
CREATE INDEX idx_send_charges_user ON send_charges (user_id, charged_at);

-- Per user and UTC day: sends (from the ledger, by trigger) and enrollments (started sequences). Small and
-- hot: the claim and the enrollment check read it instead of counting the ledger.
CREATE TABLE usage_daily (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day DATE NOT NULL,
    sends INTEGER NOT NULL DEFAULT 0 CHECK (sends >= 0),
    enrollments INTEGER NOT NULL DEFAULT 0 CHECK (enrollments >= 0),
    PRIMARY KEY (user_id, day)
);

ALTER TABLE send_charges ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY send_charge_isolation ON send_charges FOR SELECT TO app_user
    USING (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer));
CREATE POLICY usage_daily_isolation ON usage_daily FOR SELECT TO app_user
    USING (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer));
CREATE POLICY readonly_all ON send_charges FOR SELECT TO readonly USING (true);
CREATE POLICY readonly_all ON usage_daily FOR SELECT TO readonly USING (true);
-- Counters move only through the owner (dispatcher, enrollment check as owner, the trigger below).
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON send_charges, usage_daily FROM app_user;
GRANT SELECT ON send_charges, usage_daily TO app_user, readonly;

-- The charge itself, per ledger row, inside the statement that records the send: count the day, and once
-- the month's plan allowance is used up take one credit (never below 0: a send that happened is recorded
-- even when the batch it was claimed in overshot the balance).
CREATE FUNCTION charge_send() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    today DATE := (now() AT TIME ZONE 'UTC')::date;
    month_start DATE := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    allowance INTEGER;
    used BIGINT;
BEGIN
    INSERT INTO usage_daily AS d (user_id, day, sends) VALUES (NEW.user_id, today, 1)
    ON CONFLICT (user_id, day) DO UPDATE SET sends = d.sends + 1;
    SELECT p.emails_per_month INTO allowance
    FROM users u JOIN plan_limits p ON p.tier = u.subscription_tier WHERE u.id = NEW.user_id;
    IF allowance IS NOT NULL THEN
        SELECT coalesce(sum(sends), 0) INTO used FROM usage_daily
        WHERE user_id = NEW.user_id AND day >= month_start;
        IF used > allowance THEN
            UPDATE users SET credits_remaining = credits_remaining - 1
            WHERE id = NEW.user_id AND credits_remaining > 0;
            IF FOUND THEN
                UPDATE send_charges SET from_credits = TRUE
                WHERE outreach_id = NEW.outreach_id AND queued_at = NEW.queued_at;
            END IF;
        END IF;
    END IF;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION charge_send() FROM PUBLIC;
CREATE TRIGGER trg_send_charges_charge AFTER INSERT ON send_charges
    FOR EACH ROW EXECUTE FUNCTION charge_send();

-- Whether a user may send now, and if not why ('unverified' or 'plan_limit'): the one rule the claim, the
-- enrollment check and the timeline's waiting_reason share. STABLE, owner's rights (reads the counters).
CREATE FUNCTION sending_block(p_user_id INTEGER) RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT CASE
        WHEN u.email_verified IS NOT TRUE THEN 'unverified'
        WHEN p.daily_sends IS NOT NULL AND coalesce((SELECT d.sends FROM usage_daily d
                WHERE d.user_id = u.id AND d.day = (now() AT TIME ZONE 'UTC')::date), 0) >= p.daily_sends
            THEN 'plan_limit'
        WHEN p.emails_per_month IS NOT NULL AND coalesce(u.credits_remaining, 0) <= 0
             AND coalesce((SELECT sum(d.sends) FROM usage_daily d WHERE d.user_id = u.id
                AND d.day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date), 0) >= p.emails_per_month
            THEN 'plan_limit'
    END
    FROM users u LEFT JOIN plan_limits p ON p.tier = u.subscription_tier
    WHERE u.id = p_user_id
$$;
GRANT EXECUTE ON FUNCTION sending_block(INTEGER) TO app_user, readonly;

-- The enrollment gate, called inside the enrollment's own transaction (as app_user, for the user of
-- app.current_user_id): answers NULL and counts the enrollment, or the reason it is refused:
-- 'unverified', 'daily_enrollments', 'live_sequences' or 'emails_per_month' (allowance used and no credits).
-- Serialized per user by an advisory lock, so parallel enrollments cannot overshoot a cap.
CREATE FUNCTION reserve_enrollment() RETURNS TEXT
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    uid INTEGER := NULLIF(current_setting('app.current_user_id', true), '')::integer;
    today DATE := (now() AT TIME ZONE 'UTC')::date;
    u RECORD;
    p RECORD;
    n BIGINT;
BEGIN
    IF uid IS NULL THEN RETURN 'unverified'; END IF;
    PERFORM pg_advisory_xact_lock(hashtext('reserve_enrollment'), uid);
    SELECT * INTO u FROM users WHERE id = uid;
    IF NOT FOUND OR u.email_verified IS NOT TRUE THEN RETURN 'unverified'; END IF;
    SELECT * INTO p FROM plan_limits WHERE tier = u.subscription_tier;
    IF p.daily_enrollments IS NOT NULL THEN
        SELECT coalesce((SELECT enrollments FROM usage_daily WHERE user_id = uid AND day = today), 0) INTO n;
        IF n >= p.daily_enrollments THEN RETURN 'daily_enrollments'; END IF;
    END IF;
    IF p.live_sequences IS NOT NULL THEN
        SELECT count(DISTINCT o.sequence_instance_id) INTO n
        FROM outreach o JOIN applications a ON a.id = o.application_id
        WHERE a.user_id = uid AND o.status = 'queued';
        IF n >= p.live_sequences THEN RETURN 'live_sequences'; END IF;
    END IF;
    IF p.emails_per_month IS NOT NULL AND coalesce(u.credits_remaining, 0) <= 0 THEN
        SELECT coalesce(sum(sends), 0) INTO n FROM usage_daily
        WHERE user_id = uid AND day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date;
        IF n >= p.emails_per_month THEN RETURN 'emails_per_month'; END IF;
    END IF;
    INSERT INTO usage_daily AS d (user_id, day, enrollments) VALUES (uid, today, 1)
    ON CONFLICT (user_id, day) DO UPDATE SET enrollments = d.enrollments + 1;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION reserve_enrollment() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reserve_enrollment() TO app_user;

-- How many more emails the user may send now (bigint max: no limit; 0 when unverified): the day cap's rest and
-- the month's allowance plus credits, less the user's rows other claims hold right now (in flight, not yet
-- recorded). The claim takes at most this many of a user's rows, so a cap is overshot at most by claims made
-- in the same instant by other dispatchers.
CREATE FUNCTION sending_headroom(p_user_id INTEGER) RETURNS BIGINT
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    unlimited CONSTANT BIGINT := 9223372036854775807;
    u RECORD;
    p RECORD;
    room BIGINT := unlimited;
    inflight BIGINT;
BEGIN
    SELECT * INTO u FROM users WHERE id = p_user_id;
    IF NOT FOUND OR u.email_verified IS NOT TRUE THEN RETURN 0; END IF;
    SELECT * INTO p FROM plan_limits WHERE tier = u.subscription_tier;
    IF p.daily_sends IS NULL AND p.emails_per_month IS NULL THEN RETURN unlimited; END IF;
    IF p.daily_sends IS NOT NULL THEN
        room := least(room, p.daily_sends - coalesce((SELECT d.sends FROM usage_daily d
            WHERE d.user_id = p_user_id AND d.day = (now() AT TIME ZONE 'UTC')::date), 0));
    END IF;
    IF p.emails_per_month IS NOT NULL THEN
        -- credits_remaining already went down for the sends past the allowance
        room := least(room, greatest(0, p.emails_per_month - coalesce((SELECT sum(d.sends)
            FROM usage_daily d WHERE d.user_id = p_user_id
              AND d.day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date), 0)) + coalesce(u.credits_remaining, 0));
    END IF;
    SELECT count(*) INTO inflight FROM outreach o JOIN applications a ON a.id = o.application_id
    WHERE a.user_id = p_user_id AND o.status = 'queued' AND o.lease_until > now();
    RETURN greatest(0, room - inflight);
END $$;
GRANT EXECUTE ON FUNCTION sending_headroom(INTEGER) TO app_user, readonly;
