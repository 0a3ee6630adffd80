package db

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// publicationRows is every row of the meeting's protokoll_publications and
// the number of events: what a refused save or publication must not change.
func (w *meetingWorld) publicationRows(meetingID int64) string {
	w.t.Helper()
	rows, err := w.s.r.QueryContext(w.ctx, `SELECT id, COALESCE(seq, 0), withheld, names, saved_by, saved_at
		FROM protokoll_publications WHERE meeting_id = ? ORDER BY id`, meetingID)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	var out strings.Builder
	for rows.Next() {
		var id, seq, by int64
		var withheld, names, at string
		if err := rows.Scan(&id, &seq, &withheld, &names, &by, &at); err != nil {
			w.t.Fatal(err)
		}
		fmt.Fprintf(&out, "%d seq=%d withheld=%q names=%q by=%d at=%s\n", id, seq, withheld, names, by, at)
	}
	if err := rows.Err(); err != nil {
		w.t.Fatal(err)
	}
	var events int
	if err := w.s.r.QueryRowContext(w.ctx, `SELECT COUNT(*) FROM events`).Scan(&events); err != nil {
		w.t.Fatal(err)
	}
	fmt.Fprintf(&out, "events=%d\n", events)
	return out.String()
}

// wantConflict fails unless err is ECONFLICT with every part in its message.
func wantConflict(t *testing.T, err error, parts ...string) {
	t.Helper()
	wantMeetingErr(t, err, workflow.ECONFLICT)
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("the conflict %q does not say %q", err, p)
		}
	}
}

