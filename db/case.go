package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// Case loads a case with all its sections.
func (s *Store) Case(ctx context.Context, number string) (workflow.Case, error) {
	return loadCase(ctx, s.r, number)
}

func loadCase(ctx context.Context, q queryer, number string) (workflow.Case, error) {
	var c workflow.Case
	var created, updated string
	var dType, dText, dAt, dispatched sql.NullString
	var dBy sql.NullInt64
	var dByName, dByEmail, dByTitle sql.NullString
	var paragraph string
	err := q.QueryRowContext(ctx, `SELECT cases.id, cases.number, boards.id, boards.code, boards.name, cases.title, cases.summary, cases.background,
		cases.secret, cases.stage, cases.step, cases.version, u.id, u.name, u.email, u.title, closed_note, cases.reference,
		decision_type, decision_text, decided_at, du.id, du.name, du.email, du.title, paragraph, dispatched_at, cases.created_at, cases.updated_at
		FROM cases JOIN boards ON boards.id = cases.board_id JOIN users u ON u.id = cases.officer_id
		LEFT JOIN users du ON du.id = cases.decided_by
		WHERE number = ?`, number).Scan(&c.ID, &c.Number, &c.Board.ID, &c.Board.Code, &c.Board.Name,
		&c.Title, &c.Summary, &c.Background, &c.Secret, &c.Stage, &c.Step, &c.Version,
		&c.Officer.ID, &c.Officer.Name, &c.Officer.Email, &c.Officer.Title, &c.ClosedNote, &c.Reference,
		&dType, &dText, &dAt, &dBy, &dByName, &dByEmail, &dByTitle, &paragraph, &dispatched, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("Ärendet %s finns inte", number)
	}
	if err != nil {
		return c, err
	}
	c.CreatedAt, c.UpdatedAt = parseTime(created), parseTime(updated)
	if dText.Valid {
		c.Decision = &workflow.Decision{Type: workflow.DecisionType(dType.String), Text: dText.String,
			DecidedAt: parseTime(dAt.String), Paragraph: paragraph, DispatchedAt: timePtr(dispatched)}
		if dBy.Valid {
			c.Decision.DecidedBy = workflow.Person{ID: dBy.Int64, Name: dByName.String, Email: dByEmail.String, Title: dByTitle.String}
		}
	}
	if c.Proposals, err = loadProposals(ctx, q, c.ID); err != nil {
		return c, err
	}
	if c.Route, err = loadRoute(ctx, q, c.ID); err != nil {
		return c, err
	}
	if c.Decision != nil && c.Decision.Paragraph != "" && c.Decision.DispatchedAt == nil {
		if c.Decision.AwaitsJustering, err = awaitsJustering(ctx, q, &c); err != nil {
			return c, err
		}
	}
	if c.Approvers, err = loadApprovers(ctx, q, c.ID); err != nil {
		return c, err
	}
	if c.Recipients, err = loadRecipients(ctx, q, c.ID); err != nil {
		return c, err
	}
	c.Attachments, err = loadAttachments(ctx, q, c.ID)
	return c, err
}

