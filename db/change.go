package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/observe"
	"github.com/kommun/beslutsgang/workflow"
)

// CreateCase registers a new case from in, on behalf of actor, with
// in.Documents as its first attachments (see CaseInput.Documents). Errors:
// EINVALID with field errors for what the case cannot be registered with,
// ETOOLARGE for a document over MaxAttachmentSize; nothing is written then.
func (s *Store) CreateCase(ctx context.Context, in CaseInput, actor workflow.User) (workflow.Case, error) {
	return s.createCase(ctx, in, actor, false)
}

// ImportCase registers a case carried over from elsewhere: it keeps its number
// and its meeting dates, even past ones.
func (s *Store) ImportCase(ctx context.Context, in CaseInput, actor workflow.User) (workflow.Case, error) {
	return s.createCase(ctx, in, actor, true)
}

func (s *Store) createCase(ctx context.Context, in CaseInput, actor workflow.User, imported bool) (c workflow.Case, err error) {
	defer s.heard("create", &err)
	return s.createCaseWith(ctx, in, actor, imported, nil)
}

// heard tells Actions, if set, of action and how it ended (*err); a change
// defers it.
func (s *Store) heard(action string, err *error) {
	if s.Actions != nil {
		s.Actions(action, *err)
	}
}

// createCaseWith registers a case with its Documents; consume, if not nil,
// runs in the same transaction once the case has its number (it marks the
// upload the case is made from, or the form's submission, as used), so that
// its error, or the case's, undoes both.
func (s *Store) createCaseWith(ctx context.Context, in CaseInput, actor workflow.User, imported bool,
	consume func(tx *sql.Tx, c workflow.Case) error) (workflow.Case, error) {
	docs, err := checkDocuments(in.Documents)
	if err != nil {
		return workflow.Case{}, err
	}
	// The documents' text is read before the write transaction, as
	// AddAttachment does: pdftotext may take seconds.
	texts := make([]*string, len(docs))
	for i, d := range docs {
		texts[i] = s.documentText(ctx, d.Name, d)
	}
	var out workflow.Case
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = s.newCase(ctx, tx, in, actor, imported, ""); err != nil {
			return err
		}
		if consume != nil {
			if err := consume(tx, out); err != nil {
				return err
			}
		}
		return s.attachDocuments(ctx, tx, &out, actor, docs, texts)
	})
	return out, err
}

// checkDocuments cleans the documents' names and refuses a document without
// a name or over MaxAttachmentSize, before anything is written.
func checkDocuments(docs []NewAttachment) ([]NewAttachment, error) {
	out := make([]NewAttachment, len(docs))
	for i, d := range docs {
		d.Name = CleanFileName(d.Name)
		if d.Name == "" {
			return nil, workflow.Errorf(workflow.EINVALID, "Bilaga %d saknar namn", i+1)
		}
		if int64(len(d.Data)) > MaxAttachmentSize {
			return nil, workflow.Errorf(workflow.ETOOLARGE, "Filen %s är större än %d MB", d.Name, MaxAttachmentSize>>20)
		}
		out[i] = d
	}
	return out, nil
}

// attachDocuments attaches docs (names already clean) to the case c has just
// become, in order, inside its creating transaction: each is an "attach"
// change of its own, as AddAttachment records it (a new version, the event
// with the file's size and sha256), so the history says which file the case
// was registered from. texts[i] is the text of docs[i] for the search index.
func (s *Store) attachDocuments(ctx context.Context, tx *sql.Tx, c *workflow.Case, actor workflow.User, docs []NewAttachment, texts []*string) error {
	if len(docs) == 0 {
		return nil
	}
	env, err := s.env(ctx, tx, c.Board.Code, actor)
	if err != nil {
		return err
	}
	for i, d := range docs {
		att, err := insertAttachment(ctx, tx, c.ID, actor, d.Name, d, texts[i], env)
		if err != nil {
			return err
		}
		next := c.Clone()
		next.Attachments = append(next.Attachments, att)
		next.Version++
		next.UpdatedAt = env.Now
		if err := saveCase(ctx, tx, &next, c); err != nil {
			return err
		}
		ev := workflow.Event{CaseNumber: c.Number, At: env.Now, Actor: actor.Person(), Action: "attach",
			From: c.Stage, To: c.Stage, Payload: mustPayload(map[string]any{"id": att.ID, "name": att.Name, "size": att.Size, "sha256": att.SHA256})}
		res := workflow.Result{Case: next, Event: ev, Deadlines: workflow.PlanDeadlines(&next, env.Secretaries, env.Policy)}
		record := s.recordWithoutIndex
		if i == len(docs)-1 {
			record = s.record // the index reads every attachment's text once, at the end
		}
		if err := record(ctx, tx, &res); err != nil {
			return err
		}
		*c = res.Case
	}
	return nil
}

