-- Issue 9 (hardening): every stored URL is an http(s) URL. The app validates first (lib/outreach_schemas.ts
-- HttpUrl) and answers 422; these checks keep any other write path honest. NOT VALID: rows written before
-- are left as they are (a check of them would fail the migration on old data), new writes are checked.
ALTER TABLE contacts ADD CONSTRAINT contacts_linkedin_url_http
    CHECK (linkedin_url IS NULL OR linkedin_url ~* '^https?://') NOT VALID;
ALTER TABLE companies ADD CONSTRAINT companies_linkedin_url_http
    CHECK (linkedin_url IS NULL OR linkedin_url ~* '^https?://') NOT VALID;
ALTER TABLE companies ADD CONSTRAINT companies_website_http
    CHECK (website IS NULL OR website ~* '^https?://') NOT VALID;
ALTER TABLE companies ADD CONSTRAINT companies_logo_url_http
    CHECK (logo_url IS NULL OR logo_url ~* '^https?://') NOT VALID;
ALTER TABLE users ADD CONSTRAINT users_avatar_url_http
    CHECK (avatar_url IS NULL OR avatar_url ~* '^https?://') NOT VALID;
ALTER TABLE resumes ADD CONSTRAINT resumes_pdf_url_http
    CHECK (pdf_url IS NULL OR pdf_url ~* '^https?://') NOT VALID;
