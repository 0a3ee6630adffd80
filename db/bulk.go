package db

// The bulk path writes many cases and meetings, with their whole histories, in
// few large transactions, leaving every row as the normal path (CreateCase,
// Act, AddAttachment, Decide, Sign, Post, NoteLegalForce, the reminder scan)
// would have left it had those changes been made one by one at the times the
// history names. It exists to fill benchmark databases (bench/gen) quickly.
//
// What it writes is what the caller hands it, in the shapes the workflow
// package returns: the case as it ends up, and each change of its history as
// the workflow result that made it. From those it derives what the normal
// path derives: the case number (the next of its board's series for the year,
// without gaps), the event chain (sequence, previous hash, hash), the meeting
// of each route step, the agenda items, the paragraphs of decisions, the
// deadlines opened, moved and closed by each change and their reminders,
// including the ones the scan would have sent by BulkOptions.AsOf.
//
// Every table is written in one place below (a bulkTable and the function
// that fills its rows), so a migration that adds a column changes one line.
// Outbox rows are not written: mail of the past is taken as delivered and
// gone, so the service starts with an empty outbox.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// BulkOptions configure a BulkLoader.
type BulkOptions struct {
	// AsOf is the moment the histories run up to: reminders falling due by
	// then are written as sent (as the scan, running every minute, would have
	// sent them), later ones as planned. A change after AsOf is refused.
	AsOf time.Time
	// BatchCases is how many cases one transaction holds; 0 means 2000.
	BatchCases int
}

// BulkMeeting is a meeting as it stands at AsOf: its status and the times of
// its steps (NoticeSentAt, HeldAt, JustifiedAt; when posted, UpdatedAt is
// when the anslag was registered), and its attendance with the justerare's
// signatures. The agenda's fixed items are added as a new meeting gets them.
type BulkMeeting struct {
	Meeting   workflow.Meeting
	Attendees []workflow.Attendee // Member.ID set; SignedAt of each justerare who signed
}

// BulkCase is one case: Case as it stands after its last change, and its
// history, oldest first, starting with the change that created it. Case.ID is
// assigned by AddCase, and Case.Number too unless the case brings one (as an
// imported case does). Case.Version must equal the number of changes.
type BulkCase struct {
	Case    workflow.Case
	History []BulkChange
	files   map[string][]byte // attachment content by sha256, from Attach
}

// BulkChange is one change of a case: the event it records and, when Plan is
// set, the workflow deadlines the case has open after it (workflow.Result's
// Deadlines), which the store reconciles as every action does. Notes on the
// case (justering, anslag, laga kraft) leave the deadlines alone.
type BulkChange struct {
	Event     workflow.Event // CaseNumber, Seq, PrevHash and Hash are set by AddCase
	Plan      bool
	Deadlines []workflow.Deadline
	Decision  *BulkDecision // the paragraph this change records at a meeting, if any
	// legalForce is the meeting whose decision this laga-kraft note marks.
	legalForce int64
}

// BulkDecision is a decision taken at a meeting, as Store.Decide records it.
type BulkDecision struct {
	Meeting   workflow.Meeting
	Paragraph int // the § number in the body's series of the meeting's year; the caller keeps them without gaps
	Step      int // the route step the case was at
	Type      workflow.DecisionType
	Text      string
	NextDate  workflow.Date // bordläggning: the later meeting
	By        workflow.Person
}

// ChangeOf is the change a workflow result makes (an action, a new case, an edit).
func ChangeOf(res workflow.Result) BulkChange {
	return BulkChange{Event: res.Event, Plan: true, Deadlines: res.Deadlines}
}

// DecisionChange is the change workflow.DecideAtMeeting returned for c at m,
// recorded by the secretary by, with its paragraph. step is the route step c
// was at before the decision.
func DecisionChange(res workflow.Result, m workflow.Meeting, step int, d workflow.MeetingDecision, by workflow.Person) BulkChange {
	ch := ChangeOf(res)
	bd := &BulkDecision{Meeting: m, Paragraph: d.Paragraph, Step: step, Type: d.Type, Text: strings.TrimSpace(d.Text), By: by}
	if d.Type == workflow.DecisionTabled {
		bd.NextDate = d.NextDate
	}
	ch.Decision = bd
	return ch
}

// BulkJustering is the note Store.Sign writes on a case with paragraph § n in
// m's protokoll when the justerare signer (listed as adjuster) signs at at;
// justified is set for the last signature. It makes a new version of c.
func BulkJustering(c *workflow.Case, m workflow.Meeting, n int, signer workflow.Person, adjuster string, justified bool, at time.Time) BulkChange {
	return bulkNote(c, m, n, signer, at, "justering", map[string]any{"adjuster": adjuster, "justified": justified})
}

