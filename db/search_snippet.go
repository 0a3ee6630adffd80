package db

// FTS5's snippet() in Go, for both engines: PostgreSQL's index has none,
// and on SQLite snippet() needs the row's MATCH, which FTS5 evaluates over
// every match of the query before it filters on the page's rowids (measured:
// 5–17 ms for a page of 20 out of 2,400 matches, against well under a
// millisecond to read the page's texts and cut them here). The same window
// of the same column and the same marks as FTS5's snippet() for the same
// phrase instances. Ported
// from SQLite's fts5_aux.c (fts5SnippetFunction, fts5SnippetScore,
// fts5SentenceFinderCb, fts5HighlightCb, fts5CInstIterNext), for a single
// column, with markOpen, markClose and "…"; and the phrase instances, found
// as FTS5's two tokenizers (unicode61 and trigram) find them. Words are
// compared lowercased (lowerWord); unicode61 also folds a few letters Go's
// lowercasing keeps apart (final sigma, long s), so in text with those the
// marks can differ from FTS5's (a review found none with Swedish text).

import (
	"context"
	"html/template"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Snippet sizes, as FTS5's snippet() would be asked for them: 16 words, or
// 64 trigrams (FTS5's trigram tokens, a character each).
const (
	snippetWords    = 16
	snippetTrigrams = 64
)

// snippetInst is one instance of a query phrase in a column: the phrase's
// place in the query, its first token and its size in tokens.
type snippetInst struct{ phrase, pos, n int }

// fts5Snippet is the snippet of text, whose tokens are spans, for the
// phrase instances insts (in order of pos) in a window of size tokens: the
// window of the best score (every phrase it holds a thousand, every repeat
// one), centred on its instances, or starting at a sentence (after "." or
// ":" and a space) with a bonus of 100 (120 at the column's start) when the
// column is longer than the window. "" when there is no instance.
func fts5Snippet(text string, spans []tokenSpan, insts []snippetInst, size int) string {
	if len(insts) == 0 {
		return ""
	}
	nDoc, phrases := len(spans), 0
	for _, in := range insts {
		phrases = max(phrases, in.phrase+1)
	}
	score := func(from int) (total, adj int) {
		seen := make([]bool, phrases)
		first, last := -1, 0
		for _, in := range insts {
			if in.pos < from || in.pos >= from+size {
				continue
			}
			if seen[in.phrase] {
				total++
			} else {
				total += 1000
			}
			seen[in.phrase] = true
			if first < 0 {
				first = in.pos
			}
			last = in.pos + in.n
		}
		adj = first - (size-(last-first))/2
		if adj+size > nDoc {
			adj = nDoc - size
		}
		return total, max(adj, 0)
	}
	starts := sentenceStarts(text, spans)
	best, start := 0, 0
	for _, in := range insts {
		if sc, adj := score(in.pos); sc > best {
			best, start = sc, adj
		}
		if nDoc <= size {
			continue
		}
		j := 0
		for j < len(starts)-1 && starts[j+1] <= in.pos {
			j++
		}
		if s := starts[j]; s < in.pos {
			sc, _ := score(s)
			sc += 200
			if s == 0 {
				sc += 20
			}
			if sc > best {
				best, start = sc, s
			}
		}
	}
	return highlightRange(text, spans, coalesceInsts(insts), start, start+size-1)
}

// sentenceStarts are the tokens that start a sentence: the first, and each
// after "." or ":" and white space.
func sentenceStarts(text string, spans []tokenSpan) []int {
	var out []int
	for p, sp := range spans {
		if p == 0 {
			out = append(out, 0)
			continue
		}
		i := sp.start - 1
		for i >= 0 && strings.IndexByte(" \t\n\r", text[i]) >= 0 {
			i--
		}
		if i != sp.start-1 && i >= 0 && (text[i] == '.' || text[i] == ':') {
			out = append(out, p)
		}
	}
	return out
}

// coalesceInsts is the instances as the ranges of tokens (first and last)
// that are marked: overlapping instances are one range.
func coalesceInsts(insts []snippetInst) []tokenSpan {
	var out []tokenSpan
	for _, in := range insts {
		last := in.pos + in.n - 1
		if n := len(out); n > 0 && in.pos <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, last)
			continue
		}
		out = append(out, tokenSpan{in.pos, last})
	}
	return out
}

// highlightRange is the text of tokens from to to (inclusive), the ranges
// that start in it marked: "…" before it unless it is the column's start,
// the rest of the text after it if it reaches the last token, else "…".
func highlightRange(text string, spans, ranges []tokenSpan, from, to int) string {
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	r := 0
	for r < len(ranges) && ranges[r].start < from {
		r++
	}
	next := func() tokenSpan {
		if r < len(ranges) {
			return ranges[r]
		}
		return tokenSpan{-1, -1}
	}
	off, open := 0, false
	for pos := from; pos <= to && pos < len(spans); pos++ {
		sp := spans[pos]
		if pos == from && from > 0 {
			off = sp.start
		}
		cur := next()
		if open && (pos <= cur.start || cur.start < 0) && sp.start > off {
			b.WriteString(markClose)
			open = false
		}
		if pos == cur.start && !open {
			b.WriteString(text[off:sp.start] + markOpen)
			off, open = sp.start, true
		}
		if pos == cur.end {
			if !open {
				b.WriteString(markOpen)
				open = true
			}
			b.WriteString(text[off:sp.end])
			off = sp.end
			r++
		}
		if pos == to {
			if open {
				if cur := next(); cur.start >= 0 && pos >= cur.start {
					b.WriteString(text[off:sp.end])
					off = sp.end
				}
				b.WriteString(markClose)
				open = false
			}
			b.WriteString(text[off:sp.end])
			off = sp.end
		}
	}
	if open {
		b.WriteString(markClose)
	}
	if to >= len(spans)-1 {
		b.WriteString(text[off:])
	} else {
		b.WriteString("…")
	}
	return b.String()
}

