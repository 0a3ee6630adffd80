//go:build sqlite_fts5

package db

// The full-text index, SQLite FTS5. Per scope (search.go) two FTS5 tables
// over one content table, search_text, which holds each row's text as
// written:
//
//   - search_<scope>_words: the Swedish stems of the text (stemmed in Go,
//     word for word), tokenize 'unicode61 remove_diacritics 0' so å, ä and ö
//     stay letters of their own ("Åmål" is not "amal"). Since the stems keep
//     the word positions of the written text, snippet() marks the written
//     words.
//   - search_<scope>_tri: trigrams of the written text, for parts of compounds
//     ("skol" in "förskoleverksamhet"). Only the short columns are indexed:
//     trigrams of every attachment would make the index many times the text.
//
// The index is derived data: Open builds it from the cases when it is missing
// or of another searchIndexVersion, and every change of a case rewrites that
// case's rows in the change's own transaction.

import (
	"context"
	"database/sql"
	"html/template"
	"strconv"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// FullTextSearch reports whether this build has SQLite's full-text index
// (the build tag sqlite_fts5); without it, search on SQLite looks at numbers
// and titles only. PostgreSQL's index is in every build.
const FullTextSearch = true

// searchIndexVersion changes whenever what is indexed or how it is tokenized
// changes; a database indexed under another version is reindexed at Open.
const searchIndexVersion = 1

// rankWeights weigh the columns number, title, about and text in bm25.
const rankWeights = "10.0, 5.0, 2.0, 1.0"

func wordTable(sc searchScope) string { return "search_" + scopeName(sc) + "_words" }
func triTable(sc searchScope) string  { return "search_" + scopeName(sc) + "_tri" }

// createSearchTables is the schema of the index.
func createSearchTables() []string {
	stmts := []string{`CREATE TABLE search_text (id INTEGER PRIMARY KEY, number TEXT NOT NULL, title TEXT NOT NULL,
		about TEXT NOT NULL, text TEXT NOT NULL)`}
	for _, sc := range searchScopes {
		stmts = append(stmts,
			`CREATE VIRTUAL TABLE `+wordTable(sc)+` USING fts5(number, title, about, text,
				content='search_text', content_rowid='id', tokenize='unicode61 remove_diacritics 0')`,
			`CREATE VIRTUAL TABLE `+triTable(sc)+` USING fts5(number, title, about, text UNINDEXED,
				content='search_text', content_rowid='id', tokenize='trigram remove_diacritics 0')`)
	}
	return stmts
}

// searchTableNames lists the index's tables, quoted for SQL.
func searchTableNames() string {
	names := []string{"'search_text'"}
	for _, sc := range searchScopes {
		names = append(names, "'"+wordTable(sc)+"'", "'"+triTable(sc)+"'")
	}
	return strings.Join(names, ", ")
}

func dropSearchTables() []string {
	stmts := []string{}
	for _, sc := range searchScopes {
		stmts = append(stmts, `DROP TABLE IF EXISTS `+wordTable(sc), `DROP TABLE IF EXISTS `+triTable(sc))
	}
	return append(stmts, `DROP TABLE IF EXISTS search_text`)
}

// ftsEnsureSearchIndex builds the index at Open when it is missing or of
// another version (also when a build without FTS5 wrote to the database and
// marked the index stale).
func (s *Store) ftsEnsureSearchIndex(ctx context.Context) error {
	// Only a test builds a database of an older schema (migrationSource),
	// one without the attachment texts the index reads: no index then.
	var hasText bool
	if err := s.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info('attachments') WHERE name = 'text'`).Scan(&hasText); err != nil {
		return err
	}
	if s.searchOff = !hasText; s.searchOff {
		return nil
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS search_index (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var v, tables int
	err := s.w.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(version), 0) FROM search_index),
		(SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN (`+searchTableNames()+`))`).Scan(&v, &tables)
	if err != nil || v == searchIndexVersion && tables == 1+2*len(searchScopes) {
		return err
	}
	return s.ftsReindex(ctx, nil)
}

