-- 0030_partition_outreach.sql
-- Turns `outreach` into a table partitioned by month on queued_at (data-architecture.md section 4, fixed: the
-- seed partitioned a second, never-filled copy on sent_at, which is NULL for every queued row, with a primary
-- key that did not hold the partition column, and relied on pg_partman). docs/operations.md explains it.
--
-- The conversion copies whatever the table has by then (the seed's columns plus 0020's), and re-creates from
-- the catalog, before anything is renamed: every index under its own name, the foreign keys, the triggers,
-- the row-level security policies (also policies of other tables that read outreach), and the grants.
-- Result: PRIMARY KEY (id, queued_at), queued_at NOT NULL, the id sequence kept, one partition per month from
-- the oldest row through three months ahead, and a DEFAULT partition for anything outside them.

-- ---------------------------------------------------------------------------------------------------------
-- Partition maintenance (also called by the maintain-partitions job, as the owner)
-- ---------------------------------------------------------------------------------------------------------

-- Creates the partition of one month unless it exists. Rows of that month already in the DEFAULT partition
-- are moved into the new table before it is attached (ATTACH refuses while the default holds rows of the
-- range). The new table is filled while standalone, so no row trigger fires for the move. app_user gets no
-- grant on partitions: user access goes through the parent, where the RLS policies are.
CREATE FUNCTION ensure_outreach_partition(
    p_month DATE,
    OUT partition_name TEXT,
    OUT created BOOLEAN,
    OUT rows_moved BIGINT
)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v_month DATE := date_trunc('month', p_month)::DATE;
    v_from TEXT := to_char(date_trunc('month', p_month)::DATE, 'YYYY-MM-DD') || ' 00:00:00+00';
    v_to TEXT := to_char((date_trunc('month', p_month) + INTERVAL '1 month')::DATE, 'YYYY-MM-DD') || ' 00:00:00+00';
    v_cols TEXT;