// BulkAnslag is the note Store.Post writes on a case with paragraph § n in
// m's protokoll when the secretary registers the anslag (m.PostedOn) at at.
func BulkAnslag(c *workflow.Case, m workflow.Meeting, n int, secretary workflow.Person, at time.Time) BulkChange {
	d := m.Dates()
	return bulkNote(c, m, n, secretary, at, "anslag", map[string]any{
		"posted_on": m.PostedOn.String(), "appeal_ends": d.AppealEnds.String(), "legal_force": d.LegalForce.String()})
}

// BulkLegalForce is the note the daily job (Store.NoteLegalForce) writes at
// at on a case whose decision § n at the posted meeting m has gained legal
// force; it also marks the decision as noted.
func BulkLegalForce(c *workflow.Case, m workflow.Meeting, n int, at time.Time) BulkChange {
	ch := bulkNote(c, m, n, System, at, "legal_force", map[string]any{"posted_on": m.PostedOn.String(),
		"appeal_ends": workflow.AppealEnds(m.PostedOn).String(), "legal_force": workflow.LegalForce(m.PostedOn).String()})
	ch.legalForce = m.ID
	return ch
}

// bulkNote is noteOnCase's event: the case's content stays, its version and
// time move on.
func bulkNote(c *workflow.Case, m workflow.Meeting, n int, actor workflow.Person, at time.Time, action string, extra map[string]any) BulkChange {
	payload := map[string]any{"meeting": m.ID, "body": m.Body.Code, "meeting_date": m.Date.String(), "paragraph": workflow.ParagraphLabel(n)}
	for k, v := range extra {
		payload[k] = v
	}
	c.Version++
	c.UpdatedAt = at
	return BulkChange{Event: workflow.Event{At: at, Actor: actor, Action: action, From: c.Stage, To: c.Stage, Payload: mustPayload(payload)}}
}

// BulkLoader writes cases and meetings through the bulk path. It holds the
// store's writer connection until Close, committing every BatchCases cases;
// nothing else should write to the database meanwhile. AddMeeting and AddCase
// are for one goroutine; Env and Attach may be called from another.
type BulkLoader struct {
	s    *Store
	ctx  context.Context
	opt  BulkOptions
	conn *sql.Conn
	tx   *sql.Tx
	// cacheSize is the connection's page cache before the load, restored by Close.
	cacheSize int64

	nextCase, nextDeadline, nextMeeting int64
	nextAttachment                      atomic.Int64

	series      map[[2]int64]int // (board id, year) -> last serial handed out
	paragraphs  map[[2]int64]int // (body id, year) -> highest paragraph written
	meetingAt   map[bulkMeetingKey]int64
	agendaPos   map[int64]int // meeting id -> last item position
	users       map[int64]bulkUser
	secretaries map[string][]workflow.Person // board code -> active secretaries, as staff lists them
	blobs       map[string]bool

	tables  []*bulkTable
	t       bulkTables
	inBatch int
	err     error // the first failure: the loader refuses further work
}

type bulkMeetingKey struct {
	body int64
	date workflow.Date
}

type bulkUser struct {
	email  string
	active bool
}

// NewBulkLoader starts a bulk load into s.
func (s *Store) NewBulkLoader(ctx context.Context, opt BulkOptions) (*BulkLoader, error) {
	if opt.AsOf.IsZero() {
		return nil, errors.New("bulk: AsOf is required")
	}
	if opt.BatchCases <= 0 {
		opt.BatchCases = 2000
	}
	opt.AsOf = opt.AsOf.UTC().Truncate(time.Microsecond)
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	b := &BulkLoader{s: s, ctx: ctx, opt: opt, conn: conn,
		series: map[[2]int64]int{}, paragraphs: map[[2]int64]int{}, meetingAt: map[bulkMeetingKey]int64{},
		agendaPos: map[int64]int{}, users: map[int64]bulkUser{}, secretaries: map[string][]workflow.Person{}, blobs: map[string]bool{}}
	b.t = newBulkTables()
	b.tables = b.t.all()
	if err := b.start(); err != nil {
		conn.Close()
		return nil, err
	}
	return b, nil
}

