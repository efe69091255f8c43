-- 0021_contact_email_optout.sql
-- An opt-out belongs to the person (the email address), not to one company's contact row: the same address
-- listed at another company, or added later, must never be mailed either (docs/outreach.md, "Opt-out").
-- This index serves the lookups by lower(email) that enforce it.
CREATE INDEX idx_contacts_lower_email ON contacts(lower(email));
