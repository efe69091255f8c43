-- 0031_job_runs.sql
-- One row per scheduled job run, claimed before the work starts. With several app processes on one database
-- every process's Deno.cron fires on each tick; the primary key (job, tick) lets exactly one of them claim
-- the tick, the others skip. It is also the run history read by /api/admin/stats. (jobs/registry.ts)
CREATE TABLE job_runs (
    id BIGSERIAL,
    job VARCHAR(64) NOT NULL,
    -- the scheduled minute for cron runs; the exact start for manual runs (deno task job, the admin route)
    tick TIMESTAMP WITH TIME ZONE NOT NULL,
    trigger VARCHAR(10) NOT NULL CHECK (trigger IN ('cron', 'manual')),
    instance VARCHAR(100) NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    finished_at TIMESTAMP WITH TIME ZONE,
    outcome VARCHAR(10) NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'ok', 'error')),
    -- a tick whose run failed may be claimed again (Deno.cron's backoff retries): attempts counts them
    attempts INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    rows_touched BIGINT,
    duration_ms INTEGER,
    result JSONB,
    error TEXT,
    PRIMARY KEY (job, tick)
);

CREATE UNIQUE INDEX idx_job_runs_id ON job_runs(id);
CREATE INDEX idx_job_runs_started ON job_runs(job, started_at DESC);
CREATE INDEX idx_job_runs_running ON job_runs(job) WHERE outcome = 'running';

-- Operations data: the owner writes it, nobody else needs it (default privileges granted app_user DML).
REVOKE ALL ON job_runs FROM app_user;
REVOKE ALL ON SEQUENCE job_runs_id_seq FROM app_user;