func (b *BulkLoader) start() error {
	ctx := b.ctx
	if err := b.conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&b.cacheSize); err != nil {
		return err
	}
	// Index pages touched at random (agenda, deadlines by person) stay in memory.
	if _, err := b.conn.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
		return err
	}
	for _, q := range []struct {
		dst   *int64
		query string
	}{
		{&b.nextCase, `SELECT COALESCE(MAX(id), 0) FROM cases`},
		{&b.nextDeadline, `SELECT COALESCE(MAX(id), 0) FROM deadlines`},
		{&b.nextMeeting, `SELECT COALESCE(MAX(id), 0) FROM meetings`},
	} {
		if err := b.conn.QueryRowContext(ctx, q.query).Scan(q.dst); err != nil {
			return err
		}
	}
	var att int64
	if err := b.conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM attachments`).Scan(&att); err != nil {
		return err
	}
	b.nextAttachment.Store(att)
	rows, err := b.conn.QueryContext(ctx, `SELECT id, email, active FROM users`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var u bulkUser
		if err := rows.Scan(&id, &u.email, &u.active); err != nil {
			rows.Close()
			return err
		}
		b.users[id] = u
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	codes, err := queryStrings(ctx, b.conn, `SELECT code FROM boards`)
	if err != nil {
		return err
	}
	for _, code := range codes {
		if b.secretaries[code], err = staff(ctx, b.conn, code, workflow.RoleSecretary); err != nil {
			return err
		}
	}
	return b.begin()
}

func (b *BulkLoader) begin() error {
	tx, err := b.conn.BeginTx(b.ctx, nil)
	if err != nil {
		return err
	}
	// Rows go in table by table, children possibly before their parents;
	// foreign keys are checked at commit instead (this resets after it).
	if _, err := tx.ExecContext(b.ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		tx.Rollback()
		return err
	}
	b.tx = tx
	return nil
}

// commit writes the buffered rows and the number series, and commits; on
// failure it rolls the batch back.
func (b *BulkLoader) commit() error {
	tx := b.tx
	b.tx = nil
	b.inBatch = 0
	if err := b.write(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (b *BulkLoader) write(tx *sql.Tx) error {
	for _, t := range b.tables {
		if err := t.flush(b.ctx, tx, true); err != nil {
			return err
		}
	}
	for k, last := range b.series {
		if _, err := tx.ExecContext(b.ctx, `INSERT INTO case_series(board_id, year, last) VALUES (?,?,?)
			ON CONFLICT(board_id, year) DO UPDATE SET last = MAX(last, excluded.last)`, k[0], k[1], last); err != nil {
			return err
		}
	}
	for k, last := range b.paragraphs {
		if _, err := tx.ExecContext(b.ctx, `INSERT INTO paragraph_series(body_id, year, last) VALUES (?,?,?)
			ON CONFLICT(body_id, year) DO UPDATE SET last = MAX(last, excluded.last)`, k[0], k[1], last); err != nil {
			return err
		}
	}
	return nil
}

// Close commits what is buffered and gives the writer connection back. After
// a failure it rolls the open batch back; earlier batches stay committed.
func (b *BulkLoader) Close() error {
	if b.conn == nil {
		return b.err
	}
	err := b.err
	if b.tx != nil {
		if err == nil {
			err = b.commit()
		} else {
			b.tx.Rollback()
		}
	}
	_, restore := b.conn.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA cache_size = %d`, b.cacheSize))
	err = errors.Join(err, restore, b.conn.Close())
	b.conn = nil
	return err
}

// Rows counts the rows written (or buffered) per table so far.
func (b *BulkLoader) Rows() map[string]int {
	out := map[string]int{}
	for _, t := range b.tables {
		out[t.name] = t.written + t.n
	}
	return out
}

// Env is the environment the store gives a workflow decision on a case of
// board at now, by actor: the board's secretaries and the store's policy.
func (b *BulkLoader) Env(board string, actor workflow.User, now time.Time) workflow.Env {
	return workflow.Env{Now: now.UTC().Truncate(time.Microsecond), Actor: actor, Secretaries: b.secretaries[board], Policy: b.s.Policy}
}

// Attach adds a file to c at at, as AddAttachment does: the attachment gets
// its id now, the case a new version, and its history the "attach" event.
func (b *BulkLoader) Attach(c *BulkCase, actor workflow.User, at time.Time, a NewAttachment) error {
	name := CleanFileName(a.Name)
	if name == "" {
		return workflow.Errorf(workflow.EINVALID, "Filen saknar namn")
	}
	env := b.Env(c.Case.Board.Code, actor, at)
	att := workflow.Attachment{ID: b.nextAttachment.Add(1), Name: name, ContentType: a.ContentType, Size: int64(len(a.Data)),
		HasContent: a.Data != nil, UploadedBy: actor.Person(), UploadedAt: env.Now}
	if a.Data != nil {
		h := sha256.Sum256(a.Data)
		att.SHA256 = hex.EncodeToString(h[:])
		if c.files == nil {
			c.files = map[string][]byte{}
		}
		c.files[att.SHA256] = a.Data
	}
	next := &c.Case
	next.Attachments = append(next.Attachments, att)
	next.Version++
	next.UpdatedAt = env.Now
	ev := workflow.Event{At: env.Now, Actor: actor.Person(), Action: "attach", From: next.Stage, To: next.Stage,
		Payload: mustPayload(map[string]any{"id": att.ID, "name": att.Name, "size": att.Size, "sha256": att.SHA256})}
	c.History = append(c.History, BulkChange{Event: ev, Plan: true, Deadlines: workflow.PlanDeadlines(next, env.Secretaries, env.Policy)})
	return nil
}

