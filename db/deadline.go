package db

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// DeadlineItem is a deadline as lists show it, with its case (or meeting) and
// the next reminder still to come.
type DeadlineItem struct {
	workflow.Deadline
	KindLabel    string     `json:"kind_label"`
	CaseTitle    string     `json:"case_title"`
	Secret       bool       `json:"secret"`                  // the case is marked sekretess
	MeetingTitle string     `json:"meeting_title,omitempty"` // a meeting's deadline: "ASN arbetsutskott 2026-03-12"
	Board        string     `json:"board"`
	NextReminder *time.Time `json:"next_reminder"`
}

// DeadlineInput is a bevakning as a form or the API sends it.
type DeadlineInput struct {
	Due         string `json:"due"`                   // YYYY-MM-DD
	Responsible string `json:"responsible,omitempty"` // e-mail; empty: the one who sets it
	Note        string `json:"note"`
}

const deadlineCols = `d.id, COALESCE(c.number, ''), COALESCE(c.title, ''), COALESCE(c.secret, FALSE), COALESCE(d.meeting_id, 0), ` + deadlineMeetingTitle + `,
	b.code, d.kind, d.ref, d.due, d.note, d.state, d.created_at, d.closed_at,
	COALESCE(u.id, 0), COALESCE(u.name, ''), COALESCE(u.email, ''), COALESCE(u.title, ''),
	COALESCE(cb.id, 0), COALESCE(cb.name, ''), COALESCE(kb.id, 0), COALESCE(kb.name, ''),
	(SELECT MIN(r.remind_at) FROM reminders r WHERE r.deadline_id = d.id AND r.sent_at IS NULL)`

// deadlineOwner joins a deadline d with what it belongs to: its case c, or its
// meeting mt of body mb; b is the board either way.
const deadlineOwner = ` LEFT JOIN cases c ON c.id = d.case_id LEFT JOIN meetings mt ON mt.id = d.meeting_id
	LEFT JOIN bodies mb ON mb.id = mt.body_id JOIN boards b ON b.id = COALESCE(c.board_id, mb.board_id) `

// deadlineSubject is what a deadline is about, in a word: the case number or
// the meeting.
const deadlineSubject = `COALESCE(c.number, ` + deadlineMeetingTitle + `)`

// deadlineMeetingTitle names a meeting deadline's meeting as workflow.Meeting.Title does.
const deadlineMeetingTitle = `COALESCE(mb.name || ' ' || mt.date, '')`

const deadlineFrom = ` FROM deadlines d` + deadlineOwner + `
	LEFT JOIN users u ON u.id = d.responsible_id LEFT JOIN users cb ON cb.id = d.created_by
	LEFT JOIN users kb ON kb.id = d.closed_by `

func scanDeadline(sc interface{ Scan(...any) error }) (DeadlineItem, error) {
	var it DeadlineItem
	d := &it.Deadline
	var due, created string
	var closed, next sql.NullString
	var by, ack workflow.Person
	err := sc.Scan(&d.ID, &d.CaseNumber, &it.CaseTitle, &it.Secret, &d.MeetingID, &it.MeetingTitle, &it.Board, &d.Kind, &d.Ref, &due, &d.Note, &d.State,
		&created, &closed, &d.Responsible.ID, &d.Responsible.Name, &d.Responsible.Email, &d.Responsible.Title,
		&by.ID, &by.Name, &ack.ID, &ack.Name, &next)
	if err != nil {
		return it, err
	}
	d.Due, d.CreatedAt, d.ClosedAt = parseDate(due), parseTime(created), timePtr(closed)
	if by.ID != 0 {
		d.CreatedBy = &by
	}
	if ack.ID != 0 {
		d.ClosedBy = &ack
	}
	it.KindLabel = d.Kind.Label()
	it.NextReminder = timePtr(next)
	return it, nil
}

