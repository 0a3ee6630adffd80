package db

// Full-text search: what of a case is searched, by whom, and how a user's
// words become a query. The index is per engine (search_engines.go): on
// SQLite FTS5, built only with the build tag sqlite_fts5 (search_fts5.go;
// without it, search_nofts5.go falls back to LIKE on the number and the
// visible title); on PostgreSQL tsvector and pg_trgm (search_postgres.go).
//
// Secrecy is applied before anything is matched or ranked: the text of each
// case is indexed per scope, and a reader's query reads only the scopes that
// reader may see, so a withheld word can neither find a case nor move one.

import (
	"context"
	"database/sql"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/swedish"
	"github.com/kommun/beslutsgang/workflow"
)

// searchScope is one audience's view of a case's text.
type searchScope int

const (
	// scopeDiary is what the public diary shows of a case (handlers/diary.go
	// publicCase): its number; if not secret its title and document names;
	// its report only once it has left the draft stage (a draft's report is a
	// working paper); and decisions once justerade or dispatched. File
	// contents are not in the diary, so not in this scope.
	scopeDiary searchScope = 1
	// scopeOpen is what every logged-in reader may see: all the text of a case
	// that is not secret, and the registration (the number) of one that is
	// (workflow.Case.Withhold). Its ranking statistics hold nothing withheld.
	scopeOpen searchScope = 2
	// scopeSecret is all the text of a secret case, read only for readers the
	// case involves (visibleTo).
	scopeSecret searchScope = 3
)

var searchScopes = []searchScope{scopeDiary, scopeOpen, scopeSecret}

func scopeName(sc searchScope) string {
	switch sc {
	case scopeDiary:
		return "diary"
	case scopeOpen:
		return "open"
	}
	return "secret"
}

// trigramTier puts every trigram-only hit after every word hit: a word hit
// ranks below zero (bm25 on SQLite, minus ts_rank on PostgreSQL; better the
// lower), a trigram-only hit at this plus its own rank, far smaller in size.
const trigramTier = 1e6

// searchFilter is what a list asks of a case besides its text: SQL
// conditions on cases with their arguments, which every branch of a search
// applies as it reads its matches, before it keeps its newest candidates.
// So a filter narrows all the matches, not the newest of them: at 1M cases
// "EU-projekt" with a small board found 116 of its 248 cases, and counted
// them as all.
type searchFilter struct {
	where []string
	args  []any
	// candidates bounds the index rows each branch keeps: the newest
	// matching rows that pass where (row ids grow with case ids). It is one
	// more than the store's count cap, so a branch that stops there has
	// found more cases than the count shows, and the lists say "fler än".
	candidates int
	// walk bounds the matches a filtered branch reads to find them: the
	// newest walk matches the viewer may see. A word in nearly every case
	// with a filter that keeps few would otherwise read them all, a cost
	// that grows with the database; a branch that reaches it makes the
	// lists say "fler än" (searchPlan.truncated).
	walk int
	// ids, when not nil, are the first and last case id a filter can keep
	// (the diary's year: cases are numbered in the year they are
	// registered, so a year's cases lie within an id range): each branch
	// reads only that range of the index, which FTS5 and the index of
	// search_docs seek to.
	ids *[2]int64
}

// searchWalkFactor is a filtered branch's walk in candidates: 50,005
// matches with the default count cap.
const searchWalkFactor = 5

// rowids is the condition on an index's row id (col) for f.ids, "" for
// none: every scope's row of the cases in the range.
func (f searchFilter) rowids(col string) string {
	if f.ids == nil {
		return ""
	}
	return col + ` BETWEEN ` + strconv.FormatInt(searchRowID(f.ids[0], 0), 10) + ` AND ` + strconv.FormatInt(searchRowID(f.ids[1], 3), 10)
}

// searchFilter is the filter of a search that narrows by where (conditions
// on cases and their arguments), with the store's bounds on candidates and
// on the walk.
func (s *Store) searchFilter(where []string, args []any) searchFilter {
	f := searchFilter{where: where, args: args, candidates: s.countCap() + 1}
	f.walk = searchWalkFactor * f.candidates
	if s.searchWalk > 0 {
		f.walk = s.searchWalk
	}
	return f
}

// filtered reports whether f narrows the matches, so its branches walk a
// bounded number of them.
func (f searchFilter) filtered() bool { return len(f.where) > 0 }