func loadProposals(ctx context.Context, q queryer, caseID int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT text FROM case_proposals WHERE case_id = ? ORDER BY pos`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func loadRoute(ctx context.Context, q queryer, caseID int64) ([]workflow.RouteStep, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+bodyCols+`, route_steps.date, route_steps.postponed, COALESCE(route_steps.meeting_id, 0),
		COALESCE(meetings.status, ''), COALESCE(meetings.origin, '')
		FROM route_steps JOIN bodies ON bodies.id = route_steps.body_id JOIN boards ON boards.id = bodies.board_id
		LEFT JOIN meetings ON meetings.id = route_steps.meeting_id
		WHERE case_id = ? ORDER BY pos`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workflow.RouteStep
	for rows.Next() {
		var st workflow.RouteStep
		var date, postponed string
		b := &st.Body
		if err := rows.Scan(&b.ID, &b.Code, &b.Name, &b.Kind, &b.Board, &b.NoticeDays, &date, &postponed, &st.MeetingID, &st.MeetingStatus, &st.MeetingOrigin); err != nil {
			return nil, err
		}
		st.Date = parseDate(date)
		if err := json.Unmarshal([]byte(postponed), &st.Postponed); err != nil {
			return nil, fmt.Errorf("route step postponements: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

func loadApprovers(ctx context.Context, q queryer, caseID int64) ([]workflow.Approver, error) {
	rows, err := q.QueryContext(ctx, `SELECT users.id, users.name, users.email, users.title, position, signed_at
		FROM case_approvers JOIN users ON users.id = case_approvers.user_id WHERE case_id = ? ORDER BY pos`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workflow.Approver
	for rows.Next() {
		var a workflow.Approver
		var signed sql.NullString
		if err := rows.Scan(&a.ID, &a.Name, &a.Email, &a.Title, &a.Position, &signed); err != nil {
			return nil, err
		}
		a.SignedAt = timePtr(signed)
		out = append(out, a)
	}
	return out, rows.Err()
}

func loadRecipients(ctx context.Context, q queryer, caseID int64) ([]workflow.Recipient, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, email FROM case_recipients WHERE case_id = ? ORDER BY pos`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workflow.Recipient
	for rows.Next() {
		var r workflow.Recipient
		if err := rows.Scan(&r.Name, &r.Email); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// saveCase writes the case row and those of its sections that differ from
// before, the case as the change loaded it. The UPDATE names the version the
// change was computed from, so a concurrent change is a conflict.
func saveCase(ctx context.Context, tx *sql.Tx, c, before *workflow.Case) error {
	// Only the columns that changed are named, so SQLite rewrites only the
	// list indexes (migration 0009) on those columns.
	cols, vals := caseRow(c)
	_, old := caseRow(before)
	set := "version=?, updated_at=?"
	args := []any{c.Version, fmtTime(c.UpdatedAt)}
	for i, col := range cols {
		if vals[i] != old[i] {
			set += ", " + col + "=?"
			args = append(args, vals[i])
		}
	}
	res, err := tx.ExecContext(ctx, `UPDATE cases SET `+set+` WHERE id=? AND version=?`, append(args, c.ID, before.Version)...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return workflow.Errorf(workflow.ECONFLICT, "Ärendet %s har ändrats under tiden; läs in det igen", c.Number)
	}
	return saveSections(ctx, tx, c, before)
}

// saveSections writes the sections of c that differ from before, the case as
// a change loaded it; nil (a new or imported case) writes them all. For a
// change, a step may not newly join a meeting whose kallelse has gone out
// (its agenda is sent); a new or imported case keeps its dates.
func saveSections(ctx context.Context, tx *sql.Tx, c, before *workflow.Case) error {
	changed := before != nil
	if !changed || !sameRoute(before.Route, c.Route) {
		if err := saveRoute(ctx, tx, c, changed); err != nil {
			return err
		}
	}
	if !changed || !slices.Equal(before.Proposals, c.Proposals) {
		if err := saveProposals(ctx, tx, c); err != nil {
			return err
		}
	}
	if !changed || !slices.EqualFunc(before.Approvers, c.Approvers, sameApprover) {
		if err := saveApprovers(ctx, tx, c); err != nil {
			return err
		}
	}
	if !changed || !slices.Equal(before.Recipients, c.Recipients) {
		if err := saveRecipients(ctx, tx, c); err != nil {
			return err
		}
	}
	return syncAgenda(ctx, tx, c)
}

// sameRoute tells whether two routes store the same rows and ask for no new meeting.
func sameRoute(a, b []workflow.RouteStep) bool {
	return slices.EqualFunc(a, b, func(x, y workflow.RouteStep) bool {
		return x.Body.ID == y.Body.ID && x.Date == y.Date && slices.Equal(x.Postponed, y.Postponed) &&
			x.MeetingID == y.MeetingID && !y.ExtraMeeting
	})
}

func sameApprover(a, b workflow.Approver) bool {
	return a.ID == b.ID && a.Position == b.Position &&
		(a.SignedAt == nil) == (b.SignedAt == nil) && (a.SignedAt == nil || a.SignedAt.Equal(*b.SignedAt))
}

func clearSection(ctx context.Context, tx *sql.Tx, table string, caseID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE case_id = ?`, caseID)
	return err
}

func saveProposals(ctx context.Context, tx *sql.Tx, c *workflow.Case) error {
	if err := clearSection(ctx, tx, "case_proposals", c.ID); err != nil {
		return err
	}
	for i, p := range c.Proposals {
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_proposals(case_id, pos, text) VALUES (?,?,?)`, c.ID, i, p); err != nil {
			return err
		}
	}
	return nil
}

