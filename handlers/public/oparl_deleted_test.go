package public_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/oparl"
	"github.com/kommun/beslutsgang/workflow"
)

// wantDeleted checks that o is the deleted object id of type typ (OParl 1.1
// §2.8 "Gelöschte Objekte"): id, type, created, modified and deleted: true,
// nothing else; modified, if not zero, is that time.
func wantDeleted(t *testing.T, o map[string]any, id, typ string, modified time.Time) {
	t.Helper()
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"created", "deleted", "id", "modified", "type"}) || o["deleted"] != true ||
		o["id"] != id || o["type"] != typ {
		t.Errorf("want %s deleted with id, type, created, modified only: %v", id, o)
	}
	for _, k := range []string{"created", "modified"} {
		s, _ := o[k].(string)
		if _, err := time.Parse(oparl.Layout, s); err != nil {
			t.Errorf("%s: %s %q", id, k, s)
		}
	}
	if mod, _ := time.Parse(oparl.Layout, fmt.Sprint(o["modified"])); !modified.IsZero() && !mod.Equal(modified) {
		t.Errorf("%s: modified %v, want %v", id, o["modified"], modified)
	}
}

// oparlIDs is the ids of the objects, in order.
func oparlIDs(objs []map[string]any) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o["id"].(string))
	}
	return out
}

// An item taken off an agenda after the kallelse, which the public has
// seen, answers as a deleted AgendaItem, not 404, and its Body's list keeps
// it in id order, so modified_since finds the removal; its meeting's agenda
// no longer lists it, and the meeting is modified by it.
func TestOParlRemovedAgendaItemAnswersDeleted(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	sec, err := s.Store.UserByEmail(ctx, secretary)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := s.Store.Meetings(ctx, db.MeetingFilter{Body: "ASN"})
	if err != nil {
		t.Fatal(err)
	}
	var meeting workflow.Meeting
	for _, m := range ms {
		if m.Status == workflow.MeetingNoticeSent || m.Status == workflow.MeetingHeld {
			meeting = m
			break
		}
	}
	if meeting.ID == 0 {
		t.Fatal("the demo has no ASN meeting after its kallelse whose agenda can change")
	}
	later := now.Add(72 * time.Hour)
	s.At(later)
	const title = "Information om lokalfrågan 4711"
	items, err := s.Store.AddAgendaItem(ctx, meeting.ID, sec, db.ItemOther, title)
	if err != nil {
		t.Fatal(err)
	}
	var added, fixed db.AgendaItem
	for _, it := range items {
		switch {
		case it.Title == title:
			added = it
		case it.Kind == db.ItemOpening:
			fixed = it
		}
	}
	if added.ID == 0 || fixed.ID == 0 {
		t.Fatalf("the agenda: %+v", items)
	}
	schemas := oparlSchemas(t)
	path := func(it db.AgendaItem) string { return "/oparl/v1.1/agendaitem/" + strconv.FormatInt(it.ID, 10) }
	var live map[string]any
	getOParl(t, s, path(added), &live)
	if live["name"] != title || live["deleted"] != nil {
		t.Fatalf("the item before its removal: %v", live)
	}

	// Taken off through the API, an hour later; the opening too (an older id).
	removal := later.Add(time.Hour)
	s.At(removal)
	for _, it := range []db.AgendaItem{added, fixed} {
		if r := s.As(secretary, "DELETE", fmt.Sprintf("/api/v1/meetings/%d/agenda/%d", meeting.ID, it.ID), nil); r.Status != http.StatusOK {
			t.Fatalf("DELETE item %d: %d %s", it.ID, r.Status, r.Body)
		}
	}
	for _, it := range []db.AgendaItem{added, fixed} {
		r := s.Request("GET", path(it), "", nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s after its removal: %d %s", path(it), r.Status, r.Body)
		}
		if strings.Contains(string(r.Body), title) {
			t.Errorf("the deleted item names itself: %s", r.Body)
		}
		var got map[string]any
		r.Decode(t, &got)
		wantDeleted(t, got, s.Base+path(it), oparl.TypeAgendaItem, removal)
		checkOParlValue(t, path(it), "", got, schemas, map[string]int{})
		if got["created"] != live["created"] {
			t.Errorf("deleted item created %v, want its meeting's %v", got["created"], live["created"])
		}
	}

	// modified_since just before the removal finds both, deleted.
	since := url.QueryEscape(removal.Add(-time.Second).Format(time.RFC3339))
	changed := oparlAll(t, s, "/oparl/v1.1/body/ASN/agendaItem?modified_since="+since)
	found := 0
	for _, o := range changed {
		if o["id"] == s.Base+path(added) || o["id"] == s.Base+path(fixed) {
			found++
			wantDeleted(t, o, o["id"].(string), oparl.TypeAgendaItem, removal)
		}
		if o["name"] == title {
			t.Errorf("the list names the removed item: %v", o)
		}
	}
	if found != 2 {
		t.Errorf("agenda items modified since %s: %v, want both removed ones", since, oparlIDs(changed))
	}
	since = url.QueryEscape(removal.Add(time.Second).Format(time.RFC3339))
	if after := oparlAll(t, s, "/oparl/v1.1/body/ASN/agendaItem?modified_since="+since); len(after) != 0 {
		t.Errorf("agenda items modified after the removal: %v", oparlIDs(after))
	}

	// The meeting's agenda lists neither; the meeting changed with it.
	var m map[string]any
	getOParl(t, s, "/oparl/v1.1/meeting/"+strconv.FormatInt(meeting.ID, 10), &m)
	for _, it := range asList(m["agendaItem"]) {
		o := it.(map[string]any)
		if o["id"] == s.Base+path(added) || o["id"] == s.Base+path(fixed) || o["deleted"] != nil {
			t.Errorf("the meeting's agenda lists %v", o)
		}
	}
	if mod, _ := time.Parse(oparl.Layout, fmt.Sprint(m["modified"])); !mod.Equal(removal) {
		t.Errorf("meeting modified %v, want the removal %v", m["modified"], removal)
	}

	// One a page: every item once, in id order, the deleted ones in place.
	whole := oparlIDs(oparlAll(t, s, "/oparl/v1.1/body/ASN/agendaItem?elementsPerPage=100"))
	paged := oparlIDs(oparlAll(t, s, "/oparl/v1.1/body/ASN/agendaItem?elementsPerPage=1"))
	if !slices.Equal(paged, whole) {
		t.Errorf("paging by one: %d items, by 100: %d", len(paged), len(whole))
	}
	num := func(id string) int64 {
		n, _ := strconv.ParseInt(id[strings.LastIndex(id, "/")+1:], 10, 64)
		return n
	}
	for i := 1; i < len(paged); i++ {
		if num(paged[i]) <= num(paged[i-1]) {
			t.Errorf("%s after %s", paged[i], paged[i-1])
		}
	}
	for _, it := range []db.AgendaItem{added, fixed} {
		if !slices.Contains(paged, s.Base+path(it)) {
			t.Errorf("paging by one does not reach deleted %s", path(it))
		}
	}
}

