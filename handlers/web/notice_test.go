package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

// statusNotice is the text of the page's role="status" message, or "".
func statusNotice(p page) string {
	m := regexp.MustCompile(`(?s)role="status">(.*?)</div>`).FindStringSubmatch(p.Body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}

// followed takes an action's redirect and returns the notice shown there; the
// same page a second time shows it no more.
func followed(t *testing.T, b *browser, p page, what string) string {
	t.Helper()
	if p.Status != http.StatusSeeOther {
		t.Fatalf("%s: %d\n%s", what, p.Status, p.Body)
	}
	n := statusNotice(b.Get(p.Location))
	if again := statusNotice(b.Get(p.Location)); again == n && n != "" {
		t.Errorf("%s: the notice %q is shown again on reload", what, n)
	}
	return n
}

// After each action the notice says what happened to which case, and to whom
// it went, once.
func TestNoticeAfterCaseActionsNamesThePeople(t *testing.T) {
	s := newSite(t)
	officer := s.Browser()
	officer.Login("handlaggare@kommun.example")
	number := createCase(t, officer, validCase())

	n := followed(t, officer, act(t, officer, number, workflow.ActSubmit, nil), "submit")
	if want := number + " är inlämnad till Lena Holm för godkännande"; !strings.Contains(n, want) {
		t.Errorf("after submit: %q, want %q", n, want)
	}
	chef := s.Browser()
	chef.Login("chef@kommun.example")
	if n := statusNotice(chef.Get("/cases/" + number)); n != "" {
		t.Errorf("the approver sees the officer's notice: %q", n)
	}
	n = followed(t, chef, act(t, chef, number, workflow.ActReject, url.Values{"reason": {"Komplettera bakgrunden."}}), "reject")
	if want := number + " är återsänd till handläggaren Sara Lindqvist"; !strings.Contains(n, want) {
		t.Errorf("after reject: %q, want %q", n, want)
	}
	followed(t, officer, act(t, officer, number, workflow.ActSubmit, nil), "submit again")
	n = followed(t, chef, act(t, chef, number, workflow.ActApprove, nil), "approve")
	if want := number + " är godkänd och skickad till nämndsekreteraren"; !strings.Contains(n, want) {
		t.Errorf("after the last approval: %q, want %q", n, want)
	}
	sec := s.Browser()
	sec.Login("sekreterare@kommun.example")
	// Before its meeting's kallelse the secretary may move it to a later meeting.
	cs, err := s.Store.Case(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	// The body's next planned meeting after the step's: a fixed number of
	// days on may fall where the body does not meet (Christmas).
	st := cs.CurrentStep()
	ms, err := s.Store.Meetings(context.Background(), db.MeetingFilter{Body: st.Body.Code, From: st.Date.AddDays(1), Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	later := ""
	for _, m := range ms {
		if m.Status == workflow.MeetingPlanned {
			later = m.Date.String()
			break
		}
	}
	if later == "" {
		t.Fatalf("%s has no planned meeting after %s", st.Body.Code, st.Date)
	}
	n = followed(t, sec, act(t, sec, number, workflow.ActPostpone, url.Values{"date": {later}}), "postpone")
	if want := number + " är flyttad till"; !strings.Contains(n, want) || !strings.Contains(n, "Sara Lindqvist") {
		t.Errorf("after postpone: %q, want %q and the officer", n, want)
	}
	n = followed(t, sec, act(t, sec, number, workflow.ActWithdraw, url.Values{"reason": {"Inaktuellt."}}), "withdraw")
	if want := number + " är återkallad"; !strings.Contains(n, want) || !strings.Contains(n, "Sara Lindqvist") {
		t.Errorf("after withdraw: %q, want %q and the officer", n, want)
	}
}

// The meeting steps say what happened: to how many the kallelse went, the
// meeting held, whose justering is still missing, the anslag and what follows.
func TestNoticeAfterMeetingSteps(t *testing.T) {
	ms := newMeetingSite(t)
	sec := ms.Login("sekreterare@kommun.example")
	day := workflow.NextWorkday(workflow.Today(ms.Store.Now()).AddDays(60))
	sec.Get("/meetings")
	p := sec.Post("/meetings", url.Values{"body": {"ASN"}, "date": {day.String()}})
	path := strings.SplitN(p.Location, "?", 2)[0]
	sec.Get(path)
	members, _ := ms.Store.Members(context.Background(), "ASN")
	withAddress := 0
	for _, mb := range members {
		if mb.Email != "" {
			withAddress++
		}
	}
	n := followed(t, sec, sec.Post(path+"/notice", nil), "kallelse")
	if want := fmt.Sprintf("Kallelsen är registrerad som skickad till %d ledamöter", withAddress); !strings.Contains(n, want) {
		t.Errorf("after the kallelse: %q, want %q", n, want)
	}

	m, _ := ms.BoardMeeting()
	ms.At(m.Date.At(19, 0))
	sec = ms.Login("sekreterare@kommun.example")
	sec.Get(meetingURL(m.ID))
	n = followed(t, sec, sec.Post(meetingURL(m.ID)+"/held", nil), "held")
	if !strings.Contains(n, "Sammanträdet är registrerat som hållet") || !strings.Contains(n, m.Title()) {
		t.Errorf("after held: %q", n)
	}
	ms.WithAdjusters(sec, m)
	ms.At(m.Date.AddDays(1).At(10, 0))
	chair := ms.Login("ordforande@kommun.example")
	chair.Get(meetingURL(m.ID) + "/justering")
	n = followed(t, chair, chair.Post(meetingURL(m.ID)+"/justering", url.Values{"password": {demo.Password}}), "chair signs")
	if !strings.Contains(n, "Din justering är registrerad") || !strings.Contains(n, "Bo Ström") {
		t.Errorf("after the first justering: %q, want it to name the justerare still to sign", n)
	}
	ledamot := ms.Login("ledamot@kommun.example")
	ledamot.Get(meetingURL(m.ID) + "/justering")
	n = followed(t, ledamot, ledamot.Post(meetingURL(m.ID)+"/justering", url.Values{"password": {demo.Password}}), "ledamot signs")
	if !strings.Contains(n, "Din justering är registrerad") || !strings.Contains(n, "Protokollet är justerat") {
		t.Errorf("after the last justering: %q", n)
	}
	sec = ms.Login("sekreterare@kommun.example")
	sec.Get(meetingURL(m.ID))
	justified := m.Date.AddDays(1)
	n = followed(t, sec, sec.Post(meetingURL(m.ID)+"/anslag", url.Values{"date": {justified.String()}}), "anslag")
	if !strings.Contains(n, "Anslaget är registrerat") || !strings.Contains(n, workflow.AppealEnds(justified).String()) {
		t.Errorf("after the anslag: %q, want the end of the appeal period", n)
	}
}
