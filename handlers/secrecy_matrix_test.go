package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/internal/apitest"
	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/workflow"
)

// secrecyCase is one case of the matrix, every section of it marked with a
// word found nowhere else, so a leak shows wherever it happens.
type secrecyCase struct {
	number, officer, approver, recipient string
	markers                              []string
	deadline, attachment                 int64
	paragraph                            int
}

// newSecrecyCase registers a case in ASN whose every text carries prefix,
// with its own officer and approver, on the route to the nämnd meeting m.
func newSecrecyCase(t *testing.T, ms *meetingSite, prefix string, secret bool, m workflow.Meeting) secrecyCase {
	t.Helper()
	ctx := context.Background()
	lower := strings.ToLower(prefix)
	name := strings.ToUpper(prefix[:1]) + lower[1:]
	c := secrecyCase{officer: "Ingrid " + name + "sdotter", approver: "Gustav " + name + "sson", recipient: prefix + "MOTTAGARE"}
	officer, err := ms.Store.SeedUser(ctx, db.NewUser{Email: lower + ".officer@kommun.example", Name: c.officer,
		Password: demo.Password, Grants: []workflow.Grant{{Board: "ASN", Role: workflow.RoleOfficer}}})
	if err != nil {
		t.Fatal(err)
	}
	approver, err := ms.Store.SeedUser(ctx, db.NewUser{Email: lower + ".approver@kommun.example", Name: c.approver,
		Password: demo.Password, Grants: []workflow.Grant{{Board: "ASN", Role: workflow.RoleApprover}}})
	if err != nil {
		t.Fatal(err)
	}
	// "Aaa" sorts first by its real title, so a withheld title that still
	// decided the order would show.
	cs, err := ms.Store.CreateCase(ctx, db.CaseInput{Board: "ASN", Title: "Aaa sekretessprov " + prefix + "TITEL",
		Summary: prefix + "SAMMANFATTNING", Proposals: []string{"Nämnden föreslås besluta att " + prefix + "FORSLAG"},
		Background: prefix + "BAKGRUND", Secret: secret, Route: []db.StepInput{{Body: "ASN", Date: m.Date.String()}},
		Approvers:  []db.ApproverInput{{Email: approver.Email, Position: "Enhetschef"}},
		Recipients: []workflow.Recipient{{Name: c.recipient, Email: lower + "mottagare@example.org"}}}, officer)
	if err != nil {
		t.Fatal(err)
	}
	c.number = cs.Number
	c.markers = []string{prefix + "TITEL", prefix + "SAMMANFATTNING", prefix + "FORSLAG", prefix + "BAKGRUND", c.recipient,
		lower + "mottagare@", prefix + "BESLUT", prefix + "BEVAKNING", prefix + "BILAGA", prefix + "INNEHALL", c.officer, c.approver,
		fmt.Sprintf(`"approver:%d"`, approver.ID)} // a bevakning's ref names the approver
	a, err := ms.Store.AddAttachment(ctx, c.number, officer, db.NewAttachment{Name: prefix + "BILAGA.txt", ContentType: "text/plain",
		Data: []byte(prefix + "INNEHALL")})
	if err != nil {
		t.Fatal(err)
	}
	c.attachment = a.ID
	d, err := ms.Store.AddDeadline(ctx, c.number, db.DeadlineInput{Due: m.Date.AddDays(20).String(), Note: prefix + "BEVAKNING"}, officer)
	if err != nil {
		t.Fatal(err)
	}
	c.deadline = d.ID
	return c
}

// matrixViewer is one column of the matrix: someone on the case's board,
// someone on another board, or the public.
type matrixViewer struct {
	name  string
	own   bool
	token string
	web   *browser
}

