package metrics_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/metrics"
	"github.com/kommun/beslutsgang/workflow"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func newMetrics(t *testing.T) (*metrics.Metrics, *db.Store) {
	t.Helper()
	s, err := db.Open(filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return metrics.New(s, nil), s
}

// Actions are counted by a known action name, or "other", and the result
// code; a client cannot make label values up.
func TestActionLabels(t *testing.T) {
	m, _ := newMetrics(t)
	m.Action("submit", nil)
	m.Action("submit", workflow.Errorf(workflow.ECONFLICT, "gammal"))
	m.Action("ASN-2026-1 drop table", workflow.Errorf(workflow.EINVALID, "okänd"))
	m.Action("approve", errors.New("disk full"))
	want := `
# HELP beslutsgang_actions_total Changes to cases: create, update (a draft) and the workflow actions (submit, approve, ...), by action and result: ok, or the domain error code (invalid, conflict, forbidden, not_found, internal, ...).
# TYPE beslutsgang_actions_total counter
beslutsgang_actions_total{action="approve",result="internal"} 1
beslutsgang_actions_total{action="other",result="invalid"} 1
beslutsgang_actions_total{action="submit",result="conflict"} 1
beslutsgang_actions_total{action="submit",result="ok"} 1
`
	if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(want), "beslutsgang_actions_total"); err != nil {
		t.Error(err)
	}
}

// Each registry is its own: two servers in one process count apart, and
// both show the export's progress.
func TestRegistriesApartAndExport(t *testing.T) {
	a, _ := newMetrics(t)
	b, _ := newMetrics(t)
	a.Request("GET", "/cases/:number", 200, 3*time.Millisecond)
	a.ScanDone(time.Unix(1700000000, 0), 4)
	a.Delivered(2, 1, 0)
	if n := testutil.CollectAndCount(b.Registry, "beslutsgang_http_requests_total"); n != 0 {
		t.Errorf("the other registry has %d request series", n)
	}
	metrics.ExportProgress(40, 100)
	for _, m := range []*metrics.Metrics{a, b} {
		want := `
# HELP beslutsgang_export_items_done Cases the running or last export of this process has written.
# TYPE beslutsgang_export_items_done gauge
beslutsgang_export_items_done 40
# HELP beslutsgang_export_items_total Cases the running or last export of this process is to write; 0 when none has run.
# TYPE beslutsgang_export_items_total gauge
beslutsgang_export_items_total 100
`
		if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(want), "beslutsgang_export_items_done", "beslutsgang_export_items_total"); err != nil {
			t.Error(err)
		}
	}
	want := `
# HELP beslutsgang_reminder_scan_last_success_timestamp_seconds When this instance last finished a reminder scan without error, in Unix seconds; 0 if it has not (only the scheduler's leader scans).
# TYPE beslutsgang_reminder_scan_last_success_timestamp_seconds gauge
beslutsgang_reminder_scan_last_success_timestamp_seconds 1.7e+09
# HELP beslutsgang_reminders_sent_total Reminders the reminder scan of this instance has sent (queued as mail or shown in the UI).
# TYPE beslutsgang_reminders_sent_total counter
beslutsgang_reminders_sent_total 4
`
	if err := testutil.GatherAndCompare(a.Registry, strings.NewReader(want), "beslutsgang_reminder_scan_last_success_timestamp_seconds", "beslutsgang_reminders_sent_total"); err != nil {
		t.Error(err)
	}
}

// A store that cannot be read reports beslutsgang_store_up 0, and the
// scrape still answers.
func TestStoreDown(t *testing.T) {
	m, s := newMetrics(t)
	s.Close()
	n, err := testutil.GatherAndCount(m.Registry, "beslutsgang_store_up", "beslutsgang_outbox_messages")
	if err != nil || n != 1 {
		t.Errorf("a closed store: %d series, %v", n, err)
	}
}

// The list cache's hits and misses are counted: the same search twice and
// the same page of the diary twice on an unchanged database are one of each.
func TestListCacheCounted(t *testing.T) {
	m, s := newMetrics(t)
	for _, f := range []db.DiaryFilter{{Query: "föreningsbidrag", PerPage: 20}, {PerPage: 20}} {
		for range 2 {
			if _, err := s.Diary(t.Context(), f); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := `
# HELP beslutsgang_list_cache_hits_total Pages of the case list and the diary, their searches, and cases read by staff, this instance answered from its cache, the database unchanged since they were read.
# TYPE beslutsgang_list_cache_hits_total counter
beslutsgang_list_cache_hits_total 2
# HELP beslutsgang_list_cache_misses_total Pages of the case list and the diary, their searches, and cases read by staff, this instance read from the database: asked for the first time, or since a change.
# TYPE beslutsgang_list_cache_misses_total counter
beslutsgang_list_cache_misses_total 2
`
	if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(want), "beslutsgang_list_cache_hits_total", "beslutsgang_list_cache_misses_total"); err != nil {
		t.Error(err)
	}
}
