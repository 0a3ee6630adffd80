package db

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"
)

// A protokoll's File has its own times, not its meeting's: none before the
// first publication on the web, created at it, modified at the newest
// publication; the list of Files filters on them.
func TestOParlFileTimesAreItsPublications(t *testing.T) {
	w := newMeetingWorld(t)
	m, _, _ := justeratBoardMeeting(t, w)
	read := func() OParlMeeting {
		t.Helper()
		got, err := w.s.OParlMeetingByID(w.ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := read(); got.Published || !got.FileCreated.IsZero() || !got.FileModified.IsZero() {
		t.Errorf("before publication: %+v", got)
	}
	listed := func(f OParlFilter) bool {
		t.Helper()
		f.Limit = 100
		files, _, err := w.s.OParlFiles(w.ctx, OParlScope{}, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range files {
			if x.ID == m.ID {
				return true
			}
		}
		return false
	}
	if listed(OParlFilter{}) {
		t.Error("an unpublished protokoll is a File")
	}

	pdf := PublishedPDF{Data: []byte("%PDF-1.7 test")}
	w.at(meetingDay(13), 9)
	first := w.now
	w.must(w.s.Publish(w.ctx, m.ID, w.secretary, RedactionInput{}, pdf))
	w.at(meetingDay(15), 9)
	second := w.now
	w.must(w.s.Publish(w.ctx, m.ID, w.secretary, RedactionInput{Version: 1}, pdf))
	got := read()
	if !got.FileCreated.Equal(first) || !got.FileModified.Equal(second) || !got.Created.Before(first) {
		t.Errorf("File created %v, modified %v (meeting created %v); want %v, %v", got.FileCreated, got.FileModified, got.Created, first, second)
	}
	for f, want := range map[OParlFilter]bool{
		{CreatedSince: first}:                        true,
		{CreatedSince: first.Add(time.Second)}:       false,
		{CreatedUntil: first.Add(-time.Second)}:      false,
		{ModifiedSince: second}:                      true,
		{ModifiedUntil: second.Add(-time.Second)}:    false,
		{CreatedUntil: first, ModifiedSince: second}: true,
	} {
		if listed(f) != want {
			t.Errorf("the list of Files with %+v has the File: %v", f, !want)
		}
	}
}

// The list of Files walks meetings in obj_id order and stops at the page,
// whatever the scope and filter, as the other OParl lists (TestOParlListPlans).
func TestOParlFileListPlans(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, _, _ := secretListFixture(t)
	ctx := context.Background()
	var board int64
	if err := s.r.QueryRow(`SELECT id FROM boards WHERE code = 'ASN'`).Scan(&board); err != nil {
		t.Fatal(err)
	}
	discard := func(*sql.Rows) error { return nil }
	since := s.Now().Add(-time.Hour)
	for _, sc := range []OParlScope{{}, {Board: board}} {
		for _, f := range []OParlFilter{{Limit: 20}, {Limit: 20, After: 1001}, {Limit: 20, CreatedSince: since, ModifiedSince: since}} {
			e := &explainer{q: s.r, t: t}
			organs, args := sc.organCond("meetings.body_id")
			if _, err := s.oparlPage(ctx, e, byObjID, oparlFileSelect+organs+OParlPublishedOnly, args, f, discard); err != nil {
				t.Fatal(err)
			}
			for _, pl := range e.plans {
				for _, step := range pl.steps {
					if strings.Contains(step, "TEMP B-TREE") {
						t.Errorf("scope %+v, %+v: %q in the plan of\n%s\n%s", sc, f, step, pl.sql, strings.Join(pl.steps, "\n"))
					}
				}
			}
		}
	}
}
