package db

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// Migration 0009 fills the list columns of the cases and meetings already
// there: each case's next_date is its current step's date while it is on its
// route, each meeting's body_code its body's. The database is taken back to
// before 0009 (its indexes and columns dropped) and opened again.
func TestMigration0009Backfills(t *testing.T) {
	sqliteOnly(t, "a migration of an older SQLite schema")
	s, _, _ := secretListFixture(t)
	path := s.Path()
	const cases = `SELECT number, next_date FROM cases ORDER BY id`
	const meetings = `SELECT id, body_code FROM meetings ORDER BY id`
	wantCases, wantMeetings := queryText(t, s.w, cases), queryText(t, s.w, meetings)
	if !strings.Contains(wantCases, "2026-03-20") || !strings.Contains(wantMeetings, "ASN-PB") {
		t.Fatalf("nothing to fill:\n%s\n%s", wantCases, wantMeetings)
	}
	s.Close()

	body, err := migrations.ReadFile("migrations/0009_list_indexes.sql")
	if err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, path)
	for _, m := range regexp.MustCompile(`CREATE INDEX (\w+)`).FindAllStringSubmatch(string(body), -1) {
		mustExec(t, raw, `DROP INDEX `+m[1])
	}
	for _, col := range []string{"next_date", "stage_rank", "number_key", "public_title"} {
		mustExec(t, raw, `ALTER TABLE cases DROP COLUMN `+col)
	}
	mustExec(t, raw, `ALTER TABLE meetings DROP COLUMN body_code`)
	mustExec(t, raw, `CREATE INDEX meetings_date ON meetings(date)`)
	mustExec(t, raw, `DELETE FROM schema_migrations WHERE version = 9`)
	raw.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := queryText(t, s.w, cases); got != wantCases {
		t.Errorf("next_date after the migration:\n%s\nwant\n%s", got, wantCases)
	}
	if got := queryText(t, s.w, meetings); got != wantMeetings {
		t.Errorf("body_code after the migration:\n%s\nwant\n%s", got, wantMeetings)
	}
}

// The columns the migration computes agree with the code: public_title is
// workflow.WithheldText for a secret case (and public_title_sort its key), stage_rank is stageRank, and
// number_key sorts as (board code, year, serial).
func TestListColumnsAgreeWithTheCode(t *testing.T) {
	s, _, _ := secretListFixture(t)
	ctx := context.Background()
	var bad int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases WHERE public_title <> CASE WHEN secret THEN ? ELSE title END`,
		workflow.WithheldText).Scan(&bad); err != nil || bad != 0 {
		t.Errorf("public_title differs from the withheld text in %d cases (%v)", bad, err)
	}
	// And its sort key (migration 0031) is the withheld text's.
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases WHERE public_title_sort <> CASE WHEN secret THEN lower(?) ELSE title_sort END`,
		workflow.WithheldText).Scan(&bad); err != nil || bad != 0 {
		t.Errorf("public_title_sort differs from the withheld text's key in %d cases (%v)", bad, err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT number, number_key FROM cases`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var number, key string
		if err := rows.Scan(&number, &key); err != nil {
			t.Fatal(err)
		}
		board, year, serial, _ := workflow.ParseNumber(number)
		if want := fmt.Sprintf("%s-%04d-%09d", board, year, serial); key != want || !numberKeyPattern.MatchString(key) {
			t.Errorf("%s: number_key %q, want %q", number, key, want)
		}
	}
	rows.Close()
	for _, st := range append(slices.Clone(workflow.Stages), "unknown") {
		var rank int
		mustExec(t, s.w, `UPDATE cases SET stage = ? WHERE id = 1`, st)
		if err := s.w.QueryRowContext(ctx, `SELECT stage_rank FROM cases WHERE id = 1`).Scan(&rank); err != nil || rank != stageRank(st) {
			t.Errorf("stage %s: stage_rank %d, stageRank %d (%v)", st, rank, stageRank(st), err)
		}
	}
}

func mustExec(t *testing.T, d *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := d.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
