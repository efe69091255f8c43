-- 0001_seed_schema.sql
-- The seed schema of docs "data-architecture.md" (sections 1, 2, 3 and 8), made runnable on PostgreSQL 15-18
-- inside one transaction, with the seed's defects fixed. Every fix is listed in db/README.md.
-- Names, types, defaults and column order follow the seed's DDL exactly unless a fix requires otherwise.
-- The migration runner wraps this file in BEGIN/COMMIT: no CREATE DATABASE, \c, VACUUM or CONCURRENTLY here.

-- ---------------------------------------------------------------------------------------------------------
-- 1.1 Extensions
-- ---------------------------------------------------------------------------------------------------------
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS "pg_trgm";
CREATE EXTENSION IF NOT EXISTS "pgcrypto";

-- The seed's monitoring queries read pg_stat_statements but never create it. Create it when the server ships
-- it and we are allowed to; a server without it (or a non-superuser owner) still migrates. Its view only
-- returns data when the library is in shared_preload_libraries (an operator setting).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'pg_stat_statements not created: %', SQLERRM;
        END;
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------------------
-- 1.2 Core tables
-- ---------------------------------------------------------------------------------------------------------

-- Users table
CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    email VARCHAR(255) UNIQUE NOT NULL,
    hashed_password VARCHAR(255),
    full_name VARCHAR(255),
    mode VARCHAR(20) NOT NULL DEFAULT 'job_seeker'
        CHECK (mode IN ('job_seeker', 'recruiter')),
    subscription_tier VARCHAR(50) NOT NULL DEFAULT 'free'
        CHECK (subscription_tier IN ('free', 'pro', 'teams', 'enterprise')),
    credits_remaining INTEGER DEFAULT 0 CHECK (credits_remaining >= 0),
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    last_login TIMESTAMP WITH TIME ZONE,
    email_verified BOOLEAN DEFAULT FALSE,
    stripe_customer_id VARCHAR(255) UNIQUE,
    avatar_url VARCHAR(500),
    timezone VARCHAR(50) DEFAULT 'UTC'
);

CREATE INDEX idx_users_email ON users(email);
CREATE INDEX idx_users_created_at ON users(created_at DESC);
CREATE INDEX idx_users_subscription ON users(subscription_tier);
CREATE INDEX idx_users_verified ON users(email_verified) WHERE email_verified = TRUE;

-- Resumes table
CREATE TABLE resumes (
    id SERIAL PRIMARY KEY,
    user_id INTEGER UNIQUE NOT NULL,
    roles JSONB DEFAULT '[]'::jsonb,
    key_metrics JSONB DEFAULT '[]'::jsonb,
    accomplishments JSONB DEFAULT '[]'::jsonb,
    skills JSONB DEFAULT '[]'::jsonb,
    raw_text TEXT,
    pdf_url VARCHAR(500),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),

    CONSTRAINT fk_resume_user FOREIGN KEY (user_id)
        REFERENCES users(id) ON DELETE CASCADE
);

CREATE INDEX idx_resumes_user ON resumes(user_id);
CREATE INDEX idx_resumes_skills ON resumes USING GIN(skills jsonb_path_ops);

-- Job preferences
CREATE TABLE job_preferences (
    id SERIAL PRIMARY KEY,
    user_id INTEGER UNIQUE NOT NULL,
    values JSONB DEFAULT '[]'::jsonb,
    role_types JSONB DEFAULT '["full-time"]'::jsonb,
    locations JSONB DEFAULT '[]'::jsonb,
    remote_ok BOOLEAN DEFAULT TRUE,
    role_levels JSONB DEFAULT '[]'::jsonb,
    company_sizes JSONB DEFAULT '[]'::jsonb,
    industries JSONB DEFAULT '[]'::jsonb,
    skills JSONB DEFAULT '[]'::jsonb,
    hidden_companies JSONB DEFAULT '[]'::jsonb,
    min_salary INTEGER CHECK (min_salary IS NULL OR min_salary >= 0),
    max_salary INTEGER CHECK (max_salary IS NULL OR max_salary >= min_salary),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),

    CONSTRAINT fk_ijp_user FOREIGN KEY (user_id)
        REFERENCES users(id) ON DELETE CASCADE
);

