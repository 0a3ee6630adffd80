package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

// seeded is a store with the demo data: the seed case and a dozen more.
func seeded(t *testing.T) *db.Store {
	t.Helper()
	s := db.MustOpen(t)
	ok, err := demo.Seed(context.Background(), s)
	if err != nil || !ok {
		t.Fatalf("demo.Seed = %v, %v", ok, err)
	}
	return s
}

func user(t *testing.T, s *db.Store, email string) workflow.User {
	t.Helper()
	u, err := s.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// consistent checks what must hold in any committed state: every chain is
// whole, every case's version is its number of events (create is version 1,
// each later event bumps it once), and every attachment has its event.
func consistent(t *testing.T, path string) (events int) {
	t.Helper()
	s, err := db.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer s.Close()
	checked, broken, err := s.Verify(context.Background())
	if err != nil || len(broken) > 0 || checked == 0 {
		t.Errorf("%s: Verify = %d, %v, %v", filepath.Base(path), checked, broken, err)
	}
	raw := db.RawDB(t, path)
	for _, q := range []string{
		`SELECT number FROM cases c WHERE version <> (SELECT COUNT(*) FROM events WHERE case_id = c.id)`,
		`SELECT number FROM cases c WHERE (SELECT COUNT(*) FROM attachments WHERE case_id = c.id) <>
			(SELECT COUNT(*) FROM events WHERE case_id = c.id AND action = 'attach')`,
		`SELECT number FROM cases c WHERE stage NOT IN ('closed','draft') AND NOT EXISTS (SELECT 1 FROM events WHERE case_id = c.id AND to_stage = c.stage)`,
	} {
		var bad string
		if err := raw.QueryRow(q).Scan(&bad); err != sql.ErrNoRows {
			t.Errorf("%s: inconsistent case %s (%v) for\n%s", filepath.Base(path), bad, err, q)
		}
	}
	raw.QueryRow(`SELECT COUNT(*) FROM events`).Scan(&events)
	return events
}

func eventCount(t *testing.T, s *db.Store) int {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+s.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDemoDataIsConsistent(t *testing.T) {
	s := seeded(t)
	consistent(t, s.Path())
	c, err := s.Case(context.Background(), demo.SeedNumber)
	if err != nil || c.Stage != workflow.StageClosed || len(c.Approvers) != 3 || len(c.Attachments) != 2 ||
		c.Decision == nil || c.Decision.Paragraph != "§ 1" || c.Decision.DispatchedAt == nil {
		t.Errorf("seed case = %+v, %v", c, err)
	}
	c, err = s.Case(context.Background(), demo.DraftNumber)
	if err != nil || c.Stage != workflow.StageDraft || len(c.Approvers) != 3 || len(c.Attachments) != 2 {
		t.Errorf("draft case = %+v, %v", c, err)
	}
}

func TestBackupWhileActing(t *testing.T) {
	db.SQLiteOnly(t, "the backup of a SQLite file (PostgreSQL: pg_dump)")
	s := seeded(t)
	ctx := context.Background()
	officer := user(t, s, "handlaggare@kommun.example")
	jonas := user(t, s, "jonas.magnusson@kommun.example")
	// The writer keeps the draft going round submit → reject, registers
	// new cases and attaches files, until told to stop.
	stop := make(chan struct{})
	started := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			c, err := s.Case(ctx, demo.DraftNumber)
			if err == nil {
				switch i % 4 {
				case 0:
					_, err = s.Act(ctx, c.Number, officer, workflow.Command{Action: workflow.ActSubmit, Version: c.Version})
				case 1:
					_, err = s.Act(ctx, c.Number, jonas, workflow.Command{Action: workflow.ActReject, Version: c.Version, Reason: fmt.Sprintf("Runda %d", i)})
				case 2:
					_, err = s.AddAttachment(ctx, c.Number, officer, db.NewAttachment{Name: fmt.Sprintf("bilaga-%d.txt", i), Data: []byte(fmt.Sprint(i))})
				case 3:
					in := db.InputOf(&c)
					in.Number, in.Title = "", fmt.Sprintf("Ärende %d", i)
					in.Route = []db.StepInput{{Body: "ASN", Date: workflow.Today(s.Now()).AddDays(30).String(), ExtraMeeting: true}}
					_, err = s.CreateCase(ctx, in, officer)
				}
			}
			if err != nil {
				writeErr = fmt.Errorf("write %d: %w", i, err)
				close(started)
				return
			}
			if i == 4 {
				close(started)
			}
		}
	}()
	<-started
	dir := t.TempDir()
	for k := range 3 {
		dest := filepath.Join(dir, fmt.Sprintf("kopia-%d.db", k))
		before := eventCount(t, s)
		if err := s.Backup(ctx, dest); err != nil {
			t.Fatalf("Backup: %v", err)
		}
		after := eventCount(t, s)
		t.Logf("backup %d: %d events before, %d after", k, before, after)
		// The copy is one committed state between the start and the end of the call.
		if n := consistent(t, dest); n < before || n > after {
			t.Errorf("backup %d has %d events; the store had %d before and %d after", k, n, before, after)
		}
	}
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatal(writeErr)
	}
	consistent(t, s.Path())
}

func TestBackupRefusesExistingFile(t *testing.T) {
	s := db.MustOpen(t)
	dest := filepath.Join(t.TempDir(), "finns.db")
	if err := os.WriteFile(dest, []byte("viktigt"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(context.Background(), dest); err == nil {
		t.Fatal("Backup overwrote an existing file")
	}
	if b, _ := os.ReadFile(dest); string(b) != "viktigt" {
		t.Errorf("existing file now holds %q", b)
	}
}

// The backup's name goes into a DSN; one that SQLite would read as options
// (an in-memory copy, another file) is refused rather than reported written.
func TestBackupRefusesNameWithOptions(t *testing.T) {
	s := db.MustOpen(t)
	dir := t.TempDir()
	for _, name := range []string{"kopia.db?mode=memory", "kopia.db#x", ""} {
		dest := filepath.Join(dir, name)
		if name == "" {
			dest = ""
		}
		if err := s.Backup(context.Background(), dest); err == nil {
			t.Errorf("Backup(%q) succeeded", dest)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

// The demo replays years of history under a moving clock; the reminders of
// days before today were nobody's to get, so none is left to go out as a
// "missed reminder" at the first start, and no deadline of the demo is
// overdue: the seed was decided in 2020, this year's cases are on time.
func TestDemoLeavesNoStaleReminders(t *testing.T) {
	s := seeded(t)
	today := workflow.Today(s.Now())
	raw := db.RawDB(t, s.Path())
	var stale, overdue, ahead int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL AND on_date < ?`, today.String()).Scan(&stale); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRow(`SELECT COUNT(*) FROM deadlines WHERE state = 'open' AND due < ?`, today.String()).Scan(&overdue); err != nil {
		t.Fatal(err)
	}
	// The reminders still to come are planned: the draft's inlämningsdag has its own.
	if err := raw.QueryRow(`SELECT COUNT(*) FROM reminders r JOIN deadlines d ON d.id = r.deadline_id
		JOIN cases c ON c.id = d.case_id WHERE c.number = ? AND d.kind = 'submission' AND r.sent_at IS NULL AND r.on_date >= ?`,
		demo.DraftNumber, today.String()).Scan(&ahead); err != nil {
		t.Fatal(err)
	}
	if stale != 0 || overdue != 0 || ahead == 0 {
		t.Errorf("%d reminders of past days wait to be sent, %d deadlines are overdue; the draft's inlämningsdag has %d reminders ahead",
			stale, overdue, ahead)
	}
}
