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
// Every table is written in one place (bulk_tables.go: its columns and the
// function that fills its rows), so a migration that adds a column changes
// one line there. How deadlines and reminders follow a history is in
// bulk_deadlines.go.
// Outbox rows are not written: mail of the past is taken as delivered and
// gone, so the service starts with an empty outbox. Nor are the search
// index's rows: a load marks the index stale, and Reindex (or the next Open)
// builds it from the cases. Nor is the time a meeting's agenda last lost an
// item (meetings.agenda_changed_at, which only OParl's modified reads): the
// bulk path is handed each case as it ends up, not the agenda changes on
// the way, so a loaded meeting counts as modified by its cases alone.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
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
// assigned by Prepare, and Case.Number too unless the case brings one (as an
// imported case does). Case.Version must equal the number of changes.
type BulkCase struct {
	Case    workflow.Case
	History []BulkChange
	files   map[string][]byte // attachment content by sha256, from Attach
	texts   map[int]*string   // attachment text by index in Case.Attachments, from Attach
	rows    *bulkRows         // from Prepare
}

// BulkChange is one change of a case: the event it records and, when Plan is
// set, the workflow deadlines the case has open after it (workflow.Result's
// Deadlines), which the store reconciles as every action does. Notes on the
// case (justering, anslag, laga kraft) leave the deadlines alone.
type BulkChange struct {
	Event     workflow.Event // CaseNumber, Seq, PrevHash and Hash are set by Prepare
	Plan      bool
	Deadlines []workflow.Deadline
	Decision  *BulkDecision // the paragraph this change records at a meeting, if any
	// legalForce is the meeting whose decision this laga-kraft note marks.
	legalForce int64
	// attach is the attachment (index+1 in Case.Attachments) an "attach"
	// event records; its id, and so the event's payload, come in Prepare.
	attach int
}

// BulkDecision is a decision taken at a meeting, as Store.Decide records it.
type BulkDecision struct {
	Meeting workflow.Meeting
	// Paragraph is the § number in the body's series of the meeting's year,
	// which the caller keeps without gaps; 0 at a body that keeps no
	// protokoll (the presidium).
	Paragraph int
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
	if !m.Body.Kind.KeepsMinutes() {
		d.Paragraph = 0
	}
	bd := &BulkDecision{Meeting: m, Paragraph: d.Paragraph, Step: step, Type: d.Type, Text: strings.TrimSpace(d.Text), By: by}
	if d.Type == workflow.DecisionTabled {
		bd.NextDate = d.NextDate
	}
	ch.Decision = bd
	return ch
}

// BulkJustering is the note Store.Sign writes on a case with paragraph § n in
// m's protokoll (n is 0 for a handling at a body without protokoll) when the
// justerare signer (listed as adjuster) signs at at; justified is set for the
// last signature. It makes a new version of c.
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
	payload := map[string]any{"meeting": m.ID, "body": m.Body.Code, "meeting_date": m.Date.String()}
	if n > 0 { // a body without a protokoll gives none
		payload["paragraph"] = workflow.ParagraphLabel(n)
	}
	for k, v := range extra {
		payload[k] = v
	}
	c.Version++
	c.UpdatedAt = at
	return BulkChange{Event: workflow.Event{At: at, Actor: actor, Action: action, From: c.Stage, To: c.Stage, Payload: mustPayload(payload)}}
}

