package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/internal/apitest"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/workflow"
	"golang.org/x/crypto/bcrypt"
)

// meetingServer is the service with the demo data on a real loopback port,
// and a clock the test can move.
type meetingServer struct {
	t     *testing.T
	base  string
	store *db.Store
	clock atomic.Value // time.Time
}

func startMeetingServer(t *testing.T) *meetingServer {
	t.Helper()
	db.BcryptCost = bcrypt.MinCost
	s, err := db.Open(pgtest.DSN(t, "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := demo.Seed(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	ms := &meetingServer{t: t, store: s}
	ms.clock.Store(time.Now())
	s.Now = func() time.Time { return ms.clock.Load().(time.Time) }
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.base = "http://" + ln.Addr().String()
	app := New(s, Config{BaseURL: ms.base})
	go app.Listener(ln)
	// Closing the listener ends the server; app.Shutdown would race inside
	// fasthttp with the request contexts handed to database/sql.
	t.Cleanup(func() { ln.Close() })
	return ms
}

// call sends a request and returns the status and body; body values other
// than nil are sent as JSON.
func (ms *meetingServer) call(method, path, token string, body any) (int, []byte, http.Header) {
	ms.t.Helper()
	r := apitest.Send(ms.t, http.DefaultClient, method, ms.base+path, token, body)
	return r.Status, r.Body, r.Header
}

// ok sends a request that must answer want, and decodes the answer into v.
func (ms *meetingServer) ok(want int, method, path, token string, body, v any) {
	ms.t.Helper()
	status, out, _ := ms.call(method, path, token, body)
	if status != want {
		ms.t.Fatalf("%s %s: %d %s, want %d", method, path, status, out, want)
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			ms.t.Fatalf("%s %s: %v in %s", method, path, err, out)
		}
	}
}

// refused sends a request that must fail with status as problem+json and
// leave the meeting and the case as they were.
func (ms *meetingServer) refused(status int, method, path, token string, body any, meetingID int64, number string) httpx.Problem {
	ms.t.Helper()
	before := ms.snapshot(meetingID, number, token)
	got, out, h := ms.call(method, path, token, body)
	if got != status || !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") {
		ms.t.Fatalf("%s %s: %d %s (%s), want %d problem+json", method, path, got, out, h.Get("Content-Type"), status)
	}
	var p httpx.Problem
	if err := json.Unmarshal(out, &p); err != nil || p.Detail == "" {
		ms.t.Fatalf("problem %s: %v", out, err)
	}
	if after := ms.snapshot(meetingID, number, token); after != before {
		ms.t.Fatalf("%s %s changed things:\n%s\n%s", method, path, before, after)
	}
	return p
}

func (ms *meetingServer) snapshot(meetingID int64, number, token string) string {
	ms.t.Helper()
	_, m, _ := ms.call("GET", fmt.Sprintf("/api/v1/meetings/%d", meetingID), ms.login("sekreterare@kommun.example"), nil)
	_, c, _ := ms.call("GET", "/api/v1/cases/"+number, ms.login("sekreterare@kommun.example"), nil)
	_, e, _ := ms.call("GET", "/api/v1/cases/"+number+"/events", ms.login("sekreterare@kommun.example"), nil)
	return string(m) + "\n" + string(c) + "\n" + string(e)
}

var tokens = map[string]string{}

func (ms *meetingServer) login(email string) string {
	ms.t.Helper()
	key := ms.base + email
	if tok, ok := tokens[key]; ok {
		return tok
	}
	var out struct{ Token string }
	ms.ok(201, "POST", "/api/v1/sessions", "", map[string]string{"email": email, "password": demo.Password}, &out)
	tokens[key] = out.Token
	return out.Token
}

type meetingOut struct {
	ID     int64                  `json:"id"`
	Date   workflow.Date          `json:"date"`
	Status workflow.MeetingStatus `json:"status"`
	Seq    int                    `json:"sequence"`
	Dates  workflow.MeetingDates  `json:"dates"`
	Agenda []db.AgendaItem        `json:"agenda"`
	Att    []workflow.Attendee    `json:"attendees"`
}

