-- 0066_recruiter_roles.sql
-- Recruiter mode (issue 14): a recruiter's role is an `applications` row (recruiter, job); its candidates are
-- `contacts`, and their pipeline is the one new table, `role_candidates`. Roles created for a client company are
-- `jobs` rows owned by the recruiter (`owner_user_id`), visible to nobody else.

ALTER TABLE jobs ADD COLUMN owner_user_id INTEGER REFERENCES users(id) ON DELETE CASCADE;
CREATE INDEX idx_jobs_owner ON jobs (owner_user_id) WHERE owner_user_id IS NOT NULL;

-- Private roles stay out of everyone else's job search, job pages and applications: the queries say
-- `owner_user_id IS NULL` (search) or "no owner or the caller" (db/jobs.ts, db/applications.ts, db/roles.ts).
-- Not row-level security on jobs: a policy makes PostgreSQL evaluate it before the search's full-text and
-- trigram conditions, which are not leakproof, so those could no longer be index conditions (measured:
-- tests/job_search_test.ts saw sequential scans at 100,000 jobs).

CREATE TABLE role_candidates (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    stage VARCHAR(20) NOT NULL DEFAULT 'sourced'
        CHECK (stage IN ('sourced', 'contacted', 'replied', 'interviewing', 'submitted', 'hired')),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    UNIQUE (application_id, contact_id)
);
CREATE INDEX idx_role_candidates_user ON role_candidates (user_id);
CREATE INDEX idx_role_candidates_contact ON role_candidates (contact_id);

ALTER TABLE role_candidates ENABLE ROW LEVEL SECURITY;
-- Own rows only, and only on one's own application (a candidate cannot be hung on another user's role).
CREATE POLICY role_candidate_isolation ON role_candidates
    USING (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer)
        AND EXISTS (SELECT 1 FROM applications a WHERE a.id = application_id AND a.user_id = role_candidates.user_id));
CREATE POLICY readonly_all ON role_candidates FOR SELECT TO readonly USING (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON role_candidates TO app_user;
GRANT USAGE, SELECT ON SEQUENCE role_candidates_id_seq TO app_user;
