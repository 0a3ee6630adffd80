package public_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/workflow"
)

// The texts the cross-surface test plants in the protokoll: the decision of
// the paragraph the secretary withholds, and a private person's name in a
// decision shown (both words the demo has nowhere else).
const (
	withheldMarker = "UNDANTAGENPARAGRAF"
	privateName    = "Greta Gömdsson"
)

// postedProtokoll is the demo's anslagen meeting of ASN's bodies with the
// most paragraphs, and its protokoll.
func postedProtokoll(t *testing.T, store *db.Store) workflow.Minutes {
	t.Helper()
	ctx := context.Background()
	var best workflow.Minutes
	for _, body := range []string{"ASN", "ASN-AU"} {
		ms, err := store.Meetings(ctx, db.MeetingFilter{Body: body})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Status != workflow.MeetingPosted {
				continue
			}
			min, err := store.Minutes(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(min.Paragraphs) > len(best.Paragraphs) {
				best = min
			}
		}
	}
	if len(best.Paragraphs) < 2 {
		t.Fatalf("the demo has no anslagen meeting with two paragraphs")
	}
	return best
}

// get reads a public address without login.
func get(t *testing.T, u string) (int, http.Header, string) {
	t.Helper()
	r, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return r.StatusCode, r.Header, string(b)
}

// publicSurfaces reads everything the public can read about the meeting
// and its cases: the diary (pages, JSON, search), OParl (crawled whole),
// the published protokoll (page, and PDF as text) and the anslagstavla
// with its feed and archive; by address.
func publicSurfaces(t *testing.T, base string, pm workflow.Minutes, words []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	read := func(path string) {
		status, _, body := get(t, base+path)
		if status != http.StatusOK && status != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, status)
		}
		if strings.HasSuffix(path, ".pdf") && status == http.StatusOK {
			body = pdftest.Text(t, []byte(body))
		}
		out[path] = body
	}
	for _, p := range pm.Paragraphs {
		read("/diarium/" + p.CaseNumber)
		read("/api/v1/diary/" + p.CaseNumber)
	}
	// The diary's search (its page echoes the query, so its JSON is read):
	// a word of the protokoll the public may not read finds nothing.
	for _, w := range words {
		var page struct{ Total int }
		status, _, body := get(t, base+"/api/v1/diary?q="+url.QueryEscape(w))
		if err := json.Unmarshal([]byte(body), &page); err != nil || status != http.StatusOK {
			t.Fatalf("diary search %q: %d %s", w, status, body)
		}
		out["diary search "+w] = strconv.Itoa(page.Total) + " hits"
		if page.Total != 0 {
			out["diary search "+w] += " for " + w
		}
	}
	read("/diarium")
	read("/api/v1/diary?per_page=100")
	pub := workflow.PublicPath(pm.Meeting)
	read(pub)
	read(pub + ".pdf")
	for _, p := range []string{"/anslagstavla", "/anslagstavla.atom", "/anslagstavla/arkiv",
		"/anslagstavla/justering-" + strconv.FormatInt(pm.Meeting.ID, 10), "/calendar/" + pm.Meeting.Body.Code + ".ics"} {
		read(p)
	}
	for u, body := range crawlOParl(t, base, 3000, 2*time.Minute).bodies {
		out[u] = body
	}
	return out
}

