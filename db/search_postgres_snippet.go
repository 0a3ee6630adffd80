package db

// Snippets on PostgreSQL, cut in Go from the text as written by the rules of
// FTS5's snippet() (search_snippet.go), so both engines show the same. Not
// ts_headline (PostgreSQL docs 12.3.4): it splits the text by PostgreSQL's
// parser, not as the index does, and in a C-locale database lowercases
// ASCII only, so it would not mark "GUNGBRÄDOR" for "gungbräda".

import (
	"context"
	"html/template"
	"slices"
	"strings"
)

// snippetTexts are the columns a snippet is cut from: Ärendet's short texts
// and the long text.
type snippetTexts struct{ about, text string }

// pgSnippetsOf is snippetsOf on PostgreSQL. A word hit marks the query's
// phrases in Ärendet's short columns, else in the long text, a word matching
// where PostgreSQL stems it to the query word's lexeme; a trigram-only hit
// marks the substrings in the short columns (SQLite's trigram index holds
// no long text).
func (s *Store) pgSnippetsOf(ctx context.Context, sq *searchQuery, hits []searchHit) (map[int64]template.HTML, error) {
	var rids []int64
	byTrigram := map[int64]bool{}
	for _, h := range hits {
		if h.rid != 0 {
			rids = append(rids, h.rid)
			byTrigram[h.rid] = h.rank >= trigramTier/2
		}
	}
	if len(rids) == 0 {
		return nil, nil
	}
	docs := map[int64]snippetTexts{}
	rows, err := s.r.QueryContext(ctx, `SELECT rid, about, text FROM search_docs WHERE rid = ANY(?)`, rids)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var rid int64
		var t snippetTexts
		if err := rows.Scan(&rid, &t.about, &t.text); err != nil {
			rows.Close()
			return nil, err
		}
		docs[rid] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var words []snippetTexts
	for rid, t := range docs {
		if !byTrigram[rid] {
			words = append(words, t)
		}
	}
	lex, err := s.pgSnippetLexemes(ctx, sq.parts, words)
	if err != nil {
		return nil, err
	}
	out := map[int64]template.HTML{}
	for rid, t := range docs {
		var snip string
		if byTrigram[rid] {
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
			out[rid] = snippetHTML(snip)
		}
	}
	return out, nil
}

// pgSnippetLexemes is the lexeme of each word of the query (lowercased, as
// in parts) and of each word of the texts that may share one, as
// PostgreSQL's configuration makes it; a word without one is absent. Only a
// word that starts with a lexeme of the query's is asked about: a Snowball
// stem is its word with an ending taken off (PostgreSQL docs 12.6.6).
func (s *Store) pgSnippetLexemes(ctx context.Context, parts [][]string, docs []snippetTexts) (map[string]string, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	var query []string
	for _, p := range parts {
		query = append(query, p...)
	}
	lex, err := s.pgLexemes(ctx, query)
	if err != nil {
		return nil, err
	}
	var stems, candidates []string
	for _, l := range lex {
		stems = append(stems, l)
	}
	seen := map[string]bool{}
	for _, t := range docs {
		for _, col := range []string{t.about, t.text} {
			for _, sp := range tokenize(col) {
				w := lowerWord(col[sp.start:sp.end])
				if _, ok := lex[w]; ok || seen[w] {
					continue
				}
				seen[w] = true
				if slices.ContainsFunc(stems, func(l string) bool { return strings.HasPrefix(w, l) }) {
					candidates = append(candidates, w)
				}
			}
		}
	}
	more, err := s.pgLexemes(ctx, candidates)
	for w, l := range more {
		lex[w] = l
	}
	return lex, err
}

// pgLexemes is the lexeme PostgreSQL's configuration makes of each word (a
// word of tokenize, lowercased: one token to its parser), if any.
func (s *Store) pgLexemes(ctx context.Context, words []string) (map[string]string, error) {
	out := map[string]string{}
	if len(words) == 0 {
		return out, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT w, array_to_string(tsvector_to_array(to_tsvector('`+pgSearchConfig+`', w)), ' ')
		FROM unnest(?::text[]) AS w`, words)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var w, l string
		if err := rows.Scan(&w, &l); err != nil {
			return nil, err
		}
		if l != "" {
			out[w] = l
		}
	}
	return out, rows.Err()
}
