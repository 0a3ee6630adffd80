package workflow

import (
	"slices"
	"time"
)

// Stage is where a case is in the decision process. On the route, the stage is the
// kind of body of the current route step.
type Stage string

const (
	StageDraft            Stage = "draft"
	StageApproval         Stage = "approval"
	StagePresidium        Stage = "presidium"
	StageWorkingCommittee Stage = "working_committee"
	StageBoard            Stage = "board"
	StageExecutiveBoard   Stage = "executive_board"
	StageCouncil          Stage = "council"
	StageClosed           Stage = "closed"
)

// Stages lists every stage in process order.
var Stages = []Stage{StageDraft, StageApproval, StagePresidium, StageWorkingCommittee,
	StageBoard, StageExecutiveBoard, StageCouncil, StageClosed}

var stageLabels = map[Stage]string{
	StageDraft:            "Utkast",
	StageApproval:         "För godkännande",
	StagePresidium:        "Presidieberedning",
	StageWorkingCommittee: "Arbetsutskott",
	StageBoard:            "Nämnd",
	StageExecutiveBoard:   "Kommunstyrelsen",
	StageCouncil:          "Kommunfullmäktige",
	StageClosed:           "Avslutat",
}

// Label is the Swedish name of the stage.
func (s Stage) Label() string { return stageLabels[s] }

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool { _, ok := stageLabels[s]; return ok }

// OnRoute reports whether a case in this stage sits at a route step.
func (s Stage) OnRoute() bool {
	return s != StageDraft && s != StageApproval && s != StageClosed && s.Valid()
}

// BodyKind is the kind of a meeting body (organ).
type BodyKind string

const (
	KindPresidium        BodyKind = "presidium"
	KindWorkingCommittee BodyKind = "working_committee"
	KindBoard            BodyKind = "board"
	KindExecutiveBoard   BodyKind = "executive_board"
	KindCouncil          BodyKind = "council"
)

// BodyKinds lists the kinds in the order a case usually meets them.
var BodyKinds = []BodyKind{KindPresidium, KindWorkingCommittee, KindBoard, KindExecutiveBoard, KindCouncil}

// Valid reports whether k is a known kind.
func (k BodyKind) Valid() bool { return slices.Contains(BodyKinds, k) }

// Stage is the stage of a case whose current step is at a body of this kind.
func (k BodyKind) Stage() Stage { return Stage(k) }

// Label is the Swedish name of the kind.
func (k BodyKind) Label() string { return Stage(k).Label() }

// KeepsMinutes reports whether a body of this kind keeps a protokoll, whose
// paragraphs (§) number what it handles, one series per body and year. The
// presidium (presidieberedning) prepares the agenda and keeps none, so what
// it handles gets no § (issue 9); the arbetsutskott keeps its own series,
// the nämnd and the bodies after it theirs.
func (k BodyKind) KeepsMinutes() bool { return k != KindPresidium }

// Decides reports whether a body of this kind takes decisions (as opposed to
// preparing them).
func (k BodyKind) Decides() bool {
	return k == KindBoard || k == KindExecutiveBoard || k == KindCouncil
}

// Board is a nämnd; it owns a case number series.
type Board struct {
	ID   int64  `json:"-"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// Body is a meeting body (organ) of a board.
type Body struct {
	ID         int64    `json:"-"`
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Kind       BodyKind `json:"kind"`
	Board      string   `json:"board"`
	NoticeDays int      `json:"notice_days"`
}

// Role is what a user may do for a board.
type Role string

const (
	RoleOfficer   Role = "officer"
	RoleApprover  Role = "approver"
	RoleSecretary Role = "secretary"
	RoleAdmin     Role = "admin"
)

// Roles lists every role.
var Roles = []Role{RoleOfficer, RoleApprover, RoleSecretary, RoleAdmin}

var roleLabels = map[Role]string{
	RoleOfficer:   "Handläggare",
	RoleApprover:  "Ansvarig chef",
	RoleSecretary: "Nämndsekreterare",
	RoleAdmin:     "Administratör",
}

// Label is the Swedish name of the role.
func (r Role) Label() string { return roleLabels[r] }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// Grant gives a user a role on one board.
type Grant struct {
	Board string `json:"board"`
	Role  Role   `json:"role"`
}

// Person is a user as a case refers to one.
type Person struct {
	ID    int64  `json:"id,omitempty"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Title string `json:"title,omitempty"`
}

