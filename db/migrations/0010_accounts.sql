-- 0010_accounts.sql
-- Accounts: case-insensitive unique emails, revocable sessions and the login rate-limit counters.

-- One account per address whatever its case ("Ann@x.io" and "ann@x.io" are one person). The seed's own
-- UNIQUE (email) stays; the app also stores emails lower-cased and trimmed.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- A session is one sign-in: the bearer token of API clients and the cookie of pages are the same opaque
-- random token, of which only the SHA-256 is stored, so a database leak yields no usable token.
-- Logout sets revoked_at; expired and revoked rows are refused and can be deleted by housekeeping.
CREATE TABLE sessions (
    id BIGSERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash CHAR(64) NOT NULL UNIQUE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW() + INTERVAL '30 days',
    revoked_at TIMESTAMP WITH TIME ZONE,
    user_agent VARCHAR(500),
    ip VARCHAR(64)
);

CREATE INDEX idx_sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;
CREATE INDEX idx_sessions_expires_at ON sessions (expires_at);

-- Fixed-window counters for login attempts, per client address and per email ("ip:1.2.3.4", "email:a@b.c").
-- In PostgreSQL rather than in memory: several app processes share one database.
CREATE TABLE rate_limits (
    bucket VARCHAR(300) PRIMARY KEY,
    window_start TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    hits INTEGER NOT NULL DEFAULT 0 CHECK (hits >= 0)
);

CREATE INDEX idx_rate_limits_window_start ON rate_limits (window_start);

-- Both tables are read and written by the owner pool only (authentication happens before any user is known).
REVOKE ALL ON sessions, rate_limits FROM app_user;
REVOKE ALL ON SEQUENCE sessions_id_seq FROM app_user;
