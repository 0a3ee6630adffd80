package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

type diaryJSON struct {
	Items []diaryEntryJSON
	Total int
}

type diaryEntryJSON struct {
	Number, Board, Title, Officer string
	Withheld                      bool
	Registered                    string
}

type diaryCaseJSON struct {
	Number, Title, Summary, Background, Officer string
	Withheld                                    bool
	ReportPublic                                bool `json:"report_public"`
	Proposals                                   []string
	Documents                                   []struct{ Name, Registered string }
	Decisions                                   []struct {
		Paragraph  string
		Type       string
		Text       string
		Notice     string
		Justified  bool
		LegalForce string `json:"legal_force"`
		AppealEnds string `json:"appeal_ends"`
	}
	Route []struct{ Body, Status string }
}

func readDiary(s *server, query string) (diaryJSON, response) {
	s.T.Helper()
	r := s.Request("GET", "/api/v1/diary"+query, "", nil)
	var d diaryJSON
	if r.Status == http.StatusOK {
		r.Decode(s.T, &d)
	}
	return d, r
}

func TestDiaryIsPublicAndWithholdsSecrets(t *testing.T) {
	s := startServer(t)
	d, r := readDiary(s, "?per_page=200")
	if r.Status != http.StatusOK || d.Total != 14 || len(d.Items) != 14 {
		t.Fatalf("diary without login: %d, %d of %d cases", r.Status, len(d.Items), d.Total)
	}
	for _, w := range secretWords {
		if strings.Contains(string(r.Body), w) {
			t.Errorf("the diary shows %q from the secret case", w)
		}
	}
	found := false
	for _, e := range d.Items {
		if e.Number == secretNumber {
			found = true
			if !e.Withheld || e.Title != workflow.WithheldText || e.Officer != "" {
				t.Errorf("secret case in the diary: %+v", e)
			}
		} else if e.Withheld || e.Title == "" || e.Officer == "" || e.Registered == "" {
			t.Errorf("open case withheld or incomplete: %+v", e)
		}
	}
	if !found {
		t.Errorf("the secret case is not registered in the diary at all")
	}
	// A search finds the secret case by number, never by what it is about.
	if d, _ := readDiary(s, "?q="+url.QueryEscape("förvaltningsrätten")); d.Total != 0 {
		t.Errorf("searching the secret title found %d cases", d.Total)
	}
	if d, _ := readDiary(s, "?q="+secretNumber); d.Total != 1 || !d.Items[0].Withheld {
		t.Errorf("searching the secret case's number: %+v", d)
	}
	// The seed and this year's report, which the recurring assignment made.
	if d, _ := readDiary(s, "?q=internationell"); d.Total != 2 || !slices.ContainsFunc(d.Items, func(e diaryEntryJSON) bool {
		return e.Number == demo.SeedNumber
	}) || !slices.ContainsFunc(d.Items, func(e diaryEntryJSON) bool { return e.Title == "Internationell redovisning 2026" }) {
		t.Errorf("searching an open title: %+v", d)
	}
	if d, _ := readDiary(s, "?board=KS&year=2026"); d.Total != 1 || d.Items[0].Number != "KS-2026-1" {
		t.Errorf("board and year filter: %+v", d)
	}
	for _, q := range []string{"?year=20x6", "?page=0", "?per_page=500"} {
		_, r := readDiary(s, q)
		wantProblem(t, r, http.StatusUnprocessableEntity)
	}

	var sc diaryCaseJSON
	s.Request("GET", "/api/v1/diary/"+secretNumber, "", nil).Decode(t, &sc)
	if !sc.Withheld || sc.ReportPublic || sc.Summary != "" || sc.Officer != "" || sc.Title != workflow.WithheldText || len(sc.Route) != 2 {
		t.Errorf("secret case: %+v", sc)
	}
	page := s.Request("GET", "/diarium/"+secretNumber, "", nil)
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), secretNumber) {
		t.Fatalf("secret case page: %d", page.Status)
	}
	for _, w := range secretWords {
		if strings.Contains(string(page.Body), w) {
			t.Errorf("the secret case's page shows %q", w)
		}
	}
}

