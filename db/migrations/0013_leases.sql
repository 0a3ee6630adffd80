-- Leases: which instance runs the work done once for the installation (the
-- reminder scan, recurring assignments, laga kraft, the morning digest).
-- An instance holds a lease until expires_at and renews it while it runs;
-- when it dies, another takes the lease once it has expired (lease.go).
CREATE TABLE IF NOT EXISTS leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL  -- UTC, workflow.TimeLayout
);