type caseOut struct {
	Number  string `json:"number"`
	Title   string `json:"title"`
	Version int    `json:"version"`
	Stage   string `json:"stage"`
	Route   []struct {
		Body      string `json:"body"`
		MeetingID int64  `json:"meeting_id"`
	} `json:"route"`
	Decision   *workflow.Decision `json:"decision"`
	Paragraphs []db.CaseParagraph `json:"paragraphs"`
}

// The secretary runs a nämnd meeting through the API: the agenda, the
// decision with its paragraph, justering by two politicians, anslag, and the
// case shows its paragraph and laga-kraft date. Every wrong step on the way
// is a clear problem that changes nothing.
func TestMeetingThroughTheAPI(t *testing.T) {
	ms := startMeetingServer(t)
	sec := ms.login("sekreterare@kommun.example")
	officer := ms.login("handlaggare@kommun.example")
	chair := ms.login("ordforande@kommun.example")
	ledamot := ms.login("ledamot@kommun.example")

	var page db.CasePage
	ms.ok(200, "GET", "/api/v1/cases?q=Delårsrapport", sec, nil, &page)
	var c caseOut
	ms.ok(200, "GET", "/api/v1/cases/"+page.Items[0].Number, sec, nil, &c)
	id := c.Route[2].MeetingID
	path := fmt.Sprintf("/api/v1/meetings/%d", id)
	var m meetingOut
	ms.ok(200, "GET", path, sec, nil, &m)
	if m.Status != workflow.MeetingNoticeSent || !hasCase(m.Agenda, c.Number) {
		t.Fatalf("the nämnd meeting: %s, agenda %+v", m.Status, m.Agenda)
	}
	decision := map[string]any{"case": c.Number, "type": "approved", "text": "Nämnden godkänner delårsrapporten."}

	p := ms.refused(409, "POST", path+"/decisions", sec, decision, id, c.Number)
	if !strings.Contains(p.Detail, "inte hållet") {
		t.Errorf("decision before the meeting: %q", p.Detail)
	}
	ms.clock.Store(m.Date.AddDays(-1).At(12, 0))
	ms.refused(409, "POST", path+"/held", sec, nil, id, c.Number) // the day before the meeting
	ms.clock.Store(m.Date.At(20, 0))
	ms.refused(403, "POST", path+"/held", officer, nil, id, c.Number)
	ms.ok(200, "POST", path+"/held", sec, nil, &m)
	if m.Status != workflow.MeetingHeld || len(m.Att) == 0 {
		t.Fatalf("held: %s, attendance %v", m.Status, m.Att)
	}

	// The secretary puts the case first, before the fixed items.
	var order []int64
	for _, it := range m.Agenda {
		if it.Case != nil && it.Case.Number == c.Number {
			order = append([]int64{it.ID}, order...)
		} else {
			order = append(order, it.ID)
		}
	}
	var items []db.AgendaItem
	ms.ok(200, "PUT", path+"/agenda", sec, map[string]any{"order": order}, &items)
	if items[0].Case == nil || items[0].Case.Number != c.Number || items[0].Pos != 1 {
		t.Errorf("agenda after reorder: %+v", items[0])
	}
	ms.refused(422, "PUT", path+"/agenda", sec, map[string]any{"order": order[1:]}, id, c.Number)

	p = ms.refused(422, "POST", path+"/decisions", sec, map[string]any{"case": demo.SeedNumber, "type": "approved", "text": "x"}, id, c.Number)
	if len(p.Errors) != 1 || p.Errors[0].Field != "case" {
		t.Errorf("a case not on the agenda: %+v", p)
	}
	ms.refused(422, "POST", path+"/decisions", sec, map[string]any{"case": c.Number, "type": "maybe", "text": "x"}, id, c.Number)
	ms.refused(403, "POST", path+"/decisions", officer, decision, id, c.Number)
	ms.refused(404, "POST", "/api/v1/meetings/999999/decisions", sec, decision, id, c.Number)

	var members []workflow.Member
	ms.ok(200, "GET", "/api/v1/bodies/ASN/members", sec, nil, &members)
	var att []db.AttendanceInput
	for _, mb := range members {
		att = append(att, db.AttendanceInput{Member: mb.ID, Present: true,
			Adjuster: mb.Role == workflow.MemberChair || mb.Name == "Bo Ström"})
	}
	ms.ok(200, "PUT", path+"/attendance", sec, map[string]any{"attendees": att}, &m)

	var decided struct {
		Paragraph struct {
			Label  string `json:"paragraph"`
			Number int    `json:"number"`
		} `json:"paragraph"`
		Case caseOut `json:"case"`
	}
	ms.ok(201, "POST", path+"/decisions", sec, decision, &decided)
	label := decided.Paragraph.Label
	if label != workflow.ParagraphLabel(decided.Paragraph.Number) || decided.Case.Decision == nil || decided.Case.Decision.Paragraph != label {
		t.Fatalf("decided: %+v", decided)
	}
	ms.refused(409, "POST", path+"/decisions", sec, decision, id, c.Number) // decided already
	// What the API offers is what it accepts: no dispatch before justering.
	if acts := allowedActions(ms, sec, c.Number); slices.Contains(acts, "dispatch") {
		t.Errorf("dispatch offered before justering: %v", acts)
	}
	var fresh caseOut
	ms.ok(200, "GET", "/api/v1/cases/"+c.Number, sec, nil, &fresh)
	ms.refused(409, "POST", "/api/v1/cases/"+c.Number+"/actions", sec, map[string]any{"action": "dispatch", "version": fresh.Version}, id, c.Number)
	ms.ok(200, "GET", path, sec, nil, &m)
	if it := m.Agenda[0]; it.Paragraph == nil || it.Paragraph.Label() != label {
		t.Errorf("agenda item after the decision: %+v", it)
	}

	// A correction before the justering keeps the §; the case shows it.
	correction := map[string]any{"type": "amended", "text": "Nämnden godkänner rapporten, rättad."}
	ms.refused(403, "PATCH", path+"/decisions/"+c.Number, officer, correction, id, c.Number)
	ms.refused(422, "PATCH", path+"/decisions/"+c.Number, sec, map[string]any{"type": "tabled", "text": "x"}, id, c.Number)
	ms.refused(422, "PATCH", path+"/decisions/"+c.Number, sec, map[string]any{"case": demo.SeedNumber, "type": "amended", "text": "x"}, id, c.Number)
	ms.refused(404, "PATCH", path+"/decisions/"+demo.SeedNumber, sec, correction, id, c.Number)
	var corrected struct {
		Paragraph struct {
			Label string `json:"paragraph"`
			Type  string `json:"type"`
			Text  string `json:"text"`
		} `json:"paragraph"`
	}
	ms.ok(200, "PATCH", path+"/decisions/"+c.Number, sec, correction, &corrected)
	ms.ok(200, "GET", "/api/v1/cases/"+c.Number, sec, nil, &fresh)
	if corrected.Paragraph.Label != label || corrected.Paragraph.Type != "amended" || corrected.Paragraph.Text != correction["text"] ||
		fresh.Decision == nil || fresh.Decision.Text != correction["text"] || fresh.Decision.Paragraph != label {
		t.Errorf("corrected: %+v; the case's decision %+v", corrected, fresh.Decision)
	}

	ms.refused(409, "POST", path+"/anslag", sec, map[string]any{"date": m.Date.String()}, id, c.Number)
	ms.refused(403, "POST", path+"/justering", officer, map[string]any{"password": demo.Password}, id, c.Number)
	p = ms.refused(403, "POST", path+"/justering", chair, map[string]any{"password": "fel"}, id, c.Number)
	if !strings.Contains(p.Detail, "lösenord") {
		t.Errorf("wrong password: %q", p.Detail)
	}
	ms.ok(200, "POST", path+"/justering", chair, map[string]any{"password": demo.Password}, &m)
	if m.Status != workflow.MeetingHeld {
		t.Errorf("after one of two justerare: %s", m.Status)
	}
	ms.refused(409, "POST", path+"/justering", chair, map[string]any{"password": demo.Password}, id, c.Number)
	ms.refused(409, "PATCH", path+"/decisions/"+c.Number, sec, map[string]any{"type": "approved", "text": "Något annat."}, id, c.Number)
	ms.clock.Store(m.Date.AddDays(1).At(10, 0))
	ms.ok(200, "POST", path+"/justering", ledamot, map[string]any{"password": demo.Password}, &m)
	if m.Status != workflow.MeetingJustified || m.Dates.JustifiedOn != m.Date.AddDays(1) {
		t.Fatalf("after both justerare: %s, %+v", m.Status, m.Dates)
	}
	if acts := allowedActions(ms, sec, c.Number); !slices.Contains(acts, "dispatch") {
		t.Errorf("dispatch not offered after justering: %v", acts)
	}

	posted := m.Date.AddDays(2)
	ms.refused(422, "POST", path+"/anslag", sec, map[string]any{"date": posted.String()}, id, c.Number) // not yet that day
	ms.clock.Store(posted.At(9, 0))
	ms.refused(422, "POST", path+"/anslag", sec, map[string]any{"date": "2026-02-30"}, id, c.Number)
	ms.ok(200, "POST", path+"/anslag", sec, map[string]any{"date": posted.String()}, &m)
	if m.Status != workflow.MeetingPosted || m.Dates.LegalForce != workflow.LegalForce(posted) {
		t.Errorf("posted: %s, %+v", m.Status, m.Dates)
	}

	// The case page's data: the paragraph and the day of laga kraft.
	ms.ok(200, "GET", "/api/v1/cases/"+c.Number, sec, nil, &c)
	last := c.Paragraphs[len(c.Paragraphs)-1]
	if last.Label != label || last.LegalForce != workflow.LegalForce(posted) || last.AppealEnds != workflow.AppealEnds(posted) {
		t.Errorf("case paragraphs %+v", c.Paragraphs)
	}
	var evs []workflow.Event
	ms.ok(200, "GET", "/api/v1/cases/"+c.Number+"/events", sec, nil, &evs)
	var actions []string
	for _, e := range evs[len(evs)-5:] {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "decide,decision_corrected,justering,justering,anslag" {
		t.Errorf("history ends %v", actions)
	}

	for _, pdfPath := range []string{fmt.Sprintf("/meetings/%d/protokoll.pdf", id), path + "/protokoll.pdf",
		fmt.Sprintf("/meetings/%d/paragraphs/%d/utdrag.pdf", id, decided.Paragraph.Number)} {
		status, pdf, h := ms.call("GET", pdfPath, sec, nil)
		if status != 200 || h.Get("Content-Type") != "application/pdf" {
			t.Fatalf("%s: %d %s", pdfPath, status, h.Get("Content-Type"))
		}
		text := pdftest.Text(t, pdf)
		for _, want := range []string{label, c.Title, "Nämnden godkänner rapporten, rättad.", "Justerat digitalt", "Laga kraft"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q", pdfPath, want)
			}
		}
	}
	// Without a token it is the browser's address: the login page first.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(fmt.Sprintf("%s/meetings/%d/protokoll.pdf", ms.base, id))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
		t.Errorf("protokoll without login: %d to %q, want the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
	if status, _, h := ms.call("GET", fmt.Sprintf("/meetings/%d/protokoll.pdf", id), "not-a-token", nil); status != 401 ||
		!strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") {
		t.Errorf("protokoll with a bad token: %d %s, want a 401 problem", status, h.Get("Content-Type"))
	}
	if status, _, _ := ms.call("GET", fmt.Sprintf("/meetings/%d/paragraphs/999/utdrag.pdf", id), sec, nil); status != 404 {
		t.Errorf("utdrag of a paragraph that does not exist: %d", status)
	}
}

