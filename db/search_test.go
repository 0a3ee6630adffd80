package db

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/docfixture"
	"github.com/kommun/beslutsgang/workflow"
)

// The project builds, tests and vets with one tag set; without the tag the
// search below is LIKE on numbers and titles.
func TestBuiltWithFullTextSearch(t *testing.T) {
	if !FullTextSearch {
		t.Fatal("the tests need the full-text index: run them with -tags sqlite_fts5, as the README and .ci/run do")
	}
	if s := mustOpen(t); !s.FullTextSearch() {
		t.Errorf("a store on %v searches without its full-text index", s.Engine())
	}
}

// searchFixture is a store with cases whose texts the search tests look for.
type searchFixture struct {
	s   *Store
	p   people
	ctx context.Context
}

func newSearchFixture(t *testing.T) *searchFixture {
	t.Helper()
	s := mustOpen(t)
	return &searchFixture{s: s, p: mustOrg(t, s), ctx: context.Background()}
}

// create registers an ASN case; edit changes the input before.
func (f *searchFixture) create(t *testing.T, title string, edit func(in *CaseInput)) string {
	t.Helper()
	in := caseInput(f.p, title)
	in.Summary, in.Background, in.Proposals = "", "", nil
	if edit != nil {
		edit(&in)
	}
	var c workflow.Case
	var err error
	if in.Number != "" {
		c, err = f.s.ImportCase(f.ctx, in, f.p.officer)
	} else {
		c, err = f.s.CreateCase(f.ctx, in, f.p.officer)
	}
	if err != nil {
		t.Fatalf("case %q: %v", title, err)
	}
	return c.Number
}

