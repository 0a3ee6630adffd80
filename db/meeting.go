package db

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

const meetingCols = `meetings.id, ` + bodyCols + `, meetings.date, meetings.start_time, meetings.end_time, meetings.place,
	meetings.status, meetings.origin, meetings.sequence, meetings.notice_sent_at, meetings.held_at, meetings.justified_at,
	COALESCE(meetings.posted_on, ''), COALESCE(sec.id, 0), COALESCE(sec.name, ''), COALESCE(sec.email, ''),
	meetings.created_at, meetings.updated_at`

const meetingFrom = ` FROM meetings JOIN bodies ON bodies.id = meetings.body_id JOIN boards ON boards.id = bodies.board_id
	LEFT JOIN users sec ON sec.id = meetings.secretary_id `

func scanMeeting(sc interface{ Scan(...any) error }) (workflow.Meeting, error) {
	var m workflow.Meeting
	var date, posted, created, updated string
	var notice, held, justified sql.NullString
	b := &m.Body
	err := sc.Scan(&m.ID, &b.ID, &b.Code, &b.Name, &b.Kind, &b.Board, &b.NoticeDays, &date, &m.Start, &m.End, &m.Place,
		&m.Status, &m.Origin, &m.Sequence, &notice, &held, &justified, &posted, &m.Secretary.ID, &m.Secretary.Name, &m.Secretary.Email,
		&created, &updated)
	if err != nil {
		return m, err
	}
	m.Date, m.PostedOn = parseDate(date), parseDate(posted)
	m.NoticeSentAt, m.HeldAt, m.JustifiedAt = timePtr(notice), timePtr(held), timePtr(justified)
	m.CreatedAt, m.UpdatedAt = parseTime(created), parseTime(updated)
	return m, nil
}

// Meeting loads a meeting by id.
func (s *Store) Meeting(ctx context.Context, id int64) (workflow.Meeting, error) {
	return meetingByID(ctx, s.r, id)
}

