package db_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

// The copy tests run in both runs of the suite, each time from the run's
// engine to the other one and back: SQLite → PostgreSQL → SQLite, then
// PostgreSQL → SQLite → PostgreSQL.

// contentStore is the demo data and, so every kind of column is copied, a
// file with bytes that are not text, a session, a login attempt still
// pending, a deactivated user and an API token.
func contentStore(t *testing.T) *db.Store {
	t.Helper()
	ctx := context.Background()
	s := seeded(t)
	c, err := s.Case(ctx, demo.DraftNumber)
	if err != nil {
		t.Fatal(err)
	}
	officer, err := s.User(ctx, c.Officer.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAttachment(ctx, c.Number, officer, db.NewAttachment{Name: "bilaga.bin",
		ContentType: "application/octet-stream", Data: []byte{0, 1, 0xfe, 0xff, 'x', 0}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Sessions().Set("sessionsnyckel", []byte{0, 0xff, 'a'}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveIntakeUpload(ctx, officer, db.NewAttachment{Name: "ts.pdf", ContentType: "application/pdf",
		Data: []byte{'%', 'P', 'D', 'F', 0, 0xff}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.LoginFailures().Attempt(ctx, "någon@kommun.se", "192.0.2.1", time.Hour,
		func(db.LoginFailureCounts) time.Duration { return 0 }); err != nil {
		t.Fatal(err)
	}
	users, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetActive(ctx, users[len(users)-1].ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateToken(ctx, officer.ID); err != nil {
		t.Fatal(err)
	}
	// The newest agenda item, taken off after the kallelse: its id is kept
	// for OParl's deleted object, above every live item's.
	secretary, err := s.UserByEmail(ctx, "sekreterare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	meetings, err := s.Meetings(ctx, db.MeetingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(meetings, func(m workflow.Meeting) bool { return m.Status == workflow.MeetingNoticeSent })
	if i < 0 {
		t.Fatal("the demo has no meeting with its kallelse sent")
	}
	items, err := s.AddAgendaItem(ctx, meetings[i].ID, secretary, db.ItemOther, "Tillagd och borttagen")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveAgendaItem(ctx, meetings[i].ID, items[len(items)-1].ID, secretary); err != nil {
		t.Fatal(err)
	}
	return s
}

// copyTo copies from into a new store on dsn and returns it.
func copyTo(t *testing.T, from *db.Store, dsn string) (*db.Store, db.CopyReport) {
	t.Helper()
	to, err := db.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { to.Close() })
	var seen []string
	rep, err := db.Copy(context.Background(), from, to, func(table string, rows int) {
		seen = append(seen, table)
	})
	if err != nil {
		t.Fatalf("Copy %s → %s: %v", from.Engine(), to.Engine(), err)
	}
	for _, tc := range rep.Tables {
		if tc.Source != tc.Target {
			t.Errorf("%s: %d rows in the source, %d in the target", tc.Name, tc.Source, tc.Target)
		}
	}
	if len(seen) < len(rep.Tables)+1 || !strings.Contains(strings.Join(seen, " "), db.CopyVerified) {
		t.Errorf("progress saw %v", seen)
	}
	checked, broken, err := to.Verify(context.Background())
	if err != nil || len(broken) > 0 || checked != rep.Events || checked == 0 {
		t.Errorf("Verify on the %s copy = %d, %v, %v; the copy checked %d", to.Engine(), checked, broken, err, rep.Events)
	}
	return to, rep
}

// TestCopyRoundTrip copies an installation to the other engine and back:
// every table's rows are the same (ids, flags, bytes), every chain is whole,
// and the copy takes new rows with new ids.
func TestCopyRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := contentStore(t)
	want := normalDump(t, a.Path())

	b, rep := copyTo(t, a, db.OtherDSN(t))
	if got := normalDump(t, b.Path()); got != want {
		t.Fatalf("%s → %s: the rows differ:\n%s", a.Engine(), b.Engine(), db.FirstDiff(want, got))
	}
	for _, table := range []string{"boards", "users", "cases", "events", "blobs", "sessions", "login_failures", "decisions", "attendees", "api_tokens", "intake_uploads",
		"agenda_items_removed", "user_audit"} {
		if rep.Rows(table) == 0 {
			t.Errorf("no rows of %s copied; the test data should have some: %+v", table, rep.Tables)
		}
	}
	if b.FullTextSearch() && rep.Indexed != rep.Rows("cases") {
		t.Errorf("indexed %d cases of %d", rep.Indexed, rep.Rows("cases"))
	}

	// And back, to a new database of the first engine.
	var dsn string
	if a.Engine() == db.SQLite {
		dsn = t.TempDir() + "/back.db"
	} else {
		dsn = db.NewDSN(t)
	}
	c, _ := copyTo(t, b, dsn)
	if got := normalDump(t, c.Path()); got != want {
		t.Fatalf("%s → %s → %s: the rows differ:\n%s", a.Engine(), b.Engine(), c.Engine(), db.FirstDiff(want, got))
	}
	if c.FullTextSearch() {
		// The index is built: a word of the seed case's text finds it.
		if page, err := c.Cases(ctx, db.CaseFilter{Query: "frågeställningar"}); err != nil || page.Total == 0 {
			t.Errorf("search on the copy: %+v, %v", page, err)
		}
	}

	// New rows on each copy get ids past the copied ones.
	for _, s := range []*db.Store{b, c} {
		maxCase, maxUser, maxEvent := maxID(t, s, "cases"), maxID(t, s, "users"), maxID(t, s, "events")
		u, err := s.CreateUser(ctx, db.NewUser{Email: "ny@kommun.se", Name: "Ny Användare", Password: "rätt häst batteri",
			Grants: []workflow.Grant{{Board: "ASN", Role: workflow.RoleOfficer}}})
		if err != nil {
			t.Fatalf("%s: CreateUser on the copy: %v", s.Engine(), err)
		}
		nc, err := s.CreateCase(ctx, db.CaseInput{Board: "ASN", Title: "Ett nytt ärende efter flytten",
			Summary: "Sammanfattning", Proposals: []string{"Förslag"}}, u)
		if err != nil {
			t.Fatalf("%s: CreateCase on the copy: %v", s.Engine(), err)
		}
		if u.ID != maxUser+1 || nc.ID != maxCase+1 || maxID(t, s, "events") != maxEvent+1 {
			t.Errorf("%s: new user %d, case %d, event %d; the copied ones end at %d, %d, %d",
				s.Engine(), u.ID, nc.ID, maxID(t, s, "events"), maxUser, maxCase, maxEvent)
		}
		if _, broken, err := s.Verify(ctx); err != nil || len(broken) > 0 {
			t.Errorf("%s: Verify after new rows: %v, %v", s.Engine(), broken, err)
		}
		// A removed agenda item's id is not handed out again.
		removed := maxID(t, s, "agenda_items_removed")
		meetings, err := s.Meetings(ctx, db.MeetingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		secretary, _ := s.UserByEmail(ctx, "sekreterare@kommun.example")
		i := slices.IndexFunc(meetings, func(m workflow.Meeting) bool { return m.Status == workflow.MeetingNoticeSent })
		items, err := s.AddAgendaItem(ctx, meetings[i].ID, secretary, db.ItemOther, "Ny punkt efter flytten")
		if err != nil {
			t.Fatal(err)
		}
		if id := items[len(items)-1].ID; id <= removed {
			t.Errorf("%s: a new agenda item got id %d; a removed one kept %d", s.Engine(), id, removed)
		}
	}
}

// TestCopyRefusesATargetWithData: a copy never merges into an installation;
// the refused copy changes nothing.
func TestCopyRefusesATargetWithData(t *testing.T) {
	a := contentStore(t)
	b, _ := copyTo(t, a, db.OtherDSN(t))
	before := db.Dump(t, b.Path())
	_, err := db.Copy(context.Background(), a, b, nil)
	var we *workflow.Error
	if !errors.As(err, &we) || we.Code != workflow.ECONFLICT || !strings.Contains(err.Error(), "innehåller redan data") {
		t.Fatalf("second copy: %v", err)
	}
	if after := db.Dump(t, b.Path()); after != before {
		t.Errorf("the refused copy changed the target:\n%s", db.FirstDiff(before, after))
	}

	// A target of the same engine with one user is refused as well.
	c, err := db.Open(db.NewDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.SeedUser(context.Background(), db.NewUser{Email: "x@kommun.se", Name: "X"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Copy(context.Background(), a, c, nil); !errors.As(err, &we) || we.Code != workflow.ECONFLICT {
		t.Errorf("copy into a store with a user: %v", err)
	}
	// The store itself is no target, and an empty store no source.
	if _, err := db.Copy(context.Background(), a, a, nil); !errors.As(err, &we) || we.Code != workflow.EINVALID {
		t.Errorf("copy into itself: %v", err)
	}
	empty := db.MustOpen(t)
	if _, err := db.Copy(context.Background(), empty, c, nil); !errors.As(err, &we) || we.Code != workflow.EINVALID ||
		!strings.Contains(err.Error(), "inget att kopiera") {
		t.Errorf("copy from an empty store: %v", err)
	}
}

// TestCopyRefusesADifferentSchema: a column only the target has (a
// migration one engine got and the other did not) stops the copy before
// anything is written.
func TestCopyRefusesADifferentSchema(t *testing.T) {
	a := contentStore(t)
	dsn := db.OtherDSN(t)
	b, err := db.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	raw := db.RawDB(t, dsn)
	if _, err := raw.Exec(`ALTER TABLE meetings ADD COLUMN room TEXT`); err != nil {
		t.Fatal(err)
	}
	_, err = db.Copy(context.Background(), a, b, nil)
	var we *workflow.Error
	if !errors.As(err, &we) || we.Code != workflow.EINVALID || !strings.Contains(err.Error(), "meetings.room finns bara i målet") {
		t.Fatalf("copy to a schema with another column: %v", err)
	}
	if n := countRows(t, dsn, "boards"); n != 0 {
		t.Errorf("%d boards in the target", n)
	}
}

// TestCopyRefusesABrokenChain: a chain broken in the source is found on the
// target before the copy commits, and the target stays empty.
func TestCopyRefusesABrokenChain(t *testing.T) {
	db.SQLiteOnly(t, "tampering with the source's events behind its trigger")
	a := contentStore(t)
	raw := db.RawDB(t, a.Path())
	for _, q := range []string{`DROP TRIGGER events_no_update`,
		`UPDATE events SET reason = 'ändrad i efterhand' WHERE id = (SELECT MIN(id) FROM events)`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	dsn := db.OtherDSN(t)
	b, err := db.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, err = db.Copy(context.Background(), a, b, nil)
	if err == nil || !strings.Contains(err.Error(), "brutna händelsekedjor") {
		t.Fatalf("copy of a broken chain: %v", err)
	}
	if n := countRows(t, dsn, "events"); n != 0 {
		t.Errorf("%d events in the target", n)
	}
}

// normalDump renders the rows of every table that Copy copies, columns by
// name and rows sorted, with flags as 0/1 and bytes as bytes: equal on two
// engines exactly when the same rows are there.
func normalDump(t *testing.T, dsn string) string {
	t.Helper()
	raw := db.RawDB(t, dsn)
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if db.EngineOf(dsn) == db.PostgreSQL {
		q = `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`
	}
	rows, err := raw.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != "schema_migrations" && n != "content_version" && !strings.HasPrefix(n, "search_") && !strings.HasPrefix(n, "sqlite_") {
			tables = append(tables, n)
		}
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		rows, err := raw.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		order := make([]int, len(cols))
		for i := range order {
			order[i] = i
		}
		sort.Slice(order, func(i, j int) bool { return cols[order[i]] < cols[order[j]] })
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var line strings.Builder
			for _, i := range order {
				v := vals[i]
				switch x := v.(type) {
				case bool:
					v = map[bool]int64{false: 0, true: 1}[x]
				case []byte:
					v = fmt.Sprintf("bytes %x", x)
				}
				fmt.Fprintf(&line, "%s=%#v ", cols[i], v)
			}
			lines = append(lines, line.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(&b, "== %s (%d)\n%s\n", table, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

func maxID(t *testing.T, s *db.Store, table string) int64 {
	t.Helper()
	var n int64
	if err := db.RawDB(t, s.Path()).QueryRow(`SELECT COALESCE(MAX(id), 0) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func countRows(t *testing.T, dsn, table string) int {
	t.Helper()
	var n int
	if err := db.RawDB(t, dsn).QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
