package db

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// checkScanPlan fails unless SQLite reads due reminders through the partial
// index on remind_at and reaches the big tables (deadlines, cases, approvers)
// by key. The planner may scan the few rows of boards and users when its
// statistics say there are only a handful.
func checkScanPlan(ctx context.Context, s *Store) error {
	rows, err := s.r.QueryContext(ctx, `EXPLAIN QUERY PLAN `+dueRemindersQuery, "2026-03-31T06:00:30.000000Z", 500)
	if err != nil {
		return err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return err
		}
		plan = append(plan, detail)
	}
	all := strings.Join(plan, "\n")
	if !strings.Contains(all, "SEARCH r USING INDEX reminders_due (remind_at<?)") {
		return fmt.Errorf("the scan does not search reminders_due by remind_at:\n%s", all)
	}
	for _, line := range plan {
		f := strings.Fields(line)
		big := len(f) > 1 && (f[1] == "r" || f[1] == "d" || f[1] == "c" || f[1] == "ca")
		if (f[0] == "SCAN" && big) || strings.Contains(line, "TEMP B-TREE") {
			return fmt.Errorf("the scan does %q:\n%s", line, all)
		}
	}
	return nil
}

func TestDueReminderScanUsesTheRemindAtIndex(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, err := Open(filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := fillReminderBench(ctx, s, 4000); err != nil {
		t.Fatal(err)
	}
	for _, analyzed := range []bool{false, true} {
		if analyzed {
			if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
				t.Fatal(err)
			}
		}
		if err := checkScanPlan(ctx, s); err != nil {
			t.Errorf("analyzed %v: %v", analyzed, err)
		}
	}
	sent, err := s.SendDueReminders(ctx, benchNow, ScanOptions{Compose: benchComposer{}, Batch: 3000})
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != benchDue {
		t.Fatalf("sent %d, want %d", len(sent), benchDue)
	}
	var queued, pending int
	s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox`).Scan(&queued)
	s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL AND remind_at <= ?`, fmtTime(benchNow)).Scan(&pending)
	if queued != benchDue || pending != 0 {
		t.Errorf("outbox %d, still due %d; want %d and 0", queued, pending, benchDue)
	}
}