// BulkLoader writes cases and meetings through the bulk path. It holds the
// store's writer connection until Close, committing every BatchCases cases;
// nothing else should write to the database meanwhile.
//
// AddMeeting, AddCase and Close are for one goroutine. Prepare, which does
// the work of a case that needs no database (numbering, hashing, deadlines,
// reminders, the rows themselves), may run in another, so that preparing and
// writing overlap; Env and Attach may be called from any goroutine.
type BulkLoader struct {
	s    *Store
	ctx  context.Context
	opt  BulkOptions
	conn *sql.Conn
	tx   *sql.Tx
	// cacheSize is the connection's page cache before the load, restored by Close.
	cacheSize int64

	// mu guards what Prepare and AddMeeting decide and commit writes back.
	mu                          sync.Mutex
	nextCase, nextDeadline      int64
	nextMeeting, nextAttachment int64
	series                      map[[2]int64]int // (board id, year) -> last serial handed out
	paragraphs                  map[[2]int64]int // (body id, year) -> highest paragraph written
	meetingAt                   map[bulkMeetingKey]int64
	agendaPos                   map[int64]int // meeting id -> last item position
	blobs                       map[string]bool
	// Read-only after start.
	users       map[int64]bulkUser
	secretaries map[string][]workflow.Person // board code -> active secretaries, as staff lists them

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
	// The bulk path writes no search index rows: the index is stale from
	// here on, and the next Open (or Reindex) builds it.
	var indexed int
	if err := b.conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'search_index'`).Scan(&indexed); err != nil {
		return err
	}
	if indexed > 0 {
		if _, err := b.conn.ExecContext(ctx, `UPDATE search_index SET version = 0`); err != nil {
			return err
		}
	}
	if err := b.conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&b.cacheSize); err != nil {
		return err
	}
	// Index pages touched at random (the case list's many indexes, agenda,
	// deadlines by person) stay in memory: a 1 GiB page cache. Foreign keys
	// are not looked up row by row (the twin test and bench/fill's test check
	// them with foreign_key_check); Close turns them on again, as the store's
	// DSN has them.
	for _, q := range []string{`PRAGMA cache_size = -1048576`, `PRAGMA foreign_keys = OFF`} {
		if _, err := b.conn.ExecContext(ctx, q); err != nil {
			return err
		}
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
	if err := b.conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM attachments`).Scan(&b.nextAttachment); err != nil {
		return err
	}
	// What numbering and the agenda go on from, read once: Prepare works
	// without the database.
	for _, q := range []struct {
		query string
		keep  func(a, b, c int64)
	}{
		{`SELECT board_id, year, last FROM case_series`, func(a, y, n int64) { b.series[[2]int64{a, y}] = int(n) }},
		{`SELECT body_id, year, last FROM paragraph_series`, func(a, y, n int64) { b.paragraphs[[2]int64{a, y}] = int(n) }},
		{`SELECT meeting_id, 0, MAX(pos) FROM agenda_items GROUP BY meeting_id`, func(m, _, n int64) { b.agendaPos[m] = int(n) }},
	} {
		if err := scanTriples(ctx, b.conn, q.query, q.keep); err != nil {
			return err
		}
	}
	rows, err := b.conn.QueryContext(ctx, `SELECT id, body_id, date FROM meetings`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, body int64
		var date string
		if err := rows.Scan(&id, &body, &date); err != nil {
			rows.Close()
			return err
		}
		b.meetingAt[bulkMeetingKey{body, parseDate(date)}] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = b.conn.QueryContext(ctx, `SELECT id, email, active FROM users`)
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

// scanTriples runs a query of three integer columns and hands each row to keep.
func scanTriples(ctx context.Context, q queryer, query string, keep func(a, b, c int64)) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b, c int64
		if err := rows.Scan(&a, &b, &c); err != nil {
			return err
		}
		keep(a, b, c)
	}
	return rows.Err()
}

