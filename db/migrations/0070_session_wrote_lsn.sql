-- 0070: read-your-writes with read replicas (db/replicas.ts, docs/scaling.md "Read replicas").
--
-- sessions.wrote_lsn is the primary's WAL position just after the session's latest write: stamped at sign-in
-- (the default) and after every write request the session makes. A GET of that session reads from a replica
-- only once the replica has replayed past it; until then it reads from the primary.
-- Nullable and added without a default first, so existing rows are not rewritten; the default applies to new
-- sessions only.

ALTER TABLE sessions ADD COLUMN wrote_lsn PG_LSN;
ALTER TABLE sessions ALTER COLUMN wrote_lsn SET DEFAULT pg_current_wal_lsn();
