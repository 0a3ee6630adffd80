package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/demo"
)

// The secretary corrects a recorded decision from the meeting page until
// the justering begins: the protokoll and the case's history show the new
// wording, the case page the earlier one in its history; a wrong form
// keeps what was typed; once the chair has signed, the link is gone and a
// correction is refused, changing nothing.
func TestCorrectDecisionForm(t *testing.T) {
	ms := newMeetingSite(t)
	m, number := ms.BoardMeeting()
	sec := ms.Held(m)
	ms.WithAdjusters(sec, m)
	sec.Get(meetingURL(m.ID) + "/decisions/" + number)
	const typo = "Nämnden godkänner delårsrapporen."
	// The decision form likewise: a version that is no number is refused.
	if p := sec.Post(meetingURL(m.ID)+"/decisions/"+number, url.Values{"type": {"approved"}, "text": {typo}, "version": {"x1"}}); p.Status != http.StatusConflict {
		t.Errorf("a decision with version x1: %d, want 409", p.Status)
	}
	if p := sec.Post(meetingURL(m.ID)+"/decisions/"+number, url.Values{"type": {"approved"}, "text": {typo}}); p.Status != http.StatusSeeOther {
		t.Fatalf("decision: %d", p.Status)
	}
	path := meetingURL(m.ID) + "/decisions/" + number + "/correction"
	sec.Get(meetingURL(m.ID)).Has(t, `href="`+path+`"`, "Rätta<span class=\"visually-hidden\"> beslutet i "+number)
	form := sec.Get(path)
	form.Has(t, "Rätta beslutet: Delårsrapport augusti 2026", typo, `<option value="rejected">`)
	form.HasNot(t, `<option value="tabled">`, `<option value="handled">`)

	// A version that is no number is no way past the check (it was read as
	// "not given" and the correction went through).
	before := ms.MeetingFingerprint()
	if p := sec.Post(path, url.Values{"type": {"approved"}, "text": {"Något annat."}, "version": {"abc"}}); p.Status != http.StatusConflict {
		t.Errorf("a correction with version abc: %d, want 409", p.Status)
	}
	ms.UnchangedMeetings(before)

	// Refused fields keep what was typed.
	p := sec.Post(path, url.Values{"type": {"tabled"}, "text": {"Nämnden bordlägger."}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError("type"), "kan inte ändras") || !strings.Contains(p.Body, "Nämnden bordlägger.") {
		t.Errorf("a type that moves the case: %d %q", p.Status, p.FieldError("type"))
	}
	// A text kept with "föreslås" is offered kept so when corrected again.
	const proposed = "Nämnden föreslås godkänna delårsrapporten."
	if p := sec.Post(path, url.Values{"type": {"approved"}, "text": {proposed}, "confirm": {"1"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("a correction kept with föreslås: %d", p.Status)
	}
	sec.Get(path).Has(t, proposed, `<input type="checkbox" id="confirm" name="confirm" value="1" checked>`)
	const fixed = "Nämnden godkänner delårsrapporten."
	if p := sec.Post(path, url.Values{"type": {"amended"}, "text": {fixed}}); p.Status != http.StatusSeeOther {
		t.Fatalf("the correction: %d\n%s", p.Status, p.Body)
	}
	sec.Get(meetingURL(m.ID)).Has(t, " för "+number+" är rättad: Ändrat förslag.")
	sec.Get(meetingURL(m.ID)+"/protokoll").Has(t, fixed)
	sec.Get(meetingURL(m.ID)+"/protokoll").HasNot(t, typo)
	// The history names the body whose paragraph was corrected.
	sec.Get("/cases/"+number).Has(t, "Beslutet rättat före justering", "Tidigare lydelse", typo, fixed,
		"<p>Organ: Arbetsmarknads- och socialnämnden</p>")

	ms.At(m.Date.AddDays(1).At(10, 0))
	chair := ms.Login("ordforande@kommun.example")
	chair.Get(meetingURL(m.ID) + "/justering")
	if p := chair.Post(meetingURL(m.ID)+"/justering", url.Values{"password": {demo.Password}}); p.Status != http.StatusSeeOther {
		t.Fatalf("the chair signs: %d", p.Status)
	}
	sec = ms.Login("sekreterare@kommun.example")
	sec.Get(meetingURL(m.ID)).HasNot(t, `href="`+path+`"`)
	before = ms.MeetingFingerprint()
	if p := sec.Post(path, url.Values{"type": {"approved"}, "text": {"Något annat."}}); p.Status != http.StatusConflict || !strings.Contains(p.Body, "Justeringen av protokollet") {
		t.Errorf("after the chair signed: %d", p.Status)
	}
	if p := sec.Get(path); p.Status != http.StatusConflict {
		t.Errorf("the form after the chair signed: %d", p.Status)
	}
	ms.UnchangedMeetings(before)
}