// ftsReindex is Reindex on SQLite: the tables made anew, then filled a
// batch of cases per transaction.
func (s *Store) ftsReindex(ctx context.Context, progress func(done, total int)) error {
	reset := append(append(dropSearchTables(), createSearchTables()...),
		`DELETE FROM search_index`, `INSERT INTO search_index(version) VALUES (0)`)
	return s.reindex(ctx, reset, searchIndexVersion, progress, func(ctx context.Context, tx *sql.Tx, srcs []*searchSource) error {
		w, err := newSearchWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		for _, src := range srcs {
			for sc, d := range src.docs() {
				if err := w.insert(ctx, searchRowID(src.c.ID, sc), sc, d); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// searchWriter writes index rows with statements prepared once per transaction.
type searchWriter struct {
	text  *sql.Stmt
	words map[searchScope]*sql.Stmt
	tri   map[searchScope]*sql.Stmt
}

func newSearchWriter(ctx context.Context, tx *sql.Tx) (*searchWriter, error) {
	w := &searchWriter{words: map[searchScope]*sql.Stmt{}, tri: map[searchScope]*sql.Stmt{}}
	var err error
	if w.text, err = tx.PrepareContext(ctx, `INSERT INTO search_text(id, number, title, about, text) VALUES (?,?,?,?,?)`); err != nil {
		return nil, err
	}
	for _, sc := range searchScopes {
		if w.words[sc], err = tx.PrepareContext(ctx, `INSERT INTO `+wordTable(sc)+`(rowid, number, title, about, text) VALUES (?,?,?,?,?)`); err != nil {
			w.close()
			return nil, err
		}
		if w.tri[sc], err = tx.PrepareContext(ctx, `INSERT INTO `+triTable(sc)+`(rowid, number, title, about, text) VALUES (?,?,?,?,?)`); err != nil {
			w.close()
			return nil, err
		}
	}
	return w, nil
}

func (w *searchWriter) close() {
	for _, st := range append(mapValues(w.words), append(mapValues(w.tri), w.text)...) {
		if st != nil {
			st.Close()
		}
	}
}

func mapValues(m map[searchScope]*sql.Stmt) []*sql.Stmt {
	var out []*sql.Stmt
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func (w *searchWriter) insert(ctx context.Context, id int64, sc searchScope, d searchDoc) error {
	if _, err := w.text.ExecContext(ctx, id, d.Number, d.Title, d.About, d.Text); err != nil {
		return err
	}
	if _, err := w.words[sc].ExecContext(ctx, id, stemText(d.Number), stemText(d.Title), stemText(d.About), stemText(d.Text)); err != nil {
		return err
	}
	_, err := w.tri[sc].ExecContext(ctx, id, d.Number, d.Title, d.About, d.Text)
	return err
}

// ftsIndexCase is indexCase on SQLite.
func (s *Store) ftsIndexCase(ctx context.Context, tx *sql.Tx, caseID int64) error {
	srcs, err := loadSearchSources(ctx, tx, caseID, caseID)
	if err != nil || len(srcs) == 0 {
		return err
	}
	docs := srcs[0].docs()
	var w *searchWriter
	defer func() {
		if w != nil {
			w.close()
		}
	}()
	for _, sc := range searchScopes {
		id := searchRowID(caseID, sc)
		var old searchDoc
		err := tx.QueryRowContext(ctx, `SELECT number, title, about, text FROM search_text WHERE id = ?`, id).
			Scan(&old.Number, &old.Title, &old.About, &old.Text)
		exists := err == nil
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		d, want := docs[sc]
		if exists && want && d == old {
			continue
		}
		if exists {
			// An external-content FTS5 table forgets a row when told the values
			// it indexed: the stems of the old text for the word index.
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+wordTable(sc)+`(`+wordTable(sc)+`, rowid, number, title, about, text) VALUES ('delete',?,?,?,?,?)`,
				id, stemText(old.Number), stemText(old.Title), stemText(old.About), stemText(old.Text)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+triTable(sc)+`(`+triTable(sc)+`, rowid, number, title, about, text) VALUES ('delete',?,?,?,?,?)`,
				id, old.Number, old.Title, old.About, old.Text); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM search_text WHERE id = ?`, id); err != nil {
				return err
			}
		}
		if !want {
			continue
		}
		if w == nil {
			if w, err = newSearchWriter(ctx, tx); err != nil {
				return err
			}
		}
		if err := w.insert(ctx, id, sc, d); err != nil {
			return err
		}
	}
	return nil
}

// hitsFrom is one branch of search_rows: the rows of table matching the
// query, with their rank (tier added), and only of cases that meet cond
// (visibility and the list's filters; "" for none): the newest limit of
// them, and if walk is not "" (a CTE of walkFrom) none older than its
// floor; within, if not "", is a condition on the row id (searchFilter.rowids).
// Except, when not "", names a CTE whose rows are left out (the query then
// takes the match argument and cond's arguments twice).
func hitsFrom(table string, tier float64, cond string, ranked bool, except string, limit int, walk, within string) string {
	rank := strconv.FormatFloat(tier, 'f', 1, 64)
	if ranked {
		rank += ` + bm25(` + table + `, ` + rankWeights + `)`
	}
	from := matchFrom(table, cond, within)
	if walk != "" {
		from += ` AND ` + table + `.rowid >= (SELECT floor FROM ` + walk + `)`
	}
	n := strconv.Itoa(limit)
	q := `SELECT ` + table + `.rowid AS rid, ` + rank + ` AS rank` + from
	if except != "" {
		// The newest limit rows that pass, less those of except. When
		// except holds as many (a common word), from the row id of the last
		// of them (a walk without bm25), so FTS5 stops there: leaving out
		// except's rows alone made it read on through every match, most of
		// which the words had found. Otherwise no floor: the walk to find
		// it would read the matches twice. SQLite tests WHERE before it
		// computes the columns, so bm25 runs only for the rows that pass.
		q += ` AND ` + table + `.rowid >= CASE WHEN (SELECT COUNT(*) FROM ` + except + `) >= ` + n +
			` THEN (SELECT COALESCE(MIN(rid), 0) FROM (SELECT ` + table + `.rowid AS rid` + from +
			` ORDER BY ` + table + `.rowid DESC LIMIT ` + n + `)) ELSE 0 END`
		q += ` AND ` + table + `.rowid NOT IN (SELECT rid FROM ` + except + `)`
	}
	// The newest limit rows only: FTS5 reads its matches in rowid order, so
	// the cost (bm25 above all) stops there however common the word.
	return `SELECT rid, rank FROM (` + q + ` ORDER BY ` + table + `.rowid DESC LIMIT ` + n + `)`
}

// matchFrom is the FROM and WHERE of the rows of table that match the query
// (one argument), of cases that meet cond ("" for any: no join), within the
// row ids of within ("" for all).
func matchFrom(table, cond, within string) string {
	from := ` FROM ` + table
	if cond != "" {
		from += ` JOIN cases ON cases.id = ` + table + `.rowid >> 2`
	}
	from += ` WHERE ` + table + ` MATCH ?`
	if cond != "" {
		from += ` AND ` + cond
	}
	if within != "" {
		from += ` AND ` + within
	}
	return from
}

// walkFrom is the walk of a filtered branch of table (searchFilter.walk):
// the newest matches the viewer may see (visible, "" for all) within the
// row ids of within ("" for all), as many as walk and one more to know if
// there are more, read by row id alone: how many it read (n), and the
// oldest row id the branch may read (floor: that of the walk's last, the
// one more left out). Its one argument is the match.
func walkFrom(table, visible string, walk int, within string) string {
	from := matchFrom(table, visible, within)
	w := strconv.Itoa(walk)
	return `SELECT COUNT(*) AS n, CASE WHEN COUNT(*) > ` + w + ` THEN MIN(rid) + 1 ELSE COALESCE(MIN(rid), 0) END AS floor
		FROM (SELECT ` + table + `.rowid AS rid` + from + ` ORDER BY ` + table + `.rowid DESC LIMIT ` + w + ` + 1)`
}

// planSearch is the search_hits of a query over the given scopes, each with
// the visibility condition its rows need ("" for none), narrowed by f.
func planSearch(query string, scopes []searchScope, visible map[searchScope]string, f searchFilter) searchPlan {
	if strings.TrimSpace(query) == "" {
		return noSearch
	}
	sq := parseSearch(query)
	if sq.empty {
		return searchPlan{where: []string{"0"}, cols: "0, 0"}
	}
	var args []any
	var walks searchWalks // a filtered branch reads at most f.walk matches (walkFrom)
	hits := func(ranked bool) string {
		var ctes, branches []string
		var wordArgs, triArgs []any
		walks = searchWalks{}
		walk := func(name, table, visible, match string) string {
			return walks.add(f, name, walkFrom(table, visible, f.walk, f.rowids(table+".rowid")), match)
		}
		for _, sc := range scopes {
			// A row the words found ranks by them (trigramTier puts any
			// trigram rank after), so the trigram branch reads only the rows
			// they did not find: the parts of compounds. A common word then
			// costs one bm25 per row, not two.
			w := "search_" + scopeName(sc) + "_word_rows"
			cond := f.cond(visible[sc])
			ww := walk("search_"+scopeName(sc)+"_word_walk", wordTable(sc), visible[sc], sq.words)
			ctes = append(ctes, w+` AS MATERIALIZED (`+hitsFrom(wordTable(sc), 0, cond, ranked, "", f.candidates, ww, f.rowids(wordTable(sc)+".rowid"))+`)`)
			branches = append(branches, `SELECT rid, rank FROM `+w)
			wordArgs = append(append(wordArgs, sq.words), f.args...)
			if sq.trigram != "" {
				tw := walk("search_"+scopeName(sc)+"_tri_walk", triTable(sc), visible[sc], sq.trigram)
				branches = append(branches, hitsFrom(triTable(sc), trigramTier, cond, ranked, w, f.candidates, tw, f.rowids(triTable(sc)+".rowid")))
				for range 2 {
					triArgs = append(append(triArgs, sq.trigram), f.args...)
				}
			}
		}
		// In the order of the text: the walks, the words' CTEs, then the
		// trigram branches in search_rows.
		args = append(append(walks.args, wordArgs...), triArgs...)
		ctes = append(walks.ctes, ctes...)
		// The hits are materialized, so bm25 runs where its table is matched
		// (a single branch would otherwise be flattened into the GROUP BY).
		// The best hit of each case: its rid is the row of that hit (SQLite
		// takes bare columns from the row that gave MIN).
		return `WITH ` + strings.Join(ctes, ", ") + `, search_rows AS MATERIALIZED (` + strings.Join(branches, " UNION ALL ") + `),
			search_hits(case_id, rank, rid) AS (SELECT rid >> 2, MIN(rank), rid FROM search_rows GROUP BY rid >> 2) `
	}
	count := hits(false) // counting needs no rank: bm25 is most of a search's cost
	return searchPlan{
		with:      hits(true),
		countWith: count,
		withArgs:  args,
		from:      "search_hits CROSS JOIN ",
		where:     []string{"cases.id = search_hits.case_id"},
		rank:      "search_hits.rank",
		cols:      "search_hits.rid, search_hits.rank",
		truncated: walks.truncated(f.walk),
		query:     &sq,
	}
}

// caseSearch is the text query of a case list for viewer: the open scope for
// everyone, and the secret scope for the secret cases the viewer may see.
func caseSearch(query string, viewer *workflow.User, f searchFilter) searchPlan {
	scopes := []searchScope{scopeOpen}
	visible := map[searchScope]string{}
	if viewer != nil && viewer.Active {
		scopes = append(scopes, scopeSecret)
		visible[scopeSecret] = visibleTo(viewer)
	}
	return planSearch(query, scopes, visible, f)
}

// diarySearch is the text query of the public diary: what the diary shows.
func diarySearch(query string, f searchFilter) searchPlan {
	return planSearch(query, []searchScope{scopeDiary}, nil, f)
}

// ftsSnippetsOf is snippetsOf on SQLite: the texts from search_text (by
// rowid), a word matching where the index's stemmer (stem) makes the query
// word's stem of it (cutSnippets).
func (s *Store) ftsSnippetsOf(ctx context.Context, q queryer, sq *searchQuery, hits []searchHit) (map[int64]template.HTML, error) {
	rids := hitRids(hits)
	if len(rids) == 0 {
		return nil, nil
	}
	args := make([]any, len(rids))
	for i, rid := range rids {
		args[i] = rid
	}
	docs, err := readSnippetTexts(ctx, q, `SELECT id, about, text FROM search_text WHERE id IN (`+
		strings.TrimSuffix(strings.Repeat("?,", len(rids)), ",")+`)`, args...)
	if err != nil {
		return nil, err
	}
	lex := map[string]string{}
	var stems []string
	for _, p := range sq.parts {
		for _, w := range p {
			lex[w] = lowerWord(stem(w))
			stems = append(stems, lex[w])
		}
	}
	for _, w := range lexemeCandidates(hits, docs, stems, lex) {
		lex[w] = lowerWord(stem(w))
	}
	return cutSnippets(sq, hits, docs, lex), nil
}
