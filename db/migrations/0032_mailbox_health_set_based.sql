-- 0032_mailbox_health_set_based.sql
-- The daily counter reset and the health score as set-based statements (one UPDATE per step, no row loop).
-- Same rules as 0001's corrected functions (docs/operations.md, "Mailbox health"):
--   sent_7d       = outreach rows of the mailbox with sent_at in the last 7 days (any status)
--   bounces_7d    = those of them with status 'bounced'
--   complaints_7d = outreach_events 'complained' for the mailbox, occurred in the last 7 days
--   health = clamp(100 - (bounces_7d / sent_7d * 500)::integer - 20 * complaints_7d
--                  + 10 when warmup_start_date is more than 30 days old, 0, 100)
--   status: paused when health < 50; warmup -> active when health >= 70 and warm-up began more than 30 days
--   ago; otherwise unchanged (paused stays paused until an operator resumes it).
-- Both now return what they changed (they returned void), hence DROP + CREATE. The reset runs once per UTC day.

DROP FUNCTION reset_mailbox_daily_counters();
DROP FUNCTION calculate_mailbox_health();

CREATE FUNCTION calculate_mailbox_health()
RETURNS INTEGER
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v_updated INTEGER;
BEGIN
    WITH sends AS (
        SELECT o.from_mailbox AS email,
               COUNT(*) AS sent_7d,
               COUNT(*) FILTER (WHERE o.status = 'bounced') AS bounces_7d
        FROM outreach o
        WHERE o.sent_at > NOW() - INTERVAL '7 days'
        GROUP BY o.from_mailbox
    ),
    complaints AS (
        SELECT e.mailbox_email AS email, COUNT(*) AS complaints_7d
        FROM outreach_events e
        WHERE e.event = 'complained' AND e.occurred_at > NOW() - INTERVAL '7 days'
        GROUP BY e.mailbox_email
    ),
    scored AS (
        SELECT m.id,
               COALESCE(s.bounces_7d, 0)::INTEGER AS bounces_7d,
               COALESCE(c.complaints_7d, 0)::INTEGER AS complaints_7d,
               GREATEST(0, LEAST(100,
                   100
                   - (CASE WHEN COALESCE(s.sent_7d, 0) > 0 THEN s.bounces_7d::DECIMAL / s.sent_7d ELSE 0 END
                      * 500)::INTEGER
                   - COALESCE(c.complaints_7d, 0)::INTEGER * 20
                   + CASE WHEN m.warmup_start_date IS NOT NULL
                               AND NOW() - m.warmup_start_date > INTERVAL '30 days' THEN 10 ELSE 0 END
               )) AS health
        FROM mailboxes m
        LEFT JOIN sends s ON s.email = m.email
        LEFT JOIN complaints c ON c.email = m.email
    )
    UPDATE mailboxes m
    SET health_score = sc.health,
        bounce_count_7d = sc.bounces_7d,
        spam_reports_7d = sc.complaints_7d,
        status = CASE
            WHEN sc.health < 50 THEN 'paused'
            WHEN sc.health >= 70 AND m.status = 'warmup'
                 AND NOW() - m.warmup_start_date > INTERVAL '30 days' THEN 'active'
            ELSE m.status
        END,
        last_health_check = NOW()
    FROM scored sc
    WHERE m.id = sc.id;
    GET DIAGNOSTICS v_updated = ROW_COUNT;
    RETURN v_updated;
END;
$$;

-- Which UTC days have had their counter reset: a second run on the same day (a retry, a manual run at noon,
-- a second process) must not zero sent_today again, or a mailbox could send two daily caps in one day.
CREATE TABLE mailbox_counter_resets (
    day DATE PRIMARY KEY,
    reset_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
REVOKE ALL ON mailbox_counter_resets FROM app_user;

-- The daily reset: on the first run for `p_day`, every mailbox's sent_today back to 0 (one UPDATE); on every
-- run, the health step above, which recomputes and stores the 7-day bounce and complaint counts.
CREATE FUNCTION reset_mailbox_daily_counters(
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
        UPDATE mailboxes SET sent_today = 0 WHERE sent_today <> 0;
        GET DIAGNOSTICS counters_reset = ROW_COUNT;
    END IF;
    health_updated := calculate_mailbox_health();
END;
$$;

REVOKE EXECUTE ON FUNCTION reset_mailbox_daily_counters(DATE) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION calculate_mailbox_health() FROM PUBLIC;