func queryDeadlines(ctx context.Context, q queryer, where string, args ...any) ([]DeadlineItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+deadlineCols+deadlineFrom+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []DeadlineItem{}
	for rows.Next() {
		it, err := scanDeadline(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// CaseDeadlines lists a case's deadlines: open ones by due date, then closed ones.
func (s *Store) CaseDeadlines(ctx context.Context, number string) ([]DeadlineItem, error) {
	var id int64
	if err := s.r.QueryRowContext(ctx, `SELECT id FROM cases WHERE number = ?`, number).Scan(&id); errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Ärendet %s finns inte", number)
	} else if err != nil {
		return nil, err
	}
	return queryDeadlines(ctx, s.r, `WHERE d.case_id = ? ORDER BY d.state <> 'open', d.due, d.id`, id)
}

// UserDeadlines lists the open deadlines a user is responsible for, due on or
// before until (all of them when until is zero), the most urgent first: the
// first MaxDeadlines of them (UserDeadlinePage reads on).
func (s *Store) UserDeadlines(ctx context.Context, userID int64, until workflow.Date) ([]DeadlineItem, error) {
	page, err := s.UserDeadlinePage(ctx, DeadlineFilter{Responsible: userID, Until: until, PerPage: MaxDeadlines})
	return page.Items, err
}

// DeadlineFilter asks for a page of a person's open bevakningar, the most
// urgent first (by due date, then id).
type DeadlineFilter struct {
	Responsible int64         // the user responsible
	Until       workflow.Date // due on or before; zero: all
	Page        int           // from 1; ignored with a Cursor
	PerPage     int           // 1 to MaxDeadlines; 0 is 50
	// Cursor reads the page after (or before) a place in the list
	// (DeadlinePage.Next, Prev); its sort is "due".
	Cursor *Cursor
}

// MaxDeadlines bounds one page of a person's bevakningar.
const MaxDeadlines = 1000

// deadlineSort is the order of a person's bevakningar: by due date.
const deadlineSort = "due"

// DeadlinePage is one page of a person's open bevakningar; Total counts up
// to the store's CountCap, as CasePage's does.
type DeadlinePage struct {
	Items            []DeadlineItem
	Total            int
	TotalCapped      bool
	Page, PerPage    int
	Next, Prev, Last *Cursor
}

// UserDeadlinePage is a page of the open deadlines a user is responsible
// for, by one walk of deadlines_responsible.
func (s *Store) UserDeadlinePage(ctx context.Context, f DeadlineFilter) (DeadlinePage, error) {
	return s.userDeadlinePage(ctx, s.r, f)
}

func (s *Store) userDeadlinePage(ctx context.Context, q queryer, f DeadlineFilter) (DeadlinePage, error) {
	per := f.PerPage
	if per < 1 || per > MaxDeadlines {
		per = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	if f.Page-1 > maxOffset/per {
		var p workflow.Problems
		p.Add("page", "Sidan %d finns inte; sidnumret är för stort", f.Page)
		return DeadlinePage{}, p.Err()
	}
	offset := (f.Page - 1) * per
	until := "9999-12-31"
	if !f.Until.IsZero() {
		until = f.Until.String()
	}
	where := []string{"deadlines.responsible_id = ?", "deadlines.state = 'open'", "deadlines.due <= ?"}
	args := []any{f.Responsible, until}
	list := keyset{table: "deadlines", id: "deadlines.id", parts: []listPart{{{where: where, args: args, key: "deadlines.due"}}}}
	w := window{limit: per, offset: offset}
	if c := f.Cursor; c != nil {
		if err := c.Fits(deadlineSort, false); err != nil {
			return DeadlinePage{}, err
		}
		if c.ID != 0 {
			if _, err := workflow.ParseDate(c.Key); err != nil {
				return DeadlinePage{}, badCursor("Sidmarkören (cursor) är felaktig; börja om från första sidan")
			}
			w.pos = &listRow{ID: c.ID, Key: c.Key}
		}
		w.offset, w.back, f.Page = 0, c.Back, 0
	}
	page := DeadlinePage{Page: f.Page, PerPage: per, Items: []DeadlineItem{}}
	var err error
	if page.Total, page.TotalCapped, _, err = s.countPage(ctx, q, "deadlines", where, args, f.Cursor == nil, f.Page, offset); err != nil {
		return page, err
	}
	rows, next, prev, err := list.pageOf(ctx, q, w, func(r listRow, back bool) *Cursor {
		return &Cursor{Sort: deadlineSort, Key: keyText(r.Key), ID: r.ID, Back: back}
	})
	if err != nil || len(rows) == 0 {
		return page, err
	}
	page.Next, page.Prev = next, prev
	if next != nil {
		page.Last = &Cursor{Sort: deadlineSort, Back: true}
	}
	ids := make([]any, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	items, err := queryDeadlines(ctx, q, `WHERE d.id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, ids...)
	if err != nil {
		return page, err
	}
	byID := make(map[int64]DeadlineItem, len(items))
	for _, it := range items {
		byID[it.ID] = it
	}
	for _, r := range rows {
		if it, ok := byID[r.ID]; ok {
			page.Items = append(page.Items, it)
		}
	}
	return page, nil
}

// LaterDeadlines counts a user's open deadlines due after a day, up to the
// store's CountCap (capped: there are more).
func (s *Store) LaterDeadlines(ctx context.Context, userID int64, after workflow.Date) (n int, capped bool, err error) {
	return countUpTo(ctx, s.r, "deadlines", []string{"deadlines.responsible_id = ?", "deadlines.state = 'open'", "deadlines.due > ?"},
		[]any{userID, after.String()}, s.countCap())
}

// Deadline finds one deadline.
func (s *Store) Deadline(ctx context.Context, id int64) (DeadlineItem, error) {
	return deadlineByID(ctx, s.r, id)
}

func deadlineByID(ctx context.Context, q queryer, id int64) (DeadlineItem, error) {
	it, err := scanDeadline(q.QueryRowContext(ctx, `SELECT `+deadlineCols+deadlineFrom+`WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, notFound("Bevakningen %d finns inte", id)
	}
	return it, err
}

// AddDeadline sets a custom bevakning on a case and plans its reminders. The
// case's history records it.
func (s *Store) AddDeadline(ctx context.Context, number string, in DeadlineInput, actor workflow.User) (DeadlineItem, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := loadCase(ctx, tx, number)
		if err != nil {
			return err
		}
		var p workflow.Problems
		var due workflow.Date
		if ds := strings.TrimSpace(in.Due); ds != "" {
			if due, err = workflow.ParseDate(ds); err != nil {
				p.Add("due", "%v", err)
			}
		}
		responsible := actor
		if e := strings.TrimSpace(in.Responsible); e != "" {
			if responsible, err = userByEmail(ctx, tx, e); err != nil {
				p.Add("responsible", "Det finns ingen användare med e-postadressen %s", e)
			}
		}
		now := s.now()
		d, err := workflow.NewCustomDeadline(&c, workflow.CustomDeadline{Due: due, Responsible: responsible, Note: in.Note}, actor, now)
		if len(p) > 0 {
			return lookupOr(p, err)
		}
		if err != nil {
			return err
		}
		if id, err = insertCustomDeadline(ctx, tx, c.ID, d, now); err != nil {
			return err
		}
		if err := deadlineEvent(ctx, tx, &c, actor, now, "deadline", d); err != nil {
			return err
		}
		return syncReminders(ctx, tx, c.ID, now)
	})
	if err != nil {
		return DeadlineItem{}, err
	}
	return deadlineByID(ctx, s.r, id)
}

// insertCustomDeadline writes a custom deadline; its reminders are planned by
// syncReminders.
func insertCustomDeadline(ctx context.Context, tx *sql.Tx, caseID int64, d workflow.Deadline, now time.Time) (int64, error) {
	var by any
	if d.CreatedBy != nil {
		by = d.CreatedBy.ID
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO deadlines(case_id, kind, ref, due, responsible_id, note, state, created_by, created_at)
		VALUES (?,?,'',?,?,?,'open',?,?) RETURNING id`, caseID, d.Kind, d.Due.String(), d.Responsible.ID, d.Note, by, fmtTime(now)).Scan(&id)
	if err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE deadlines SET ref = ? WHERE id = ?`, "custom:"+strconv.FormatInt(id, 10), id)
	return id, err
}

// lookupOr reports lookup problems together with a validation error, leaving
// out what validation says about a field the lookup already explained (an
// unknown e-mail is not also "missing").
func lookupOr(p workflow.Problems, err error) error {
	var we *workflow.Error
	if err == nil {
		return p.Err()
	}
	if !errors.As(err, &we) || we.Code != workflow.EINVALID {
		return err
	}
	rest := *we
	rest.Fields = nil
	for _, f := range we.Fields {
		if !slices.ContainsFunc(p, func(l workflow.FieldError) bool { return l.Field == f.Field }) {
			rest.Fields = append(rest.Fields, f)
		}
	}
	return mergeProblems(p, &rest)
}

// AcknowledgeDeadline closes a custom deadline as kvitterad; its unsent
// reminders are dropped.
func (s *Store) AcknowledgeDeadline(ctx context.Context, id int64, actor workflow.User) (DeadlineItem, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		it, err := deadlineByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if it.MeetingID != 0 {
			return workflow.Errorf(workflow.ECONFLICT, "Bevakningen ”%s” för %s stängs av sig själv när sekreteraren registrerar det på sammanträdet; den kan inte kvitteras",
				it.Kind.Label(), it.MeetingTitle)
		}
		c, err := loadCase(ctx, tx, it.CaseNumber)
		if err != nil {
			return err
		}
		now := s.now()
		d, err := workflow.Acknowledge(it.Deadline, &c, actor, now)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE deadlines SET state = ?, closed_at = ?, closed_by = ? WHERE id = ? AND state = 'open'`,
			d.State, fmtTime(now), actor.ID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return workflow.Errorf(workflow.ECONFLICT, "Bevakningen stängdes under tiden")
		}
		if err := deadlineEvent(ctx, tx, &c, actor, now, "acknowledge", d); err != nil {
			return err
		}
		return syncReminders(ctx, tx, c.ID, now)
	})
	if err != nil {
		return DeadlineItem{}, err
	}
	return deadlineByID(ctx, s.r, id)
}

// deadlineEvent records a custom deadline's change in the case's history.
func deadlineEvent(ctx context.Context, tx *sql.Tx, c *workflow.Case, actor workflow.User, now time.Time, action string, d workflow.Deadline) error {
	return noteOnCase(ctx, tx, c.ID, c.Number, c.Stage, actor.Person(), now, action,
		map[string]any{"due": d.Due.String(), "responsible": d.Responsible.Name, "note": d.Note})
}
