package db

// The full-text search on PostgreSQL: the table search_docs
// (migrations/postgres/0002_search.sql), a row per case and scope as in
// SQLite's index (search.go), read in the same searchPlan shape, so the
// lists (case_search.go, diary.go) read its hits as they read FTS5's.
//
// The two engines split and fold text alike: the words are found in Go
// (tokenize, the rules of FTS5's unicode61) and lowercased there, rune by
// rune, so PostgreSQL's parser and its C-locale lowercasing never decide
// what a word is; PostgreSQL stems them with its Swedish Snowball stemmer,
// that of its configuration swedish but without the stop-word list
// (beslutsgang_swedish, made by the migration: SQLite's index drops no
// word). Over the 121 242 words of Debian's wswedish list, that stemmer and
// the Go one of the SQLite index (kljensen/snowball) agree on all but 31 of
// the Go stemmer's stop words ("alla", "kunde", "vara"), which it leaves as
// they are and PostgreSQL stems ("all", "kund", "var"): so here "alla" also
// finds "all", "kunde" "kund". Feeding PostgreSQL the Go stems through the
// configuration simple would remove that difference too, but not use
// PostgreSQL's stemmer at all; built-in dictionaries cannot keep a listed
// word unstemmed (that needs a file on the server).

import (
	"strconv"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// pgSearchConfig is the text search configuration of the index and the
// queries (PostgreSQL docs 12.7, Configuration Example).
const pgSearchConfig = "beslutsgang_swedish"

// pgRankWeights weigh the labels D, C, B, A (text, about, title, number) in
// ts_rank (PostgreSQL docs 12.3.3, Ranking Search Results): in the
// proportions 1:2:5:10 of SQLite's bm25 weights (rankWeights).
const pgRankWeights = "{0.1, 0.2, 0.5, 1.0}"

// pgCaseSearch is the text query of a case list for viewer on PostgreSQL:
// the open scope for everyone, and the secret scope for the secret cases
// the viewer may see (as caseSearch).
func pgCaseSearch(query string, viewer *workflow.User, f searchFilter) searchPlan {
	scopes := []searchScope{scopeOpen}
	visible := map[searchScope]string{}
	if viewer != nil && viewer.Active {
		scopes = append(scopes, scopeSecret)
		visible[scopeSecret] = visibleTo(viewer)
	}
	return pgPlanSearch(query, scopes, visible, f)
}

// pgDiarySearch is the text query of the public diary: what the diary shows.
func pgDiarySearch(query string, f searchFilter) searchPlan {
	return pgPlanSearch(query, []searchScope{scopeDiary}, nil, f)
}

// pgPlanSearch is planSearch on PostgreSQL: per scope the rows whose words
// match (ranked by ts_rank), then the rows whose short columns hold every
// substring but whose words did not match (after them, trigramTier), each
// branch the newest f.candidates rows of the cases that pass f; of each
// case its best row.
// Secrecy comes first: a scope is read only where the viewer may read it
// (visible), so nothing withheld matches or ranks. ts_rank reads the row
// alone, no statistics of other rows, so other cases' words never move a
// hit either.
func pgPlanSearch(query string, scopes []searchScope, visible map[searchScope]string, f searchFilter) searchPlan {
	if strings.TrimSpace(query) == "" {
		return noSearch
	}
	sq := parseSearch(query)
	if sq.empty {
		return searchPlan{where: []string{"FALSE"}, cols: "0, 0"}
	}
	words := pgTSQuery(sq.parts)
	var likes []any
	for _, sub := range sq.subs {
		likes = append(likes, "%"+escapeLike(sub)+"%")
	}
	var args []any
	var walks searchWalks // a filtered branch reads at most f.walk matches (pgWalk)
	hits := func(ranked bool) string {
		var ctes, branches []string
		var wordArgs, triArgs []any
		walks = searchWalks{}
		for _, sc := range scopes {
			w := "search_" + scopeName(sc) + "_word_rows"
			cond := f.cond(visible[sc])
			within := f.rowids("d.rid")
			ww := walks.add(f, "search_"+scopeName(sc)+"_word_walk", pgWalk(sc, visible[sc], pgWordMatch, f.walk, within), words)
			ctes = append(ctes, w+` AS MATERIALIZED (`+pgWordHits(sc, cond, ranked, f.candidates, ww, within)+`)`)
			branches, wordArgs = append(branches, `SELECT rid, rank FROM `+w), append(append(wordArgs, words), f.args...)
			if len(likes) > 0 {
				tw := walks.add(f, "search_"+scopeName(sc)+"_tri_walk", pgWalk(sc, visible[sc], pgLikes(len(likes)), f.walk, within), likes...)
				branches = append(branches, pgTrigramHits(sc, cond, ranked, len(likes), w, f.candidates, tw, within))
				triArgs = append(append(append(triArgs, sq.subs), likes...), f.args...)
			}
		}
		// In the order of the text: the walks, the words' CTEs, then the
		// trigram branches in search_rows.
		args = append(append(walks.args, wordArgs...), triArgs...)
		ctes = append(walks.ctes, ctes...)
		// The best row of each case, and its rank (DISTINCT ON, PostgreSQL
		// docs 7.3.3).
		return `WITH ` + strings.Join(ctes, ", ") + `, search_rows AS MATERIALIZED (` + strings.Join(branches, " UNION ALL ") + `),
			search_hits(case_id, rank, rid) AS (SELECT DISTINCT ON (rid >> 2) rid >> 2, rank, rid FROM search_rows ORDER BY rid >> 2, rank, rid) `
	}
	count := hits(false) // counting needs no rank
	return searchPlan{
		with:      hits(true),
		countWith: count,
		withArgs:  args,
		// A comma, not CROSS JOIN: rebind makes that a JOIN, which wants an ON.
		from:      "search_hits, ",
		where:     []string{"cases.id = search_hits.case_id"},
		rank:      "search_hits.rank",
		cols:      "search_hits.rid, search_hits.rank",
		truncated: walks.truncated(f.walk),
		query:     &sq,
	}
}

// pgWordMatch is the match of a word branch: its one argument the
// pgTSQuery.
const pgWordMatch = `d.doc @@ to_tsquery('` + pgSearchConfig + `', ?)`

// pgLikes is the match of a trigram branch: n LIKE patterns, its arguments.
func pgLikes(n int) string {
	return strings.TrimPrefix(strings.Repeat(` AND d.tri LIKE ? ESCAPE '\'`, n), " AND ")
}

// pgWalk is the walk of a filtered branch of scope sc (searchFilter.walk):
// the newest rows matching match that the viewer may see (visible, "" for
// all) within the row ids of within ("" for all), as many as walk and one
// more to know if there are more: how many it read (n), and the oldest row
// id the branch may read (floor; the one more left out).
func pgWalk(sc searchScope, visible, match string, walk int, within string) string {
	q := `SELECT d.rid FROM search_docs d`
	if visible != "" {
		q += ` JOIN cases ON cases.id = d.case_id`
	}
	q += ` WHERE d.scope = ` + strconv.Itoa(int(sc)) + ` AND ` + match
	if visible != "" {
		q += ` AND ` + visible
	}
	if within != "" {
		q += ` AND ` + within
	}
	n := strconv.Itoa(walk)
	return `SELECT COUNT(*) AS n, CASE WHEN COUNT(*) > ` + n + ` THEN MIN(w.rid) + 1 ELSE COALESCE(MIN(w.rid), 0) END AS floor
		FROM (` + q + ` ORDER BY d.rid DESC LIMIT ` + n + ` + 1) w`
}

// pgWordHits is the rows of scope sc whose words match the query (its one
// argument, a pgTSQuery), with their rank: minus ts_rank, so the best come
// first as bm25's do; 0 unranked. cond, if not "", is the condition on
// cases a row's case must meet (visibility and the list's filters); the
// newest limit rows that pass, within walk if not "" (walkFloor).
func pgWordHits(sc searchScope, cond string, ranked bool, limit int, walk, within string) string {
	q := `SELECT d.rid, d.doc, query.q FROM search_docs d`
	if cond != "" {
		q += ` JOIN cases ON cases.id = d.case_id`
	}
	// The query as a FROM item, as in PostgreSQL docs 12.3.3's examples: one
	// argument for the match and the rank.
	q += `, to_tsquery('` + pgSearchConfig + `', ?) AS query(q) WHERE d.scope = ` + strconv.Itoa(int(sc)) + ` AND d.doc @@ query.q`
	if cond != "" {
		q += ` AND ` + cond
	}
	q += walkFloor(walk, within)
	q += ` ORDER BY d.rid DESC LIMIT ` + strconv.Itoa(limit)
	rank := `0::float8`
	if ranked {
		// Ranked outside the candidates' LIMIT: only the rows kept.
		rank = `(-ts_rank('` + pgRankWeights + `', w.doc, w.q))::float8`
	}
	return `SELECT w.rid, ` + rank + ` AS rank FROM (` + q + `) w`
}

// pgTrigramHits is the rows of scope sc whose short columns (tri) hold every
// substring of the query and which the words did not find (the rows of the
// CTE except): the parts of compounds, of cases that meet cond, the newest
// limit within walk if not "" (walkFloor). Its arguments are the substrings as an array, then n LIKE
// patterns, one per substring (pg_trgm's GIN index serves LIKE: PostgreSQL
// docs, pg_trgm, Index Support), then cond's. Its rank is trigramTier plus how
// early the substrings stand, as a fraction of tri: a hit in the number or
// the title before one in Ärendet's short texts, as the weights of SQLite's
// trigram index put them.
func pgTrigramHits(sc searchScope, cond string, ranked bool, n int, except string, limit int, walk, within string) string {
	q := `SELECT d.rid, d.tri, subs.s FROM search_docs d`
	if cond != "" {
		q += ` JOIN cases ON cases.id = d.case_id`
	}
	q += `, (SELECT ?::text[]) AS subs(s) WHERE d.scope = ` + strconv.Itoa(int(sc))
	for range n {
		q += ` AND d.tri LIKE ? ESCAPE '\'`
	}
	if cond != "" {
		q += ` AND ` + cond
	}
	q += walkFloor(walk, within)
	q += ` AND d.rid NOT IN (SELECT rid FROM ` + except + `) ORDER BY d.rid DESC LIMIT ` + strconv.Itoa(limit)
	tier := strconv.FormatFloat(trigramTier, 'f', 1, 64)
	rank := tier + `::float8`
	if ranked {
		rank = `(` + tier + ` + (SELECT avg(strpos(t.tri, p)) FROM unnest(t.s) AS p) / (length(t.tri) + 1))::float8`
	}
	return `SELECT t.rid, ` + rank + ` AS rank FROM (` + q + `) t`
}

// pgTSQuery is the tsquery text (PostgreSQL docs 8.11.2) of a query's parts,
// each part's words lowercased: every part must match, a part of one word
// anywhere, a part of several as a phrase within one column (each word
// labelled with that column's weight: the columns are one tsvector, and a
// phrase must not run from one into the next, as FTS5's never does). A
// word is letters and numbers only; it is quoted all the same.
//
//	[[eu projekt] [skola]] → ('eu':A <-> 'projekt':A | … | 'eu':D <-> 'projekt':D) & 'skola'
func pgTSQuery(parts [][]string) string {
	quote := func(w string) string {
		return `'` + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(w) + `'`
	}
	var and []string
	for _, words := range parts {
		if len(words) == 1 {
			and = append(and, quote(words[0]))
			continue
		}
		var or []string
		for _, weight := range []string{"A", "B", "C", "D"} {
			phrase := make([]string, len(words))
			for i, w := range words {
				phrase[i] = quote(w) + ":" + weight
			}
			or = append(or, strings.Join(phrase, " <-> "))
		}
		and = append(and, "("+strings.Join(or, " | ")+")")
	}
	return strings.Join(and, " & ")
}

// walkFloor keeps a branch within its walk (pgWalk), no row older than the
// walk's floor, and within the row ids of within (searchFilter.rowids);
// "" without either.
func walkFloor(walk, within string) string {
	q := ""
	if within != "" {
		q += ` AND ` + within
	}
	if walk != "" {
		q += ` AND d.rid >= (SELECT floor FROM ` + walk + `)`
	}
	return q
}