// fail keeps the first error; the loader does nothing more after it.
func (b *BulkLoader) fail(err error) error {
	if b.err == nil {
		b.err = err
	}
	return err
}

// AddMeeting writes a meeting with its fixed agenda items, attendance and
// the deadlines (kallelse, justering, anslag) its steps opened and closed,
// with their reminders. Meetings go in before the cases on them. A meeting
// keeps an ID it brings (a caller that needs the ids for its cases' history
// first, taking ids above those in the database); otherwise AddMeeting
// assigns the next.
func (b *BulkLoader) AddMeeting(bm *BulkMeeting) error {
	if b.err != nil {
		return b.err
	}
	m := &bm.Meeting
	key := bulkMeetingKey{m.Body.ID, m.Date}
	if _, dup := b.meetingAt[key]; dup {
		return b.fail(fmt.Errorf("bulk: %s has two meetings on %s", m.Body.Code, m.Date))
	}
	if m.ID == 0 {
		m.ID = b.nextMeeting + 1
	}
	b.nextMeeting = max(b.nextMeeting, m.ID)
	b.meetingAt[key] = m.ID
	b.writeMeeting(m)
	for i, kind := range fixedItems {
		b.writeAgendaItem(m.ID, i+1, kind, 0)
	}
	b.agendaPos[m.ID] = len(fixedItems)
	for i, a := range bm.Attendees {
		b.writeAttendee(m.ID, i+1, a)
	}
	book := b.newBook(0, m.ID)
	for _, st := range meetingSteps(bm, b.opt.AsOf) {
		book.change(workflow.MeetingKinds, workflow.MeetingDeadlines(st, b.secretaries[m.Body.Board], workflow.Today(st.UpdatedAt)), st.UpdatedAt)
	}
	book.finish(b.opt.AsOf)
	return b.flushIfFull()
}

// meetingSteps are the meeting as each of its steps left it, each with
// UpdatedAt the step's time: planned, kallelse, held, every signature, anslag,
// and the daily job's lapse of a kallelse never sent.
func meetingSteps(bm *BulkMeeting, asOf time.Time) []workflow.Meeting {
	final := bm.Meeting
	m := final
	m.Status, m.NoticeSentAt, m.HeldAt, m.JustifiedAt, m.PostedOn, m.Secretary = workflow.MeetingPlanned, nil, nil, nil, workflow.Date{}, workflow.Person{}
	m.UpdatedAt = final.CreatedAt
	out := []workflow.Meeting{m}
	step := func(at *time.Time, set func()) {
		if at == nil {
			return
		}
		set()
		m.UpdatedAt = *at
		out = append(out, m)
	}
	step(final.NoticeSentAt, func() { m.Status, m.NoticeSentAt = workflow.MeetingNoticeSent, final.NoticeSentAt })
	step(final.HeldAt, func() { m.Status, m.HeldAt, m.Secretary = workflow.MeetingHeld, final.HeldAt, final.Secretary })
	var signed []time.Time
	for _, a := range bm.Attendees {
		if a.SignedAt != nil {
			signed = append(signed, *a.SignedAt)
		}
	}
	slices.SortFunc(signed, time.Time.Compare)
	for _, at := range signed {
		step(&at, func() {
			if final.JustifiedAt != nil && at.Equal(*final.JustifiedAt) {
				m.Status, m.JustifiedAt = workflow.MeetingJustified, final.JustifiedAt
			}
		})
	}
	if final.Status == workflow.MeetingPosted {
		step(&final.UpdatedAt, func() { m.Status, m.PostedOn = workflow.MeetingPosted, final.PostedOn })
	}
	// LapseNotices runs at 06:15 each day: a meeting still planned once its
	// day has passed has no kallelse left to send.
	if final.Status == workflow.MeetingPlanned {
		if lapse := final.Date.AddDays(1).At(6, 15); !lapse.After(asOf) {
			step(&lapse, func() {})
		}
	}
	return out
}

