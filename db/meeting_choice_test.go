package db

import (
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// plan enters a body's sammanträdesplan, one date a line.
func (w *meetingWorld) plan(body string, dates ...string) {
	w.t.Helper()
	lines, err := workflow.ParseMeetingPlan(strings.Join(dates, "\n"))
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.s.PlanMeetings(w.ctx, body, lines, w.secretary, true); err != nil {
		w.t.Fatal(err)
	}
}

// auInput is a case for the arbetsutskott on day, then the nämnd undated.
func (w *meetingWorld) auInput(title, day string, extra bool) CaseInput {
	return CaseInput{Board: "ASN", Title: title, Proposals: []string{"Nämnden föreslås besluta att godkänna " + title},
		Route:      []StepInput{{Body: "ASN-AU", Date: day, ExtraMeeting: extra}, {Body: "ASN"}},
		Approvers:  []ApproverInput{{Email: w.approver.Email}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"}}}
}

// origins are the meetings of a body as "date origin" lines.
func (w *meetingWorld) origins(body string) []string {
	w.t.Helper()
	ms, err := w.s.Meetings(w.ctx, MeetingFilter{Body: body})
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, m.Date.String()+" "+string(m.Origin))
	}
	return out
}

// fieldMessages are an EINVALID error's messages by field.
func fieldMessages(t *testing.T, err error) map[string]string {
	t.Helper()
	wantCode(t, err, workflow.EINVALID)
	out := map[string]string{}
	for _, f := range err.(*workflow.Error).Fields {
		out[f.Field] = f.Message
	}
	return out
}

// A route date must be one of the body's planned meetings; another date
// needs an explicit nytt extra sammanträde, which is made (marked extra)
// even on a day off, with a warning. In a year without a plan a work day
// still makes its meeting as before, and a day off is still refused.
// A refusal names the field and the nearest meetings, and changes nothing.
func TestRouteDateChoosesAMeeting(t *testing.T) {
	w := newMeetingWorld(t)
	w.plan("ASN-AU", "2026-03-12", "2026-03-26", "2026-04-09", "2026-06-18", "2026-12-17")
	tests := []struct {
		name    string
		day     string
		extra   bool
		refusal string // in route[0]'s message; empty: saved
		origin  workflow.MeetingOrigin
		made    bool   // a new meeting is made
		warning string // in the one warning; empty: none
	}{
		{"a planned meeting", "2026-03-12", false, "", workflow.OriginPlan, false, ""},
		{"a work day without a meeting", "2026-03-13", false,
			"ASN arbetsutskott har inget sammanträde 2026-03-13. Närmaste planerade: 2026-03-12, 2026-03-26 och 2026-04-09.", "", false, ""},
		{"a Saturday without a meeting", "2026-03-14", false, "inget sammanträde 2026-03-14 (en lördag)", "", false, ""},
		{"an extra meeting on a work day", "2026-03-13", true, "", workflow.OriginExtra, true, ""},
		{"the same day again joins the extra meeting", "2026-03-13", false, "", workflow.OriginExtra, false, ""},
		{"an extra meeting on a Saturday", "2026-03-14", true, "", workflow.OriginExtra, true, "ASN arbetsutskott 2026-03-14 hålls en lördag"},
		{"an extra meeting on långfredagen", "2026-04-03", true, "", workflow.OriginExtra, true, "hålls långfredagen"},
		{"an extra meeting on midsommarafton", "2026-06-19", true, "", workflow.OriginExtra, true, "hålls midsommarafton"},
		{"an extra meeting on julafton", "2026-12-24", true, "", workflow.OriginExtra, true, "hålls julafton"},
		{"no plan in 2027: a work day makes its meeting", "2027-03-04", false, "", workflow.OriginUnplanned, true, ""},
		{"no plan in 2027: a Saturday is refused", "2027-03-06", false, "ASN arbetsutskott 2027-03-06 är en lördag och har inget planerat sammanträde", "", false, ""},
		{"no plan in 2027: an extra meeting on a Saturday", "2027-03-06", true, "", workflow.OriginExtra, true, "hålls en lördag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := w.auInput("Riktlinjer "+tt.day, tt.day, tt.extra)
			meetings := len(w.origins("ASN-AU"))
			if tt.refusal != "" {
				before := dump(t, w.s.Path())
				if err := w.s.CheckCase(w.ctx, in, w.officer); err == nil || !strings.Contains(fieldMessages(t, err)["route[0]"], tt.refusal) {
					t.Errorf("CheckCase: %v", err)
				}
				_, err := w.s.CreateCase(w.ctx, in, w.officer)
				if msgs := fieldMessages(t, err); len(msgs) != 1 || !strings.Contains(msgs["route[0]"], tt.refusal) {
					t.Errorf("refusal %q, want route[0] saying %q", msgs, tt.refusal)
				}
				wantUnchanged(t, w.s, before)
				return
			}
			c, err := w.s.CreateCase(w.ctx, in, w.officer)
			if err != nil {
				t.Fatal(err)
			}
			st := c.Route[0]
			if st.MeetingID == 0 || st.MeetingOrigin != tt.origin || st.NewMeeting != tt.made {
				t.Errorf("step = meeting %d, origin %q, new %v; want origin %q, new %v", st.MeetingID, st.MeetingOrigin, st.NewMeeting, tt.origin, tt.made)
			}
			if n := len(w.origins("ASN-AU")) - meetings; n != map[bool]int{true: 1, false: 0}[tt.made] {
				t.Errorf("%d meetings made", n)
			}
			if !slices.Contains(w.origins("ASN-AU"), tt.day+" "+string(tt.origin)) {
				t.Errorf("meetings %q lack %s %s", w.origins("ASN-AU"), tt.day, tt.origin)
			}
			warnings := c.ExtraMeetingWarnings()
			if tt.warning == "" && len(warnings) != 0 || tt.warning != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], tt.warning)) {
				t.Errorf("warnings %q, want one saying %q", warnings, tt.warning)
			}
			// Read back, the step knows its meeting's origin; what the change made is not stored.
			again, err := w.s.Case(w.ctx, c.Number)
			if err != nil || again.Route[0].MeetingOrigin != tt.origin || again.Route[0].NewMeeting || len(again.ExtraMeetingWarnings()) != 0 {
				t.Errorf("read back: %+v, %v", again.Route[0], err)
			}
		})
	}
}

