-- 0085_mailbox_daily_stats.sql
-- Health and reset in O(mailboxes) (docs/operations.md, "Mailbox health"): per-mailbox, per-UTC-day counters of
-- sends, bounces and complaints, kept in the same transaction as the outreach rows and events that change them,
-- so the health job reads 7 days x mailboxes of counters instead of a week of outreach, and writes only the
-- mailboxes whose numbers change.
--
-- The window becomes whole UTC days: "the last 7 days" is today and the six UTC days before it (it was the 168
-- hours before the run to the second). Counters per day cannot give a rolling window, and days are what mail
-- providers' own dashboards use (Google Postmaster Tools). The benchmark's fixed-formula loop uses the same
-- window, and its results are compared mailbox by mailbox.
--
-- Kept by statement-level triggers with transition tables (one grouped upsert per statement). A send counts on
-- the UTC day of its sent_at, under its from_mailbox; a bounce is a sent row whose status is 'bounced' (it
-- counts on the day it was sent, as before); a complaint is an outreach_events 'complained' row, on the day it
-- occurred, under its mailbox_email. check_mailbox_daily_stats() compares them with a full recount (the
-- check-mailbox-counters job); rebuild_mailbox_daily_stats() rebuilds them (this backfill, and after a bulk
-- load without triggers).

CREATE TABLE mailbox_daily_stats (
    mailbox_email VARCHAR(255) NOT NULL,
    day DATE NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0,
    bounced INTEGER NOT NULL DEFAULT 0,
    complaints INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (mailbox_email, day)
);
CREATE INDEX idx_mailbox_daily_stats_day ON mailbox_daily_stats(day);
-- Operations data, not a user's: the owner writes it through the triggers.
REVOKE ALL ON mailbox_daily_stats FROM app_user;

-- The first day of the health window that ends on p_day.
CREATE FUNCTION mailbox_window_start(p_day DATE) RETURNS DATE
LANGUAGE sql IMMUTABLE AS $$ SELECT p_day - 6 $$;

-- Adds p_sign times the contribution of p_rows (outreach rows as JSON) to the counters.
CREATE FUNCTION mailbox_daily_stats_apply(p_rows JSONB, p_sign INTEGER) RETURNS VOID
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    INSERT INTO mailbox_daily_stats AS s (mailbox_email, day, sent, bounced)
    SELECT r.from_mailbox, (r.sent_at AT TIME ZONE 'UTC')::DATE,
           p_sign * COUNT(*), p_sign * COUNT(*) FILTER (WHERE r.status = 'bounced')
    FROM jsonb_to_recordset(p_rows) AS r(from_mailbox VARCHAR, sent_at TIMESTAMPTZ, status VARCHAR)
    WHERE r.sent_at IS NOT NULL
    GROUP BY 1, 2
    ON CONFLICT (mailbox_email, day) DO UPDATE SET
        sent = s.sent + EXCLUDED.sent,
        bounced = s.bounced + EXCLUDED.bounced;
END $$;

CREATE FUNCTION trg_mailbox_stats_outreach_insert() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM mailbox_daily_stats_apply(
        (SELECT jsonb_agg(jsonb_build_object('from_mailbox', n.from_mailbox, 'sent_at', n.sent_at,
                                             'status', n.status))
         FROM new_rows n WHERE n.sent_at IS NOT NULL), 1);
    RETURN NULL;
END $$;

CREATE FUNCTION trg_mailbox_stats_outreach_delete() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM mailbox_daily_stats_apply(
        (SELECT jsonb_agg(jsonb_build_object('from_mailbox', o.from_mailbox, 'sent_at', o.sent_at,
                                             'status', o.status))
         FROM old_rows o WHERE o.sent_at IS NOT NULL), -1);
    RETURN NULL;
END $$;

-- Only rows whose counted facts changed (mailbox, sent day, sent or not, bounced or not) cost anything.
CREATE FUNCTION trg_mailbox_stats_outreach_update() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_old JSONB;
    v_new JSONB;