// AddCase writes a case with its sections, attachments, history, decisions,
// agenda items, deadlines and reminders. It sets bc.Case.ID and, unless the
// case has one, bc.Case.Number.
func (b *BulkLoader) AddCase(bc *BulkCase) error {
	if b.err != nil {
		return b.err
	}
	c := &bc.Case
	switch {
	case len(bc.History) == 0 || bc.History[0].Event.Action != "create":
		return b.fail(errors.New("bulk: a case's history starts with its create event"))
	case c.Version != len(bc.History):
		return b.fail(fmt.Errorf("bulk: case %q is at version %d but has %d changes", c.Title, c.Version, len(bc.History)))
	case c.Board.ID == 0 || c.Officer.ID == 0:
		return b.fail(fmt.Errorf("bulk: case %q has no board or officer", c.Title))
	}
	for _, ch := range bc.History {
		if ch.Event.At.After(b.opt.AsOf) {
			return b.fail(fmt.Errorf("bulk: case %q has a change at %s, after AsOf", c.Title, ch.Event.At))
		}
	}
	year, serial, err := b.number(c)
	if err != nil {
		return b.fail(err)
	}
	b.nextCase++
	c.ID = b.nextCase
	for i := range c.Route {
		st := &c.Route[i]
		st.MeetingID = 0
		if st.Date.IsZero() {
			continue
		}
		id, err := b.meetingOf(st.Body, st.Date)
		if err != nil {
			return b.fail(err)
		}
		st.MeetingID = id
	}
	b.writeCase(c, year, serial)
	for i, p := range c.Proposals {
		b.t.proposals.add(c.ID, i, p)
	}
	for i, st := range c.Route {
		b.writeRouteStep(c.ID, i, st)
	}
	for i, a := range c.Approvers {
		b.t.approvers.add(c.ID, i, a.ID, a.Position, nullTime(a.SignedAt))
	}
	for i, r := range c.Recipients {
		b.t.recipients.add(c.ID, i, r.Name, r.Email)
	}
	for _, a := range c.Attachments {
		if data, ok := bc.files[a.SHA256]; ok && !b.blobs[a.SHA256] {
			b.blobs[a.SHA256] = true
			b.t.blobs.add(a.SHA256, data)
		}
		b.writeAttachment(c.ID, a)
	}
	if err := b.history(bc); err != nil {
		return b.fail(err)
	}
	b.inBatch++
	return b.flushIfFull()
}

// number assigns the next number of the board's series for the year the case
// was created, or moves the series past a number the case brings.
func (b *BulkLoader) number(c *workflow.Case) (year, serial int, err error) {
	if c.Number != "" {
		if _, year, serial, err = workflow.ParseNumber(c.Number); err != nil {
			return 0, 0, err
		}
	} else {
		year = workflow.Today(c.CreatedAt).Year
	}
	key := [2]int64{c.Board.ID, int64(year)}
	last, ok := b.series[key]
	if !ok {
		err := b.tx.QueryRowContext(b.ctx, `SELECT last FROM case_series WHERE board_id = ? AND year = ?`, key[0], key[1]).Scan(&last)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, 0, err
		}
	}
	if c.Number == "" {
		serial = last + 1
		c.Number = workflow.FormatNumber(c.Board.Code, year, serial)
	}
	b.series[key] = max(last, serial)
	return year, serial, nil
}

// meetingOf is the meeting of body on date, as linkMeetings finds it.
func (b *BulkLoader) meetingOf(body workflow.Body, date workflow.Date) (int64, error) {
	key := bulkMeetingKey{body.ID, date}
	if id, ok := b.meetingAt[key]; ok {
		return id, nil
	}
	var id int64
	err := b.tx.QueryRowContext(b.ctx, `SELECT id FROM meetings WHERE body_id = ? AND date = ?`, body.ID, date.String()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("bulk: %s has no meeting on %s; add it first", body.Code, date)
	}
	b.meetingAt[key] = id
	return id, err
}

// history writes the event chain, the decisions, the agenda items and the
// deadlines of a case.
func (b *BulkLoader) history(bc *BulkCase) error {
	c := &bc.Case
	book := b.newBook(c.ID, 0)
	prev := ""
	legalForce := map[int64]time.Time{}
	type decided struct {
		d   *BulkDecision
		at  time.Time
		seq int
	}
	var decisions []decided
	for i := range bc.History {
		ch := &bc.History[i]
		ev := &ch.Event
		ev.CaseNumber, ev.Seq, ev.PrevHash = c.Number, i+1, prev
		ev.Hash = ev.ComputeHash(prev)
		prev = ev.Hash
		b.writeEvent(c.ID, ev)
		if ch.Decision != nil {
			decisions = append(decisions, decided{ch.Decision, ev.At, ev.Seq})
		}
		if ch.legalForce != 0 {
			legalForce[ch.legalForce] = ev.At
		}
		if ch.Plan {
			book.change(workflow.PlannedKinds, ch.Deadlines, ev.At)
		}
	}
	book.finish(b.opt.AsOf)
	var agenda []int64
	for _, d := range decisions {
		m := d.d.Meeting
		key := [2]int64{m.Body.ID, int64(m.Date.Year)}
		if _, ok := b.paragraphs[key]; !ok {
			var last int
			err := b.tx.QueryRowContext(b.ctx, `SELECT last FROM paragraph_series WHERE body_id = ? AND year = ?`, key[0], key[1]).Scan(&last)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			b.paragraphs[key] = last
		}
		b.paragraphs[key] = max(b.paragraphs[key], d.d.Paragraph)
		var lf any
		if at, ok := legalForce[m.ID]; ok {
			lf = fmtTime(at)
		}
		b.writeDecision(c.ID, d.d, d.at, d.seq, lf)
		agenda = append(agenda, m.ID)
	}
	// syncAgenda: the meetings that handled the case keep it; the meeting
	// of its current step has it on the list.
	if st := c.CurrentStep(); st != nil && st.MeetingID != 0 {
		agenda = append(agenda, st.MeetingID)
	}
	seen := map[int64]bool{}
	for _, id := range agenda {
		if seen[id] {
			continue
		}
		seen[id] = true
		pos, ok := b.agendaPos[id]
		if !ok {
			if err := b.tx.QueryRowContext(b.ctx, `SELECT COALESCE(MAX(pos), 0) FROM agenda_items WHERE meeting_id = ?`, id).Scan(&pos); err != nil {
				return err
			}
		}
		b.agendaPos[id] = pos + 1
		b.writeAgendaItem(id, pos+1, ItemCase, c.ID)
	}
	return nil
}