func meetingByID(ctx context.Context, q queryer, id int64) (workflow.Meeting, error) {
	m, err := scanMeeting(q.QueryRowContext(ctx, `SELECT `+meetingCols+meetingFrom+`WHERE meetings.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, notFound("Sammanträdet %d finns inte", id)
	}
	return m, err
}

// MeetingFilter narrows a list of meetings; zero fields do not filter.
type MeetingFilter struct {
	Body     string // body code
	From, To workflow.Date
	Bodies   []int64 // body ids, for a person's calendar
	Limit    int     // 1 to MaxMeetings; 0 is MaxMeetings
	// Cursor reads the meetings after (or before) one (MeetingPage.Next,
	// Prev); its sort is "date", and it names the meeting by id only, as a
	// meeting's date and body never change.
	Cursor *Cursor
}

// MaxMeetings bounds one list of meetings.
const MaxMeetings = 1000

// meetingSort is the meetings list's order: by date, then body code.
const meetingSort = "date"

// MeetingPage is a list of meetings and the places around it.
type MeetingPage struct {
	Items      []workflow.Meeting
	Next, Prev *Cursor // nil at the end and at the start
}

// Meetings lists meetings by date, then body, up to f.Limit.
func (s *Store) Meetings(ctx context.Context, f MeetingFilter) ([]workflow.Meeting, error) {
	p, err := s.meetingPage(ctx, s.r, f)
	return p.Items, err
}

// MeetingPage is Meetings with the cursors to the meetings before and after.
// The list walks meetings_date_body, or meetings_code_date for one body, in
// order (the body code is on the meeting row), so a page costs the same
// however many meetings there are.
func (s *Store) MeetingPage(ctx context.Context, f MeetingFilter) (MeetingPage, error) {
	return s.meetingPage(ctx, s.r, f)
}

func (s *Store) meetingPage(ctx context.Context, q queryer, f MeetingFilter) (MeetingPage, error) {
	var where []string
	var args []any
	if f.Body != "" {
		where, args = append(where, "meetings.body_code = ?"), append(args, f.Body)
	}
	if !f.From.IsZero() {
		where, args = append(where, "meetings.date >= ?"), append(args, f.From.String())
	}
	if !f.To.IsZero() {
		where, args = append(where, "meetings.date <= ?"), append(args, f.To.String())
	}
	if f.Bodies != nil {
		marks := strings.TrimSuffix(strings.Repeat("?,", len(f.Bodies)), ",")
		if marks == "" {
			return MeetingPage{}, nil
		}
		// Unary + keeps SQLite from seeking each body and sorting: it walks
		// the dates in order and skips the other bodies' meetings.
		where = append(where, "+meetings.body_id IN ("+marks+")")
		for _, id := range f.Bodies {
			args = append(args, id)
		}
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxMeetings {
		limit = MaxMeetings
	}
	back := false
	if c := f.Cursor; c != nil {
		if err := c.Fits(meetingSort, false); err != nil {
			return MeetingPage{}, err
		}
		if c.Key != "" {
			return MeetingPage{}, badCursor("Sidmarkören (cursor) är felaktig; börja om från första sidan")
		}
		back = c.Back
		if c.ID != 0 {
			var date, code string
			err := q.QueryRowContext(ctx, `SELECT date, body_code FROM meetings WHERE id = ?`, c.ID).Scan(&date, &code)
			if errors.Is(err, sql.ErrNoRows) {
				return MeetingPage{}, badCursor("Sidmarkören (cursor) pekar på ett sammanträde som inte finns; börja om från första sidan")
			}
			if err != nil {
				return MeetingPage{}, err
			}
			op := ">"
			if back {
				op = "<"
			}
			where, args = append(where, "(meetings.date, meetings.body_code) "+op+" (?, ?)"), append(args, date, code)
		}
	}
	cond := "TRUE"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	dir := "ASC"
	if back {
		dir = "DESC"
	}
	ms, err := meetingsWhere(ctx, q, cond+` ORDER BY meetings.date `+dir+`, meetings.body_code `+dir+` LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return MeetingPage{}, err
	}
	more := len(ms) > limit
	if more {
		ms = ms[:limit]
	}
	if back {
		slices.Reverse(ms)
	}
	p := MeetingPage{Items: ms}
	if len(ms) == 0 {
		return p, nil
	}
	at := func(m workflow.Meeting, back bool) *Cursor { return &Cursor{Sort: meetingSort, ID: m.ID, Back: back} }
	fromPlace := f.Cursor != nil && f.Cursor.ID != 0
	if more && !back || back && fromPlace {
		p.Next = at(ms[len(ms)-1], false)
	}
	if more && back || !back && fromPlace {
		p.Prev = at(ms[0], true)
	}
	return p, nil
}

// meetingsWhere lists the meetings that meet cond, by date, then body; cond
// may end in its own ORDER BY and LIMIT.
func (s *Store) meetingsWhere(ctx context.Context, cond string, args ...any) ([]workflow.Meeting, error) {
	return meetingsWhere(ctx, s.r, cond+` ORDER BY meetings.date, meetings.body_code LIMIT ?`, append(args, MaxMeetings)...)
}

func meetingsWhere(ctx context.Context, q queryer, cond string, args ...any) ([]workflow.Meeting, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+meetingCols+meetingFrom+`WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workflow.Meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// NewMeetingInput plans a meeting: body code, date, time and place.
type NewMeetingInput struct {
	Body  string
	Date  workflow.Date
	Start string
	End   string
	Place string
}

// CreateMeeting plans a meeting of a body; its agenda starts with the fixed items.
func (s *Store) CreateMeeting(ctx context.Context, in NewMeetingInput, actor workflow.User) (workflow.Meeting, error) {
	var out workflow.Meeting
	err := s.tx(ctx, func(tx *sql.Tx) error {
		body, err := bodyByCode(ctx, tx, strings.TrimSpace(in.Body))
		if err != nil {
			return &workflow.Error{Code: workflow.EINVALID, Message: "Uppgifterna behöver rättas",
				Fields: []workflow.FieldError{{Field: "body", Message: "Organet " + quote(in.Body) + " finns inte"}}}
		}
		m, err := workflow.NewMeeting(body, workflow.MeetingInput{Date: in.Date, Start: in.Start, End: in.End, Place: in.Place},
			workflow.Env{Now: s.now(), Actor: actor})
		if err != nil {
			return err
		}
		if err := insertMeeting(ctx, tx, &m); err != nil {
			return err
		}
		out = m
		return nil
	})
	return out, err
}

func quote(s string) string { return "”" + s + "”" }

func insertMeeting(ctx context.Context, tx *sql.Tx, m *workflow.Meeting) error {
	if m.Origin == "" {
		m.Origin = workflow.OriginPlan
	}
	// body_code keeps the body's code on the row, for the meetings list's order.
	err := tx.QueryRowContext(ctx, `INSERT INTO meetings(body_id, body_code, date, start_time, end_time, place, status, origin, created_at, updated_at)
		VALUES (?1,(SELECT code FROM bodies WHERE id = ?1),?2,?3,?4,?5,?6,?7,?8,?9) RETURNING id`, m.Body.ID, m.Date.String(), m.Start, m.End, m.Place, m.Status, m.Origin,
		fmtTime(m.CreatedAt), fmtTime(m.UpdatedAt)).Scan(&m.ID)
	if isUnique(err) {
		return workflow.Errorf(workflow.ECONFLICT, "%s har redan ett sammanträde den %s", m.Body.Name, m.Date)
	}
	if err != nil {
		return err
	}
	if err := addFixedItems(ctx, tx, m.ID); err != nil {
		return err
	}
	return planMeetingDeadlines(ctx, tx, *m, m.CreatedAt)
}

func saveMeeting(ctx context.Context, tx *sql.Tx, m *workflow.Meeting) error {
	var secretary any
	if m.Secretary.ID != 0 {
		secretary = m.Secretary.ID
	}
	var posted any
	if !m.PostedOn.IsZero() {
		posted = m.PostedOn.String()
	}
	_, err := tx.ExecContext(ctx, `UPDATE meetings SET start_time=?, end_time=?, place=?, status=?, sequence=?, notice_sent_at=?,
		held_at=?, justified_at=?, posted_on=?, secretary_id=?, updated_at=? WHERE id=?`,
		m.Start, m.End, m.Place, m.Status, m.Sequence, nullTime(m.NoticeSentAt), nullTime(m.HeldAt), nullTime(m.JustifiedAt),
		posted, secretary, fmtTime(m.UpdatedAt), m.ID)
	return err
}

// changeMeeting loads a meeting in a write transaction, lets fn change it and saves it.
func (s *Store) changeMeeting(ctx context.Context, id int64, actor workflow.User,
	fn func(tx *sql.Tx, m workflow.Meeting, env workflow.Env) (workflow.Meeting, error)) (workflow.Meeting, error) {
	var out workflow.Meeting
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, err := meetingByID(ctx, tx, id)
		if err != nil {
			return err
		}
		next, err := fn(tx, m, workflow.Env{Now: s.now(), Actor: actor})
		if err != nil {
			return err
		}
		if err := saveMeeting(ctx, tx, &next); err != nil {
			return err
		}
		if err := planMeetingDeadlines(ctx, tx, next, s.now()); err != nil {
			return err
		}
		if next.Status != m.Status {
			// A justerat protokoll makes its decisions public in the diary.
			if err := s.indexMeetingCases(ctx, tx, id); err != nil {
				return err
			}
		}
		out = next
		return nil
	})
	if err == nil {
		// Its kungörelse or notice of justering may have come down with it
		// (a kallelse registered after the meeting day, an anslag weeks
		// back), and its time and place are in them.
		s.noticeArchive.forget()
	}
	return out, err
}

// ChangeMeeting sets the time and place of a meeting not yet held; nil leaves a field as it is.
func (s *Store) ChangeMeeting(ctx context.Context, id int64, actor workflow.User, start, end, place *string) (workflow.Meeting, error) {
	return s.changeMeeting(ctx, id, actor, func(_ *sql.Tx, m workflow.Meeting, env workflow.Env) (workflow.Meeting, error) {
		return workflow.ChangeMeeting(m, start, end, place, env)
	})
}

// MarkNoticeSent records that the kallelse went out and, in the same
// transaction, queues it to every member of the body with an e-mail address.
func (s *Store) MarkNoticeSent(ctx context.Context, id int64, actor workflow.User) (workflow.Meeting, error) {
	return s.changeMeeting(ctx, id, actor, func(tx *sql.Tx, m workflow.Meeting, env workflow.Env) (workflow.Meeting, error) {
		next, err := workflow.MarkNoticeSent(m, env)
		if err != nil {
			return next, err
		}
		if err := checkAgendaReady(ctx, tx, m); err != nil {
			return next, err
		}
		return next, s.queueNotice(ctx, tx, next, actor, env.Now)
	})
}

// MarkHeld records that the meeting took place. Without a registered
// attendance, every active member is entered as present, for the secretary to correct.
func (s *Store) MarkHeld(ctx context.Context, id int64, actor workflow.User) (workflow.Meeting, error) {
	return s.changeMeeting(ctx, id, actor, func(tx *sql.Tx, m workflow.Meeting, env workflow.Env) (workflow.Meeting, error) {
		next, err := workflow.MarkHeld(m, env)
		if err != nil {
			return next, err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO attendees(meeting_id, member_id, pos, present)
			SELECT ?, id, ROW_NUMBER() OVER (ORDER BY id), TRUE FROM body_members
			WHERE body_id = ? AND active AND NOT EXISTS (SELECT 1 FROM attendees WHERE meeting_id = ?)`, m.ID, m.Body.ID, m.ID)
		return next, err
	})
}

