package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"

	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

// waitingOn is the "Väntar på mig" section of a person's start page.
func waitingOn(t *testing.T, b *browser) string {
	t.Helper()
	p := b.Get("/")
	if p.Status != http.StatusOK {
		t.Fatalf("start page: %d", p.Status)
	}
	return section(t, p.Body, "waiting-title")
}

// sign signs the protokoll of m as a demo justerare.
func sign(t *testing.T, ms *meetingSite, email string, m workflow.Meeting) page {
	t.Helper()
	b := ms.Login(email)
	b.Get(meetingURL(m.ID) + "/justering")
	p := b.Post(meetingURL(m.ID)+"/justering", url.Values{"password": {demo.Password}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("%s signs: %d\n%s", email, p.Status, p.Body)
	}
	return p
}

// A named justerare without any role on a board finds the protokoll to
// justera on their start page, with the last day, until they have signed.
func TestHomeListsProtokollToJustera(t *testing.T) {
	ms := newMeetingSite(t)
	m, _ := ms.BoardMeeting()
	link := `href="` + meetingURL(m.ID) + `/justering"`
	chair := ms.Login("ordforande@kommun.example")
	if w := waitingOn(t, chair); strings.Contains(w, link) {
		t.Error("the justering waits before the meeting is held")
	}

	sec := ms.Held(m)
	ms.WithAdjusters(sec, m)
	due := workflow.JusteringDue(m.Date).String()
	for _, email := range []string{"ordforande@kommun.example", "ledamot@kommun.example"} {
		w := waitingOn(t, ms.Login(email))
		for _, want := range []string{link, "Justera protokollet", m.Title(), "Senast " + due} {
			if !strings.Contains(w, want) {
				t.Errorf("%s: the start page lacks %q:\n%s", email, want, w)
			}
		}
		if strings.Contains(w, "Inget väntar på dig") {
			t.Errorf("%s: the start page says nothing waits", email)
		}
	}
	for _, email := range []string{"handlaggare@kommun.example", "sekreterare@kommun.example"} {
		if w := waitingOn(t, ms.Login(email)); strings.Contains(w, link) {
			t.Errorf("%s is no justerare but is asked to justera", email)
		}
	}

	sign(t, ms, "ordforande@kommun.example", m)
	chair = ms.Login("ordforande@kommun.example")
	if w := waitingOn(t, chair); strings.Contains(w, link) {
		t.Error("the justering still waits for the chair after signing")
	}
	if w := waitingOn(t, ms.Login("ledamot@kommun.example")); !strings.Contains(w, link) {
		t.Error("the justering no longer waits for the ledamot, who has not signed")
	}
}

// The secretary's start page lists the anslag due after justering (late once
// its last day has passed) and the justerat decision to dispatch, each until
// it is done; and a kallelse that is due but not sent.
func TestHomeListsSecretaryMeetingTasks(t *testing.T) {
	ms := newMeetingSite(t)
	m, number := ms.BoardMeeting()
	sec := ms.Held(m)
	ms.WithAdjusters(sec, m)
	sec.Get(meetingURL(m.ID) + "/decisions/" + number)
	if p := sec.Post(meetingURL(m.ID)+"/decisions/"+number, url.Values{"type": {"approved"}, "text": {"Nämnden godkänner delårsrapporten."}}); p.Status != http.StatusSeeOther {
		t.Fatalf("decision: %d\n%s", p.Status, p.Body)
	}
	dispatch := `href="/cases/` + number + `/actions/dispatch"`
	anslag := `href="` + meetingURL(m.ID) + `#anslag-title"`
	if w := waitingOn(t, sec); strings.Contains(w, dispatch) || strings.Contains(w, anslag) {
		t.Error("dispatch or anslag waits before the justering")
	}

	ms.At(m.Date.AddDays(1).At(10, 0))
	sign(t, ms, "ordforande@kommun.example", m)
	sign(t, ms, "ledamot@kommun.example", m)
	justified := m.Date.AddDays(1)
	due := workflow.AnslagDue(justified)
	sec = ms.Login("sekreterare@kommun.example")
	w := waitingOn(t, sec)
	for _, want := range []string{anslag, "Registrera anslaget", "Senast " + due.String(), m.Title(),
		dispatch, "Expediera beslutet", "Justerat " + justified.String()} {
		if !strings.Contains(w, want) {
			t.Errorf("after justering the start page lacks %q:\n%s", want, w)
		}
	}
	if strings.Count(w, `href="/cases/`+number+`"`) != 1 {
		t.Errorf("the decided case is listed more than once:\n%s", w)
	}
	// Beyond db.MaxDispatchTasks the decisions are counted, not listed.
	func(n int) {
		defer func() { db.MaxDispatchTasks = n }()
		db.MaxDispatchTasks = 0
		if w := waitingOn(t, sec); !strings.Contains(w, "Ytterligare 1 beslut väntar på att expedieras") || strings.Contains(w, "Justerat "+justified.String()) {
			t.Errorf("with no dispatch listed, the start page does not count the one waiting:\n%s", w)
		}
	}(db.MaxDispatchTasks)
	for _, email := range []string{"handlaggare@kommun.example", "ordforande@kommun.example"} {
		if w := waitingOn(t, ms.Login(email)); strings.Contains(w, anslag) || strings.Contains(w, dispatch) {
			t.Errorf("%s is asked for the secretary's anslag or dispatch", email)
		}
	}

	ms.At(due.AddDays(1).At(9, 0))
	sec = ms.Login("sekreterare@kommun.example")
	if w := waitingOn(t, sec); !strings.Contains(w, "Försenad 1 dag") {
		t.Errorf("the anslag past its day is not marked late:\n%s", w)
	}
	sec.Get(meetingURL(m.ID))
	if p := sec.Post(meetingURL(m.ID)+"/anslag", url.Values{"date": {justified.String()}}); p.Status != http.StatusSeeOther {
		t.Fatalf("anslag: %d\n%s", p.Status, p.Body)
	}
	w = waitingOn(t, sec)
	if strings.Contains(w, anslag) || !strings.Contains(w, dispatch) {
		t.Errorf("after the anslag it should list only the dispatch:\n%s", w)
	}
	if p := act(t, sec, number, workflow.ActDispatch, nil); p.Status != http.StatusSeeOther {
		t.Fatalf("dispatch: %d\n%s", p.Status, p.Body)
	}
	if w := waitingOn(t, sec); strings.Contains(w, dispatch) {
		t.Errorf("the dispatched decision still waits:\n%s", w)
	}

	// A meeting whose kallelse is due but not sent.
	// The demo has meetings of its own; the first free work day from three days on.
	day := workflow.NextWorkday(workflow.Today(ms.Store.Now()).AddDays(3))
	var p page
	for range 10 {
		sec.Get("/meetings")
		if p = sec.Post("/meetings", url.Values{"body": {"ASN-AU"}, "date": {day.String()}}); p.Status != http.StatusConflict {
			break
		}
		day = workflow.NextWorkday(day.AddDays(1))
	}
	if p.Status != http.StatusSeeOther {
		t.Fatalf("plan a meeting: %d\n%s", p.Status, p.Body)
	}
	path := strings.SplitN(p.Location, "?", 2)[0]
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/meetings/"), 10, 64)
	planned, err := ms.Store.Meeting(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	w = waitingOn(t, sec)
	for _, want := range []string{`href="` + path + `"`, "Skicka kallelsen", "Senast " + planned.Dates().NoticeDue.String(), "Försenad"} {
		if !strings.Contains(w, want) {
			t.Errorf("the kallelse due lacks %q:\n%s", want, w)
		}
	}
	sec.Get(path)
	if p := sec.Post(path+"/notice", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("kallelse: %d\n%s", p.Status, p.Body)
	}
	if w := waitingOn(t, sec); strings.Contains(w, `href="`+path+`"`) {
		t.Errorf("the sent kallelse still waits:\n%s", w)
	}
}