// Every route step is checked at once, and an edit of a draft is held to
// the same rule as a new case.
func TestDraftEditChoosesAMeeting(t *testing.T) {
	w := newMeetingWorld(t)
	w.plan("ASN-AU", "2026-03-12", "2026-03-26")
	w.plan("ASN", "2026-03-19", "2026-04-16")
	in := w.auInput("Riktlinjer", "2026-03-13", false)
	in.Route[1].Date = "2026-03-20"
	before := dump(t, w.s.Path())
	_, err := w.s.CreateCase(w.ctx, in, w.officer)
	msgs := fieldMessages(t, err)
	if !strings.Contains(msgs["route[0]"], "Närmaste planerade: 2026-03-12 och 2026-03-26") ||
		!strings.Contains(msgs["route[1]"], "Närmaste planerade: 2026-03-19 och 2026-04-16") {
		t.Errorf("messages %q", msgs)
	}
	wantUnchanged(t, w.s, before)

	c, err := w.s.CreateCase(w.ctx, w.auInput("Riktlinjer", "2026-03-12", false), w.officer)
	if err != nil {
		t.Fatal(err)
	}
	edit := InputOf(&c)
	edit.Route[0].Date = "2026-03-13"
	before = dump(t, w.s.Path())
	if err := w.s.CheckDraftEdit(w.ctx, c.Number, c.Version, edit, w.officer); err == nil || fieldMessages(t, err)["route[0]"] == "" {
		t.Errorf("CheckDraftEdit: %v", err)
	}
	_, err = w.s.EditDraft(w.ctx, c.Number, c.Version, edit, w.officer)
	if fieldMessages(t, err)["route[0]"] == "" {
		t.Errorf("edit to a day without a meeting: %v", err)
	}
	wantUnchanged(t, w.s, before)
	edit.Route[0].ExtraMeeting = true
	c, err = w.s.EditDraft(w.ctx, c.Number, c.Version, edit, w.officer)
	if err != nil || c.Route[0].MeetingOrigin != workflow.OriginExtra || !c.Route[0].NewMeeting {
		t.Fatalf("edit to an extra meeting: %+v, %v", c.Route, err)
	}
}

