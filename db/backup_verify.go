package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// BackupReport is what VerifyBackup found in a copy.
type BackupReport struct {
	Cases  int // cases in the copy
	Events int // events in the copy, every one of them checked
	// Problems are SQLite's integrity_check findings, one a line; empty
	// when the file is whole.
	Problems []string
	// Broken names the first broken event of each case whose hash chain
	// does not verify (as Verify).
	Broken []ChainError
}

// Whole reports whether the copy passed every check.
func (r BackupReport) Whole() bool { return len(r.Problems) == 0 && len(r.Broken) == 0 }

// VerifyBackup checks a SQLite copy of a database (Backup's output) without
// changing it: it opens path read-only (no migration, no search index, no
// WAL), runs PRAGMA integrity_check (https://sqlite.org/pragma.html#pragma_integrity_check)
// and recomputes every case's hash chain as Verify does. A copy whose file
// SQLite cannot read at all (a damaged header, not a database) is an error
// naming path, not a report; so is a database without Beslutsgång's cases
// and events.
func VerifyBackup(ctx context.Context, path string) (BackupReport, error) {
	var r BackupReport
	if path == "" || strings.ContainsAny(path, "?#") {
		return r, fmt.Errorf("kopian: %q ska vara ett filnamn utan ? och #", path)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return r, fmt.Errorf("kopian %s finns inte", path)
	} else if err != nil {
		return r, fmt.Errorf("kopian %s: %w", path, err)
	}
	// immutable: the copy is a closed file; SQLite then takes no locks and
	// writes no -wal or -shm beside it.
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		return r, err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	damaged := func(err error) error {
		return fmt.Errorf("kopian %s går inte att läsa som en SQLite-databas: %w", path, err)
	}
	rows, err := conn.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return r, damaged(err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return r, damaged(err)
		}
		// One row may hold several findings, a line each, under a
		// heading naming the schema.
		for _, l := range strings.Split(line, "\n") {
			if l = strings.TrimSpace(l); l != "ok" && l != "" && !strings.HasPrefix(l, "*** in database") {
				r.Problems = append(r.Problems, l)
			}
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return r, damaged(err)
	}
	if len(r.Problems) > 0 {
		return r, nil // the chains of a damaged file prove nothing
	}
	var tables int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('cases', 'events')`).Scan(&tables); err != nil {
		return r, damaged(err)
	}
	if tables != 2 {
		return r, fmt.Errorf("kopian %s är ingen databas för Beslutsgång (tabellerna cases och events saknas)", path)
	}
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`).Scan(&r.Cases); err != nil {
		return r, damaged(err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM events`).Scan(&r.Events); err != nil {
		return r, damaged(err)
	}
	if _, r.Broken, err = verifyChains(ctx, conn); err != nil {
		return r, damaged(err)
	}
	return r, nil
}