// The saved choices are not replaced unseen: a save or a publication from a
// page made before another secretary saved other choices, or before a
// publication, is refused with who did it and when, and changes nothing;
// the same choices sent again, and a save then a publication from the
// page, go through.
func TestSavedChoicesConflict(t *testing.T) {
	w := newMeetingWorld(t)
	m, _, par := justeratBoardMeeting(t, w)
	n := workflow.ParagraphLabel(par.Number)[2:]
	karin, err := w.s.CreateUser(w.ctx, NewUser{Email: "karin@kommun.example", Name: "Karin Sand", Password: meetingPassword,
		Grants: []workflow.Grant{{Board: "ASN", Role: workflow.RoleSecretary}}})
	if err != nil {
		t.Fatal(err)
	}
	pdf := PublishedPDF{Data: []byte("%PDF-1.7 test")}
	erikChoices := RedactionInput{Withheld: []string{n}}
	karinChoices := RedactionInput{Names: "Anna Ek"}
	pending := func() workflow.Publication {
		t.Helper()
		p, ok, err := w.s.PendingRedaction(w.ctx, m.ID)
		if err != nil || !ok {
			t.Fatalf("no saved choices: %v", err)
		}
		return p
	}

	// Both open the page (nothing saved, nothing published); Erik saves at 10:00.
	w.at(meetingDay(12), 10)
	if _, err := w.s.SaveRedaction(w.ctx, m.ID, w.secretary, erikChoices); err != nil {
		t.Fatal(err)
	}
	erikSaved := pending()
	// Spara valen pressed twice: the same choices again over his own are harmless.
	w.at(meetingDay(12), 11)
	if _, err := w.s.SaveRedaction(w.ctx, m.ID, w.secretary, erikChoices); err != nil {
		t.Fatalf("the same save again: %v", err)
	}
	before := w.publicationRows(m.ID)
	if p := pending(); p.ID != erikSaved.ID || !p.SavedAt.Equal(erikSaved.SavedAt) {
		t.Errorf("the same save again replaced the saved choices: %+v", p)
	}

	// 3: Karin saves other choices from the page she opened before: refused.
	erikAt := "den " + meetingDay(12).String() + " kl. 10:00"
	_, err = w.s.SaveRedaction(w.ctx, m.ID, karin, karinChoices)
	wantConflict(t, err, "Erik Nyström sparade andra val", erikAt, "dina val har inte sparats", "Ladda om sidan och se över valen")
	// 1: Karin publishes other choices from that page: refused, Erik's choices stay.
	_, err = w.s.Publish(w.ctx, m.ID, karin, karinChoices, pdf)
	wantConflict(t, err, "Erik Nyström sparade andra val", erikAt, "protokollet har inte publicerats", "Ladda om sidan")
	if got := w.publicationRows(m.ID); got != before {
		t.Errorf("refused forms changed the publications:\n%s\nwant\n%s", got, before)
	}
	// A form that does not say which publication it was made from is refused.
	bad := karinChoices
	bad.Version = -1
	_, err = w.s.SaveRedaction(w.ctx, m.ID, karin, bad)
	wantMeetingErr(t, err, workflow.EINVALID)

	// Karin reloads the page: she saves from Erik's choices, then publishes
	// from that page (save then publish from the same page).
	w.at(meetingDay(12), 13)
	reloaded := karinChoices
	reloaded.SavedVersion = SavedVersion(erikSaved)
	if _, err := w.s.SaveRedaction(w.ctx, m.ID, karin, reloaded); err != nil {
		t.Fatalf("a save from the reloaded page: %v", err)
	}
	karinSaved := pending()
	if SavedVersion(karinSaved) == SavedVersion(erikSaved) || karinSaved.SavedBy.ID != karin.ID || karinSaved.Names[0] != "Anna Ek" {
		t.Errorf("Karin's saved choices: %+v", karinSaved)
	}
	// Erik's page still shows his own row: his save or publication is refused
	// (on SQLite Karin's row may have the id of his deleted one).
	erikPage := erikChoices
	erikPage.SavedVersion = SavedVersion(erikSaved)
	_, err = w.s.SaveRedaction(w.ctx, m.ID, w.secretary, erikPage)
	wantConflict(t, err, "Karin Sand sparade andra val", "kl. 13:00")
	w.at(meetingDay(12), 14)
	published := karinChoices
	published.SavedVersion = SavedVersion(karinSaved)
	pub, err := w.s.Publish(w.ctx, m.ID, karin, published, pdf)
	if err != nil || pub.Seq != 1 {
		t.Fatalf("publish from the page of the save: %+v %v", pub, err)
	}
	if _, ok, _ := w.s.PendingRedaction(w.ctx, m.ID); ok {
		t.Error("the saved choices outlive the publication")
	}
	// Publicera pressed twice: the same publication, nothing more.
	again, err := w.s.Publish(w.ctx, m.ID, karin, published, pdf)
	if err != nil || again.ID != pub.ID {
		t.Errorf("Publicera pressed twice: %+v %v, want publication %d", again, err, pub.ID)
	}

	// 2: Erik saves from his page made before Karin published: refused, no
	// saved choices on top of the publication he has not seen.
	before = w.publicationRows(m.ID)
	_, err = w.s.SaveRedaction(w.ctx, m.ID, w.secretary, erikPage)
	wantConflict(t, err, "har publicerats av Karin Sand", "den "+meetingDay(12).String()+" kl. 14:00", "dina val har inte sparats", "Ladda om sidan")
	_, err = w.s.SaveRedaction(w.ctx, m.ID, w.secretary, erikChoices)
	wantConflict(t, err, "har publicerats av Karin Sand")
	_, err = w.s.Publish(w.ctx, m.ID, w.secretary, erikPage, pdf)
	wantConflict(t, err, "har publicerats på nytt medan du granskade det, av Karin Sand", "kl. 14:00")
	if got := w.publicationRows(m.ID); got != before {
		t.Errorf("refused forms changed the publications:\n%s\nwant\n%s", got, before)
	}
	if _, ok, _ := w.s.PendingRedaction(w.ctx, m.ID); ok {
		t.Error("a refused save left saved choices on top of the publication")
	}
	// From a page made after the publication, his save goes through.
	fresh := erikChoices
	fresh.Version = 1
	if _, err := w.s.SaveRedaction(w.ctx, m.ID, w.secretary, fresh); err != nil {
		t.Fatalf("a save from a page made after the publication: %v", err)
	}
	if p := pending(); p.SavedBy.ID != w.secretary.ID || len(p.Withheld) != 1 {
		t.Errorf("saved after the publication: %+v", p)
	}
}