BEGIN
    partition_name := 'outreach_' || to_char(v_month, 'YYYY_MM');
    created := FALSE;
    rows_moved := 0;
    IF to_regclass(quote_ident(partition_name)) IS NOT NULL THEN
        RETURN;
    END IF;
    -- Two maintainers at once: the second waits, then finds the partition.
    PERFORM pg_advisory_xact_lock(hashtext('roleferry:outreach-partitions'));
    IF to_regclass(quote_ident(partition_name)) IS NOT NULL THEN
        RETURN;
    END IF;

    EXECUTE format('CREATE TABLE %I (LIKE outreach INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)',
                   partition_name);
    IF to_regclass('outreach_default') IS NOT NULL THEN
        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum)
        INTO v_cols
        FROM pg_attribute
        WHERE attrelid = 'outreach'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '';
        EXECUTE format(
            'WITH moved AS (DELETE FROM outreach_default WHERE queued_at >= %L::timestamptz AND queued_at < %L::timestamptz RETURNING %s) '
            'INSERT INTO %I (%s) SELECT %s FROM moved',
            v_from, v_to, v_cols, partition_name, v_cols, v_cols);
        GET DIAGNOSTICS rows_moved = ROW_COUNT;
    END IF;
    EXECUTE format('ALTER TABLE outreach ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                   partition_name, v_from, v_to);
    EXECUTE format('REVOKE ALL ON %I FROM app_user', partition_name);
    -- Belt and braces: RLS on with no policy, so a partition read directly by a non-owner shows nothing.
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', partition_name);
    created := TRUE;
END;
$$;

-- Keeps partitions from the current month through `p_months_ahead` months ahead (what pg_partman's premake
-- did), and gives every month that has rows waiting in the DEFAULT partition its own partition. Returns the
-- partitions it created. Idempotent: a second run creates nothing.
CREATE FUNCTION maintain_outreach_partitions(p_months_ahead INTEGER DEFAULT 3)
RETURNS TABLE (partition_name TEXT, rows_moved BIGINT)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v_month DATE;
    v_result RECORD;
BEGIN
    FOR v_month IN
        SELECT generate_series(date_trunc('month', NOW() AT TIME ZONE 'UTC'),
                               date_trunc('month', NOW() AT TIME ZONE 'UTC') + make_interval(months => p_months_ahead),
                               INTERVAL '1 month')::DATE
        UNION
        SELECT DISTINCT date_trunc('month', queued_at AT TIME ZONE 'UTC')::DATE FROM outreach_default
        ORDER BY 1
    LOOP
        v_result := ensure_outreach_partition(v_month);
        IF v_result.created THEN
            partition_name := v_result.partition_name;
            rows_moved := v_result.rows_moved;
            RETURN NEXT;
        END IF;
    END LOOP;
END;
$$;

REVOKE EXECUTE ON FUNCTION ensure_outreach_partition(DATE) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION maintain_outreach_partitions(INTEGER) FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------------------
-- The conversion
-- ---------------------------------------------------------------------------------------------------------
DO $$
DECLARE
    v_oid OID := 'outreach'::regclass;
    v_seq TEXT := pg_get_serial_sequence('outreach', 'id');
    v_rls BOOLEAN;
    v_force BOOLEAN;
    v_cols TEXT;
    v_select TEXT;
    v_first DATE;
    v_last DATE;
    v_month DATE;
    v_def RECORD;
    v_old_count BIGINT;
    v_new_count BIGINT;
BEGIN
    -- A unique index on a partitioned table must contain the partition key: refuse, naming it, rather than
    -- silently weakening it.
    FOR v_def IN
        SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = v_oid AND i.indisunique AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                          WHERE a.attrelid = v_oid AND a.attname = 'queued_at' AND a.attnum = ANY (i.indkey))
    LOOP
        RAISE EXCEPTION 'unique index % on outreach does not contain queued_at; it cannot survive partitioning',
            v_def.relname;
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = v_oid) THEN
        RAISE EXCEPTION 'a foreign key references outreach; reference (id, queued_at) or drop it before 0030';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_depend d JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
               WHERE d.refobjid = v_oid AND r.ev_class <> v_oid) THEN
        RAISE EXCEPTION 'a view reads outreach; 0030 cannot re-create views, drop it first and re-create it after';
    END IF;

    SELECT relrowsecurity, relforcerowsecurity INTO v_rls, v_force FROM pg_class WHERE oid = v_oid;

    -- 1. Everything to re-create, deparsed while the table still has its name.
    CREATE TEMP TABLE outreach_0030_ddl (ord INTEGER, ddl TEXT) ON COMMIT DROP;
    INSERT INTO outreach_0030_ddl
    SELECT 10, pg_get_indexdef(i.indexrelid)
    FROM pg_index i WHERE i.indrelid = v_oid AND NOT i.indisprimary;
    INSERT INTO outreach_0030_ddl
    SELECT 20, format('ALTER TABLE outreach ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid))
    FROM pg_constraint WHERE conrelid = v_oid AND contype = 'f';
    INSERT INTO outreach_0030_ddl
    SELECT 30, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = v_oid AND NOT tgisinternal;
    -- policies of outreach, and policies of other tables whose expressions read outreach
    INSERT INTO outreach_0030_ddl
    SELECT 40, format('CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s',
                      pol.polname, pol.polrelid::regclass,
                      CASE WHEN pol.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                      CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                      WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                      (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ')
                       FROM unnest(pol.polroles) AS r),
                      CASE WHEN pol.polqual IS NOT NULL
                           THEN ' USING (' || pg_get_expr(pol.polqual, pol.polrelid) || ')' ELSE '' END,
                      CASE WHEN pol.polwithcheck IS NOT NULL
                           THEN ' WITH CHECK (' || pg_get_expr(pol.polwithcheck, pol.polrelid) || ')' ELSE '' END)
    FROM pg_policy pol
    WHERE pol.polrelid = v_oid
       OR pol.oid IN (SELECT objid FROM pg_depend WHERE classid = 'pg_policy'::regclass AND refobjid = v_oid);
    -- table grants, then column grants (0020 or later may add some)
    INSERT INTO outreach_0030_ddl
    SELECT 50, format('GRANT %s ON outreach TO %s', a.privilege_type,
                      CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
    FROM pg_class c, aclexplode(c.relacl) a
    WHERE c.oid = v_oid AND a.grantee <> c.relowner;
    INSERT INTO outreach_0030_ddl
    SELECT 51, format('GRANT %s (%I) ON outreach TO %s', a.privilege_type, att.attname,
                      CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
    FROM pg_attribute att, aclexplode(att.attacl) a
    WHERE att.attrelid = v_oid AND att.attacl IS NOT NULL AND NOT att.attisdropped;

    -- 2. Out of the way: the policies of other tables that read outreach (they block DROP), the old name,
    --    the old primary key's name and the old index names.
    FOR v_def IN
        SELECT DISTINCT pol.polname, pol.polrelid::regclass AS rel
        FROM pg_depend d JOIN pg_policy pol ON d.classid = 'pg_policy'::regclass AND d.objid = pol.oid
        WHERE d.refobjid = v_oid AND pol.polrelid <> v_oid
    LOOP
        EXECUTE format('DROP POLICY %I ON %s', v_def.polname, v_def.rel);
    END LOOP;
    ALTER TABLE outreach RENAME TO outreach_0030_old;
    FOR v_def IN
        SELECT conname FROM pg_constraint WHERE conrelid = v_oid AND contype = 'p'
    LOOP
        EXECUTE format('ALTER TABLE outreach_0030_old RENAME CONSTRAINT %I TO %I', v_def.conname, v_def.conname || '_0030_old');
    END LOOP;
    FOR v_def IN
        SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = v_oid AND NOT i.indisprimary
    LOOP
        EXECUTE format('DROP INDEX %I', v_def.relname);
    END LOOP;

    -- 3. The partitioned table: same columns, defaults (the id keeps its sequence), NOT NULLs and CHECKs.
    CREATE TABLE outreach (
        LIKE outreach_0030_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING IDENTITY
            INCLUDING STORAGE INCLUDING COMMENTS
    ) PARTITION BY RANGE (queued_at);
    ALTER TABLE outreach ALTER COLUMN queued_at SET NOT NULL;
    -- The new table got the default privileges of its creator; the old grants are applied in step 5.
    FOR v_def IN
        SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.oid = 'outreach'::regclass AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('REVOKE ALL ON outreach FROM %s',
                       CASE WHEN v_def.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(v_def.grantee)) END);
    END LOOP;

    CREATE TABLE outreach_default PARTITION OF outreach DEFAULT;
    REVOKE ALL ON outreach_default FROM app_user;
    ALTER TABLE outreach_default ENABLE ROW LEVEL SECURITY;

    SELECT date_trunc('month', LEAST(MIN(COALESCE(queued_at, sent_at, NOW())), NOW()) AT TIME ZONE 'UTC')::DATE,
           date_trunc('month', GREATEST(MAX(COALESCE(queued_at, sent_at, NOW())), NOW() + INTERVAL '3 months')
                               AT TIME ZONE 'UTC')::DATE
    INTO v_first, v_last
    FROM outreach_0030_old;
    v_month := v_first;
    WHILE v_month <= v_last LOOP
        PERFORM ensure_outreach_partition(v_month);
        v_month := (v_month + INTERVAL '1 month')::DATE;
    END LOOP;

    -- 4. The rows, before any trigger exists (copying must not bump applications.last_action_at).
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum),
           string_agg(CASE WHEN attname = 'queued_at' THEN 'COALESCE(queued_at, sent_at, NOW())'
                           ELSE quote_ident(attname) END, ', ' ORDER BY attnum)
    INTO v_cols, v_select
    FROM pg_attribute
    WHERE attrelid = 'outreach'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '';
    EXECUTE format('INSERT INTO outreach (%s) SELECT %s FROM outreach_0030_old', v_cols, v_select);
    SELECT COUNT(*) INTO v_old_count FROM outreach_0030_old;
    SELECT COUNT(*) INTO v_new_count FROM outreach;
    IF v_old_count <> v_new_count THEN
        RAISE EXCEPTION 'outreach copy lost rows: % before, % after', v_old_count, v_new_count;
    END IF;

    -- 5. Keys, indexes (same names; created on every partition), foreign keys, triggers, RLS, policies, grants.
    ALTER TABLE outreach ADD CONSTRAINT outreach_pkey PRIMARY KEY (id, queued_at);
    FOR v_def IN SELECT ddl FROM outreach_0030_ddl WHERE ord < 40 ORDER BY ord LOOP
        EXECUTE v_def.ddl;
    END LOOP;
    IF v_rls THEN
        ALTER TABLE outreach ENABLE ROW LEVEL SECURITY;
    END IF;
    IF v_force THEN
        ALTER TABLE outreach FORCE ROW LEVEL SECURITY;
    END IF;

    -- 6. The sequence now belongs to the new column (it would go with the old table otherwise).
    IF v_seq IS NOT NULL THEN
        EXECUTE format('ALTER SEQUENCE %s OWNED BY outreach.id', v_seq);
        -- never backwards: ids of deleted rows are not handed out again
        EXECUTE format('SELECT setval(%L, GREATEST(last_value, (SELECT COALESCE(MAX(id), 1) FROM outreach))) FROM %s',
                       v_seq, v_seq);
    END IF;

    DROP TABLE outreach_0030_old;
    FOR v_def IN SELECT ddl FROM outreach_0030_ddl WHERE ord >= 40 ORDER BY ord LOOP
        EXECUTE v_def.ddl;
    END LOOP;
END
$$;

ANALYZE outreach;
