-- 0060_job_search.sql
-- Search over title, company, skills and description, and the nice-to-have skills the match score reads
-- (issue 13; docs/matching.md, docs/benchmarks.md "Search and best match").

-- The skills a job ad names only as nice to have (lib/skills.ts extractJobSkills), a subset of `skills`.
-- NULL: none known (rows written before this migration or by other means).
ALTER TABLE jobs ADD COLUMN skills_nice JSONB;

-- One spelling for words people write three ways: "front end", "front-end" and "frontend" are all
-- "frontend" (likewise back end, full stack), in the stored vector and in the query.
CREATE FUNCTION rf_search_words(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT regexp_replace(regexp_replace(coalesce(t, ''),
    '\m(front|back)[- ]?end\M', '\1end', 'gi'),
    '\mfull[- ]?stack\M', 'fullstack', 'gi')
$$;

-- The weighted vector of one job: title A, company name and skills B, description C.
CREATE FUNCTION rf_job_search_tsv(title text, company text, skills jsonb, description text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT setweight(to_tsvector('english', rf_search_words(title)), 'A')
      || setweight(to_tsvector('english', rf_search_words(company)), 'B')
      || setweight(to_tsvector('english', rf_search_words(
           CASE WHEN jsonb_typeof(skills) = 'array'
                THEN (SELECT string_agg(s, ' ') FROM jsonb_array_elements_text(skills) s) END)), 'B')
      || setweight(to_tsvector('english', rf_search_words(left(description, 100000))), 'C')
$$;

-- Stored, because a generated column cannot read the company's name; kept by the triggers below.
ALTER TABLE jobs ADD COLUMN search_tsv tsvector;

CREATE FUNCTION rf_jobs_search_tsv() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
  NEW.search_tsv := rf_job_search_tsv(NEW.title, (SELECT name FROM companies WHERE id = NEW.company_id),
                                      NEW.skills, NEW.description);
  RETURN NEW;
END $$;

CREATE TRIGGER trg_jobs_search_tsv BEFORE INSERT OR UPDATE OF title, company_id, skills, description ON jobs
  FOR EACH ROW EXECUTE FUNCTION rf_jobs_search_tsv();

-- A renamed company: its jobs' vectors follow (SECURITY DEFINER: whoever may rename a company need not
-- be allowed to write jobs).
CREATE FUNCTION rf_company_name_search_tsv() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
  UPDATE jobs SET search_tsv = rf_job_search_tsv(title, NEW.name, skills, description)
  WHERE company_id = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER trg_companies_name_search_tsv AFTER UPDATE OF name ON companies
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION rf_company_name_search_tsv();

UPDATE jobs j SET search_tsv = rf_job_search_tsv(j.title, c.name, j.skills, j.description)
FROM companies c WHERE c.id = j.company_id;

CREATE INDEX idx_jobs_search_tsv ON jobs USING gin (search_tsv);

-- Typo tolerance for titles (`word <% title`); companies have idx_companies_name_trgm from the seed.
-- (The seed's idx_jobs_title_trgm is, despite its name, a tsvector index.)
CREATE INDEX idx_jobs_title_trigram ON jobs USING gin (title gin_trgm_ops);

-- The job's skills for "best match" candidates: jobs naming any of the user's skills (`skills ?| array`).
CREATE INDEX idx_jobs_skills ON jobs USING gin (skills);