// linkMeetings puts each dated route step of c on its body's meeting of that
// date. A date the body has no meeting on makes one only as
// workflow.ChooseMeeting allows: asked for as a nytt extra sammanträde
// (RouteStep.ExtraMeeting), or in a year the body has no plan for; otherwise
// it is refused (the input's own checks name the field first). A step may not
// be newly put on a meeting whose protokoll is already justerat, nor, when a
// registered case changes (changed), on one whose kallelse has gone out.
func linkMeetings(ctx context.Context, tx *sql.Tx, c *workflow.Case, before map[int64]bool, changed bool) error {
	for i := range c.Route {
		st := &c.Route[i]
		st.MeetingID, st.NewMeeting = 0, false
		if st.Date.IsZero() {
			continue
		}
		m, err := scanMeeting(tx.QueryRowContext(ctx, `SELECT `+meetingCols+meetingFrom+`WHERE meetings.body_id = ? AND meetings.date = ?`,
			st.Body.ID, st.Date.String()))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			days, err := meetingDaysAround(ctx, tx, st.Body.ID, st.Date)
			if err != nil {
				return err
			}
			choice, refusal := workflow.ChooseMeeting(st.Body, st.Date, st.ExtraMeeting, days, workflow.Today(c.UpdatedAt))
			if refusal != "" {
				return invalid("route", "%s", refusal)
			}
			m = workflow.PlanMeeting(st.Body, st.Date, choice.New, c.UpdatedAt)
			if err := insertMeeting(ctx, tx, &m); err != nil {
				return err
			}
			st.NewMeeting = true
		case err != nil:
			return err
		case m.Status.AtLeast(workflow.MeetingJustified) && !before[m.ID]:
			return workflow.Errorf(workflow.ECONFLICT, "Protokollet från %s är redan justerat; välj ett senare sammanträde", m.Title())
		case changed && m.Status.AtLeast(workflow.MeetingNoticeSent) && !before[m.ID]:
			return workflow.Errorf(workflow.ECONFLICT, "Kallelsen till %s är redan skickad, så ärendet kan inte komma upp där; välj ett senare sammanträde", m.Title())
		}
		st.MeetingID, st.MeetingStatus, st.MeetingOrigin = m.ID, m.Status, m.Origin
	}
	return nil
}

// linkedMeetings are the meetings a case's route is on now.
func linkedMeetings(ctx context.Context, tx *sql.Tx, caseID int64) (map[int64]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT meeting_id FROM route_steps WHERE case_id = ? AND meeting_id IS NOT NULL`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