CREATE INDEX idx_ijp_user ON job_preferences(user_id);
CREATE INDEX idx_ijp_industries ON job_preferences USING GIN(industries jsonb_path_ops);

-- Companies
-- companies_founded_year_check compares with NOW(): PostgreSQL accepts it; it only ever gets looser as time
-- passes, so existing rows (and a dump/restore) never fail it. Kept as in the seed (see db/README.md).
CREATE TABLE companies (
    id SERIAL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    domain VARCHAR(255) UNIQUE,
    size VARCHAR(50),
    industry VARCHAR(255),
    founded_year INTEGER CHECK (founded_year >= 1800 AND founded_year <= EXTRACT(YEAR FROM NOW())),
    funding_stage VARCHAR(50),
    tech_stack JSONB DEFAULT '[]'::jsonb,
    logo_url VARCHAR(500),
    website VARCHAR(500),
    linkedin_url VARCHAR(500),
    glassdoor_rating DECIMAL(2,1) CHECK (glassdoor_rating >= 0 AND glassdoor_rating <= 5),
    enriched_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);

CREATE INDEX idx_companies_domain ON companies(domain);
CREATE INDEX idx_companies_name_trgm ON companies USING GIN(name gin_trgm_ops);
CREATE INDEX idx_companies_industry ON companies(industry);

-- Jobs
CREATE TABLE jobs (
    id SERIAL PRIMARY KEY,
    external_id VARCHAR(255) UNIQUE,
    source VARCHAR(100) NOT NULL,
    title VARCHAR(500) NOT NULL,
    company_id INTEGER NOT NULL,
    location VARCHAR(255),
    remote BOOLEAN DEFAULT FALSE,
    job_type VARCHAR(50) DEFAULT 'full-time',
    description TEXT,
    description_summary TEXT,
    comp_min INTEGER CHECK (comp_min >= 0),
    comp_max INTEGER CHECK (comp_max >= 0),
    requires_visa_sponsorship BOOLEAN DEFAULT FALSE,
    posted_date TIMESTAMP WITH TIME ZONE,
    scraped_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    expires_at TIMESTAMP WITH TIME ZONE DEFAULT NOW() + INTERVAL '90 days',

    CONSTRAINT fk_job_company FOREIGN KEY (company_id)
        REFERENCES companies(id) ON DELETE RESTRICT,
    CONSTRAINT chk_salary_range CHECK (comp_min IS NULL OR comp_max IS NULL OR comp_min <= comp_max)
);

CREATE INDEX idx_jobs_title_trgm ON jobs USING GIN(to_tsvector('english', title));
CREATE INDEX idx_jobs_company ON jobs(company_id);
CREATE INDEX idx_jobs_location ON jobs(location);
CREATE INDEX idx_jobs_remote ON jobs(remote) WHERE remote = TRUE;
CREATE INDEX idx_jobs_posted_date ON jobs(posted_date DESC);
CREATE INDEX idx_jobs_external_id ON jobs(external_id);
-- FIX: the seed's predicate "WHERE expires_at > NOW()" is refused (functions in an index predicate must be
-- IMMUTABLE) and would be wrong anyway (frozen at build time). A plain btree serves "expires_at > now()".
CREATE INDEX idx_jobs_expires_at ON jobs(expires_at);

-- Applications
CREATE TABLE applications (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL,
    job_id INTEGER NOT NULL,
    status VARCHAR(50) NOT NULL DEFAULT 'applied'
        CHECK (status IN ('saved', 'applied', 'interviewing', 'offer', 'rejected')),
    match_score INTEGER CHECK (match_score >= 0 AND match_score <= 100),
    applied_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    last_action_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    notes TEXT,
    interview_dates JSONB DEFAULT '[]'::jsonb,
    offer_details JSONB DEFAULT '{}'::jsonb,
    reply_status VARCHAR(50) DEFAULT 'pending'
        CHECK (reply_status IN ('pending', 'replied', 'no_reply')),

    CONSTRAINT fk_application_user FOREIGN KEY (user_id)
        REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT fk_application_job FOREIGN KEY (job_id)
        REFERENCES jobs(id) ON DELETE RESTRICT
);