// User is someone who logs in.
type User struct {
	ID     int64   `json:"id"`
	Email  string  `json:"email"`
	Name   string  `json:"name"`
	Title  string  `json:"title,omitempty"`
	Active bool    `json:"active"`
	Grants []Grant `json:"roles"`
}

// Has reports whether u holds role on board.
func (u User) Has(board string, role Role) bool {
	return u.Active && slices.Contains(u.Grants, Grant{Board: board, Role: role})
}

// WorksFor reports whether u holds any role on board.
func (u User) WorksFor(board string) bool {
	return u.Active && slices.ContainsFunc(u.Grants, func(g Grant) bool { return g.Board == board })
}

// HasAnywhere reports whether u holds role on any board.
func (u User) HasAnywhere(role Role) bool {
	return u.Active && slices.ContainsFunc(u.Grants, func(g Grant) bool { return g.Role == role })
}

// Person is how a case refers to u.
func (u User) Person() Person { return Person{ID: u.ID, Name: u.Name, Email: u.Email, Title: u.Title} }

// StepStatus says where a route step is relative to the case.
type StepStatus string

const (
	StepDone    StepStatus = "done"
	StepCurrent StepStatus = "current"
	StepPlanned StepStatus = "planned"
)

// RouteStep is one step of the beslutsplanering: a body and its meeting date.
type RouteStep struct {
	Body      Body   `json:"-"`
	Date      Date   `json:"date"`
	Postponed []Date `json:"postponed_from,omitempty"` // earlier dates, oldest first
	MeetingID int64  `json:"meeting_id,omitempty"`
	// MeetingStatus is where the step's meeting is, loaded with the case:
	// what the step may still do without the meeting depends on it.
	MeetingStatus MeetingStatus `json:"meeting_status,omitempty"`
	// MeetingOrigin is how the step's meeting came to be, loaded with the case.
	MeetingOrigin MeetingOrigin `json:"meeting_origin,omitempty"`
	// ExtraMeeting is the explicit choice of a nytt extra sammanträde on
	// Date when the body has no meeting that day (ChooseMeeting). It is part
	// of the input of one change and not stored.
	ExtraMeeting bool `json:"-"`
	// NewMeeting is set by the store when the change made the step's
	// meeting; not stored.
	NewMeeting bool `json:"-"`
}

// Approver is an ansvarig chef in the signing order.
type Approver struct {
	Person
	Position string     `json:"position,omitempty"` // as in the Ansvariga list, e.g. Enhetschef
	SignedAt *time.Time `json:"signed_at"`
}

// Recipient receives the decision (beslutet skickas till).
type Recipient struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// Attachment is a beslutsunderlag. A document listed by name only (as in an
// imported tjänsteskrivelse) has no content.
type Attachment struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type,omitempty"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256,omitempty"`
	HasContent  bool      `json:"has_content"`
	UploadedBy  Person    `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// Decision is the board's decision on the case.
type Decision struct {
	Type         DecisionType `json:"type"`
	Text         string       `json:"text"`
	DecidedAt    time.Time    `json:"decided_at"`
	DecidedBy    Person       `json:"decided_by"`
	Paragraph    string       `json:"paragraph,omitempty"` // e.g. "§ 12", set when taken at a meeting
	DispatchedAt *time.Time   `json:"dispatched_at"`
	// AwaitsJustering is set while the protokoll that holds the decision's
	// paragraph is not yet justerat: until then it cannot be dispatched, as
	// the protokollsutdrag sent must be of a justerat protokoll (KL 5 kap. 69 §).
	AwaitsJustering bool `json:"awaits_justering,omitempty"`
}

// DecisionType is how the board decided.
type DecisionType string

