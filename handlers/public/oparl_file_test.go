package public_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/oparl"
	"github.com/kommun/beslutsgang/workflow"
)

// A protokoll's File comes to be at its first publication on the web, not
// when its meeting was planned (which the demo did before now), and is
// modified when a publication replaces its PDF. The File read alone,
// in the list and embedded in its Meeting (alone and in the list) says the
// same, and the list's created and modified filters read those times.
func TestOParlFileTimesAreItsPublications(t *testing.T) {
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
	// The demo publishes its older protokoll; the newest posted one waits
	// for the secretary's review.
	var m workflow.Meeting
	for _, x := range ms {
		published, err := s.Store.PublishedAmong(ctx, []int64{x.ID})
		if err != nil {
			t.Fatal(err)
		}
		if x.Status == workflow.MeetingPosted && !published[x.ID] {
			m = x
			break
		}
	}
	if m.ID == 0 {
		t.Fatal("the demo has no posted ASN meeting whose protokoll is not published")
	}
	id := strconv.FormatInt(m.ID, 10)
	fileID := s.Base + "/oparl/v1.1/file/protokoll-" + id
	meetingID := s.Base + "/oparl/v1.1/meeting/" + id
	pdf := db.PublishedPDF{Data: []byte("%PDF-1.4\n")}

	// wantFile checks every form of the File against the times it should
	// have, and that they agree but for the standalone one's meeting.
	wantFile := func(when string, created, modified time.Time) {
		t.Helper()
		var alone, meeting map[string]any
		getOParl(t, s, "/oparl/v1.1/file/protokoll-"+id, &alone)
		getOParl(t, s, "/oparl/v1.1/meeting/"+id, &meeting)
		forms := map[string]map[string]any{"/file/protokoll-" + id: alone}
		forms["/meeting/"+id+" resultsProtocol"], _ = meeting["resultsProtocol"].(map[string]any)
		for _, f := range oparlAll(t, s, "/oparl/v1.1/body/ASN/file") {
			if f["id"] == fileID {
				forms["the file list"] = f
			}
		}
		for _, mt := range oparlAll(t, s, "/oparl/v1.1/body/ASN/meeting") {
			if mt["id"] == meetingID {
				forms["the meeting list's resultsProtocol"], _ = mt["resultsProtocol"].(map[string]any)
			}
		}
		for where, f := range forms {
			if f == nil {
				t.Errorf("%s: no File in %s", when, where)
				continue
			}
			c, _ := time.Parse(oparl.Layout, f["created"].(string))
			mod, _ := time.Parse(oparl.Layout, f["modified"].(string))
			if !c.Equal(created) || !mod.Equal(modified) || mod.Before(c) {
				t.Errorf("%s: the File in %s is created %v, modified %v; want %v, %v", when, where, f["created"], f["modified"],
					created.Format(oparl.Layout), modified.Format(oparl.Layout))
			}
			for k, v := range alone {
				if k != "meeting" && f[k] != v {
					t.Errorf("%s: the File in %s has %s %v, alone %v", when, where, k, f[k], v)
				}
			}
		}
	}
	// wantListed checks that the file list with the filter q has the File or not.
	wantListed := func(q string, want bool) {
		t.Helper()
		found := false
		for _, f := range oparlAll(t, s, "/oparl/v1.1/body/ASN/file?"+q) {
			found = found || f["id"] == fileID
		}
		if found != want {
			t.Errorf("the file list ?%s has the File: %v, want %v", q, found, want)
		}
	}
	filter := func(k string, at time.Time) string { return k + "=" + url.QueryEscape(at.Format(time.RFC3339)) }

	first := now.Add(72 * time.Hour)
	s.At(first)
	if _, err := s.Store.Publish(ctx, m.ID, sec, db.RedactionInput{}, pdf); err != nil {
		t.Fatal(err)
	}
	wantFile("first publication", first, first)
	wantListed(filter("created_since", first), true)
	wantListed(filter("created_until", first.Add(-time.Second)), false)

	// Published again: the PDF is replaced, the File is the same one.
	second := first.Add(48 * time.Hour)
	s.At(second)
	if _, err := s.Store.Publish(ctx, m.ID, sec, db.RedactionInput{Version: 1}, pdf); err != nil {
		t.Fatal(err)
	}
	wantFile("second publication", first, second)
	wantListed(filter("created_since", first.Add(time.Second)), false)
	wantListed(filter("modified_since", second), true)
	wantListed(filter("modified_until", second.Add(-time.Second)), false)
}
