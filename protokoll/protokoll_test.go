package protokoll

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/workflow"
)

func minutesFixture() workflow.Minutes {
	body := workflow.Body{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden", Kind: workflow.KindBoard, Board: "ASN", NoticeDays: 5}
	justified := time.Date(2020, 2, 4, 15, 30, 0, 0, workflow.Stockholm)
	m := workflow.Meeting{ID: 7, Body: body, Date: workflow.MustDate("2020-01-30"), Start: "13:00", End: "16:00",
		Place: "Stadshuset, sal Öresund", Status: workflow.MeetingPosted, JustifiedAt: &justified,
		PostedOn: workflow.MustDate("2020-02-05"), Secretary: workflow.Person{Name: "Erik Nyström"}, UpdatedAt: justified}
	signed1 := justified.Add(-26 * time.Hour)
	return workflow.Minutes{
		Meeting: m,
		Attendees: []workflow.Attendee{
			{Member: workflow.Member{Name: "Anna Ek", Role: workflow.MemberChair, UserID: 1}, Present: true, Adjuster: true, SignedAt: &signed1},
			{Member: workflow.Member{Name: "Bo Ström", Role: workflow.MemberRegular, UserID: 2}, Present: true, Adjuster: true, SignedAt: &justified},
			{Member: workflow.Member{Name: "Cilla Åström", Role: workflow.MemberSubstitute}, Present: false},
			{Member: workflow.Member{Name: "Erik Nyström", Role: workflow.MemberStaff}, Present: true},
		},
		Paragraphs: []workflow.Paragraph{
			{Number: 11, CaseNumber: "ASN-2019-17886", CaseTitle: "Internationell redovisning 2019", Type: workflow.DecisionApproved,
				Text:       "Arbetsmarknads- och socialnämnden beslutar att godkänna redovisningen och skicka den till kommunstyrelsen.",
				Proposals:  []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna redovisningen"},
				Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen"}}},
			{Number: 12, CaseNumber: "ASN-2019-18001", CaseTitle: "Avgifter inom hemtjänsten", Type: workflow.DecisionTabled,
				Text: "Nämnden bordlägger ärendet.", NextDate: workflow.MustDate("2020-02-27")},
			{Number: 13, CaseNumber: "ASN-2019-18002", CaseTitle: "Hemlig placering", Secret: true, Type: workflow.DecisionRejected,
				Text: "Nämnden avslår ansökan."},
		},
	}
}

func TestMinutesPDF(t *testing.T) {
	pdf, err := Minutes(minutesFixture())
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, pdf)
	for _, want := range []string{
		"Arbetsmarknads- och socialnämnden", "PROTOKOLL", "2020-01-30", "13:00–16:00", "Stadshuset, sal Öresund",
		"§ 11–13",
		"§ 11", "Internationell redovisning 2019", "ASN-2019-17886", "Beslut – Bifall enligt förslaget",
		"beslutar att godkänna redovisningen",
		"§ 12", "Avgifter inom hemtjänsten", "Beslut – Bordläggning", "bordläggs till sammanträdet den 2020-02-27",
		"§ 13", "Ärende som omfattas av sekretess", "Beslut – Avslag",
		"Anna Ek (ordförande)", "Frånvarande", "Cilla Åström (ersättare)", "Erik Nyström (tjänsteperson)",
		"Justerat digitalt 2020-02-03 13:30", "Justerat digitalt 2020-02-04 15:30",
		"Anslaget", "2020-02-05", "Sista dag att överklaga", "2020-02-26", "Laga kraft", "2020-02-27",
		"sida 1 av",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("protokoll text lacks %q", want)
		}
	}
	if strings.Contains(text, "Hemlig placering") {
		t.Error("the title of a secret case is in the protokoll")
	}
	if strings.Contains(text, "UTKAST") {
		t.Error("a justerat protokoll is marked as a draft")
	}
	// The paragraphs come in order.
	if i, j := strings.Index(text, "§ 11 "), strings.Index(text, "§ 12 "); i < 0 || j < i {
		t.Errorf("§ 11 at %d, § 12 at %d", i, j)
	}
	again, _ := Minutes(minutesFixture())
	if !bytes.Equal(pdf, again) {
		t.Error("the same protokoll renders to different bytes")
	}
}

func TestDraftMinutesAreMarked(t *testing.T) {
	min := minutesFixture()
	min.Meeting.Status, min.Meeting.JustifiedAt, min.Meeting.PostedOn = workflow.MeetingHeld, nil, workflow.Date{}
	for i := range min.Attendees {
		min.Attendees[i].SignedAt = nil
	}
	pdf, err := Minutes(min)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, pdf)
	for _, want := range []string{"UTKAST – protokollet är inte justerat", "Ej justerat"} {
		if !strings.Contains(text, want) {
			t.Errorf("draft protokoll lacks %q", want)
		}
	}
	if strings.Contains(text, "Laga kraft") {
		t.Error("a protokoll not posted shows a laga-kraft date")
	}
}

func TestExtractPDF(t *testing.T) {
	min := minutesFixture()
	pdf, err := Extract(min, min.Paragraphs[0])
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, pdf)
	for _, want := range []string{"PROTOKOLLSUTDRAG", "§ 11", "Internationell redovisning 2019", "Förslag till beslut",
		"Beslutet skickas till", "Kommunstyrelsen", "Justerat digitalt", "Laga kraft", "Rätt utdraget intygar: Erik Nyström"} {
		if !strings.Contains(text, want) {
			t.Errorf("utdrag text lacks %q", want)
		}
	}
	if strings.Contains(text, "§ 12") {
		t.Error("the utdrag holds another paragraph")
	}
}

// An utdrag of a justerat protokoll not yet posted (dispatched the day of
// justering) tells its recipient how the appeal period will run; before, it
// said nothing of the appeal at all. A draft says nothing of it.
func TestExtractBeforeAnslag(t *testing.T) {
	min := minutesFixture()
	min.Meeting.PostedOn = workflow.Date{}
	pdf, err := Extract(min, min.Paragraphs[0])
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, pdf)
	for _, want := range []string{"Anslag", "har ännu inte tillkännagivits", "inom tre veckor", "13 kap. 5 §"} {
		if !strings.Contains(text, want) {
			t.Errorf("utdrag before anslag lacks %q", want)
		}
	}
	if strings.Contains(text, "Laga kraft") {
		t.Error("an utdrag before anslag shows a laga-kraft date")
	}
	min.Meeting.Status, min.Meeting.JustifiedAt = workflow.MeetingHeld, nil
	if pdf, err = Extract(min, min.Paragraphs[0]); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(pdftest.Text(t, pdf), "tre veckor") {
		t.Error("a draft utdrag speaks of the appeal")
	}
}
