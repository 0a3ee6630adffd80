package db

import (
	"context"
	"slices"
	"strconv"

	"github.com/kommun/beslutsgang/workflow"
)

// TaskKind says what waits for someone at a meeting.
type TaskKind string

const (
	TaskJustering TaskKind = "justering" // a named justerare signs the protokoll
	TaskNotice    TaskKind = "notice"    // the secretary sends the kallelse
	TaskAnslag    TaskKind = "anslag"    // the secretary registers the anslag of the justering
	TaskDispatch  TaskKind = "dispatch"  // the secretary expedierar a decision of a justerat protokoll
)

// Task is a step of a meeting that waits for one person: a protokoll to
// justera for its justerare, and for the board's secretary a kallelse due,
// an anslag due after justering and a justerat decision to dispatch.
type Task struct {
	Kind    TaskKind
	Meeting workflow.Meeting
	// Due is the last legal day (justering, kallelse, anslag); for a dispatch,
	// the day of justering, from which the decision may go out.
	Due  workflow.Date
	Case *TaskCase // TaskDispatch: the case whose decision waits
}

// TaskCase is the case of a dispatch task as the reader may see it.
type TaskCase struct {
	Number    string
	Title     string // workflow.WithheldText for a secret case the reader is not involved in
	Paragraph string // "§ 12"
}

// MaxDispatchTasks is how many decisions waiting for dispatch Tasks lists:
// those justerat first; the rest are counted.
var MaxDispatchTasks = 50

// Tasks lists what waits for the reader at meetings on the day today, the
// most urgent first, and how many more decisions wait for dispatch than it
// lists (MaxDispatchTasks). A justerare needs no role on any board: the
// attendance names them through their member row's user account.
func (r Reader) Tasks(ctx context.Context, today workflow.Date) (tasks []Task, moreDispatch int, err error) {
	if r.as == nil || !r.as.Active {
		return nil, 0, nil
	}
	uid := r.as.ID
	var out []Task
	held, err := r.s.meetingsWhere(ctx, `meetings.status = 'held' AND EXISTS (SELECT 1 FROM attendees a
		JOIN body_members bm ON bm.id = a.member_id
		WHERE a.meeting_id = meetings.id AND a.adjuster AND a.signed_at IS NULL AND bm.user_id = ?)`, uid)
	if err != nil {
		return nil, 0, err
	}
	for _, m := range held {
		out = append(out, Task{Kind: TaskJustering, Meeting: m, Due: workflow.JusteringDue(m.Date)})
	}
	// A kallelse is due at most maxNoticeDays before its meeting, moved back
	// over the days off before it (ten is more than any run of them): the
	// planned meetings beyond that need none yet, and are not read.
	horizon := today.AddDays(maxNoticeDays + 10)
	secretary := `bodies.board_id IN (SELECT board_id FROM user_roles WHERE user_id = ? AND role = 'secretary')`
	mine, err := r.s.meetingsWhere(ctx, secretary+` AND (meetings.status = 'justified'
		OR (meetings.status = 'planned' AND meetings.date >= ? AND meetings.date <= ?))`, uid, today.String(), horizon.String())
	if err != nil {
		return nil, 0, err
	}
	for _, m := range mine {
		d := m.Dates()
		switch {
		case m.Status == workflow.MeetingJustified:
			out = append(out, Task{Kind: TaskAnslag, Meeting: m, Due: d.AnslagDue})
		case !today.Before(d.NoticeDue):
			out = append(out, Task{Kind: TaskNotice, Meeting: m, Due: d.NoticeDue})
		}
	}
	dispatch, more, err := r.dispatchTasks(ctx, uid)
	if err != nil {
		return nil, 0, err
	}
	out = append(out, dispatch...)
	slices.SortStableFunc(out, func(a, b Task) int { return a.Due.Compare(b.Due) })
	return out, more, nil
}

// dispatchTasks are the decisions taken at a meeting of a board where uid is
// secretary whose protokoll is justerat and that are not yet dispatched:
// exactly those the workflow lets the secretary dispatch, of the
// MaxDispatchTasks such cases justerat first, and how many more cases wait. Each listed
// case is read whole (for workflow.Allowed), so the page reads a bounded
// number of them, not the whole backlog (2,043 cases, 0.76 s, for the
// secretary of every board at 1,000,000 generated cases).
func (r Reader) dispatchTasks(ctx context.Context, uid int64) ([]Task, int, error) {
	numbers, err := undispatchedCases(ctx, r.s.r, uid, MaxDispatchTasks)
	if err != nil {
		return nil, 0, err
	}
	more := 0
	if len(numbers) == MaxDispatchTasks {
		var all int
		if err := r.s.r.QueryRowContext(ctx, `SELECT COUNT(*) `+undispatchedFrom, uid).Scan(&all); err != nil {
			return nil, 0, err
		}
		more = all - len(numbers)
	}
	sr := r.seer(ctx)
	var out []Task
	for _, n := range numbers {
		c, err := r.s.Case(ctx, n)
		if err != nil {
			return nil, 0, err
		}
		if !slices.Contains(workflow.Allowed(&c, *r.as), workflow.ActDispatch) {
			continue
		}
		meetingID, par, ok, err := decidingParagraph(ctx, r.s.r, &c)
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			continue // decided on the case itself, not at a meeting
		}
		m, err := meetingByID(ctx, r.s.r, meetingID)
		if err != nil {
			return nil, 0, err
		}
		tc := &TaskCase{Number: c.Number, Title: c.Title, Paragraph: workflow.ParagraphLabel(par)}
		if seen, err := sr.sees(c.Number); err != nil {
			return nil, 0, err
		} else if !seen {
			tc.Title = workflow.WithheldText
		}
		out = append(out, Task{Kind: TaskDispatch, Meeting: m, Due: m.JustifiedOn(), Case: tc})
	}
	return out, more, nil
}

// undispatchedCases are the open cases of the secretary's boards whose
// decision stands in a justerat protokoll and has not been dispatched. Open
// is a range of stage_rank, so the board's index reads its open cases only,
// not every case it ever had.
// At most limit, those whose deciding protokoll was justerat first (the
// latest decision's meeting, as decidingParagraph finds it), which are the
// first the start page lists.
func undispatchedCases(ctx context.Context, q queryer, secretaryID int64, limit int) ([]string, error) {
	return queryStrings(ctx, q, `SELECT cases.number `+undispatchedFrom+`
		ORDER BY (SELECT mt.justified_at FROM decisions d JOIN meetings mt ON mt.id = d.meeting_id
			WHERE d.case_id = cases.id AND d.type IN ('approved', 'amended', 'rejected') ORDER BY d.id DESC LIMIT 1), cases.id
		LIMIT ?`, secretaryID, limit)
}

// undispatchedFrom is undispatchedCases' FROM and WHERE; ? is the secretary.
var undispatchedFrom = `FROM cases
	WHERE cases.stage_rank < ` + strconv.Itoa(stageRank(workflow.StageClosed)) + ` AND cases.decision_type IS NOT NULL AND cases.dispatched_at IS NULL
	AND cases.board_id IN (SELECT board_id FROM user_roles WHERE user_id = ? AND role = 'secretary')
	AND EXISTS (SELECT 1 FROM decisions d JOIN meetings mt ON mt.id = d.meeting_id
		WHERE d.case_id = cases.id AND mt.status IN ('justified', 'posted'))`
