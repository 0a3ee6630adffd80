package db

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// benchNow is when the benchmark's scan runs: 10,000 reminders are due then.
var benchNow = time.Date(2026, 3, 31, 8, 0, 30, 0, workflow.Stockholm)

const benchDue = 10_000

// fillReminderBench writes cases, deadlines (three per case) and one unsent
// reminder per deadline with plain SQL, in one transaction: the first benchDue
// reminders are due at benchNow ("due" slots of deadlines due 31 March), the
// rest fall due in the coming months.
func fillReminderBench(ctx context.Context, s *Store, cases int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		// Later schemas keep the number's year and serial in columns of their own.
		numberCols, numberVals := "", ""
		var split int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info('cases') WHERE name IN ('year', 'serial')`).Scan(&split); err != nil {
			return err
		}
		if split == 2 {
			numberCols, numberVals = "year, serial,", "2026, n,"
		}
		stmts := []string{
			`INSERT INTO boards(id, code, name, created_at) VALUES (1, 'ASN', 'Arbetsmarknads- och socialnämnden', '2026-01-01T00:00:00.000000Z')`,
			`INSERT INTO users(id, email, name, created_at) VALUES (1, 'sara@kommun.example', 'Sara Lindqvist', '2026-01-01T00:00:00.000000Z'),
				(2, 'jonas@kommun.example', 'Jonas Magnusson', '2026-01-01T00:00:00.000000Z')`,
			fmt.Sprintf(`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %d)
				INSERT INTO cases(id, number, board_id, %s title, stage, step, version, officer_id, created_at, updated_at)
				SELECT n, 'ASN-2026-' || n, 1, %s 'Ärende ' || n, 'draft', -1, 1, 1, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z' FROM seq`,
				cases, numberCols, numberVals),
			`INSERT INTO case_approvers(case_id, pos, user_id) SELECT id, 0, 2 FROM cases`,
			// Deadline k of case n has id 3(n-1)+k; the first benchDue are due 31 March.
			fmt.Sprintf(`WITH k(k) AS (VALUES (1), (2), (3))
				INSERT INTO deadlines(id, case_id, kind, ref, due, responsible_id, note, state, created_at)
				SELECT 3 * (c.id - 1) + k.k, c.id, 'custom', 'custom:' || (3 * (c.id - 1) + k.k),
					CASE WHEN 3 * (c.id - 1) + k.k <= %d THEN '2026-03-31' ELSE date('2026-04-01', '+' || ((c.id * 7 + k.k) %% 200) || ' days') END,
					1, 'Bevakning', 'open', '2026-01-01T00:00:00.000000Z'
				FROM cases c CROSS JOIN k`, benchDue),
			`INSERT INTO reminders(id, deadline_id, slot, on_date, remind_at, offset_days)
				SELECT id, id, due || '/due', due, strftime('%Y-%m-%dT', due) || '06:00:00.000000Z', 0 FROM deadlines`,
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%.60s: %w", strings.TrimSpace(q), err)
			}
		}
		return nil
	})
}

// resetReminderBench undoes one scan: the due reminders are unsent again and
// what the scan added (mail, the next overdue reminders) is gone.
func resetReminderBench(ctx context.Context, s *Store) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM outbox`,
			`DELETE FROM reminders WHERE id > (SELECT MAX(id) FROM deadlines)`,
			fmt.Sprintf(`UPDATE reminders SET sent_at = NULL, channel = '' WHERE id <= %d`, benchDue),
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}

// openReminderBench opens the benchmark database for a number of cases,
// building it on first use. BESLUTSGANG_BENCH_DIR keeps the files between
// runs (the 1,000,000-case one takes a while to build).
func openReminderBench(b *testing.B, dir string, cases int) *Store {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(dir, fmt.Sprintf("reminders-%d.db", cases))
	_, statErr := os.Stat(path)
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if statErr != nil {
		start := time.Now()
		if err := fillReminderBench(ctx, s, cases); err != nil {
			b.Fatal(err)
		}
		if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
		b.Logf("built %s in %s", path, time.Since(start).Round(time.Second))
	}
	if err := resetReminderBench(ctx, s); err != nil {
		b.Fatal(err)
	}
	return s
}

type benchComposer struct{}

func (benchComposer) ComposeReminder(r DueReminder) (Mail, error) {
	return Mail{To: r.Deadline.Responsible.Email, Subject: "Påminnelse " + r.Deadline.CaseNumber, Text: r.Deadline.Note}, nil
}

func (benchComposer) ComposeDigest(Digest) (Mail, error) { return Mail{}, nil }

// BenchmarkReminderScan sends the same 10,000 due reminders from a database of
// 1,000,000 cases and 3,000,000 deadlines and from one of 3,334 cases (10,002
// deadlines): the scan reads due rows through reminders_due, so the two take
// about the same time.
func BenchmarkReminderScan(b *testing.B) {
	dir := os.Getenv("BESLUTSGANG_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	ctx := context.Background()
	for _, cases := range []int{1_000_000, (benchDue + 2) / 3} {
		b.Run(fmt.Sprintf("cases=%d", cases), func(b *testing.B) {
			s := openReminderBench(b, dir, cases)
			if err := checkScanPlan(ctx, s); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				if err := resetReminderBench(ctx, s); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				sent, err := s.SendDueReminders(ctx, benchNow, ScanOptions{Compose: benchComposer{}})
				if err != nil {
					b.Fatal(err)
				}
				if len(sent) != benchDue {
					b.Fatalf("sent %d reminders, want %d", len(sent), benchDue)
				}
			}
		})
	}
}