// saveRoute links the route's dated steps to their meetings and writes the steps.
func saveRoute(ctx context.Context, tx *sql.Tx, c *workflow.Case, changed bool) error {
	before, err := linkedMeetings(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	if err := linkMeetings(ctx, tx, c, before, changed); err != nil {
		return err
	}
	if err := clearSection(ctx, tx, "route_steps", c.ID); err != nil {
		return err
	}
	for i, st := range c.Route {
		postponed, _ := json.Marshal(dateStrings(st.Postponed))
		var meeting any
		if st.MeetingID != 0 {
			meeting = st.MeetingID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO route_steps(case_id, pos, body_id, date, postponed, meeting_id) VALUES (?,?,?,?,?,?)`,
			c.ID, i, st.Body.ID, st.Date.String(), string(postponed), meeting); err != nil {
			return err
		}
	}
	return nil
}

func saveApprovers(ctx context.Context, tx *sql.Tx, c *workflow.Case) error {
	if err := clearSection(ctx, tx, "case_approvers", c.ID); err != nil {
		return err
	}
	for i, a := range c.Approvers {
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_approvers(case_id, pos, user_id, position, signed_at) VALUES (?,?,?,?,?)`,
			c.ID, i, a.ID, a.Position, nullTime(a.SignedAt)); err != nil {
			return err
		}
	}
	return nil
}

func saveRecipients(ctx context.Context, tx *sql.Tx, c *workflow.Case) error {
	if err := clearSection(ctx, tx, "case_recipients", c.ID); err != nil {
		return err
	}
	for i, r := range c.Recipients {
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_recipients(case_id, pos, name, email) VALUES (?,?,?,?)`, c.ID, i, r.Name, r.Email); err != nil {
			return err
		}
	}
	return nil
}

// caseRow is the content of c's cases row apart from version and
// updated_at: column names, and their values as comparable Go values
// (string, int, int64, bool or nil).
func caseRow(c *workflow.Case) (cols []string, vals []any) {
	return []string{"title", "summary", "background", "secret", "stage", "step", "next_date", "officer_id", "closed_note",
			"decision_type", "decision_text", "decided_at", "decided_by", "paragraph", "dispatched_at"},
		append([]any{c.Title, c.Summary, c.Background, c.Secret, string(c.Stage), c.Step, nextDate(c), c.Officer.ID, c.ClosedNote},
			decisionRow(c.Decision)...)
}

// decisionRow is the case row's decision columns, in the order decision_type,
// decision_text, decided_at, decided_by, paragraph, dispatched_at; NULL (and
// an empty paragraph) without a decision.
func decisionRow(d *workflow.Decision) []any {
	var dType, dText, dAt, dispatched, dBy any
	paragraph := ""
	if d != nil {
		dType, dText, dAt, dispatched = string(d.Type), d.Text, fmtTime(d.DecidedAt), nullTime(d.DispatchedAt)
		if d.DecidedBy.ID != 0 {
			dBy = d.DecidedBy.ID
		}
		paragraph = d.Paragraph
	}
	return []any{dType, dText, dAt, dBy, paragraph, dispatched}
}

// nextDate is the date of the case's current route step while it is on its
// route, empty otherwise: the column cases.next_date, which the case list sorts
// and shows, written with the stage on every save.
func nextDate(c *workflow.Case) string {
	switch c.Stage {
	case workflow.StageDraft, workflow.StageApproval, workflow.StageClosed:
		return ""
	}
	if c.Step < 0 || c.Step >= len(c.Route) || c.Route[c.Step].Date.IsZero() {
		return ""
	}
	return c.Route[c.Step].Date.String()
}

func dateStrings(ds []workflow.Date) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

// insertCase writes a new case, assigning the next number of its board's series
// unless it has one; an explicit number moves the series past it, so the series
// never hands it out again.
func insertCase(ctx context.Context, tx *sql.Tx, c *workflow.Case) error {
	year, serial := workflow.Today(c.CreatedAt).Year, 0
	if c.Number == "" {
		err := tx.QueryRowContext(ctx, `INSERT INTO case_series(board_id, year, last) VALUES (?,?,1)
			ON CONFLICT(board_id, year) DO UPDATE SET last = case_series.last + 1 RETURNING last`, c.Board.ID, year).Scan(&serial)
		if err != nil {
			return err
		}
		c.Number = workflow.FormatNumber(c.Board.Code, year, serial)
	} else {
		var err error
		if _, year, serial, err = workflow.ParseNumber(c.Number); err != nil {
			return workflow.Errorf(workflow.EINVALID, "%v", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_series(board_id, year, last) VALUES (?,?,?)
			ON CONFLICT(board_id, year) DO UPDATE SET last = CASE WHEN excluded.last > case_series.last THEN excluded.last ELSE case_series.last END`, c.Board.ID, year, serial); err != nil {
			return err
		}
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO cases(number, board_id, year, serial, title, summary, background, secret, stage, step,
		next_date, version, officer_id, closed_note, reference, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
		c.Number, c.Board.ID, year, serial, c.Title, c.Summary, c.Background, c.Secret, c.Stage, c.Step, nextDate(c), c.Version,
		c.Officer.ID, c.ClosedNote, c.Reference, fmtTime(c.CreatedAt), fmtTime(c.UpdatedAt)).Scan(&c.ID)
	if isUnique(err) {
		return workflow.Errorf(workflow.ECONFLICT, "Diarienumret %s är redan använt", c.Number)
	}
	if err != nil {
		return err
	}
	return saveSections(ctx, tx, c, nil)
}

// CaseFilter narrows a case list.
type CaseFilter struct {
	Stage     workflow.Stage
	Board     string
	OfficerID int64
	Query     string // words searched in the case's text (search.go); without FTS5 in number and title
	OpenOnly  bool
	// Viewer sees what a secret case is about only if it involves them
	// (workflow.Case.Involves); nil is the public. Otherwise its title and
	// officer are withheld: not shown, searched, sorted or filtered on.
	Viewer  *workflow.User
	Sort    string // number, title, stage, date, updated (default: by relevance with a Query, else updated, newest first)
	Desc    bool
	Page    int // from 1; ignored with a Cursor
	PerPage int
	// Cursor reads the page after (or before) a place in the list
	// (CasePage.Next, Prev); it must be of the same Sort and Desc.
	Cursor *Cursor
}

// CaseSummary is one row of a case list.
type CaseSummary struct {
	Number    string          `json:"number"`
	Board     string          `json:"board"`
	Title     string          `json:"title"`
	Stage     workflow.Stage  `json:"stage"`
	Secret    bool            `json:"secret"`
	Officer   workflow.Person `json:"officer"`
	NextStep  string          `json:"next_step,omitempty"` // body name of the current step
	NextDate  workflow.Date   `json:"next_date"`
	Version   int             `json:"version"`
	UpdatedAt string          `json:"updated_at"`
	// Snippet is where a text query hit the case's text, as HTML: the text
	// escaped, the hits in <mark>. Empty without a query, or when the hit is
	// in the number or title.
	Snippet template.HTML `json:"snippet,omitempty"`
}

// CasePage is one page of a case list. Total counts the matches up to the
// store's CountCap; past it, Total is the cap and TotalCapped is set.
type CasePage struct {
	Items       []CaseSummary `json:"items"`
	Total       int           `json:"total"`
	TotalCapped bool          `json:"total_capped"`
	Page        int           `json:"page"` // 0 for a page read from a cursor
	PerPage     int           `json:"per_page"`
	// SearchCut is set when a text query with a filter stopped before it
	// had read every match: it reads the newest matches the viewer may see
	// up to a bound (searchWalkFactor × the candidates), and Total (with
	// TotalCapped) counts what it found there. Older cases may match too;
	// more words, or a narrower filter, find them.
	SearchCut bool `json:"search_cut,omitempty"`
	// Next and Prev are the places after the page's last row and before its
	// first; nil at the end and at the start. Last reads the list's last
	// page; nil on it.
	Next, Prev, Last *Cursor `json:"-"`
	// NumberedOnly says the list is read by page number only, not by
	// cursor: the hits of a full-text search (searchCases).
	NumberedOnly bool `json:"-"`
	// rememberedCount is the key of the count remembered as past the cap
	// (cappedCounts) that Total was taken from; empty when counted.
	rememberedCount string
}

// MaxPerPage bounds a page of cases.
const MaxPerPage = 200

// caseSortKeys are the sort keys of the case list, each a column of the
// cases row with indexes of its own and after each filter (0009).
var caseSortKeys = map[string]string{
	"number":  "cases.number_key", // board code, year, serial
	"title":   "cases.title_sort", // Swedish order (0031); see caseTitleOrder
	"stage":   "cases.stage_rank",
	"updated": "cases.updated_at",
	"date":    "cases.next_date", // undated last either way: see caseKeyset
}

// CaseSorts are the orders the case list offers (CaseFilter.Sort).
var CaseSorts = []string{"number", "title", "stage", "date", "updated"}

// stageRank is a stage's place in workflow.Stages, as the column
// cases.stage_rank computes it.
func stageRank(st workflow.Stage) int {
	if i := slices.Index(workflow.Stages, st); i >= 0 {
		return i
	}
	return len(workflow.Stages) - 1
}

// Cases lists cases matching f, a page at a time: by page number, or from a
// cursor. Each page reads its rows by one index walk in the order asked for
// (caseKeyset), and the count stops at the store's CountCap, so a page costs
// the same in a database of a thousand cases and of millions. A page number
// reaching past the cap is EINVALID: pages further on are read by cursor.
func (s *Store) Cases(ctx context.Context, f CaseFilter) (CasePage, error) {
	return s.cases(ctx, s.r, f)
}

// cases is Cases reading through q (a test reads through one that explains
// every query first).
func (s *Store) cases(ctx context.Context, q queryer, f CaseFilter) (CasePage, error) {
	offset, err := pageWindow(&f.Page, &f.PerPage)
	if err != nil {
		return CasePage{}, err
	}
	_, sorted := caseSortKeys[f.Sort]
	if !sorted {
		f.Sort, f.Desc = "updated", true
	}
	var where []string
	var args []any
	if f.Stage != "" {
		where, args = append(where, "cases.stage_rank = ?"), append(args, stageRank(f.Stage))
	}
	if f.Board != "" {
		where, args = append(where, "cases.board_id = (SELECT id FROM boards WHERE code = ?)"), append(args, f.Board)
	}
	visible := visibleTo(f.Viewer)
	switch {
	case f.OfficerID != 0 && f.Viewer != nil && f.Viewer.Active && f.OfficerID == f.Viewer.ID:
		// One's own cases are all visible to oneself (visibleTo).
		where, args = append(where, "cases.officer_id = ?"), append(args, f.OfficerID)
	case f.OfficerID != 0:
		where, args = append(where, "cases.officer_id = ? AND "+visible), append(args, f.OfficerID)
	}
	// A text query (search.go): matched in what the viewer may see. Without
	// FTS5 it is LIKE conditions, read as any other filter; with it, the
	// hits are ranked and read by page number (searchCases), the filters
	// applied as the search reads its matches.
	searchWhere := where
	if f.OpenOnly {
		searchWhere = append(slices.Clip(where), "cases.stage <> 'closed'")
	}
	search := s.caseSearch(f.Query, f.Viewer, searchWhere, args)
	if search.with != "" {
		return s.searchCases(ctx, q, f, search, offset, sorted)
	}
	// A page asked again while the database is unchanged comes from the
	// store's listCache: the key holds all of f that where and args come from.
	key := pageKey("cases", f.Viewer, string(f.Stage), f.Board, f.OfficerID, f.Query, f.OpenOnly, f.Sort, f.Desc, f.Page, f.PerPage, f.Cursor, offset, s.countCap())
	return cachedPage(ctx, s, q, key, func() (CasePage, error) {
		return s.readCases(ctx, q, f, append(where, search.where...), append(args, search.whereArgs...), offset)
	})
}

// readCases reads the page of cases asks for: f's rows that match where,
// in its order, and their count.
func (s *Store) readCases(ctx context.Context, q queryer, f CaseFilter, where []string, args []any, offset int) (CasePage, error) {
	// The count reads the same cases as the page, but open-only as a range
	// of stage_rank, which an index serves; the page checks the stage as it
	// walks in order (on the range, SQLite would read that index and sort).
	countWhere := slices.Clip(where)
	if f.OpenOnly {
		countWhere = append(countWhere, "cases.stage_rank < "+strconv.Itoa(stageRank(workflow.StageClosed)))
		where = append(where, "cases.stage <> 'closed'")
	}
	list, err := caseKeyset(ctx, q, f, where, args)
	if err != nil {
		return CasePage{}, err
	}
	w := window{limit: f.PerPage, offset: offset}
	if c := f.Cursor; c != nil {
		if w.pos, err = caseCursorPlace(ctx, q, f, *c); err != nil {
			return CasePage{}, err
		}
		w.offset, w.back, f.Page = 0, c.Back, 0
	}
	page := CasePage{Page: f.Page, PerPage: f.PerPage, Items: []CaseSummary{}}
	if page.Total, page.TotalCapped, page.rememberedCount, err = s.countPage(ctx, q, "cases", countWhere, args, f.Cursor == nil, f.Page, offset); err != nil {
		return page, err
	}
	rows, next, prev, err := list.pageOf(ctx, q, w, func(r listRow, back bool) *Cursor {
		c := &Cursor{Sort: f.Sort, Desc: f.Desc, Key: keyText(r.Key), ID: r.ID, Back: back}
		if f.Sort == "title" {
			c.Key = "" // read from the row (caseCursorPlace): a title belongs in no URL
		}
		return c
	})
	if err != nil {
		return page, err
	}
	page.Next, page.Prev = next, prev
	if next != nil {
		page.Last = &Cursor{Sort: f.Sort, Desc: f.Desc, Back: true}
	}
	page.Items, err = caseSummaries(ctx, q, f.Viewer, rows)
	return page, err
}

// caseKeyset is the order f asks for, over the cases that match where.
func caseKeyset(ctx context.Context, q queryer, f CaseFilter, where []string, args []any) (keyset, error) {
	key := caseSortKeys[f.Sort]
	ks := keyset{table: "cases", id: "cases.id", desc: f.Desc, parts: []listPart{{{where: where, args: args, key: key}}}}
	switch f.Sort {
	case "title":
		return caseTitleOrder(ctx, q, f, where, args, ks)
	case "date":
		if !f.Desc {
			// Ascending, the dated cases come first and the undated after
			// them, by id; descending, '' sorts last by itself.
			undated := append(slices.Clip(where), "cases.next_date = ''")
			if f.OpenOnly && f.OfficerID != 0 {
				// A closed case has no date: by the officer's date index
				// the open undated ones lie among all the officer ever
				// closed (4,861 at 1M cases, 14 ms); by the stage range,
				// among their open cases only, sorted by id.
				undated = append(undated, "cases.stage_rank < "+strconv.Itoa(stageRank(workflow.StageClosed)))
			}
			ks.parts = []listPart{
				{{where: append(slices.Clip(where), "cases.next_date > ''"), args: args, key: key}},
				{{where: undated, args: args, key: key}},
			}
			ks.partOf = func(k any) int {
				if keyText(k) == "" {
					return 1
				}
				return 0
			}
		}
	}
	return ks, nil
}

// caseTitleOrder sorts by the title as the viewer sees it, so a withheld
// title decides nothing (README: Secrecy). No single index holds that order,
// since who sees a secret title differs per viewer. So the list merges two
// ordered walks: the cases the viewer sees, by their title
// (cases_*_title), and the secret ones they do not, by public_title, the
// withheld text, which is the same for all of them (cases_*_withheld, a
// small partial index). A secret title thus never places its case for an
// outsider, and an insider sees the order of the titles on the page. When
// the viewer sees every case the filter can match (a role on each board, or
// on the board filtered on), or the filter is the officer's (which finds only
// cases the viewer sees), the first walk is all there is.
func caseTitleOrder(ctx context.Context, q queryer, f CaseFilter, where []string, args []any, ks keyset) (keyset, error) {
	if f.OfficerID != 0 {
		return ks, nil
	}
	var all bool
	if f.Viewer != nil && f.Viewer.Active {
		err := q.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM boards WHERE (? = '' OR code = ?)
			AND id NOT IN (SELECT board_id FROM user_roles WHERE user_id = ?))`, f.Board, f.Board, f.Viewer.ID).Scan(&all)
		if err != nil {
			return ks, err
		}
	}
	if all {
		return ks, nil
	}
	visible := visibleTo(f.Viewer)
	ks.parts = []listPart{{
		{where: append(slices.Clip(where), visible), args: args, key: "cases.title_sort"},
		{where: append(slices.Clip(where), "cases.secret", "NOT "+visible), args: args, key: "cases.public_title_sort"},
	}}
	return ks, nil
}

// caseCursorPlace checks that c fits f and finds its place in the list.
func caseCursorPlace(ctx context.Context, q queryer, f CaseFilter, c Cursor) (*listRow, error) {
	if err := c.Fits(f.Sort, f.Desc); err != nil {
		return nil, err
	}
	if c.ID == 0 {
		return nil, nil // the end
	}
	bad := badCursor("Sidmarkören (cursor) är felaktig; börja om från första sidan")
	pos := &listRow{ID: c.ID, Key: c.Key}
	switch f.Sort {
	case "title":
		// The title as this viewer sees it, read now: the cursor carries none.
		var key string
		err := q.QueryRowContext(ctx, `SELECT CASE WHEN `+visibleTo(f.Viewer)+` THEN cases.title_sort ELSE cases.public_title_sort END
			FROM cases WHERE cases.id = ?`, c.ID).Scan(&key)
		if errors.Is(err, sql.ErrNoRows) || c.Key != "" {
			return nil, bad
		}
		pos.Key = key
		return pos, err
	case "number":
		if !numberKeyPattern.MatchString(c.Key) {
			return nil, bad
		}
	case "stage":
		n, err := strconv.Atoi(c.Key)
		if err != nil || n < 0 || n >= len(workflow.Stages) || strconv.Itoa(n) != c.Key {
			return nil, bad
		}
		pos.Key = int64(n)
	case "updated":
		if _, err := time.Parse(workflow.TimeLayout, c.Key); err != nil {
			return nil, bad
		}
	case "date":
		if _, err := workflow.ParseDate(c.Key); c.Key != "" && err != nil {
			return nil, bad
		}
	}
	return pos, nil
}

// numberKeyPattern is how cases.number_key writes a number.
var numberKeyPattern = regexp.MustCompile(`^[A-ZÅÄÖ]{2,10}-\d{4}-\d{9}$`)

// caseSummaries reads the rows of a page, in its order, with what the list
// shows of each: only these rows are joined to their step, body and officer.
func caseSummaries(ctx context.Context, q queryer, viewer *workflow.User, page []listRow) ([]CaseSummary, error) {
	out := make([]CaseSummary, 0, len(page))
	if len(page) == 0 {
		return out, nil
	}
	at := make(map[int64]int, len(page))
	args := make([]any, 0, len(page))
	for i, r := range page {
		at[r.ID] = i
		args = append(args, r.ID)
	}
	// The secrecy condition once per row (it is a quarter of the query's
	// time); what it withholds is blanked below, before the row leaves.
	rows, err := q.QueryContext(ctx, `SELECT cases.id, cases.number, boards.code, cases.title,
		cases.stage, cases.secret, u.id, u.name, u.email, `+visibleTo(viewer)+`, COALESCE(b.name, ''), cases.next_date, cases.version, cases.updated_at
		FROM cases JOIN boards ON boards.id = cases.board_id JOIN users u ON u.id = cases.officer_id
		LEFT JOIN route_steps rs ON rs.case_id = cases.id AND rs.pos = cases.step AND cases.stage NOT IN ('draft','approval','closed')
		LEFT JOIN bodies b ON b.id = rs.body_id
		WHERE cases.id IN (?`+strings.Repeat(",?", len(page)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out = out[:len(page)]
	for rows.Next() {
		var cs CaseSummary
		var id int64
		var date string
		var visible bool
		if err := rows.Scan(&id, &cs.Number, &cs.Board, &cs.Title, &cs.Stage, &cs.Secret, &cs.Officer.ID, &cs.Officer.Name,
			&cs.Officer.Email, &visible, &cs.NextStep, &date, &cs.Version, &cs.UpdatedAt); err != nil {
			return nil, err
		}
		cs.NextDate = parseDate(date)
		if !visible {
			cs.Title, cs.Officer = workflow.WithheldText, workflow.Person{Name: workflow.WithheldText}
		}
		out[at[id]] = cs
	}
	return out, rows.Err()
}

// visibleTo is an SQL condition, true for the cases whose content u may see:
// the SQL form of workflow.Case.Sees, which the secrecy matrix test holds them
// to. Not secret, or involving u as officer, approver, or holder of a role on
// the case's board; nil is the public.
// The id is an integer, written into the SQL to keep argument order simple.
func visibleTo(u *workflow.User) string {
	if u == nil || !u.Active {
		return "(NOT cases.secret)"
	}
	id := strconv.FormatInt(u.ID, 10)
	return "(NOT cases.secret OR cases.officer_id = " + id + " OR cases.board_id IN (SELECT board_id FROM user_roles WHERE user_id = " + id + ")" +
		" OR EXISTS (SELECT 1 FROM case_approvers ca WHERE ca.case_id = cases.id AND ca.user_id = " + id + "))"
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// StageCount is how many open cases are in a stage.
type StageCount struct {
	Stage workflow.Stage
	Count int
}

// OpenCasesByStage counts cases per stage, in process order, optionally for one officer.
func (s *Store) OpenCasesByStage(ctx context.Context, officerID int64) ([]StageCount, error) {
	return openCasesByStage(ctx, s.r, officerID)
}

func openCasesByStage(ctx context.Context, db queryer, officerID int64) ([]StageCount, error) {
	// By stage_rank, a range an index serves, so only open cases are read.
	q := `SELECT stage_rank, COUNT(*) FROM cases WHERE stage_rank < ` + strconv.Itoa(stageRank(workflow.StageClosed))
	var args []any
	if officerID != 0 {
		q += ` AND officer_id = ?`
		args = append(args, officerID)
	}
	rows, err := db.QueryContext(ctx, q+` GROUP BY stage_rank`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[workflow.Stage]int{}
	for rows.Next() {
		var rank, n int
		if err := rows.Scan(&rank, &n); err != nil {
			return nil, err
		}
		if rank >= 0 && rank < len(workflow.Stages) {
			counts[workflow.Stages[rank]] = n
		}
	}
	var out []StageCount
	for _, st := range workflow.Stages {
		if st != workflow.StageClosed {
			out = append(out, StageCount{st, counts[st]})
		}
	}
	return out, rows.Err()
}
