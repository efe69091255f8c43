-- 0080_outreach_funnel.sql
-- Per-step funnels of each sequence (docs/campaigns.md), kept as outreach changes rather than scanned: one row
-- per (user, sequence, step, variant, cohort day) with the number of that cohort's rows that reached each stage.
-- The cohort day is the UTC day the row was queued, so a funnel's rates compare like with like (the replies
-- counted are those to emails queued in the window, however late they arrive).
--
-- Kept by statement-level triggers with transition tables on the partitioned outreach parent: one upsert per
-- statement and cell, not one per row, so the dispatcher's bulk updates pay a grouped upsert, not N. Statements
-- that target a partition directly (the partition maintainer's move out of the DEFAULT partition) do not fire
-- them, which is right: those rows are moved, not created. `check_outreach_funnel()` recounts from outreach and
-- reports the cells that differ.

ALTER TABLE outreach ADD COLUMN variant VARCHAR(1) CHECK (variant IN ('A', 'B', 'C', 'D'));

CREATE TABLE outreach_funnel_daily (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sequence_template_id INTEGER NOT NULL,
    step_no INTEGER NOT NULL,
    -- '' for a step without variants (a primary key column cannot be NULL)
    variant VARCHAR(1) NOT NULL DEFAULT '',
    day DATE NOT NULL,
    queued INTEGER NOT NULL DEFAULT 0,
    sent INTEGER NOT NULL DEFAULT 0,
    delivered INTEGER NOT NULL DEFAULT 0,
    opened INTEGER NOT NULL DEFAULT 0,
    clicked INTEGER NOT NULL DEFAULT 0,
    replied INTEGER NOT NULL DEFAULT 0,
    bounced INTEGER NOT NULL DEFAULT 0,
    unsubscribed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, sequence_template_id, step_no, variant, day)
);
-- The admin's view of a template across every user: the same counters without the user, so the all-user funnel
-- reads (steps x variants x days) cells, not one per user and day (10 million outreach rows of 50,000 users
-- spread over a year make about as many user cells as rows).
CREATE TABLE outreach_funnel_template_daily (
    sequence_template_id INTEGER NOT NULL,
    step_no INTEGER NOT NULL,
    variant VARCHAR(1) NOT NULL DEFAULT '',
    day DATE NOT NULL,
    queued BIGINT NOT NULL DEFAULT 0,
    sent BIGINT NOT NULL DEFAULT 0,
    delivered BIGINT NOT NULL DEFAULT 0,
    opened BIGINT NOT NULL DEFAULT 0,
    clicked BIGINT NOT NULL DEFAULT 0,
    replied BIGINT NOT NULL DEFAULT 0,
    bounced BIGINT NOT NULL DEFAULT 0,
    unsubscribed BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (sequence_template_id, step_no, variant, day)
);
-- Across users: the owner (admin API) reads it; app_user gets nothing.
REVOKE ALL ON outreach_funnel_template_daily FROM app_user;

ALTER TABLE outreach_funnel_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY outreach_funnel_isolation ON outreach_funnel_daily
    FOR ALL
    USING (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer));
CREATE POLICY readonly_all ON outreach_funnel_daily FOR SELECT TO readonly USING (true);
-- Written only by the triggers (as the owner); users read their own cells (the schema's default privileges
-- would let app_user write them).
REVOKE INSERT, UPDATE, DELETE ON outreach_funnel_daily FROM app_user;
GRANT SELECT ON outreach_funnel_daily TO app_user, readonly;

