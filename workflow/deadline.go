package workflow

import (
	"fmt"
	"time"
)

// DeadlineKind says what a bevakning watches.
type DeadlineKind string

const (
	DeadlineSubmission DeadlineKind = "submission" // inlämningsdag: submitted and signed off before the first meeting
	DeadlineApproval   DeadlineKind = "approval"   // an approver's turn to sign
	DeadlineStage      DeadlineKind = "stage"      // a route step not advanced after its meeting
	DeadlineCustom     DeadlineKind = "custom"     // set by a user
)

var deadlineLabels = map[DeadlineKind]string{
	DeadlineSubmission: "Inlämningsdag",
	DeadlineApproval:   "Godkännande",
	DeadlineStage:      "Steget ej flyttat efter sammanträdet",
	DeadlineCustom:     "Bevakning",
}

// Label is the Swedish name of the kind.
func (k DeadlineKind) Label() string {
	if l, ok := deadlineLabels[k]; ok {
		return l
	}
	return string(k)
}

// DeadlineState is open until the watched thing happens (done) or the
// responsible person acknowledges it (acknowledged, kvitterad).
type DeadlineState string

const (
	DeadlineOpen         DeadlineState = "open"
	DeadlineDone         DeadlineState = "done"
	DeadlineAcknowledged DeadlineState = "acknowledged"
)

// Deadline is a bevakning on a case.
type Deadline struct {
	ID          int64         `json:"id"`
	CaseNumber  string        `json:"case"`
	Kind        DeadlineKind  `json:"kind"`
	Ref         string        `json:"ref"` // tells apart deadlines of one kind on one case
	Due         Date          `json:"due"`
	Responsible Person        `json:"responsible"`
	Note        string        `json:"note,omitempty"`
	State       DeadlineState `json:"state"`
	CreatedAt   time.Time     `json:"created_at"`
	ClosedAt    *time.Time    `json:"closed_at"`
}

// Policy holds the configurable rules of the process.
type Policy struct {
	SubmissionLeadDays int // work days between inlämningsdag and the first meeting
}

// DefaultPolicy is what a municipality gets unless it configures otherwise.
var DefaultPolicy = Policy{SubmissionLeadDays: 10}

// PlanDeadlines returns the workflow deadlines c should have open: the store
// closes open ones of these kinds that are not in the list and opens the new ones.
// Custom deadlines are never planned here, so they are left alone.
func PlanDeadlines(c *Case, secretaries []Person, p Policy) []Deadline {
	if !c.Open() || len(c.Route) == 0 {
		return nil
	}
	var out []Deadline
	first := c.Route[0].Date
	submitBy := AddWorkdays(first, -p.SubmissionLeadDays)
	switch {
	case first.IsZero() && !c.Stage.OnRoute():
		// Nothing to count back from until the first meeting is planned.
	case c.Stage == StageDraft:
		out = append(out, Deadline{Kind: DeadlineSubmission, Ref: "submit", Due: submitBy, Responsible: c.Officer})
	case c.Stage == StageApproval:
		out = append(out, Deadline{Kind: DeadlineSubmission, Ref: "submit", Due: submitBy, Responsible: c.Officer})
		if i := c.NextApprover(); i >= 0 {
			a := c.Approvers[i]
			out = append(out, Deadline{Kind: DeadlineApproval, Ref: fmt.Sprintf("approver:%d", a.ID), Due: submitBy, Responsible: a.Person})
		}
	default:
		if s := c.CurrentStep(); s != nil && !s.Date.IsZero() && len(secretaries) > 0 {
			// Due the work day after the meeting: by then the step should have moved on.
			out = append(out, Deadline{Kind: DeadlineStage, Ref: fmt.Sprintf("step:%d", c.Step),
				Due: AddWorkdays(s.Date, 1), Responsible: secretaries[0]})
		}
	}
	for i := range out {
		out[i].CaseNumber = c.Number
		out[i].State = DeadlineOpen
	}
	return out
}

// PlannedKinds are the kinds PlanDeadlines manages.
var PlannedKinds = []DeadlineKind{DeadlineSubmission, DeadlineApproval, DeadlineStage}