func (b *BulkLoader) flushIfFull() error {
	for _, t := range b.tables {
		if err := t.flush(b.ctx, b.tx, false); err != nil {
			return b.fail(err)
		}
	}
	if b.inBatch < b.opt.BatchCases {
		return nil
	}
	if err := b.commit(); err != nil {
		return b.fail(err)
	}
	if err := b.begin(); err != nil {
		return b.fail(err)
	}
	return nil
}

// A deadline book follows the deadlines of one case or meeting through its
// changes as reconcileDeadlines, syncReminders and the reminder scan
// (SendDueReminders) would, and writes where they end up.
type bulkBook struct {
	b                 *BulkLoader
	caseID, meetingID int64
	all               []*bulkDeadline
}

type bulkDeadline struct {
	id          int64
	kind        workflow.DeadlineKind
	ref         string
	due         workflow.Date
	responsible int64
	state       workflow.DeadlineState
	createdAt   time.Time
	closedAt    *time.Time
	reminders   []*bulkReminder
}

type bulkReminder struct {
	workflow.Reminder
	sentAt  *time.Time
	channel string
}

func (b *BulkLoader) newBook(caseID, meetingID int64) *bulkBook {
	return &bulkBook{b: b, caseID: caseID, meetingID: meetingID}
}

func (d *bulkDeadline) plain() workflow.Deadline {
	return workflow.Deadline{ID: d.id, Kind: d.kind, Ref: d.ref, Due: d.due, State: d.state}
}

// change is one change at at: the scan has run until then, then the
// deadlines of kinds are reconciled with plan and the reminders synced.
func (k *bulkBook) change(kinds []workflow.DeadlineKind, plan []workflow.Deadline, at time.Time) {
	k.scan(at)
	existing := map[string]*bulkDeadline{}
	for _, d := range k.all {
		if d.state == workflow.DeadlineOpen && slices.Contains(kinds, d.kind) {
			existing[string(d.kind)+"/"+d.ref] = d
		}
	}
	for _, p := range plan {
		key := string(p.Kind) + "/" + p.Ref
		d, ok := existing[key]
		delete(existing, key)
		switch {
		case !ok:
			k.b.nextDeadline++
			k.all = append(k.all, &bulkDeadline{id: k.b.nextDeadline, kind: p.Kind, ref: p.Ref, due: p.Due,
				responsible: p.Responsible.ID, state: workflow.DeadlineOpen, createdAt: at})
		case d.due != p.Due || d.responsible != p.Responsible.ID:
			d.due, d.responsible = p.Due, p.Responsible.ID
		}
	}
	for _, d := range existing {
		t := at
		d.state, d.closedAt = workflow.DeadlineDone, &t
	}
	for _, d := range k.all {
		if d.state != workflow.DeadlineOpen {
			d.reminders = slices.DeleteFunc(d.reminders, func(r *bulkReminder) bool { return r.sentAt == nil })
			continue
		}
		d.reminders = slices.DeleteFunc(d.reminders, func(r *bulkReminder) bool {
			return r.sentAt == nil && workflow.DueFromSlot(r.Slot) != d.due
		})
		for _, r := range workflow.PlanReminders(d.plain(), at) {
			d.plan(r)
		}
	}
}

// plan adds a reminder unless its slot is there already, sent or not.
func (d *bulkDeadline) plan(r workflow.Reminder) {
	if !slices.ContainsFunc(d.reminders, func(o *bulkReminder) bool { return o.Slot == r.Slot }) {
		d.reminders = append(d.reminders, &bulkReminder{Reminder: r})
	}
}

// scan sends, oldest first, every unsent reminder of an open deadline due by
// until, at its own time, as the scan running every minute does; an overdue
// one plans the next of its series.
func (k *bulkBook) scan(until time.Time) {
	for {
		var due *bulkReminder
		var of *bulkDeadline
		for _, d := range k.all {
			if d.state != workflow.DeadlineOpen {
				continue
			}
			for _, r := range d.reminders {
				if r.sentAt == nil && !r.At.After(until) && (due == nil || r.At.Before(due.At)) {
					due, of = r, d
				}
			}
		}
		if due == nil {
			return
		}
		at := due.At.UTC()
		due.sentAt, due.channel = &at, "ui"
		if u := k.b.users[of.responsible]; u.active && u.email != "" {
			due.channel = "mail"
		}
		if due.Overdue() || due.Offset == 0 {
			if next, ok := workflow.NextOverdue(of.plain(), due.On, at); ok {
				of.plan(next)
			}
		}
	}
}