CREATE UNIQUE INDEX idx_application_user_job ON applications(user_id, job_id);
CREATE INDEX idx_application_status ON applications(status, last_action_at DESC);
CREATE INDEX idx_application_user_status ON applications(user_id, status);
CREATE INDEX idx_application_match_score ON applications(match_score DESC) WHERE match_score IS NOT NULL;
-- ADDED: fk_application_job (ON DELETE RESTRICT) has no index on its referencing column; every job delete
-- (expire-jobs housekeeping) would scan applications.
CREATE INDEX idx_application_job ON applications(job_id);

-- Contacts
CREATE TABLE contacts (
    id SERIAL PRIMARY KEY,
    company_id INTEGER NOT NULL,
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    full_name VARCHAR(255) NOT NULL,
    title VARCHAR(255),
    email VARCHAR(255) NOT NULL,
    email_verified BOOLEAN DEFAULT FALSE,
    email_confidence DECIMAL(3,2) CHECK (email_confidence >= 0 AND email_confidence <= 1),
    linkedin_url VARCHAR(500),
    source VARCHAR(100) NOT NULL,
    discovered_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    last_contacted_at TIMESTAMP WITH TIME ZONE,
    opted_out BOOLEAN DEFAULT FALSE,
    opted_out_at TIMESTAMP WITH TIME ZONE,
    bounce_count INTEGER DEFAULT 0 CHECK (bounce_count >= 0),
    spam_reports INTEGER DEFAULT 0 CHECK (spam_reports >= 0),

    CONSTRAINT fk_contact_company FOREIGN KEY (company_id)
        REFERENCES companies(id) ON DELETE CASCADE
);

CREATE INDEX idx_contacts_email ON contacts(email);
CREATE INDEX idx_contacts_company ON contacts(company_id);
CREATE INDEX idx_contacts_title_trgm ON contacts USING GIN(to_tsvector('english', title));
CREATE INDEX idx_contacts_verified ON contacts(email_verified) WHERE email_verified = TRUE;
CREATE INDEX idx_contacts_opted_out ON contacts(opted_out) WHERE opted_out = TRUE;
CREATE INDEX idx_contacts_last_contacted ON contacts(last_contacted_at DESC);

-- Sequence templates
CREATE TABLE sequence_templates (
    id SERIAL PRIMARY KEY,
    user_id INTEGER,
    name VARCHAR(255) NOT NULL,
    description TEXT,
    is_platform BOOLEAN DEFAULT FALSE,
    steps JSONB NOT NULL DEFAULT '[]'::jsonb,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),

    CONSTRAINT fk_sequence_user FOREIGN KEY (user_id)
        REFERENCES users(id) ON DELETE CASCADE
);

CREATE INDEX idx_sequence_user ON sequence_templates(user_id);
CREATE INDEX idx_sequence_platform ON sequence_templates(is_platform) WHERE is_platform = TRUE;

-- Outreach (as in the seed; migration 0003 turns it into a table partitioned by month on queued_at)
CREATE TABLE outreach (
    id SERIAL PRIMARY KEY,
    application_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    sequence_instance_id INTEGER,
    step_no INTEGER NOT NULL CHECK (step_no >= 1),
    subject VARCHAR(500) NOT NULL,
    body TEXT NOT NULL,
    from_mailbox VARCHAR(255) NOT NULL,
    status VARCHAR(50) DEFAULT 'queued'
        CHECK (status IN ('queued', 'sent', 'delivered', 'bounced', 'replied', 'failed', 'canceled')),
    queued_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    sent_at TIMESTAMP WITH TIME ZONE,
    delivered_at TIMESTAMP WITH TIME ZONE,
    opened_at TIMESTAMP WITH TIME ZONE,
    clicked_at TIMESTAMP WITH TIME ZONE,
    replied_at TIMESTAMP WITH TIME ZONE,
    link_clicks INTEGER DEFAULT 0 CHECK (link_clicks >= 0),
    livepage_id INTEGER,

    CONSTRAINT fk_outreach_application FOREIGN KEY (application_id)
        REFERENCES applications(id) ON DELETE CASCADE,
    CONSTRAINT fk_outreach_contact FOREIGN KEY (contact_id)
        REFERENCES contacts(id) ON DELETE CASCADE
);

