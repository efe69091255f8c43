-- 0051_sender_reply_to.sql (issue 11, "A sender people recognise")
-- Where replies to a user's outreach should go when not to the sending mailbox (sent as Reply-To). Unset by
-- default: replies then reach the mailbox, Mailgun's inbound route and the reply detection. A reply sent to
-- this address bypasses RoleFerry, so the sequence does not stop by itself (docs/outreach.md).
ALTER TABLE users ADD COLUMN reply_to_email VARCHAR(255);
-- A profile column like full_name: readable and writable by the user, readable by analytics.
GRANT SELECT (reply_to_email), UPDATE (reply_to_email) ON users TO app_user;
GRANT SELECT (reply_to_email) ON users TO readonly;
