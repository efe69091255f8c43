-- 0011_jobs_matching.sql
-- What job search and matching need beyond the seed.

-- The skills named in a job's title and description, found once at import (lib/skills.ts) so a page of
-- search results is scored without scanning descriptions. NULL (rows written by other means): the score
-- finds them from the text at read time.
ALTER TABLE jobs ADD COLUMN skills JSONB;

-- The seed's match inputs include visa sponsorship but its preferences have no column saying whether the
-- job seeker needs it.
ALTER TABLE job_preferences ADD COLUMN needs_visa_sponsorship BOOLEAN NOT NULL DEFAULT FALSE;

-- Keyset pagination of search results: newest first, id as the tie-breaker, undated jobs last. The seed's
-- idx_jobs_posted_date (posted_date DESC) sorts NULLs first and has no tie-breaker.
CREATE INDEX idx_jobs_posted_keyset ON jobs (posted_date DESC NULLS LAST, id DESC);