CREATE INDEX idx_outreach_application ON outreach(application_id);
CREATE INDEX idx_outreach_contact ON outreach(contact_id);
CREATE INDEX idx_outreach_status_queued ON outreach(status, queued_at) WHERE status = 'queued';
CREATE INDEX idx_outreach_mailbox ON outreach(from_mailbox);
CREATE INDEX idx_outreach_sent_at ON outreach(sent_at DESC) WHERE sent_at IS NOT NULL;

-- Mailboxes
CREATE TABLE mailboxes (
    id SERIAL PRIMARY KEY,
    domain VARCHAR(255) NOT NULL,
    email VARCHAR(255) UNIQUE NOT NULL,
    health_score INTEGER DEFAULT 100 CHECK (health_score >= 0 AND health_score <= 100),
    status VARCHAR(50) DEFAULT 'warmup' CHECK (status IN ('warmup', 'active', 'paused')),
    warmup_enabled BOOLEAN DEFAULT TRUE,
    warmup_start_date TIMESTAMP WITH TIME ZONE,
    daily_cap INTEGER DEFAULT 50 CHECK (daily_cap > 0),
    sent_today INTEGER DEFAULT 0 CHECK (sent_today >= 0),
    bounce_count_7d INTEGER DEFAULT 0,
    spam_reports_7d INTEGER DEFAULT 0,
    last_health_check TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    smtp_host VARCHAR(255) NOT NULL,
    smtp_port INTEGER DEFAULT 587,
    smtp_username VARCHAR(255) NOT NULL,
    smtp_password_encrypted VARCHAR(500) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);

CREATE INDEX idx_mailbox_health ON mailboxes(health_score DESC);
CREATE INDEX idx_mailbox_status ON mailboxes(status) WHERE status = 'active';
CREATE INDEX idx_mailbox_sent_today ON mailboxes(sent_today, daily_cap);
CREATE INDEX idx_mailbox_available ON mailboxes(status, health_score, sent_today, daily_cap)
    WHERE status = 'active' AND health_score >= 70 AND sent_today < daily_cap;

-- ADDED: provider events (Mailgun event webhook). The seed counts complaints as outreach.status = 'spam',
-- a value its own status CHECK forbids; complaints (and the other events) are recorded here instead.
-- No foreign key to outreach: outreach becomes partitioned in 0003 (its key is then (id, queued_at)), and a
-- complaint must keep counting against its mailbox even after the application (and its outreach) is deleted.
CREATE TABLE outreach_events (
    id BIGSERIAL PRIMARY KEY,
    outreach_id INTEGER,
    event VARCHAR(50) NOT NULL
        CHECK (event IN ('delivered', 'failed', 'opened', 'clicked', 'complained', 'unsubscribed', 'replied',
                         'bounced')),
    mailbox_email VARCHAR(255),
    contact_id INTEGER,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    provider_event_id VARCHAR(255) UNIQUE,
    payload JSONB,

    CONSTRAINT fk_outreach_event_contact FOREIGN KEY (contact_id)
        REFERENCES contacts(id) ON DELETE SET NULL
);

CREATE INDEX idx_outreach_events_outreach ON outreach_events(outreach_id);
CREATE INDEX idx_outreach_events_contact ON outreach_events(contact_id);
CREATE INDEX idx_outreach_events_mailbox ON outreach_events(mailbox_email, event, occurred_at);

-- ---------------------------------------------------------------------------------------------------------
-- 2. Triggers & functions
-- ---------------------------------------------------------------------------------------------------------

-- 2.1 Update timestamp trigger
CREATE OR REPLACE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_resumes_updated_at
    BEFORE UPDATE ON resumes
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER trg_ijp_updated_at
    BEFORE UPDATE ON job_preferences
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER trg_sequence_updated_at
    BEFORE UPDATE ON sequence_templates
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

