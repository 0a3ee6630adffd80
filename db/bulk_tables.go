package db

// The tables the bulk path writes: each table's columns, the one function
// that fills a row of it, and the buffers that insert many rows to a
// statement. A migration that adds a column to one of these tables adds it
// here, to the columns and to the row.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// bulkTables are the buffers of the tables the bulk path writes.
type bulkTables struct {
	meetings, agenda, attendees, cases, proposals, route, approvers, recipients,
	blobs, attachments, events, decisions, deadlines, reminders *bulkTable
}

func newBulkTables() bulkTables {
	return bulkTables{
		meetings: newBulkTable("meetings", `id, body_id, body_code, date, start_time, end_time, place, status, origin, sequence,
			notice_sent_at, held_at, justified_at, posted_on, secretary_id, created_at, updated_at`, ""),
		agenda:    newBulkTable("agenda_items", `meeting_id, pos, kind, case_id, title`, ""),
		attendees: newBulkTable("attendees", `meeting_id, member_id, pos, present, adjuster, signed_at`, ""),
		cases: newBulkTable("cases", `id, number, board_id, year, serial, title, summary, background, secret, stage, step,
			next_date, version, officer_id, closed_note, decision_type, decision_text, decided_at, decided_by, paragraph,
			dispatched_at, created_at, updated_at`, ""),
		proposals:   newBulkTable("case_proposals", `case_id, pos, text`, ""),
		route:       newBulkTable("route_steps", `case_id, pos, body_id, date, postponed, meeting_id`, ""),
		approvers:   newBulkTable("case_approvers", `case_id, pos, user_id, position, signed_at`, ""),
		recipients:  newBulkTable("case_recipients", `case_id, pos, name, email`, ""),
		blobs:       newBulkTable("blobs", `sha256, data`, "ON CONFLICT DO NOTHING"),
		attachments: newBulkTable("attachments", `id, case_id, name, content_type, size, sha256, uploaded_by, uploaded_at, text`, ""),
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

func (b *BulkLoader) writeMeeting(rows *bulkRows, m *workflow.Meeting) {
	var secretary, posted any
	if m.Secretary.ID != 0 {
		secretary = m.Secretary.ID
	}
	if !m.PostedOn.IsZero() {
		posted = m.PostedOn.String()
	}
	origin := m.Origin
	if origin == "" {
		origin = workflow.OriginPlan
	}
	rows.add(b.t.meetings, m.ID, m.Body.ID, m.Body.Code, m.Date.String(), m.Start, m.End, m.Place, m.Status, origin, m.Sequence,
		nullTime(m.NoticeSentAt), nullTime(m.HeldAt), nullTime(m.JustifiedAt), posted, secretary, fmtTime(m.CreatedAt), fmtTime(m.UpdatedAt))
}

func (b *BulkLoader) writeProposal(rows *bulkRows, caseID int64, pos int, text string) {
	rows.add(b.t.proposals, caseID, pos, text)
}

func (b *BulkLoader) writeApprover(rows *bulkRows, caseID int64, pos int, a workflow.Approver) {
	rows.add(b.t.approvers, caseID, pos, a.ID, a.Position, nullTime(a.SignedAt))
}

func (b *BulkLoader) writeRecipient(rows *bulkRows, caseID int64, pos int, r workflow.Recipient) {
	rows.add(b.t.recipients, caseID, pos, r.Name, r.Email)
}

func (b *BulkLoader) writeBlob(rows *bulkRows, sha string, data []byte) {
	rows.add(b.t.blobs, sha, data)
}

func (b *BulkLoader) writeAgendaItem(rows *bulkRows, meetingID int64, pos int, kind string, caseID int64) {
	var c any
	if caseID != 0 {
		c = caseID
	}
	rows.add(b.t.agenda, meetingID, pos, kind, c, "")
}

func (b *BulkLoader) writeAttendee(rows *bulkRows, meetingID int64, pos int, a workflow.Attendee) {
	rows.add(b.t.attendees, meetingID, a.Member.ID, pos, a.Present, a.Adjuster, nullTime(a.SignedAt))
}

// writeCase is the case row as insertCase and the last saveCase leave it.
func (b *BulkLoader) writeCase(rows *bulkRows, c *workflow.Case, year, serial int) {
	vals := []any{c.ID, c.Number, c.Board.ID, year, serial, c.Title, c.Summary, c.Background, c.Secret, c.Stage, c.Step,
		nextDate(c), c.Version, c.Officer.ID, c.ClosedNote}
	vals = append(vals, decisionRow(c.Decision)...)
	rows.add(b.t.cases, append(vals, fmtTime(c.CreatedAt), fmtTime(c.UpdatedAt))...)
}

func (b *BulkLoader) writeRouteStep(rows *bulkRows, caseID int64, pos int, st workflow.RouteStep) {
	postponed, _ := json.Marshal(dateStrings(st.Postponed))
	var meeting any
	if st.MeetingID != 0 {
		meeting = st.MeetingID
	}
	rows.add(b.t.route, caseID, pos, st.Body.ID, st.Date.String(), string(postponed), meeting)
}

func (b *BulkLoader) writeAttachment(rows *bulkRows, caseID int64, a workflow.Attachment, text *string) {
	var sum, t any
	if a.SHA256 != "" {
		sum = a.SHA256
	}
	if text != nil {
		t = *text
	}
	rows.add(b.t.attachments, a.ID, caseID, a.Name, a.ContentType, a.Size, sum, a.UploadedBy.ID, fmtTime(a.UploadedAt), t)
}

func (b *BulkLoader) writeEvent(rows *bulkRows, caseID int64, ev *workflow.Event) {
	var payload any
	if len(ev.Payload) > 0 {
		payload = string(ev.Payload)
	}
	rows.add(b.t.events, caseID, ev.Seq, fmtTime(ev.At), ev.Actor.ID, ev.Actor.Name, ev.Action, ev.From, ev.To, ev.Reason, payload,
		ev.PrevHash, ev.Hash)
}

func (b *BulkLoader) writeDecision(rows *bulkRows, caseID int64, d *BulkDecision, at time.Time, seq int, legalForce any) {
	m := d.Meeting
	rows.add(b.t.decisions, m.ID, m.Body.ID, m.Date.Year, nullInt(d.Paragraph), caseID, d.Step, d.Type, d.Text, d.NextDate.String(),
		d.By.ID, fmtTime(at), seq, legalForce)
}

func (b *BulkLoader) writeDeadline(rows *bulkRows, caseID, meetingID int64, d *bulkDeadline) {
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
	rows.add(b.t.deadlines, d.id, owner, meeting, d.kind, d.ref, d.due.String(), responsible, "", d.state, nil,
		fmtTime(d.createdAt), nullTime(d.closedAt), nil)
}

func (b *BulkLoader) writeReminder(rows *bulkRows, deadlineID int64, r *bulkReminder) {
	rows.add(b.t.reminders, deadlineID, r.Slot, r.On.String(), fmtTime(r.At), r.Offset, r.CopyManager, nullTime(r.sentAt), r.channel)
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

// bulkRows are the rows of one case or meeting, ready for their tables.
type bulkRows struct{ rows []bulkRow }

type bulkRow struct {
	t    *bulkTable
	vals []any
}

func (r *bulkRows) add(t *bulkTable, vals ...any) {
	if len(vals) != t.width {
		panic(fmt.Sprintf("bulk: %d values for the %d columns of %s", len(vals), t.width, t.name))
	}
	r.rows = append(r.rows, bulkRow{t, vals})
}

// apply moves the rows into their tables' buffers.
func (r *bulkRows) apply() {
	for _, row := range r.rows {
		row.t.vals = append(row.t.vals, row.vals...)
		row.t.n++
	}
}
