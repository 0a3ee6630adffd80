package db

// Writing PostgreSQL's search index (search_postgres.go): a case's rows in
// the transaction of its change, every case's at Open when the index is
// missing or of another version, or on Reindex.

import (
	"context"
	"database/sql"
	"strings"
)

// pgSearchIndexVersion changes whenever what the rows hold or how their text
// is split changes; a database indexed under another version is reindexed
// at Open.
const pgSearchIndexVersion = 1

// pgEnsureSearchIndex reindexes at Open when the index is of another version
// (0: never built, or a Reindex stopped) or has no rows while there are
// cases (its rows were deleted).
func (s *Store) pgEnsureSearchIndex(ctx context.Context) error {
	var v int64
	var missing bool
	err := s.w.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(version), 0) FROM search_index),
		EXISTS (SELECT 1 FROM cases) AND NOT EXISTS (SELECT 1 FROM search_docs)`).Scan(&v, &missing)
	if err != nil || v == pgSearchIndexVersion && !missing {
		return err
	}
	return s.pgReindex(ctx, nil)
}

// pgReindex is Reindex on PostgreSQL: the rows emptied, then written a batch
// of cases per transaction. Two instances that start on an outdated index
// together both build it; the rows are written by key, so the index ends
// whole either way.
func (s *Store) pgReindex(ctx context.Context, progress func(done, total int)) error {
	reset := []string{`TRUNCATE search_docs`, `UPDATE search_index SET version = 0`}
	return s.reindex(ctx, reset, pgSearchIndexVersion, progress, func(ctx context.Context, tx *sql.Tx, srcs []*searchSource) error {
		var rows []pgDocRow
		for _, src := range srcs {
			for sc, d := range src.docs() {
				rows = append(rows, pgDocRow{searchRowID(src.c.ID, sc), d})
			}
		}
		return pgWriteDocs(ctx, tx, rows)
	})
}

// pgIndexCase is indexCase on PostgreSQL: the scopes whose text changed are
// written, a scope the case no longer has is deleted.
func (s *Store) pgIndexCase(ctx context.Context, tx *sql.Tx, caseID int64) error {
	srcs, err := loadSearchSources(ctx, tx, caseID, caseID)
	if err != nil || len(srcs) == 0 {
		return err
	}
	docs := srcs[0].docs()
	rows, err := tx.QueryContext(ctx, `SELECT scope, number, title, about, text FROM search_docs WHERE case_id = ?`, caseID)
	if err != nil {
		return err
	}
	old := map[searchScope]searchDoc{}
	for rows.Next() {
		var sc searchScope
		var d searchDoc
		if err := rows.Scan(&sc, &d.Number, &d.Title, &d.About, &d.Text); err != nil {
			rows.Close()
			return err
		}
		old[sc] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var write []pgDocRow
	var gone []int64
	for _, sc := range searchScopes {
		d, want := docs[sc]
		o, has := old[sc]
		switch {
		case want && has && d == o:
		case want:
			write = append(write, pgDocRow{searchRowID(caseID, sc), d})
		case has:
			gone = append(gone, searchRowID(caseID, sc))
		}
	}
	if len(gone) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_docs WHERE rid = ANY(?)`, gone); err != nil {
			return err
		}
	}
	return pgWriteDocs(ctx, tx, write)
}

// pgDocRow is one row of the index: a case's text in a scope.
type pgDocRow struct {
	rid int64 // searchRowID
	doc searchDoc
}

// pgWriteDocs writes rows (inserted, or replacing the row of the same rid)
// in one statement, the columns passed as arrays (unnest, PostgreSQL docs
// 9.19, Array Functions). The tsvector is made here from the words of
// pgVectorTexts, each column labelled with its weight (setweight, PostgreSQL
// docs 12.4.1).
func pgWriteDocs(ctx context.Context, tx *sql.Tx, rows []pgDocRow) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(rows)
	rids := make([]int64, 0, n)
	cols := make([][]string, 9) // number, title, about, text, tri, then the words of the four
	for _, r := range rows {
		d := r.doc
		rids = append(rids, r.rid)
		words := pgVectorTexts(d)
		for i, v := range []string{d.Number, d.Title, d.About, d.Text, pgTrigramText(d), words[0], words[1], words[2], words[3]} {
			cols[i] = append(cols[i], v)
		}
	}
	args := []any{rids}
	for _, c := range cols {
		args = append(args, c)
	}
	vector := func(col, weight string) string {
		return `setweight(to_tsvector('` + pgSearchConfig + `', u.` + col + `), '` + weight + `')`
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO search_docs(rid, case_id, scope, number, title, about, text, tri, doc)
		SELECT u.rid, u.rid >> 2, (u.rid & 3)::smallint, u.number, u.title, u.about, u.text, u.tri,
			`+vector("wn", "A")+` || `+vector("wt", "B")+` || `+vector("wa", "C")+` || `+vector("wx", "D")+`
		FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
			AS u(rid, number, title, about, text, tri, wn, wt, wa, wx)
		ON CONFLICT (rid) DO UPDATE SET number = EXCLUDED.number, title = EXCLUDED.title, about = EXCLUDED.about,
			text = EXCLUDED.text, tri = EXCLUDED.tri, doc = EXCLUDED.doc`, args...)
	return err
}

// pgTrigramText is what pg_trgm searches of a row: its short columns
// (number, title, about: as SQLite's trigram index, whose text column is
// UNINDEXED), lowercased rune by rune as FTS5's trigram tokenizer folds them
// (PostgreSQL's lower() in the C locale folds ASCII only), a line between
// them, so no substring of a query (which has no line breaks) runs from one
// into the next.
func pgTrigramText(d searchDoc) string {
	return lowerWord(d.Number + "\n" + d.Title + "\n" + d.About)
}

// Limits of a tsvector (PostgreSQL docs 12.11, Limitations): a lexeme of
// less than 2 kB, positions up to 16 383, the whole less than 1 MB.
const (
	pgMaxLexeme    = 2047
	pgMaxPositions = 16383
	// pgVectorBudget is what the words may cost, estimated (pgVectorTexts),
	// well inside the megabyte.
	pgVectorBudget = 768 << 10
)

// pgVectorTexts is the text of each column of d (number, title, about, text)
// as the tsvector is made from it: its words (tokenize), lowercased, a space
// between, so PostgreSQL's parser reads each as one word.
//
// What a tsvector cannot hold is left out, so a long attachment never makes
// the change fail: a word longer than a lexeme may be (PostgreSQL would
// skip it); past the last position PostgreSQL counts, only each column's
// words not yet written (more positions would all read 16 383 and say
// nothing); and once the words would cost more than pgVectorBudget (a new
// word its bytes and ten, a repeat a position's two), the rest of the
// column (the long text comes last).
func pgVectorTexts(d searchDoc) [4]string {
	var out [4]string
	budget, pos := pgVectorBudget, 0
	for i, col := range []string{d.Number, d.Title, d.About, d.Text} {
		var b strings.Builder
		seen := map[string]int{}
		for _, t := range tokenize(col) {
			w := lowerWord(col[t.start:t.end])
			n := seen[w]
			if len(w) > pgMaxLexeme || n > 0 && pos >= pgMaxPositions {
				continue
			}
			cost := 2
			switch {
			case n == 0:
				cost = len(w) + 10
			case n >= 256: // PostgreSQL keeps 256 positions of a lexeme
				cost = 0
			}
			if cost > budget {
				break
			}
			budget, seen[w], pos = budget-cost, n+1, pos+1
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		out[i] = b.String()
	}
	return out
}