-- 2.2 Application last action update
-- FIX: "OLD.status != NEW.status" is NULL (no update) when either status is NULL (outreach.status is
-- nullable); IS DISTINCT FROM. SECURITY DEFINER with a fixed search_path: it touches only the application of
-- the outreach row the caller was already allowed (by RLS) to write, and must not depend on the caller's grants.
CREATE OR REPLACE FUNCTION update_application_last_action()
RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF (TG_OP = 'INSERT') THEN
        UPDATE applications SET last_action_at = NOW() WHERE id = NEW.application_id;
    ELSIF (TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status) THEN
        UPDATE applications SET last_action_at = NOW() WHERE id = NEW.application_id;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER trg_outreach_updates_application
    AFTER INSERT OR UPDATE ON outreach
    FOR EACH ROW
    EXECUTE FUNCTION update_application_last_action();

-- 2.3 Stop sequence on reply
-- FIXES: NULL-safe status comparison; every still-queued step of this application+contact is canceled (a
-- queued step must never go out after a reply); replied_at is filled in when the writer left it NULL;
-- contacts.last_contacted_at no longer becomes NULL (replied_at unset) nor moves backwards.
-- SECURITY DEFINER with a fixed search_path: a reply marked inside a user request (role app_user, under RLS)
-- must still update the shared contacts row, which app_user may not update directly.
-- Recursion: the cancel UPDATE fires this trigger again for the canceled rows (status 'canceled': no-op) and
-- trg_outreach_updates_application; the replied_at UPDATE does not name status, so only the latter fires
-- (and does nothing: status unchanged). Depth is bounded.
CREATE OR REPLACE FUNCTION stop_sequence_on_reply()
RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    reply_time TIMESTAMP WITH TIME ZONE := COALESCE(NEW.replied_at, NOW());
BEGIN
    IF NEW.status = 'replied' AND OLD.status IS DISTINCT FROM 'replied' THEN
        -- Cancel the steps still waiting to go out
        UPDATE outreach
        SET status = 'canceled'
        WHERE application_id = NEW.application_id
          AND contact_id = NEW.contact_id
          AND id <> NEW.id
          AND status = 'queued';

        -- Record when the reply came in, if the writer did not
        IF NEW.replied_at IS NULL THEN
            UPDATE outreach SET replied_at = reply_time WHERE id = NEW.id AND replied_at IS NULL;
        END IF;

        -- Update application
        UPDATE applications
        SET reply_status = 'replied',
            status = CASE
                WHEN status = 'saved' THEN 'applied'
                WHEN status = 'applied' THEN 'interviewing'
                ELSE status
            END,
            last_action_at = NOW()
        WHERE id = NEW.application_id;

        -- Update contact last_contacted (never to NULL, never backwards)
        UPDATE contacts
        SET last_contacted_at = GREATEST(last_contacted_at, reply_time)
        WHERE id = NEW.contact_id;
    END IF;

    RETURN NEW;
END;
$$;

CREATE TRIGGER trg_outreach_reply
    AFTER UPDATE OF status ON outreach
    FOR EACH ROW
    EXECUTE FUNCTION stop_sequence_on_reply();

-- 2.5 Health score calculation (before 2.4, which calls it). Scheduled by Deno.cron "calculate-health"
-- (every 6 hours), not pg_cron.
-- FIXES: the bounce rate is 7-day bounces over 7-day sends of the same mailbox (the seed divided by
-- sent_today, which the daily reset has just set to 0, so the bounce penalty never applied); the 7-day bounce
-- and complaint counts are recomputed here (and stored), so the 6-hourly check sees fresh numbers; complaints
-- come from outreach_events ('complained'); the unused spam_rate variable is gone.
CREATE OR REPLACE FUNCTION calculate_mailbox_health()
RETURNS void AS $$
DECLARE
    mailbox_record RECORD;
    new_health INTEGER;
    sent_7d INTEGER;
    bounces_7d INTEGER;
    complaints_7d INTEGER;
    bounce_rate DECIMAL;
