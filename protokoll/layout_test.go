package protokoll

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/workflow"
)

// Names and texts outside cp1252, which the core fonts printed as ".".
const (
	bosnianName = "Emir Čaušević"
	polishName  = "Michał Łukasiewicz"
	samiName    = "Áilu Ŋuolja"
	samiText    = "Sámediggi ja Đuođaš Ŧuomma čálle ášši ovddas."
	longName    = "Anna-Karin Wästerberg-Johansson"
)

// unicodeFixture puts letters outside cp1252 everywhere a name or a text goes.
func unicodeFixture() workflow.Minutes {
	min := minutesFixture()
	min.Meeting.Place = "Guovdageaidnu, Ŋuolja-sálla"
	min.Meeting.Secretary.Name = samiName
	min.Attendees[0].Member.Name = bosnianName
	min.Attendees = append(min.Attendees, workflow.Attendee{
		Member: workflow.Member{Name: samiName, Role: workflow.MemberStaff}, Present: true})
	p := &min.Paragraphs[0]
	p.CaseTitle = "Bidrag till " + polishName + "s stiftelse"
	p.Text = "Nämnden beslutar att bevilja " + polishName + " bidrag. " + samiText
	p.Proposals = []string{"Bevilja " + polishName + " bidrag"}
	p.Recipients = []workflow.Recipient{{Name: bosnianName}, {Name: polishName}}
	return min
}

func TestNamesOutsideCP1252(t *testing.T) {
	min := unicodeFixture()
	pdf, err := Minutes(min)
	if err != nil {
		t.Fatal(err)
	}
	text := flat(pdftest.Text(t, pdf))
	for _, want := range []string{bosnianName, polishName, samiName, samiText, "Guovdageaidnu, Ŋuolja-sálla",
		"Bidrag till " + polishName + "s stiftelse", "Anslaget", "sida 1 av"} {
		if !strings.Contains(text, want) {
			t.Errorf("protokoll text lacks %q", want)
		}
	}
	ex, err := Extract(min, min.Paragraphs[0])
	if err != nil {
		t.Fatal(err)
	}
	text = flat(pdftest.Text(t, ex))
	for _, want := range []string{bosnianName, polishName, samiText, "Bevilja " + polishName + " bidrag",
		"Rätt utdraget intygar: " + samiName + ", sekreterare"} {
		if !strings.Contains(text, want) {
			t.Errorf("utdrag text lacks %q", want)
		}
	}
}

// flat joins the words of a text with single spaces, so a phrase is found
// wherever the page wrapped it.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestLongAdjusterNameWrapsInItsCell(t *testing.T) {
	min := minutesFixture()
	min.Meeting.Status, min.Meeting.JustifiedAt, min.Meeting.PostedOn = workflow.MeetingHeld, nil, workflow.Date{}
	min.Attendees[0].Member.Name = longName
	min.Attendees[0].SignedAt = nil // "Ej justerat" beside the long name
	pdf, err := Minutes(min)
	if err != nil {
		t.Fatal(err)
	}
	words := pdfWords(t, pdf)
	var ej *word
	for i := range words {
		if words[i].text == "Ej" && i+1 < len(words) && words[i+1].text == "justerat" {
			ej = &words[i]
		}
	}
	if ej == nil {
		t.Fatal(`no "Ej justerat" in the protokoll`)
	}
	// The name's words in the signature table: left of "Ej", from its row down.
	var name []word
	for _, w := range words {
		if w.page == ej.page && w.x0 < ej.x0 && w.y0 > ej.y0-2 && w.y0 < ej.y0+40 &&
			(strings.Contains("Anna-Karin", w.text) || strings.Contains("Wästerberg-Johansson", w.text)) {
			name = append(name, w)
		}
	}
	var got []string
	for _, w := range name {
		got = append(got, w.text)
	}
	if strings.Join(got, "") != strings.ReplaceAll(longName, " ", "") {
		t.Fatalf("the name in the signature table reads %q, want %q", got, longName)
	}
	if last := name[len(name)-1]; last.y0 < ej.y1 {
		t.Errorf("the name is on one line (%v … %v), not wrapped in its cell", name[0], last)
	}
	for _, w := range name {
		if w.x1 > ej.x0 {
			t.Errorf("%q ends at %.1f, into the status column at %.1f", w.text, w.x1, ej.x0)
		}
	}
	// The next row starts below the whole name: the row is as tall as its tallest cell.
	for _, w := range words {
		if w.page == ej.page && w.text == "Bo" && w.y0 > ej.y0 && w.y0 < name[len(name)-1].y1 {
			t.Errorf("the next row (%v) starts inside the wrapped name (%v)", w, name[len(name)-1])
		}
	}
	assertNoOverlap(t, words)
}

