package e2e

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/workflow"
)

// intakeNumber is the number the test's tjänsteskrivelse carries, in the
// service's own form, so the case is registered with it.
const intakeNumber = "ASN-2026-9001"

// routeDates are meeting dates ahead from the demo's plan: a presidium, the
// arbetsutskott after it and the nämnd after that.
func routeDates(t *testing.T, store *db.Store) (pb, au, asn string) {
	t.Helper()
	ctx := context.Background()
	today := workflow.Today(time.Now())
	last := func(body string, from, to workflow.Date) workflow.Date {
		ms, err := store.Meetings(ctx, db.MeetingFilter{Body: body, From: from, To: to})
		if err != nil || len(ms) == 0 {
			t.Fatalf("meetings of %s from %s to %s: %v %v", body, from, to, ms, err)
		}
		return ms[len(ms)-1].Date
	}
	n := last("ASN", today.AddDays(28), today.AddDays(400))
	a := last("ASN-AU", today.AddDays(14), n)
	p := last("ASN-PB", today.AddDays(7), a)
	return p.String(), a.String(), n.String()
}

// tjansteskrivelse is the HTML the test prints to PDF: a report in the
// layout the kommun writes, over more than one page.
func tjansteskrivelse(pb, au, asn string) string {
	var filler strings.Builder
	for i := 0; i < 14; i++ {
		filler.WriteString("<p>Förvaltningen har under året följt upp feriearbetet tillsammans med skolorna, näringslivet och " +
			"föreningarna. Uppföljningen visar att fler ungdomar har fått en första kontakt med arbetslivet.</p>\n")
	}
	return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Tjänsteskrivelse</title>
<style>body { font: 11pt serif; } h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 1.2em; } ul { padding-left: 1.2em; }</style>
</head><body>
<p>Tjänsteskrivelse</p>
<h1>Handlingsplan för feriearbete 2027</h1>
<p>` + intakeNumber + `</p>
<h2>Sammanfattning</h2>
<p>Kommunstyrelsen har gett arbetsmarknads- och socialnämnden i uppdrag att ta fram en handlingsplan för feriearbete 2027.</p>
<h2>Förslag till beslut</h2>
<p>1. Arbetsmarknads- och socialnämnden föreslås besluta att anta handlingsplanen för feriearbete 2027</p>
<p>2. Arbetsmarknads- och socialnämnden skickar handlingsplanen till kommunstyrelsen</p>
<h2>Beslutsunderlag</h2>
<ul><li>Handlingsplan för feriearbete 2027, förslag</li></ul>
<h2>Beslutsplanering</h2>
<p>Referensgruppen för ungdomsfrågor ` + pb + `</p>
<p>Arbetsmarknads- och socialnämndens arbetsutskott ` + au + `</p>
<p>Arbetsmarknads- och socialnämnden ` + asn + `</p>
<h2>Beslutet skickas till</h2>
<p>Kommunstyrelsen</p>
<h2>Ärendet</h2>
` + filler.String() + `
<h2>Ansvariga</h2>
<p>Jonas Magnusson&nbsp;&nbsp;&nbsp;&nbsp;Enhetschef</p>
</body></html>`
}

// printPDF prints html to a PDF with Chromium, with a running header and a
// page footer as a word processor writes them, and returns the file's path.
func (b *browser) printPDF(html, name string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("data:text/html;charset=utf-8,"+url.PathEscape(html))); err != nil {
		b.t.Fatalf("open the document: %v", err)
	}
	on, margin := true, 0.9
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{
		DisplayHeaderFooter: &on, MarginTop: &margin, MarginBottom: &margin,
		HeaderTemplate: `<div style="font-size:9px; width:100%; padding:0 1cm;">Tjänsteskrivelse ` + intakeNumber + `</div>`,
		FooterTemplate: `<div style="font-size:9px; width:100%; text-align:right; padding:0 1cm;">Sida <span class="pageNumber"></span> (<span class="totalPages"></span>)</div>`,
	})
	if err != nil {
		b.t.Fatalf("print to PDF: %v", err)
	}
	if !strings.HasPrefix(string(res.Data), "%PDF") {
		b.t.Fatalf("Chromium printed %d bytes that are not a PDF", len(res.Data))
	}
	file := filepath.Join(b.t.TempDir(), name)
	if err := os.WriteFile(file, res.Data, 0o600); err != nil {
		b.t.Fatal(err)
	}
	return file
}

// An officer uploads a tjänsteskrivelse printed to PDF, corrects the route
// step the reader could not map on the review page, and registers the case
// with the PDF as its first attachment.
func TestNewCaseFromDocument(t *testing.T) {
	base, store := startService(t, handlers.Config{}, nil, nil)
	axe := axeSource(t)
	pb, au, asn := routeDates(t, store)
	b := newBrowser(t, base)
	pdf := b.printPDF(tjansteskrivelse(pb, au, asn), "Handlingsplan feriearbete.pdf")

	b.open("/login")
	b.login("handlaggare@kommun.example", demo.Password, 200)
	b.open("/cases")
	if st := b.submit(`a[href="/cases/new/document"]`); st != 200 {
		t.Fatalf("the upload page: %d", st)
	}
	b.upload("#file", pdf)
	b.set("#board", "ASN")
	if st := b.submit(`main form button[type=submit]`); st != 200 {
		t.Fatalf("upload: %d (%s)", st, b.text("main"))
	}
	b.expect("h1", "Granska ärendet från dokumentet")
	b.expect(".document-note", "Handlingsplan feriearbete.pdf", "sparas som ärendets första bilaga", "Handlingsplan för feriearbete 2027, förslag")
	b.expect("#route-0-warning", "Kontrollera:", "Referensgruppen för ungdomsfrågor")
	b.expect(".warning-summary", "Referensgruppen för ungdomsfrågor")
	if got := b.value("#route-1"); got != "ASN-AU" {
		t.Errorf("route step 2 mapped to %q, want ASN-AU", got)
	}
	b.screenshot("intake-review")
	b.checkAccessibility(axe, "the review of an uploaded document")

	// The page furniture (the running header "Tjänsteskrivelse ASN-…", the
	// footer "Sida N (M)") is neither the title nor a person.
	if got := b.value("#title"); got != "Handlingsplan för feriearbete 2027" {
		t.Errorf("title = %q, want the document's heading", got)
	}
	if n := b.count(`select[name=approver_email]`); n != 1 || b.value("#approvers-0") != "jonas.magnusson@kommun.example" {
		t.Errorf("%d approvers, the first %q; want Jonas Magnusson alone", n, b.value("#approvers-0"))
	}
	// The body the reader could not map is chosen by hand (the warning is
	// still beside it after the row buttons); then confirm.
	b.expect("#route-0-warning", "Referensgruppen för ungdomsfrågor")
	b.set("#route-0", "ASN-PB")
	if st := b.submit(`.actions-row button[value=save]`); st != 200 {
		t.Fatalf("confirm: %d (%s)", st, b.text("main"))
	}
	b.expect("h1", "Handlingsplan för feriearbete 2027")
	c, err := store.Case(context.Background(), intakeNumber)
	if err != nil {
		t.Fatalf("the case %s: %v (page: %s)", intakeNumber, err, b.text("main"))
	}
	var route []string
	for _, s := range c.Route {
		route = append(route, s.Body.Code+" "+s.Date.String())
	}
	if strings.Join(route, ", ") != "ASN-PB "+pb+", ASN-AU "+au+", ASN "+asn {
		t.Errorf("route %q", route)
	}
	if len(c.Attachments) != 2 || c.Attachments[0].Name != "Handlingsplan feriearbete.pdf" || c.Attachments[0].SHA256 == "" {
		t.Errorf("attachments %+v", c.Attachments)
	}
	b.expect("main", "ASN presidieberedning", "Handlingsplan feriearbete.pdf")
}
