-- 0033: sent_today belongs to one UTC day, written beside it (sent_today_day).
--
-- Before, the daily reset zeroed sent_today whenever it ran first on a day. Sends made on that day before the
-- reset ran (the dispatcher's tick at 00:00 racing the reset's, a reset retried at 00:01, an app that was down
-- at midnight) were zeroed with the previous day's, so a mailbox could send more than its cap that day.
-- Found by tests/resilience_instances_test.ts: three processes sent 240 messages while their first reset ran,
-- and the caps counted 176.
--
-- Now every reservation rolls its mailbox's counter over to the current UTC day itself (the first unit of a
-- new day starts from 0), and the reset only zeroes counters that still belong to an earlier day. A unit
-- given back is taken off only the day it was reserved on. Cap checks still read sent_today as stored, so a
-- mailbox that was full yesterday stays full until the reset (or its first unit of the day) clears it: the
-- safe side.

ALTER TABLE mailboxes ADD COLUMN sent_today_day DATE;
-- The counters as they stand were last zeroed on the latest reset day recorded (today when none is).
UPDATE mailboxes
SET sent_today_day = COALESCE((SELECT MAX(day) FROM mailbox_counter_resets), (NOW() AT TIME ZONE 'UTC')::DATE);
ALTER TABLE mailboxes
    ALTER COLUMN sent_today_day SET DEFAULT (NOW() AT TIME ZONE 'UTC')::DATE,
    ALTER COLUMN sent_today_day SET NOT NULL;

COMMENT ON COLUMN mailboxes.sent_today_day IS
    'The UTC day sent_today counts units of; a reservation on a later day starts the count again from 0.';

-- The daily reset: counters of an earlier day back to 0 (a counter already on p_day holds sends of p_day and
-- is kept), the day recorded, then the health step. Idempotent by construction: a second run finds no
-- counter of an earlier day.
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
    UPDATE mailboxes SET sent_today = 0, sent_today_day = p_day WHERE sent_today_day < p_day;
    GET DIAGNOSTICS counters_reset = ROW_COUNT;
    health_updated := calculate_mailbox_health();
END;
$$;

REVOKE EXECUTE ON FUNCTION reset_mailbox_daily_counters(DATE) FROM PUBLIC;