// allowedActions is what the API offers the token's user on the case.
func allowedActions(ms *meetingServer, token, number string) []string {
	ms.t.Helper()
	var c struct {
		Allowed []string `json:"allowed_actions"`
	}
	ms.ok(200, "GET", "/api/v1/cases/"+number, token, nil, &c)
	return c.Allowed
}

func hasCase(items []db.AgendaItem, number string) bool {
	for _, it := range items {
		if it.Case != nil && it.Case.Number == number {
			return true
		}
	}
	return false
}

func TestMeetingListAndCreateRefusals(t *testing.T) {
	ms := startMeetingServer(t)
	sec := ms.login("sekreterare@kommun.example")
	today := workflow.Today(time.Now())
	var list []meetingOut
	ms.ok(200, "GET", "/api/v1/meetings?body=ASN&from="+today.AddDays(-60).String()+"&to="+today.AddDays(60).String(), sec, nil, &list)
	if len(list) == 0 {
		t.Fatal("no ASN meetings in the demo data around today")
	}
	for i, m := range list {
		if m.Date.Before(today.AddDays(-60)) || m.Date.After(today.AddDays(60)) || (i > 0 && m.Date.Before(list[i-1].Date)) {
			t.Errorf("meeting %d on %s out of the range or order", m.ID, m.Date)
		}
	}
	for _, q := range []string{"from=igår", "body=NOPE", "from=2026-02-01&to=2026-01-01"} {
		if status, _, _ := ms.call("GET", "/api/v1/meetings?"+q, sec, nil); status != 422 {
			t.Errorf("GET /meetings?%s: %d, want 422", q, status)
		}
	}
	count := func() int {
		var all []meetingOut
		ms.ok(200, "GET", "/api/v1/meetings", sec, nil, &all)
		return len(all)
	}
	before := count()
	future := workflow.NextWorkday(today.AddDays(100)).String() // past the demo's sammanträdesplan
	for _, tt := range []struct {
		token  string
		body   map[string]any
		status int
	}{
		{sec, map[string]any{"body": "ASN", "date": today.AddDays(-1).String()}, 422},
		{sec, map[string]any{"body": "ASN", "date": future, "time": "25:00"}, 422},
		{sec, map[string]any{"body": "NOPE", "date": future}, 422},
		{sec, map[string]any{"body": "ASN", "date": future, "agenda": []int{}}, 422},
		{ms.login("handlaggare@kommun.example"), map[string]any{"body": "ASN", "date": future}, 403},
		{"", map[string]any{"body": "ASN", "date": future}, 401},
	} {
		if status, out, _ := ms.call("POST", "/api/v1/meetings", tt.token, tt.body); status != tt.status {
			t.Errorf("POST /meetings %v: %d %s, want %d", tt.body, status, out, tt.status)
		}
	}
	if after := count(); after != before {
		t.Errorf("refused meetings were created: %d, then %d", before, after)
	}
	var m meetingOut
	ms.ok(201, "POST", "/api/v1/meetings", sec, map[string]any{"body": "ASN", "date": future, "time": "17:00", "place": "Stadshuset"}, &m)
	if m.Status != workflow.MeetingPlanned || len(m.Agenda) != 3 {
		t.Errorf("new meeting %+v", m)
	}
	if status, _, _ := ms.call("POST", "/api/v1/meetings", sec, map[string]any{"body": "ASN", "date": future}); status != 409 {
		t.Errorf("a second meeting the same day: %d", status)
	}
}