func TestDiaryCaseShowsWhatIsPublic(t *testing.T) {
	s := startServer(t)
	get := func(number string) diaryCaseJSON {
		t.Helper()
		var d diaryCaseJSON
		r := s.Request("GET", "/api/v1/diary/"+number, "", nil)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", number, r.Status, r.Body)
		}
		r.Decode(t, &d)
		return d
	}
	// A draft is registered with its documents, but the report is a working paper.
	draft := get(demo.DraftNumber)
	if draft.ReportPublic || draft.Summary != "" || len(draft.Proposals) != 0 || len(draft.Documents) != 2 ||
		draft.Title != "Handlingsplan mot hemlöshet 2027–2030" || draft.Documents[0].Registered != "2025-01-13" {
		t.Errorf("draft in the diary: %+v", draft)
	}
	// The seed, decided in 2020: the report and the paragraphs of the
	// arbetsutskott and the nämnd (the presidium keeps no protokoll), with
	// the nämnd's legal dates.
	seed := get(demo.SeedNumber)
	if !seed.ReportPublic || len(seed.Proposals) != 2 || len(seed.Documents) != 2 || seed.Documents[0].Registered != "2019-12-10" ||
		len(seed.Decisions) != 2 {
		t.Fatalf("the seed in the diary: %+v", seed)
	}
	// The demo's secretary published the nämnd's protokoll of 2020-01-30.
	if d := seed.Decisions[1]; d.Paragraph != "§ 1" || !d.Justified || d.AppealEnds != "2020-02-21" || d.LegalForce != "2020-02-22" ||
		!strings.HasPrefix(d.Text, "1. Arbetsmarknads- och socialnämnden beslutar att godkänna redovisningen") || d.Notice != "" {
		t.Errorf("the seed's decision in the diary: %+v", d)
	}
	// The nämnd's newest protokoll waits for the secretary's review: justerat
	// but not yet published on the web, its decisions show the § and the
	// legal dates, not the decision.
	decided := get("ASN-2026-5")
	if len(decided.Decisions) != 2 {
		t.Fatalf("decided case: %+v", decided)
	}
	if d := decided.Decisions[1]; d.Paragraph != "§ 2" || !d.Justified || d.LegalForce == "" ||
		d.Text != "" || d.Type != "" || d.Notice != workflow.NotPublishedText {
		t.Errorf("a decision before publication: %+v", d)
	}
	publishEveryProtokoll(t, s)
	// Decided at a meeting whose protokoll is justerat and anslaget: the decision with its § and dates.
	decided = get("ASN-2026-5")
	// The arbetsutskott's paragraph, then the nämnd's; the presidium keeps no protokoll.
	if !decided.ReportPublic || len(decided.Proposals) != 1 || len(decided.Decisions) != 2 {
		t.Fatalf("decided case: %+v", decided)
	}
	// § 2 of the nämnd's year: the verksamhetsberättelse got § 1 two weeks before.
	if d := decided.Decisions[1]; d.Paragraph != "§ 2" || !d.Justified || d.LegalForce == "" || d.AppealEnds == "" || d.Type != "approved" {
		t.Errorf("decision in the diary: %+v", d)
	}
	// At the board, not yet decided: the AU's paragraph only.
	if d := get("ASN-2026-4"); len(d.Decisions) != 1 || !d.ReportPublic {
		t.Errorf("undecided case: %+v", d)
	}
	wantProblem(t, s.Request("GET", "/api/v1/diary/ASN-2026-999", "", nil), http.StatusNotFound)

	page := s.Request("GET", "/diarium?q=internationell", "", nil)
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), `href="/diarium/ASN-2019-17886"`) ||
		!strings.Contains(string(page.Body), `<h1>Diarium</h1>`) {
		t.Errorf("diary page: %d", page.Status)
	}
	if p := s.Request("GET", "/diarium?year=abc", "", nil); p.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(p.Body), "fyra siffror") {
		t.Errorf("diary page with a bad year: %d", p.Status)
	}
}

// Logged-in staff who do not work with a secret case see its registration, not its content.
func TestSecretCaseForStaffOutsideIt(t *testing.T) {
	s := startServer(t)
	const ks = "ks.utredare@kommun.example"
	if _, err := s.Store.SeedUser(context.Background(), db.NewUser{Email: ks, Name: "Karl Stadskontoret",
		Password: demo.Password, Grants: []workflow.Grant{{Board: "KS", Role: workflow.RoleOfficer}}}); err != nil {
		t.Fatal(err)
	}
	var c caseJSON
	s.As(ks, "GET", "/api/v1/cases/"+secretNumber, nil).Decode(t, &c)
	if c.Title != workflow.WithheldText || c.Summary != "" || len(c.Proposals) != 0 || c.Number != secretNumber || len(c.Route) != 2 {
		t.Errorf("secret case for KS staff: %+v", c)
	}
	// The officer and the board's staff see everything.
	for _, who := range []string{officer, secretary, manager} {
		if got := s.GetCase(who, secretNumber); !strings.Contains(got.Title, "förvaltningsrätten") || got.Summary == "" {
			t.Errorf("%s does not see the secret case: %q", who, got.Title)
		}
	}
	list := s.As(ks, "GET", "/api/v1/cases?per_page=200", nil)
	hist := s.As(ks, "GET", "/api/v1/cases/"+secretNumber+"/events", nil)
	page := s.As(ks, "GET", "/api/v1/cases?q=f%C3%B6rvaltningsr%C3%A4tten", nil)
	for name, r := range map[string]response{"list": list, "history": hist} {
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", name, r.Status)
		}
		for _, w := range secretWords {
			if strings.Contains(string(r.Body), w) {
				t.Errorf("the %s shows %q to staff outside the case", name, w)
			}
		}
	}
	var found casePage
	page.Decode(t, &found)
	if found.Total != 0 {
		t.Errorf("KS staff found the secret case by its title: %+v", found)
	}
	if listCases(s, "?q=f%C3%B6rvaltningsr%C3%A4tten").Total != 1 {
		t.Error("the officer cannot find the secret case by its title")
	}
	// On its meeting's agenda and protokoll it is a number for people outside the board.
	meeting := "/api/v1/meetings/" + strconv.FormatInt(s.GetCase(secretary, secretNumber).Route[0].Meeting, 10)
	for _, path := range []string{meeting, meeting + "/protokoll"} {
		r := s.As(ks, "GET", path, nil)
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), secretNumber) && path == meeting {
			t.Fatalf("%s for KS staff: %d %s", path, r.Status, r.Body)
		}
		for _, w := range secretWords {
			if strings.Contains(string(r.Body), w) {
				t.Errorf("%s shows %q to staff outside the board", path, w)
			}
		}
	}
	if r := s.As(secretary, "GET", meeting, nil); !strings.Contains(string(r.Body), "förvaltningsrätten") {
		t.Errorf("the board's secretary does not see the secret case's title on the agenda")
	}
	// Its files open for the board's staff only.
	up := uploadFile(s, secretary, secretNumber, "file", "yttrande.txt", []byte("Uppgifter om den enskilde"))
	if up.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", up.Status, up.Body)
	}
	var att struct{ ID int64 }
	up.Decode(t, &att)
	path := "/api/v1/cases/" + secretNumber + "/attachments/" + strconv.FormatInt(att.ID, 10)
	wantProblem(t, s.As(ks, "GET", path, nil), http.StatusForbidden)
	if r := s.As(manager, "GET", path, nil); r.Status != http.StatusOK || string(r.Body) != "Uppgifter om den enskilde" {
		t.Errorf("the approver's download: %d %q", r.Status, r.Body)
	}
}

