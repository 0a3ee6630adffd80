-- Leases: which instance runs the work done once for the installation (the
-- reminder scan, recurring assignments, laga kraft, the morning digest).
-- An instance holds a lease until expires_at and renews it while it runs;
-- when it dies, another takes the lease once it has expired (lease.go).
-- (SQLite: migrations/0013_leases.sql.)
CREATE TABLE leases (
    name       TEXT COLLATE "C" PRIMARY KEY,
    holder     TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL  -- UTC, workflow.TimeLayout
);
