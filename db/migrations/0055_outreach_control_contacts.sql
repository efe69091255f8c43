-- 0055_outreach_control_contacts.sql
-- Outreach the user controls (issue 12): a paused sequence, and contacts edited from the pages.
--
-- outreach.paused_at: set on the queued rows of a contact's sequence while it is paused. The rows stay
-- 'queued' (the seed's status CHECK is unchanged) and keep their due_at; the dispatcher skips them; resuming
-- moves due_at forward by now() - paused_at and clears it.
ALTER TABLE outreach ADD COLUMN paused_at TIMESTAMP WITH TIME ZONE;

-- contacts are a catalogue shared per company: only the user who added one may edit it (contract §6,
-- PATCH /api/contacts/:id). The creator is filled in by the database from the request's user, so every
-- insert path (the API, the CSV import, the pages) records it without being changed. No foreign key to users:
-- one would make this shared catalogue "a user's data" (tests/rls_coverage_test.ts walks foreign keys) and it
-- is not; a deleted account's id simply matches nobody again (ids are never reused).
ALTER TABLE contacts
    ADD COLUMN created_by_user_id INTEGER
        DEFAULT NULLIF(current_setting('app.current_user_id', true), '')::integer,
    ADD COLUMN notes TEXT CHECK (char_length(notes) <= 5000);
CREATE INDEX idx_contacts_created_by ON contacts(created_by_user_id) WHERE created_by_user_id IS NOT NULL;

-- The edit runs as app_user; db/contacts.ts limits it to the creator's rows (contacts have no RLS: they are
-- shared). Only the editable columns: never the opt-out, bounce or complaint state.
GRANT UPDATE (full_name, first_name, last_name, title, email, linkedin_url, notes) ON contacts TO app_user;
