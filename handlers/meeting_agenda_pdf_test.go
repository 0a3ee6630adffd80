package handlers_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/apitest"
	"github.com/kommun/beslutsgang/internal/pdftest"
)

// The föredragningslista as PDF, at the page address (browser session or
// bearer token) and under the API: every point, a case with its proposals, a
// secret case by number only, for staff of its own board too. Without a login
// there is none.
func TestAgendaPDF(t *testing.T) {
	ms := newMeetingSite(t)
	m, number := ms.BoardMeeting()
	secret := newSecrecyCase(t, ms, "HEMLIG", true, m)
	open := newSecrecyCase(t, ms, "OPPEN", false, m)
	for _, c := range []secrecyCase{secret, open} {
		actAPI(t, ms, apiToken(t, ms.Base, officerEmail(c)), c.number, "submit")
		actAPI(t, ms, apiToken(t, ms.Base, approverEmail(c)), c.number, "approve")
	}
	items, err := ms.Store.Agenda(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	onAgenda := map[string]bool{}
	for _, it := range items {
		if it.Case != nil {
			onAgenda[it.Case.Number] = true
		}
	}
	if !onAgenda[number] || !onAgenda[secret.number] || !onAgenda[open.number] {
		t.Fatalf("the agenda of %d holds %v, want %s, %s and %s", m.ID, onAgenda, number, secret.number, open.number)
	}

	id := strconv.FormatInt(m.ID, 10)
	sec := apiToken(t, ms.Base, "sekreterare@kommun.example")
	wantAgenda := func(who string, r apitest.Response) {
		t.Helper()
		if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(r.Header.Get("Content-Disposition"), "foredragningslista-ASN-"+m.Date.String()+".pdf") {
			t.Fatalf("%s: %d %s %s\n%s", who, r.Status, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"), r.Body)
		}
		text := strings.Join(strings.Fields(pdftest.Text(t, r.Body)), " ")
		for _, want := range []string{"FÖREDRAGNINGSLISTA", "Mötets öppnande", "Diarienummer " + number,
			"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna delårsrapporten",
			"Aaa sekretessprov OPPENTITEL", "Nämnden föreslås besluta att OPPENFORSLAG",
			"Ärende som omfattas av sekretess Diarienummer " + secret.number} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the föredragningslista lacks %q:\n%s", who, want, text)
			}
		}
		for _, mk := range secret.markers {
			if strings.Contains(text, mk) {
				t.Errorf("%s: the föredragningslista carries %q of the secret case", who, mk)
			}
		}
	}
	wantAgenda("API, the secretary", apitest.Send(t, http.DefaultClient, "GET", ms.Base+"/api/v1/meetings/"+id+"/agenda.pdf", sec, nil))
	wantAgenda("page address with a token, the secretary", apitest.Send(t, http.DefaultClient, "GET", ms.Base+"/meetings/"+id+"/agenda.pdf", sec, nil))
	wantAgenda("API, an officer", apitest.Send(t, http.DefaultClient, "GET", ms.Base+"/api/v1/meetings/"+id+"/agenda.pdf",
		apiToken(t, ms.Base, "handlaggare@kommun.example"), nil))
	p := ms.Login("ledamot@kommun.example").Get("/meetings/" + id + "/agenda.pdf")
	wantAgenda("page, a member", apitest.Response{Status: p.Status, Header: p.Header, Body: []byte(p.Body)})

	if r := apitest.Send(t, http.DefaultClient, "GET", ms.Base+"/api/v1/meetings/"+id+"/agenda.pdf", "", nil); r.Status != 401 {
		t.Errorf("the API föredragningslista without a token: %d", r.Status)
	}
	if p := ms.Browser().Get("/meetings/" + id + "/agenda.pdf"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login?next=") {
		t.Errorf("the föredragningslista without a login: %d to %q, want the login page", p.Status, p.Location)
	}
	for _, bad := range []string{"999999", "abc"} {
		if r := apitest.Send(t, http.DefaultClient, "GET", ms.Base+"/api/v1/meetings/"+bad+"/agenda.pdf", sec, nil); r.Status != 404 {
			t.Errorf("the föredragningslista of meeting %s: %d", bad, r.Status)
		}
	}
}
