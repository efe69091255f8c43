-- 0040_admin_sessions.sql
-- Admin sign-ins of the admin pages as revocable sessions (issue 9, item 13). The rf_admin cookie used to be
-- a fixed HMAC of the admin token, so it kept working after "Sign out of admin". Now it is a random token of
-- which only the SHA-256 is stored; sign-out sets revoked_at. token_fingerprint is an HMAC of the admin token
-- in force at sign-in: changing ROLEFERRY_ADMIN_TOKEN (or ROLEFERRY_SECRET) ends every admin session.
CREATE TABLE admin_sessions (
    id BIGSERIAL PRIMARY KEY,
    token_hash CHAR(64) NOT NULL UNIQUE,
    token_fingerprint CHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at TIMESTAMP WITH TIME ZONE,
    ip VARCHAR(64)
);

CREATE INDEX idx_admin_sessions_expires_at ON admin_sessions (expires_at);

-- Owner pool only: neither the app's request role nor analytics need it.
REVOKE ALL ON admin_sessions FROM app_user, readonly;
REVOKE ALL ON SEQUENCE admin_sessions_id_seq FROM app_user, readonly;
