-- Issue 9 (hardening): a run whose process died no longer blocks its job for the whole lease. A run now
-- holds a transaction-level advisory lock on its own connection for as long as it runs (db/job_runs.ts
-- holdJobRun); PostgreSQL releases it when that connection ends, also when the process is SIGKILLed.
-- `held` says the run was made that way, so a later claim that gets the lock knows such a 'running' row is
-- dead and takes over at once; rows without it (a process of an older version, mid-upgrade) keep the lease.
ALTER TABLE job_runs ADD COLUMN held BOOLEAN NOT NULL DEFAULT false;
