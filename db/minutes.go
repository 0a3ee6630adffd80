package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// paragraphCols read a decision row d (LEFT JOINed, so possibly NULL) and its
// decider du.
const paragraphCols = `d.paragraph, d.year, d.type, d.text, d.next_date, d.decided_at, du.id, du.name`

type nullParagraph struct {
	number, year, byID          sql.NullInt64
	typ, text, next, at, byName sql.NullString
}

func (p *nullParagraph) dest() []any {
	return []any{&p.number, &p.year, &p.typ, &p.text, &p.next, &p.at, &p.byID, &p.byName}
}

func (p *nullParagraph) paragraph() (workflow.Paragraph, bool) {
	if !p.typ.Valid { // no decision row; a row without a number is a handling without §
		return workflow.Paragraph{}, false
	}
	return workflow.Paragraph{Number: int(p.number.Int64), Year: int(p.year.Int64), Type: workflow.DecisionType(p.typ.String),
		Text: p.text.String, NextDate: parseDate(p.next.String), DecidedAt: parseTime(p.at.String),
		DecidedBy: workflow.Person{ID: p.byID.Int64, Name: p.byName.String}}, true
}

// DecisionInput is a decision as the secretary records it at a held meeting.
type DecisionInput struct {
	Case string                `json:"case"`
	Type workflow.DecisionType `json:"type"`
	Text string                `json:"text"`
	Date workflow.Date         `json:"date"` // bordläggning: the later meeting; empty: the body's next meeting
	// ExtraMeeting asks, for a bordläggning to a Date the body has no
	// meeting on, for a nytt extra sammanträde that day.
	ExtraMeeting bool `json:"extra_meeting,omitempty"`
	Version      int  `json:"version,omitempty"` // the case version seen; optional
	Confirm      bool `json:"confirm,omitempty"` // keep a text that still says "föreslås"
}

// Decide records a decision on an agenda case at a held meeting, until its
// justering begins (workflow.CanWriteProtokollAt): the next paragraph of the
// body's series for the meeting's year, the case moved as the decision says,
// and the event in the case's history, in one transaction.
func (s *Store) Decide(ctx context.Context, meetingID int64, actor workflow.User, in DecisionInput) (workflow.Paragraph, workflow.Case, error) {
	var par workflow.Paragraph
	var out workflow.Case
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, _, err := writableProtokoll(ctx, tx, meetingID, actor)
		if err != nil {
			return err
		}
		number := strings.TrimSpace(in.Case)
		var onAgenda bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM agenda_items a JOIN cases c ON c.id = a.case_id
			WHERE a.meeting_id = ? AND c.number = ?)`, meetingID, number).Scan(&onAgenda); err != nil {
			return err
		}
		if !onAgenda {
			return invalid("case", "Ärendet %s står inte på föredragningslistan för %s", quote(number), m.Title())
		}
		var decision int64 // the decisions row, to note its event once recorded
		res, err := s.changeIn(ctx, tx, number, actor, false, func(tx *sql.Tx, c workflow.Case, env workflow.Env) (workflow.Result, error) {
			next := in.Date
			if in.Type == workflow.DecisionTabled {
				if next.IsZero() {
					var err error
					if next, err = nextMeetingDate(ctx, tx, m); err != nil {
						return workflow.Result{}, err
					}
				}
				if err := withMeetingDays(ctx, tx, &c, &env); err != nil {
					return workflow.Result{}, err
				}
			}
			// The body's next § of the meeting's year; a body that keeps no
			// protokoll (the presidium) gives none and its series stays.
			var n int
			if m.Body.Kind.KeepsMinutes() {
				if err := tx.QueryRowContext(ctx, `INSERT INTO paragraph_series(body_id, year, last) VALUES (?,?,1)
					ON CONFLICT(body_id, year) DO UPDATE SET last = paragraph_series.last + 1 RETURNING last`, m.Body.ID, m.Date.Year).Scan(&n); err != nil {
					return workflow.Result{}, err
				}
			}
			res, err := workflow.DecideAtMeeting(c, m, workflow.MeetingDecision{Type: in.Type, Text: in.Text, NextDate: next,
				ExtraMeeting: in.ExtraMeeting, Version: in.Version, Paragraph: n, Confirmed: in.Confirm}, env)
			if err != nil {
				return res, err
			}
			par = workflow.Paragraph{Number: n, Year: m.Date.Year, MeetingID: m.ID, CaseNumber: c.Number, CaseTitle: c.Title,
				Secret: c.Secret, Type: in.Type, Text: strings.TrimSpace(in.Text), DecidedAt: env.Now, DecidedBy: actor.Person()}
			if in.Type == workflow.DecisionTabled {
				par.NextDate = next
			}
			// The decision row goes before the case is saved: it keeps the case
			// on this agenda when the case moves on to another meeting.
			err = tx.QueryRowContext(ctx, `INSERT INTO decisions(meeting_id, body_id, year, paragraph, case_id, step, type, text,
				next_date, decided_by, decided_at, event_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,0) RETURNING id`,
				m.ID, m.Body.ID, par.Year, nullInt(n), c.ID, c.Step, par.Type, par.Text, par.NextDate.String(), actor.ID, fmtTime(env.Now)).Scan(&decision)
			if isUnique(err) {
				return res, workflow.Errorf(workflow.ECONFLICT, "Ärende %s har redan ett beslut vid %s", c.Number, m.Title())
			}
			return res, err
		})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE decisions SET event_seq = ? WHERE id = ?`, res.Event.Seq, decision); err != nil {
			return err
		}
		out = res.Case
		return nil
	})
	return par, out, err
}

