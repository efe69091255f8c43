-- 0103: an outreach status change moves its application's last_action_at once per statement, not once per row.
--
-- The seed's row trigger trg_outreach_updates_application ran one single-row UPDATE of applications per
-- outreach row whose status changed: 5,000 statements for the dispatcher's 5,000 sends (0.05 ms each at full
-- scale), and a call of the function for each of the claim's and the attempt's rows, where status does not
-- change. The seed's trigger stays (its definition is part of the seed schema) and still does the insert's
-- work; updates are now done by a statement-level trigger with transition tables (the funnel and mailbox
-- triggers of 0080/0085 already have the outreach UPDATE transition tables captured, so they cost nothing
-- more): one UPDATE of the distinct applications whose rows changed status, to NOW(), the same value each row's
-- UPDATE wrote (NOW() is the transaction's start). Rows are matched on id (unique: one sequence), so a status
-- change that also moves a row to another partition counts as before.
-- One difference, on no path of ours: a statement-level trigger of the partitioned table does not fire for a
-- statement that updates a partition directly (nothing does; the partition maintainer moves rows with DELETE
-- and INSERT, and inserts still go through the row trigger).

CREATE OR REPLACE FUNCTION update_application_last_action()
RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF (TG_OP = 'INSERT') THEN
        UPDATE applications SET last_action_at = NOW() WHERE id = NEW.application_id;
    END IF;
    -- an UPDATE's status change: trg_outreach_status_touches_application (0103), once per statement
    RETURN NEW;
END;
$$;

CREATE FUNCTION trg_outreach_status_touches_application() RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    UPDATE applications a SET last_action_at = NOW()
    FROM (SELECT DISTINCT n.application_id
          FROM old_rows o JOIN new_rows n ON n.id = o.id
          WHERE o.status IS DISTINCT FROM n.status) c
    WHERE a.id = c.application_id;
    RETURN NULL;
END $$;

CREATE TRIGGER trg_outreach_status_touches_application AFTER UPDATE ON outreach
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION trg_outreach_status_touches_application();
