package db

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/docfixture"
)

// An attachment of more text than PostgreSQL's tsvector holds (a megabyte,
// 16 383 positions) is indexed all the same: the change goes through, and
// its words are found as far as the index holds them.
func TestSearchLongAttachment(t *testing.T) {
	f := newSearchFixture(t)
	n := f.create(t, "Lång bilaga", nil)
	words := make([]string, 250000) // 2.5 MB of different words
	for i := range words {
		words[i] = fmt.Sprintf("ord%06dx", i)
	}
	if _, err := f.s.AddAttachment(f.ctx, n, f.p.officer, NewAttachment{Name: "lang.docx",
		Data: docfixture.DOCX(t, strings.Join(words, " "))}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{words[0], words[20000]} {
		if got := f.find(t, &f.p.officer, w); !slices.Equal(got, []string{n}) {
			t.Errorf("search %q = %q, want the case", w, got)
		}
	}
}

// pgVectorTexts leaves out what a tsvector cannot hold: words longer than a
// lexeme, repeats past the last position, words past the budget.
func TestVectorTextsFitATSVector(t *testing.T) {
	long := strings.Repeat("x", pgMaxLexeme+1)
	if got := pgVectorTexts(searchDoc{Title: "Kort " + long + " ord"})[1]; got != "kort ord" {
		t.Errorf("a word longer than a lexeme: %q", got)
	}
	got := pgVectorTexts(searchDoc{Text: strings.Repeat("en två ", pgMaxPositions) + "tre en"})[3]
	if n := len(strings.Fields(got)); n != pgMaxPositions+1 || !strings.HasSuffix(got, " tre") {
		t.Errorf("past the last position: %d words, ending %q", n, got[max(0, len(got)-20):])
	}
	var b strings.Builder
	for i := range 200000 {
		fmt.Fprintf(&b, "ord%06d ", i)
	}
	out := pgVectorTexts(searchDoc{About: "början", Text: b.String()})
	cost := 0
	for _, col := range out {
		for _, w := range strings.Fields(col) {
			cost += len(w) + 10
		}
	}
	if cost > pgVectorBudget || !strings.HasPrefix(out[3], "ord000000 ord000001") || out[2] != "början" {
		t.Errorf("past the budget: cost %d of %d, %q…", cost, pgVectorBudget, out[3][:min(len(out[3]), 30)])
	}
}