BEGIN
    SELECT jsonb_agg(jsonb_build_object('from_mailbox', o.from_mailbox, 'sent_at', o.sent_at, 'status', o.status)),
           jsonb_agg(jsonb_build_object('from_mailbox', n.from_mailbox, 'sent_at', n.sent_at, 'status', n.status))
    INTO v_old, v_new
    FROM old_rows o JOIN new_rows n ON n.id = o.id AND n.queued_at = o.queued_at
    WHERE (o.sent_at IS NOT NULL OR n.sent_at IS NOT NULL)
      AND (o.from_mailbox IS DISTINCT FROM n.from_mailbox
           OR (o.sent_at AT TIME ZONE 'UTC')::DATE IS DISTINCT FROM (n.sent_at AT TIME ZONE 'UTC')::DATE
           OR (o.status = 'bounced') IS DISTINCT FROM (n.status = 'bounced'));
    IF v_old IS NOT NULL THEN
        PERFORM mailbox_daily_stats_apply(v_old, -1);
        PERFORM mailbox_daily_stats_apply(v_new, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER trg_mailbox_stats_insert AFTER INSERT ON outreach
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trg_mailbox_stats_outreach_insert();
CREATE TRIGGER trg_mailbox_stats_update AFTER UPDATE ON outreach
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION trg_mailbox_stats_outreach_update();
CREATE TRIGGER trg_mailbox_stats_delete AFTER DELETE ON outreach
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION trg_mailbox_stats_outreach_delete();

CREATE FUNCTION trg_mailbox_stats_complaints() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO mailbox_daily_stats AS s (mailbox_email, day, complaints)
        SELECT n.mailbox_email, (n.occurred_at AT TIME ZONE 'UTC')::DATE, COUNT(*)
        FROM new_rows n WHERE n.event = 'complained' AND n.mailbox_email IS NOT NULL
        GROUP BY 1, 2
        ON CONFLICT (mailbox_email, day) DO UPDATE SET complaints = s.complaints + EXCLUDED.complaints;
    ELSE
        INSERT INTO mailbox_daily_stats AS s (mailbox_email, day, complaints)
        SELECT o.mailbox_email, (o.occurred_at AT TIME ZONE 'UTC')::DATE, -COUNT(*)
        FROM old_rows o WHERE o.event = 'complained' AND o.mailbox_email IS NOT NULL
        GROUP BY 1, 2
        ON CONFLICT (mailbox_email, day) DO UPDATE SET complaints = s.complaints + EXCLUDED.complaints;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER trg_mailbox_stats_complaints_insert AFTER INSERT ON outreach_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trg_mailbox_stats_complaints();
CREATE TRIGGER trg_mailbox_stats_complaints_delete AFTER DELETE ON outreach_events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION trg_mailbox_stats_complaints();

-- The counters of the days since p_since, recounted from outreach and its events.
CREATE FUNCTION mailbox_daily_stats_recount(p_since DATE)
RETURNS TABLE (mailbox_email VARCHAR, day DATE, sent INTEGER, bounced INTEGER, complaints INTEGER)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT COALESCE(s.email, c.email), COALESCE(s.day, c.day), COALESCE(s.sent, 0)::INTEGER,
           COALESCE(s.bounced, 0)::INTEGER, COALESCE(c.complaints, 0)::INTEGER
    FROM (
        SELECT o.from_mailbox AS email, (o.sent_at AT TIME ZONE 'UTC')::DATE AS day, COUNT(*) AS sent,
               COUNT(*) FILTER (WHERE o.status = 'bounced') AS bounced
        FROM outreach o
        WHERE o.sent_at >= (p_since::TIMESTAMP AT TIME ZONE 'UTC')
        GROUP BY 1, 2
    ) s
    FULL JOIN (
        SELECT e.mailbox_email AS email, (e.occurred_at AT TIME ZONE 'UTC')::DATE AS day, COUNT(*) AS complaints
        FROM outreach_events e
        WHERE e.event = 'complained' AND e.mailbox_email IS NOT NULL
          AND e.occurred_at >= (p_since::TIMESTAMP AT TIME ZONE 'UTC')
        GROUP BY 1, 2
    ) c ON c.email = s.email AND c.day = s.day
$$;

-- (mailbox, day) cells since p_since where the counters and a recount differ: none unless a write went around
-- the triggers.
CREATE FUNCTION check_mailbox_daily_stats(p_since DATE DEFAULT (NOW() AT TIME ZONE 'UTC')::DATE - 7)
RETURNS TABLE (mailbox_email VARCHAR, day DATE, kept INTEGER[], recounted INTEGER[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT COALESCE(k.mailbox_email, r.mailbox_email), COALESCE(k.day, r.day),
           ARRAY[k.sent, k.bounced, k.complaints], ARRAY[r.sent, r.bounced, r.complaints]
    FROM (SELECT * FROM mailbox_daily_stats WHERE day >= p_since AND (sent, bounced, complaints) <> (0, 0, 0)) k
    FULL JOIN mailbox_daily_stats_recount(p_since) r USING (mailbox_email, day)
    WHERE ARRAY[k.sent, k.bounced, k.complaints] IS DISTINCT FROM ARRAY[r.sent, r.bounced, r.complaints]
$$;

-- Rebuilds the counters of the days since p_since from outreach; answers the cells written.
CREATE FUNCTION rebuild_mailbox_daily_stats(p_since DATE DEFAULT (NOW() AT TIME ZONE 'UTC')::DATE - 7)
RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_cells BIGINT;
BEGIN
    DELETE FROM mailbox_daily_stats WHERE day >= p_since;
    INSERT INTO mailbox_daily_stats (mailbox_email, day, sent, bounced, complaints)
    SELECT * FROM mailbox_daily_stats_recount(p_since);
    GET DIAGNOSTICS v_cells = ROW_COUNT;
    RETURN v_cells;
END $$;

SELECT rebuild_mailbox_daily_stats();

-- The health score from the counters: same formula as 0032, over whole UTC days, and only the mailboxes whose
-- score, counts or status change are written (last_health_check is when they last changed).
CREATE OR REPLACE FUNCTION calculate_mailbox_health()
RETURNS INTEGER
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v_updated INTEGER;
    v_since DATE := mailbox_window_start((NOW() AT TIME ZONE 'UTC')::DATE);
BEGIN
    WITH totals AS (
        SELECT s.mailbox_email AS email, SUM(s.sent) AS sent_7d, SUM(s.bounced) AS bounces_7d,
               SUM(s.complaints) AS complaints_7d
        FROM mailbox_daily_stats s
        WHERE s.day >= v_since
        GROUP BY s.mailbox_email
    ),
    scored AS (
        SELECT m.id,
               COALESCE(t.bounces_7d, 0)::INTEGER AS bounces_7d,
               COALESCE(t.complaints_7d, 0)::INTEGER AS complaints_7d,
               GREATEST(0, LEAST(100,
                   100
                   - (CASE WHEN COALESCE(t.sent_7d, 0) > 0 THEN t.bounces_7d::DECIMAL / t.sent_7d ELSE 0 END
                      * 500)::INTEGER
                   - COALESCE(t.complaints_7d, 0)::INTEGER * 20
                   + CASE WHEN m.warmup_start_date IS NOT NULL
                               AND NOW() - m.warmup_start_date > INTERVAL '30 days' THEN 10 ELSE 0 END
               )) AS health
        FROM mailboxes m
        LEFT JOIN totals t ON t.email = m.email
    ),
    decided AS (
        SELECT sc.*, CASE
                   WHEN sc.health < 50 THEN 'paused'
                   WHEN sc.health >= 70 AND m.status = 'warmup'
                        AND NOW() - m.warmup_start_date > INTERVAL '30 days' THEN 'active'
                   ELSE m.status
               END AS status
        FROM scored sc JOIN mailboxes m ON m.id = sc.id
    )
    UPDATE mailboxes m
    SET health_score = d.health,
        bounce_count_7d = d.bounces_7d,
        spam_reports_7d = d.complaints_7d,
        status = d.status,
        last_health_check = NOW()
    FROM decided d
    WHERE m.id = d.id
      AND (m.health_score, m.bounce_count_7d, m.spam_reports_7d, m.status)
          IS DISTINCT FROM (d.health, d.bounces_7d, d.complaints_7d, d.status);
    GET DIAGNOSTICS v_updated = ROW_COUNT;
    RETURN v_updated;
END;
$$;

-- The daily reset: as 0033, but only counters that hold sends of an earlier day are written (a zero counter of
-- an earlier day is rolled over by the mailbox's next reservation, 0033), and counters more than a day older
-- than the current window are dropped (the drift check looks one day further back than the window).
CREATE OR REPLACE FUNCTION reset_mailbox_daily_counters(
    p_day DATE DEFAULT (NOW() AT TIME ZONE 'UTC')::DATE,
    OUT counters_reset INTEGER,
    OUT health_updated INTEGER
)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
    INSERT INTO mailbox_counter_resets (day) VALUES (p_day) ON CONFLICT (day) DO NOTHING;
    UPDATE mailboxes SET sent_today = 0, sent_today_day = p_day WHERE sent_today_day < p_day AND sent_today <> 0;
    GET DIAGNOSTICS counters_reset = ROW_COUNT;
    DELETE FROM mailbox_daily_stats WHERE day < mailbox_window_start((NOW() AT TIME ZONE 'UTC')::DATE) - 1;
    health_updated := calculate_mailbox_health();
END;
$$;

REVOKE EXECUTE ON FUNCTION reset_mailbox_daily_counters(DATE) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION calculate_mailbox_health() FROM PUBLIC;