-- One row of counters for a set of outreach rows (each counted once per stage it has reached).
CREATE FUNCTION outreach_funnel_apply(p_rows JSONB, p_sign INTEGER) RETURNS VOID
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    INSERT INTO outreach_funnel_daily AS f
        (user_id, sequence_template_id, step_no, variant, day,
         queued, sent, delivered, opened, clicked, replied, bounced)
    SELECT a.user_id, r.sequence_template_id, r.step_no, COALESCE(r.variant, ''),
           (r.queued_at AT TIME ZONE 'UTC')::DATE,
           p_sign * COUNT(*), p_sign * COUNT(r.sent_at), p_sign * COUNT(r.delivered_at),
           p_sign * COUNT(r.opened_at), p_sign * COUNT(r.clicked_at), p_sign * COUNT(r.replied_at),
           p_sign * COUNT(*) FILTER (WHERE r.status = 'bounced')
    FROM jsonb_to_recordset(p_rows) AS r(application_id INTEGER, sequence_template_id INTEGER, step_no INTEGER,
        variant VARCHAR, queued_at TIMESTAMPTZ, sent_at TIMESTAMPTZ, delivered_at TIMESTAMPTZ,
        opened_at TIMESTAMPTZ, clicked_at TIMESTAMPTZ, replied_at TIMESTAMPTZ, status VARCHAR)
    JOIN applications a ON a.id = r.application_id
    WHERE r.sequence_template_id IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (user_id, sequence_template_id, step_no, variant, day) DO UPDATE SET
        queued = f.queued + EXCLUDED.queued,
        sent = f.sent + EXCLUDED.sent,
        delivered = f.delivered + EXCLUDED.delivered,
        opened = f.opened + EXCLUDED.opened,
        clicked = f.clicked + EXCLUDED.clicked,
        replied = f.replied + EXCLUDED.replied,
        bounced = f.bounced + EXCLUDED.bounced;

    INSERT INTO outreach_funnel_template_daily AS t
        (sequence_template_id, step_no, variant, day, queued, sent, delivered, opened, clicked, replied, bounced)
    SELECT r.sequence_template_id, r.step_no, COALESCE(r.variant, ''), (r.queued_at AT TIME ZONE 'UTC')::DATE,
           p_sign * COUNT(*), p_sign * COUNT(r.sent_at), p_sign * COUNT(r.delivered_at),
           p_sign * COUNT(r.opened_at), p_sign * COUNT(r.clicked_at), p_sign * COUNT(r.replied_at),
           p_sign * COUNT(*) FILTER (WHERE r.status = 'bounced')
    FROM jsonb_to_recordset(p_rows) AS r(sequence_template_id INTEGER, step_no INTEGER, variant VARCHAR,
        queued_at TIMESTAMPTZ, sent_at TIMESTAMPTZ, delivered_at TIMESTAMPTZ, opened_at TIMESTAMPTZ,
        clicked_at TIMESTAMPTZ, replied_at TIMESTAMPTZ, status VARCHAR)
    WHERE r.sequence_template_id IS NOT NULL
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (sequence_template_id, step_no, variant, day) DO UPDATE SET
        queued = t.queued + EXCLUDED.queued,
        sent = t.sent + EXCLUDED.sent,
        delivered = t.delivered + EXCLUDED.delivered,
        opened = t.opened + EXCLUDED.opened,
        clicked = t.clicked + EXCLUDED.clicked,
        replied = t.replied + EXCLUDED.replied,
        bounced = t.bounced + EXCLUDED.bounced;
END $$;

CREATE FUNCTION trg_outreach_funnel_insert() RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM outreach_funnel_apply((SELECT jsonb_agg(to_jsonb(n)) FROM new_rows n), 1);
    RETURN NULL;
END $$;

CREATE FUNCTION trg_outreach_funnel_delete() RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM outreach_funnel_apply((SELECT jsonb_agg(to_jsonb(o)) FROM old_rows o), -1);
    RETURN NULL;
END $$;

-- An update takes the old state of each changed row out and puts its new state in; rows whose counted columns
-- did not change are skipped, so the dispatcher's lease updates cost one empty comparison.
CREATE FUNCTION trg_outreach_funnel_update() RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_old JSONB;
    v_new JSONB;