// searchWalks are the walks of a search's filtered branches, each a CTE
// ahead of all others, in the order of the text.
type searchWalks struct {
	names, ctes []string
	args        []any
}

// add adds the walk name, query q with its arguments, and returns its name
// for the branch to read; "" with nothing added when f does not filter.
func (w *searchWalks) add(f searchFilter, name, q string, args ...any) string {
	if !f.filtered() {
		return ""
	}
	w.names, w.ctes = append(w.names, name), append(w.ctes, name+` AS MATERIALIZED (`+q+`)`)
	w.args = append(w.args, args...)
	return name
}

// truncated is the SQL of searchPlan.truncated over the walks: whether any
// found more matches than it may read (each reads one more to know); ""
// without walks.
func (w searchWalks) truncated(limit int) string {
	if len(w.names) == 0 {
		return ""
	}
	ns := make([]string, len(w.names))
	for i, name := range w.names {
		ns[i] = `SELECT n FROM ` + name
	}
	return `(SELECT COALESCE(MAX(n), 0) FROM (` + strings.Join(ns, " UNION ALL ") + `) AS walks) > ` + strconv.Itoa(limit)
}

// cond is the condition a branch of scope visible (its visibility
// condition, "" for none) puts on cases; "" for none.
func (f searchFilter) cond(visible string) string {
	var all []string
	if visible != "" {
		all = append(all, visible)
	}
	return strings.Join(append(all, f.where...), " AND ")
}

// reindexBatch is how many cases one transaction of Reindex indexes.
const reindexBatch = 1000

// searchRowID is the index row of a case in a scope: the case id times four
// plus the scope, so a row names its case (rowid >> 2) without a join.
func searchRowID(caseID int64, sc searchScope) int64 { return caseID<<2 | int64(sc) }

// searchDoc is the text of one case in one scope, in the index's columns,
// weighted in that order when ranking.
type searchDoc struct {
	Number string // the diarienummer
	Title  string
	About  string // summary, proposals, decisions and paragraphs, recipients: short, what the case is about
	Text   string // Ärendet, document names and the text of attachments: long
}

// searchSource is what the index reads of one case.
type searchSource struct {
	c           workflow.Case // number, title, summary, background, secret, step, proposals, recipients, decision
	attachments []attachmentText
	paragraphs  []paragraphText
}

type attachmentText struct{ name, text string }

type paragraphText struct {
	text      string
	justified bool   // the meeting's protokoll is justerat (or posted)
	public    string // the text as the public reads it (protokollViews); "" when not shown
	meetingID int64
	number    int
}

// docs returns the case's text per scope; a scope without a row is absent.
func (src *searchSource) docs() map[searchScope]searchDoc {
	c := &src.c
	full := searchDoc{Number: c.Number, Title: c.Title}
	var about, text []string
	about = append(about, c.Summary)
	about = append(about, c.Proposals...)
	for _, p := range src.paragraphs {
		about = append(about, p.text)
	}
	if c.Decision != nil {
		about = append(about, c.Decision.Text)
	}
	for _, r := range c.Recipients {
		about = append(about, r.Name+" "+r.Email)
	}
	text = append(text, c.Background)
	for _, a := range src.attachments {
		text = append(text, a.name, a.text)
	}
	full.About, full.Text = joinText(about), joinText(text)

	out := map[searchScope]searchDoc{scopeDiary: src.diaryDoc()}
	if c.Secret {
		// What an outsider sees of a secret case (workflow.Case.Withhold):
		// its registration. The withheld placeholders are not words of the case.
		out[scopeOpen] = searchDoc{Number: c.Withhold().Number}
		out[scopeSecret] = full
	} else {
		out[scopeOpen] = full
	}
	return out
}

// diaryDoc is the diary's text of the case, by the rules of the diary's
// pages (handlers/diary.go publicCase, workflow.Case.ReportPublic and
// DecisionPublic).
func (src *searchSource) diaryDoc() searchDoc {
	c := &src.c
	d := searchDoc{Number: c.Number}
	if c.Secret {
		return d
	}
	d.Title = c.Title
	var about, text []string
	if c.ReportPublic() {
		about = append(about, c.Summary)
		about = append(about, c.Proposals...)
		for _, r := range c.Recipients {
			about = append(about, r.Name)
		}
		text = append(text, c.Background)
	}
	withParagraph := false
	for _, p := range src.paragraphs {
		if p.justified && c.DecisionPublic(true) {
			about = append(about, p.public)
			withParagraph = true
		}
	}
	if c.Decision != nil && !withParagraph && c.Decision.Paragraph == "" && c.DecisionPublic(false) {
		about = append(about, c.Decision.Text)
	}
	for _, a := range src.attachments {
		text = append(text, a.name)
	}
	d.About, d.Text = joinText(about), joinText(text)
	return d
}

