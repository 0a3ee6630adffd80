package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/handlers/internal/handlertest"
	"github.com/kommun/beslutsgang/workflow"
)

// TestArchiveRefusalKeepsLastDelivery: a delivery the store refuses
// (nothing left to deliver) comes back on the form, and the page still
// shows the latest delivery that did run, not an empty status.
func TestArchiveRefusalKeepsLastDelivery(t *testing.T) {
	s := handlertest.NewSiteWith(t, handlers.Config{ExportDir: t.TempDir()}, nil)
	before := workflow.Today(time.Now()).AddDays(1)
	due, err := s.Store.ClosedCases(context.Background(), "ASN", before.Time(workflow.Stockholm))
	if err != nil || len(due) == 0 {
		t.Fatalf("closed cases due: %v, %v", due, err)
	}
	b := s.Browser()
	b.Login("admin@kommun.example")
	b.Get("/admin/arkivleverans")
	form := url.Values{"board": {"ASN"}, "closed_before": {before.String()}, "format": {"erms"}}
	if p := b.Post("/admin/arkivleverans", form); p.Status != http.StatusSeeOther {
		t.Fatalf("start: %d\n%s", p.Status, p.Body)
	}
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(b.Get("/admin/arkivleverans").Body, "Klart") {
		if time.Now().After(deadline) {
			t.Fatal("the delivery did not finish")
		}
		time.Sleep(50 * time.Millisecond)
	}
	done := "Klart: " + strconv.Itoa(len(due)) + " ärenden"

	// Nothing was closed before 2019: refused.
	p := b.Post("/admin/arkivleverans", url.Values{"board": {"ASN"}, "closed_before": {"2019-01-01"}, "format": {"erms"}})
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "som inte redan levererats") {
		t.Fatalf("nothing left to deliver: %d\n%s", p.Status, p.Body)
	}
	for _, p := range []handlertest.Page{p, b.Get("/admin/arkivleverans")} {
		p.Has(t, "Senaste leveransen", done)
	}
}