BEGIN
    FOR mailbox_record IN SELECT * FROM mailboxes ORDER BY id LOOP
        SELECT COUNT(*), COUNT(*) FILTER (WHERE o.status = 'bounced')
        INTO sent_7d, bounces_7d
        FROM outreach o
        WHERE o.from_mailbox = mailbox_record.email
          AND o.sent_at > NOW() - INTERVAL '7 days';

        SELECT COUNT(*)
        INTO complaints_7d
        FROM outreach_events e
        WHERE e.mailbox_email = mailbox_record.email
          AND e.event = 'complained'
          AND e.occurred_at > NOW() - INTERVAL '7 days';

        -- Rate
        bounce_rate := CASE
            WHEN sent_7d > 0 THEN bounces_7d::DECIMAL / sent_7d
            ELSE 0
        END;

        -- Base score
        new_health := 100;

        -- Penalties
        new_health := new_health - (bounce_rate * 500)::INTEGER;  -- -50 per 10% bounce
        new_health := new_health - (complaints_7d * 20);          -- -20 per spam report

        -- Bonuses
        IF mailbox_record.warmup_start_date IS NOT NULL THEN
            IF NOW() - mailbox_record.warmup_start_date > INTERVAL '30 days' THEN
                new_health := new_health + 10;  -- Warmup complete bonus
            END IF;
        END IF;

        -- Clamp to 0-100
        new_health := GREATEST(0, LEAST(100, new_health));

        -- Update mailbox
        UPDATE mailboxes
        SET health_score = new_health,
            bounce_count_7d = bounces_7d,
            spam_reports_7d = complaints_7d,
            status = CASE
                WHEN new_health < 50 THEN 'paused'
                WHEN new_health >= 70 AND status = 'warmup'
                     AND NOW() - warmup_start_date > INTERVAL '30 days' THEN 'active'
                ELSE status
            END,
            last_health_check = NOW()
        WHERE id = mailbox_record.id;
    END LOOP;
END;
$$ LANGUAGE plpgsql;

-- 2.4 Mailbox counter reset. Scheduled by Deno.cron "reset-mailboxes" (0 0 * * *), not pg_cron.
-- FIXES: complaints are counted from outreach_events (the seed counted outreach.status = 'spam', which the
-- status CHECK forbids, so it was always 0); every mailbox is updated (the seed's
-- "WHERE sent_today > 0 OR bounce_count_7d > 0 OR spam_reports_7d > 0" skipped a mailbox that sent nothing
-- yesterday, had zero counts, and received a late bounce or complaint for an earlier send: never counted).
CREATE OR REPLACE FUNCTION reset_mailbox_daily_counters()
RETURNS void AS $$
BEGIN
    UPDATE mailboxes
    SET sent_today = 0,
        bounce_count_7d = (
            SELECT COUNT(*)
            FROM outreach
            WHERE outreach.from_mailbox = mailboxes.email
              AND outreach.status = 'bounced'
              AND outreach.sent_at > NOW() - INTERVAL '7 days'
        ),
        spam_reports_7d = (
            SELECT COUNT(*)
            FROM outreach_events
            WHERE outreach_events.mailbox_email = mailboxes.email
              AND outreach_events.event = 'complained'
              AND outreach_events.occurred_at > NOW() - INTERVAL '7 days'
        );

    -- Recalculate health scores
    PERFORM calculate_mailbox_health();
END;
$$ LANGUAGE plpgsql;

-- Maintenance functions are run by the jobs as the owner; nobody else needs to call them.
REVOKE EXECUTE ON FUNCTION reset_mailbox_daily_counters() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION calculate_mailbox_health() FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------------------
-- 3. Materialized views
-- ---------------------------------------------------------------------------------------------------------

-- Created WITH DATA (the default): REFRESH ... CONCURRENTLY refuses a never-populated view.
-- Refreshed by Deno.cron "refresh-match-scores" (0 * * * *) with REFRESH MATERIALIZED VIEW CONCURRENTLY.
CREATE MATERIALIZED VIEW match_scores AS
SELECT
    a.user_id,
    a.job_id,
    a.match_score AS score,
    CASE
        WHEN a.match_score >= 90 THEN 'excellent'
        WHEN a.match_score >= 75 THEN 'strong'
        WHEN a.match_score >= 50 THEN 'fair'
        ELSE 'low'
    END AS category,
    a.applied_at AS calculated_at