// Wrong passwords at justering count against the login limit like failed logins.
func TestJusteringPasswordIsLimited(t *testing.T) {
	ms := startMeetingServer(t)
	sec := ms.login("sekreterare@kommun.example")
	chair := ms.login("ordforande@kommun.example")
	var page db.CasePage
	ms.ok(200, "GET", "/api/v1/cases?q=Delårsrapport", sec, nil, &page)
	var c caseOut
	ms.ok(200, "GET", "/api/v1/cases/"+page.Items[0].Number, sec, nil, &c)
	path := fmt.Sprintf("/api/v1/meetings/%d", c.Route[2].MeetingID)
	var m meetingOut
	ms.ok(200, "GET", path, sec, nil, &m)
	ms.clock.Store(m.Date.At(20, 0))
	ms.ok(200, "POST", path+"/held", sec, nil, &m)
	var att []db.AttendanceInput
	for _, a := range m.Att {
		att = append(att, db.AttendanceInput{Member: a.Member.ID, Present: true, Adjuster: a.Member.Role == workflow.MemberChair})
	}
	ms.ok(200, "PUT", path+"/attendance", sec, map[string]any{"attendees": att}, nil)
	statuses := map[int]int{}
	for range 6 {
		status, _, _ := ms.call("POST", path+"/justering", chair, map[string]any{"password": "gissning"})
		statuses[status]++
	}
	if statuses[403] != 5 || statuses[429] != 1 {
		t.Errorf("six wrong passwords answered %v, want five 403 and then 429", statuses)
	}
	// Blocked now even with the right password; nothing was signed.
	status, _, _ := ms.call("POST", path+"/justering", chair, map[string]any{"password": demo.Password})
	ms.ok(200, "GET", path, sec, nil, &m)
	if status != 429 || m.Status != workflow.MeetingHeld {
		t.Errorf("right password while blocked: %d, meeting %s", status, m.Status)
	}
}