// The secretary withholds a paragraph and removes two names, a private
// person's in a decision and a member's in the attendance, and publishes.
// Before that no decision of the meeting is public anywhere; after it,
// every public surface (the diary's pages, JSON and search, OParl whole,
// the protokoll as page and PDF, the anslagstavla and its feed) shows
// neither the withheld decision nor the names, and the Meeting's
// participants leave out the member whose name was removed.
func TestRedactionReachesEveryPublicSurface(t *testing.T) {
	ms := newMeetingSite(t)
	ctx := context.Background()
	pm := postedProtokoll(t, ms.Store)
	m := pm.Meeting
	withheld, named := pm.Paragraphs[0], pm.Paragraphs[1]
	var member workflow.Member
	for _, a := range pm.Attendees {
		if a.Present && !a.Adjuster && a.Member.Role != workflow.MemberStaff {
			member = a.Member
		}
	}
	if member.Name == "" {
		t.Fatalf("no present member but the justerare: %+v", pm.Attendees)
	}
	// Decision texts with the planted words, behind the service's back (the
	// search index is then built anew, as `beslutsgang reindex` does).
	raw, err := db.OpenRaw(ms.File)
	if err != nil {
		t.Fatal(err)
	}
	for number, text := range map[string]string{
		withheld.CaseNumber: "Nämnden beslutar att " + withheldMarker + " ska gälla.",
		named.CaseNumber:    "Nämnden beviljar " + privateName + " bidrag enligt ansökan.",
	} {
		if _, err := raw.Exec(rebindForEngine(ms.File, `UPDATE decisions SET text = ? WHERE meeting_id = ? AND case_id = (SELECT id FROM cases WHERE number = ?)`),
			text, m.ID, number); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(rebindForEngine(ms.File, `UPDATE cases SET decision_text = ? WHERE number = ?`), text, number); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	if err := ms.Store.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	secret := []string{withheldMarker, privateName, "Gömdsson", member.Name}

	// Justerat and anslaget, not yet published: nothing of its decisions or
	// attendance is public.
	before := publicSurfaces(t, ms.Base, pm, secret)
	for u, body := range before {
		for _, w := range secret[:3] {
			if strings.Contains(body, w) {
				t.Errorf("before publication %s shows %q", u, w)
			}
		}
	}
	if body := before[ms.Base+"/oparl/v1.1/meeting/"+strconv.FormatInt(m.ID, 10)]; strings.Contains(body, `"participant"`) ||
		strings.Contains(body, `"resolutionText"`) {
		t.Errorf("the Meeting before publication: %s", body)
	}
	// The body's public calendar links the meeting to its protokoll once
	// published, and to nothing before: never to the staff's meeting page.
	calendar := "/calendar/" + m.Body.Code + ".ics"
	protokollURL := "URL:" + ms.Base + workflow.PublicPath(m) + "\r\n"
	if cal := unfoldICS(before[calendar]); strings.Contains(cal, protokollURL) || strings.Contains(cal, "/meetings/") {
		t.Errorf("the calendar before publication links to:\n%s", cal)
	}
	if !strings.Contains(before["/api/v1/diary/"+named.CaseNumber], workflow.NotPublishedText) {
		t.Errorf("the diary does not say the protokoll is not published: %s", before["/api/v1/diary/"+named.CaseNumber])
	}

	published := time.Now().Add(time.Hour).Truncate(time.Second)
	ms.At(published)
	sec := ms.Login("sekreterare@kommun.example")
	path := meetingURL(m.ID) + "/publicering"
	sec.Get(path)
	if p := sec.Post(path, url.Values{"action": {"publish"}, "version": {"0"}, "withheld": {strconv.Itoa(withheld.Number)},
		"names": {privateName + "\n" + member.Name}}); p.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", p.Status, p.Body)
	}

	after := publicSurfaces(t, ms.Base, pm, secret)
	if cal := unfoldICS(after[calendar]); !strings.Contains(cal, protokollURL) || strings.Contains(cal, "/meetings/") {
		t.Errorf("the calendar after publication does not link the protokoll (%s):\n%s", protokollURL, cal)
	}
	for u, body := range after {
		for _, w := range secret[:3] {
			if strings.Contains(body, w) {
				i := strings.Index(body, w)
				t.Errorf("%s shows %q: …%s…", u, w, body[max(0, i-200):min(len(body), i+100)])
			}
		}
		// A member's name stays on the organ's list (Person, Membership,
		// Organization), but nowhere the meeting's protokoll shows.
		if strings.Contains(body, member.Name) && !strings.Contains(u, "/person") && !strings.Contains(u, "/membership") &&
			!strings.Contains(u, "/organization") && !strings.HasSuffix(u, "/oparl/v1.1/body/ASN/person") {
			t.Errorf("%s shows the removed member %q", u, member.Name)
		}
	}
	// Each surface does carry the published protokoll: the shown decision
	// with the name replaced, the withheld paragraph by its § and notice.
	for _, u := range []string{"/api/v1/diary/" + named.CaseNumber, workflow.PublicPath(m), workflow.PublicPath(m) + ".pdf"} {
		if !strings.Contains(after[u], workflow.NameRemovedText) {
			t.Errorf("%s does not show the decision with the name removed", u)
		}
	}
	if !strings.Contains(after["/api/v1/diary/"+withheld.CaseNumber], workflow.NotOnWebText) {
		t.Errorf("the diary does not say the paragraph is kept off the web: %s", after["/api/v1/diary/"+withheld.CaseNumber])
	}
	var meeting map[string]any
	if err := json.Unmarshal([]byte(after[ms.Base+"/oparl/v1.1/meeting/"+strconv.FormatInt(m.ID, 10)]), &meeting); err != nil {
		t.Fatal(err)
	}
	items, _ := meeting["agendaItem"].([]any)
	resolutions, numbers := 0, 0
	for _, it := range items {
		it := it.(map[string]any)
		if text, ok := it["resolutionText"].(string); ok {
			resolutions++
			if strings.Contains(text, "beviljar") && !strings.Contains(text, workflow.NameRemovedText) {
				t.Errorf("the agenda item's resolution keeps the name: %q", text)
			}
		}
		if it["number"] == withheld.Label() {
			numbers++
			if it["resolutionText"] != nil || it["result"] != nil {
				t.Errorf("the withheld paragraph's agenda item: %v", it)
			}
		}
	}
	if resolutions == 0 || numbers != 1 {
		t.Errorf("the published Meeting shows %d resolutions and the withheld § %d times: %v", resolutions, numbers, items)
	}
	participants, _ := meeting["participant"].([]any)
	if len(participants) == 0 {
		t.Fatalf("the published Meeting has no participants: %v", meeting)
	}
	for _, p := range participants {
		_, _, body := get(t, p.(string))
		if strings.Contains(body, member.Name) {
			t.Errorf("the Meeting's participant %s is the member whose name was removed", p)
		}
	}
	// The publication made decisions and participants public: the Meeting
	// (and its File) are modified then, so a client's modified_since sees it.
	_, _, body := get(t, ms.Base+"/oparl/v1.1/body/"+m.Body.Board+"/meeting?modified_since="+url.QueryEscape(published.Format(time.RFC3339)))
	var since struct{ Data []map[string]any }
	if err := json.Unmarshal([]byte(body), &since); err != nil || !slices.ContainsFunc(since.Data, func(d map[string]any) bool { return d["id"] == meeting["id"] }) {
		t.Errorf("the published meeting is not modified since the publication: %s", body)
	}
	// The File's accessUrl may be read from another origin, as the API.
	if _, h, _ := get(t, ms.Base+workflow.PublicPath(m)+".pdf"); h.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("the protokoll PDF without CORS: %v", h)
	}
}

// rebindForEngine writes the placeholders of q as the engine of dsn reads them.
func rebindForEngine(dsn, q string) string {
	if db.EngineOf(dsn) != db.PostgreSQL {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// unfoldICS joins an iCalendar text's folded lines (RFC 5545 section 3.1).
func unfoldICS(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }
