package db

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// An agenda item the public has seen (its meeting's kallelse went out) and
// that is taken off the agenda stays an OParl deleted AgendaItem (OParl 1.1
// §2.8 "Gelöschte Objekte"): found by its id, in its Body's list in id
// order, filtered by its times, with nothing that names it; not on its
// meeting's agenda. An item taken off a planned meeting's agenda was never
// public and leaves nothing. Its id is never handed out again.
func TestOParlRemovedAgendaItemIsKept(t *testing.T) {
	w := newMeetingWorldAt(t, newDSN(t)) // on each engine in its run
	if w.s.Engine() != testEngine {
		t.Fatalf("the store is on %v, the run on %v", w.s.Engine(), testEngine)
	}
	c := w.caseOn("Riktlinjer för försörjningsstöd", meetingDay(3), meetingDay(10))
	au := w.meetingAt("ASN-AU", meetingDay(3))
	board := w.meetingAt("ASN", meetingDay(10))
	removedRows := func() int {
		t.Helper()
		var n int
		if err := w.s.r.QueryRowContext(w.ctx, `SELECT COUNT(*) FROM agenda_items_removed`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	lastItem := func(m workflow.Meeting, title string) AgendaItem {
		t.Helper()
		items, err := w.s.AddAgendaItem(w.ctx, m.ID, w.secretary, ItemOther, title)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.Title == title {
				return it
			}
		}
		t.Fatalf("%q is not on the agenda: %+v", title, items)
		return AgendaItem{}
	}

	// Before the kallelse: nothing kept, the id not found.
	draft := lastItem(board, "Utkast som ingen såg")
	w.must(w.s.RemoveAgendaItem(w.ctx, board.ID, draft.ID, w.secretary))
	if _, err := w.s.OParlAgendaItemByID(w.ctx, draft.ID); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("an item removed before the kallelse: %v, want ENOTFOUND", err)
	}

	// After the kallelse: kept, as a deleted item.
	secret := lastItem(au, "Hemlig rubrik 4711")
	w.must(w.s.MarkNoticeSent(w.ctx, au.ID, w.secretary))
	seen, err := w.s.OParlAgendaItemByID(w.ctx, secret.ID)
	if err != nil || seen.Deleted || seen.Title != "Hemlig rubrik 4711" {
		t.Fatalf("the item after the kallelse: %+v, %v", seen, err)
	}
	w.at(meetingDay(1), 14)
	removedAt := w.now
	w.must(w.s.RemoveAgendaItem(w.ctx, au.ID, secret.ID, w.secretary))
	if n := removedRows(); n != 1 {
		t.Errorf("%d removed items kept, want 1 (not the one from before the kallelse)", n)
	}
	got, err := w.s.OParlAgendaItemByID(w.ctx, secret.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := OParlAgendaItem{ID: secret.ID, MeetingID: au.ID, MeetingStatus: workflow.MeetingNoticeSent, StepPos: -1,
		Created: seen.Created, Modified: removedAt, Deleted: true}
	if !got.Created.Equal(want.Created) || !got.Modified.Equal(want.Modified) {
		t.Errorf("deleted item's times %v, %v; want %v, %v", got.Created, got.Modified, want.Created, want.Modified)
	}
	got.Created, got.Modified = want.Created, want.Modified
	if got != want {
		t.Errorf("deleted item %+v, want %+v", got, want)
	}

	// The meeting's agenda has it no more, and the meeting changed then.
	m, err := w.s.OParlMeetingByID(w.ctx, au.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Modified.Equal(removedAt) {
		t.Errorf("meeting modified %v, want the removal %v", m.Modified, removedAt)
	}
	embedded, err := w.s.OParlMeetingItems(w.ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range embedded {
		if it.ID == secret.ID || it.Deleted {
			t.Errorf("the meeting's agenda lists %+v", it)
		}
	}

	// A case that leaves the noticed agenda undecided (withdrawn) is kept
	// too, removed when the case changed.
	w.at(meetingDay(2), 9)
	c, err = w.s.Act(w.ctx, c.Number, w.officer, workflow.Command{Action: workflow.ActWithdraw, Version: c.Version, Reason: "Sökanden har återkallat"})
	if err != nil {
		t.Fatal(err)
	}
	caseItem := int64(0)
	for _, it := range embedded {
		if it.CaseNumber == c.Number {
			caseItem = it.ID
		}
	}
	if caseItem == 0 {
		t.Fatalf("the case was not on the noticed agenda: %+v", embedded)
	}
	gotCase, err := w.s.OParlAgendaItemByID(w.ctx, caseItem)
	if err != nil || !gotCase.Deleted || !gotCase.Modified.Equal(c.UpdatedAt) || gotCase.CaseNumber != "" || gotCase.Title != "" {
		t.Errorf("the withdrawn case's item: %+v, %v; want deleted at %v", gotCase, err, c.UpdatedAt)
	}

	// The list: every item, the deleted ones too, in id order; the filters
	// read a deleted item's times.
	list := func(f OParlFilter) []OParlAgendaItem {
		t.Helper()
		if f.Limit == 0 {
			f.Limit = 100
		}
		items, _, err := w.s.OParlAgendaItems(w.ctx, OParlScope{}, f)
		if err != nil {
			t.Fatal(err)
		}
		return items
	}
	all := list(OParlFilter{})
	deleted := map[int64]bool{}
	for i, it := range all {
		if i > 0 && it.ID <= all[i-1].ID {
			t.Errorf("the list is not in id order: %d after %d", it.ID, all[i-1].ID)
		}
		if it.Deleted {
			deleted[it.ID] = true
		}
	}
	if len(deleted) != 2 || !deleted[secret.ID] || !deleted[caseItem] {
		t.Errorf("deleted items in the list: %v, want %d and %d", deleted, secret.ID, caseItem)
	}
	since := list(OParlFilter{ModifiedSince: removedAt.Add(-time.Second), ModifiedUntil: removedAt})
	if len(since) != 1 || since[0].ID != secret.ID || !since[0].Deleted {
		t.Errorf("modified around the removal: %+v", since)
	}
	if got := list(OParlFilter{CreatedUntil: seen.Created.Add(-time.Second)}); len(got) != 0 {
		t.Errorf("created before the meeting: %+v", got)
	}
	// One a page, after each: every item once, in order.
	var paged []int64
	for f := (OParlFilter{Limit: 1}); ; {
		items, more, err := w.s.OParlAgendaItems(w.ctx, OParlScope{}, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			paged = append(paged, it.ID)
			f.After = it.ID
		}
		if !more {
			break
		}
	}
	if len(paged) != len(all) {
		t.Errorf("paging by one found %v, one page %d items", paged, len(all))
	}
	for i := range min(len(paged), len(all)) {
		if paged[i] != all[i].ID {
			t.Errorf("page %d has %d, want %d", i+1, paged[i], all[i].ID)
		}
	}

	// The removed id is not handed out again (SQLite gave the newest row's
	// id to the next one before 0027), and a new item is no deleted one.
	again := lastItem(au, "Ny punkt")
	if again.ID <= secret.ID {
		t.Errorf("new item %d after removed %d", again.ID, secret.ID)
	}
	if got, err := w.s.OParlAgendaItemByID(w.ctx, secret.ID); err != nil || !got.Deleted {
		t.Errorf("after a new item: %+v, %v", got, err)
	}
}

// The id of a seat of someone with a lower seat is a deleted Person (no
// name) from the seat's addition on, in its Body's person list; the person's
// own id answers them.
func TestOParlMergedSeatIsADeletedPerson(t *testing.T) {
	w := newMeetingWorldAt(t, newDSN(t)) // on each engine in its run
	w.at(meetingDay(1), 10)
	added := w.now
	second := w.member("ASN-AU", MemberInput{Role: workflow.MemberRegular, User: w.ledamot.Email})
	p, err := w.s.OParlPersonByID(w.ctx, second.ID)
	if err != nil {
		t.Fatalf("the merged seat's id: %v", err)
	}
	if p.Active || p.Name != "" || p.MergedInto != w.ledamotMember.ID || len(p.Seats) != 0 ||
		!p.Created.Equal(added) || !p.Modified.Equal(added) {
		t.Errorf("the merged seat %d as a Person: %+v", second.ID, p)
	}
	own, err := w.s.OParlPersonByID(w.ctx, w.ledamotMember.ID)
	if err != nil || !own.Active || len(own.Seats) != 2 {
		t.Errorf("the person: %+v, %v", own, err)
	}
	var au int64
	if err := w.s.r.QueryRowContext(w.ctx, `SELECT id FROM bodies WHERE code = 'ASN-AU'`).Scan(&au); err != nil {
		t.Fatal(err)
	}
	ps, _, err := w.s.OParlPersons(w.ctx, OParlScope{}, OParlFilter{Limit: 100, ModifiedSince: added})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range ps {
		found = found || x.ID == second.ID && !x.Active && x.Name == ""
	}
	if !found {
		t.Errorf("the person list modified since the seat was added has no deleted %d: %+v", second.ID, ps)
	}
	if _, err := w.s.OParlPersonByID(w.ctx, w.staffMember.ID); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("a staff seat as a Person: %v", err)
	}
}

// The agenda item list with its removed items is one walk in id order: each
// arm reads its table by its primary key and the two are merged, never
// sorted (TestOParlListPlans), whatever the scope and filter.
func TestOParlRemovedItemListPlan(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s, scopes, since := oparlPlanFixture(t)
	ctx := context.Background()
	discard := func(*sql.Rows) error { return nil }
	for _, sc := range scopes {
		for _, f := range []OParlFilter{{Limit: 20}, {Limit: 20, After: 1001}, {Limit: 20, ModifiedSince: since},
			{Limit: 20, CreatedSince: since, ModifiedUntil: since}} {
			e := &explainer{q: s.r, t: t}
			inner, args := oparlItemList(sc)
			if _, err := s.oparlPage(ctx, e, byObjID, inner, args, f, discard); err != nil {
				t.Fatal(err)
			}
			pl := e.plans[0]
			plan := strings.Join(pl.steps, "\n")
			if strings.Contains(plan, "TEMP B-TREE") || !strings.Contains(plan, "MERGE (UNION ALL)") {
				t.Errorf("scope %+v, %+v: not a merge of two ordered walks:\n%s\n%s", sc, f, pl.sql, plan)
			}
			for _, table := range []string{"ai", "r"} {
				walk := false
				for _, step := range pl.steps {
					m := planTable.FindStringSubmatch(step)
					walk = walk || m != nil && m[2] == table && (strings.Contains(step, "INTEGER PRIMARY KEY") || m[1] == "SCAN" && !strings.Contains(step, "USING"))
				}
				if !walk {
					t.Errorf("scope %+v, %+v: %s is not walked by its id:\n%s", sc, f, table, plan)
				}
			}
		}
	}
}