// newCase registers a case inside tx, so another change (a recurring
// assignment's run) can commit together with it; origin, when set, is the
// create event's reason: what made the case when no person did.
func (s *Store) newCase(ctx context.Context, tx *sql.Tx, in CaseInput, actor workflow.User, imported bool, origin string) (workflow.Case, error) {
	draft, p := resolve(ctx, tx, in, actor, s.now())
	if draft.Board.ID == 0 { // the rest of the draft is still checked, so every problem shows at once
		return workflow.Case{}, append(p, workflow.CheckDraft(draft, workflow.Env{Now: s.now(), Actor: actor}, imported)...).Err()
	}
	env, err := s.env(ctx, tx, draft.Board.Code, actor)
	if err != nil {
		return workflow.Case{}, err
	}
	res, err := workflow.NewCase(draft, env, imported)
	if err != nil {
		return workflow.Case{}, mergeProblems(p, err)
	}
	if err := p.Err(); err != nil {
		return workflow.Case{}, err
	}
	if err := insertCase(ctx, tx, &res.Case); err != nil {
		return workflow.Case{}, err
	}
	res.Event.CaseNumber, res.Event.Reason = res.Case.Number, origin
	for i := range res.Deadlines {
		res.Deadlines[i].CaseNumber = res.Case.Number
	}
	if err := s.record(ctx, tx, &res); err != nil {
		return workflow.Case{}, err
	}
	return res.Case, nil
}

// EditDraft replaces the content of a draft case; version is the one the edit was made on.
func (s *Store) EditDraft(ctx context.Context, number string, version int, in CaseInput, actor workflow.User) (c workflow.Case, err error) {
	defer s.heard("update", &err)
	return s.changeOwn(ctx, number, actor, func(tx *sql.Tx, c workflow.Case, env workflow.Env) (workflow.Result, error) {
		in.Board = c.Board.Code
		in.Number = ""
		draft, p := resolve(ctx, tx, in, actor, s.now())
		if in.Officer == "" {
			draft.Officer = workflow.User{} // keep the case's officer
		}
		res, err := workflow.EditDraft(c, version, draft, env)
		if err != nil {
			return res, mergeProblems(p, err)
		}
		return res, p.Err()
	})
}

// Act takes one workflow action on a case.
func (s *Store) Act(ctx context.Context, number string, actor workflow.User, cmd workflow.Command) (c workflow.Case, err error) {
	defer s.heard(string(cmd.Action), &err)
	return s.changeOwn(ctx, number, actor, func(tx *sql.Tx, c workflow.Case, env workflow.Env) (workflow.Result, error) {
		if cmd.Action == workflow.ActPostpone {
			if err := withMeetingDays(ctx, tx, &c, &env); err != nil {
				return workflow.Result{}, err
			}
		}
		return workflow.Apply(c, cmd, env)
	})
}

// change loads a case in a write transaction, lets fn decide, and records the
// result: case, event, deadlines and mail commit together or not at all.
func (s *Store) change(ctx context.Context, number string, actor workflow.User, fn decideFunc) (workflow.Case, error) {
	return s.changeCase(ctx, number, actor, fn, false)
}

// changeOwn is change for an fn that writes no rows of its own: all it
// changes is the case (a workflow action, a draft's edit), so the search
// index is rewritten only when the case's own text changed
// (sameSearchText).
func (s *Store) changeOwn(ctx context.Context, number string, actor workflow.User, fn decideFunc) (workflow.Case, error) {
	return s.changeCase(ctx, number, actor, fn, true)
}