FROM applications a
WHERE a.match_score IS NOT NULL
WITH DATA;

CREATE UNIQUE INDEX idx_match_scores_user_job ON match_scores(user_id, job_id);
CREATE INDEX idx_match_scores_score ON match_scores(score DESC);

-- ADDED: row-level security does not apply to materialized views, so app_user gets no grant on match_scores
-- (it would see every user's scores); it reads its own through this security-barrier view (owner's rights,
-- filtered by the request's user).
CREATE VIEW my_match_scores WITH (security_barrier = true) AS
SELECT user_id, job_id, score, category, calculated_at
FROM match_scores
WHERE user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer);

-- ---------------------------------------------------------------------------------------------------------
-- 8.1 Roles and grants
-- ---------------------------------------------------------------------------------------------------------

-- Roles are cluster-wide: several databases on one cluster (tests) each run this file. Create them only when
-- missing, tolerating a parallel migration creating them at the same moment. app_user can log in but gets no
-- password here (operators set one); the app normally uses it with SET LOCAL ROLE inside each request.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'readonly') THEN
        BEGIN
            CREATE ROLE readonly NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_user') THEN
        BEGIN
            CREATE ROLE app_user LOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;

-- The migrating owner must be able to SET ROLE app_user (requests run as app_user). PostgreSQL 16+ needs the
-- SET option explicitly (a CREATEROLE creator gets ADMIN only); superusers already can.
DO $$
DECLARE
    modern BOOLEAN := current_setting('server_version_num')::integer >= 160000;
BEGIN
    IF NOT pg_has_role(current_user, 'app_user', CASE WHEN modern THEN 'SET' ELSE 'MEMBER' END) THEN
        BEGIN
            IF modern THEN
                EXECUTE format('GRANT app_user TO %I WITH SET TRUE', current_user);
            ELSE
                EXECUTE format('GRANT app_user TO %I', current_user);
            END IF;
        EXCEPTION
            WHEN unique_violation OR duplicate_object THEN
                NULL;
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'role % cannot be granted app_user', current_user
                    USING HINT = format('as a superuser: GRANT app_user TO %I', current_user);
        END;
    END IF;
END
$$;

DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO readonly, app_user', current_database());
END
$$;

-- Nobody but the owner creates objects in public (PostgreSQL 15+ already revokes it from PUBLIC; explicit here).
-- The seed's "REVOKE DROP ON ALL TABLES" is not SQL: DROP is not a grantable privilege, only an owner (or a
-- superuser) can drop, and app_user owns nothing.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM app_user;

-- readonly (analytics): SELECT on everything, as in the seed, except the two secret columns.
GRANT USAGE ON SCHEMA public TO readonly;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO readonly;
REVOKE SELECT ON users, mailboxes FROM readonly;
GRANT SELECT (id, email, full_name, mode, subscription_tier, credits_remaining, created_at, last_login,
              email_verified, stripe_customer_id, avatar_url, timezone) ON users TO readonly;
GRANT SELECT (id, domain, email, health_score, status, warmup_enabled, warmup_start_date, daily_cap, sent_today,
              bounce_count_7d, spam_reports_7d, last_health_check, smtp_host, smtp_port, smtp_username,
              created_at) ON mailboxes TO readonly;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO readonly;

-- app_user (API requests): explicit per-table grants, RLS below limits them to the caller's rows.
GRANT USAGE ON SCHEMA public TO app_user;
-- the user's own data
-- users: no INSERT (signup/login run as the owner). Column grants: never hashed_password (the login check runs
-- as the owner), and only the profile columns are writable; the password, the plan and credits (billing), the
-- verification flag and the email (changed through a verification flow) are changed by the owner only.
GRANT SELECT (id, email, full_name, mode, subscription_tier, credits_remaining, created_at, last_login,
              email_verified, stripe_customer_id, avatar_url, timezone) ON users TO app_user;
