-- 0095_match_candidates.sql
-- Best match first from a per-user table (docs/matching.md "Best match first"): each user's top jobs by the
-- real score (core/match.ts), written by services/matching/candidates.ts, read by `sort=match`.

-- Which version of a job the tables have seen: a sequence number taken on insert and on every change of a
-- column the score reads, so a refresh scores only the jobs changed since its watermark. NULL: older than
-- every table (rows from before this migration). No default: adding the column does not rewrite the table.
CREATE SEQUENCE job_match_seq;
ALTER TABLE jobs ADD COLUMN match_seq BIGINT;
CREATE INDEX idx_jobs_match_seq ON jobs(match_seq) WHERE match_seq IS NOT NULL;
-- Jobs that name no skill: the score reads their text (or the company's stack), so a refresh always scores them.
CREATE INDEX idx_jobs_no_skills ON jobs(id) WHERE skills IS NULL OR skills = '[]'::jsonb;

CREATE FUNCTION rf_job_match_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.match_seq := nextval('job_match_seq');
    RETURN NEW;
END $$;
CREATE TRIGGER trg_jobs_match_seq_insert BEFORE INSERT ON jobs
    FOR EACH ROW EXECUTE FUNCTION rf_job_match_seq();
CREATE TRIGGER trg_jobs_match_seq_update BEFORE UPDATE OF title, skills, skills_nice, description, location,
    remote, job_type, comp_min, comp_max, requires_visa_sponsorship, company_id, expires_at, owner_user_id ON jobs
    FOR EACH ROW EXECUTE FUNCTION rf_job_match_seq();

-- A user's table: whether it may be read (`stale` false), the jobs it has seen (`seen_seq`: every job with
-- match_seq at most this was considered) and how far down it is exact (`exact_score`, `exact_id`: every open
-- job the user can see whose (score, id) is at least this key is in match_candidates; see docs/matching.md).
-- The save of a resume or preferences sets `stale` (in its own transaction: a table never disagrees with the
-- profile it is read with); the refresh clears it.
CREATE TABLE match_candidate_state (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    stale BOOLEAN NOT NULL DEFAULT TRUE,
    seen_seq BIGINT NOT NULL DEFAULT 0,
    exact_score SMALLINT,
    exact_id INTEGER,
    rows INTEGER NOT NULL DEFAULT 0,
    queued_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    -- Counts the saves: a refresh clears `stale` only if no save came while it ran.
    version INTEGER NOT NULL DEFAULT 0,
    refreshed_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX idx_match_candidate_state_stale ON match_candidate_state(queued_at) WHERE stale;

-- The rows: no foreign key to jobs (a deleted job drops out of the read's join and out of the next refresh;
-- a cascade would need an index on job_id over every user's rows).
CREATE TABLE match_candidates (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    job_id INTEGER NOT NULL,
    score SMALLINT NOT NULL,
    category VARCHAR(20) NOT NULL,
    PRIMARY KEY (user_id, job_id)
);
CREATE INDEX idx_match_candidates_rank ON match_candidates(user_id, score DESC, job_id DESC);

ALTER TABLE match_candidate_state ENABLE ROW LEVEL SECURITY;
CREATE POLICY match_candidate_state_isolation ON match_candidate_state
    FOR ALL
    USING (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer));
CREATE POLICY readonly_all ON match_candidate_state FOR SELECT TO readonly USING (true);
-- The user's save marks the table stale; only the refresh (owner) writes the rest (the schema's default
-- privileges granted app_user all DML).
REVOKE ALL ON match_candidate_state FROM app_user;
GRANT SELECT ON match_candidate_state TO app_user;
GRANT INSERT (user_id), UPDATE (stale, queued_at, version) ON match_candidate_state TO app_user;

ALTER TABLE match_candidates ENABLE ROW LEVEL SECURITY;
CREATE POLICY match_candidates_isolation ON match_candidates
    FOR ALL
    USING (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer));
CREATE POLICY readonly_all ON match_candidates FOR SELECT TO readonly USING (true);
REVOKE ALL ON match_candidates FROM app_user;
GRANT SELECT ON match_candidates TO app_user;
