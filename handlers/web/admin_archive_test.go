package web_test

import (
	"context"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/metrics"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/earchive"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/handlers/internal/handlertest"
	"github.com/kommun/beslutsgang/workflow"
)

// TestArchiveDeliveryPage: an administrator starts an e-archive delivery
// from the admin page; the page shows its progress as a bar and, once done,
// the package is complete and every delivered case has left the list of
// cases due. Bad input is refused on the form and changes nothing; others
// than administrators get no page.
func TestArchiveDeliveryPage(t *testing.T) {
	exportDir := t.TempDir()
	const ground = "OSL 26 kap. 1 § (testgrund)"
	s := handlertest.NewSiteWith(t, handlers.Config{ExportDir: exportDir, SecrecyGround: ground}, nil)
	ctx := context.Background()
	withdrawSecretCase(t, s.Store)
	before := workflow.Today(time.Now()).AddDays(1)
	due, err := s.Store.ClosedCases(ctx, "ASN", before.Time(workflow.Stockholm))
	if err != nil || len(due) == 0 {
		t.Fatalf("closed cases due: %v, %v", due, err)
	}

	secretary := s.Browser()
	secretary.Login("sekreterare@kommun.example")
	if p := secretary.Get("/admin/arkivleverans"); p.Status != http.StatusForbidden {
		t.Errorf("secretary GET: %d", p.Status)
	}

	b := s.Browser()
	b.Login("admin@kommun.example")
	p := b.Get("/admin/arkivleverans")
	if p.Status != http.StatusOK {
		t.Fatalf("GET: %d", p.Status)
	}
	p.Has(t, "<h1>Arkivleverans</h1>", `<option value="ASN"`, `name="format" value="erms" checked`, `value="fgs1"`)
	unchanged := s.Fingerprint()
	for _, c := range []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"bad date", url.Values{"board": {"ASN"}, "closed_before": {"2026-02-30"}, "format": {"erms"}}, "closed_before", "2026-02-30 finns inte"},
		{"no date", url.Values{"board": {"ASN"}, "closed_before": {""}, "format": {"erms"}}, "closed_before", "Ange ett datum"},
		{"unknown format", url.Values{"board": {"ASN"}, "closed_before": {before.String()}, "format": {"pdf"}}, "format", "Välj ett av formaten"},
		{"unknown board", url.Values{"board": {"XYZ"}, "closed_before": {before.String()}, "format": {"erms"}}, "board", "Välj en nämnd som du administrerar"},
	} {
		p := b.Post("/admin/arkivleverans", c.form)
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError(c.field), c.want) {
			t.Errorf("%s: %d, %s: %q", c.name, p.Status, c.field, p.FieldError(c.field))
		}
	}
	p = b.Post("/admin/arkivleverans", url.Values{"board": {"ASN"}, "closed_before": {"2019-01-01"}, "format": {"erms"}})
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "har inga avslutade ärenden före 2019-01-01") {
		t.Errorf("nothing to deliver: %d", p.Status)
	}
	if p := b.PostRaw("/admin/arkivleverans", url.Values{"board": {"ASN"}, "closed_before": {before.String()}, "format": {"erms"}}); p.Status != http.StatusForbidden {
		t.Errorf("without CSRF token: %d", p.Status)
	}
	if p := secretary.Post("/admin/arkivleverans", url.Values{"board": {"ASN"}, "closed_before": {before.String()}, "format": {"erms"}}); p.Status != http.StatusForbidden {
		t.Errorf("secretary POST: %d", p.Status)
	}
	s.Unchanged(unchanged)

	b.Get("/admin/arkivleverans")
	p = b.Post("/admin/arkivleverans", url.Values{"board": {"ASN"}, "closed_before": {before.String()}, "format": {"fgs1"}})
	if p.Status != http.StatusSeeOther || p.Location != "/admin/arkivleverans?started=1" {
		t.Fatalf("start: %d %s\n%s", p.Status, p.Location, p.Body)
	}
	n := strconv.Itoa(len(due))
	deadline := time.Now().Add(60 * time.Second)
	for {
		p = b.Get("/admin/arkivleverans")
		if strings.Contains(p.Body, "Klart") || strings.Contains(p.Body, "error-text") || time.Now().After(deadline) {
			break
		}
		if !strings.Contains(p.Body, `<progress id="archive-progress" max="`) {
			t.Fatalf("no progress bar while running:\n%s", p.Body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.Has(t, `<progress id="archive-progress" max="`+n+`" value="`+n+`">100 %</progress>`, n+" av "+n+" ärenden (100 %)", "Klart: "+n+" ärenden")
	dir := filepath.Join(exportDir, "ASN-"+before.String()+"-fgs1")
	if err := earchive.Verify(dir); err != nil {
		t.Errorf("the package: %v", err)
	}
	// serve --secrecy-ground reaches the page's deliveries (the trial's
	// deliveries from the page always had the default).
	if meta, err := os.ReadFile(filepath.Join(dir, "metadata/descriptive/Arendehantering.xml")); err != nil || !strings.Contains(string(meta), ground) {
		t.Errorf("the package's secret cases lack the configured ground %q (%v)", ground, err)
	}
	if left, err := s.Store.ClosedCases(ctx, "ASN", before.Time(workflow.Stockholm)); err != nil || len(left) != 0 {
		t.Errorf("cases still due after the delivery: %v, %v", left, err)
	}
	// The case's history says it was delivered.
	secretary.Get("/cases/"+due[0].Number).Has(t, "Levererat till e-arkivet")
	// An administrator of another board sees no detail of ASN's delivery
	// (who, what, the server's folder), the trial's point 12.
	if _, err := s.Store.SeedUser(ctx, db.NewUser{Email: "ks-admin@kommun.example", Name: "Kim Admin", Password: demo.Password,
		Grants: []workflow.Grant{{Board: "KS", Role: workflow.RoleAdmin}}}); err != nil {
		t.Fatal(err)
	}
	other := s.Browser()
	other.Login("ks-admin@kommun.example")
	if p := other.Get("/admin/arkivleverans"); p.Status != http.StatusOK || strings.Contains(p.Body, "Senaste leveransen") ||
		strings.Contains(p.Body, dir) || strings.Contains(p.Body, "ASN, ärenden avslutade") {
		t.Errorf("another board's admin sees the delivery: %d\n%s", p.Status, p.Body)
	}
	// And the service's metrics show the delivery's progress (issue 14).
	rec := httptest.NewRecorder()
	metrics.New(s.Store, nil).Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, want := range []string{"beslutsgang_export_items_done " + n + "\n", "beslutsgang_export_items_total " + n + "\n"} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("metrics lack %q:\n%s", want, rec.Body.String())
		}
	}
}

// withdrawSecretCase closes the demo's open secret case of ASN (its officer
// withdraws it), so a delivery of ASN holds a secret case.
func withdrawSecretCase(t *testing.T, s *db.Store) {
	t.Helper()
	ctx := context.Background()
	page, err := s.Cases(ctx, db.CaseFilter{Board: "ASN", PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range page.Items {
		if !it.Secret || it.Stage == workflow.StageClosed {
			continue
		}
		c, err := s.Case(ctx, it.Number)
		if err != nil {
			t.Fatal(err)
		}
		officer, err := s.User(ctx, c.Officer.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Act(ctx, it.Number, officer, workflow.Command{Action: workflow.ActWithdraw, Version: c.Version, Reason: "Målet avskrevs"}); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("the demo has no open secret case of ASN")
}
