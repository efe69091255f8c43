-- 0082_live_pages.sql
-- Live pages (docs/campaigns.md): a personal page per application, public at an unguessable URL that
-- `{{live_page}}` inserts into an email. The page keeps its own counters and nothing else: a view or a link
-- click counts once per visitor per day, where a visitor is an HMAC of the day, the address and the user agent
-- (never stored raw, and unlinkable from one day to the next). outreach.livepage_id (seed column) names the
-- page an email carried.
CREATE TABLE live_pages (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    token VARCHAR(64) NOT NULL UNIQUE,
    headline VARCHAR(200) NOT NULL,
    pitch TEXT NOT NULL,
    links JSONB NOT NULL DEFAULT '[]'::jsonb,
    show_match BOOLEAN NOT NULL DEFAULT FALSE,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    views INTEGER NOT NULL DEFAULT 0 CHECK (views >= 0),
    link_clicks INTEGER NOT NULL DEFAULT 0 CHECK (link_clicks >= 0),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_live_pages_user ON live_pages(user_id);
CREATE INDEX idx_live_pages_application ON live_pages(application_id);

ALTER TABLE live_pages ENABLE ROW LEVEL SECURITY;
CREATE POLICY live_page_isolation ON live_pages
    FOR ALL
    USING (user_id = (SELECT NULLIF(current_setting('app.current_user_id', true), '')::integer));
CREATE POLICY readonly_all ON live_pages FOR SELECT TO readonly USING (true);
-- The counters are written by the public page as the owner, never by the user.
REVOKE UPDATE ON live_pages FROM app_user;
GRANT SELECT, INSERT, DELETE ON live_pages TO app_user;
GRANT UPDATE (headline, pitch, links, show_match, enabled, updated_at) ON live_pages TO app_user;
GRANT USAGE, SELECT ON SEQUENCE live_pages_id_seq TO app_user;

-- Who has been counted today: (page, day, visitor, what). Owner-only.
CREATE TABLE live_page_visits (
    page_id INTEGER NOT NULL REFERENCES live_pages(id) ON DELETE CASCADE,
    day DATE NOT NULL,
    visitor VARCHAR(64) NOT NULL,
    -- 'view', or 'link:<n>' for the n-th link
    what VARCHAR(16) NOT NULL,
    PRIMARY KEY (page_id, day, visitor, what)
);
REVOKE ALL ON live_page_visits FROM app_user;
