-- 0002_seed_data.sql
-- The platform sequence templates of data-architecture.md section 5, idempotently.
-- The two test users of section 5 are NOT here: they exist only in development and staging, so the app
-- creates them at start-up according to ROLEFERRY_ENV (with a real password hash, not '$2b$12$hash...').
-- FIX: the first template's third body had mojibake ("worriesâ€”just"); it now reads "worries—just" (written as
-- the JSON escape \u2014 so the result does not depend on the client encoding).

-- One platform template per name (user templates are not constrained); also what ON CONFLICT below targets.
CREATE UNIQUE INDEX IF NOT EXISTS idx_sequence_platform_name ON sequence_templates(name) WHERE is_platform;

INSERT INTO sequence_templates (name, description, is_platform, steps) VALUES
('Job Seeker Default', '3-step mentor ask', TRUE,
 '[
    {"step_no": 1, "delay_hours": 0, "subject": "Quick advice on {{role}} at {{company}}?", "body": "Hi {{first_name}},\n\nI spotted the {{role}} opening at {{company}} and think my background fits ({{my_metric}}). Open to a brief 15-min chat to sanity-check fit?\n\nThanks,\n{{my_name}}"},
    {"step_no": 2, "delay_hours": 48, "subject": "Following up on {{role}}", "body": "Hi {{first_name}},\n\nJust following up on my email from a couple days ago. Still interested in chatting about the {{role}} role if you have 15 minutes.\n\nThanks,\n{{my_name}}"},
    {"step_no": 3, "delay_hours": 96, "subject": "Last follow-up", "body": "Hi {{first_name}},\n\nLast email! I know you''re busy. If the timing isn''t right, no worries\u2014just wanted to make sure this didn''t slip through the cracks.\n\nBest,\n{{my_name}}"}
 ]'::jsonb),

('Recruiter Cold Intro', '2-step passive candidate outreach', TRUE,
 '[
    {"step_no": 1, "delay_hours": 0, "subject": "{{role}} opportunity at {{company}}", "body": "Hi {{first_name}},\n\nI''m recruiting for a {{role}} role at {{company}}. Based on your background, I think you''d be a great fit.\n\nInterested in learning more?\n\nBest,\n{{my_name}}"},
    {"step_no": 2, "delay_hours": 72, "subject": "Still interested?", "body": "Hi {{first_name}},\n\nFollowing up on the {{role}} opportunity. Let me know if you''d like to chat.\n\nThanks,\n{{my_name}}"}
 ]'::jsonb)
ON CONFLICT (name) WHERE is_platform DO NOTHING;