// TestNoTextOverlaps renders documents whose every label and value is long and
// checks that no two words share ink.
func TestNoTextOverlaps(t *testing.T) {
	min := unicodeFixture()
	long := "Arbetsmarknads-, socialtjänst- och integrationsnämndens arbetsutskott för individärenden"
	min.Meeting.Body.Name = long
	min.Meeting.Place = "Kommunhuset i Guovdageaidnu, sammanträdesrummet Ŋuolja-sálla, våning tre"
	min.Meeting.Secretary.Name = longName + " af Ŋuolja"
	for i := range min.Attendees {
		min.Attendees[i].Member.Name += " " + longName
		min.Attendees[i].Adjuster = true
	}
	min.Attendees[2].Present = true
	min.Paragraphs[0].Recipients = append(min.Paragraphs[0].Recipients, workflow.Recipient{Name: long})
	pdf, err := Minutes(min)
	if err != nil {
		t.Fatal(err)
	}
	assertNoOverlap(t, pdfWords(t, pdf))
	ex, err := Extract(min, min.Paragraphs[0])
	if err != nil {
		t.Fatal(err)
	}
	assertNoOverlap(t, pdfWords(t, ex))
}

func assertNoOverlap(t *testing.T, words []word) {
	t.Helper()
	const slack = 0.6 // pt: glyph boxes of adjacent lines may touch
	for i, a := range words {
		for _, b := range words[i+1:] {
			if a.page == b.page && a.x0+slack < b.x1 && b.x0+slack < a.x1 && a.y0+slack < b.y1 && b.y0+slack < a.y1 {
				t.Errorf("page %d: %q %v overprints %q %v", a.page, a.text, a, b.text, b)
			}
		}
	}
}

// TestCharactersOutsideTheFont: what DejaVu Sans cannot set (emoji and the
// rest beyond the basic plane, control characters from a pasted text) must
// not break the document; such a character prints as "�".
func TestCharactersOutsideTheFont(t *testing.T) {
	min := minutesFixture()
	min.Attendees[0].Member.Name = "Anna Ek 👍"
	min.Paragraphs[0].Text = "Nämnden tackar 🎉 för\tarbetet.\r\nBeslutet\x00 gäller \U00010000 direkt."
	for _, render := range []func() ([]byte, error){
		func() ([]byte, error) { return Minutes(min) },
		func() ([]byte, error) { return Extract(min, min.Paragraphs[0]) },
	} {
		pdf, err := func() (pdf []byte, err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return render()
		}()
		if err != nil {
			t.Fatal(err)
		}
		text := flat(pdftest.Text(t, pdf))
		for _, want := range []string{"Anna Ek �", "Nämnden tackar � för arbetet.", "Beslutet gäller � direkt."} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q", want)
			}
		}
	}
}

// bigMinutes is a protokoll of 160 paragraphs whose titles and decision texts
// vary in length, so that headings fall at every height of a page.
func bigMinutes() workflow.Minutes {
	min := minutesFixture()
	words := strings.Fields("nämnden beslutar att godkänna förvaltningens förslag till åtgärder inom äldreomsorgen och " +
		"uppdrar åt förvaltningschefen att återrapportera resultatet av uppföljningen till nämnden under hösten")
	types := []workflow.DecisionType{workflow.DecisionApproved, workflow.DecisionAmended, workflow.DecisionRejected,
		workflow.DecisionReturned, workflow.DecisionTabled}
	min.Paragraphs = nil
	for i := range 160 {
		n := i + 1
		title := fmt.Sprintf("Ärende %d om ", n) + strings.Join(words[:3+(i*7)%12], " ")
		if i%9 == 4 { // titles of two and three lines
			title += ", med yttrande över remissen från " + strings.Join(words[(i*5)%10:], " ")
		}
		var body []string
		for j := range 1 + (i*13)%17 {
			body = append(body, strings.Join(words[(i+j)%8:(i+j)%8+4+(i*j)%9], " ")+".")
		}
		p := workflow.Paragraph{Number: n, CaseNumber: fmt.Sprintf("ASN-2019-%05d", n), CaseTitle: title,
			Type: types[i%len(types)], Text: fmt.Sprintf("Beslutstext %d: ", n) + strings.Join(body, " ")}
		if i%11 == 3 {
			p.Text += "\n\nNämnden noterar särskilt att " + strings.Join(words, " ") + "."
		}
		if p.Type == workflow.DecisionTabled {
			p.NextDate = workflow.MustDate("2020-02-27")
		}
		min.Paragraphs = append(min.Paragraphs, p)
	}
	return min
}