// A bordläggning of a case before its meeting chooses among the body's
// meetings, or asks for an extra one; a later step that must move goes to
// its own body's first meeting from the shifted day. A refusal changes nothing.
func TestPostponeChoosesAMeeting(t *testing.T) {
	w := newMeetingWorld(t)
	w.plan("ASN-AU", "2026-03-12", "2026-03-26", "2026-04-09")
	w.plan("ASN", "2026-03-19", "2026-04-16", "2026-04-30")
	postpone := func(c workflow.Case, day string, extra bool) (workflow.Case, error) {
		return w.s.Act(w.ctx, c.Number, w.secretary, workflow.Command{Action: workflow.ActPostpone, Version: c.Version,
			Date: workflow.MustDate(day), ExtraMeeting: extra})
	}
	dates := func(c workflow.Case) string {
		var out []string
		for _, st := range c.Route {
			out = append(out, st.Date.String())
		}
		return strings.Join(out, " ")
	}

	c := w.caseOn("Riktlinjer", workflow.MustDate("2026-03-12"), workflow.MustDate("2026-03-19"))
	before := dump(t, w.s.Path())
	_, err := postpone(c, "2026-03-20", false)
	if msg := fieldMessages(t, err)["date"]; !strings.Contains(msg, "ASN arbetsutskott har inget sammanträde 2026-03-20. Närmaste planerade: 2026-03-12, 2026-03-26 och 2026-04-09.") {
		t.Errorf("refusal %q", msg)
	}
	wantUnchanged(t, w.s, before)

	// Two weeks on: the nämnd's 19 March would come first, so it moves two
	// weeks too, to 2 April, and on to the nämnd's first meeting after, 16 April.
	moved, err := postpone(c, "2026-03-26", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := dates(moved); got != "2026-03-26 2026-04-16" || len(moved.NewExtraMeetings()) != 0 {
		t.Errorf("route after postponing: %s, new %v", got, moved.NewExtraMeetings())
	}

	// An extra meeting on a Saturday, asked for: made, marked extra, warned.
	other := w.caseOn("Avgifter", workflow.MustDate("2026-03-12"), workflow.MustDate("2026-04-16"))
	moved, err = postpone(other, "2026-03-28", true)
	if err != nil {
		t.Fatal(err)
	}
	if got := dates(moved); got != "2026-03-28 2026-04-16" || !slices.Contains(w.origins("ASN-AU"), "2026-03-28 extra") {
		t.Errorf("route %s, meetings %q", got, w.origins("ASN-AU"))
	}
	if ws := moved.ExtraMeetingWarnings(); len(ws) != 1 || !strings.Contains(ws[0], "ASN arbetsutskott 2026-03-28 hålls en lördag") {
		t.Errorf("warnings %q", ws)
	}
}

// Bordläggning at a held meeting is the same choice: to a day without a
// meeting it is refused (no §, nothing changed) unless an extra meeting is
// asked for.
func TestTabledToAnExtraMeeting(t *testing.T) {
	w := newMeetingWorld(t)
	w.plan("ASN-AU", "2026-03-12", "2026-03-26")
	w.plan("ASN", "2026-03-19", "2026-04-16")
	c := w.caseOn("Riktlinjer", workflow.MustDate("2026-03-12"), workflow.MustDate("2026-04-16"))
	m := w.hold(w.meetingAt("ASN-AU", workflow.MustDate("2026-03-12")))
	before := w.counts()
	in := DecisionInput{Case: c.Number, Type: workflow.DecisionTabled, Text: "Ärendet bordläggs.", Date: workflow.MustDate("2026-03-19")}
	_, _, err := w.s.Decide(w.ctx, m.ID, w.secretary, in)
	if msg := fieldMessages(t, err)["date"]; !strings.Contains(msg, "ASN arbetsutskott har inget sammanträde 2026-03-19") {
		t.Errorf("refusal %q", msg)
	}
	if after := w.counts(); after != before {
		t.Errorf("the refused bordläggning changed:\n%s\n%s", before, after)
	}
	in.ExtraMeeting = true
	par, c, err := w.s.Decide(w.ctx, m.ID, w.secretary, in)
	if err != nil {
		t.Fatal(err)
	}
	if st := c.CurrentStep(); st.Date != workflow.MustDate("2026-03-19") || st.MeetingOrigin != workflow.OriginExtra || par.Label() != "§ 1" {
		t.Errorf("tabled to %s (%s) with %q", st.Date, st.MeetingOrigin, par.Label())
	}
}
