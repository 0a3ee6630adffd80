-- The known address of each recipient name (KnownRecipients, for a
-- tjänsteskrivelse that names its recipients only), read name by name from
-- the newest case back, instead of every recipient of every case (224,000
-- rows at 100,000 cases) on each document handed in (issue 10).
CREATE INDEX case_recipients_name ON case_recipients(name, case_id, pos);