var (
	paragraphLine = regexp.MustCompile(`^§ (\d+)\s`)
	footerLine    = regexp.MustCompile(`– sida \d+ av \d+$`)
)

func isHeading(line string) bool {
	if paragraphLine.MatchString(line) {
		return true
	}
	for _, h := range []string{"Beslut – ", "Förslag till beslut", "Beslutet skickas till", "Justering", "Anslag", "Närvarande"} {
		if strings.HasPrefix(line, h) {
			return true
		}
	}
	return false
}

func TestHeadingsKeepWithWhatFollows(t *testing.T) {
	min := bigMinutes()
	pdf, err := Minutes(min)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, pdf)
	if len(pages) < 20 {
		t.Fatalf("160 paragraphs on %d pages", len(pages))
	}
	type line struct {
		page int
		text string
	}
	var lines []line
	for p, page := range pages {
		var body []string
		for _, l := range strings.Split(page, "\n") {
			if l = strings.TrimSpace(l); l != "" && !footerLine.MatchString(l) {
				body = append(body, l)
			}
		}
		if len(body) == 0 {
			t.Errorf("page %d is empty", p+1)
			continue
		}
		if last := body[len(body)-1]; isHeading(last) {
			t.Errorf("page %d ends on the heading %q", p+1, last)
		}
		for _, l := range body {
			lines = append(lines, line{p + 1, l})
		}
	}
	// Each paragraph's title, diarienummer, decision heading and the first two
	// lines of its decision share a page.
	seen := 0
	for i, l := range lines {
		m := paragraphLine.FindStringSubmatch(l.text)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		seen++
		var block []line
		var texts []string
		for _, k := range lines[i:] {
			block, texts = append(block, k), append(texts, k.text)
			if strings.HasPrefix(k.text, "Beslutstext") {
				break
			}
		}
		if !strings.HasPrefix(texts[len(texts)-1], fmt.Sprintf("Beslutstext %d:", n)) {
			t.Fatalf("§ %d: no decision text after its title: %q", n, texts)
		}
		if !slices.Contains(texts, fmt.Sprintf("Diarienummer ASN-2019-%05d", n)) {
			t.Errorf("§ %d: no diarienummer between title and decision: %q", n, texts)
		}
		if next := i + len(block); next < len(lines) && !isHeading(lines[next].text) {
			block = append(block, lines[next]) // the decision's second line
		}
		for _, k := range block {
			if k.page != l.page {
				t.Errorf("§ %d begins on page %d but %q is on page %d", n, l.page, k.text, k.page)
				break
			}
		}
	}
	if seen != 160 {
		t.Errorf("found %d paragraph titles, want 160", seen)
	}
}

func TestConcurrentRendering(t *testing.T) {
	want, err := Minutes(unicodeFixture())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if got, err := Minutes(unicodeFixture()); err != nil || !bytes.Equal(got, want) {
				t.Errorf("concurrent rendering: err %v, same bytes %v", err, bytes.Equal(got, want))
			}
		})
	}
	wg.Wait()
}

// BenchmarkBigMinutes measures a 160-paragraph protokoll; speed is for
// benchmarks, not timed assertions.
func BenchmarkBigMinutes(b *testing.B) {
	for b.Loop() {
		if _, err := Minutes(bigMinutes()); err != nil {
			b.Fatal(err)
		}
	}
}

// word is one word on a page as pdftotext -bbox gives it, in points from the
// top left.
type word struct {
	page           int
	x0, y0, x1, y1 float64
	text           string
}

func (w word) String() string {
	return fmt.Sprintf("p%d[%.1f,%.1f–%.1f,%.1f]", w.page, w.x0, w.y0, w.x1, w.y1)
}

var (
	bboxPage = regexp.MustCompile(`<page `)
	bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

func pdfWords(t *testing.T, pdf []byte) []word {
	t.Helper()
	out := poppler(t, pdf, "-bbox")
	var words []word
	for i, page := range bboxPage.Split(out, -1)[1:] {
		for _, m := range bboxWord.FindAllStringSubmatch(page, -1) {
			w := word{page: i + 1, text: html.UnescapeString(m[5])}
			for j, p := range []*float64{&w.x0, &w.y0, &w.x1, &w.y1} {
				*p, _ = strconv.ParseFloat(m[j+1], 64)
			}
			words = append(words, w)
		}
	}
	return words
}

// pdfPages is the text of each page, laid out as on the page.
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	pdftest.Text(t, pdf) // checks that pdftotext is there and the bytes are a PDF
	pages := strings.Split(poppler(t, pdf, "-layout"), "\f")
	return pages[:len(pages)-1] // after the last form feed: nothing
}

func poppler(t *testing.T, pdf []byte, mode string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", mode, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", mode, err)
	}
	return string(out)
}
