package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/workflow"
	"github.com/mmcdole/gofeed"
)

// The dates of issue 13's proof: the justering is posted on Friday
// 2026-12-04; three weeks later is Friday 2026-12-25, juldagen, followed by
// a Saturday and a Sunday, so lag (1930:173) moves the last day to appeal to
// Monday 2026-12-28, and the notice comes down on Tuesday 2026-12-29.
var (
	publicPosted     = workflow.NewDate(2026, time.December, 4)
	publicAppealEnds = workflow.NewDate(2026, time.December, 28)
	publicDown       = workflow.NewDate(2026, time.December, 29)
)

// publicCase registers a case of the nämnd, signed off, for its meeting on
// day (a nytt extra sammanträde, or the one the first such case made), secret
// or not: the officer's and the manager's part, done in the store.
func (ms *meetingServer) publicCase(t *testing.T, title, summary string, secret bool, day workflow.Date) workflow.Case {
	t.Helper()
	ctx := context.Background()
	officer, err := ms.store.UserByEmail(ctx, "handlaggare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	chef, err := ms.store.UserByEmail(ctx, "chef@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ms.store.CreateCase(ctx, db.CaseInput{Board: "ASN", Title: title, Summary: summary, Secret: secret,
		Proposals:  []string{"Arbetsmarknads- och socialnämnden föreslås besluta enligt förvaltningens förslag"},
		Route:      []db.StepInput{{Body: "ASN", Date: day.String(), ExtraMeeting: true}},
		Approvers:  []db.ApproverInput{{Email: chef.Email}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "kommunstyrelsen@kommun.example"}}}, officer)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = ms.store.Act(ctx, c.Number, officer, workflow.Command{Action: workflow.ActSubmit, Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	if c, err = ms.store.Act(ctx, c.Number, chef, workflow.Command{Action: workflow.ActApprove, Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	return c
}

// definitions reads a <dl> inside selector as term → description.
func (b *browser) definitions(selector string) map[string]string {
	b.t.Helper()
	js := fmt.Sprintf(`(() => {
  const out = {};
  const root = document.querySelector(%q);
  if (!root) return out;
  for (const dt of root.querySelectorAll("dl dt")) {
    const dd = dt.nextElementSibling;
    if (dd && dd.tagName === "DD") out[dt.textContent.trim()] = dd.textContent.trim();
  }
  return out;
})()`, selector)
	return eval[map[string]string](b, js)
}

// expectDates fails the test unless the <dl> in selector gives each term its value.
func (b *browser) expectDates(selector string, want map[string]string) {
	b.t.Helper()
	got := b.definitions(selector)
	for term, value := range want {
		if got[term] != value {
			b.t.Errorf("%s: %q is %q, want %q (all: %v)", selector, term, got[term], value, got)
		}
	}
}

// getPublic fetches a public address without a session.
func getPublic(t *testing.T, url string) (int, string, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// refuseRaw fails the test if the public HTML of path (fetched without a
// session, so hidden parts and attributes count too) holds any of unwanted.
func refuseRaw(t *testing.T, base, path string, unwanted ...string) {
	t.Helper()
	status, _, body := getPublic(t, base+path)
	if status != http.StatusOK {
		t.Errorf("GET %s: %d", path, status)
	}
	for _, w := range unwanted {
		if strings.Contains(string(body), w) {
			t.Errorf("the HTML of %s holds %q", path, w)
		}
	}
}

// anslagFeed reads /anslagstavla.atom with gofeed.
func anslagFeed(t *testing.T, base string) (*gofeed.Feed, string) {
	t.Helper()
	status, ctype, body := getPublic(t, base+"/anslagstavla.atom")
	if status != http.StatusOK || !strings.HasPrefix(ctype, "application/atom+xml") {
		t.Fatalf("GET /anslagstavla.atom: %d %s", status, ctype)
	}
	feed, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		t.Fatalf("gofeed cannot read the anslagstavla's feed: %v\n%s", err, body)
	}
	if feed.FeedType != "atom" {
		t.Errorf("the feed is %q, want atom", feed.FeedType)
	}
	if feed.FeedLink != base+"/anslagstavla.atom" {
		t.Errorf("the feed's rel=\"self\" link is %q, want %s/anslagstavla.atom", feed.FeedLink, base)
	}
	return feed, string(body)
}

// feedItem is the feed's entry linking to link, or nil.
func feedItem(feed *gofeed.Feed, link string) *gofeed.Item {
	for _, it := range feed.Items {
		if it.Link == link {
			return it
		}
		for _, l := range it.Links {
			if l == link {
				return it
			}
		}
	}
	return nil
}

// TestPublicSideOfAMeeting is issue 13's proof in Chromium: the secretary
// holds a meeting of the nämnd through justering and posts the anslag on a
// Friday whose three weeks end on juldagen; the notice is on /anslagstavla
// and in its Atom feed (read with gofeed) with the last day to appeal moved
// to the next work day; it is still up on that day and in the archive, not
// on the board, the day after. The secretary publishes the protokoll with
// one paragraph withheld; a secret case's paragraph shows on the public page
// and in its PDF by § and diarienummer only, and never on the anslagstavla
// or the feed; the public diary shows the withheld decision by its § only. axe-core checks the board, the notice, the archive and the
// published protokoll.
func TestPublicSideOfAMeeting(t *testing.T) {
	if got := workflow.AppealEnds(publicPosted); got != publicAppealEnds {
		t.Fatalf("AppealEnds(%s) = %s, want %s: the test's dates no longer fall over Christmas", publicPosted, got, publicAppealEnds)
	}
	axe := axeSource(t)
	ctx := context.Background()

	// The service's clock starts on Monday 2026-11-23, whatever day the
	// test runs, and the demo data is seeded from it.
	ms := &meetingServer{}
	ms.clock.Store(workflow.NewDate(2026, time.November, 23).At(9, 0))
	ms.base, ms.store = startService(t, handlers.Config{}, ms.now, nil)

	// A meeting day the nämnd has no meeting on, between the kallelse's
	// five days and a justering before the Friday of anslag.
	var day workflow.Date
	for _, d := range []workflow.Date{workflow.NewDate(2026, time.December, 2), workflow.NewDate(2026, time.December, 1), workflow.NewDate(2026, time.December, 3)} {
		taken, err := ms.store.Meetings(ctx, db.MeetingFilter{Body: "ASN", From: d, To: d})
		if err != nil {
			t.Fatal(err)
		}
		if len(taken) == 0 {
			day = d
			break
		}
	}
	if day.IsZero() {
		t.Fatal("the demo's nämnd meets on every day of 2026-12-01..03")
	}

	const (
		openTitle      = "Riktlinjer för försörjningsstöd 2027"
		openDecision   = "Arbetsmarknads- och socialnämnden beslutar att anta riktlinjerna för försörjningsstöd 2027."
		heldTitle      = "Avtal med Ugglebo stödboende om platser"
		heldDecision   = "Arbetsmarknads- och socialnämnden beslutar att teckna avtal med Ugglebo stödboende."
		secretTitle    = "Placering av Kalle Svensson i familjehemmet Lindgården"
		secretDecision = "Arbetsmarknads- och socialnämnden beslutar att Kalle Svensson placeras i familjehemmet Lindgården."
	)
	open := ms.publicCase(t, openTitle, "Förvaltningen föreslår nya riktlinjer för försörjningsstöd.", false, day)
	held := ms.publicCase(t, heldTitle, "Förvaltningen föreslår ett avtal om platser i stödboende.", false, day)
	secret := ms.publicCase(t, secretTitle, "Uppgifter om den enskilde omfattas av sekretess.", true, day)
	meetingID := open.Route[0].MeetingID
	if held.Route[0].MeetingID != meetingID || secret.Route[0].MeetingID != meetingID {
		t.Fatalf("the three cases are on meetings %d, %d and %d, want one", meetingID, held.Route[0].MeetingID, secret.Route[0].MeetingID)
	}
	path := fmt.Sprintf("/meetings/%d", meetingID)
	b := newBrowser(t, ms.base)

	// Kallelse.
	b.open("/login?next=" + path)
	b.login("sekreterare@kommun.example", "demo", http.StatusOK)
	b.expect("h1", "Arbetsmarknads- och socialnämnden "+day.String())
	if st := b.submit(`form[action="` + path + `/notice"] button`); st != http.StatusOK {
		t.Fatalf("kallelse: %d", st)
	}
	b.expect("[role=status]", "Kallelsen är registrerad som skickad")

	// The meeting: held, justerare named, the three decisions with their §.
	ms.at(day.At(19, 0))
	b.open("/login?next=" + path)
	b.login("sekreterare@kommun.example", "demo", http.StatusOK)
	if st := b.submit(`form[action="` + path + `/held"] button`); st != http.StatusOK {
		t.Fatalf("held: %d", st)
	}
	b.submit(`a[href="` + path + `/attendance"]`)
	b.markJusterare(ms)
	b.submit(`main form button[type=submit]`)
	for _, d := range []struct {
		c    workflow.Case
		text string
	}{{open, openDecision}, {held, heldDecision}, {secret, secretDecision}} {
		b.open(path + "/decisions/" + d.c.Number)
		b.set("#type", "approved")
		b.set("#text", d.text)
		b.submit(`main form button[type=submit]`)
		b.expect("[role=status]", "är registrerad: Bifall enligt förslaget")
	}
	label := func(c workflow.Case) string {
		t.Helper()
		pars, err := ms.store.CaseParagraphs(ctx, c.Number)
		if err != nil || len(pars) != 1 {
			t.Fatalf("paragraphs of %s: %+v, %v", c.Number, pars, err)
		}
		return pars[0].Label
	}
	openLabel, heldLabel, secretLabel := label(open), label(held), label(secret)
	b.logout()

	// Justering the next day.
	ms.at(day.AddDays(1).At(10, 0))
	for _, who := range []string{"ordforande@kommun.example", "ledamot@kommun.example"} {
		b.open("/login?next=" + path + "/justering")
		b.login(who, "demo", http.StatusOK)
		b.set("#password", "demo")
		b.submit(`main form button[type=submit]`)
		b.expect("[role=status]", "Din justering är registrerad")
		b.logout()
	}

	// Friday 2026-12-04: the anslag.
	ms.at(publicPosted.At(9, 0))
	b.open("/login?next=" + path)
	b.login("sekreterare@kommun.example", "demo", http.StatusOK)
	if got := b.value("#anslag_date"); got != publicPosted.String() {
		t.Errorf("the anslag day starts as %q, want today %s", got, publicPosted)
	}
	b.submit(`form[action="` + path + `/anslag"] button`)
	b.expect("[role=status]", "Anslaget är registrerat")
	b.expect("main", publicAppealEnds.String(), publicDown.String())

	// The review for the web: the secret paragraph cannot be ticked (it is
	// withheld anyway); the secretary withholds another and publishes.
	b.open(path + "/publicering")
	b.expect("h1", "Publicering på webben")
	b.expect("#withheld", secretLabel+" "+secret.Number, "sekretess")
	if n := b.count(`input[name=withheld]`); n != 2 {
		t.Errorf("the review offers %d paragraphs to withhold, want the 2 that are not secret", n)
	}
	b.click(fmt.Sprintf(`input[name=withheld][value="%s"]`, strings.TrimPrefix(heldLabel, "§ ")))
	if st := b.submit(`button[name=action][value=publish]`); st != http.StatusOK {
		t.Fatalf("publish: %d", st)
	}
	b.expect("[role=status]", "Protokollet är publicerat på webben")
	b.expect("main table", heldLabel, "taggad (tillgänglig)")
	b.checkAccessibility(axe, "the review for the web, published")
	b.screenshot("public-publicering")
	b.logout()

	// What must never show publicly: the secret case's title, its text,
	// its decision, and the title and text of the withheld paragraph; nor
	// the demo's own secret case.
	demoSecret := "Yttrande till förvaltningsrätten i mål om ekonomiskt bistånd för enskild"
	secretWords := []string{secretTitle, secretDecision, "Kalle Svensson", "Lindgården", demoSecret}
	withheldWords := []string{heldTitle, heldDecision, "Ugglebo"}

	// The anslagstavla, read by the public.
	noticeID := fmt.Sprintf("justering-%d", meetingID)
	article := fmt.Sprintf(`article[aria-labelledby="notice-%s"]`, noticeID)
	noticeTitle := "Protokoll från Arbetsmarknads- och socialnämnden " + day.String() + " är justerat"
	noticeDates := map[string]string{
		"Organ":                           "Arbetsmarknads- och socialnämnden",
		"Sammanträdesdatum":               day.String(),
		"Protokollet justerat":            day.AddDays(1).String(),
		"Anslaget":                        publicPosted.String(),
		"Sista dag att överklaga":         publicAppealEnds.String(),
		"Anslaget tas ned tidigast":       publicDown.String(),
		"Förvaringsplats för protokollet": "Kommunledningskontoret, Arbetsmarknads- och socialnämnden",
	}
	protokollPath := "/protokoll/ASN/" + day.String()
	if st := b.open("/anslagstavla"); st != http.StatusOK {
		t.Fatalf("GET /anslagstavla: %d", st)
	}
	if b.count(article) != 1 {
		t.Fatalf("the anslagstavla on %s does not show %s", publicPosted, noticeID)
	}
	b.expect(article+" h3", noticeTitle)
	b.expectDates(article, noticeDates)
	if n := b.count(article + ` a[href="` + protokollPath + `"]`); n != 1 {
		t.Errorf("the notice links %d times to the published protokoll %s", n, protokollPath)
	}
	b.refuse("main", append(secretWords, withheldWords...)...)
	refuseRaw(t, ms.base, "/anslagstavla", append(secretWords, withheldWords...)...)
	b.checkAccessibility(axe, "the anslagstavla with the notice")
	b.screenshot("public-anslagstavla")

	b.submit(article + ` h3 a`)
	b.expect("h1", noticeTitle)
	b.expectDates("main", noticeDates)
	b.expect("main", "Hur man överklagar", publicAppealEnds.String())
	b.refuse("main", append([]string{"Nedtagen"}, append(secretWords, withheldWords...)...)...)
	refuseRaw(t, ms.base, "/anslagstavla/"+noticeID, append(secretWords, withheldWords...)...)
	b.checkAccessibility(axe, "the notice's own page")
	b.screenshot("public-notice")

	// The Atom feed, read with gofeed.
	feed, raw := anslagFeed(t, ms.base)
	item := feedItem(feed, ms.base+"/anslagstavla/"+noticeID)
	if item == nil {
		t.Fatalf("the feed has no entry for %s: %d entries", noticeID, len(feed.Items))
	}
	if item.Title != noticeTitle {
		t.Errorf("the feed entry's title %q, want %q", item.Title, noticeTitle)
	}
	if want := "," + publicPosted.String() + ":anslagstavla/" + noticeID; !strings.HasPrefix(item.GUID, "tag:") || !strings.HasSuffix(item.GUID, want) {
		t.Errorf("the feed entry's id %q, want tag:…%s", item.GUID, want)
	}
	if item.UpdatedParsed == nil || !item.UpdatedParsed.Equal(publicPosted.Time(workflow.Stockholm)) {
		t.Errorf("the feed entry's updated %q, want %s at midnight in Stockholm", item.Updated, publicPosted)
	}
	content := item.Content
	for term, value := range noticeDates {
		if !strings.Contains(content, "<dt>"+term+"</dt><dd>"+value+"</dd>") {
			t.Errorf("the feed entry does not give %s as %s:\n%s", term, value, content)
		}
	}
	for _, w := range append(secretWords, withheldWords...) {
		if strings.Contains(raw, w) {
			t.Errorf("the feed shows %q", w)
		}
	}

	// The published protokoll: the open paragraph in full, the withheld
	// one and the secret one by § and diarienummer only.
	if st := b.open(protokollPath); st != http.StatusOK {
		t.Fatalf("GET %s: %d", protokollPath, st)
	}
	b.expect("h1", "Arbetsmarknads- och socialnämnden")
	b.expect("main", openLabel+" "+openTitle, openDecision,
		heldLabel+" Paragrafen publiceras inte på webben", held.Number,
		secretLabel+" Ärende som omfattas av sekretess", secret.Number,
		"Överklagande senast", publicAppealEnds.String())
	b.refuse("main", append(secretWords, withheldWords...)...)
	refuseRaw(t, ms.base, protokollPath, append(secretWords, withheldWords...)...)
	b.checkAccessibility(axe, "the published protokoll")
	b.screenshot("public-protokoll")

	status, ctype, pdf := getPublic(t, ms.base+protokollPath+".pdf")
	if status != http.StatusOK || ctype != "application/pdf" {
		t.Fatalf("GET %s.pdf: %d %s", protokollPath, status, ctype)
	}
	text := strings.Join(strings.Fields(pdftest.Text(t, pdf)), " ")
	for _, w := range []string{openLabel + " " + openTitle, openDecision, secretLabel, secret.Number, heldLabel, held.Number} {
		if !strings.Contains(text, w) {
			t.Errorf("the public PDF lacks %q:\n%s", w, text)
		}
	}
	for _, w := range append(secretWords, withheldWords...) {
		if strings.Contains(text, w) {
			t.Errorf("the public PDF shows %q:\n%s", w, text)
		}
	}
	if info := pdftest.Info(t, pdf); info["Tagged"] != "yes" {
		t.Errorf("the public PDF is not tagged: %v", info)
	}

	// The public diary follows the publication: the open decision as
	// published, the withheld one by its § and a notice only (its title is
	// the case's registration, public in the diary), the secret one not at all.
	b.open("/diarium/" + held.Number)
	b.expect("main", heldLabel, "Paragrafen publiceras inte på webben", "kan begäras ut från registraturen")
	b.refuse("main", heldDecision)
	for _, p := range []string{"/diarium/" + held.Number, "/api/v1/diary/" + held.Number, "/api/v1/diary?q=Ugglebo"} {
		refuseRaw(t, ms.base, p, heldDecision)
	}
	b.checkAccessibility(axe, "a decision kept off the web, in the diary")
	b.screenshot("public-diary-withheld")
	b.open("/diarium/" + open.Number)
	b.expect("main", openLabel, openDecision)
	b.open("/diarium/" + secret.Number)
	b.refuse("main", secretWords...)

	// Monday 2026-12-28, the last day to appeal, to its last minute: still
	// up, not archived.
	ms.at(publicAppealEnds.At(23, 59))
	b.open("/anslagstavla")
	if b.count(article) != 1 {
		t.Errorf("on the last day to appeal, %s, the notice is not on the anslagstavla", publicAppealEnds)
	}
	b.open("/anslagstavla/arkiv")
	if n := b.count(`main table a[href="/anslagstavla/` + noticeID + `"]`); n != 0 {
		t.Errorf("on the last day to appeal the notice is already in the archive")
	}
	if feed, _ := anslagFeed(t, ms.base); feedItem(feed, ms.base+"/anslagstavla/"+noticeID) == nil {
		t.Errorf("on the last day to appeal the notice is not in the feed")
	}

	// Tuesday 2026-12-29: down, in the archive, at its permanent address.
	ms.at(publicDown.At(0, 5))
	b.open("/anslagstavla")
	if b.count(article) != 0 {
		t.Errorf("on %s the notice is still on the anslagstavla", publicDown)
	}
	if feed, _ := anslagFeed(t, ms.base); feedItem(feed, ms.base+"/anslagstavla/"+noticeID) != nil {
		t.Errorf("on %s the notice is still in the feed", publicDown)
	}
	b.open("/anslagstavla/arkiv")
	row := `main table a[href="/anslagstavla/` + noticeID + `"]`
	if b.count(row) != 1 {
		t.Fatalf("on %s the notice is not in the archive", publicDown)
	}
	b.expect("main table", noticeTitle, publicPosted.String(), publicDown.String())
	b.refuse("main", append(secretWords, withheldWords...)...)
	refuseRaw(t, ms.base, "/anslagstavla/arkiv", append(secretWords, withheldWords...)...)
	b.checkAccessibility(axe, "the archive")
	b.screenshot("public-archive")
	if st := b.submit(row); st != http.StatusOK {
		t.Errorf("the notice taken down, at its permanent address: %d", st)
	}
	b.expect("main", "Nedtagen "+publicDown.String())
	b.expectDates("main", noticeDates)
	b.checkAccessibility(axe, "the notice taken down")
}