// finish runs the scan until AsOf and writes the deadlines and reminders.
func (k *bulkBook) finish(asOf time.Time) {
	k.scan(asOf)
	for _, d := range k.all {
		k.b.writeDeadline(k.caseID, k.meetingID, d)
		for _, r := range d.reminders {
			k.b.writeReminder(d.id, r)
		}
	}
}

// The tables the bulk path writes, each with its columns in one place.
type bulkTables struct {
	meetings, agenda, attendees, cases, proposals, route, approvers, recipients,
	blobs, attachments, events, decisions, deadlines, reminders *bulkTable
}

func newBulkTables() bulkTables {
	return bulkTables{
		meetings: newBulkTable("meetings", `id, body_id, date, start_time, end_time, place, status, sequence, notice_sent_at,
			held_at, justified_at, posted_on, secretary_id, created_at, updated_at`, ""),
		agenda:    newBulkTable("agenda_items", `meeting_id, pos, kind, case_id, title`, ""),
		attendees: newBulkTable("attendees", `meeting_id, member_id, pos, present, adjuster, signed_at`, ""),
		cases: newBulkTable("cases", `id, number, board_id, year, serial, title, summary, background, secret, stage, step,
			version, officer_id, closed_note, decision_type, decision_text, decided_at, decided_by, paragraph, dispatched_at,
			created_at, updated_at`, ""),
		proposals:   newBulkTable("case_proposals", `case_id, pos, text`, ""),
		route:       newBulkTable("route_steps", `case_id, pos, body_id, date, postponed, meeting_id`, ""),
		approvers:   newBulkTable("case_approvers", `case_id, pos, user_id, position, signed_at`, ""),
		recipients:  newBulkTable("case_recipients", `case_id, pos, name, email`, ""),
		blobs:       newBulkTable("blobs", `sha256, data`, "ON CONFLICT DO NOTHING"),
		attachments: newBulkTable("attachments", `id, case_id, name, content_type, size, sha256, uploaded_by, uploaded_at`, ""),
		events: newBulkTable("events", `case_id, seq, at, actor_id, actor_name, action, from_stage, to_stage, reason, payload,
			prev_hash, hash`, ""),
		decisions: newBulkTable("decisions", `meeting_id, body_id, year, paragraph, case_id, step, type, text, next_date,
			decided_by, decided_at, event_seq, legal_force_at`, ""),
		deadlines: newBulkTable("deadlines", `id, case_id, meeting_id, kind, ref, due, responsible_id, note, state, created_by,
			created_at, closed_at, closed_by`, ""),
		reminders: newBulkTable("reminders", `deadline_id, slot, on_date, remind_at, offset_days, copy_manager, sent_at, channel`, ""),
	}
}

// all lists the tables in the order they are flushed: parents first.
func (t bulkTables) all() []*bulkTable {
	return []*bulkTable{t.meetings, t.cases, t.agenda, t.attendees, t.proposals, t.route, t.approvers, t.recipients,
		t.blobs, t.attachments, t.events, t.decisions, t.deadlines, t.reminders}
}

func (b *BulkLoader) writeMeeting(m *workflow.Meeting) {
	var secretary, posted any
	if m.Secretary.ID != 0 {
		secretary = m.Secretary.ID
	}
	if !m.PostedOn.IsZero() {
		posted = m.PostedOn.String()
	}
	b.t.meetings.add(m.ID, m.Body.ID, m.Date.String(), m.Start, m.End, m.Place, m.Status, m.Sequence, nullTime(m.NoticeSentAt),
		nullTime(m.HeldAt), nullTime(m.JustifiedAt), posted, secretary, fmtTime(m.CreatedAt), fmtTime(m.UpdatedAt))
}

func (b *BulkLoader) writeAgendaItem(meetingID int64, pos int, kind string, caseID int64) {
	var c any
	if caseID != 0 {
		c = caseID
	}
	b.t.agenda.add(meetingID, pos, kind, c, "")
}

func (b *BulkLoader) writeAttendee(meetingID int64, pos int, a workflow.Attendee) {
	b.t.attendees.add(meetingID, a.Member.ID, pos, a.Present, a.Adjuster, nullTime(a.SignedAt))
}

