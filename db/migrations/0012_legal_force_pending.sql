-- The daily laga-kraft job (NoteLegalForce) reads the decisions in substance
-- whose legal force is not yet noted, per body. Without an index it read
-- every decision ever taken, inside the write transaction; this one holds
-- only the pending ones, so at a deciding body it holds the last few weeks'
-- decisions. (Decisions of the presidium and the arbetsutskott stay in it
-- for good, but under their own body ids, which the job does not ask for.)
CREATE INDEX IF NOT EXISTS decisions_legal_force_pending ON decisions(body_id, meeting_id)
    WHERE legal_force_at IS NULL AND type IN ('approved', 'amended', 'rejected');
