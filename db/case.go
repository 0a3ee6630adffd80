package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"

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
	var paragraph string
	err := q.QueryRowContext(ctx, `SELECT cases.id, cases.number, boards.id, boards.code, boards.name, cases.title, cases.summary, cases.background,
		cases.secret, cases.stage, cases.step, cases.version, u.id, u.name, u.email, u.title, closed_note,
		decision_type, decision_text, decided_at, decided_by, paragraph, dispatched_at, cases.created_at, cases.updated_at
		FROM cases JOIN boards ON boards.id = cases.board_id JOIN users u ON u.id = cases.officer_id
		WHERE number = ?`, number).Scan(&c.ID, &c.Number, &c.Board.ID, &c.Board.Code, &c.Board.Name,
		&c.Title, &c.Summary, &c.Background, &c.Secret, &c.Stage, &c.Step, &c.Version,
		&c.Officer.ID, &c.Officer.Name, &c.Officer.Email, &c.Officer.Title, &c.ClosedNote,
		&dType, &dText, &dAt, &dBy, &paragraph, &dispatched, &created, &updated)
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
			if u, err := userByID(ctx, q, dBy.Int64); err == nil {
				c.Decision.DecidedBy = u.Person()
			}
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
	fromVersion := before.Version
	var dType, dText, dAt, dispatched any
	var dBy any
	paragraph := ""
	if d := c.Decision; d != nil {
		dType, dText, dAt, dispatched = string(d.Type), d.Text, fmtTime(d.DecidedAt), nullTime(d.DispatchedAt)
		if d.DecidedBy.ID != 0 {
			dBy = d.DecidedBy.ID
		}
		paragraph = d.Paragraph
	}
	res, err := tx.ExecContext(ctx, `UPDATE cases SET title=?, summary=?, background=?, secret=?, stage=?, step=?,
		version=?, officer_id=?, closed_note=?, decision_type=?, decision_text=?, decided_at=?, decided_by=?,
		paragraph=?, dispatched_at=?, updated_at=? WHERE id=? AND version=?`,
		c.Title, c.Summary, c.Background, c.Secret, c.Stage, c.Step, c.Version, c.Officer.ID, c.ClosedNote,
		dType, dText, dAt, dBy, paragraph, dispatched, fmtTime(c.UpdatedAt), c.ID, fromVersion)
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
			ON CONFLICT(board_id, year) DO UPDATE SET last = last + 1 RETURNING last`, c.Board.ID, year).Scan(&serial)
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
			ON CONFLICT(board_id, year) DO UPDATE SET last = MAX(last, excluded.last)`, c.Board.ID, year, serial); err != nil {
			return err
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO cases(number, board_id, year, serial, title, summary, background, secret, stage, step,
		version, officer_id, closed_note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		c.Number, c.Board.ID, year, serial, c.Title, c.Summary, c.Background, c.Secret, c.Stage, c.Step, c.Version,
		c.Officer.ID, c.ClosedNote, fmtTime(c.CreatedAt), fmtTime(c.UpdatedAt))
	if isUnique(err) {
		return workflow.Errorf(workflow.ECONFLICT, "Diarienumret %s är redan använt", c.Number)
	}
	if err != nil {
		return err
	}
	c.ID, _ = res.LastInsertId()
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
	Page    int // from 1
	PerPage int
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

// CasePage is one page of a case list.
type CasePage struct {
	Items   []CaseSummary `json:"items"`
	Total   int           `json:"total"`
	Page    int           `json:"page"`
	PerPage int           `json:"per_page"`
}

// MaxPerPage bounds a page of cases.
const MaxPerPage = 200

// sortColumns are ORDER BY terms; %[1]s is the direction. The query adds
// cases.id in the same direction to break ties.
var sortColumns = map[string]string{
	"number":  "boards.code %[1]s, cases.year %[1]s, cases.serial %[1]s",
	"title":   "shown_title COLLATE NOCASE %[1]s", // the title as the viewer sees it
	"stage":   "CASE cases.stage WHEN 'draft' THEN 0 WHEN 'approval' THEN 1 WHEN 'presidium' THEN 2 WHEN 'working_committee' THEN 3 WHEN 'board' THEN 4 WHEN 'executive_board' THEN 5 WHEN 'council' THEN 6 ELSE 7 END %[1]s",
	"updated": "cases.updated_at %[1]s",
	"date":    "COALESCE(rs.date, '') = '' ASC, rs.date %[1]s", // undated last either way
}

// Cases lists cases matching f, a page at a time.
func (s *Store) Cases(ctx context.Context, f CaseFilter) (CasePage, error) {
	offset, err := pageWindow(&f.Page, &f.PerPage)
	if err != nil {
		return CasePage{}, err
	}
	terms, ok := sortColumns[f.Sort]
	if !ok {
		terms, f.Desc = sortColumns["updated"], true
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	order := fmt.Sprintf(terms, dir)
	var where []string
	var args []any
	if f.Stage != "" {
		where, args = append(where, "cases.stage = ?"), append(args, f.Stage)
	}
	if f.OpenOnly {
		where = append(where, "cases.stage <> 'closed'")
	}
	if f.Board != "" {
		where, args = append(where, "boards.code = ?"), append(args, f.Board)
	}
	visible := visibleTo(f.Viewer)
	if f.OfficerID != 0 {
		where, args = append(where, "cases.officer_id = ? AND "+visible), append(args, f.OfficerID)
	}
	// A text query (search.go): matched in what the viewer may see, ranked
	// unless another order was asked for.
	search := caseSearch(f.Query, f.Viewer)
	where, args = append(where, search.where...), append(args, search.whereArgs...)
	if !ok && search.rank != "" {
		order, dir = search.rank, "ASC"
	}
	cond := ""
	if len(where) > 0 {
		cond = "WHERE " + strings.Join(where, " AND ")
	}
	from := `FROM ` + search.from + `cases JOIN boards ON boards.id = cases.board_id JOIN users u ON u.id = cases.officer_id
		LEFT JOIN route_steps rs ON rs.case_id = cases.id AND rs.pos = cases.step AND cases.stage NOT IN ('draft','approval','closed')
		LEFT JOIN bodies b ON b.id = rs.body_id ` + cond
	page := CasePage{Page: f.Page, PerPage: f.PerPage, Items: []CaseSummary{}}
	if err := s.r.QueryRowContext(ctx, search.countWith+`SELECT COUNT(*) `+from, append(search.withArgs, args...)...).Scan(&page.Total); err != nil {
		return page, err
	}
	rows, err := s.r.QueryContext(ctx, search.with+`SELECT cases.number, boards.code, CASE WHEN `+visible+` THEN cases.title ELSE ? END AS shown_title,
		cases.stage, cases.secret, u.id, u.name, u.email, `+visible+`, COALESCE(b.name, ''), COALESCE(rs.date, ''), cases.version, cases.updated_at, `+
		search.cols+` `+from+` ORDER BY `+order+`, cases.id `+dir+` LIMIT ? OFFSET ?`,
		append(append(append(search.withArgs, workflow.WithheldText), args...), f.PerPage, offset)...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	var hits []searchHit
	for rows.Next() {
		var cs CaseSummary
		var date string
		var visible bool
		var hit searchHit
		if err := rows.Scan(&cs.Number, &cs.Board, &cs.Title, &cs.Stage, &cs.Secret, &cs.Officer.ID, &cs.Officer.Name,
			&cs.Officer.Email, &visible, &cs.NextStep, &date, &cs.Version, &cs.UpdatedAt, &hit.rid, &hit.rank); err != nil {
			return page, err
		}
		cs.NextDate = parseDate(date)
		if !visible {
			cs.Officer = workflow.Person{Name: workflow.WithheldText}
		}
		page.Items = append(page.Items, cs)
		hits = append(hits, hit)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	rows.Close()
	return page, s.fillSnippets(ctx, search, hits, func(i int, h template.HTML) { page.Items[i].Snippet = h })
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
	q := `SELECT stage, COUNT(*) FROM cases WHERE stage <> 'closed'`
	var args []any
	if officerID != 0 {
		q += ` AND officer_id = ?`
		args = append(args, officerID)
	}
	rows, err := s.r.QueryContext(ctx, q+` GROUP BY stage`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[workflow.Stage]int{}
	for rows.Next() {
		var st workflow.Stage
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		counts[st] = n
	}
	var out []StageCount
	for _, st := range workflow.Stages {
		if st != workflow.StageClosed {
			out = append(out, StageCount{st, counts[st]})
		}
	}
	return out, rows.Err()
}
