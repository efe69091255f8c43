-- 0012_search_indexes.sql
-- Job search at a million jobs (GET /api/jobs, db/jobs.ts searchJobs; docs/benchmarks.md, search). The seed's
-- indexes stay as they are; these are added beside them. IF NOT EXISTS: the full-scale bench database was
-- given them by hand while they were measured.

-- The title's tsvector, stored: a phrase search ("backend engineer", positions) and every row a date-ordered
-- walk tests read it instead of running to_tsvector per row (the seed's expression index stores no positions,
-- so its phrase matches were rechecked by recomputing it). The seed's idx_jobs_title_trgm stays.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS title_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', title)) STORED;
CREATE INDEX IF NOT EXISTS idx_jobs_title_tsv ON jobs USING gin (title_tsv);

-- location ILIKE '%...%': a city no job names is answered from this index instead of walking every job.
CREATE INDEX IF NOT EXISTS idx_jobs_location_trgm ON jobs USING gin (location gin_trgm_ops);

-- The keyset order of the search with every column its filters read: walking newest first is an index-only
-- scan (no heap page per rejected row), and only the page's rows are read from the table.
CREATE INDEX IF NOT EXISTS idx_jobs_search_keyset ON jobs (posted_date DESC NULLS LAST, id DESC)
    INCLUDE (expires_at, company_id, remote, comp_min, comp_max, location, title_tsv);
