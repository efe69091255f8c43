-- 0100: sent_today is read through its day, so the daily reset writes no counter.
--
-- Since 0033 every reservation rolls its mailbox's counter over to the current UTC day itself, and the reset
-- only zeroed counters still on an earlier day. That zeroing was the reset's largest write: every mailbox that
-- sent the day before (about all of them at 10,000 mailboxes), one non-HOT update each. Now every reader reads
-- the counter through its day: mailbox_sent_today(sent_today, sent_today_day) is sent_today when the counter
-- holds the current UTC day and 0 when it holds an earlier one. Written once here and used by the cap checks
-- and the reservation's ordering (db/mailboxes.ts), the waiting-reason summary (db/outreach_waiting.ts), the
-- admin pages and API (db/mailboxes.ts viewColumns, db/mailbox_health.ts), and the view below. The stored
-- pair is unchanged: a counter of an earlier day simply reads as 0, as it would after a reset.

-- An SQL function without SET or SECURITY DEFINER: the planner inlines it, so it costs what the CASE costs.
CREATE FUNCTION mailbox_sent_today(p_sent INTEGER, p_day DATE) RETURNS INTEGER
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN p_day >= (NOW() AT TIME ZONE 'UTC')::DATE THEN p_sent ELSE 0 END $$;

COMMENT ON COLUMN mailboxes.sent_today IS
    'Units reserved on the UTC day sent_today_day. Read it as mailbox_sent_today(sent_today, sent_today_day): '
    'a counter of an earlier day is 0 today (nothing zeroes it at midnight).';

-- For the roles that may read the mailboxes' counters (app_user, readonly: column grants of 0001): today's
-- count without knowing the rule. security_invoker: the caller's own column privileges apply. Only the columns
-- it needs, so that it stands in the way of no other column's change.
CREATE VIEW mailbox_sent_today_view WITH (security_invoker = true) AS
SELECT m.id, m.email, mailbox_sent_today(m.sent_today, m.sent_today_day) AS sent_today
FROM mailboxes m;
REVOKE ALL ON mailbox_sent_today_view FROM app_user, readonly;
GRANT SELECT ON mailbox_sent_today_view TO app_user, readonly;
GRANT SELECT (sent_today_day) ON mailboxes TO app_user, readonly;

-- The daily reset: writes no counter any more (an earlier day's counter reads as 0). counters_reset still
-- reports, on the first run for p_day, how many counters held sends of an earlier day (they now read as 0);
-- a second run the same day reports 0. The old cells of the per-day counters are dropped, then the health step.
CREATE OR REPLACE FUNCTION reset_mailbox_daily_counters(
    p_day DATE DEFAULT (NOW() AT TIME ZONE 'UTC')::DATE,
    OUT counters_reset INTEGER,
    OUT health_updated INTEGER
)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
    counters_reset := 0;
    INSERT INTO mailbox_counter_resets (day) VALUES (p_day) ON CONFLICT (day) DO NOTHING;
    IF FOUND THEN
        SELECT COUNT(*)::INTEGER INTO counters_reset
        FROM mailboxes WHERE sent_today_day < p_day AND sent_today <> 0;
    END IF;
    DELETE FROM mailbox_daily_stats WHERE day < mailbox_window_start((NOW() AT TIME ZONE 'UTC')::DATE) - 1;
    health_updated := calculate_mailbox_health();
END;
$$;

REVOKE EXECUTE ON FUNCTION reset_mailbox_daily_counters(DATE) FROM PUBLIC;

-- The health step, same rules and results as 0085's (compared mailbox by mailbox with the row-by-row loop by
-- the benchmark), with less work per mailbox: mailboxes is read once for the scores (0085 joined it a second
-- time for the status), and the bounce penalty is computed in integers: round(500 * bounces / sent), halves
-- away from zero as the NUMERIC cast rounded them, is (1000 * bounces + sent) / (2 * sent) in integer division
-- for counts >= 0 (exact halves are exact in both; otherwise the two differ by less than 1 / (2 * sent) from a
-- half). Only mailboxes whose score, counts or status change are written, as in 0085.
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
        SELECT s.mailbox_email AS email, SUM(s.sent)::INTEGER AS sent_7d, SUM(s.bounced)::INTEGER AS bounces_7d,
               SUM(s.complaints)::INTEGER AS complaints_7d
        FROM mailbox_daily_stats s
        WHERE s.day >= v_since
        GROUP BY s.mailbox_email
    ),
    scored AS (
        SELECT m.id, m.status, m.warmup_start_date,
               COALESCE(t.bounces_7d, 0) AS bounces_7d,
               COALESCE(t.complaints_7d, 0) AS complaints_7d,
               GREATEST(0, LEAST(100,
                   100
                   - CASE WHEN t.sent_7d > 0 THEN (1000 * t.bounces_7d + t.sent_7d) / (2 * t.sent_7d) ELSE 0 END
                   - COALESCE(t.complaints_7d, 0) * 20
                   + CASE WHEN NOW() - m.warmup_start_date > INTERVAL '30 days' THEN 10 ELSE 0 END
               )) AS health
        FROM mailboxes m
        LEFT JOIN totals t ON t.email = m.email
    ),
    decided AS (
        SELECT sc.id, sc.health, sc.bounces_7d, sc.complaints_7d,
               CASE
                   WHEN sc.health < 50 THEN 'paused'
                   WHEN sc.health >= 70 AND sc.status = 'warmup'
                        AND NOW() - sc.warmup_start_date > INTERVAL '30 days' THEN 'active'
                   ELSE sc.status
               END AS status
        FROM scored sc
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

REVOKE EXECUTE ON FUNCTION calculate_mailbox_health() FROM PUBLIC;