// decide records text as the decision on the case at its current step's
// meeting, held that evening.
func (f *searchFixture) decide(t *testing.T, number, text string) {
	t.Helper()
	c, err := f.s.Case(f.ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	st := c.CurrentStep()
	defer atTime(f.s, st.Date.At(19, 0))()
	m, err := f.s.Meeting(f.ctx, st.MeetingID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status == workflow.MeetingPlanned {
		if _, err := f.s.MarkNoticeSent(f.ctx, m.ID, f.p.secretary); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.s.MarkHeld(f.ctx, m.ID, f.p.secretary); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.Decide(f.ctx, m.ID, f.p.secretary, DecisionInput{Case: number, Type: workflow.DecisionApproved, Text: text}); err != nil {
		t.Fatal(err)
	}
}

// find lists the numbers of the cases viewer finds with q, best first.
func (f *searchFixture) find(t *testing.T, viewer *workflow.User, q string) []string {
	t.Helper()
	page, err := f.s.Cases(f.ctx, CaseFilter{Query: q, Viewer: viewer, PerPage: MaxPerPage})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	if page.Total != len(page.Items) {
		t.Fatalf("search %q: total %d, %d items", q, page.Total, len(page.Items))
	}
	return numbersOf(page)
}

// diary lists the numbers the public diary finds with q, best first.
func (f *searchFixture) diary(t *testing.T, q string) []string {
	t.Helper()
	page, err := f.s.Diary(f.ctx, DiaryFilter{Query: q, PerPage: MaxPerPage})
	if err != nil {
		t.Fatalf("diary search %q: %v", q, err)
	}
	var out []string
	for _, e := range page.Items {
		out = append(out, e.Number)
	}
	if page.Total != len(out) {
		t.Fatalf("diary search %q: total %d, %d items", q, page.Total, len(out))
	}
	return out
}

func TestSearchSwedish(t *testing.T) {
	f := newSearchFixture(t)
	amal := f.create(t, "Bidrag till föreningar i Åmål", nil)
	plain := f.create(t, "Bidrag till föreningar i Amal", nil)
	report := f.create(t, "Årsrapport", func(in *CaseInput) {
		in.Summary = "Nämnden får en redovisning av förskoleverksamhet och fritidshem."
	})
	eu := f.create(t, "Ansökan om medel för EU-projekt", nil)
	projekt := f.create(t, "Projektledare för europeiska utbyten", nil)
	seed := f.create(t, "Internationell redovisning 2019", func(in *CaseInput) { in.Number = "ASN-2019-17886" })
	other := f.create(t, "Ett ärende 17886 gånger", func(in *CaseInput) { in.Number = "ASN-2018-2019" })
	me := &f.p.officer
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"Åmål", []string{amal}},
		{"åmål", []string{amal}},
		{"amal", []string{plain}},
		{"redovisningen", []string{seed, report}}, // stem: redovisning; the title hit first
		{"redovisning", []string{seed, report}},
		{"skola", []string{report}}, // skol in förskoleverksamhet: the trigram index
		{"förskola", []string{report}},
		{"grundskola", nil}, // not a part of any text
		{"EU-projekt", []string{eu}},
		{"eu projekt", []string{eu}},
		{"ASN-2019-17886", []string{seed}},
		{"2019-17886", []string{seed}},
		{"17886", []string{seed, other}}, // the number before the title
		{"nämnderna", []string{report}},
		{"  ", nil}, // no query: every case (checked below)
	} {
		if strings.TrimSpace(tc.q) == "" {
			if got := f.find(t, me, tc.q); len(got) != 7 {
				t.Errorf("an empty query lists %d cases, want all 7", len(got))
			}
			continue
		}
		if got := f.find(t, me, tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("search %q = %q, want %q", tc.q, got, tc.want)
		}
	}
	_ = projekt
}

// Word hits come before trigram-only hits, and a hit in the title or number
// before one in the long text.
func TestSearchRanking(t *testing.T) {
	f := newSearchFixture(t)
	inText := f.create(t, "Budget 2027", func(in *CaseInput) {
		in.Background = strings.Repeat("Allmän bakgrund om verksamheten. ", 20) + "Här nämns skolskjuts en gång."
	})
	inTitle := f.create(t, "Skolskjuts för gymnasieelever", nil)
	compound := f.create(t, "Upphandling av grundskolskjutsar", nil)
	inSummary := f.create(t, "Riktlinjer", func(in *CaseInput) { in.Summary = "Om skolskjuts och färdtjänst." })
	got := f.find(t, &f.p.officer, "skolskjuts")
	// "grundskolskjutsar" stems to itself: only the trigram index finds skolskjuts in it.
	if want := []string{inTitle, inSummary, inText, compound}; !slices.Equal(got, want) {
		t.Errorf("ranked %q, want %q", got, want)
	}
	// A chosen sort wins over the rank.
	page, err := f.s.Cases(f.ctx, CaseFilter{Query: "skolskjuts", Viewer: &f.p.officer, Sort: "number"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{inText, inTitle, compound, inSummary}; !slices.Equal(numbersOf(page), want) {
		t.Errorf("sorted by number %q, want %q", numbersOf(page), want)
	}
}

func TestSearchSnippet(t *testing.T) {
	f := newSearchFixture(t)
	n := f.create(t, "<script>alert('rubrik')</script> Skolskjuts", func(in *CaseInput) {
		in.Summary = "Förvaltningen föreslår <b>fet</b> skolskjuts & \uE000färdtjänst\uE001 <img src=x onerror=alert(1)> för eleverna."
	})
	page, err := f.s.Cases(f.ctx, CaseFilter{Query: "skolskjutsen", Viewer: &f.p.officer})
	if err != nil || len(page.Items) != 1 || page.Items[0].Number != n {
		t.Fatalf("search: %+v, %v", page, err)
	}
	it := page.Items[0]
	snip := string(it.Snippet)
	if !strings.Contains(snip, "&gt; <mark>skolskjuts</mark> &amp;") {
		t.Errorf("snippet %q: the written word is not marked, or the text is not escaped", snip)
	}
	if strings.Contains(snip, "<img") || strings.Contains(snip, "<b>") || strings.Count(snip, "<mark>") != 1 ||
		strings.Count(snip, "</mark>") != 1 {
		t.Errorf("snippet %q carries markup of the text's own", snip)
	}
	if it.Title != "<script>alert('rubrik')</script> Skolskjuts" {
		t.Errorf("title %q: the list holds the title as written; the page escapes it", it.Title)
	}
	// A hit in the title alone has no snippet: the list shows the title.
	page, _ = f.s.Cases(f.ctx, CaseFilter{Query: "script", Viewer: &f.p.officer})
	if len(page.Items) != 1 || page.Items[0].Snippet != "" {
		t.Errorf("a title hit: %+v", page.Items)
	}
	// A trigram hit is marked too.
	page, _ = f.s.Cases(f.ctx, CaseFilter{Query: "kjuts", Viewer: &f.p.officer})
	if len(page.Items) != 1 || !strings.Contains(string(page.Items[0].Snippet), "skols<mark>kjut</mark>s") {
		t.Errorf("a trigram hit: %+v", page.Items)
	}
}

func TestSearchWithFilters(t *testing.T) {
	s, p := listFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		filter CaseFilter
		want   []string
	}{
		{"words anywhere in the text", CaseFilter{Query: "sammanställning", Sort: "number"},
			[]string{"ASN-2026-1", "ASN-2026-2", "ASN-2026-3", "ASN-2026-4", "ASN-2026-5", "KS-2026-1"}},
		{"and a board", CaseFilter{Query: "sammanställning", Board: "KS"}, []string{"KS-2026-1"}},
		{"and a stage", CaseFilter{Query: "sammanställning", Stage: workflow.StageDraft, Sort: "number"}, []string{"ASN-2026-1", "KS-2026-1"}},
		{"and an officer", CaseFilter{Query: "sammanställning", OfficerID: p.officer2.ID, Sort: "number"}, []string{"ASN-2026-4", "ASN-2026-5"}},
		{"and open only", CaseFilter{Query: "sammanställning", OfficerID: p.officer2.ID, OpenOnly: true}, []string{"ASN-2026-4"}},
		{"all of them", CaseFilter{Query: "riktlinjer", Board: "ASN", Stage: workflow.StagePresidium, OfficerID: p.officer.ID}, []string{"ASN-2026-3"}},
		{"a word in the title", CaseFilter{Query: "plan_2026"}, []string{"ASN-2026-5"}},
		{"paging", CaseFilter{Query: "sammanställning", Sort: "number", Page: 2, PerPage: 4}, []string{"ASN-2026-5", "KS-2026-1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.filter.Viewer = &p.secretary
			page, err := s.Cases(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			total := len(tc.want)
			if tc.filter.Page == 2 {
				total = 6
			}
			if got := numbersOf(page); !slices.Equal(got, tc.want) || page.Total != total {
				t.Errorf("Cases(%+v) = %q (total %d), want %q", tc.filter, got, page.Total, tc.want)
			}
		})
	}
}

// A user's input is words, never FTS5 syntax: nothing a person types makes
// the search fail.
func TestSearchInputIsPlainWords(t *testing.T) {
	f := newSearchFixture(t)
	n := f.create(t, "Policy för rock AND roll OR jazz NEAR scenen", nil)
	for _, q := range []string{`"`, `"rock`, `rock"`, `""`, `NEAR(rock roll)`, `NEAR`, `*`, `rock*`, `(`, `)`, `(rock`, `AND`, `OR`,
		`NOT`, `rock OR`, `OR rock`, `AND AND`, `-rock`, `^rock`, `title:rock`, `{title}: rock`, `+`, `'`, `\`, `%`, `_`, `\u0000`,
		"rock\x00roll", `a"b"c`, `NEAR/3`, `rock + roll`, "\uE000rock\uE001", "ﬁ", "İstanbul", "\u200brock"} {
		page, err := f.s.Cases(f.ctx, CaseFilter{Query: q, Viewer: &f.p.officer})
		if err != nil {
			t.Errorf("search %q: %v", q, err)
			continue
		}
		if _, err := f.s.Diary(f.ctx, DiaryFilter{Query: q}); err != nil {
			t.Errorf("diary search %q: %v", q, err)
		}
		_ = page
	}
	// The words of the syntax are words like any other.
	for _, q := range []string{"AND", "or", `"rock"`, "(roll)", "NEAR scenen", "rock*", "*rock*", "roll:OR"} {
		if got := f.find(t, &f.p.officer, q); !slices.Equal(got, []string{n}) {
			t.Errorf("search %q = %q, want the case", q, got)
		}
	}
	for _, q := range []string{"*", "()", `"`, "-"} {
		if got := f.find(t, &f.p.officer, q); len(got) != 0 {
			t.Errorf("search %q (no word) = %q, want nothing", q, got)
		}
	}
}

// searchRanks runs a case search as the list does and returns every hit's
// rank by case number: what decides the order the reader sees.
func searchRanks(t *testing.T, s *Store, viewer *workflow.User, q string) map[string]float64 {
	t.Helper()
	plan := s.caseSearch(q, viewer, nil, nil)
	rows, err := s.r.Query(plan.with+`SELECT cases.number, search_hits.rank FROM `+plan.from+`cases WHERE `+
		strings.Join(plan.where, " AND "), plan.withArgs...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var n string
		var r float64
		if err := rows.Scan(&n, &r); err != nil {
			t.Fatal(err)
		}
		out[n] = r
	}
	return out
}

// Secrecy before ranking: a reader the secret case does not involve never
// finds it by what is withheld (title, summary, proposals, Ärendet,
// recipients, attachment text), and what they do find, its count, order,
// rank and snippets, is the same whatever the secret case says.
func TestSearchSecrecy(t *testing.T) {
	f := newSearchFixture(t)
	open1 := f.create(t, "Skolskjuts i norra området", func(in *CaseInput) { in.Summary = "Skolskjuts för elever i Husie." })
	open2 := f.create(t, "Färdtjänst", func(in *CaseInput) {
		in.Background = strings.Repeat("Bakgrund. ", 30) + "Skolskjuts nämns också."
	})
	secret := f.create(t, "Skyddat boende HEMLIGRUBRIK", func(in *CaseInput) {
		in.Secret = true
		in.Summary = "HEMLIGSAMMANFATTNING"
		in.Proposals = []string{"HEMLIGTFORSLAG"}
		in.Background = "HEMLIGBAKGRUND"
		in.Recipients = []workflow.Recipient{{Name: "HEMLIGMOTTAGARE", Email: "hemlig@example.org"}}
	})
	if _, err := f.s.AddAttachment(f.ctx, secret, f.p.officer, NewAttachment{Name: "utredning.docx",
		Data: docfixture.DOCX(t, "HEMLIGBILAGETEXT om skolskjuts")}); err != nil {
		t.Fatal(err)
	}
	outsiders := map[string]*workflow.User{"the public": nil, "no role": &f.p.outsider, "another board": &f.p.ksSecretary}
	involved := map[string]*workflow.User{"officer": &f.p.officer, "approver": &f.p.approver1, "board's secretary": &f.p.secretary}
	words := []string{"HEMLIGRUBRIK", "hemligsammanfattning", "HEMLIGTFORSLAG", "HEMLIGBAKGRUND", "HEMLIGMOTTAGARE",
		"hemlig@example.org", "HEMLIGBILAGETEXT", "skyddat boende", "emligsammanfatt"}
	for _, w := range words {
		for who, u := range outsiders {
			if got := f.find(t, u, w); len(got) != 0 {
				t.Errorf("%s finds %q: %q", who, w, got)
			}
		}
		if got := f.diary(t, w); len(got) != 0 {
			t.Errorf("the diary finds %q: %q", w, got)
		}
		for who, u := range involved {
			if got := f.find(t, u, w); !slices.Equal(got, []string{secret}) {
				t.Errorf("%s searching %q finds %q, want the secret case", who, w, got)
			}
		}
	}
	// Its number is registration, not secret.
	for who, u := range outsiders {
		if got := f.find(t, u, secret); !slices.Equal(got, []string{secret}) {
			t.Errorf("%s searching the number finds %q", who, got)
		}
	}

	// What outsiders find for a word the secret case also holds, before and
	// after the secret case says it many more times.
	type seen struct {
		page  CasePage
		ranks map[string]float64
	}
	look := func() map[string]seen {
		out := map[string]seen{}
		for who, u := range outsiders {
			page, err := f.s.Cases(f.ctx, CaseFilter{Query: "skolskjuts", Viewer: u})
			if err != nil {
				t.Fatal(err)
			}
			out[who] = seen{page, searchRanks(t, f.s, u, "skolskjuts")}
		}
		return out
	}
	before := look()
	for who, b := range before {
		if got := numbersOf(b.page); !slices.Equal(got, []string{open1, open2}) {
			t.Errorf("%s finds %q for skolskjuts, want the two open cases", who, got)
		}
	}
	c, err := f.s.Case(f.ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	in := caseInput(f.p, "Skolskjuts skolskjuts skolskjuts")
	in.Secret, in.Summary = true, strings.Repeat("skolskjuts ", 50)
	in.Background = strings.Repeat("Lång text om skolskjuts och annat. ", 200)
	if _, err := f.s.EditDraft(f.ctx, secret, c.Version, in, f.p.officer); err != nil {
		t.Fatal(err)
	}
	if got := f.find(t, &f.p.officer, "skolskjuts"); len(got) != 3 || got[0] != secret {
		t.Errorf("the officer finds %q, want the secret case first of three", got)
	}
	after := look()
	for who, b := range before {
		a := after[who]
		if fmt.Sprint(a.page) != fmt.Sprint(b.page) {
			t.Errorf("%s: the result changed with the secret case's words:\nbefore %+v\nafter  %+v", who, b.page, a.page)
		}
		if fmt.Sprint(a.ranks) != fmt.Sprint(b.ranks) {
			t.Errorf("%s: the ranks changed with the secret case's words: %v, then %v", who, b.ranks, a.ranks)
		}
	}
}

// The diary finds what the diary shows: a draft's report is a working
// paper, a decision is public once its protokoll is justerat and published
// on the web, and then as published (withheld paragraphs and removed names
// are not found).
func TestDiarySearchFollowsTheDiary(t *testing.T) {
	f := newSearchFixture(t)
	p := f.p
	draft := f.create(t, "Utkast om parkbänkar", func(in *CaseInput) {
		in.Summary = "Arbetspapper om ARBETSPAPPERSORD."
		in.Recipients = []workflow.Recipient{{Name: "Parkförvaltningen", Email: "park@example.org"}}
	})
	decided := f.create(t, "Lekplatser 2027", func(in *CaseInput) {
		in.Summary = "Förslag om lekplatser."
		in.Proposals = []string{"Nämnden föreslås besluta att bygga lekplatser"}
	})
	if _, err := f.s.AddAttachment(f.ctx, draft, p.officer, NewAttachment{Name: "Karta över bänkar.pdf", ContentType: "application/pdf",
		Data: docfixture.PDF(t, "Bänkarna står i PDFORDET-parken")}); err != nil {
		t.Fatal(err)
	}
	wantDiary := func(q string, want ...string) {
		t.Helper()
		if got := f.diary(t, q); !slices.Equal(got, want) {
			t.Errorf("diary search %q = %q, want %q", q, got, want)
		}
	}
	wantDiary("parkbänkar", draft)
	wantDiary("ARBETSPAPPERSORD")                                                       // the draft's report
	wantDiary("Parkförvaltningen")                                                      // its recipients
	wantDiary("bänkar", draft)                                                          // the document's name is registered
	wantDiary("PDFORDET")                                                               // its content is not in the diary
	if got := f.find(t, &p.officer2, "PDFORDET"); !slices.Equal(got, []string{draft}) { // staff find it
		t.Errorf("staff search the PDF text: %q", got)
	}
	mustReach(t, f.s, p, decided, workflow.StageBoard)
	wantDiary("lekplatser", decided) // the report is public once submitted and approved
	f.decide(t, decided, "Nämnden beslutar att bygga GUNGBRÄDOR.")
	wantDiary("gungbrädor") // decided, the protokoll not yet justerat
	if got := f.find(t, &p.officer, "gungbrädorna"); !slices.Equal(got, []string{decided}) {
		t.Errorf("staff search the decision: %q", got)
	}
	c := mustJustera(t, f.s, p, decided)
	// Justerat, not yet published on the web: the secretary has not reviewed
	// the protokoll, so its decisions are not public yet.
	wantDiary("gungbrädor")
	meeting := c.CurrentStep().MeetingID
	min, err := f.s.Minutes(f.ctx, meeting)
	if err != nil || len(min.Paragraphs) != 1 {
		t.Fatalf("the protokoll: %+v %v", min.Paragraphs, err)
	}
	number := strconv.Itoa(min.Paragraphs[0].Number)
	pdf := PublishedPDF{Data: []byte("%PDF-1.7")}
	// Published with the paragraph withheld: still not found.
	if _, err := f.s.Publish(f.ctx, meeting, p.secretary, RedactionInput{Withheld: []string{number}}, pdf); err != nil {
		t.Fatal(err)
	}
	wantDiary("gungbrädor")
	// Published again with the word removed as a name: not found by it.
	if _, err := f.s.Publish(f.ctx, meeting, p.secretary, RedactionInput{Names: "gungbrädor", Version: 1}, pdf); err != nil {
		t.Fatal(err)
	}
	wantDiary("gungbrädor")
	if _, err := f.s.Publish(f.ctx, meeting, p.secretary, RedactionInput{Version: 2}, pdf); err != nil {
		t.Fatal(err)
	}
	wantDiary("gungbrädor", decided)
	page, err := f.s.Diary(f.ctx, DiaryFilter{Query: "gungbräda"})
	if err != nil || len(page.Items) != 1 || !strings.Contains(string(page.Items[0].Snippet), "<mark>GUNGBRÄDOR</mark>") {
		t.Errorf("diary snippet: %+v, %v", page.Items, err)
	}
}

// Every change of a case reaches the index in its own transaction.
func TestSearchIndexFollowsChanges(t *testing.T) {
	f := newSearchFixture(t)
	p := f.p
	n := f.create(t, "Gammal rubrik om cyklar", nil)
	c, _ := f.s.Case(f.ctx, n)
	in := caseInput(p, "Ny rubrik om sparkcyklar")
	in.Summary, in.Proposals = "", []string{"Nämnden föreslås besluta att införa zoner"}
	in.Background = "Ärendet gäller ELSPARKCYKLAR i centrum."
	if _, err := f.s.EditDraft(f.ctx, n, c.Version, in, p.officer); err != nil {
		t.Fatal(err)
	}
	wantFind := func(q string, want ...string) {
		t.Helper()
		if got := f.find(t, &p.officer, q); !slices.Equal(got, want) {
			t.Errorf("search %q = %q, want %q", q, got, want)
		}
	}
	wantFind("gammal")
	wantFind("sparkcyklarna", n)
	wantFind("elsparkcyklarna", n)
	if _, err := f.s.AddAttachment(f.ctx, n, p.officer, NewAttachment{Name: "yttrande.docx",
		Data: docfixture.DOCX(t, "Trafikkontoret tillstyrker PARKERINGSZONER.")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddAttachment(f.ctx, n, p.officer, NewAttachment{Name: "karta.pdf", ContentType: "application/pdf",
		Data: docfixture.PDF(t, "Zonerna i Västra hamnen och Möllevången")}); err != nil {
		t.Fatal(err)
	}
	wantFind("parkeringszon", n)
	wantFind("möllevången", n)
	wantFind("mollevangen")
	wantFind("yttrandet", n) // the document's name
	mustReach(t, f.s, p, n, workflow.StageBoard)
	f.decide(t, n, "Nämnden beslutar att inrätta CYKELFICKOR.")
	c, _ = f.s.Case(f.ctx, n)
	wantFind("cykelficka", n)
	// The presidium's and AU's paragraphs are there too.
	wantFind("föreslår nämnden att besluta enligt förslaget", n)
	// A failed change leaves the index as it was.
	if _, err := f.s.EditDraft(f.ctx, n, c.Version, caseInput(p, "Misslyckad ändring"), p.officer); err == nil {
		t.Fatal("an edit of a decided case was accepted")
	}
	wantFind("misslyckad")
	wantFind("cykelficka", n)
}

// The index is derived data: it is built at Open when missing or outdated,
// and Reindex builds it anew from the cases.
func TestReindexExistingDatabase(t *testing.T) {
	f := newSearchFixture(t)
	a := f.create(t, "Förskoleverksamhet i Åmål", nil)
	b := f.create(t, "Redovisning av EU-projekt", nil)
	if _, err := f.s.AddAttachment(f.ctx, b, f.p.officer, NewAttachment{Name: "rapport.docx",
		Data: docfixture.DOCX(t, "Slutrapport om UTBYTESELEVER.")}); err != nil {
		t.Fatal(err)
	}
	queries := []string{"skola", "åmål", "redovisningen", "EU-projekt", "utbyteselev", b}
	results := func(s *Store) string {
		f.s = s
		var out []string
		for _, q := range queries {
			out = append(out, fmt.Sprint(f.find(t, &f.p.officer, q)))
		}
		return strings.Join(out, " ")
	}
	want := results(f.s)
	if want != fmt.Sprint([]string{a})+" "+fmt.Sprint([]string{a})+" "+fmt.Sprint([]string{b})+" "+fmt.Sprint([]string{b})+" "+
		fmt.Sprint([]string{b})+" "+fmt.Sprint([]string{b}) {
		t.Fatalf("before: %s", want)
	}
	if err := f.s.Reindex(f.ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := results(f.s); got != want {
		t.Errorf("after Reindex: %s, want %s", got, want)
	}

	// A database whose index is gone (or of an older version): Open rebuilds it, and
	// the texts of files read before there was an index are read again.
	path := f.s.Path()
	f.s.Close()
	raw := rawDB(t, path)
	drop := dropSearchTables()
	if testEngine == PostgreSQL {
		drop = []string{`DELETE FROM search_docs`} // its tables are the schema's (migrations/postgres)
	}
	for _, q := range append(drop, `UPDATE attachments SET text = NULL`) { // the version says current
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	if got := results(s2); got == want || !strings.HasSuffix(got, fmt.Sprint([]string{b})) || !strings.HasPrefix(got, fmt.Sprint([]string{a})) {
		t.Errorf("after Open: %s; want all but the file's text found", got)
	}
	if n, err := s2.ReadAttachmentTexts(f.ctx); err != nil || n != 1 {
		t.Fatalf("ReadAttachmentTexts = %d, %v", n, err)
	}
	if got := results(s2); got != want {
		t.Errorf("after reading the texts: %s, want %s", got, want)
	}
	// The index is current now: a second open changes nothing.
	before := dump(t, path)
	s2.Close()
	s3, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s3.Close()
	if after := dump(t, path); after != before {
		t.Errorf("Open of a current index changed the database:\n%s", firstDiff(before, after))
	}
}

// The search reads the index and the cases by key: no scan of the cases
// table, whatever the filter.
func TestSearchQueryPlan(t *testing.T) {
	f := newSearchFixture(t)
	f.create(t, "Förskoleverksamhet", nil)
	board := []string{"cases.board_id = (SELECT id FROM boards WHERE code = ?)"} // as the case list gives it
	for _, viewer := range []*workflow.User{nil, &f.p.ksSecretary} {
		for _, filtered := range []bool{false, true} {
			plan := f.s.caseSearch("skola EU-projekt", viewer, nil, nil)
			if filtered {
				plan = f.s.caseSearch("skola EU-projekt", viewer, board, []any{"ASN"})
			}
			q := plan.with + `SELECT cases.number FROM ` + plan.from + `cases WHERE ` +
				strings.Join(plan.where, " AND ") + ` ORDER BY ` + plan.rank
			if testEngine == PostgreSQL {
				// With a filter PostgreSQL may also start from the board's
				// cases (by its index) and read their rows by case: on a
				// few rows it does.
				var scopes []string
				if !filtered {
					scopes = []string{"open"}
					if viewer != nil {
						scopes = append(scopes, "secret")
					}
				}
				pgSearchPlanUsesIndexes(t, f.s, q, plan.withArgs, scopes)
				continue
			}
			sqlitePlanReadsByKey(t, f.s, q, plan.withArgs)
		}
	}
}

// sqlitePlanReadsByKey checks SQLite's plan of a search: the index read as
// a virtual table, the cases by their key, never a scan of cases.
func sqlitePlanReadsByKey(t *testing.T, s *Store, q string, args []any) {
	t.Helper()
	e := &explainer{q: s.r, t: t}
	e.explain(context.Background(), q, args)
	plain := strings.Join(e.plans[0].steps, "\n")
	if strings.Contains(plain, "SCAN cases") || !strings.Contains(plain, "VIRTUAL TABLE INDEX") ||
		!strings.Contains(plain, "SEARCH cases USING INTEGER PRIMARY KEY") {
		t.Errorf("query plan:\n%s", plain)
	}
}

// pgSearchPlanUsesIndexes checks PostgreSQL's plan of a search (EXPLAIN
// (FORMAT JSON), PostgreSQL docs 14.1): each scope's words and substrings
// are read by its GIN indexes, and the cases by an index (the primary key,
// or the board's when the planner starts from the board), never by a scan. A test database is a few rows, which the planner rightly reads
// whole; with sequential scans priced out (enable_seqscan, PostgreSQL docs
// 20.7.1) it still reads them whole unless the query lets an index serve it.
func pgSearchPlanUsesIndexes(t *testing.T, s *Store, q string, args []any, scopes []string) {
	t.Helper()
	tx, err := s.r.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`SET LOCAL enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	var out string
	if err := tx.QueryRow(`EXPLAIN (FORMAT JSON) `+q, args...).Scan(&out); err != nil {
		t.Fatal(err)
	}
	var plan []struct{ Plan pgPlanNode }
	if err := json.Unmarshal([]byte(out), &plan); err != nil || len(plan) != 1 {
		t.Fatalf("EXPLAIN: %v\n%s", err, out)
	}
	indexes := map[string]bool{}
	casesByKey := false
	var walk func(n pgPlanNode)
	walk = func(n pgPlanNode) {
		if n.RelationName == "cases" {
			if n.NodeType == "Seq Scan" {
				t.Errorf("a scan of cases:\n%s", out)
			}
			casesByKey = true
		}
		indexes[n.IndexName] = true
		for _, c := range n.Plans {
			walk(c)
		}
	}
	walk(plan[0].Plan)
	if !casesByKey {
		t.Errorf("the plan does not read cases:\n%s", out)
	}
	var want []string
	for _, sc := range scopes {
		want = append(want, "search_docs_"+sc+"_words", "search_docs_"+sc+"_tri")
	}
	for _, name := range want {
		if !indexes[name] {
			t.Errorf("the plan does not read %s:\n%s", name, out)
		}
	}
}

// pgPlanNode is a node of EXPLAIN (FORMAT JSON)'s plan.
type pgPlanNode struct {
	NodeType     string       `json:"Node Type"`
	RelationName string       `json:"Relation Name"`
	IndexName    string       `json:"Index Name"`
	Plans        []pgPlanNode `json:"Plans"`
}

// A search page's rows carry the count of all hits; a page past the last hit
// has none to carry it and still says how many there are, and the count
// stops at the cap as the lists' counts do.
func TestSearchCountOnEveryPage(t *testing.T) {
	s, p := listFixture(t)
	ctx := context.Background()
	f := CaseFilter{Query: "sammanställning", Viewer: &p.secretary, PerPage: 4}
	for _, page := range []int{1, 2, 3} {
		f.Page = page
		got, err := s.Cases(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if wantItems := []int{4, 2, 0}[page-1]; got.Total != 6 || got.TotalCapped || len(got.Items) != wantItems {
			t.Errorf("page %d: total %d capped %v, %d items; want 6, not capped, %d items", page, got.Total, got.TotalCapped, len(got.Items), wantItems)
		}
	}
	d, err := s.Diary(ctx, DiaryFilter{Query: "sammanställning", Page: 9, PerPage: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Items) != 0 || d.Total == 0 {
		t.Errorf("diary page past the hits: %d items, total %d; want none and the count", len(d.Items), d.Total)
	}
	s.CountCap = 4
	f.PerPage, f.Page = 2, 2
	if got, err := s.Cases(ctx, f); err != nil || got.Total != 4 || !got.TotalCapped {
		t.Errorf("capped at 4: total %d capped %v, %v", got.Total, got.TotalCapped, err)
	}
	f.Page = 3
	if _, err := s.Cases(ctx, f); workflow.ErrorCode(err) != workflow.EINVALID {
		t.Errorf("page 3 of 2 past a cap of 4: %v, want EINVALID", err)
	}
}

// Each MATCH of a search gets the query made for its index, in the order
// the placeholders stand in the text: the words' rows come first (the
// trigram branches read only what they did not find), so the arguments are
// not simply scope by scope.
func TestSearchArgumentsMeetTheirIndex(t *testing.T) {
	f := newSearchFixture(t)
	for _, viewer := range []*workflow.User{nil, &f.p.ksSecretary} {
		plan := f.s.caseSearch("skola EU-projekt", viewer, nil, nil)
		if testEngine == PostgreSQL {
			pgArgumentsMeetTheirUse(t, plan)
			continue
		}
		for _, text := range []string{plan.with, plan.countWith} {
			parts := strings.Split(text, " MATCH ?")
			if len(parts)-1 != len(plan.withArgs) {
				t.Fatalf("%d MATCH ?, %d arguments", len(parts)-1, len(plan.withArgs))
			}
			for i, arg := range plan.withArgs {
				before := parts[i][strings.LastIndex(parts[i], "WHERE search_"):]
				want := plan.query.words
				if strings.Contains(before, "_tri") {
					want = plan.query.trigram
				}
				if arg != want {
					t.Errorf("viewer %v: MATCH %d (%s) gets %q, want %q", viewer != nil, i, before, arg, want)
				}
			}
		}
	}
	// And the secret scope's compound hit is found for the person it involves.
	secret := f.create(t, "Årsrapport", func(in *CaseInput) {
		in.Secret = true
		in.Summary = "Om förskoleverksamhet."
	})
	open := f.create(t, "Verksamhetsplan", func(in *CaseInput) { in.Summary = "Om grundskoleverksamhet." })
	if got := f.find(t, &f.p.officer, "skola"); !slices.Equal(got, []string{secret, open}) && !slices.Equal(got, []string{open, secret}) {
		t.Errorf("skola: %q, want both compounds", got)
	}
}

// pgArgumentsMeetTheirUse is TestSearchArgumentsMeetTheirIndex on
// PostgreSQL: each placeholder of the search gets the argument its place
// wants, the tsquery, the array of substrings, or the LIKE pattern of each
// substring in turn.
func pgArgumentsMeetTheirUse(t *testing.T, plan searchPlan) {
	t.Helper()
	for _, text := range []string{plan.with, plan.countWith} {
		parts := strings.Split(text, "?")
		if len(parts)-1 != len(plan.withArgs) {
			t.Fatalf("%d ?, %d arguments", len(parts)-1, len(plan.withArgs))
		}
		like := 0
		for i, arg := range plan.withArgs {
			before := parts[i][max(0, len(parts[i])-40):]
			var want any
			switch {
			case strings.HasSuffix(before, "to_tsquery('"+pgSearchConfig+"', "):
				want = pgTSQuery(plan.query.parts)
			case strings.HasSuffix(before, "(SELECT "):
				want, like = plan.query.subs, 0
			case strings.HasSuffix(before, " LIKE ") && like < len(plan.query.subs):
				want = "%" + escapeLike(plan.query.subs[like]) + "%"
				like++
			}
			if fmt.Sprintf("%q", arg) != fmt.Sprintf("%q", want) {
				t.Errorf("argument %d (after %q) is %q, want %q", i, before, arg, want)
			}
		}
	}
}

// Hits sorted by title go by the title the viewer sees, case-blind, with the
// secret cases the viewer may see among them.
func TestSearchSortedByTitle(t *testing.T) {
	f := newSearchFixture(t)
	about := func(in *CaseInput) { in.Summary = "Om skolskjuts." }
	b := f.create(t, "Bidrag", about)
	a := f.create(t, "avtal", about)
	c := f.create(t, "Cykelvägar", func(in *CaseInput) { about(in); in.Secret = true })
	f.create(t, "Annat", nil)
	for _, desc := range []bool{false, true} {
		page, err := f.s.Cases(f.ctx, CaseFilter{Query: "skolskjuts", Viewer: &f.p.officer, Sort: "title", Desc: desc})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{a, b, c}
		if desc {
			slices.Reverse(want)
		}
		if got := numbersOf(page); !slices.Equal(got, want) || page.Total != 3 {
			t.Errorf("desc %v: %q (total %d), want %q", desc, got, page.Total, want)
		}
	}
}

// An action that leaves the case's text as it was does not rewrite the
// index; whatever the actions, the index they leave is the one a full
// Reindex builds from the same cases.
func TestSearchIndexAfterActionsIsAFullReindex(t *testing.T) {
	f := newSearchFixture(t)
	p := f.p
	proposal := []string{"Nämnden föreslås besluta att anta riktlinjerna"}
	n := f.create(t, "Riktlinjer för cykelparkering", func(in *CaseInput) { in.Summary, in.Proposals = "Om cykelställ.", proposal })
	secret := f.create(t, "Placering av skyddat boende", func(in *CaseInput) { in.Secret, in.Proposals = true, proposal })
	for _, number := range []string{n, secret} {
		c, _ := f.s.Case(f.ctx, number)
		act := func(actor workflow.User, cmd workflow.Command) {
			t.Helper()
			cmd.Version = c.Version
			var err error
			if c, err = f.s.Act(f.ctx, number, actor, cmd); err != nil {
				t.Fatal(err)
			}
		}
		act(p.officer, workflow.Command{Action: workflow.ActSubmit})
		act(p.approver1, workflow.Command{Action: workflow.ActReject, Reason: "Komplettera"})
	}
	mustReach(t, f.s, p, n, workflow.StageBoard)
	f.decide(t, n, "Nämnden beslutar att bygga fler cykelställ.")
	// Signed off by its managers, a report enters the diary: the actions
	// alone, with no decision after them, must bring it there.
	signed := f.create(t, "Cykelbokslut", func(in *CaseInput) { in.Summary, in.Proposals = "Om cykelvägar.", proposal })
	mustReach(t, f.s, p, signed, workflow.StagePresidium)
	// The rows as written; on PostgreSQL also what is derived from them (the
	// tsvector, the text for pg_trgm), which a change must write as Reindex does.
	rowsQuery := `SELECT id, number, title, about, text FROM search_text ORDER BY id`
	if testEngine == PostgreSQL {
		rowsQuery = `SELECT rid, number, title, about, text || '|' || tri || '|' || doc::text FROM search_docs ORDER BY rid`
	}
	snapshot := func() []string {
		rows, err := f.s.r.Query(rowsQuery)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id int64
			var a, b, c, d string
			if err := rows.Scan(&id, &a, &b, &c, &d); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(id, "|", a, "|", b, "|", c, "|", d))
		}
		return out
	}
	incremental := snapshot()
	if err := f.s.Reindex(f.ctx, nil); err != nil {
		t.Fatal(err)
	}
	if full := snapshot(); !slices.Equal(incremental, full) {
		t.Errorf("the index after the actions:\n%q\na full reindex:\n%q", incremental, full)
	}
	if got := f.find(t, &p.officer, "cykelställen"); !slices.Equal(got, []string{n}) {
		t.Errorf("cykelställen: %q", got)
	}
	if got := f.diary(t, "cykelvägar"); !slices.Equal(got, []string{signed}) {
		t.Errorf("the diary's cykelvägar: %q", got)
	}
}

// The diary's search narrows by board and year as its list does; the
// filters are read on the hits, and the hits alone give the order.
func TestDiarySearchWithFilters(t *testing.T) {
	s, _ := listFixture(t)
	ctx := context.Background()
	all, err := s.Diary(ctx, DiaryFilter{Query: "sammanställning", PerPage: MaxPerPage})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    DiaryFilter
		want func(DiaryEntry) bool
	}{
		{DiaryFilter{Query: "sammanställning", Board: "KS"}, func(e DiaryEntry) bool { return e.Board == "KS" }},
		{DiaryFilter{Query: "sammanställning", Board: "ASN", Year: 2026}, func(e DiaryEntry) bool { return e.Board == "ASN" }},
		{DiaryFilter{Query: "sammanställning", Year: 2019}, func(DiaryEntry) bool { return false }},
	} {
		tc.f.PerPage = MaxPerPage
		page, err := s.Diary(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, e := range all.Items {
			if tc.want(e) {
				want = append(want, e.Number)
			}
		}
		var got []string
		for _, e := range page.Items {
			got = append(got, e.Number)
		}
		if !slices.Equal(got, want) || page.Total != len(want) {
			t.Errorf("%+v: %q (total %d), want %q", tc.f, got, page.Total, want)
		}
	}
	if len(all.Items) < 2 {
		t.Fatalf("the fixture's diary finds %d cases", len(all.Items))
	}
}

// A list's filters narrow all of a search's matches, not the newest that
// the search keeps as candidates: at 1M cases, "EU-projekt" with a small
// board found 116 of its 248 cases and counted them as all. Here the cap on
// counting is 2, so each branch keeps 3 candidates, and the filters ask for
// the oldest matches.
func TestSearchFiltersBeforeTheCandidates(t *testing.T) {
	s, p := listFixture(t)
	ctx := context.Background()
	s.CountCap = 2
	for _, tc := range []struct {
		name   string
		filter CaseFilter
		want   []string
		total  int
		capped bool
	}{
		// ASN-2026-1 is the oldest case, a draft as KS-2026-1 is.
		{"a stage", CaseFilter{Stage: workflow.StageDraft, Sort: "number"}, []string{"ASN-2026-1", "KS-2026-1"}, 2, false},
		// Five of the six: the newest three of them, and more than the cap
		// (the newest three of all held two).
		{"a board", CaseFilter{Board: "ASN", Sort: "number"}, []string{"ASN-2026-3", "ASN-2026-4", "ASN-2026-5"}, 2, true},
		// Four of the six (KS-2026-1 too), the newest three held one.
		{"an officer", CaseFilter{OfficerID: p.officer.ID, Sort: "number"}, []string{"ASN-2026-2", "ASN-2026-3", "KS-2026-1"}, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.filter.Query, tc.filter.Viewer = "sammanställning", &p.secretary
			page, err := s.Cases(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := numbersOf(page); !slices.Equal(got, tc.want) || page.Total != tc.total || page.TotalCapped != tc.capped {
				t.Errorf("found %q, total %d, capped %v; want %q, %d, %v", got, page.Total, page.TotalCapped, tc.want, tc.total, tc.capped)
			}
			// Capped by the count, not cut short: every match was read.
			if page.SearchCut {
				t.Errorf("%s: the search says it was cut short", tc.name)
			}
		})
	}
}

// A filtered search reads at most its walk of matches, so a word in nearly
// every case with a filter that keeps few costs what the walk costs, not
// what the database holds; when it stops there the count says "fler än".
// Here the walk is 4 of the 6 matches.
func TestFilteredSearchStopsAtItsWalk(t *testing.T) {
	s, p := listFixture(t)
	ctx := context.Background()
	s.searchWalk = 4
	for _, tc := range []struct {
		filter CaseFilter
		want   []string
		capped bool
	}{
		// The oldest draft lies beyond the walk.
		{CaseFilter{Stage: workflow.StageDraft}, []string{"KS-2026-1"}, true},
		// Without a filter there is no walk: all six, exactly.
		{CaseFilter{Sort: "number"}, []string{"ASN-2026-1", "ASN-2026-2", "ASN-2026-3", "ASN-2026-4", "ASN-2026-5", "KS-2026-1"}, false},
	} {
		tc.filter.Query, tc.filter.Viewer, tc.filter.PerPage = "sammanställning", &p.secretary, MaxPerPage
		page, err := s.Cases(ctx, tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		if got := numbersOf(page); !slices.Equal(got, tc.want) || page.Total != len(tc.want) || page.TotalCapped != tc.capped || page.SearchCut != tc.capped {
			t.Errorf("%+v: %q, total %d, capped %v, cut %v; want %q, capped and cut %v", tc.filter, got, page.Total, page.TotalCapped, page.SearchCut, tc.want, tc.capped)
		}
	}
	// A filter that finds nothing within the walk still says there may be
	// more, on the first page too.
	page, err := s.Cases(ctx, CaseFilter{Query: "sammanställning", Viewer: &p.secretary, OfficerID: p.officer.ID, Stage: workflow.StageDraft, Board: "ASN"})
	if err != nil || len(page.Items) != 0 || page.Total != 0 || !page.TotalCapped || !page.SearchCut {
		t.Errorf("nothing within the walk: %q, total %d, capped %v, %v", numbersOf(page), page.Total, page.TotalCapped, err)
	}
	s.searchWalk = 0
	if page, err := s.Cases(ctx, CaseFilter{Query: "sammanställning", Viewer: &p.secretary, Stage: workflow.StageDraft, Sort: "number"}); err != nil ||
		!slices.Equal(numbersOf(page), []string{"ASN-2026-1", "KS-2026-1"}) || page.TotalCapped {
		t.Errorf("with the default walk: %q, capped %v, %v", numbersOf(page), page.TotalCapped, err)
	}
	d, err := s.Diary(ctx, DiaryFilter{Query: "sammanställning", Year: 2026, PerPage: MaxPerPage})
	if err != nil || d.TotalCapped {
		t.Errorf("the diary with the default walk: capped %v, %v", d.TotalCapped, err)
	}
	s.searchWalk = 1
	if d, err := s.Diary(ctx, DiaryFilter{Query: "sammanställning", Year: 2026, PerPage: MaxPerPage}); err != nil || len(d.Items) != 1 || !d.TotalCapped || !d.SearchCut {
		t.Errorf("the diary with a walk of 1: %d items, capped %v, %v", len(d.Items), d.TotalCapped, err)
	}
	// A year's cases are read within their ids: two cases numbered in 2025
	// but registered after all of 2026's are the newest matches, and the
	// walk of 2026 still reads 2026's (without the range it read those two
	// and found nothing).
	defer atTime(s, workflow.MustDate("2025-03-03").At(10, 0))()
	for _, title := range []string{"Sammanställning av remissvar", "Sammanställning av yttranden"} {
		in := caseInput(p, title)
		in.Officer, in.Route = p.officer.Email, []StepInput{{Body: "ASN", Date: "2025-04-01"}}
		if _, err := s.CreateCase(ctx, in, p.secretary); err != nil {
			t.Fatal(err)
		}
	}
	for year, want := range map[int]string{2026: "-2026-", 2025: "-2025-"} {
		d, err := s.Diary(ctx, DiaryFilter{Query: "sammanställning", Year: year, PerPage: MaxPerPage})
		if err != nil || len(d.Items) != 1 || !strings.Contains(d.Items[0].Number, want) || !d.TotalCapped {
			t.Errorf("the diary's %d with a walk of 1: %+v, capped %v, %v", year, d.Items, d.TotalCapped, err)
		}
	}
}

// The diary's filters, likewise: three newer cases of another board are
// every candidate of the unfiltered search, and a board filter still finds
// its two older cases.
func TestDiarySearchFiltersBeforeTheCandidates(t *testing.T) {
	s, p := listFixture(t)
	ctx := context.Background()
	all, err := s.Diary(ctx, DiaryFilter{Query: "sammanställning", Board: "ASN", PerPage: MaxPerPage})
	if err != nil || len(all.Items) != 2 {
		t.Fatalf("ASN in the diary: %d hits, %v; the fixture has 2", len(all.Items), err)
	}
	for i := range 3 {
		ks := caseInput(p, fmt.Sprintf("Lokalförsörjning del %d", i+1))
		ks.Board, ks.Route, ks.Approvers = "KS", []StepInput{{Body: "KS", Date: "2026-05-06"}}, []ApproverInput{{Email: p.approver1.Email}}
		c, err := s.CreateCase(ctx, ks, p.officer)
		if err != nil {
			t.Fatal(err)
		}
		mustAct(t, s, c.Number, p.officer, workflow.Command{Action: workflow.ActSubmit})
	}
	s.CountCap = 2
	page, err := s.Diary(ctx, DiaryFilter{Query: "sammanställning", Board: "ASN", PerPage: MaxPerPage})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, e := range page.Items {
		got = append(got, e.Number)
	}
	for _, e := range all.Items {
		want = append(want, e.Number)
	}
	if !slices.Equal(got, want) || page.Total != 2 || page.TotalCapped {
		t.Errorf("ASN with a cap of 2: %q, total %d, capped %v; want %q, 2, not capped", got, page.Total, page.TotalCapped, want)
	}
}
