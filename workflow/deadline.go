package workflow

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// DeadlineKind says what a bevakning watches.
type DeadlineKind string

const (
	DeadlineSubmission DeadlineKind = "submission" // inlämningsdag: submitted and signed off before the first meeting
	DeadlineApproval   DeadlineKind = "approval"   // an approver's turn to sign
	DeadlineStage      DeadlineKind = "stage"      // a route step not advanced after its meeting
	DeadlineCustom     DeadlineKind = "custom"     // set by a user
	// A meeting's deadlines, for the secretary (see MeetingDeadlines).
	DeadlineNotice    DeadlineKind = "notice"    // send the kallelse
	DeadlineJustering DeadlineKind = "justering" // get the protokoll justerat
	DeadlineAnslag    DeadlineKind = "anslag"    // post the justering on the anslagstavla
)

var deadlineLabels = map[DeadlineKind]string{
	DeadlineSubmission: "Inlämningsdag",
	DeadlineApproval:   "Godkännande",
	DeadlineStage:      "Steget ej flyttat efter sammanträdet",
	DeadlineCustom:     "Bevakning",
	DeadlineNotice:     "Kallelse",
	DeadlineJustering:  "Justering",
	DeadlineAnslag:     "Anslag",
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

// Deadline is a bevakning on a case, or on a meeting (MeetingID set, no case).
type Deadline struct {
	ID          int64         `json:"id"`
	CaseNumber  string        `json:"case"`
	MeetingID   int64         `json:"meeting_id,omitempty"`
	Kind        DeadlineKind  `json:"kind"`
	Ref         string        `json:"ref"` // tells apart deadlines of one kind on one case
	Due         Date          `json:"due"`
	Responsible Person        `json:"responsible"`
	Note        string        `json:"note,omitempty"`
	State       DeadlineState `json:"state"`
	CreatedBy   *Person       `json:"created_by,omitempty"` // set for custom deadlines
	CreatedAt   time.Time     `json:"created_at"`
	ClosedAt    *time.Time    `json:"closed_at"`
	ClosedBy    *Person       `json:"closed_by,omitempty"` // who acknowledged it
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

// Limits of a custom deadline.
const (
	MaxDeadlineNote  = 1000
	MaxDeadlineYears = 5 // how far ahead a bevakning may be set
)

// CustomDeadline is what a user gives to set a bevakning on a case.
type CustomDeadline struct {
	Due         Date
	Responsible User // who is reminded; must be an active user
	Note        string
}

// NewCustomDeadline validates a bevakning set by actor on c at now. Any active
// user may set one, on any case, for any active user; on a secret case only
// the people it involves may set one, and only for each other (Case.Involves),
// so a bevakning never shows a secret case's content to an outsider.
func NewCustomDeadline(c *Case, in CustomDeadline, actor User, now time.Time) (Deadline, error) {
	if !actor.Active {
		return Deadline{}, Errorf(EFORBIDDEN, "Ditt konto är inte aktivt")
	}
	if !c.Sees(&actor) {
		return Deadline{}, Errorf(EFORBIDDEN, "Ärendet omfattas av sekretess; bevakningar på det sätts av dem som arbetar med ärendet")
	}
	var p Problems
	today := Today(now)
	switch {
	case in.Due.IsZero():
		p.Add("due", "Ange ett datum för bevakningen")
	case in.Due.Before(today):
		p.Add("due", "Datumet %s har redan passerat", in.Due)
	case in.Due.After(today.AddDays(366 * MaxDeadlineYears)):
		p.Add("due", "En bevakning kan sättas högst %d år framåt", MaxDeadlineYears)
	}
	switch {
	case in.Responsible.ID == 0:
		p.Add("responsible", "Ange vem som ansvarar för bevakningen")
	case !in.Responsible.Active:
		p.Add("responsible", "%s är inte en aktiv användare", in.Responsible.Name)
	case !c.Sees(&in.Responsible):
		p.Add("responsible", "Ärendet omfattas av sekretess och %s arbetar inte med det; välj någon som gör det", in.Responsible.Name)
	}
	note := strings.TrimSpace(in.Note)
	switch {
	case Blank(note):
		p.Add("note", "Skriv vad bevakningen gäller")
	case utf8.RuneCountInString(note) > MaxDeadlineNote:
		p.Add("note", "Anteckningen får vara högst %d tecken", MaxDeadlineNote)
	}
	if err := p.Err(); err != nil {
		return Deadline{}, err
	}
	by := actor.Person()
	return Deadline{CaseNumber: c.Number, Kind: DeadlineCustom, Due: in.Due, Responsible: in.Responsible.Person(),
		Note: note, State: DeadlineOpen, CreatedBy: &by, CreatedAt: now}, nil
}

// Acknowledge closes a custom deadline as kvitterad by u at now. The workflow's
// own deadlines close when the watched thing happens, so only custom ones can be
// acknowledged; the responsible person, the one who set it, and the board's
// secretaries and administrators may do it.
func Acknowledge(d Deadline, c *Case, u User, now time.Time) (Deadline, error) {
	if err := CheckAcknowledge(d, c.Board.Code, u); err != nil {
		return d, err
	}
	by := u.Person()
	d.State, d.ClosedAt, d.ClosedBy = DeadlineAcknowledged, &now, &by
	return d, nil
}

// CheckAcknowledge says why u may not acknowledge d, a deadline on a case of
// board, or returns nil when u may: pages ask it to show kvittera only where it works.
func CheckAcknowledge(d Deadline, board string, u User) error {
	switch {
	case d.Kind != DeadlineCustom:
		return Errorf(ECONFLICT, "Bevakningen ”%s” stängs av sig själv när ärendet kommer vidare; den kan inte kvitteras", d.Kind.Label())
	case d.State != DeadlineOpen:
		return Errorf(ECONFLICT, "Bevakningen är redan stängd (%s)", d.State.Label())
	}
	mine := u.ID == d.Responsible.ID || (d.CreatedBy != nil && u.ID == d.CreatedBy.ID)
	staff := u.Has(board, RoleSecretary) || u.Has(board, RoleAdmin)
	if !u.Active || (!mine && !staff) {
		return Errorf(EFORBIDDEN, "Bevakningen kvitteras av den som ansvarar för den, den som satte den eller nämndsekreteraren")
	}
	return nil
}

var deadlineStateLabels = map[DeadlineState]string{
	DeadlineOpen:         "öppen",
	DeadlineDone:         "klar",
	DeadlineAcknowledged: "kvitterad",
}

// Label is the Swedish name of the state.
func (s DeadlineState) Label() string {
	if l, ok := deadlineStateLabels[s]; ok {
		return l
	}
	return string(s)
}