// joinText joins a column's parts a line each, leaving out empty parts and
// repeats (a decision's text is also its paragraph's).
func joinText(parts []string) string {
	seen := map[string]bool{}
	var keep []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		keep = append(keep, cleanIndexText(p))
	}
	return strings.Join(keep, "\n")
}

// Snippet marks: private-use characters that snippet() puts around a hit,
// turned into <mark> after the text is escaped. They are taken out of the
// indexed text, so a user's own text cannot forge one.
const (
	markOpen  = "\uE000"
	markClose = "\uE001"
)

func cleanIndexText(s string) string {
	if !strings.ContainsAny(s, markOpen+markClose) {
		return s
	}
	return strings.NewReplacer(markOpen, " ", markClose, " ").Replace(s)
}

// snippetHTML escapes a snippet of indexed (user) text and turns its hit
// marks into <mark> elements: the only markup it can hold.
func snippetHTML(s string) template.HTML {
	s = html.EscapeString(s)
	s = strings.ReplaceAll(s, markOpen, "<mark>")
	s = strings.ReplaceAll(s, markClose, "</mark>")
	return template.HTML(s)
}

// sameSearchText reports whether two states of a case agree on every field
// the search index reads from the case itself (loadSearchSources): a change
// that writes no other row then leaves the index as it was.
func sameSearchText(a, b *workflow.Case) bool {
	return a.Number == b.Number && a.Title == b.Title && a.Summary == b.Summary && a.Background == b.Background &&
		a.Secret == b.Secret && a.Step == b.Step && slices.Equal(a.Proposals, b.Proposals) &&
		slices.Equal(a.Recipients, b.Recipients) && sameDecisionText(a.Decision, b.Decision)
}

func sameDecisionText(a, b *workflow.Decision) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Text == b.Text && (a.DispatchedAt == nil) == (b.DispatchedAt == nil) &&
		(a.DispatchedAt == nil || a.DispatchedAt.Equal(*b.DispatchedAt))
}

