package fill

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
	"golang.org/x/crypto/bcrypt"
)

func TestMain(m *testing.M) {
	db.BcryptCost = bcrypt.MinCost // hashing stays real, only cheaper
	os.Exit(m.Run())
}

// testAsOf is the generated history's end: a Tuesday morning.
var testAsOf = time.Date(2026, time.November, 24, 9, 30, 0, 0, workflow.Stockholm)

func generate(t *testing.T, cases int, fixtures bool) (*db.Store, Stats) {
	t.Helper()
	s, err := db.Open(filepath.Join(t.TempDir(), "fill.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	st, err := Run(context.Background(), s, Options{Cases: cases, Years: 2, AsOf: testAsOf, Fixtures: fixtures, BatchCases: 500})
	if err != nil {
		t.Fatal(err)
	}
	return s, st
}

func raw(t *testing.T, path string) *sql.DB {
	t.Helper()
	d, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func count(t *testing.T, d *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// A generated database is one the service could have made: every chain
// verifies, numbers and paragraphs run without gaps, every case reads back
// with its history, it has cases in every stage, and the service acts on them.
func TestGeneratedDatabaseIsOneTheServiceCouldHaveMade(t *testing.T) {
	const cases = 1500
	s, st := generate(t, cases, true)
	ctx := context.Background()
	d := raw(t, s.Path())
	fixtures := TransitionCases + 2
	if st.Cases != cases || count(t, d, `SELECT COUNT(*) FROM cases`) != cases+fixtures {
		t.Fatalf("wrote %d cases (%d rows), want %d and %d fixtures", st.Cases, count(t, d, `SELECT COUNT(*) FROM cases`), cases, fixtures)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM pragma_foreign_key_check`); n != 0 {
		t.Fatalf("%d rows point at nothing", n)
	}
	checked, broken, err := s.Verify(ctx)
	if err != nil || len(broken) > 0 {
		t.Fatalf("verify: %v %v", broken, err)
	}
	if checked < 10*cases {
		t.Errorf("verify checked %d events for %d cases; the histories are too short", checked, cases)
	}
	// Case numbers: 1..last per board and year, and the series at last.
	if n := count(t, d, `SELECT COUNT(*) FROM (SELECT board_id, year, COUNT(*) n, MAX(serial) top, MIN(serial) low FROM cases
		GROUP BY board_id, year) g LEFT JOIN case_series s USING (board_id, year) WHERE n <> top OR low <> 1 OR s.last IS NOT top`); n != 0 {
		t.Errorf("%d board-years have gaps in their case numbers", n)
	}
	// Paragraphs: 1..last per body and year, in meeting order; the
	// presidium keeps no protokoll, so its handlings have none.
	if n := count(t, d, `SELECT COUNT(*) FROM decisions d JOIN bodies b ON b.id = d.body_id
		WHERE (b.kind = 'presidium') <> (d.paragraph IS NULL)`); n != 0 {
		t.Errorf("%d decisions have a paragraph where the body keeps no protokoll, or none where it does", n)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM (SELECT body_id, year, COUNT(*) n, MAX(paragraph) top, MIN(paragraph) low FROM decisions
		WHERE paragraph IS NOT NULL GROUP BY body_id, year) g LEFT JOIN paragraph_series s USING (body_id, year) WHERE n <> top OR low <> 1 OR s.last IS NOT top`); n != 0 {
		t.Errorf("%d body-years have gaps in their paragraphs", n)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM decisions a JOIN meetings ma ON ma.id = a.meeting_id JOIN decisions b ON b.body_id = a.body_id
		AND b.year = a.year AND b.paragraph > a.paragraph JOIN meetings mb ON mb.id = b.meeting_id WHERE mb.date < ma.date`); n != 0 {
		t.Errorf("%d paragraphs come before one of an earlier meeting", n)
	}
	rows, err := d.Query(`SELECT number FROM cases ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		numbers = append(numbers, n)
	}
	rows.Close()
	for _, n := range numbers {
		c, err := s.Case(ctx, n)
		if err != nil {
			t.Fatalf("case %s: %v", n, err)
		}
		evs, err := s.Events(ctx, n)
		if err != nil || len(evs) != c.Version {
			t.Fatalf("case %s: %d events at version %d (%v)", n, len(evs), c.Version, err)
		}
		if _, err := s.CaseParagraphs(ctx, n); err != nil {
			t.Fatalf("paragraphs of %s: %v", n, err)
		}
	}
	for q, min := range map[string]int{
		`SELECT COUNT(*) FROM cases WHERE stage = 'draft'`:                        5,
		`SELECT COUNT(*) FROM cases WHERE stage = 'approval'`:                     3,
		`SELECT COUNT(*) FROM cases WHERE stage = 'working_committee'`:            3,
		`SELECT COUNT(*) FROM cases WHERE stage = 'board'`:                        3,
		`SELECT COUNT(*) FROM cases WHERE stage = 'closed' AND closed_note = ''`:  cases / 2,
		`SELECT COUNT(*) FROM cases WHERE stage = 'closed' AND closed_note <> ''`: 10, // withdrawn
		`SELECT COUNT(*) FROM cases WHERE secret`:                                 50,
		`SELECT COUNT(*) FROM cases WHERE title LIKE '%EU-projekt%'`:              20,
		`SELECT COUNT(*) FROM cases WHERE decision_type = 'rejected'`:             10,
		`SELECT COUNT(*) FROM decisions WHERE type = 'tabled'`:                    10,
		`SELECT COUNT(*) FROM decisions WHERE type = 'returned'`:                  10,
		`SELECT COUNT(*) FROM events WHERE action = 'update'`:                     3, // reworked after återremiss
		`SELECT COUNT(*) FROM events WHERE action = 'legal_force'`:                cases / 2,
		`SELECT COUNT(*) FROM attachments`:                                        cases,
		`SELECT COUNT(*) FROM reminders WHERE sent_at IS NOT NULL`:                cases,
		`SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL`:                    20,
		`SELECT COUNT(*) FROM meetings WHERE status = 'posted'`:                   100,
		`SELECT COUNT(*) FROM meetings WHERE status = 'planned'`:                  100,
		`SELECT COUNT(*) FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
			WHERE a.kind = 'case' AND m.status = 'planned'`: 10,
		`SELECT COUNT(DISTINCT year) FROM cases`: 3,
	} {
		if got := count(t, d, q); got < min {
			t.Errorf("%s: %d, want at least %d", q, got, min)
		}
	}
	if blobs, atts := count(t, d, `SELECT COUNT(*) FROM blobs`), count(t, d, `SELECT COUNT(*) FROM attachments`); blobs > atts/2 {
		t.Errorf("%d blobs for %d attachments: the content is not shared", blobs, atts)
	}
	// The service goes on from here: a draft is submitted and signed off.
	var number string
	if err := d.QueryRow(`SELECT number FROM cases WHERE stage = 'draft' AND title NOT LIKE 'Lasttest%' ORDER BY id DESC LIMIT 1`).Scan(&number); err != nil {
		t.Fatal(err)
	}
	c, err := s.Case(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	officer, _ := s.User(ctx, c.Officer.ID)
	approver, _ := s.User(ctx, c.Approvers[0].ID)
	s.Now = func() time.Time { return testAsOf.Add(time.Hour) }
	if c, err = s.Act(ctx, number, officer, workflow.Command{Action: workflow.ActSubmit, Version: c.Version}); err != nil {
		t.Fatalf("submit %s: %v", number, err)
	}
	if _, err = s.Act(ctx, number, approver, workflow.Command{Action: workflow.ActApprove, Version: c.Version}); err != nil {
		t.Fatalf("approve %s: %v", number, err)
	}
	if _, broken, err := s.Verify(ctx); err != nil || len(broken) > 0 {
		t.Fatalf("verify after acting: %v %v", broken, err)
	}
	// The fixtures are what the load tool expects.
	long, err := s.Events(ctx, st.Fixtures.Long)
	if err != nil || len(long) != LongHistory {
		t.Fatalf("%s has %d events (%v), want %d", st.Fixtures.Long, len(long), err, LongHistory)
	}
	short, err := s.Events(ctx, st.Fixtures.Short)
	if err != nil || len(short) != ShortHistory {
		t.Fatalf("%s has %d events (%v), want %d", st.Fixtures.Short, len(short), err, ShortHistory)
	}
	page, err := s.Cases(ctx, db.CaseFilter{OfficerID: userID(t, s, BenchOfficer), Stage: workflow.StageDraft, PerPage: 200})
	if err != nil || page.Total != fixtures {
		t.Fatalf("the bench officer's drafts: %d (%v), want %d", page.Total, err, fixtures)
	}
}

func userID(t *testing.T, s *db.Store, email string) int64 {
	u, err := s.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// The same options make the same cases.
func TestGenerationIsRepeatable(t *testing.T) {
	a, _ := generate(t, 200, false)
	b, _ := generate(t, 200, false)
	q := `SELECT group_concat(hash, ',') FROM (SELECT hash FROM events ORDER BY id)`
	var ha, hb string
	raw(t, a.Path()).QueryRow(q).Scan(&ha)
	raw(t, b.Path()).QueryRow(q).Scan(&hb)
	if ha == "" || ha != hb {
		t.Fatalf("two runs with the same options made different histories")
	}
}

func TestRunRefusesADatabaseInUse(t *testing.T) {
	s, _ := generate(t, 10, false)
	_, err := Run(context.Background(), s, Options{Cases: 10, AsOf: testAsOf})
	if err == nil {
		t.Fatal("filled a database that already had boards")
	}
}
