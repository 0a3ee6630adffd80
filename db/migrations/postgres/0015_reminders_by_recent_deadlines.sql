-- A person's reminders since a day (UserReminders: the start page, the
-- deadlines page, /api/v1/me/reminders) are read from their deadlines that
-- are open or were closed since, not from every deadline they ever had:
-- 60 ms for a secretary with 41,000 at 100,000 cases (issue 10).
CREATE INDEX deadlines_responsible_closed ON deadlines(responsible_id, closed_at) WHERE state <> 'open';
-- The reminders shown in the service only, newest first (the admin page's
-- mail gaps), without reading every reminder ever sent.
CREATE INDEX reminders_ui_sent ON reminders(sent_at) WHERE channel = 'ui';