const (
	DecisionApproved DecisionType = "approved" // bifall enligt förslaget
	DecisionAmended  DecisionType = "amended"  // ändrat förslag
	DecisionRejected DecisionType = "rejected" // avslag
	DecisionReturned DecisionType = "returned" // återremiss
	DecisionTabled   DecisionType = "tabled"   // bordläggning
	// DecisionHandled is a preparing body's (presidium, arbetsutskott)
	// "behandlat": it has prepared the case, which goes on to the next step
	// with the report's proposal unchanged. A deciding body decides instead.
	DecisionHandled DecisionType = "handled"
)

var decisionLabels = map[DecisionType]string{
	DecisionApproved: "Bifall enligt förslaget",
	DecisionAmended:  "Ändrat förslag",
	DecisionRejected: "Avslag",
	DecisionReturned: "Återremiss",
	DecisionTabled:   "Bordläggning",
	DecisionHandled:  "Behandlat",
}

// Label is the Swedish name of the decision type.
func (t DecisionType) Label() string { return decisionLabels[t] }

// Valid reports whether t is a known decision type.
func (t DecisionType) Valid() bool { _, ok := decisionLabels[t]; return ok }

// Case is an ärende with the sections of its tjänsteskrivelse.
type Case struct {
	ID          int64        `json:"-"`
	Number      string       `json:"number"`
	Board       Board        `json:"-"`
	Title       string       `json:"title"`
	Summary     string       `json:"summary"`
	Proposals   []string     `json:"proposals"`
	Background  string       `json:"background"`
	Secret      bool         `json:"secret"`
	Stage       Stage        `json:"stage"`
	Step        int          `json:"-"` // index of the current route step; -1 before the route
	Version     int          `json:"version"`
	Officer     Person       `json:"officer"`
	Route       []RouteStep  `json:"-"`
	Approvers   []Approver   `json:"approvers"`
	Recipients  []Recipient  `json:"recipients"`
	Attachments []Attachment `json:"attachments"`
	Decision    *Decision    `json:"decision"`
	ClosedNote  string       `json:"closed_reason,omitempty"`
	Reference   string       `json:"reference,omitempty"` // the diarienummer its tjänsteskrivelse carried, when not this service's ("KS/2017:96"), as written
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// Open reports whether the case is still in the process.
func (c *Case) Open() bool { return c.Stage != StageClosed }

// CurrentStep returns the current route step, or nil before or after the route.
func (c *Case) CurrentStep() *RouteStep {
	if !c.Stage.OnRoute() || c.Step < 0 || c.Step >= len(c.Route) {
		return nil
	}
	return &c.Route[c.Step]
}

// DecidingStep is the index of the step where the case's own board decides: the
// first step at a deciding body of the case's board, or -1 if the route has none.
func (c *Case) DecidingStep() int {
	for i, s := range c.Route {
		if s.Body.Board == c.Board.Code && s.Body.Kind.Decides() {
			return i
		}
	}
	return -1
}

// StepStatus tells whether step i is done, current or planned.
func (c *Case) StepStatus(i int) StepStatus {
	switch {
	case c.Stage.OnRoute() && i == c.Step:
		return StepCurrent
	case c.Step >= 0 && i < c.Step:
		return StepDone
	default:
		return StepPlanned
	}
}

// NextApprover is the index of the approver whose turn it is, or -1.
func (c *Case) NextApprover() int {
	if c.Stage != StageApproval {
		return -1
	}
	for i, a := range c.Approvers {
		if a.SignedAt == nil {
			return i
		}
	}
	return -1
}

// IsApprover reports whether user id is among the case's approvers.
func (c *Case) IsApprover(id int64) bool {
	return slices.ContainsFunc(c.Approvers, func(a Approver) bool { return a.ID == id })
}

// Clone returns a deep copy, so an action never alters the case it was given.
func (c Case) Clone() Case {
	c.Proposals = slices.Clone(c.Proposals)
	c.Route = slices.Clone(c.Route)
	for i := range c.Route {
		c.Route[i].Postponed = slices.Clone(c.Route[i].Postponed)
	}
	c.Approvers = slices.Clone(c.Approvers)
	c.Recipients = slices.Clone(c.Recipients)
	c.Attachments = slices.Clone(c.Attachments)
	if c.Decision != nil {
		d := *c.Decision
		c.Decision = &d
	}
	return c
}