// Someone on two organs is one Person at the lower id of their seats; the
// other seat's id answers a deleted Person without a name, which the Body's
// person list carries as deleted, rather than 404.
func TestOParlMergedPersonsOtherIDIsDeleted(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	var seats []workflow.Member
	for _, organ := range []string{"ASN-AU", "ASN"} {
		members, err := s.Store.Members(ctx, organ)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range members {
			if m.Name == "Cecilia Holm" {
				seats = append(seats, m)
			}
		}
	}
	if len(seats) != 2 {
		t.Fatalf("Cecilia Holm's seats in the demo: %+v", seats)
	}
	low, high := min(seats[0].ID, seats[1].ID), max(seats[0].ID, seats[1].ID)
	person := func(id int64) string { return "/oparl/v1.1/person/" + strconv.FormatInt(id, 10) }
	var p map[string]any
	getOParl(t, s, person(low), &p)
	if p["name"] != "Cecilia Holm" || len(asList(p["membership"])) != 2 {
		t.Errorf("the Person: %v", p)
	}
	r := s.Request("GET", person(high), "", nil)
	if r.Status != http.StatusOK || strings.Contains(string(r.Body), "Cecilia") {
		t.Fatalf("GET %s: %d %s, want 200 and no name", person(high), r.Status, r.Body)
	}
	var merged map[string]any
	r.Decode(t, &merged)
	wantDeleted(t, merged, s.Base+person(high), oparl.TypePerson, time.Time{})
	found := false
	for _, o := range oparlAll(t, s, "/oparl/v1.1/body/ASN/person?elementsPerPage=3") {
		if o["id"] == s.Base+person(high) {
			found = true
			wantDeleted(t, o, s.Base+person(high), oparl.TypePerson, time.Time{})
		}
	}
	if !found {
		t.Errorf("ASN's person list has no deleted %s", person(high))
	}
}
