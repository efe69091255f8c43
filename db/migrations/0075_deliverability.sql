-- Deliverability (issue 18): address verification stored per contact, guessed addresses, contacts without an
-- email, and the DNS state of each mailbox's domain.

-- A contact may be added by name only (the address is found later). contacts.email stays NOT NULL (a fact of
-- the seed schema): such a contact holds a unique placeholder under the reserved .invalid TLD (RFC 2606), never
-- shown (contact_address() reads it as NULL), never mailed (enrollment refuses a contact without an address).
CREATE FUNCTION contact_address(email VARCHAR) RETURNS VARCHAR
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN email LIKE 'pending-%@address-pending.invalid' THEN NULL ELSE email END;

CREATE FUNCTION contact_address_placeholder() RETURNS VARCHAR
    LANGUAGE sql VOLATILE PARALLEL SAFE
    RETURN 'pending-' || gen_random_uuid()::text || '@address-pending.invalid';

ALTER TABLE contacts
    -- proposed from the company's pattern and picked by a user: stays true until a probe accepts it or the
    -- contact replies (trigger below)
    ADD COLUMN email_guessed BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN verification_result VARCHAR(10)
        CHECK (verification_result IN ('valid', 'risky', 'invalid')),
    ADD COLUMN verification_reason VARCHAR(20)
        CHECK (verification_reason IN ('syntax', 'no_mx', 'no_domain', 'disposable', 'role', 'catch_all',
                                       'dns_timeout', 'smtp_rejected', 'ok')),
    ADD COLUMN verification_checked_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN verification_expires_at TIMESTAMP WITH TIME ZONE,
    -- the address the result is about: a changed email makes the stored result stale
    ADD COLUMN verification_email VARCHAR(255),
    ADD CONSTRAINT contacts_verification_complete CHECK (
        (verification_result IS NULL) = (verification_checked_at IS NULL)
        AND (verification_result IS NULL) = (verification_expires_at IS NULL)
        AND (verification_result IS NULL) = (verification_reason IS NULL));

-- A reply proves the address reaches a person: it is no longer a guess.
CREATE FUNCTION outreach_reply_confirms_address() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contacts SET email_guessed = FALSE WHERE id = NEW.contact_id AND email_guessed;
    RETURN NULL;
END $$;

CREATE TRIGGER trg_outreach_reply_confirms_address
    AFTER UPDATE OF replied_at ON outreach
    FOR EACH ROW WHEN (NEW.replied_at IS NOT NULL AND OLD.replied_at IS NULL)
    EXECUTE FUNCTION outreach_reply_confirms_address();

-- Mailbox domain checks: the DKIM selector to look up (<selector>._domainkey.<domain>), the SPF include the
-- SMTP transport's provider needs, and the last stored check ({spf, dkim, dmarc, mx}).
ALTER TABLE mailboxes
    ADD COLUMN dkim_selector VARCHAR(63) NOT NULL DEFAULT 'smtp'
        CHECK (dkim_selector ~ '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$'),
    ADD COLUMN spf_include VARCHAR(255),
    ADD COLUMN dns_check JSONB,
    ADD COLUMN dns_checked_at TIMESTAMP WITH TIME ZONE;

-- Editing a contact (PATCH /api/contacts/:id, migration 0055's column grants): a typed email is no longer a
-- guess. The verification columns stay the owner's to write.
GRANT UPDATE (email_guessed) ON contacts TO app_user;