// writeCase is the case row as insertCase and the last saveCase leave it.
func (b *BulkLoader) writeCase(c *workflow.Case, year, serial int) {
	var dType, dText, dAt, dBy, dispatched any
	paragraph := ""
	if d := c.Decision; d != nil {
		dType, dText, dAt, dispatched = string(d.Type), d.Text, fmtTime(d.DecidedAt), nullTime(d.DispatchedAt)
		if d.DecidedBy.ID != 0 {
			dBy = d.DecidedBy.ID
		}
		paragraph = d.Paragraph
	}
	b.t.cases.add(c.ID, c.Number, c.Board.ID, year, serial, c.Title, c.Summary, c.Background, c.Secret, c.Stage, c.Step,
		c.Version, c.Officer.ID, c.ClosedNote, dType, dText, dAt, dBy, paragraph, dispatched, fmtTime(c.CreatedAt), fmtTime(c.UpdatedAt))
}

func (b *BulkLoader) writeRouteStep(caseID int64, pos int, st workflow.RouteStep) {
	postponed, _ := json.Marshal(dateStrings(st.Postponed))
	var meeting any
	if st.MeetingID != 0 {
		meeting = st.MeetingID
	}
	b.t.route.add(caseID, pos, st.Body.ID, st.Date.String(), string(postponed), meeting)
}

func (b *BulkLoader) writeAttachment(caseID int64, a workflow.Attachment) {
	var sum any
	if a.SHA256 != "" {
		sum = a.SHA256
	}
	b.t.attachments.add(a.ID, caseID, a.Name, a.ContentType, a.Size, sum, a.UploadedBy.ID, fmtTime(a.UploadedAt))
}

func (b *BulkLoader) writeEvent(caseID int64, ev *workflow.Event) {
	var payload any
	if len(ev.Payload) > 0 {
		payload = string(ev.Payload)
	}
	b.t.events.add(caseID, ev.Seq, fmtTime(ev.At), ev.Actor.ID, ev.Actor.Name, ev.Action, ev.From, ev.To, ev.Reason, payload,
		ev.PrevHash, ev.Hash)
}

func (b *BulkLoader) writeDecision(caseID int64, d *BulkDecision, at time.Time, seq int, legalForce any) {
	m := d.Meeting
	b.t.decisions.add(m.ID, m.Body.ID, m.Date.Year, d.Paragraph, caseID, d.Step, d.Type, d.Text, d.NextDate.String(),
		d.By.ID, fmtTime(at), seq, legalForce)
}

func (b *BulkLoader) writeDeadline(caseID, meetingID int64, d *bulkDeadline) {
	var owner, meeting, responsible any
	if caseID != 0 {
		owner = caseID
	}
	if meetingID != 0 {
		meeting = meetingID
	}
	if d.responsible != 0 {
		responsible = d.responsible
	}
	b.t.deadlines.add(d.id, owner, meeting, d.kind, d.ref, d.due.String(), responsible, "", d.state, nil,
		fmtTime(d.createdAt), nullTime(d.closedAt), nil)
}

func (b *BulkLoader) writeReminder(deadlineID int64, r *bulkReminder) {
	b.t.reminders.add(deadlineID, r.Slot, r.On.String(), fmtTime(r.At), r.Offset, r.CopyManager, nullTime(r.sentAt), r.channel)
}

// bulkTable buffers rows of one table and inserts them many to a statement.
type bulkTable struct {
	name, cols, suffix string
	width              int    // columns
	perStmt            int    // rows per full statement
	full               string // the statement of perStmt rows
	vals               []any
	n                  int // rows buffered
	written            int
}

func newBulkTable(name, cols, suffix string) *bulkTable {
	cols = strings.Join(strings.Fields(cols), " ")
	width := len(strings.Split(cols, ","))
	// SQLite takes at most 32,766 parameters to a statement.
	t := &bulkTable{name: name, cols: cols, suffix: suffix, width: width, perStmt: min(256, 32000/width)}
	t.full = t.insert(t.perStmt)
	return t
}

// insert is the statement inserting rows rows.
func (t *bulkTable) insert(rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", t.width), ",") + ")"
	return "INSERT INTO " + t.name + "(" + t.cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+",", rows), ",") + " " + t.suffix
}

func (t *bulkTable) add(vals ...any) {
	if len(vals) != t.width {
		panic(fmt.Sprintf("bulk: %d values for the %d columns of %s", len(vals), t.width, t.name))
	}
	t.vals = append(t.vals, vals...)
	t.n++
}

// flush inserts the buffered rows in full statements, and the remainder too
// when all is set.
func (t *bulkTable) flush(ctx context.Context, tx *sql.Tx, all bool) error {
	for t.n >= t.perStmt || (all && t.n > 0) {
		rows := min(t.n, t.perStmt)
		query := t.full
		if rows < t.perStmt {
			query = t.insert(rows)
		}
		if _, err := tx.ExecContext(ctx, query, t.vals[:rows*t.width]...); err != nil {
			return fmt.Errorf("bulk: %s: %w", t.name, err)
		}
		t.vals = append(t.vals[:0], t.vals[rows*t.width:]...)
		t.n -= rows
		t.written += rows
	}
	return nil
}