// writableProtokoll loads meeting meetingID and its attendees in tx, for a
// change of its protokoll's decisions, and checks that actor may make one
// now (workflow.CanWriteProtokollAt). Errors: ENOTFOUND, EFORBIDDEN,
// ECONFLICT.
func writableProtokoll(ctx context.Context, tx *sql.Tx, meetingID int64, actor workflow.User) (workflow.Meeting, []workflow.Attendee, error) {
	m, err := meetingByID(ctx, tx, meetingID)
	if err != nil {
		return m, nil, err
	}
	att, err := attendees(ctx, tx, meetingID)
	if err != nil {
		return m, nil, err
	}
	return m, att, workflow.CanWriteProtokollAt(m, att, actor)
}

// nextMeetingDate is the date of the body's first meeting after m, for a
// bordläggning that names none.
func nextMeetingDate(ctx context.Context, tx *sql.Tx, m workflow.Meeting) (workflow.Date, error) {
	var date string
	err := tx.QueryRowContext(ctx, `SELECT date FROM meetings WHERE body_id = ? AND date > ? ORDER BY date LIMIT 1`,
		m.Body.ID, m.Date.String()).Scan(&date)
	if errors.Is(err, sql.ErrNoRows) {
		return workflow.Date{}, invalid("date", "%s har inget senare sammanträde planerat; ange datum för det sammanträde ärendet bordläggs till", m.Body.Name)
	}
	return parseDate(date), err
}

// AttendanceInput is one member's attendance as the secretary records it.
type AttendanceInput struct {
	Member   int64 `json:"member"`
	Present  bool  `json:"present"`
	Adjuster bool  `json:"adjuster"`
}

// SetAttendance replaces who attended and who justerar, until justering begins.
func (s *Store) SetAttendance(ctx context.Context, meetingID int64, actor workflow.User, in []AttendanceInput) ([]workflow.Attendee, error) {
	var out []workflow.Attendee
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, err := meetingByID(ctx, tx, meetingID)
		if err != nil {
			return err
		}
		current, err := attendees(ctx, tx, meetingID)
		if err != nil {
			return err
		}
		members, err := membersOf(ctx, tx, m.Body.ID)
		if err != nil {
			return err
		}
		var p workflow.Problems
		next := []workflow.Attendee{}
		for i, a := range in {
			mb, ok := findMember(members, a.Member)
			if !ok {
				p.Add(fmt.Sprintf("attendees[%d]", i), "%d är ingen aktiv ledamot av %s", a.Member, m.Body.Name)
				continue
			}
			next = append(next, workflow.Attendee{Member: mb, Present: a.Present, Adjuster: a.Adjuster})
		}
		if err := workflow.CheckAttendance(m, current, next, workflow.Env{Now: s.now(), Actor: actor}); err != nil {
			return mergeProblems(p, err)
		}
		if err := p.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM attendees WHERE meeting_id = ?`, meetingID); err != nil {
			return err
		}
		for i, a := range next {
			if _, err := tx.ExecContext(ctx, `INSERT INTO attendees(meeting_id, member_id, pos, present, adjuster) VALUES (?,?,?,?,?)`,
				meetingID, a.Member.ID, i+1, a.Present, a.Adjuster); err != nil {
				return err
			}
		}
		out = next
		return nil
	})
	return out, err
}

func findMember(ms []workflow.Member, id int64) (workflow.Member, bool) {
	for _, m := range ms {
		if m.ID == id {
			return m, true
		}
	}
	return workflow.Member{}, false
}

func attendees(ctx context.Context, q queryer, meetingID int64) ([]workflow.Attendee, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+memberCols+`, a.present, a.adjuster, a.signed_at
		FROM attendees a JOIN body_members m ON m.id = a.member_id JOIN bodies ON bodies.id = m.body_id
		WHERE a.meeting_id = ? ORDER BY a.pos`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []workflow.Attendee{}
	for rows.Next() {
		var a workflow.Attendee
		var signed sql.NullString
		if err := rows.Scan(append(memberDest(&a.Member), &a.Present, &a.Adjuster, &signed)...); err != nil {
			return nil, err
		}
		a.SignedAt = timePtr(signed)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Sign records the actor's justering of a meeting's protokoll (the caller has
// checked the password), and notes it in the history of every case with a
// paragraph in it. The last signature makes the protokoll justerat.
func (s *Store) Sign(ctx context.Context, meetingID int64, actor workflow.User) (workflow.Meeting, error) {
	return s.changeMeeting(ctx, meetingID, actor, func(tx *sql.Tx, m workflow.Meeting, env workflow.Env) (workflow.Meeting, error) {
		att, err := attendees(ctx, tx, meetingID)
		if err != nil {
			return m, err
		}
		next, att, i, err := workflow.Sign(m, att, actor, env.Now)
		if err != nil {
			return m, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE attendees SET signed_at = ? WHERE meeting_id = ? AND member_id = ?`,
			fmtTime(env.Now), meetingID, att[i].Member.ID); err != nil {
			return m, err
		}
		return next, s.noteOnCases(ctx, tx, next, actor, env, "justering", map[string]any{
			"adjuster": att[i].Member.Name, "justified": next.Status == workflow.MeetingJustified})
	})
}

