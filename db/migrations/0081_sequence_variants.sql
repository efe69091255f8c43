-- 0081_sequence_variants.sql
-- A/B variants (docs/campaigns.md): a step in sequence_templates.steps may carry `variants`
-- ([{key, subject, body}], 2-4, keys A-D); outreach.variant (0080) records which one a row got. A sequence with
-- auto_promote routes new enrollments of a step to its declared winner.
ALTER TABLE sequence_templates ADD COLUMN auto_promote BOOLEAN NOT NULL DEFAULT FALSE;
