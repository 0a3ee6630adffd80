package public_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/handlers/public"
	"github.com/kommun/beslutsgang/workflow"
	"github.com/mmcdole/gofeed"
)

// anslagstavla reads the store's anslagstavla with its archive.
func anslagstavla(t *testing.T, s *site) db.Anslagstavla {
	t.Helper()
	a, err := s.Store.Anslagstavla(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// The anslagstavla is public, apart from other content, and names bodies
// and meetings only: nothing of the cases decided, secret or not.
func TestAnslagstavlaIsPublic(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	a := anslagstavla(t, s)
	if len(a.Justering) == 0 || len(a.Kungorelser) == 0 || len(a.Archive) == 0 {
		t.Fatalf("the demo data has no current justering, kungörelse or archived notice: %+v", a)
	}
	p := b.Get("/anslagstavla")
	if p.Status != http.StatusOK {
		t.Fatalf("GET /anslagstavla: %d", p.Status)
	}
	j, k := a.Justering[0], a.Kungorelser[0]
	p.Has(t, "<h1>Anslagstavla</h1>", "Justerade protokoll", "Kungörelser av kommunfullmäktiges sammanträden", "Övriga tillkännagivanden",
		`href="/anslagstavla/`+j.ID+`"`, "Anslaget tas ned tidigast</dt><dd>"+j.DownOn.String(),
		"Sista dag att överklaga</dt><dd>"+j.AppealEnds.String(), "Protokollet justerat</dt><dd>"+j.JustifiedOn.String(),
		"Kommunledningskontoret, "+j.Board.Name, "Publiceras på webben efter granskning",
		"Hur man överklagar", "laglighetsprövning", "medlem av kommunen", "inom tre veckor",
		`href="/anslagstavla/`+k.ID+`"`, "Kommunfullmäktige sammanträder "+k.MeetingDate.String(),
		`href="/anslagstavla/arkiv"`, `href="/anslagstavla.atom"`)
	p.HasNot(t, `href="/anslagstavla/new"`, secretNumber, "ekonomiskt bistånd", "enskild", "Internationell redovisning")
	if regexpMust(`[A-Z]+-20\d\d-\d+`).MatchString(p.Body) {
		t.Error("the anslagstavla names a case")
	}
	for _, archived := range a.Archive {
		p.HasNot(t, `href="/anslagstavla/`+archived.ID+`"`)
	}
	// Once the secretary has published the protokoll on the web, the notice links to it.
	secUser, err := s.Store.UserByEmail(context.Background(), "sekreterare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range a.Justering {
		if n.Board.Code != "ASN" {
			continue
		}
		if _, err := s.Store.Publish(context.Background(), n.MeetingID, secUser, db.RedactionInput{}, db.PublishedPDF{Data: []byte("%PDF-1.4\n")}); err != nil {
			t.Fatal(err)
		}
		b.Get("/anslagstavla/"+n.ID).Has(t, `href="/protokoll/`+n.Body.Code+`/`+n.MeetingDate.String()+`"`)
		if p := b.Get("/protokoll/" + n.Body.Code + "/" + n.MeetingDate.String()); p.Status != http.StatusOK {
			t.Errorf("the published protokoll the notice links to: %d", p.Status)
		}
		break
	}
	// Linked from every page's footer and from the diary.
	for _, path := range []string{"/login", "/diarium", "/tillganglighet"} {
		b.Get(path).Has(t, `<a href="/anslagstavla">`)
	}
	b.Get("/diarium").Has(t, `på <a href="/anslagstavla">anslagstavlan</a>`)
	// A secretary gets the way to post a notice.
	_, sec := loggedIn(t, "sekreterare@kommun.example")
	sec.Get("/anslagstavla").Has(t, `href="/anslagstavla/new"`)
}

// The archive lists the notices taken down, and each keeps its address,
// marked as taken down; an address no notice had is not found.
func TestAnslagstavlaArchiveAndPermanentAddress(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	a := anslagstavla(t, s)
	p := b.Get("/anslagstavla/arkiv")
	if p.Status != http.StatusOK {
		t.Fatalf("archive: %d", p.Status)
	}
	p.Has(t, "<h1>Anslagstavlans arkiv</h1>", fmt.Sprintf("%d nedtagna tillkännagivanden", len(a.Archive)))
	for i, n := range a.Archive {
		if i < 25 {
			p.Has(t, `href="/anslagstavla/`+n.ID+`"`)
		}
	}
	// The seed's nämnd meeting of 2020: down long ago, its address still answers.
	var seed workflow.Notice
	for _, n := range a.Archive {
		if n.Kind == workflow.NoticeJustering && n.MeetingDate.Year == 2020 && n.Body.Code == "ASN" {
			seed = n
		}
	}
	if seed.ID == "" {
		t.Fatal("the seed's justering is not in the archive")
	}
	one := b.Get("/anslagstavla/" + seed.ID)
	if one.Status != http.StatusOK {
		t.Fatalf("the address of a notice taken down: %d", one.Status)
	}
	one.Has(t, "Nedtagen "+seed.DownOn.String(), "Protokollet justerat</dt><dd>"+seed.JustifiedOn.String(), "Hur man överklagar",
		`href="/anslagstavla/arkiv"`)
	for _, path := range []string{"/anslagstavla/justering-99999", "/anslagstavla/notice-1", "/anslagstavla/whatever", "/anslagstavla/kungorelse-" +
		strings.TrimPrefix(seed.ID, "justering-")} {
		if p := b.Get(path); p.Status != http.StatusNotFound {
			t.Errorf("%s: %d", path, p.Status)
		}
	}
	if p := b.Get("/anslagstavla/arkiv?page=x"); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("a page that is no number: %d", p.Status)
	}
	if p := b.Get("/anslagstavla/arkiv?page=99"); p.Status != http.StatusOK || !strings.Contains(p.Body, `href="/anslagstavla/arkiv?page=98"`) {
		t.Errorf("a page past the last: %d", p.Status)
	}
	// A page number whose offset overflows an int was a 500 (found in review).
	for _, n := range []string{"461168601842738790", "9223372036854775807"} {
		if p := b.Get("/anslagstavla/arkiv?page=" + n); p.Status != http.StatusOK || strings.Contains(p.Body, "Internt fel") {
			t.Errorf("page %s: %d", n, p.Status)
		}
	}
}

// atomFeed is as much of RFC 4287 as the test reads.
type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Links   []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Title   string `xml:"title"`
	Updated string `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

// The Atom feed has one entry per notice up, under a stable id, dated the day
// it was posted, linking to its address. It names itself with rel="self"
// (RFC 4287 4.2.7.2), reads with gofeed, is well-formed for xmllint, and
// its tag URIs (RFC 4151) never take an IP address or the request's Host:
// without --feed-authority and with a base URL on an IP address they use
// beslutsgang.invalid.
func TestAnslagstavlaAtomFeed(t *testing.T) {
	s := newSite(t)
	p := s.Browser().Get("/anslagstavla.atom")
	if p.Status != http.StatusOK || !strings.HasPrefix(p.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %s", p.Status, p.Header.Get("Content-Type"))
	}
	var f atomFeed
	if err := xml.Unmarshal([]byte(p.Body), &f); err != nil {
		t.Fatalf("the feed is no Atom: %v\n%s", err, p.Body)
	}
	current := anslagstavla(t, s).Current()
	if f.ID != "tag:beslutsgang.invalid,2018-01-01:anslagstavla" || f.Title != "Anslagstavla" || f.Author.Name == "" || len(f.Entries) != len(current) {
		t.Fatalf("feed %q %q %q, %d entries for %d notices", f.ID, f.Title, f.Author.Name, len(f.Entries), len(current))
	}
	links := map[string]string{}
	for _, l := range f.Links {
		links[l.Rel] = l.Href
	}
	if links["self"] != s.Base+"/anslagstavla.atom" || links["alternate"] != s.Base+"/anslagstavla" {
		t.Errorf("feed links %v", f.Links)
	}
	for i, n := range current {
		e := f.Entries[i]
		posted := n.PostedOn.Time(workflow.Stockholm)
		if e.ID != fmt.Sprintf("tag:beslutsgang.invalid,%s:anslagstavla/%s", n.PostedOn, n.ID) || e.Title != n.Title ||
			e.Link.Href != s.Base+"/anslagstavla/"+n.ID || e.Updated != posted.Format(time.RFC3339) {
			t.Errorf("entry %d: %+v for %s", i, e, n.ID)
		}
		if updated, err := time.Parse(time.RFC3339, e.Updated); err != nil || !updated.Equal(posted) {
			t.Errorf("entry %d updated %q", i, e.Updated)
		}
		if !strings.Contains(e.Content.Text, "Anslaget</dt><dd>"+n.PostedOn.String()) {
			t.Errorf("entry %d content: %s", i, e.Content.Text)
		}
		if n.Kind == workflow.NoticeJustering && !strings.Contains(e.Content.Text, "Anslaget tas ned tidigast</dt><dd>"+n.DownOn.String()) {
			t.Errorf("entry %d content: %s", i, e.Content.Text)
		}
	}
	if strings.Contains(p.Body, secretNumber) || strings.Contains(p.Body, "enskild") {
		t.Error("the feed names the secret case")
	}
	if strings.Contains(p.Body, "tag:127.0.0.1") {
		t.Error("a tag URI on an IP address")
	}

	// gofeed reads it, self link and all.
	parsed, err := gofeed.NewParser().ParseString(p.Body)
	if err != nil || parsed.FeedType != "atom" || parsed.FeedLink != s.Base+"/anslagstavla.atom" || parsed.Link != s.Base+"/anslagstavla" ||
		len(parsed.Items) != len(current) {
		t.Fatalf("gofeed: %v %+v", err, parsed)
	}
	// xmllint finds it well-formed.
	file := filepath.Join(t.TempDir(), "anslagstavla.atom")
	if err := os.WriteFile(file, []byte(p.Body), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("xmllint", "--noout", file).CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s", err, out)
	}

	// Another Host header changes nothing in the feed.
	req, err := http.NewRequest(http.MethodGet, s.Base+"/anslagstavla.atom", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "angripare.example"
	if q := s.Browser().Do(req); q.Body != p.Body || strings.Contains(q.Body, "angripare") {
		t.Errorf("the Host header changed the feed:\n%s", q.Body)
	}
}

// With --feed-authority, or a base URL on a domain name, the tag URIs are
// the kommun's own; a bad authority is refused.
func TestAnslagstavlaFeedAuthority(t *testing.T) {
	s := newSiteWith(t, handlers.Config{FeedAuthority: "kommun.example"}, nil)
	body := s.Browser().Get("/anslagstavla.atom").Body
	n := anslagstavla(t, s).Current()[0]
	for _, want := range []string{"<id>tag:kommun.example,2018-01-01:anslagstavla</id>",
		"<id>tag:kommun.example," + n.PostedOn.String() + ":anslagstavla/" + n.ID + "</id>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the feed has no %s", want)
		}
	}
	for base, want := range map[string]string{"https://beslut.kommun.example/": "beslut.kommun.example",
		"http://127.0.0.1:8080": public.NoFeedAuthority, "http://[::1]:8080": public.NoFeedAuthority, "http://localhost:8080": public.NoFeedAuthority} {
		if got := public.FeedAuthority("", base); got != want {
			t.Errorf("authority of %s: %q, want %q", base, got, want)
		}
	}
	for a, ok := range map[string]bool{"kommun.se": true, "anslagstavla@kommun.se": true, "Kommun.SE": true,
		"127.0.0.1": false, "kommun": false, "åkerö.se": false, "kommun.se:8080": false, "a b.se": false, "": false} {
		if err := public.CheckFeedAuthority(a); (err == nil) != ok {
			t.Errorf("%q: %v", a, err)
		}
	}
}

// A notice of justering comes down by itself: posted so that its three weeks
// end on juldagen, it is up through Monday 28 December (juldagen, annandag
// jul and the weekend moved the last day) and in the archive on the 29th.
func TestAnslagstavlaOverChristmas(t *testing.T) {
	var clock atomic.Value
	clock.Store(time.Time{})
	s := newSiteWith(t, handlers.Config{}, func(store *db.Store) {
		real := store.Now
		store.Now = func() time.Time {
			if t := clock.Load().(time.Time); !t.IsZero() {
				return t
			}
			return real()
		}
	})
	j := anslagstavla(t, s).Justering[0]
	raw, err := db.OpenRaw(s.File)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	meeting := strings.TrimPrefix(j.ID, "justering-")
	if _, err := raw.Exec(fmt.Sprintf(`UPDATE meetings SET posted_on = '2026-12-04' WHERE id = %s`, meeting)); err != nil {
		t.Fatal(err)
	}
	b := s.Browser()
	link := `href="/anslagstavla/` + j.ID + `"`
	for _, day := range []string{"2026-12-04", "2026-12-25", "2026-12-28"} {
		clock.Store(workflow.MustDate(day).At(23, 30))
		p := b.Get("/anslagstavla")
		p.Has(t, link, "Sista dag att överklaga</dt><dd>2026-12-28", "Anslaget tas ned tidigast</dt><dd>2026-12-29")
		b.Get("/anslagstavla/arkiv").HasNot(t, link)
		b.Get("/anslagstavla/"+j.ID).HasNot(t, "Nedtagen")
		if !strings.Contains(b.Get("/anslagstavla.atom").Body, "/anslagstavla/"+j.ID) {
			t.Errorf("%s: not in the feed", day)
		}
	}
	clock.Store(workflow.MustDate("2026-12-29").At(0, 1))
	b.Get("/anslagstavla").HasNot(t, link)
	b.Get("/anslagstavla/arkiv").Has(t, link)
	b.Get("/anslagstavla/"+j.ID).Has(t, "Nedtagen 2026-12-29")
	if strings.Contains(b.Get("/anslagstavla.atom").Body, "/anslagstavla/"+j.ID) {
		t.Error("taken down, still in the feed")
	}
}

// A board's secretary posts a notice and takes it down early; it stays in
// the archive, marked. Refused input shows the messages beside the fields
// and saves nothing.
func TestSecretaryPostsAndTakesDownNotice(t *testing.T) {
	s, b := loggedIn(t, "sekreterare@kommun.example")
	public := s.Browser()
	form := b.Get("/anslagstavla/new")
	if form.Status != http.StatusOK {
		t.Fatalf("the form: %d", form.Status)
	}
	today := workflow.Today(time.Now())
	if v, _ := form.InputValue("posted_on"); v != today.String() {
		t.Errorf("posted_on starts at %q", v)
	}
	stored := func() int { a := anslagstavla(t, s); return len(a.Other) + len(a.Archive) }
	before := stored()
	bad := b.Post("/anslagstavla/new", url.Values{"board": {"ASN"}, "title": {" "}, "text": {"Text"},
		"posted_on": {today.String()}, "down_on": {today.AddDays(-1).String()}})
	if bad.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", bad.Status)
	}
	if e := bad.FieldError("title"); e != "Ange en rubrik" {
		t.Errorf("title error %q", e)
	}
	if e := bad.FieldError("down_on"); !strings.Contains(e, "efter anslagsdagen") {
		t.Errorf("down_on error %q", e)
	}
	bad.Has(t, "Uppgifterna behöver rättas", `value="`+today.AddDays(-1).String()+`"`)
	bad = b.Post("/anslagstavla/new", url.Values{"board": {"ASN"}, "title": {"Rubrik"}, "text": {""},
		"posted_on": {"30 november"}, "down_on": {""}})
	if bad.FieldError("text") == "" || !strings.Contains(bad.FieldError("posted_on"), "ÅÅÅÅ-MM-DD") || bad.FieldError("down_on") == "" {
		t.Errorf("errors: %q %q %q", bad.FieldError("text"), bad.FieldError("posted_on"), bad.FieldError("down_on"))
	}
	if n := stored(); n != before {
		t.Fatalf("refused input saved a notice: %d, was %d", n, before)
	}
	if p := b.PostRaw("/anslagstavla/new", url.Values{"board": {"ASN"}, "title": {"Utan token"}, "text": {"x"},
		"posted_on": {today.String()}, "down_on": {today.AddDays(3).String()}}); p.Status != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d", p.Status)
	}

	title := "Ändrad lokal för nämndens sammanträde"
	ok := b.Post("/anslagstavla/new", url.Values{"board": {"ASN"}, "title": {title}, "text": {"Sammanträdet hålls i sal B.\nVälkomna."},
		"posted_on": {today.String()}, "down_on": {today.AddDays(14).String()}})
	if ok.Status != http.StatusSeeOther || !strings.HasPrefix(ok.Location, "/anslagstavla/notice-") {
		t.Fatalf("posting: %d %q", ok.Status, ok.Location)
	}
	id := strings.TrimPrefix(ok.Location, "/anslagstavla/")
	b.Get(ok.Location).Has(t, "Meddelandet är anslaget", title, "Ta ned meddelandet", "Arbetsmarknads- och socialnämnden")
	up := public.Get("/anslagstavla")
	up.Has(t, `href="/anslagstavla/`+id+`"`, title, "Anslaget tas ned</dt><dd>"+today.AddDays(14).String())
	public.Get("/anslagstavla/"+id).HasNot(t, "Ta ned meddelandet", "Hur man överklagar")

	down := b.Post("/anslagstavla/"+id+"/remove", url.Values{})
	if down.Status != http.StatusSeeOther || down.Location != "/anslagstavla/"+id {
		t.Fatalf("taking down: %d %q", down.Status, down.Location)
	}
	b.Get(down.Location).Has(t, "Meddelandet är nedtaget", "Nedtagen "+today.String())
	public.Get("/anslagstavla").HasNot(t, title)
	public.Get("/anslagstavla/arkiv").Has(t, `href="/anslagstavla/`+id+`"`, "(i förtid)")
	public.Get("/anslagstavla/"+id).Has(t, "Nedtagen "+today.String(), "togs ned av nämndsekreteraren")
	if p := b.Post("/anslagstavla/"+id+"/remove", url.Values{}); p.Status != http.StatusConflict {
		t.Errorf("taken down twice: %d", p.Status)
	}
}

// Only a board's secretary posts and takes down notices; the public is sent
// to log in.
func TestNoticeRefusedToOthers(t *testing.T) {
	s, officer := loggedIn(t, "handlaggare@kommun.example")
	sec, err := s.Store.UserByEmail(context.Background(), "sekreterare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	today := workflow.Today(time.Now())
	n, err := s.Store.CreateNotice(context.Background(), sec, workflow.NoticeInput{Board: "ASN", Title: "Meddelande", Text: "Text",
		PostedOn: today.String(), DownOn: today.AddDays(7).String()})
	if err != nil {
		t.Fatal(err)
	}
	if p := officer.Get("/anslagstavla/new"); p.Status != http.StatusForbidden {
		t.Errorf("the form for an officer: %d", p.Status)
	}
	officer.Get("/anslagstavla") // a page with a form, for the CSRF token
	if p := officer.Post("/anslagstavla/new", url.Values{"board": {"ASN"}, "title": {"Mitt"}, "text": {"x"},
		"posted_on": {today.String()}, "down_on": {today.AddDays(3).String()}}); p.Status != http.StatusForbidden {
		t.Errorf("an officer posting: %d", p.Status)
	}
	if p := officer.Post("/anslagstavla/"+n.ID+"/remove", url.Values{}); p.Status != http.StatusForbidden {
		t.Errorf("an officer taking down: %d", p.Status)
	}
	officer.Get("/anslagstavla/"+n.ID).HasNot(t, "Ta ned meddelandet")
	if a := anslagstavla(t, s); len(a.Other) != 1 {
		t.Errorf("the notice is gone: %+v", a.Other)
	}
	if p := s.Browser().Get("/anslagstavla/new"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login") {
		t.Errorf("the form without login: %d %q", p.Status, p.Location)
	}
}

// The instructions on how to appeal follow the body: an arbetsutskott's
// protokoll says that its preparatory decisions cannot be appealed (KL 13
// kap. 2 §) and that what it decided on delegation can; a nämnd's protokoll
// carries the instructions for all its decisions.
func TestAnslagstavlaAppealFollowsTheBody(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	var board, au workflow.Notice
	a := anslagstavla(t, s)
	for _, n := range append(a.Current(), a.Archive...) {
		switch {
		case n.Kind != workflow.NoticeJustering:
		case n.Body.Kind == workflow.KindWorkingCommittee && au.ID == "":
			au = n
		case n.Body.Kind == workflow.KindBoard && board.ID == "":
			board = n
		}
	}
	if au.ID == "" || board.ID == "" {
		t.Fatalf("the demo data has no justering notice of an arbetsutskott (%q) or a nämnd (%q)", au.ID, board.ID)
	}
	prep := "Beslut som bara förbereder eller verkställer ett beslut kan inte överklagas (13 kap. 2 § kommunallagen"
	deleg := "Beslut som arbetsutskottet har fattat på delegation från nämnden (6 kap. 37 § kommunallagen) kan överklagas genom laglighetsprövning"
	p := b.Get("/anslagstavla/" + au.ID)
	p.Has(t, "Hur man överklagar", prep, deleg, "medlem av kommunen", "senast "+au.AppealEnds.String())
	p.HasNot(t, "kan överklaga besluten i protokollet")
	p = b.Get("/anslagstavla/" + board.ID)
	p.Has(t, "Den som är medlem av kommunen kan överklaga besluten i protokollet genom laglighetsprövning", "senast "+board.AppealEnds.String())
	p.HasNot(t, prep, deleg)
}

// A notice posted to go up later: its board's secretary sees it under
// Kommande anslag and at its address, marked "Anslås …", and may withdraw
// it; the public, and staff who are not its secretaries, see nothing of it
// before its day, and nothing ever once it is withdrawn. Impossible and
// far-off dates are refused beside their fields.
func TestScheduledNoticeForTheSecretaryOnly(t *testing.T) {
	s, sec := loggedIn(t, "sekreterare@kommun.example")
	officer := s.Browser()
	officer.Login("handlaggare@kommun.example")
	public := s.Browser()
	today := workflow.Today(time.Now())
	up := today.AddDays(3)

	sec.Get("/anslagstavla/new")
	bad := sec.Post("/anslagstavla/new", url.Values{"board": {"ASN"}, "title": {"Rubrik"}, "text": {"Text"},
		"posted_on": {"2027-02-30"}, "down_on": {"9999-12-01"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.FieldError("posted_on"), "2027-02-30 finns inte; februari 2027 har 28 dagar") {
		t.Errorf("an impossible date: %d %q", bad.Status, bad.FieldError("posted_on"))
	}
	bad = sec.Post("/anslagstavla/new", url.Values{"board": {"ASN"}, "title": {"Rubrik"}, "text": {"Text"},
		"posted_on": {"9999-12-01"}, "down_on": {"9999-12-31"}})
	if e := bad.FieldError("posted_on"); bad.Status != http.StatusUnprocessableEntity || !strings.Contains(e, "högst ett år fram") {
		t.Errorf("an up-date in year 9999: %d %q", bad.Status, e)
	}
	bad = sec.Post("/anslagstavla/new", url.Values{"board": {"ASN"}, "title": {"Rubrik"}, "text": {"Text"},
		"posted_on": {today.String()}, "down_on": {"9999-12-01"}})
	if e := bad.FieldError("down_on"); bad.Status != http.StatusUnprocessableEntity || !strings.Contains(e, "högst ett år") {
		t.Errorf("a down-date in year 9999: %d %q", bad.Status, e)
	}

	title := "Granskning av detaljplan för kvarteret Ekorren"
	ok := sec.Post("/anslagstavla/new", url.Values{"board": {"ASN"}, "title": {title}, "text": {"Planen finns i stadshuset."},
		"posted_on": {up.String()}, "down_on": {up.AddDays(21).String()}})
	if ok.Status != http.StatusSeeOther || !strings.HasPrefix(ok.Location, "/anslagstavla/notice-") {
		t.Fatalf("posting for later: %d %q", ok.Status, ok.Location)
	}
	link := ok.Location
	own := sec.Get(link)
	if own.Status != http.StatusOK {
		t.Fatalf("the secretary at the address of a notice before its day: %d", own.Status)
	}
	own.Has(t, title, "Anslås "+up.String(), "anslås på anslagstavlan den dag du angav", "Återkalla meddelandet")
	own.HasNot(t, "Nedtagen")
	sec.Get("/anslagstavla").Has(t, "Kommande anslag", `href="`+link+`"`, "<td>"+up.String()+"</td>")
	for who, b := range map[string]*browser{"the public": public, "an officer": officer} {
		if p := b.Get(link); p.Status != http.StatusNotFound {
			t.Errorf("%s at the address before its day: %d", who, p.Status)
		}
		b.Get("/anslagstavla").HasNot(t, "Kommande anslag", title)
		b.Get("/anslagstavla/arkiv").HasNot(t, title)
	}
	if strings.Contains(public.Get("/anslagstavla.atom").Body, title) {
		t.Error("the feed has a notice before its day")
	}

	// Withdrawn before its day: nowhere public, marked for the secretary.
	w := sec.Post(link+"/remove", url.Values{})
	if w.Status != http.StatusSeeOther || w.Location != link {
		t.Fatalf("withdrawing: %d %q", w.Status, w.Location)
	}
	sec.Get(link).Has(t, "Meddelandet är återkallat", "Återkallat "+today.String(), "anslogs aldrig")
	sec.Get("/anslagstavla").HasNot(t, "Kommande anslag", title)
	if p := public.Get(link); p.Status != http.StatusNotFound {
		t.Errorf("the public at the address of a withdrawn notice: %d", p.Status)
	}
	public.Get("/anslagstavla/arkiv").HasNot(t, title, `href="`+link+`"`)
}