// The secrecy matrix: every read path of the API, the pages, the feeds, the
// PDFs and the mail, for someone on the board, someone on another board and
// the public, on a secret case and an open one. A secret case's content and
// the people it names reach only the people it involves; the open case,
// read the same way, shows that each path does carry content.
func TestSecrecyMatrix(t *testing.T) {
	ms := newMeetingSite(t)
	ctx := context.Background()
	m, _ := ms.BoardMeeting()
	secret := newSecrecyCase(t, ms, "HEMLIG", true, m)
	open := newSecrecyCase(t, ms, "OPPEN", false, m)
	if _, err := ms.Store.SeedUser(ctx, db.NewUser{Email: "ks.officer@kommun.example", Name: "Karin Utanför",
		Password: demo.Password, Grants: []workflow.Grant{{Board: "KS", Role: workflow.RoleOfficer}, {Board: "KS", Role: workflow.RoleAdmin}}}); err != nil {
		t.Fatal(err)
	}
	outsider := apiToken(t, ms.Base, "ks.officer@kommun.example")

	// 403 messages name nobody a secret case names (fault 3).
	for _, c := range []secrecyCase{secret, open} {
		officer := apiToken(t, ms.Base, officerEmail(c))
		p := refusedAction(t, ms, outsider, c.number, "submit")
		if strings.Contains(p, c.officer) != (c.number == open.number) {
			t.Errorf("%s: submit refused to an outsider says %q", c.number, p)
		}
		actAPI(t, ms, officer, c.number, "submit")
		p = refusedAction(t, ms, outsider, c.number, "approve")
		if strings.Contains(p, c.approver) != (c.number == open.number) {
			t.Errorf("%s: approve refused to an outsider says %q", c.number, p)
		}
		actAPI(t, ms, apiToken(t, ms.Base, approverEmail(c)), c.number, "approve")
	}

	// An outsider may not set a bevakning on a secret case, nor be made
	// responsible for one (fault 1); the demo's own secret case included.
	before := ms.MeetingFingerprint()
	for _, number := range []string{secret.number, demoSecretCase(t, ms)} {
		r := apitest.Send(t, http.DefaultClient, "POST", ms.Base+"/api/v1/cases/"+number+"/deadlines", outsider,
			map[string]string{"due": m.Date.AddDays(10).String(), "note": "Titta"})
		if r.Status != http.StatusForbidden {
			t.Errorf("outsider's bevakning on %s: %d %s", number, r.Status, r.Body)
		}
	}
	r := apitest.Send(t, http.DefaultClient, "POST", ms.Base+"/api/v1/cases/"+secret.number+"/deadlines",
		apiToken(t, ms.Base, "sekreterare@kommun.example"),
		map[string]string{"due": m.Date.AddDays(10).String(), "note": "Titta", "responsible": "ks.officer@kommun.example"})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "responsible") {
		t.Errorf("an outsider made responsible: %d %s", r.Status, r.Body)
	}
	ms.UnchangedMeetings(before)

	// The nämnd decides both at its meeting; the protokoll is justerat and posted.
	sec := ms.Held(m)
	ms.WithAdjusters(sec, m)
	secretary, _ := ms.Store.UserByEmail(ctx, "sekreterare@kommun.example")
	for _, c := range []*secrecyCase{&secret, &open} {
		p, _, err := ms.Store.Decide(ctx, m.ID, secretary, db.DecisionInput{Case: c.number, Type: workflow.DecisionApproved,
			Text: "Nämnden beslutar att " + strings.TrimSuffix(c.markers[0], "TITEL") + "BESLUT"})
		if err != nil {
			t.Fatal(err)
		}
		c.paragraph = p.Number
	}
	ms.At(m.Date.AddDays(1).At(10, 0))
	for _, email := range []string{"ordforande@kommun.example", "ledamot@kommun.example"} {
		u, _ := ms.Store.UserByEmail(ctx, email)
		if _, err := ms.Store.Sign(ctx, m.ID, u); err != nil {
			t.Fatal(err)
		}
	}
	ms.At(m.Date.AddDays(2).At(9, 0))
	if _, err := ms.Store.Post(ctx, m.ID, secretary, m.Date.AddDays(2)); err != nil {
		t.Fatal(err)
	}
	// Published on the web: only then are the decisions public at all.
	if _, err := ms.Store.Publish(ctx, m.ID, secretary, db.RedactionInput{}, db.PublishedPDF{Data: []byte("%PDF-1.4\n")}); err != nil {
		t.Fatal(err)
	}

	viewers := []matrixViewer{
		{name: "own board", own: true, token: apiToken(t, ms.Base, "admin@kommun.example"), web: ms.Login("admin@kommun.example")},
		{name: "other board", token: apiToken(t, ms.Base, "ks.officer@kommun.example"), web: ms.Login("ks.officer@kommun.example")},
		{name: "public", web: ms.Browser()},
	}
	mid := strconv.FormatInt(m.ID, 10)
	for _, v := range viewers {
		for _, c := range []secrecyCase{secret, open} {
			mayRead := v.own || c.number == open.number
			api := func(path string) string {
				return string(apitest.Send(t, http.DefaultClient, "GET", ms.Base+path, v.token, nil).Body)
			}
			// Pick lists of people (responsible, officer filter) are the staff
			// directory, not the case: they name everyone, so they go.
			web := func(path string) string { return selectList.ReplaceAllString(v.web.Get(path).Body, "") }
			pdf := func(body string) string {
				if !strings.HasPrefix(body, "%PDF") {
					return body
				}
				return pdftest.Text(t, []byte(body))
			}
			q := "sekretessprov" // in both titles; a marker in the query would be echoed back
			paths := []struct {
				name    string
				body    string
				content bool // shows the case's content to a reader who may see it
			}{
				{"API case", api("/api/v1/cases/" + c.number), true},
				{"API events", api("/api/v1/cases/" + c.number + "/events"), false},
				{"API case deadlines", api("/api/v1/cases/" + c.number + "/deadlines"), true},
				{"API deadline", api("/api/v1/deadlines/" + itoa(c.deadline)), true},
				{"API list search", api("/api/v1/cases?q=" + q), true},
				{"API list by officer", api("/api/v1/cases?officer=" + url.QueryEscape(officerEmail(c))), true},
				{"API list by title", api("/api/v1/cases?sort=title&per_page=200"), false},
				{"API my deadlines", api("/api/v1/me/deadlines"), false},
				{"API meeting", api("/api/v1/meetings/" + mid), true},
				{"API protokoll", api("/api/v1/meetings/" + mid + "/protokoll"), true},
				{"API protokoll PDF", pdf(api("/api/v1/meetings/" + mid + "/protokoll.pdf")), true},
				{"API utdrag PDF", pdf(api("/api/v1/meetings/" + mid + "/paragraphs/" + strconv.Itoa(c.paragraph) + "/utdrag.pdf")), true},
				{"API attachment", api("/api/v1/cases/" + c.number + "/attachments/" + itoa(c.attachment)), true},
				{"API outbox", api("/api/v1/outbox?per_page=200"), false},
				{"API diary", api("/api/v1/diary?q=" + q), false},
				{"API diary case", api("/api/v1/diary/" + c.number), false},
				{"page case", web("/cases/" + c.number), true},
				{"page list search", web("/cases?q=" + q), true},
				{"page list by title", web("/cases?sort=title"), false},
				{"page start", web("/"), false},
				{"page deadlines", web("/deadlines"), false},
				{"page meeting", web("/meetings/" + mid), true},
				{"page protokoll", web("/meetings/" + mid + "/protokoll"), true},
				{"page protokoll PDF", pdf(web("/meetings/" + mid + "/protokoll.pdf")), true},
				{"page utdrag PDF", pdf(web("/meetings/" + mid + "/paragraphs/" + strconv.Itoa(c.paragraph) + "/utdrag.pdf")), true},
				{"page attachment", web("/cases/" + c.number + "/attachments/" + itoa(c.attachment)), true},
				{"page outbox", web("/admin/outbox"), false},
				{"page diary", web("/diarium?q=" + q), false},
				{"page diary case", web("/diarium/" + c.number), false},
				{"body calendar", web("/calendar/ASN.ics"), false},
			}
			for _, p := range paths {
				var leaked []string
				for _, mk := range c.markers {
					if strings.Contains(p.body, mk) {
						leaked = append(leaked, mk)
					}
				}
				switch {
				case !mayRead && len(leaked) > 0:
					i := strings.Index(p.body, leaked[0])
					t.Errorf("%s reads %s of secret %s and sees %v: …%s…", v.name, p.name, c.number, leaked, p.body[max(0, i-300):min(len(p.body), i+100)])
				case mayRead && v.token != "" && p.content && len(leaked) == 0:
					t.Errorf("%s reads %s of %s and sees none of its content: the path shows nothing to test", v.name, p.name, c.number)
				}
			}
		}
		// Search: a withheld word finds nothing, in the list or the diary, for
		// a reader it is withheld from; the same words of the open case find
		// it, so each search does look where the words are.
		for _, c := range []secrecyCase{secret, open} {
			mayRead := v.own || c.number == open.number
			prefix := strings.TrimSuffix(c.markers[0], "TITEL")
			for _, word := range []string{"TITEL", "SAMMANFATTNING", "FORSLAG", "BAKGRUND", "MOTTAGARE", "BESLUT", "BILAGA", "INNEHALL"} {
				q := url.QueryEscape(prefix + word)
				var page struct{ Total int }
				if v.token != "" {
					r := apitest.Send(t, http.DefaultClient, "GET", ms.Base+"/api/v1/cases?q="+q, v.token, nil)
					if json.Unmarshal(r.Body, &page) != nil || page.Total != map[bool]int{true: 1, false: 0}[mayRead] {
						t.Errorf("%s searches the list for %s%s: %d %s", v.name, prefix, word, r.Status, r.Body)
					}
				}
				// The diary shows no file contents, and nothing of the secret case.
				r := apitest.Send(t, http.DefaultClient, "GET", ms.Base+"/api/v1/diary?q="+q, v.token, nil)
				want := map[bool]int{true: 1, false: 0}[c.number == open.number && word != "INNEHALL"]
				if json.Unmarshal(r.Body, &page) != nil || page.Total != want {
					t.Errorf("%s searches the diary for %s%s: %d %s", v.name, prefix, word, r.Status, r.Body)
				}
			}
		}
		if v.token != "" {
			wantTitleOrder(t, v.name, ms.Base, v.token)
			for _, c := range []secrecyCase{secret, open} {
				var page struct{ Total int }
				r := apitest.Send(t, http.DefaultClient, "GET", ms.Base+"/api/v1/cases?officer="+url.QueryEscape(officerEmail(c)), v.token, nil)
				json.Unmarshal(r.Body, &page)
				if want := map[bool]int{true: 1, false: 0}[v.own || c.number == open.number]; page.Total != want {
					t.Errorf("%s filters by the officer of %s: %d cases, want %d", v.name, c.number, page.Total, want)
				}
			}
		}
	}

	// The calendar of the secret case's officer leaves the service (Outlook):
	// it names the case by number only.
	officerToken := apiToken(t, ms.Base, officerEmail(secret))
	var feed struct{ URL string }
	if r := apitest.Send(t, http.DefaultClient, "POST", ms.Base+"/api/v1/me/calendar", officerToken, nil); r.Status != 201 ||
		json.Unmarshal(r.Body, &feed) != nil {
		t.Fatalf("calendar address: %d %s", r.Status, r.Body)
	}
	ics := string(apitest.Send(t, http.DefaultClient, "GET", feed.URL, "", nil).Body)
	if !strings.Contains(ics, secret.number) {
		t.Errorf("the officer's feed lacks the bevakning on %s", secret.number)
	}
	for _, mk := range secret.markers[:10] { // the feed is the officer's own, under their name
		if strings.Contains(ics, mk) {
			t.Errorf("the officer's calendar feed carries %q", mk)
		}
	}

	// Mail: nobody the secret case does not involve was mailed its content.
	out, err := ms.Store.Outbox(ctx, dbOutboxAll())
	if err != nil {
		t.Fatal(err)
	}
	involved := map[string]bool{"hemlig.officer@kommun.example": true, "hemlig.approver@kommun.example": true}
	for _, mail := range out.Items {
		u, err := ms.Store.UserByEmail(ctx, mail.To)
		if involved[mail.To] || (err == nil && u.WorksFor("ASN")) {
			continue
		}
		for _, mk := range secret.markers {
			if strings.Contains(mail.Subject+mail.Text+mail.HTML, mk) {
				t.Errorf("mail to %s (%s) carries %q", mail.To, mail.Subject, mk)
			}
		}
	}
}