// Post records the day the justering was posted on the anslagstavla; the
// appeal period and the day of laga kraft follow from it.
func (s *Store) Post(ctx context.Context, meetingID int64, actor workflow.User, day workflow.Date) (workflow.Meeting, error) {
	return s.changeMeeting(ctx, meetingID, actor, func(tx *sql.Tx, m workflow.Meeting, env workflow.Env) (workflow.Meeting, error) {
		next, err := workflow.Post(m, day, env)
		if err != nil {
			return m, err
		}
		d := next.Dates()
		return next, s.noteOnCases(ctx, tx, next, actor, env, "anslag", map[string]any{
			"posted_on": day.String(), "appeal_ends": d.AppealEnds.String(), "legal_force": d.LegalForce.String()})
	})
}

// noteOnCases appends an event to the history of each case with a paragraph
// (or, at a body without a protokoll, a handling) in m's protokoll. The case itself does not change, so its version stays.
func (s *Store) noteOnCases(ctx context.Context, tx *sql.Tx, m workflow.Meeting, actor workflow.User, env workflow.Env,
	action string, extra map[string]any) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.number, c.stage, COALESCE(d.paragraph, 0) FROM decisions d JOIN cases c ON c.id = d.case_id
		WHERE d.meeting_id = ? ORDER BY d.paragraph, d.id`, m.ID)
	if err != nil {
		return err
	}
	type ref struct {
		id     int64
		number string
		stage  workflow.Stage
		par    int
	}
	var refs []ref
	for rows.Next() {
		var r ref
		if err := rows.Scan(&r.id, &r.number, &r.stage, &r.par); err != nil {
			rows.Close()
			return err
		}
		refs = append(refs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range refs {
		payload := map[string]any{"meeting": m.ID, "body": m.Body.Code, "meeting_date": m.Date.String()}
		if r.par > 0 { // a body without a protokoll gives none
			payload["paragraph"] = workflow.ParagraphLabel(r.par)
		}
		for k, v := range extra {
			payload[k] = v
		}
		if err := noteOnCase(ctx, tx, r.id, r.number, r.stage, actor.Person(), env.Now, action, payload); err != nil {
			return err
		}
	}
	return nil
}

// Minutes gathers a meeting's protokoll: attendance, justerare and paragraphs in order.
func (s *Store) Minutes(ctx context.Context, meetingID int64) (workflow.Minutes, error) {
	return minutesOf(ctx, s.r, meetingID)
}

func minutesOf(ctx context.Context, q queryer, meetingID int64) (workflow.Minutes, error) {
	m, err := meetingByID(ctx, q, meetingID)
	if err != nil {
		return workflow.Minutes{}, err
	}
	att, err := attendees(ctx, q, meetingID)
	if err != nil {
		return workflow.Minutes{}, err
	}
	pars, err := paragraphs(ctx, q, `d.meeting_id = ?`, meetingID)
	if err != nil {
		return workflow.Minutes{}, err
	}
	return workflow.Minutes{Meeting: m, Attendees: att, Paragraphs: pars}, nil
}

func paragraphs(ctx context.Context, q queryer, cond string, arg any) ([]workflow.Paragraph, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.number, c.title, c.secret, d.meeting_id, `+paragraphCols+`
		FROM decisions d JOIN cases c ON c.id = d.case_id JOIN users du ON du.id = d.decided_by
		WHERE `+cond+` ORDER BY d.id`, arg)
	if err != nil {
		return nil, err
	}
	var out []workflow.Paragraph
	var caseIDs []int64
	for rows.Next() {
		var np nullParagraph
		var id, meeting int64
		var number, title string
		var secret bool
		if err := rows.Scan(append([]any{&id, &number, &title, &secret, &meeting}, np.dest()...)...); err != nil {
			rows.Close()
			return nil, err
		}
		p, _ := np.paragraph()
		p.CaseNumber, p.CaseTitle, p.Secret, p.MeetingID = number, title, secret, meeting
		out = append(out, p)
		caseIDs = append(caseIDs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, id := range caseIDs {
		if out[i].Proposals, err = loadProposals(ctx, q, id); err != nil {
			return nil, err
		}
		if out[i].Recipients, err = loadRecipients(ctx, q, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CaseParagraph is a paragraph about a case with its meeting's legal dates,
// so the case can show when its decision gains legal force.
type CaseParagraph struct {
	workflow.Paragraph
	Label         string                 `json:"paragraph"`
	Body          string                 `json:"body"`
	BodyName      string                 `json:"body_name"`
	MeetingDate   workflow.Date          `json:"meeting_date"`
	MeetingStatus workflow.MeetingStatus `json:"meeting_status"`
	PostedOn      workflow.Date          `json:"posted_on"`
	// PublicNotice, read by the public only, says why the decision is not
	// shown: workflow.NotPublishedText, NotOnWebText or SecretParagraphText.
	PublicNotice string `json:"public_notice,omitempty"`
	workflow.MeetingDates
}

// CaseParagraphs lists the paragraphs taken on a case, oldest first: the §
// of protokoll, so not the handling at a body that keeps none (the
// presidium), which the case's history records.
func (s *Store) CaseParagraphs(ctx context.Context, number string) ([]CaseParagraph, error) {
	return caseParagraphs(ctx, s.r, number)
}

// caseParagraphs reads a case's paragraphs with their meetings in one
// statement.
func caseParagraphs(ctx context.Context, q queryer, number string) ([]CaseParagraph, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.number, c.title, c.secret, `+paragraphCols+`, `+meetingCols+`
		FROM decisions d JOIN cases c ON c.id = d.case_id JOIN users du ON du.id = d.decided_by
		JOIN meetings ON meetings.id = d.meeting_id JOIN bodies ON bodies.id = meetings.body_id
		JOIN boards ON boards.id = bodies.board_id LEFT JOIN users sec ON sec.id = meetings.secretary_id
		WHERE c.number = ? AND d.paragraph IS NOT NULL ORDER BY d.id`, number)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []CaseParagraph{}
	for rows.Next() {
		var np nullParagraph
		var title string
		var secret bool
		m, err := scanMeeting(prefixScanner{rows, append([]any{&number, &title, &secret}, np.dest()...)})
		if err != nil {
			return nil, err
		}
		p, _ := np.paragraph()
		p.CaseNumber, p.CaseTitle, p.Secret, p.MeetingID = number, title, secret, m.ID
		out = append(out, CaseParagraph{Paragraph: p, Label: p.Label(), Body: m.Body.Code, BodyName: m.Body.Name,
			MeetingDate: m.Date, MeetingStatus: m.Status, PostedOn: m.PostedOn, MeetingDates: m.Dates()})
	}
	return out, rows.Err()
}

// prefixScanner scans a row whose first columns go to dest and whose others
// to what its Scan is given, so one row can feed two scanners.
type prefixScanner struct {
	rows *sql.Rows
	dest []any
}

func (p prefixScanner) Scan(dest ...any) error {
	return p.rows.Scan(append(p.dest[:len(p.dest):len(p.dest)], dest...)...)
}

// Extract is a protokollsutdrag: one paragraph with its meeting and justering.
type Extract struct {
	Minutes   workflow.Minutes // the meeting and attendance; Paragraphs holds the one paragraph
	Paragraph workflow.Paragraph
}

// Extract finds paragraph n of a meeting's protokoll.
func (s *Store) Extract(ctx context.Context, meetingID int64, n int) (Extract, error) {
	return extractOf(ctx, s.r, meetingID, n)
}

func extractOf(ctx context.Context, q queryer, meetingID int64, n int) (Extract, error) {
	min, err := minutesOf(ctx, q, meetingID)
	if err != nil {
		return Extract{}, err
	}
	for _, p := range min.Paragraphs {
		if n > 0 && p.Number == n {
			min.Paragraphs = []workflow.Paragraph{p}
			return Extract{Minutes: min, Paragraph: p}, nil
		}
	}
	return Extract{}, notFound("%s finns inte i protokollet från %s", workflow.ParagraphLabel(n), min.Meeting.Title())
}
