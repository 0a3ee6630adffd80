package db

import (
	"context"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

func TestOpenAppliesEveryMigrationOnce(t *testing.T) {
	s := mustOpen(t)
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if testEngine == PostgreSQL {
		files, err = fs.Glob(pgMigrations, "migrations/postgres/*.sql")
	}
	if err != nil || len(files) == 0 {
		t.Fatalf("no embedded migrations (%v)", err)
	}
	raw := rawDB(t, s.Path())
	rows, err := raw.Query(`SELECT version, name FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			t.Fatal(err)
		}
		if want, _ := strconv.Atoi(strings.SplitN(name, "_", 2)[0]); v != want {
			t.Errorf("migration %s recorded with version %d", name, v)
		}
		names = append(names, name)
	}
	rows.Close()
	if len(names) != len(files) {
		t.Fatalf("schema_migrations has %q, want one row per file of %q", names, files)
	}
	for i, f := range files {
		if names[i] != filepath.Base(f) {
			t.Errorf("migration %d is %s, want %s (in file order)", i, names[i], filepath.Base(f))
		}
	}
	v, err := s.SchemaVersion(context.Background())
	last, _ := strconv.Atoi(strings.SplitN(filepath.Base(files[len(files)-1]), "_", 2)[0])
	if err != nil || v != last {
		t.Errorf("SchemaVersion = %d, %v; want %d, the number of the last migration", v, err, last)
	}
}

func TestSecondOpenChangesNothing(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	mustCreate(t, s, p, "Internationell redovisning 2019")
	path := s.Path()
	before := dump(t, path)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// A later start, at a later time: a re-applied migration would show in
	// applied_at, a re-run CREATE in sqlite_master, a seed in the rows.
	s2, err := Open(path)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer s2.Close()
	if after := dump(t, path); after != before {
		t.Fatalf("second Open changed the database:\n%s", firstDiff(before, after))
	}
	if _, err := s2.Case(context.Background(), "ASN-2026-1"); err != nil {
		t.Errorf("the case is not readable after reopening: %v", err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	s := mustOpen(t)
	path := s.Path()
	s.Close()
	raw := rawDB(t, path)
	if _, err := raw.Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (999, '0999_future.sql', 'x')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if s2, err := Open(path); err == nil {
		s2.Close()
		t.Fatal("Open accepted a database with a migration this program does not know")
	} else if !strings.Contains(err.Error(), "999") {
		t.Errorf("error %q does not name the unknown migration", err)
	}
}

func TestOpenRefusesPathWithQuery(t *testing.T) {
	for _, path := range []string{"", filepath.Join(t.TempDir(), "x.db?mode=memory"), "x.db#frag"} {
		if s, err := Open(path); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded, want an error", path)
		}
	}
}

// The pragmas are in the DSN, so every connection of both pools has them, not
// only the one an Exec happened to reach.
func TestPragmasOnEveryConnection(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	var held []interface{ Close() error }
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for i := 0; i < 3; i++ {
		conn, err := s.r.Conn(ctx) // three at once: three different connections
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, conn)
		if testEngine == PostgreSQL {
			if _, err := conn.ExecContext(ctx, `INSERT INTO boards(code, name, created_at) VALUES ('XX','x','x')`); err == nil {
				t.Errorf("read connection %d accepted a write", i)
			}
			continue
		}
		var mode string
		var fk, timeout, queryOnly int
		if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		conn.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk)
		conn.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&timeout)
		conn.QueryRowContext(ctx, `PRAGMA query_only`).Scan(&queryOnly)
		if mode != "wal" || fk != 1 || timeout != 10000 || queryOnly != 1 {
			t.Errorf("read connection %d: journal_mode=%s foreign_keys=%d busy_timeout=%d query_only=%d", i, mode, fk, timeout, queryOnly)
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO boards(code, name, created_at) VALUES ('XX','x','x')`); err == nil {
			t.Errorf("read connection %d accepted a write", i)
		}
	}
	var fk int
	if testEngine == SQLite {
		s.w.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	}
	if fk != 1 && testEngine == SQLite {
		t.Errorf("writer foreign_keys = %d", fk)
	}
	if s.w.Stats().MaxOpenConnections != 1 {
		t.Errorf("writer pool allows %d connections, want 1", s.w.Stats().MaxOpenConnections)
	}
}

func TestBoardsAndBodies(t *testing.T) {
	s := mustOpen(t)
	mustOrg(t, s)
	ctx := context.Background()
	bodies, err := s.Bodies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range bodies {
		got = append(got, b.Code+"/"+string(b.Kind)+"/"+b.Board)
	}
	want := "ASN-PB/presidium/ASN ASN-AU/working_committee/ASN ASN/board/ASN KS/executive_board/KS"
	if strings.Join(got, " ") != want {
		t.Errorf("Bodies = %s, want %s (by board, then in process order)", strings.Join(got, " "), want)
	}
	before := dump(t, s.Path())
	for _, b := range []workflow.Board{{Code: "ASN", Name: "Igen"}, {Code: "asn", Name: "Gemener"}, {Code: "A", Name: "Kort"}, {Code: "XY"}} {
		if _, err := s.CreateBoard(ctx, b); err == nil {
			t.Errorf("CreateBoard(%+v) succeeded", b)
		}
	}
	for _, b := range []workflow.Body{
		{Code: "ASN-AU", Name: "Igen", Kind: workflow.KindWorkingCommittee, Board: "ASN"},
		{Code: "NY", Name: "Okänd typ", Kind: "committee", Board: "ASN"},
		{Code: "NY", Name: "Okänd nämnd", Kind: workflow.KindBoard, Board: "XYZ"},
	} {
		if _, err := s.CreateBody(ctx, b); err == nil {
			t.Errorf("CreateBody(%+v) succeeded", b)
		}
	}
	wantUnchanged(t, s, before)
}

// Migrated is what /readyz reads: false while the last migration of this
// program is not applied.
func TestMigrated(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	if ok, err := s.Migrated(ctx); !ok || err != nil {
		t.Fatalf("Migrated after Open = %v, %v", ok, err)
	}
	raw := rawDB(t, s.Path())
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Migrated(ctx); ok || err != nil {
		t.Errorf("Migrated without the last migration = %v, %v", ok, err)
	}
}
