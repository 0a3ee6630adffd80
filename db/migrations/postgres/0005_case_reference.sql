-- The diarienummer a case's tjänsteskrivelse carried when it is not one of
-- this service's (KS/2017:96, 2023/KS 0362), kept as written (issue 12).
ALTER TABLE cases ADD COLUMN reference TEXT NOT NULL DEFAULT '';