func officerEmail(c secrecyCase) string {
	return strings.ToLower(c.markers[0][:len(c.markers[0])-5]) + ".officer@kommun.example"
}
func approverEmail(c secrecyCase) string {
	return strings.Replace(officerEmail(c), ".officer@", ".approver@", 1)
}

// actAPI takes an action on the case's current version and fails the test if it is refused.
func actAPI(t *testing.T, ms *meetingSite, token, number, action string) {
	t.Helper()
	c, err := ms.Store.Case(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	r := apitest.Send(t, http.DefaultClient, "POST", ms.Base+"/api/v1/cases/"+number+"/actions", token,
		map[string]any{"action": action, "version": c.Version})
	if r.Status != 200 {
		t.Fatalf("%s %s: %d %s", action, number, r.Status, r.Body)
	}
}

// refusedAction takes an action that must be refused with 403, and returns its detail.
func refusedAction(t *testing.T, ms *meetingSite, token, number, action string) string {
	t.Helper()
	c, err := ms.Store.Case(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	r := apitest.Send(t, http.DefaultClient, "POST", ms.Base+"/api/v1/cases/"+number+"/actions", token,
		map[string]any{"action": action, "version": c.Version})
	var p struct{ Detail string }
	if r.Status != http.StatusForbidden || json.Unmarshal(r.Body, &p) != nil {
		t.Fatalf("%s %s by an outsider: %d %s", action, number, r.Status, r.Body)
	}
	return p.Detail
}

// demoSecretCase is the number of the demo's secret case, found as the
// public finds it: withheld in the diary.
func demoSecretCase(t *testing.T, ms *meetingSite) string {
	t.Helper()
	page, err := ms.Store.Diary(context.Background(), db.DiaryFilter{Board: "ASN", PerPage: db.MaxPerPage})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range page.Items {
		if c, err := ms.Store.Case(context.Background(), e.Number); e.Withheld && err == nil && strings.Contains(c.Title, "förvaltningsrätten") {
			return e.Number
		}
	}
	t.Fatal("the demo has no secret case in the diary")
	return ""
}

// wantTitleOrder fails unless the case list sorted by title is in the order
// of the titles the viewer sees: a withheld title must not place its case.
func wantTitleOrder(t *testing.T, who, base, token string) {
	t.Helper()
	var page struct {
		Items []struct{ Number, Title string }
	}
	r := apitest.Send(t, http.DefaultClient, "GET", base+"/api/v1/cases?sort=title&per_page=200", token, nil)
	if err := json.Unmarshal(r.Body, &page); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(page.Items); i++ {
		if a, b := asciiFold(page.Items[i-1].Title), asciiFold(page.Items[i].Title); a > b {
			t.Errorf("%s: sorted by title, %s %q comes before %s %q", who, page.Items[i-1].Number, page.Items[i-1].Title,
				page.Items[i].Number, page.Items[i].Title)
		}
	}
}

var selectList = regexpMust(`(?s)<select.*?</select>`)

// asciiFold lowers ASCII letters only, as SQLite's NOCASE collation does.
func asciiFold(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}