// loadSearchSources reads the searched text of the cases with ids from..to
// (inclusive), a handful of queries for any number of cases, in id order.
func loadSearchSources(ctx context.Context, q queryer, from, to int64) ([]*searchSource, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, number, title, summary, background, secret, step, decision_text, dispatched_at,
		COALESCE(paragraph, '') FROM cases WHERE id BETWEEN ? AND ? ORDER BY id`, from, to)
	if err != nil {
		return nil, err
	}
	var out []*searchSource
	byID := map[int64]*searchSource{}
	for rows.Next() {
		src := &searchSource{}
		c := &src.c
		var dText, dispatched sql.NullString
		var paragraph string
		if err := rows.Scan(&c.ID, &c.Number, &c.Title, &c.Summary, &c.Background, &c.Secret, &c.Step, &dText, &dispatched, &paragraph); err != nil {
			rows.Close()
			return nil, err
		}
		if dText.Valid {
			c.Decision = &workflow.Decision{Text: dText.String, DispatchedAt: timePtr(dispatched), Paragraph: paragraph}
		}
		out = append(out, src)
		byID[c.ID] = src
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	parts := []struct {
		query string
		add   func(src *searchSource, a, b string, n int)
	}{
		{`SELECT case_id, text, '', 0 FROM case_proposals WHERE case_id BETWEEN ? AND ? ORDER BY case_id, pos`,
			func(src *searchSource, a, _ string, _ int) { src.c.Proposals = append(src.c.Proposals, a) }},
		{`SELECT case_id, name, email, 0 FROM case_recipients WHERE case_id BETWEEN ? AND ? ORDER BY case_id, pos`,
			func(src *searchSource, a, b string, _ int) {
				src.c.Recipients = append(src.c.Recipients, workflow.Recipient{Name: a, Email: b})
			}},
		{`SELECT case_id, name, COALESCE(text, ''), 0 FROM attachments WHERE case_id BETWEEN ? AND ? ORDER BY case_id, id`,
			func(src *searchSource, a, b string, _ int) {
				src.attachments = append(src.attachments, attachmentText{a, b})
			}},
	}
	for _, p := range parts {
		rows, err := q.QueryContext(ctx, p.query, from, to)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var a, b string
			var n int
			if err := rows.Scan(&id, &a, &b, &n); err != nil {
				rows.Close()
				return nil, err
			}
			if src := byID[id]; src != nil {
				p.add(src, a, b, n)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, loadSearchParagraphs(ctx, q, from, to, byID)
}

// loadSearchParagraphs reads the paragraphs of the cases from..to, each
// with its text as the public reads it through its meeting's protokoll
// (protokollViews): the diary's scope indexes only that.
func loadSearchParagraphs(ctx context.Context, q queryer, from, to int64, byID map[int64]*searchSource) error {
	rows, err := q.QueryContext(ctx, `SELECT d.case_id, d.meeting_id, COALESCE(d.paragraph, 0), d.text,
		CASE WHEN m.status IN ('justified', 'posted') THEN 1 ELSE 0 END FROM decisions d JOIN meetings m ON m.id = d.meeting_id
		WHERE d.case_id BETWEEN ? AND ? ORDER BY d.case_id, d.id`, from, to)
	if err != nil {
		return err
	}
	var meetings []int64
	seen := map[int64]bool{}
	for rows.Next() {
		var id int64
		var p paragraphText
		var justified int
		if err := rows.Scan(&id, &p.meetingID, &p.number, &p.text, &justified); err != nil {
			rows.Close()
			return err
		}
		p.justified = justified != 0
		if src := byID[id]; src != nil {
			src.paragraphs = append(src.paragraphs, p)
			if !seen[p.meetingID] {
				seen[p.meetingID] = true
				meetings = append(meetings, p.meetingID)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	views, err := protokollViews(ctx, q, meetings)
	if err != nil {
		return err
	}
	for _, src := range byID {
		for i, p := range src.paragraphs {
			if pp := views[p.meetingID].Paragraph(workflow.Paragraph{Number: p.number, Text: p.text, Secret: src.c.Secret}); pp.Shown {
				src.paragraphs[i].public = pp.Text
			}
		}
	}
	return nil
}

// indexMeetingCases reindexes the cases decided at a meeting, whose public
// text depends on the meeting's status.
func (s *Store) indexMeetingCases(ctx context.Context, tx *sql.Tx, meetingID int64) error {
	cases, err := ids(ctx, tx, `SELECT case_id FROM decisions WHERE meeting_id = ? ORDER BY case_id`, meetingID)
	if err != nil {
		return err
	}
	for _, id := range cases {
		if err := s.indexCase(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// A user's words: split and stemmed in Go as the index's tokenizer
// (unicode61) splits, since the driver offers no hook for a tokenizer of our
// own.

// isTokenRune reports whether unicode61 counts r as part of a word: letters,
// numbers and private-use characters (its default categories L* N* Co).
func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// tokenSpan is one word of a text: its byte offsets.
type tokenSpan struct{ start, end int }

func tokenize(s string) []tokenSpan {
	var out []tokenSpan
	start := -1
	for i, r := range s {
		if isTokenRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, tokenSpan{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, tokenSpan{start, len(s)})
	}
	return out
}

// stem is the Swedish Snowball stem of one word, lowercased. It is always
// one word to unicode61 again, so the stemmed text keeps the word positions
// of the original (which lets snippets mark the original words).
func stem(word string) string {
	st := swedish.Stem(word, false)
	if st == "" || strings.IndexFunc(st, func(r rune) bool { return !isTokenRune(r) }) >= 0 {
		return strings.ToLower(word)
	}
	return st
}

// stemText is s with every word replaced by its stem, one space between.
func stemText(s string) string {
	var b strings.Builder
	for i, t := range tokenize(s) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(stem(s[t.start:t.end]))
	}
	return b.String()
}

// searchQuery is a user's query as the index reads it. Each whitespace-
// separated part of the input is one phrase: "EU-projekt" must find the two
// words together, "ASN-2019-17886" the three parts of the number. Input is
// never FTS5 syntax: quotes, NEAR, *, parentheses, AND and OR are words or
// separators like any other.
type searchQuery struct {
	words   string // phrases of stems, for the word index
	trigram string // substrings, for the trigram index; "" when a part is too short for it
	empty   bool   // the input has no word at all: it matches nothing
	// The same for PostgreSQL's index (search_postgres.go), which stems by
	// itself: each part's words lowercased, and the substrings unquoted (nil
	// when trigram is "").
	parts [][]string
	subs  []string
}

// minTrigram is the shortest substring the trigram index can find.
const minTrigram = 3

func parseSearch(q string) searchQuery {
	var words, tri, subs []string
	var parts [][]string
	triOK := true
	for _, part := range strings.Fields(q) {
		toks := tokenize(part)
		if len(toks) == 0 {
			continue
		}
		stems, lower := make([]string, len(toks)), make([]string, len(toks))
		for i, t := range toks {
			stems[i], lower[i] = stem(part[t.start:t.end]), lowerWord(part[t.start:t.end])
		}
		words = append(words, `"`+strings.Join(stems, " ")+`"`)
		parts = append(parts, lower)
		// The part as written, from its first word to its last, with the last
		// word stemmed: "skola" finds "förskoleverksamhet", "2019-17886" the number.
		first, last := toks[0], toks[len(toks)-1]
		sub := strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' ' // a NUL would end the query string
			}
			return unicode.ToLower(r)
		}, part[first.start:last.start]) + stems[len(stems)-1]
		if utf8.RuneCountInString(sub) < minTrigram {
			triOK = false
			continue
		}
		tri = append(tri, `"`+strings.ReplaceAll(sub, `"`, `""`)+`"`)
		subs = append(subs, sub)
	}
	if len(words) == 0 {
		return searchQuery{empty: true}
	}
	sq := searchQuery{words: strings.Join(words, " "), parts: parts}
	if triOK {
		sq.trigram, sq.subs = strings.Join(tri, " "), subs
	}
	return sq
}

// lowerWord is a word lowercased rune by rune, so it stays one word of
// letters and numbers ("İ" is "i", not "i" and a combining dot).
func lowerWord(w string) string { return strings.Map(unicode.ToLower, w) }

// likeSearch is the search without a full-text index (a SQLite build
// without FTS5): every word in the number, or in the title where visible
// says the reader may see it, ASCII letters in either case (as SQLite's
// LIKE). A "word" of separators alone ("_", "%") finds nothing, as in the
// full-text search.
func likeSearch(query, visible string) searchPlan {
	p := noSearch
	for _, w := range strings.Fields(strings.ReplaceAll(query, "\x00", " ")) {
		if len(tokenize(w)) == 0 {
			p.where = append(p.where, "FALSE")
			continue
		}
		like := "%" + escapeLike(w) + "%"
		p.where = append(p.where, `(lower(cases.number) LIKE lower(?) ESCAPE '\' OR (`+visible+` AND lower(cases.title) LIKE lower(?) ESCAPE '\'))`)
		p.whereArgs = append(p.whereArgs, like, like)
	}
	return p
}

// searchPlan is what a list query adds for a text query: a WITH clause that
// names search_hits(case_id, rank, rid), the table put first in FROM,
// conditions, and the order by rank. Without FTS5 it holds LIKE conditions
// only.
type searchPlan struct {
	with      string // "WITH search_hits(...) AS (...) " or ""
	countWith string // the same for counting: without ranks
	withArgs  []any  // for with and countWith alike
	from      string // put before "cases" in FROM: "search_hits CROSS JOIN " or ""
	where     []string
	whereArgs []any
	rank      string // ORDER BY term for relevance, "" when not ranked
	cols      string // two more result columns: the matched index row and its rank
	// truncated is an SQL expression after with: true when a filtered
	// branch stopped at its walk (searchFilter.walk), so older matches may
	// pass the filter too; "" for a search without walks.
	truncated string
	query     *searchQuery // for the snippets; nil without an index
}

// searchHit is the index row a listed case matched, for its snippet.
type searchHit struct {
	rid  int64
	rank float64
}

// noSearch is the plan of a list without a text query.
var noSearch = searchPlan{cols: "0, 0"}

// fillSnippets reads the snippet of each listed hit and hands it to set
// with the hit's position.
func (s *Store) fillSnippets(ctx context.Context, p searchPlan, hits []searchHit, set func(i int, s template.HTML)) error {
	if p.query == nil || len(hits) == 0 {
		return nil
	}
	got, err := s.snippetsOf(ctx, p.query, hits)
	if err != nil {
		return err
	}
	for i, h := range hits {
		if s, ok := got[h.rid]; ok {
			set(i, s)
		}
	}
	return nil
}