func (s *Store) changeCase(ctx context.Context, number string, actor workflow.User, fn decideFunc, own bool) (workflow.Case, error) {
	var out workflow.Case
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := s.changeIn(ctx, tx, number, actor, own, fn)
		out = res.Case
		if err == nil && res.Unchanged {
			// Nothing written: undone, so the content version (and with
			// it every cached page) stays.
			return errUnchanged
		}
		return err
	})
	if errors.Is(err, errUnchanged) {
		err = nil
	}
	return out, err
}

// errUnchanged undoes the transaction of a change that left the case as it
// was (workflow.Result.Unchanged); its caller gets the case and no error.
var errUnchanged = errors.New("unchanged")

// decideFunc turns a case, as loaded in the change's transaction, into what changes.
type decideFunc func(tx *sql.Tx, c workflow.Case, env workflow.Env) (workflow.Result, error)

// changeIn is change inside a transaction the caller holds, for changes that
// write more rows of their own around it (a decision at a meeting); own is
// as for changeOwn.
func (s *Store) changeIn(ctx context.Context, tx *sql.Tx, number string, actor workflow.User, own bool, fn decideFunc) (workflow.Result, error) {
	c, err := loadCase(ctx, tx, number)
	if err != nil {
		return workflow.Result{}, err
	}
	env, err := s.env(ctx, tx, c.Board.Code, actor)
	if err != nil {
		return workflow.Result{}, err
	}
	before := c.Clone() // fn may change c's sections in place; saveCase compares against this
	res, err := fn(tx, c, env)
	if err != nil {
		return workflow.Result{}, err
	}
	if res.Unchanged {
		return res, nil
	}
	if err := saveCase(ctx, tx, &res.Case, &before); err != nil {
		return workflow.Result{}, err
	}
	if own && sameSearchText(&before, &res.Case) {
		return res, s.recordWithoutIndex(ctx, tx, &res)
	}
	return res, s.record(ctx, tx, &res)
}

func (s *Store) env(ctx context.Context, q queryer, board string, actor workflow.User) (workflow.Env, error) {
	secretaries, err := staff(ctx, q, board, workflow.RoleSecretary)
	return workflow.Env{Now: s.now(), Actor: actor, Secretaries: secretaries, Policy: s.Policy}, err
}

// record appends the result's event and brings deadlines, the search index
// and the outbox in line with it.
func (s *Store) record(ctx context.Context, tx *sql.Tx, res *workflow.Result) error {
	if err := s.recordWithoutIndex(ctx, tx, res); err != nil {
		return err
	}
	return s.indexCase(ctx, tx, res.Case.ID)
}

// recordWithoutIndex is record for a change that leaves what the search
// index holds of the case as it was.
func (s *Store) recordWithoutIndex(ctx context.Context, tx *sql.Tx, res *workflow.Result) error {
	ev := &res.Event
	if err := appendEvent(ctx, tx, res.Case.ID, ev); err != nil {
		return err
	}
	touched, err := planDeadlines(ctx, tx, &res.Case, res.Deadlines)
	if err != nil {
		return err
	}
	if err := syncRemindersFor(ctx, tx, touched, ev.At); err != nil {
		return err
	}
	return s.queueNotifications(ctx, tx, &res.Case, *ev, res.Notifications)
}

