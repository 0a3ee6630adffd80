package db

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// fts5Snippet cuts and marks as FTS5's snippet() does, for the word index
// (16 words) and the trigram index (64 trigrams): random texts and queries
// against SQLite's own.
func TestSnippetIsFTS5s(t *testing.T) {
	sqliteOnly(t, "compares with FTS5's snippet()")
	if !FullTextSearch {
		t.Skip("no FTS5 in this build")
	}
	d, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.SetMaxOpenConns(1)
	for _, q := range []string{
		`CREATE VIRTUAL TABLE w USING fts5(x, tokenize='unicode61 remove_diacritics 0')`,
		`CREATE VIRTUAL TABLE tri USING fts5(x, tokenize='trigram remove_diacritics 0')`,
	} {
		if _, err := d.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := []string{"nämnden", "beslutar", "att", "skolskjuts", "och", "färdtjänst", "Åmål", "EU", "projekt", "i", "ärendet", "2026"}
	seps := []string{" ", " ", " ", ", ", ". ", ": ", "\n", " – ", " (", ") ", "-"}
	text := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString(seps[rng.IntN(len(seps))])
			}
			b.WriteString(vocab[rng.IntN(len(vocab))])
		}
		if rng.IntN(2) == 0 {
			b.WriteString(".")
		}
		return b.String()
	}
	lex := map[string]string{}
	for _, w := range vocab {
		lex[lowerWord(w)] = lowerWord(w)
	}
	for i := range 3000 {
		doc := text(1 + rng.IntN(50))
		// Words: one to three phrases of one or two words.
		var parts [][]string
		var phrases []string
		for range 1 + rng.IntN(3) {
			p := []string{lowerWord(vocab[rng.IntN(len(vocab))])}
			if rng.IntN(3) == 0 {
				p = append(p, lowerWord(vocab[rng.IntN(len(vocab))]))
			}
			parts, phrases = append(parts, p), append(phrases, `"`+strings.Join(p, " ")+`"`)
		}
		spans := tokenize(doc)
		want := fts5SnippetOf(t, d, "w", doc, strings.Join(phrases, " OR "), snippetWords)
		if got := fts5Snippet(doc, spans, wordInstances(doc, spans, parts, lex), snippetWords); got != want {
			t.Fatalf("case %d: words %q in %q:\n got %q\nwant %q", i, phrases, doc, got, want)
		}
		// Substrings.
		var subs []string
		phrases = nil
		for range 1 + rng.IntN(2) {
			w := []rune(lowerWord(vocab[rng.IntN(len(vocab))]) + " " + lowerWord(vocab[rng.IntN(len(vocab))]))
			a := rng.IntN(len(w) - 2)
			sub := string(w[a : a+3+rng.IntN(len(w)-a-2)])
			subs, phrases = append(subs, sub), append(phrases, `"`+sub+`"`)
		}
		spans, insts := substringInstances(doc, subs)
		want = fts5SnippetOf(t, d, "tri", doc, strings.Join(phrases, " OR "), snippetTrigrams)
		if got := fts5Snippet(doc, spans, insts, snippetTrigrams); got != want {
			t.Fatalf("case %d: substrings %q in %q:\n got %q\nwant %q", i, phrases, doc, got, want)
		}
	}
}

// fts5SnippetOf is FTS5's snippet of doc for match in table, "" when it
// does not match.
func fts5SnippetOf(t *testing.T, d *sql.DB, table, doc, match string, size int) string {
	t.Helper()
	if _, err := d.Exec(`DELETE FROM ` + table); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`INSERT INTO `+table+`(rowid, x) VALUES (1, ?)`, doc); err != nil {
		t.Fatal(err)
	}
	var s string
	err := d.QueryRow(fmt.Sprintf(`SELECT snippet(%s, 0, '%s', '%s', '…', %d) FROM %[1]s WHERE %[1]s MATCH ?`,
		table, markOpen, markClose, size), match).Scan(&s)
	if err == sql.ErrNoRows {
		return ""
	}
	if err != nil {
		t.Fatalf("%s MATCH %q: %v", table, match, err)
	}
	return s
}
