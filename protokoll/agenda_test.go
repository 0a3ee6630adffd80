package protokoll

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/workflow"
)

func agendaFixture() (workflow.Meeting, []AgendaPoint) {
	m := minutesFixture().Meeting
	m.Status, m.JustifiedAt, m.PostedOn = workflow.MeetingNoticeSent, nil, workflow.Date{}
	return m, []AgendaPoint{
		{Title: "Mötets öppnande"},
		{Title: "Val av justerare"},
		{Title: "Internationell redovisning 2019", CaseNumber: "ASN-2019-17886",
			Proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna redovisningen",
				"Nämnden föreslås besluta att skicka redovisningen till kommunstyrelsen"}},
		{Title: "Hemlig placering", CaseNumber: "ASN-2019-18002", Secret: true,
			Proposals: []string{"Nämnden föreslås besluta att bevilja den hemliga placeringen"}},
		{Title: "Information från förvaltningen"},
	}
}

func TestAgendaPDF(t *testing.T) {
	m, points := agendaFixture()
	pdf, err := Agenda(m, points)
	if err != nil {
		t.Fatal(err)
	}
	text := flat(pdftest.Text(t, pdf))
	for _, want := range []string{
		"Arbetsmarknads- och socialnämnden", "FÖREDRAGNINGSLISTA", "Sammanträdesdatum 2020-01-30", "13:00–16:00",
		"Stadshuset, sal Öresund",
		"1. Mötets öppnande", "2. Val av justerare",
		"3. Internationell redovisning 2019", "Diarienummer ASN-2019-17886", "Förslag till beslut",
		"1. Arbetsmarknads- och socialnämnden föreslås besluta att godkänna redovisningen",
		"2. Nämnden föreslås besluta att skicka redovisningen till kommunstyrelsen",
		"4. Ärende som omfattas av sekretess", "Diarienummer ASN-2019-18002",
		"5. Information från förvaltningen",
		"sida 1 av 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the föredragningslista lacks %q:\n%s", want, text)
		}
	}
	for _, secret := range []string{"Hemlig placering", "hemliga placeringen"} {
		if strings.Contains(text, secret) {
			t.Errorf("the föredragningslista carries %q of a secret case", secret)
		}
	}
	for _, never := range []string{"UTKAST", "PROTOKOLL"} {
		if strings.Contains(text, never) {
			t.Errorf("the föredragningslista says %q", never)
		}
	}
	// The points come in their order.
	if i, j := strings.Index(text, "3. Internationell"), strings.Index(text, "4. Ärende"); i < 0 || j < i {
		t.Errorf("point 3 at %d, point 4 at %d", i, j)
	}
	again, _ := Agenda(m, points)
	if !bytes.Equal(pdf, again) {
		t.Error("the same föredragningslista renders to different bytes")
	}

	// A meeting held but not justerat has no draft mark on its agenda.
	m.Status = workflow.MeetingHeld
	held, err := Agenda(m, points)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(pdftest.Text(t, held), "UTKAST") {
		t.Error("the agenda of a held meeting is marked as a draft protokoll")
	}
}

func TestEmptyAgendaPDF(t *testing.T) {
	m, _ := agendaFixture()
	pdf, err := Agenda(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if text := pdftest.Text(t, pdf); !strings.Contains(text, "Föredragningslistan har inga punkter än.") {
		t.Errorf("an empty agenda says:\n%s", text)
	}
}

// A long agenda breaks over pages without overlapping text, and every name
// prints in the embedded font.
func TestLongAgendaPDF(t *testing.T) {
	m, _ := agendaFixture()
	var points []AgendaPoint
	for i := range 60 {
		points = append(points, AgendaPoint{Title: fmt.Sprintf("Bidrag till %ss stiftelse %d", polishName, i+1),
			CaseNumber: fmt.Sprintf("ASN-2020-%d", 100+i),
			Proposals:  []string{"Bevilja " + bosnianName + " bidrag. " + samiText}})
	}
	pdf, err := Agenda(m, points)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, pdf)
	if len(pages) < 3 {
		t.Fatalf("60 points on %d pages", len(pages))
	}
	text := flat(strings.Join(pages, "\n"))
	for _, want := range []string{"60. Bidrag till " + polishName + "s stiftelse 60", "Diarienummer ASN-2020-159",
		"Bevilja " + bosnianName + " bidrag. " + samiText, fmt.Sprintf("sida %d av %d", len(pages), len(pages))} {
		if !strings.Contains(text, want) {
			t.Errorf("the long agenda lacks %q", want)
		}
	}
	assertNoOverlap(t, pdfWords(t, pdf))
	// No point's title ends a page alone.
	for i, p := range pages[:len(pages)-1] {
		lines := strings.Split(strings.TrimRight(p, "\n "), "\n")
		var last string
		for j := len(lines) - 1; j >= 0; j-- {
			if l := strings.TrimSpace(lines[j]); l != "" && !strings.Contains(l, "sida ") {
				last = l
				break
			}
		}
		if strings.Contains(last, "Bidrag till") || strings.HasPrefix(last, "Diarienummer") || last == "Förslag till beslut" {
			t.Errorf("page %d ends with %q, apart from what follows it", i+1, last)
		}
	}
}