// noteOnCase appends an event that is not a workflow action (a bevakning set,
// a protokoll justerat) to a case's history. The case's content does not
// change, but every event is a new version of it: a client holding the old
// one has not seen the event.
func noteOnCase(ctx context.Context, tx *sql.Tx, caseID int64, number string, stage workflow.Stage, actor workflow.Person,
	at time.Time, action string, payload map[string]any) error {
	ev := workflow.Event{CaseNumber: number, At: at, Actor: actor, Action: action, From: stage, To: stage, Payload: mustPayload(payload)}
	if err := appendEvent(ctx, tx, caseID, &ev); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE cases SET version = version + 1, updated_at = ? WHERE id = ?`, fmtTime(at), caseID)
	return err
}

// mustPayload writes an event's details as JSON.
func mustPayload(p map[string]any) json.RawMessage {
	b, err := json.Marshal(p)
	if err != nil {
		panic(err) // plain maps of strings and numbers only
	}
	return b
}

func appendEvent(ctx context.Context, tx *sql.Tx, caseID int64, ev *workflow.Event) error {
	var prev string
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM events WHERE case_id = ? ORDER BY seq DESC LIMIT 1`, caseID).Scan(&ev.Seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	ev.Seq++
	ev.PrevHash = prev
	ev.Hash = ev.ComputeHash(prev)
	var payload any
	if len(ev.Payload) > 0 {
		payload = string(ev.Payload)
	}
	// The request id (observe) says which request's log lines belong to the
	// event; it is outside the hash (migration 0019).
	_, err = tx.ExecContext(ctx, `INSERT INTO events(case_id, seq, at, actor_id, actor_name, action, from_stage, to_stage,
		reason, payload, prev_hash, hash, request_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		caseID, ev.Seq, fmtTime(ev.At), ev.Actor.ID, ev.Actor.Name, ev.Action, ev.From, ev.To, ev.Reason, payload, prev, ev.Hash,
		observe.RequestID(ctx))
	return err
}

// planDeadlines closes the case's open workflow deadlines that the plan no
// longer has, moves those whose due date or responsible person changed, and
// opens the new ones. It returns the ids of the deadlines it touched.
func planDeadlines(ctx context.Context, tx *sql.Tx, c *workflow.Case, plan []workflow.Deadline) ([]int64, error) {
	return reconcileDeadlines(ctx, tx, "case_id", c.ID, workflow.PlannedKinds, plan, c.UpdatedAt)
}

// reconcileDeadlines brings the open deadlines of the given kinds whose owner
// column (case_id or meeting_id) is id in line with plan: it closes those the
// plan no longer has, moves those whose due date or responsible person
// changed, and opens the new ones. It returns the ids of the deadlines it
// opened, moved or closed, whose reminders then need planning again.
func reconcileDeadlines(ctx context.Context, tx *sql.Tx, owner string, id int64, kinds []workflow.DeadlineKind,
	plan []workflow.Deadline, at time.Time) ([]int64, error) {
	args := []any{id}
	for _, k := range kinds {
		args = append(args, k)
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(kinds)), ",")
	rows, err := tx.QueryContext(ctx, `SELECT id, kind, ref, due, COALESCE(responsible_id, 0) FROM deadlines
		WHERE `+owner+` = ? AND state = 'open' AND kind IN (`+marks+`)`, args...)
	if err != nil {
		return nil, err
	}
	type open struct {
		id          int64
		due         string
		responsible int64
	}
	existing := map[string]open{}
	for rows.Next() {
		var o open
		var kind, ref string
		if err := rows.Scan(&o.id, &kind, &ref, &o.due, &o.responsible); err != nil {
			rows.Close()
			return nil, err
		}
		existing[kind+"/"+ref] = o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	now := fmtTime(at)
	var touched []int64
	for _, d := range plan {
		key := string(d.Kind) + "/" + d.Ref
		o, ok := existing[key]
		delete(existing, key)
		var responsible any
		if d.Responsible.ID != 0 {
			responsible = d.Responsible.ID
		}
		switch {
		case !ok:
			err = tx.QueryRowContext(ctx, `INSERT INTO deadlines(`+owner+`, kind, ref, due, responsible_id, state, created_at) VALUES (?,?,?,?,?,'open',?) RETURNING id`,
				id, d.Kind, d.Ref, d.Due.String(), responsible, now).Scan(&o.id)
			if err == nil {
				touched = append(touched, o.id)
			}
		case o.due != d.Due.String() || o.responsible != d.Responsible.ID:
			_, err = tx.ExecContext(ctx, `UPDATE deadlines SET due = ?, responsible_id = ? WHERE id = ?`, d.Due.String(), responsible, o.id)
			touched = append(touched, o.id)
		}
		if err != nil {
			return nil, err
		}
	}
	for _, o := range existing {
		if _, err := tx.ExecContext(ctx, `UPDATE deadlines SET state = 'done', closed_at = ? WHERE id = ?`, now, o.id); err != nil {
			return nil, err
		}
		touched = append(touched, o.id)
	}
	return touched, nil
}

// mergeProblems adds lookup problems to a validation error, so the person sees
// every problem of a form at once.
func mergeProblems(p workflow.Problems, err error) error {
	var we *workflow.Error
	if len(p) == 0 || !errors.As(err, &we) || we.Code != workflow.EINVALID {
		return err
	}
	merged := *we
	merged.Fields = append(append([]workflow.FieldError{}, p...), we.Fields...)
	return &merged
}

// Events lists a case's history, oldest first.
func (s *Store) Events(ctx context.Context, number string) ([]workflow.Event, error) {
	var id int64
	if err := s.r.QueryRowContext(ctx, `SELECT id FROM cases WHERE number = ?`, number).Scan(&id); errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Ärendet %s finns inte", number)
	} else if err != nil {
		return nil, err
	}
	return events(ctx, s.r, id, number)
}

func events(ctx context.Context, q queryer, caseID int64, number string) ([]workflow.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, at, actor_id, actor_name, action, from_stage, to_stage, reason,
		payload, prev_hash, hash FROM events WHERE case_id = ? ORDER BY seq`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []workflow.Event{}
	for rows.Next() {
		e := workflow.Event{CaseNumber: number}
		var at string
		var payload sql.NullString
		if err := rows.Scan(&e.Seq, &at, &e.Actor.ID, &e.Actor.Name, &e.Action, &e.From, &e.To, &e.Reason,
			&payload, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		if payload.Valid {
			e.Payload = json.RawMessage(payload.String)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ChainError names the first event whose stored hash does not match its content.
// Its Error is Swedish: the CLI's verify and backup --check print it.
type ChainError struct {
	Case string
	Seq  int
	Why  string
}

func (e ChainError) Error() string {
	return fmt.Sprintf("ärende %s, händelse %d: %s", e.Case, e.Seq, e.Why)
}

// Verify recomputes every case's event chain and returns one ChainError per
// broken case, plus how many events were checked.
func (s *Store) Verify(ctx context.Context) (checked int, broken []ChainError, err error) {
	return verifyChains(ctx, s.r)
}

// verifyChains is Verify on q: the read pool, or a transaction that has not
// committed yet (Copy checks the copied chains before it commits them).
func verifyChains(ctx context.Context, q queryer) (checked int, broken []ChainError, err error) {
	rows, err := q.QueryContext(ctx, `SELECT id, number, version FROM cases ORDER BY id`)
	if err != nil {
		return 0, nil, err
	}
	type ref struct {
		id      int64
		number  string
		version int
	}
	var cases []ref
	for rows.Next() {
		var r ref
		if err := rows.Scan(&r.id, &r.number, &r.version); err != nil {
			rows.Close()
			return 0, nil, err
		}
		cases = append(cases, r)
	}
	rows.Close()
	for _, c := range cases {
		evs, err := events(ctx, q, c.id, c.number)
		if err != nil {
			return checked, broken, err
		}
		prev := ""
		for i, e := range evs {
			checked++
			why := ""
			switch {
			case e.Seq != i+1:
				why = fmt.Sprintf("lucka i numreringen: händelse %d väntades", i+1)
			case e.PrevHash != prev:
				why = "länkar inte till händelsen före"
			case e.ComputeHash(prev) != e.Hash:
				why = "innehållet stämmer inte med dess hash (raden har ändrats)"
			}
			if why != "" {
				broken = append(broken, ChainError{Case: c.number, Seq: e.Seq, Why: why})
				break
			}
			prev = e.Hash
		}
		// Every change bumps the version and appends one event, so a missing
		// last event shows as a version ahead of the chain.
		if n := len(evs); (len(broken) == 0 || broken[len(broken)-1].Case != c.number) && n != c.version {
			broken = append(broken, ChainError{Case: c.number, Seq: n + 1,
				Why: fmt.Sprintf("saknas: ärendet har version %d men historiken slutar vid händelse %d", c.version, n)})
		}
	}
	return checked, broken, nil
}

// EventRequestID is the request id (X-Request-Id) of the HTTP request that
// wrote event seq of the case number, "" for an event written outside a
// request; for tracing an audit event to its log lines. It is not part of
// the event's hash. ENOTFOUND when there is no such event.
func (s *Store) EventRequestID(ctx context.Context, number string, seq int) (string, error) {
	var id string
	err := s.r.QueryRowContext(ctx, `SELECT e.request_id FROM events e JOIN cases c ON c.id = e.case_id
		WHERE c.number = ? AND e.seq = ?`, number, seq).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", workflow.Errorf(workflow.ENOTFOUND, "Händelse %d i ärende %s finns inte", seq, number)
	}
	return id, err
}
