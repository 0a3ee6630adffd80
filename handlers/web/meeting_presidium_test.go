package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/workflow"
)

// The presidium keeps no protokoll: the decision form says so, the notice
// names no §, the agenda shows the case handled without one, its record and
// PDF number nothing; the arbetsutskott after it gives its own §.
func TestPresidiumHandlingHasNoParagraph(t *testing.T) {
	ms := newMeetingSite(t)
	ctx := context.Background()
	c := extraMeetingCase(t, ms.Store, "Riktlinjer för avtalsuppföljning")
	sec, _ := ms.Store.UserByEmail(ctx, "sekreterare@kommun.example")
	pm, err := ms.Store.MarkNoticeSent(ctx, c.Route[0].MeetingID, sec)
	if err != nil {
		t.Fatal(err)
	}
	b := ms.Held(pm)
	path := meetingURL(pm.ID) + "/decisions/" + c.Number
	form := b.Get(path)
	form.Has(t, "ASN presidieberedning för inget protokoll, så behandlingen får ingen paragraf.")
	form.HasNot(t, "Beslutet får nästa paragraf")
	if p := b.Post(path, url.Values{"version": {formOf(form).Get("version")}, "type": {"handled"}, "text": {"Presidiet har berett ärendet."}}); p.Status != http.StatusSeeOther {
		t.Fatalf("handled at the presidium: %d\n%s", p.Status, p.Body)
	}
	page := b.Get(meetingURL(pm.ID))
	page.Has(t, "Behandlingen av "+c.Number+" är registrerad: Behandlat.", "Behandlat")
	page.HasNot(t, "§")
	record := b.Get(meetingURL(pm.ID) + "/protokoll")
	record.Has(t, `id="arende-`+c.Number+`"`, "Presidiet har berett ärendet.")
	record.HasNot(t, "§", "utdrag.pdf")
	pdf := b.Get(meetingURL(pm.ID) + "/protokoll.pdf")
	if text := pdftest.Text(t, []byte(pdf.Body)); pdf.Status != 200 || strings.Contains(text, "§") || !strings.Contains(text, "Riktlinjer för avtalsuppföljning") {
		t.Errorf("the presidium's PDF (%d):\n%s", pdf.Status, text)
	}
	if p := b.Get(meetingURL(pm.ID) + "/paragraphs/0/utdrag.pdf"); p.Status != http.StatusNotFound {
		t.Errorf("an extract of no §: %d", p.Status)
	}

	// The arbetsutskott numbers its own.
	moved, err := ms.Store.Case(ctx, c.Number)
	if err != nil || moved.Stage != workflow.StageWorkingCommittee {
		t.Fatalf("after the presidium: %s, %v", moved.Stage, err)
	}
	am, err := ms.Store.MarkNoticeSent(ctx, moved.Route[1].MeetingID, sec)
	if err != nil {
		t.Fatal(err)
	}
	b = ms.Held(am)
	path = meetingURL(am.ID) + "/decisions/" + c.Number
	form = b.Get(path)
	form.Has(t, "Beslutet får nästa paragraf i ASN arbetsutskotts protokoll")
	if p := b.Post(path, url.Values{"version": {formOf(form).Get("version")}, "type": {"handled"}, "text": {"Arbetsutskottet har berett ärendet."}}); p.Status != http.StatusSeeOther {
		t.Fatalf("handled at the AU: %d", p.Status)
	}
	pars, err := ms.Store.CaseParagraphs(ctx, c.Number)
	if err != nil || len(pars) != 1 || pars[0].Body != "ASN-AU" || pars[0].Label == "" {
		t.Fatalf("the case's paragraphs: %+v, %v", pars, err)
	}
	b.Get(meetingURL(am.ID)).Has(t, pars[0].Label+" för "+c.Number+" är registrerad: Behandlat.")
	// The case lists the AU's § only; its history records the presidium's handling.
	casePage := b.Get("/cases/" + c.Number)
	casePage.Has(t, "Protokollsparagrafer", pars[0].Label+"</a> ASN arbetsutskott")
	casePage.HasNot(t, "</a> ASN presidieberedning "+pm.Date.String()+": ")
}