GRANT UPDATE (full_name, mode, avatar_url, timezone) ON users TO app_user;
GRANT DELETE ON users TO app_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON resumes, job_preferences, applications, sequence_templates, outreach
    TO app_user;
GRANT SELECT ON outreach_events TO app_user;        -- written by the webhooks (owner)
-- shared catalogues
GRANT SELECT ON companies, jobs TO app_user;        -- imports are admin routes (owner)
GRANT SELECT, INSERT ON contacts TO app_user;       -- POST /api/contacts; opt-outs run as the owner
GRANT SELECT (id, domain, email, health_score, status, warmup_enabled, warmup_start_date, daily_cap, sent_today,
              bounce_count_7d, spam_reports_7d, last_health_check, smtp_host, smtp_port, smtp_username,
              created_at) ON mailboxes TO app_user;  -- never smtp_password_encrypted
GRANT SELECT ON my_match_scores TO app_user;        -- not match_scores itself (no RLS on a materialized view)
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO app_user;
-- Tables and sequences created by later migrations (by this same owner). A later table holding one user's
-- data must enable RLS with policies in the same migration; one app_user must not touch must REVOKE.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app_user;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO app_user;

-- ---------------------------------------------------------------------------------------------------------
-- 8.2 Row-level security
-- ---------------------------------------------------------------------------------------------------------
-- ENABLE (not FORCE): the owner (migrations, jobs, webhooks, auth) bypasses it; requests run as app_user:
--   BEGIN; SELECT set_config('app.current_user_id', $1, true); SET LOCAL ROLE app_user; ...; COMMIT;
-- No user set (setting missing or '') -> NULL -> no rows. The (SELECT ...) wrapper makes it an initplan,
-- evaluated once per statement. readonly (analytics) reads every row through its own SELECT policies.

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON users
    FOR ALL
    USING (id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer));
CREATE POLICY readonly_all ON users FOR SELECT TO readonly USING (true);

ALTER TABLE resumes ENABLE ROW LEVEL SECURITY;
CREATE POLICY resume_isolation ON resumes
    FOR ALL
    USING (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer));
CREATE POLICY readonly_all ON resumes FOR SELECT TO readonly USING (true);

ALTER TABLE job_preferences ENABLE ROW LEVEL SECURITY;
CREATE POLICY job_preferences_isolation ON job_preferences
    FOR ALL
    USING (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer));
CREATE POLICY readonly_all ON job_preferences FOR SELECT TO readonly USING (true);

ALTER TABLE applications ENABLE ROW LEVEL SECURITY;
CREATE POLICY application_isolation ON applications
    FOR ALL
    USING (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer));
CREATE POLICY readonly_all ON applications FOR SELECT TO readonly USING (true);

ALTER TABLE sequence_templates ENABLE ROW LEVEL SECURITY;
CREATE POLICY sequence_template_isolation ON sequence_templates
    FOR ALL
    USING (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer)
                AND is_platform IS NOT TRUE);
CREATE POLICY sequence_template_platform_read ON sequence_templates
    FOR SELECT
    USING (user_id IS NULL AND is_platform);
CREATE POLICY readonly_all ON sequence_templates FOR SELECT TO readonly USING (true);

ALTER TABLE outreach ENABLE ROW LEVEL SECURITY;
CREATE POLICY outreach_isolation ON outreach
    FOR ALL
    USING (EXISTS (
        SELECT 1 FROM applications a
        WHERE a.id = outreach.application_id
          AND a.user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer)
    ));
CREATE POLICY readonly_all ON outreach FOR SELECT TO readonly USING (true);

ALTER TABLE outreach_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY outreach_event_isolation ON outreach_events
    FOR SELECT
    USING (EXISTS (
        SELECT 1 FROM outreach o JOIN applications a ON a.id = o.application_id
        WHERE o.id = outreach_events.outreach_id
          AND a.user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer)
    ));
CREATE POLICY readonly_all ON outreach_events FOR SELECT TO readonly USING (true);