BEGIN
    WITH changed AS (
        SELECT to_jsonb(o) AS o, to_jsonb(n) AS n
        FROM old_rows o JOIN new_rows n ON n.id = o.id AND n.queued_at = o.queued_at
        WHERE (o.sent_at IS NULL) IS DISTINCT FROM (n.sent_at IS NULL)
           OR (o.delivered_at IS NULL) IS DISTINCT FROM (n.delivered_at IS NULL)
           OR (o.opened_at IS NULL) IS DISTINCT FROM (n.opened_at IS NULL)
           OR (o.clicked_at IS NULL) IS DISTINCT FROM (n.clicked_at IS NULL)
           OR (o.replied_at IS NULL) IS DISTINCT FROM (n.replied_at IS NULL)
           OR (o.status = 'bounced') IS DISTINCT FROM (n.status = 'bounced')
           OR o.variant IS DISTINCT FROM n.variant
           OR o.step_no IS DISTINCT FROM n.step_no
           OR o.sequence_template_id IS DISTINCT FROM n.sequence_template_id
    )
    SELECT jsonb_agg(o), jsonb_agg(n) INTO v_old, v_new FROM changed;
    IF v_old IS NOT NULL THEN
        PERFORM outreach_funnel_apply(v_old, -1);
        PERFORM outreach_funnel_apply(v_new, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER trg_outreach_funnel_insert AFTER INSERT ON outreach
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trg_outreach_funnel_insert();
CREATE TRIGGER trg_outreach_funnel_update AFTER UPDATE ON outreach
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION trg_outreach_funnel_update();
CREATE TRIGGER trg_outreach_funnel_delete AFTER DELETE ON outreach
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION trg_outreach_funnel_delete();

-- Unsubscribes are events, not outreach columns: the first 'unsubscribed' event of an outreach row counts once
-- in that row's cell.
CREATE FUNCTION trg_outreach_funnel_unsubscribe() RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM new_rows WHERE event = 'unsubscribed') THEN
        RETURN NULL;
    END IF;
    WITH unsubscribes AS (
        SELECT a.user_id, o.sequence_template_id, o.step_no, COALESCE(o.variant, '') AS variant,
               (o.queued_at AT TIME ZONE 'UTC')::DATE AS day, COUNT(*) AS n
        FROM (SELECT DISTINCT n.outreach_id FROM new_rows n
              WHERE n.event = 'unsubscribed' AND n.outreach_id IS NOT NULL) e
        JOIN outreach o ON o.id = e.outreach_id
        JOIN applications a ON a.id = o.application_id
        WHERE o.sequence_template_id IS NOT NULL
          AND NOT EXISTS (
              SELECT 1 FROM outreach_events x
              WHERE x.outreach_id = e.outreach_id AND x.event = 'unsubscribed'
                AND x.id NOT IN (SELECT n.id FROM new_rows n))
        GROUP BY 1, 2, 3, 4, 5
    ), per_user AS (
        INSERT INTO outreach_funnel_daily AS f (user_id, sequence_template_id, step_no, variant, day, unsubscribed)
        SELECT u.user_id, u.sequence_template_id, u.step_no, u.variant, u.day, u.n FROM unsubscribes u
        ON CONFLICT (user_id, sequence_template_id, step_no, variant, day) DO UPDATE SET
            unsubscribed = f.unsubscribed + EXCLUDED.unsubscribed
        RETURNING 1
    )
    INSERT INTO outreach_funnel_template_daily AS t (sequence_template_id, step_no, variant, day, unsubscribed)
    SELECT u.sequence_template_id, u.step_no, u.variant, u.day, SUM(u.n) FROM unsubscribes u
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (sequence_template_id, step_no, variant, day) DO UPDATE SET
        unsubscribed = t.unsubscribed + EXCLUDED.unsubscribed;
    RETURN NULL;
END $$;

CREATE TRIGGER trg_outreach_funnel_unsubscribe AFTER INSERT ON outreach_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trg_outreach_funnel_unsubscribe();

-- The funnel recounted from outreach and its events: the backfill below, and the drift check's reference.
CREATE FUNCTION outreach_funnel_recount()
RETURNS TABLE (user_id INTEGER, sequence_template_id INTEGER, step_no INTEGER, variant VARCHAR, day DATE,
               queued BIGINT, sent BIGINT, delivered BIGINT, opened BIGINT, clicked BIGINT, replied BIGINT,
               bounced BIGINT, unsubscribed BIGINT)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT a.user_id, o.sequence_template_id, o.step_no, COALESCE(o.variant, '')::VARCHAR,
           (o.queued_at AT TIME ZONE 'UTC')::DATE,
           COUNT(*), COUNT(o.sent_at), COUNT(o.delivered_at), COUNT(o.opened_at), COUNT(o.clicked_at),
           COUNT(o.replied_at), COUNT(*) FILTER (WHERE o.status = 'bounced'),
           COUNT(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM outreach_events e WHERE e.outreach_id = o.id AND e.event = 'unsubscribed'))
    FROM outreach o JOIN applications a ON a.id = o.application_id
    WHERE o.sequence_template_id IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5
$$;