// wordInstances is where the query's parts (phrases of lowercased words)
// stand in text, whose words are spans: a word matches a query word when
// their lexemes (lex) are the same.
func wordInstances(text string, spans []tokenSpan, parts [][]string, lex map[string]string) []snippetInst {
	have := make([]string, len(spans))
	for i, sp := range spans {
		have[i] = lex[lowerWord(text[sp.start:sp.end])]
	}
	var out []snippetInst
	for i := range spans {
		for p, words := range parts {
			match := i+len(words) <= len(spans)
			for j := 0; match && j < len(words); j++ {
				l := lex[words[j]]
				match = l != "" && have[i+j] == l
			}
			if match {
				out = append(out, snippetInst{phrase: p, pos: i, n: len(words)})
			}
		}
	}
	return out
}

// substringInstances is text as FTS5's trigram tokenizer reads it (a token
// for each three characters in a row: spans) and where the substrings subs
// (lowercased; each a phrase of its trigrams) stand in it, case folded as
// that tokenizer folds.
func substringInstances(text string, subs []string) (spans []tokenSpan, insts []snippetInst) {
	var at []int
	var lower []rune
	for i, r := range text {
		at, lower = append(at, i), append(lower, unicode.ToLower(r))
	}
	at = append(at, len(text))
	for i := 0; i+3 <= len(lower); i++ {
		spans = append(spans, tokenSpan{at[i], at[i+3]})
	}
	for i := range lower {
		for p, sub := range subs {
			want := []rune(sub)
			if n := utf8.RuneCountInString(sub); n >= minTrigram && i+n <= len(lower) && slices.Equal(lower[i:i+n], want) {
				insts = append(insts, snippetInst{phrase: p, pos: i, n: n - 2})
			}
		}
	}
	return spans, insts
}

// snippetTexts are the columns a snippet is cut from: Ärendet's short texts
// and the long text.
type snippetTexts struct{ about, text string }

// cutSnippets is the snippet of each hit whose texts are in docs (by rid),
// as HTML. A word hit marks the query's phrases (sq.parts) in Ärendet's
// short columns, else in the long text, a word matching a query word when
// lex gives both the same lexeme; a trigram-only hit marks the substrings
// (sq.subs) in the short columns (SQLite's trigram index holds no long
// text). A hit with no instance in its texts has no snippet.
func cutSnippets(sq *searchQuery, hits []searchHit, docs map[int64]snippetTexts, lex map[string]string) map[int64]template.HTML {
	out := map[int64]template.HTML{}
	for _, h := range hits {
		t, ok := docs[h.rid]
		if !ok {
			continue
		}
		var snip string
		if byTrigram(h) {
			spans, insts := substringInstances(t.about, sq.subs)
			snip = fts5Snippet(t.about, spans, insts, snippetTrigrams)
		} else {
			for _, col := range []string{t.about, t.text} {
				spans := tokenize(col)
				if snip = fts5Snippet(col, spans, wordInstances(col, spans, sq.parts, lex), snippetWords); snip != "" {
					break
				}
			}
		}
		if snip != "" {
			out[h.rid] = snippetHTML(snip)
		}
	}
	return out
}

// byTrigram tells a hit the trigram index found and the word index did not.
func byTrigram(h searchHit) bool { return h.rank >= trigramTier/2 }

// lexemeCandidates are the words (lowercased) of the texts of the word hits
// in docs that may share a lexeme with a query word whose lexemes are
// stems, and that lex does not know yet: those starting with one of them,
// since a Snowball stem is its word with an ending taken off (PostgreSQL
// docs 12.6.6; the Swedish stemmer of kljensen/snowball alike). So only a
// few words of a long text are stemmed.
func lexemeCandidates(hits []searchHit, docs map[int64]snippetTexts, stems []string, lex map[string]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, h := range hits {
		t, ok := docs[h.rid]
		if !ok || byTrigram(h) {
			continue
		}
		for _, col := range []string{t.about, t.text} {
			for _, sp := range tokenize(col) {
				w := lowerWord(col[sp.start:sp.end])
				if _, ok := lex[w]; ok || seen[w] {
					continue
				}
				seen[w] = true
				if slices.ContainsFunc(stems, func(l string) bool { return strings.HasPrefix(w, l) }) {
					out = append(out, w)
				}
			}
		}
	}
	return out
}

// hitRids are the index rows of hits (a hit in the number or title alone
// has none).
func hitRids(hits []searchHit) []int64 {
	var out []int64
	for _, h := range hits {
		if h.rid != 0 {
			out = append(out, h.rid)
		}
	}
	return out
}

// readSnippetTexts reads the texts of the rows a query returns as (rid,
// about, text).
func readSnippetTexts(ctx context.Context, q queryer, query string, args ...any) (map[int64]snippetTexts, error) {
	docs := map[int64]snippetTexts{}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var rid int64
		var t snippetTexts
		if err := rows.Scan(&rid, &t.about, &t.text); err != nil {
			return nil, err
		}
		docs[rid] = t
	}
	return docs, rows.Err()
}
