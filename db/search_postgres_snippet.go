package db

// Snippets on PostgreSQL, cut in Go from the text as written by the rules of
// FTS5's snippet() (search_snippet.go), so both engines show the same. Not
// ts_headline (PostgreSQL docs 12.3.4): it splits the text by PostgreSQL's
// parser, not as the index does, and in a C-locale database lowercases
// ASCII only, so it would not mark "GUNGBRÄDOR" for "gungbräda".

import (
	"context"
	"html/template"
)

// pgSnippetsOf is snippetsOf on PostgreSQL: the texts from search_docs, a
// word matching where PostgreSQL stems it to the query word's lexeme
// (cutSnippets).
func (s *Store) pgSnippetsOf(ctx context.Context, sq *searchQuery, hits []searchHit) (map[int64]template.HTML, error) {
	rids := hitRids(hits)
	if len(rids) == 0 {
		return nil, nil
	}
	docs, err := readSnippetTexts(ctx, s.r, `SELECT rid, about, text FROM search_docs WHERE rid = ANY(?)`, rids)
	if err != nil {
		return nil, err
	}
	lex, err := s.pgSnippetLexemes(ctx, sq.parts, hits, docs)
	if err != nil {
		return nil, err
	}
	return cutSnippets(sq, hits, docs, lex), nil
}

// pgSnippetLexemes is the lexeme of each word of the query (lowercased, as
// in parts) and of each word of the texts that may share one, as
// PostgreSQL's configuration makes it; a word without one is absent. Only a
// word that starts with a lexeme of the query's is asked about: a Snowball
// stem is its word with an ending taken off (PostgreSQL docs 12.6.6).
func (s *Store) pgSnippetLexemes(ctx context.Context, parts [][]string, hits []searchHit, docs map[int64]snippetTexts) (map[string]string, error) {
	var query []string
	for _, p := range parts {
		query = append(query, p...)
	}
	lex, err := s.pgLexemes(ctx, query)
	if err != nil {
		return nil, err
	}
	var stems []string
	for _, l := range lex {
		stems = append(stems, l)
	}
	more, err := s.pgLexemes(ctx, lexemeCandidates(hits, docs, stems, lex))
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
