package db

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// schemaBefore is the embedded migrations whose names sort before first,
// and the later ones named in also: those that only add what the store's
// code of today writes (0009's list columns, 0015's reference), independent of the migration
// under test, which Open then applies last. 0032's content version is
// always there: every commit of the store moves it.
func schemaBefore(t *testing.T, first string, also ...string) fs.FS {
	t.Helper()
	also = append(also, "0032")
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	for _, f := range files {
		name := filepath.Base(f)
		if name >= first && !slices.ContainsFunc(also, func(v string) bool { return strings.HasPrefix(name, v) }) {
			continue
		}
		b, err := migrations.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = &fstest.MapFile{Data: b}
	}
	return out
}

// Migration 0005 rebuilds the deadlines table: every row keeps its id and
// values, the reminders pointing at them stay valid, every index is there,
// and a deadline must now belong to a case or a meeting, not both, not neither.
func TestMigration0005KeepsEveryDeadline(t *testing.T) {
	sqliteOnly(t, "a migration of an older SQLite schema")
	path := filepath.Join(t.TempDir(), "v4.db")
	migrationSource = schemaBefore(t, "0005", "0009", "0015", "0019", "0028") // the columns and tables the code of today writes
	s, err := Open(path)
	migrationSource = migrations
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s.Now = func() time.Time { return start }
	p := mustOrg(t, s)
	in := caseInput(p, "Odaterat")
	in.Route = []StepInput{{Body: "ASN"}, {Body: "KS"}}
	c, err := s.CreateCase(ctx, in, p.officer)
	if err != nil {
		t.Fatal(err)
	}
	// The rows as the version 4 code wrote them: a custom deadline with a
	// sent and a planned reminder, and one acknowledged.
	for _, stmt := range []string{
		`INSERT INTO deadlines(case_id, kind, ref, due, responsible_id, note, state, created_by, created_at)
			VALUES (?, 'custom', 'custom:1', '2026-03-20', ?, 'Stäm av med ekonomi 2026-03-20', 'open', ?, '2026-03-02T08:00:00.000000Z')`,
		`INSERT INTO deadlines(case_id, kind, ref, due, responsible_id, note, state, created_by, created_at, closed_at, closed_by)
			VALUES (?, 'custom', 'custom:2', '2026-04-15', ?, 'Stäm av med ekonomi 2026-04-15', 'acknowledged', ?,
			'2026-03-02T08:00:00.000000Z', '2026-03-03T08:00:00.000000Z', ?)`,
	} {
		args := []any{c.ID, p.officer.ID, p.officer.ID}
		if strings.Contains(stmt, "closed_by") {
			args = append(args, p.officer.ID)
		}
		if _, err := s.w.Exec(stmt, args...); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.w.Exec(`INSERT INTO reminders(deadline_id, slot, on_date, remind_at, offset_days, sent_at, channel) VALUES
		(1, '2026-03-20/before-5', '2026-03-13', '2026-03-13T07:00:00.000000Z', -5, '2026-03-13T07:00:10.000000Z', 'mail'),
		(1, '2026-03-20/due', '2026-03-20', '2026-03-20T07:00:00.000000Z', 0, NULL, '')`); err != nil {
		t.Fatal(err)
	}
	var has5 bool
	if err := s.w.QueryRow(`SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version >= 5 AND version < 9)`).Scan(&has5); err != nil || has5 {
		t.Fatalf("the old database has migrations 5 to 8: %v", err)
	}
	const rowsQuery = `SELECT id, case_id, kind, ref, due, responsible_id, note, state, created_by, created_at, closed_at, closed_by
		FROM deadlines ORDER BY id`
	beforeRows := queryText(t, s.w, rowsQuery)
	beforeReminders := queryText(t, s.w, `SELECT * FROM reminders ORDER BY id`)
	if !strings.Contains(beforeRows, "Stäm av") || !strings.Contains(beforeReminders, "before-5") {
		t.Fatalf("the old database has no deadlines to keep:\n%s\n%s", beforeRows, beforeReminders)
	}
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatalf("migrating to 0005: %v", err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v < 5 {
		t.Fatalf("version %d after the migration", v)
	}
	if after := queryText(t, s.w, rowsQuery); after != beforeRows {
		t.Errorf("deadlines changed:\n%s\nwant\n%s", after, beforeRows)
	}
	if after := queryText(t, s.w, `SELECT * FROM reminders ORDER BY id`); after != beforeReminders {
		t.Errorf("reminders changed:\n%s\nwant\n%s", after, beforeReminders)
	}
	indexes := strings.Fields(queryText(t, s.w, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deadlines' ORDER BY name`))
	for _, want := range []string{"deadlines_case", "deadlines_meeting", "deadlines_open_due", "deadlines_responsible"} {
		if !slices.Contains(indexes, fmt.Sprintf("%#v|", want)) {
			t.Errorf("index %s is missing: %q", want, indexes)
		}
	}
	if got := queryText(t, s.w, `PRAGMA foreign_key_check`); got != "" {
		t.Errorf("dangling keys after the migration: %s", got)
	}
	// A deadline belongs to exactly one owner.
	for _, owner := range []string{"NULL, NULL", "1, 1"} {
		_, err := s.w.Exec(`INSERT INTO deadlines(case_id, meeting_id, kind, due, created_at) VALUES (` + owner + `, 'custom', '2026-05-01', 'x')`)
		if err == nil || !strings.Contains(err.Error(), "CHECK") {
			t.Errorf("a deadline with case and meeting %s: %v, want a CHECK failure", owner, err)
		}
	}
	// The old rows still work through the store.
	ds, err := s.CaseDeadlines(ctx, c.Number)
	if err != nil || len(ds) != 2 || ds[0].Note != "Stäm av med ekonomi 2026-03-20" {
		t.Errorf("CaseDeadlines after the migration: %+v, %v", ds, err)
	}
}