// publishEveryProtokoll publishes every justerat protokoll of the demo on
// the web, with nothing withheld, as the secretary does: only then are
// their decisions public.
func publishEveryProtokoll(t *testing.T, s *server) {
	t.Helper()
	ctx := context.Background()
	sec, err := s.Store.UserByEmail(ctx, "sekreterare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"ASN", "ASN-AU"} {
		ms, err := s.Store.Meetings(ctx, db.MeetingFilter{Body: body})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Status.AtLeast(workflow.MeetingJustified) {
				if _, err := s.Store.Publish(ctx, m.ID, sec, db.RedactionInput{}, db.PublishedPDF{Data: []byte("%PDF-1.4\n")}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// The diary's page for visitors who are not logged in is drawn once and
// then kept while the database is unchanged (httpx.RenderPublic): asked
// again it is the same page, from the cache; after any change it is drawn
// anew, at once, secrecy included. A logged-in person's page (their name,
// their form token) is never kept, nor shown to anyone else.
func TestDiaryPageKeptForVisitors(t *testing.T) {
	s := startServer(t)
	first := s.Request("GET", "/diarium", "", nil)
	before := s.Store.ListCacheStats()
	again := s.Request("GET", "/diarium", "", nil)
	if first.Status != http.StatusOK || again.Status != http.StatusOK || string(first.Body) != string(again.Body) {
		t.Fatalf("asked twice: %d and %d, same page %v", first.Status, again.Status, string(first.Body) == string(again.Body))
	}
	if got := again.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	if after := s.Store.ListCacheStats(); after.Hits != before.Hits+1 || after.Misses != before.Misses {
		t.Errorf("asked again: %d hits and %d misses, want 1 and 0", after.Hits-before.Hits, after.Misses-before.Misses)
	}

	b := newSiteBrowser(t, s)
	mine := b.Get("/diarium")
	if mine.Status != http.StatusOK || !strings.Contains(mine.Body, `name="_csrf" value="`+b.CSRF+`"`) {
		t.Fatalf("logged in: %d, the page has no logout form with the session's token", mine.Status)
	}
	if p := s.Request("GET", "/diarium", "", nil); string(p.Body) != string(first.Body) || strings.Contains(string(p.Body), b.CSRF) {
		t.Errorf("a visitor after a logged-in person: not the visitor's page")
	}

	// A secret case registered: at the top of the next visitor's page,
	// withheld.
	in := map[string]any{"board": "ASN", "title": "Skyddad placering av barn", "secret": true, "officer": officer,
		"summary": "Sammanfattning.", "background": "Känsliga uppgifter.", "proposals": []string{"Nämnden föreslås besluta."}}
	var made struct{ Number string }
	if r := s.As(secretary, "POST", "/api/v1/cases", in); r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	} else {
		r.Decode(t, &made)
	}
	p := s.Request("GET", "/diarium", "", nil)
	body := string(p.Body)
	if !strings.Contains(body, `href="/diarium/`+made.Number+`"`) || strings.Contains(body, "Skyddad placering") {
		t.Errorf("after a secret case: registered %v, title shown %v", strings.Contains(body, made.Number), strings.Contains(body, "Skyddad placering"))
	}
	// Another address is another page.
	if p := s.Request("GET", "/diarium?board=KS", "", nil); p.Status != http.StatusOK || strings.Contains(string(p.Body), made.Number) {
		t.Errorf("KS's diary: %d, shows ASN's new case %v", p.Status, strings.Contains(string(p.Body), made.Number))
	}
}