func (b *BulkLoader) begin() error {
	tx, err := b.conn.BeginTx(b.ctx, nil)
	if err != nil {
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
	if err := bumpContentVersion(b.ctx, tx); err != nil {
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
	b.mu.Lock()
	defer b.mu.Unlock()
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
	_, restore := b.conn.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA cache_size = %d; PRAGMA foreign_keys = ON`, b.cacheSize))
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

// Attach adds a file to c at at, as AddAttachment does: its text is read
// for the search index (a PDF through pdftotext), the case gets a new version
// and its history the "attach" event; the attachment's id, which the event
// names, is given in Prepare, in order.
func (b *BulkLoader) Attach(c *BulkCase, actor workflow.User, at time.Time, a NewAttachment) error {
	name := CleanFileName(a.Name)
	if name == "" {
		return workflow.Errorf(workflow.EINVALID, "Filen saknar namn")
	}
	env := b.Env(c.Case.Board.Code, actor, at)
	att := workflow.Attachment{Name: name, ContentType: a.ContentType, Size: int64(len(a.Data)),
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
	if c.texts == nil {
		c.texts = map[int]*string{}
	}
	c.texts[len(next.Attachments)] = b.s.documentText(b.ctx, name, a)
	next.Attachments = append(next.Attachments, att)
	next.Version++
	next.UpdatedAt = env.Now
	ev := workflow.Event{At: env.Now, Actor: actor.Person(), Action: "attach", From: next.Stage, To: next.Stage}
	c.History = append(c.History, BulkChange{Event: ev, Plan: true, Deadlines: workflow.PlanDeadlines(next, env.Secretaries, env.Policy),
		attach: len(next.Attachments)})
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
	rows, err := b.prepareMeeting(bm)
	if err != nil {
		return b.fail(err)
	}
	rows.apply()
	return b.flushIfFull()
}

func (b *BulkLoader) prepareMeeting(bm *BulkMeeting) (*bulkRows, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m := &bm.Meeting
	key := bulkMeetingKey{m.Body.ID, m.Date}
	if _, dup := b.meetingAt[key]; dup {
		return nil, fmt.Errorf("bulk: %s has two meetings on %s", m.Body.Code, m.Date)
	}
	if m.ID == 0 {
		m.ID = b.nextMeeting + 1
	}
	b.nextMeeting = max(b.nextMeeting, m.ID)
	b.meetingAt[key] = m.ID
	rows := &bulkRows{}
	b.writeMeeting(rows, m)
	for i, kind := range fixedItems {
		b.writeAgendaItem(rows, m.ID, i+1, kind, 0)
	}
	b.agendaPos[m.ID] = len(fixedItems)
	for i, a := range bm.Attendees {
		b.writeAttendee(rows, m.ID, i+1, a)
	}
	book := b.newBook(0, m.ID)
	for _, st := range meetingSteps(bm, b.opt.AsOf) {
		book.change(workflow.MeetingKinds, workflow.MeetingDeadlines(st, b.secretaries[m.Body.Board], workflow.Today(st.UpdatedAt)), st.UpdatedAt)
	}
	book.finish(b.opt.AsOf, rows)
	return rows, nil
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
// agenda items, deadlines and reminders, preparing it first unless Prepare
// has. It sets bc.Case.ID and, unless the case has one, bc.Case.Number.
func (b *BulkLoader) AddCase(bc *BulkCase) error {
	if b.err != nil {
		return b.err
	}
	if bc.rows == nil {
		if err := b.Prepare(bc); err != nil {
			return b.fail(err)
		}
	}
	bc.rows.apply()
	bc.rows = nil
	b.inBatch++
	return b.flushIfFull()
}

// Prepare works out the rows of a case without writing them: its id and
// number (so cases are numbered in the order they are prepared), the event
// chain, the deadlines and reminders. AddCase writes them.
func (b *BulkLoader) Prepare(bc *BulkCase) error {
	c := &bc.Case
	switch {
	case len(bc.History) == 0 || bc.History[0].Event.Action != "create":
		return errors.New("bulk: a case's history starts with its create event")
	case c.Version != len(bc.History):
		return fmt.Errorf("bulk: case %q is at version %d but has %d changes", c.Title, c.Version, len(bc.History))
	case c.Board.ID == 0 || c.Officer.ID == 0:
		return fmt.Errorf("bulk: case %q has no board or officer", c.Title)
	}
	for _, ch := range bc.History {
		if ch.Event.At.After(b.opt.AsOf) {
			return fmt.Errorf("bulk: case %q has a change at %s, after AsOf", c.Title, ch.Event.At)
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	year, serial, err := b.number(c)
	if err != nil {
		return err
	}
	b.nextCase++
	c.ID = b.nextCase
	for i := range c.Route {
		st := &c.Route[i]
		st.MeetingID = 0
		if st.Date.IsZero() {
			continue
		}
		id, ok := b.meetingAt[bulkMeetingKey{st.Body.ID, st.Date}]
		if !ok {
			return fmt.Errorf("bulk: %s has no meeting on %s; add it first", st.Body.Code, st.Date)
		}
		st.MeetingID = id
	}
	rows := &bulkRows{}
	b.writeCase(rows, c, year, serial)
	for i, p := range c.Proposals {
		b.writeProposal(rows, c.ID, i, p)
	}
	for i, st := range c.Route {
		b.writeRouteStep(rows, c.ID, i, st)
	}
	for i, a := range c.Approvers {
		b.writeApprover(rows, c.ID, i, a)
	}
	for i, r := range c.Recipients {
		b.writeRecipient(rows, c.ID, i, r)
	}
	for i := range c.Attachments {
		a := &c.Attachments[i]
		if a.ID == 0 {
			b.nextAttachment++
			a.ID = b.nextAttachment
		}
		if data, ok := bc.files[a.SHA256]; ok && !b.blobs[a.SHA256] {
			b.blobs[a.SHA256] = true
			b.writeBlob(rows, a.SHA256, data)
		}
		b.writeAttachment(rows, c.ID, *a, bc.texts[i])
	}
	b.history(bc, rows)
	bc.rows = rows
	return nil
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
	last := b.series[key]
	if c.Number == "" {
		serial = last + 1
		c.Number = workflow.FormatNumber(c.Board.Code, year, serial)
	}
	b.series[key] = max(last, serial)
	return year, serial, nil
}

// history works out the event chain, the decisions, the agenda items and the
// deadlines of a case.
func (b *BulkLoader) history(bc *BulkCase, rows *bulkRows) {
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
		if ch.attach > 0 {
			a := c.Attachments[ch.attach-1]
			ev.Payload = mustPayload(map[string]any{"id": a.ID, "name": a.Name, "size": a.Size, "sha256": a.SHA256})
		}
		ev.CaseNumber, ev.Seq, ev.PrevHash = c.Number, i+1, prev
		ev.Hash = ev.ComputeHash(prev)
		prev = ev.Hash
		b.writeEvent(rows, c.ID, ev)
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
	book.finish(b.opt.AsOf, rows)
	var agenda []int64
	for _, d := range decisions {
		m := d.d.Meeting
		if d.d.Paragraph > 0 {
			key := [2]int64{m.Body.ID, int64(m.Date.Year)}
			b.paragraphs[key] = max(b.paragraphs[key], d.d.Paragraph)
		}
		var lf any
		if at, ok := legalForce[m.ID]; ok {
			lf = fmtTime(at)
		}
		b.writeDecision(rows, c.ID, d.d, d.at, d.seq, lf)
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
		b.agendaPos[id]++
		b.writeAgendaItem(rows, id, b.agendaPos[id], ItemCase, c.ID)
	}
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
