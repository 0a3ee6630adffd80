package db

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// atSchemaBefore copies the database at path, written by this program, into
// a new database at the schema of the migrations before first, table by
// table and column by column where both have them, and returns its path: the
// rows as an older program would have left them, for a migration test, when
// this program can no longer write that schema itself. Virtual tables (and
// their shadow tables) are left for their triggers to fill.
func atSchemaBefore(t *testing.T, path, first string) string {
	t.Helper()
	old := filepath.Join(t.TempDir(), "before-"+first+".db")
	migrationSource = schemaBefore(t, first)
	s, err := Open(old)
	migrationSource = migrations
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	d, err := sql.Open("sqlite3", "file:"+old+"?_foreign_keys=off")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	conn, err := d.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS cur`, path); err != nil {
		t.Fatal(err)
	}
	tableNames := func(schema string) []string {
		rows, err := conn.QueryContext(ctx, `SELECT name, COALESCE(sql, '') FROM `+schema+`.sqlite_master WHERE type = 'table' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var names, virtual []string
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(strings.ToUpper(def), "CREATE VIRTUAL") {
				virtual = append(virtual, name)
			}
			names = append(names, name)
		}
		return slices.DeleteFunc(names, func(n string) bool {
			return n == "schema_migrations" || n == "content_version" || strings.HasPrefix(n, "sqlite_") ||
				slices.ContainsFunc(virtual, func(v string) bool { return n == v || strings.HasPrefix(n, v+"_") })
		})
	}
	columns := func(schema, table string) []string {
		rows, err := conn.QueryContext(ctx, `SELECT name FROM pragma_table_info(?, ?)`, table, schema)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
		return out
	}
	current := tableNames("cur")
	for _, table := range tableNames("main") {
		if !slices.Contains(current, table) {
			continue
		}
		have := columns("cur", table)
		var cols []string
		for _, c := range columns("main", table) {
			if slices.Contains(have, c) {
				cols = append(cols, `"`+c+`"`)
			}
		}
		list := strings.Join(cols, ", ")
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`INSERT INTO main."%s"(%s) SELECT %s FROM cur."%s"`, table, list, list, table)); err != nil {
			t.Fatalf("copying %s back to the schema before %s: %v", table, first, err)
		}
	}
	return old
}

// Migration 0011 gives every meeting an origin, those from before counted as
// planned, and lets a decision have no paragraph (the presidium keeps no
// protokoll): every paragraph keeps its id and values, paragraphs still
// cannot be removed or repeat within a body's year, and an unknown origin or
// a paragraph 0 is refused.
func TestMigration0011KeepsEveryParagraph(t *testing.T) {
	sqliteOnly(t, "a migration of an older SQLite schema")
	w := newMeetingWorld(t)
	m, c := heldBoardMeeting(t, w)
	w.decide(m, c.Number, workflow.DecisionApproved)
	w.s.Close()
	path := atSchemaBefore(t, w.s.Path(), "0011")
	raw := rawDB(t, path)
	if _, err := raw.Exec(`UPDATE decisions SET legal_force_at = '2026-04-08T04:15:00.000000Z' WHERE body_id = (SELECT id FROM bodies WHERE code = 'ASN')`); err != nil {
		t.Fatal(err)
	}
	const decisions = `SELECT id, meeting_id, body_id, year, paragraph, case_id, step, type, text, next_date, decided_by, decided_at, event_seq, legal_force_at FROM decisions ORDER BY id`
	if _, err := raw.Exec(`UPDATE decisions SET paragraph = NULL`); err == nil {
		t.Fatal("the schema before 0011 already allows a decision without a paragraph")
	}
	before := queryText(t, raw, decisions)
	meetings := count(t, raw, `SELECT COUNT(*) FROM meetings`)
	if count(t, raw, `SELECT COUNT(*) FROM decisions`) != 2 || meetings < 2 {
		t.Fatalf("the fixture has %d meetings and %s", meetings, before)
	}
	raw.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	raw = rawDB(t, path)
	if after := queryText(t, raw, decisions); after != before {
		t.Errorf("paragraphs changed:\n%s\n%s", before, after)
	}
	if n := count(t, raw, `SELECT COUNT(*) FROM meetings WHERE origin = 'plan'`); n != meetings {
		t.Errorf("%d of %d meetings count as planned", n, meetings)
	}
	for _, tt := range []struct {
		stmt string
		ok   bool
	}{
		{`UPDATE decisions SET paragraph = NULL WHERE step = 0`, true},
		{`UPDATE meetings SET origin = 'extra' WHERE id = ` + fmt.Sprint(m.ID), true},
		{`UPDATE meetings SET origin = 'maybe'`, false},
		{`UPDATE decisions SET paragraph = 0`, false},
		{`UPDATE decisions SET paragraph = 1, body_id = (SELECT body_id FROM decisions WHERE step = 1), year = (SELECT year FROM decisions WHERE step = 1)`, false},
		{`DELETE FROM decisions`, false},
	} {
		if _, err := raw.Exec(tt.stmt); (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.stmt, err)
		}
	}
	got, err := s.Meeting(context.Background(), m.ID)
	if err != nil || !got.Extra() {
		t.Errorf("the meeting marked extra reads %+v, %v", got.Origin, err)
	}
}
