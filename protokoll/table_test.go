package protokoll

import (
	"fmt"
	"github.com/kommun/beslutsgang/internal/docfixture"
	"math"
	"strings"
	"testing"
)

// euTable is the seed report's table of EU funds.
const euTable = docfixture.EUTable

// layoutLine is the line of the layout text that contains s.
func layoutLine(pages []string, s string) string {
	for _, p := range pages {
		for _, l := range strings.Split(p, "\n") {
			if strings.Contains(l, s) {
				return l
			}
		}
	}
	return ""
}

// A table in a decision's text is drawn as a table: the header on one
// line, each row's cells on one line, the amounts flush right.
func TestTableInDecisionText(t *testing.T) {
	min := minutesFixture()
	min.Paragraphs[0].Text = "Nämnden godkänner redovisningen av EU-medlen.\n\n" + euTable + "\n\nRedovisningen skickas till kommunstyrelsen."
	pdf, err := Minutes(min)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, pdf)
	all := strings.Join(pages, "\n")
	if strings.Contains(all, "|") || strings.Contains(all, "---") {
		t.Errorf("the table's pipes are printed:\n%s", all)
	}
	if l := layoutLine(pages, "Projektnamn"); !inOrder(l, "Projektnamn", "EU-fond", "Utbetalt till ASF 2019", "Bidrar till KF-mål") {
		t.Errorf("the header is not one line: %q", l)
	}
	for _, row := range [][]string{
		{"Hela familjen", "ESF", "1 680 158 SEK", "2"},
		{"Konsekvenspedagogisk vägledning/KRAMI", "Erasmus+", "172 286 SEK", "2"},
		{"TOTALT", "4 029 253 SEK"},
	} {
		if l := layoutLine(pages, row[0]); !inOrder(l, row...) {
			t.Errorf("row %q is not one line: %q", row, l)
		}
	}
	for _, s := range []string{"Utbetalda EU-medel 2019", "Nämnden godkänner redovisningen", "Redovisningen skickas till kommunstyrelsen"} {
		if !strings.Contains(all, s) {
			t.Errorf("the protokoll lacks %q", s)
		}
	}
	if i, j, k := strings.Index(all, "godkänner redovisningen"), strings.Index(all, "Hela familjen"), strings.Index(all, "skickas till kommunstyrelsen"); !(i < j && j < k) {
		t.Errorf("the text and the table are out of order: %d %d %d", i, j, k)
	}
	// The amounts and the KF-mål end at the same x: flush right.
	words := pdfWords(t, pdf)
	var sek, goals []float64
	for _, w := range words {
		if w.text != "SEK" {
			continue
		}
		sek = append(sek, w.x1)
		for _, g := range words { // the KF-mål right of the amount, on its line
			if (g.text == "2" || g.text == "6" || g.text == "8") && g.page == w.page && math.Abs(g.y0-w.y0) < 1 && g.x0 > w.x1 {
				goals = append(goals, g.x1)
			}
		}
	}
	if len(sek) != 9 || len(goals) != 8 {
		t.Fatalf("found %d amounts and %d goals, want 9 and 8", len(sek), len(goals))
	}
	for _, xs := range [][]float64{sek, goals} {
		for _, x := range xs {
			if math.Abs(x-xs[0]) > 0.5 {
				t.Errorf("right edges differ: %v", xs)
				break
			}
		}
	}
	assertNoOverlap(t, words)
}

func inOrder(line string, parts ...string) bool {
	at := 0
	for _, p := range parts {
		i := strings.Index(line[at:], p)
		if i < 0 {
			return false
		}
		at += i + len(p)
	}
	return line != ""
}

// A table longer than a page breaks between rows and repeats its header;
// a tabled decision's sentence comes after the table.
func TestLongTableRepeatsItsHeader(t *testing.T) {
	var b strings.Builder
	b.WriteString("Lång tabell\n| Rad | Text | Belopp |\n| --- | --- | ---: |\n")
	for i := range 90 {
		fmt.Fprintf(&b, "| %d | Raden har en text som är lång nog för att radbrytas i sin cell när tabellen blir smal nog | %d kr |\n", i, i*1000)
	}
	min := minutesFixture()
	min.Paragraphs[1].Text = b.String() + "| Summa | | 4 005 000 kr |"
	pdf, err := Minutes(min)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, pdf)
	headers := 0
	for _, p := range pages {
		if strings.Contains(p, "Rad") && strings.Contains(p, "Belopp") {
			headers++
		}
	}
	if headers < 2 {
		t.Errorf("the header is on %d pages, want it repeated", headers)
	}
	all := strings.Join(pages, "\n")
	if i, j := strings.Index(all, "4 005 000 kr"), strings.Index(all, "bordläggs till sammanträdet den 2020-02-27"); i < 0 || j < i {
		t.Errorf("the total at %d, the tabled sentence at %d", i, j)
	}
	assertNoOverlap(t, pdfWords(t, pdf))
}
