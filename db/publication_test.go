package db

import (
	"bytes"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// A protokoll is reviewed while held, published once justerat, and may be
// published again; each publication stays, and each notes an event on the
// cases of the protokoll.
func TestPublishProtokoll(t *testing.T) {
	w := newMeetingWorld(t)
	m, c := heldBoardMeeting(t, w)
	par, _ := w.decide(m, c.Number, workflow.DecisionApproved)
	n := workflow.ParagraphLabel(par.Number)[2:]
	pdf := PublishedPDF{Data: []byte("%PDF-1.7 test"), Tagged: true}

	// Choices are checked and saved while held; publishing waits for justering.
	_, err := w.s.SaveRedaction(w.ctx, m.ID, w.secretary, RedactionInput{Withheld: []string{"999"}})
	wantMeetingErr(t, err, workflow.EINVALID)
	if _, ok, _ := w.s.PendingRedaction(w.ctx, m.ID); ok {
		t.Error("refused choices were saved")
	}
	_, err = w.s.SaveRedaction(w.ctx, m.ID, w.outsider, RedactionInput{})
	wantMeetingErr(t, err, workflow.EFORBIDDEN)
	if _, err := w.s.SaveRedaction(w.ctx, m.ID, w.secretary, RedactionInput{Withheld: []string{n}, Names: "Anna Ek"}); err != nil {
		t.Fatal(err)
	}
	if p, ok, err := w.s.PendingRedaction(w.ctx, m.ID); !ok || err != nil || len(p.Withheld) != 1 || p.Names[0] != "Anna Ek" || p.PublishedAt != nil {
		t.Errorf("saved choices: %+v %v %v", p, ok, err)
	}
	_, err = w.s.Publish(w.ctx, m.ID, w.secretary, RedactionInput{}, pdf)
	wantMeetingErr(t, err, workflow.ECONFLICT)
	if _, _, err := w.s.PublishedProtokoll(w.ctx, "ASN", m.Date); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("an unpublished protokoll: %v", err)
	}

	w.at(meetingDay(12), 10)
	w.must(w.s.Sign(w.ctx, m.ID, w.chair))
	w.must(w.s.Sign(w.ctx, m.ID, w.ledamot))
	_, err = w.s.Publish(w.ctx, m.ID, w.outsider, RedactionInput{}, pdf)
	wantMeetingErr(t, err, workflow.EFORBIDDEN)
	pub, err := w.s.Publish(w.ctx, m.ID, w.secretary, RedactionInput{Withheld: []string{n}, Names: "Anna Ek"}, pdf)
	if err != nil {
		t.Fatal(err)
	}
	if pub.PublishedBy == nil || pub.PublishedBy.ID != w.secretary.ID || len(pub.Withheld) != 1 {
		t.Errorf("publication: %+v", pub)
	}
	if _, ok, _ := w.s.PendingRedaction(w.ctx, m.ID); ok {
		t.Error("the saved choices outlive the publication")
	}
	pm, p, err := w.s.PublishedProtokoll(w.ctx, "ASN", m.Date)
	if err != nil || p.ID != pub.ID || len(pm.Paragraphs) != 1 || pm.Paragraphs[0].Shown || pm.Paragraphs[0].CaseTitle != workflow.NotOnWebText {
		t.Fatalf("published: %+v %+v %v", pm.Paragraphs, p, err)
	}
	got, err := w.s.PublishedProtokollPDF(w.ctx, "ASN", m.Date)
	if err != nil || !bytes.Equal(got.Data, pdf.Data) || !got.Tagged {
		t.Errorf("the PDF: %q %v", got.Data, err)
	}
	evs, _ := w.s.Events(w.ctx, c.Number)
	last := evs[len(evs)-1]
	if last.Action != "published" || last.Actor.ID != w.secretary.ID || !bytes.Contains(last.Payload, []byte(workflow.ParagraphLabel(par.Number))) ||
		bytes.Contains(last.Payload, []byte("Anna Ek")) {
		t.Errorf("the event: %s by %s, %s", last.Action, last.Actor.Name, last.Payload)
	}

	// The same form sent again (Publicera pressed twice) gets the same
	// publication; a form of the same version with other choices a conflict.
	again, err := w.s.Publish(w.ctx, m.ID, w.secretary, RedactionInput{Withheld: []string{n}, Names: "Anna Ek"}, pdf)
	if err != nil || again.ID != pub.ID || again.Seq != 1 {
		t.Errorf("the same form again: %+v %v, want publication %d", again, err, pub.ID)
	}
	_, err = w.s.Publish(w.ctx, m.ID, w.secretary, RedactionInput{}, pdf)
	wantMeetingErr(t, err, workflow.ECONFLICT)
	_, err = w.s.Publish(w.ctx, m.ID, w.secretary, RedactionInput{Version: 5}, pdf)
	wantMeetingErr(t, err, workflow.EINVALID)
	if pubs, _ := w.s.Publications(w.ctx, m.ID); len(pubs) != 1 {
		t.Errorf("repeated and refused forms made %d publications", len(pubs))
	}

	// Published again, with nothing withheld: both publications stay, the newest counts.
	if _, err := w.s.Publish(w.ctx, m.ID, w.secretary, RedactionInput{Version: 1}, PublishedPDF{Data: []byte("%PDF-2")}); err != nil {
		t.Fatal(err)
	}
	pubs, err := w.s.Publications(w.ctx, m.ID)
	if err != nil || len(pubs) != 2 || len(pubs[0].Withheld) != 0 || len(pubs[1].Withheld) != 1 || pubs[1].Names[0] != "Anna Ek" || !pubs[1].Tagged || pubs[0].Tagged {
		t.Errorf("publications: %+v %v", pubs, err)
	}
	if pm, _, _ := w.s.PublishedProtokoll(w.ctx, "ASN", m.Date); !pm.Paragraphs[0].Shown {
		t.Error("the newest publication does not count")
	}
	if got, _ := w.s.PublishedProtokollPDF(w.ctx, "ASN", m.Date); string(got.Data) != "%PDF-2" || got.Tagged {
		t.Errorf("the newest PDF: %q", got.Data)
	}
}