-- Cells where the rollup and a full recount disagree (none, unless a write bypassed the triggers).
CREATE FUNCTION check_outreach_funnel()
RETURNS TABLE (user_id INTEGER, sequence_template_id INTEGER, step_no INTEGER, variant VARCHAR, day DATE,
               kept JSONB, recounted JSONB)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    WITH kept AS (
        SELECT f.user_id, f.sequence_template_id, f.step_no, f.variant, f.day,
               jsonb_build_array(f.queued, f.sent, f.delivered, f.opened, f.clicked, f.replied, f.bounced,
                                 f.unsubscribed) AS counts
        FROM outreach_funnel_daily f
        WHERE (f.queued, f.sent, f.delivered, f.opened, f.clicked, f.replied, f.bounced, f.unsubscribed)
              <> (0, 0, 0, 0, 0, 0, 0, 0)
    ), recounted AS (
        SELECT r.user_id, r.sequence_template_id, r.step_no, r.variant, r.day,
               jsonb_build_array(r.queued, r.sent, r.delivered, r.opened, r.clicked, r.replied, r.bounced,
                                 r.unsubscribed) AS counts
        FROM outreach_funnel_recount() r
    )
    , kept_templates AS (
        SELECT t.sequence_template_id, t.step_no, t.variant, t.day,
               jsonb_build_array(t.queued, t.sent, t.delivered, t.opened, t.clicked, t.replied, t.bounced,
                                 t.unsubscribed) AS counts
        FROM outreach_funnel_template_daily t
        WHERE (t.queued, t.sent, t.delivered, t.opened, t.clicked, t.replied, t.bounced, t.unsubscribed)
              <> (0, 0, 0, 0, 0, 0, 0, 0)
    ), recounted_templates AS (
        SELECT r.sequence_template_id, r.step_no, r.variant, r.day,
               jsonb_build_array(SUM(r.queued), SUM(r.sent), SUM(r.delivered), SUM(r.opened), SUM(r.clicked),
                                 SUM(r.replied), SUM(r.bounced), SUM(r.unsubscribed)) AS counts
        FROM outreach_funnel_recount() r
        GROUP BY 1, 2, 3, 4
    )
    SELECT COALESCE(k.user_id, r.user_id), COALESCE(k.sequence_template_id, r.sequence_template_id),
           COALESCE(k.step_no, r.step_no), COALESCE(k.variant, r.variant), COALESCE(k.day, r.day),
           k.counts, r.counts
    FROM kept k FULL JOIN recounted r USING (user_id, sequence_template_id, step_no, variant, day)
    WHERE k.counts IS DISTINCT FROM r.counts
    UNION ALL
    SELECT NULL, COALESCE(k.sequence_template_id, r.sequence_template_id), COALESCE(k.step_no, r.step_no),
           COALESCE(k.variant, r.variant), COALESCE(k.day, r.day), k.counts, r.counts
    FROM kept_templates k FULL JOIN recounted_templates r USING (sequence_template_id, step_no, variant, day)
    WHERE k.counts IS DISTINCT FROM r.counts
$$;

-- Rebuilds both rollups from outreach (this migration's backfill, and after a bulk load that ran without
-- triggers, such as the benchmark generator's).
CREATE FUNCTION rebuild_outreach_funnel() RETURNS BIGINT
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_cells BIGINT;
BEGIN
    DELETE FROM outreach_funnel_daily;
    DELETE FROM outreach_funnel_template_daily;
    INSERT INTO outreach_funnel_daily
        (user_id, sequence_template_id, step_no, variant, day,
         queued, sent, delivered, opened, clicked, replied, bounced, unsubscribed)
    SELECT * FROM outreach_funnel_recount();
    GET DIAGNOSTICS v_cells = ROW_COUNT;
    INSERT INTO outreach_funnel_template_daily
        (sequence_template_id, step_no, variant, day,
         queued, sent, delivered, opened, clicked, replied, bounced, unsubscribed)
    SELECT sequence_template_id, step_no, variant, day, SUM(queued), SUM(sent), SUM(delivered), SUM(opened),
           SUM(clicked), SUM(replied), SUM(bounced), SUM(unsubscribed)
    FROM outreach_funnel_daily
    GROUP BY 1, 2, 3, 4;
    RETURN v_cells;
END $$;

SELECT rebuild_outreach_funnel();
