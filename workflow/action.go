package workflow

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Action is something a person does to a case.
type Action string

const (
	ActSubmit   Action = "submit"
	ActApprove  Action = "approve"
	ActReject   Action = "reject"
	ActAdvance  Action = "advance"
	ActPostpone Action = "postpone"
	ActReturn   Action = "return"
	ActDecide   Action = "decide"
	ActDispatch Action = "dispatch"
	ActClose    Action = "close"
	ActWithdraw Action = "withdraw"
)

// Actions lists every action in the order the UI offers them.
var Actions = []Action{ActSubmit, ActApprove, ActReject, ActAdvance, ActPostpone,
	ActReturn, ActDecide, ActDispatch, ActClose, ActWithdraw}

var actionLabels = map[Action]string{
	ActSubmit:   "Lämna in för godkännande",
	ActApprove:  "Godkänn",
	ActReject:   "Återvisa till handläggaren",
	ActAdvance:  "Flytta till nästa steg",
	ActPostpone: "Bordlägg",
	ActReturn:   "Återremittera",
	ActDecide:   "Registrera beslut",
	ActDispatch: "Expediera beslutet",
	ActClose:    "Avsluta",
	ActWithdraw: "Återkalla",
}

// Label is the Swedish name of the action, as on its button.
func (a Action) Label() string { return actionLabels[a] }

// NeedsReason reports whether the action must state a reason.
func (a Action) NeedsReason() bool { return a == ActReject || a == ActReturn || a == ActWithdraw }

// Command is one requested action, naming the case version it was taken on.
type Command struct {
	Action       Action       `json:"action"`
	Version      int          `json:"version"`
	Reason       string       `json:"reason,omitempty"`
	Date         Date         `json:"date"`
	Decision     string       `json:"decision,omitempty"`
	DecisionType DecisionType `json:"decision_type,omitempty"`
	// ExtraMeeting asks, when postponing to a day the body has no meeting
	// on, for a nytt extra sammanträde that day (ChooseMeeting).
	ExtraMeeting bool `json:"extra_meeting,omitempty"`
}

// Env is what an action needs besides the case: who acts, when, and the board's staff.
type Env struct {
	Now         time.Time
	Actor       User
	Secretaries []Person // the secretaries of the case's board
	Policy      Policy
	// Meetings are the days the bodies of the case's route meet, for the
	// actions that choose a meeting (postpone); nil leaves the choice to the
	// store, which refuses a day without a meeting when it saves.
	Meetings MeetingDays
}

// Result is everything one action changes; the store persists it in one transaction.
type Result struct {
	Case          Case
	Event         Event
	Deadlines     []Deadline // the workflow deadlines the case has open after the action
	Notifications []Notification
	// Unchanged: the change leaves the case as it was (a draft saved
	// without an edit, EditDraft). Case is the case as it is; there is no
	// event, nothing is to be written and the version stays.
	Unchanged bool
}

// rule is one row of the action table: in which state, by whom, with what input.
type rule struct {
	// state returns why the action cannot be taken in the case's current state.
	state func(c *Case) *Error
	// who reports whether u may take the action on c.
	who func(c *Case, u User) bool
	// input validates the command's own fields.
	input func(c *Case, cmd Command, env Env) Problems
	// apply changes c and returns whom to tell.
	apply func(c *Case, cmd Command, env Env) []Notification
}

var rules = map[Action]rule{
	ActSubmit: {
		state: inStage(StageDraft),
		who:   isOfficer,
		input: func(c *Case, _ Command, _ Env) Problems { return readyToSubmit(c) },
		apply: func(c *Case, _ Command, _ Env) []Notification {
			c.Stage = StageApproval
			clearSignatures(c)
			return []Notification{{Kind: NotifySubmitted, To: c.Approvers[0].Person}}
		},
	},
	ActApprove: {
		state: inStage(StageApproval),
		who: func(c *Case, u User) bool {
			i := c.NextApprover()
			return i >= 0 && u.Active && c.Approvers[i].ID == u.ID
		},
		apply: func(c *Case, _ Command, env Env) []Notification {
			t := env.Now
			c.Approvers[c.NextApprover()].SignedAt = &t
			if next := c.NextApprover(); next >= 0 {
				return []Notification{{Kind: NotifySubmitted, To: c.Approvers[next].Person}}
			}
			moveTo(c, 0)
			return notifyEach(NotifyApproved, env.Secretaries, "")
		},
	},
	ActReject: {
		state: inStage(StageApproval),
		who:   func(c *Case, u User) bool { return u.Active && c.IsApprover(u.ID) },
		input: needReason,
		apply: func(c *Case, cmd Command, _ Env) []Notification {
			c.Stage = StageDraft
			clearSignatures(c)
			return []Notification{{Kind: NotifyRejected, To: c.Officer, Reason: cmd.Reason}}
		},
	},
	ActAdvance: {
		state: func(c *Case) *Error {
			if err := onRoute(c); err != nil {
				return err
			}
			if c.Step == c.DecidingStep() {
				return Errorf(ECONFLICT, "%s ska besluta och beslutet expedieras innan ärendet går vidare", c.Route[c.Step].Body.Name)
			}
			if c.Step+1 >= len(c.Route) {
				return Errorf(ECONFLICT, "Ärendet är i beslutsplaneringens sista steg; avsluta det i stället")
			}
			return nil
		},
		who: isSecretary,
		apply: func(c *Case, _ Command, _ Env) []Notification {
			moveTo(c, c.Step+1)
			return []Notification{{Kind: NotifyAdvanced, To: c.Officer}}
		},
	},
	ActPostpone: {
		// A decided case can still wait at a later body (e.g. kommunstyrelsen
		// bordlägger), but the deciding step itself is over once decided.
		state: func(c *Case) *Error {
			if err := onRoute(c); err != nil {
				return err
			}
			if c.Decision != nil && c.Step == c.DecidingStep() {
				return Errorf(ECONFLICT, "Ärendet är redan beslutat")
			}
			return nil
		},
		who: isSecretary,
		input: func(c *Case, cmd Command, env Env) Problems {
			var p Problems
			cur := c.Route[c.Step].Date
			var earlier Date // the latest date of the steps before this one
			for _, s := range c.Route[:c.Step] {
				if s.Date.After(earlier) {
					earlier = s.Date
				}
			}
			switch {
			case cmd.Date.IsZero():
				p.Add("date", "Ange det nya sammanträdesdatumet")
			case !cur.IsZero() && !cmd.Date.After(cur):
				p.Add("date", "Det nya datumet måste vara senare än %s", cur)
			case cur.IsZero() && cmd.Date.Before(earlier):
				p.Add("date", "Det nya datumet kan inte vara före %s, då föregående steg sammanträder", earlier)
			case cmd.Date.Before(Today(env.Now)):
				p.Add("date", "Det nya datumet %s har redan passerat", cmd.Date)
			default:
				next := c.Clone()
				if msg := postpone(&next, cmd, env); msg != "" {
					p.Add("date", "%s", msg)
				}
			}
			return p
		},
		apply: func(c *Case, cmd Command, env Env) []Notification {
			postpone(c, cmd, env)
			return []Notification{{Kind: NotifyPostponed, To: c.Officer, Reason: cmd.Reason}}
		},
	},
	ActReturn: {
		state: undecidedOnRoute,
		who:   isSecretary,
		input: needReason,
		apply: func(c *Case, cmd Command, _ Env) []Notification {
			c.Stage, c.Step = StageDraft, -1
			clearSignatures(c)
			return []Notification{{Kind: NotifyReturned, To: c.Officer, Reason: cmd.Reason}}
		},
	},
	ActDecide: {
		state: func(c *Case) *Error {
			if err := onRoute(c); err != nil {
				return err
			}
			if c.Step != c.DecidingStep() {
				return Errorf(ECONFLICT, "Beslut registreras när ärendet är hos den beslutande nämnden; nu är det hos %s", c.Route[c.Step].Body.Name)
			}
			if c.Decision != nil {
				return Errorf(ECONFLICT, "Beslutet är redan registrerat")
			}
			return nil
		},
		who: isSecretary,
		input: func(_ *Case, cmd Command, _ Env) Problems {
			var p Problems
			if Blank(cmd.Decision) {
				p.Add("decision", "Skriv beslutets text")
			}
			if cmd.DecisionType != "" && !cmd.DecisionType.Valid() {
				p.Add("decision_type", "Okänd beslutstyp %q", cmd.DecisionType)
			}
			if cmd.DecisionType == DecisionReturned || cmd.DecisionType == DecisionTabled {
				p.Add("decision_type", "Återremiss och bordläggning är egna åtgärder, inte beslut i sak")
			}
			return p
		},
		apply: func(c *Case, cmd Command, env Env) []Notification {
			t := cmd.DecisionType
			if t == "" {
				t = DecisionApproved
			}
			c.Decision = &Decision{Type: t, Text: strings.TrimSpace(cmd.Decision), DecidedAt: env.Now, DecidedBy: env.Actor.Person()}
			return nil
		},
	},
	ActDispatch: {
		state: func(c *Case) *Error {
			if err := onRoute(c); err != nil {
				return err
			}
			if c.Decision == nil || c.Step != c.DecidingStep() {
				return Errorf(ECONFLICT, "Det finns inget beslut att expediera; registrera beslutet först")
			}
			if c.Decision.DispatchedAt != nil {
				return Errorf(ECONFLICT, "Beslutet är redan expedierat")
			}
			if c.Decision.AwaitsJustering {
				return Errorf(ECONFLICT, "Beslutet (%s) står i ett protokoll som inte är justerat än; expediera när justerarna har skrivit under",
					c.Decision.Paragraph)
			}
			return nil
		},
		who: isSecretary,
		apply: func(c *Case, _ Command, env Env) []Notification {
			t := env.Now
			c.Decision.DispatchedAt = &t
			if c.Step+1 < len(c.Route) {
				moveTo(c, c.Step+1)
			}
			var to []Person
			for _, r := range c.Recipients {
				to = append(to, Person{Name: r.Name, Email: r.Email})
			}
			return notifyEach(NotifyDispatched, to, "")
		},
	},
	ActClose: {
		state: func(c *Case) *Error {
			if err := onRoute(c); err != nil {
				return err
			}
			if c.Step != len(c.Route)-1 {
				return Errorf(ECONFLICT, "Ärendet kan avslutas först i beslutsplaneringens sista steg")
			}
			if d := c.DecidingStep(); d >= 0 && (c.Decision == nil || c.Decision.DispatchedAt == nil) {
				return Errorf(ECONFLICT, "Beslutet ska registreras och expedieras innan ärendet avslutas")
			}
			return nil
		},
		who: isSecretary,
		apply: func(c *Case, _ Command, _ Env) []Notification {
			c.Stage, c.Step = StageClosed, len(c.Route)
			return []Notification{{Kind: NotifyClosed, To: c.Officer}}
		},
	},
	ActWithdraw: {
		state: func(c *Case) *Error {
			if !c.Open() {
				return Errorf(ECONFLICT, "Ärendet är redan avslutat")
			}
			return nil
		},
		who:   func(c *Case, u User) bool { return isOfficer(c, u) || isSecretary(c, u) },
		input: needReason,
		apply: func(c *Case, cmd Command, env Env) []Notification {
			c.Stage = StageClosed
			c.ClosedNote = cmd.Reason
			if env.Actor.ID == c.Officer.ID {
				return nil
			}
			return []Notification{{Kind: NotifyWithdrawn, To: c.Officer, Reason: cmd.Reason}}
		},
	},
}

// Apply takes one action on a copy of c. It checks, in this order, that the
// action exists (EINVALID), fits the case's stage (ECONFLICT), is the actor's to
// take (EFORBIDDEN), was taken on the current version (ECONFLICT) and has the
// input it needs (EINVALID).
func Apply(c Case, cmd Command, env Env) (Result, error) {
	r, ok := rules[cmd.Action]
	if !ok {
		return Result{}, Errorf(EINVALID, "Okänd åtgärd %q; tillåtna är %s", cmd.Action, actionList())
	}
	if err := r.state(&c); err != nil {
		if cmd.Version != c.Version {
			// Both are conflicts; when someone else's change moved the case
			// out of the stage, what the client needs to hear is that it
			// changed since it was read.
			return Result{}, staleVersion(c, cmd.Version)
		}
		return Result{}, err
	}
	if err := atMeeting(&c, cmd.Action); err != nil {
		return Result{}, err
	}
	if !r.who(&c, env.Actor) {
		return Result{}, Errorf(EFORBIDDEN, "Du får inte utföra åtgärden ”%s” på ärende %s%s", cmd.Action.Label(), c.Number, whyNot(&c, cmd.Action, env.Actor))
	}
	if cmd.Version != c.Version {
		return Result{}, staleVersion(c, cmd.Version)
	}
	if err := reasonProblems(cmd).Err(); err != nil {
		return Result{}, err
	}
	return applyRule(c, r, cmd, env, nil)
}

// applyRule validates the command's input and applies r to a copy of c. also,
// when set, changes the copy further before the event is written (a meeting
// decision adds its paragraph).
func applyRule(c Case, r rule, cmd Command, env Env, also func(next *Case, payload map[string]any)) (Result, error) {
	cmd.Reason = strings.TrimSpace(cmd.Reason)
	if r.input != nil {
		if err := r.input(&c, cmd, env).Err(); err != nil {
			return Result{}, err
		}
	}
	from := c.Stage
	next := c.Clone()
	notes := r.apply(&next, cmd, env)
	next.Version++
	next.UpdatedAt = env.Now
	payload := actionPayload(&c, &next, cmd)
	if also != nil {
		also(&next, payload)
	}
	ev := Event{CaseNumber: c.Number, At: env.Now, Actor: env.Actor.Person(), Action: string(cmd.Action),
		From: from, To: next.Stage, Reason: cmd.Reason, Payload: payloadJSON(payload)}
	return Result{Case: next, Event: ev, Deadlines: PlanDeadlines(&next, env.Secretaries, env.Policy), Notifications: notes}, nil
}

// Allowed lists the actions u may take on c now (input aside). Whose
// action it is is asked first: that is a comparison, while the state's and
// the meeting's checks write their refusal in Swedish.
func Allowed(c *Case, u User) []Action {
	var out []Action
	for _, a := range Actions {
		r := rules[a]
		if r.who(c, u) && r.state(c) == nil && atMeeting(c, a) == nil {
			out = append(out, a)
		}
	}
	return out
}

// whyNot says whose action it is; people are named only to those who may
// see the case's content (a secret case names nobody to outsiders).
func whyNot(c *Case, a Action, u User) string {
	named := c.Sees(&u)
	switch a {
	case ActSubmit:
		if !named {
			return "; det gör ärendets handläggare"
		}
		return "; det gör handläggaren " + c.Officer.Name
	case ActApprove:
		if !named {
			return "; det gör ärendets ansvariga chefer i tur och ordning"
		}
		if i := c.NextApprover(); i >= 0 {
			return "; det är " + c.Approvers[i].Name + "s tur att godkänna"
		}
	case ActReject:
		return "; det gör någon av de ansvariga cheferna"
	case ActWithdraw:
		return "; det gör handläggaren eller nämndsekreteraren"
	}
	return "; det gör nämndsekreteraren för " + c.Board.Code
}

func staleVersion(c Case, got int) *Error {
	if got < 0 { // a form whose version was no number (formVersion)
		return Errorf(ECONFLICT, "Formuläret har inget giltigt versionsnummer. Läs in ärendet igen och försök på nytt.")
	}
	return Errorf(ECONFLICT, "Ärendet har ändrats sedan du öppnade det (du har version %d, aktuell är %d). Läs in det igen och försök på nytt.", got, c.Version)
}

func actionList() string {
	names := make([]string, len(Actions))
	for i, a := range Actions {
		names[i] = string(a)
	}
	return strings.Join(names, ", ")
}

func actionPayload(before, after *Case, cmd Command) map[string]any {
	p := map[string]any{}
	if st := after.CurrentStep(); after.Step != before.Step && st != nil {
		p["step"] = st.Body.Code
		if !st.Date.IsZero() {
			p["date"] = st.Date.String()
		}
	}
	switch cmd.Action {
	case ActApprove:
		signed := before.Approvers[before.NextApprover()]
		p["approver"] = signed.Name
	case ActPostpone:
		p["from"] = before.Route[before.Step].Date.String()
		p["to"] = cmd.Date.String()
		var moved []string
		for i := before.Step + 1; i < len(after.Route); i++ {
			if after.Route[i].Date != before.Route[i].Date {
				moved = append(moved, after.Route[i].Body.Code+" "+after.Route[i].Date.String())
			}
		}
		if len(moved) > 0 {
			p["moved"] = moved
		}
	case ActDecide:
		p["decision"] = after.Decision.Text
		p["type"] = after.Decision.Type
	case ActDispatch:
		var to []string
		for _, r := range after.Recipients {
			to = append(to, r.Name)
		}
		p["recipients"] = to
	}
	return p
}

func payloadJSON(p map[string]any) []byte {
	if len(p) == 0 {
		return nil
	}
	return mustJSON(p)
}

func inStage(s Stage) func(c *Case) *Error {
	return func(c *Case) *Error {
		if c.Stage != s {
			return wrongStage(c, s)
		}
		return nil
	}
}

func wrongStage(c *Case, want Stage) *Error {
	return Errorf(ECONFLICT, "Åtgärden kräver att ärendet är i steget %s, men det är i %s", want.Label(), c.Stage.Label())
}

func onRoute(c *Case) *Error {
	if c.CurrentStep() == nil {
		return Errorf(ECONFLICT, "Åtgärden kräver att ärendet är ute i beslutsplaneringen, men det är i %s", c.Stage.Label())
	}
	return nil
}

func undecidedOnRoute(c *Case) *Error {
	if err := onRoute(c); err != nil {
		return err
	}
	if c.Decision != nil {
		return Errorf(ECONFLICT, "Ärendet är redan beslutat")
	}
	return nil
}

func isOfficer(c *Case, u User) bool { return u.Active && u.ID == c.Officer.ID }

func isSecretary(c *Case, u User) bool { return u.Has(c.Board.Code, RoleSecretary) }

// MaxReason bounds the reason a person gives for an action (Apply), in
// characters: it stays in the case's hash-chained history for good and goes
// out in mail. A decision of återremiss or bordläggning at a meeting is the
// reason of its action, and is bounded as a decision's text (MaxText,
// DecideAtMeeting).
const MaxReason = 5000

// reasonProblems bounds the reason of a command (MaxReason).
func reasonProblems(cmd Command) Problems {
	var p Problems
	if utf8.RuneCountInString(strings.TrimSpace(cmd.Reason)) > MaxReason {
		p.Add("reason", "Skälet får vara högst %d tecken", MaxReason)
	}
	return p
}

func needReason(_ *Case, cmd Command, _ Env) Problems {
	var p Problems
	if Blank(cmd.Reason) {
		p.Add("reason", "Ange ett skäl; det sparas i ärendets historik")
	}
	return p
}

func readyToSubmit(c *Case) Problems {
	var p Problems
	if Blank(c.Title) {
		p.Add("title", "Ärendet saknar rubrik")
	}
	if len(c.Proposals) == 0 {
		p.Add("proposals", "Ärendet saknar förslag till beslut")
	}
	if len(c.Route) == 0 {
		p.Add("route", "Ärendet saknar beslutsplanering")
	}
	if len(c.Approvers) == 0 {
		p.Add("approvers", "Ärendet saknar ansvariga chefer som ska godkänna")
	}
	return p
}

func clearSignatures(c *Case) {
	for i := range c.Approvers {
		c.Approvers[i].SignedAt = nil
	}
}

func moveTo(c *Case, step int) {
	c.Step = step
	c.Stage = c.Route[step].Body.Kind.Stage()
}

// postpone moves the current step to the command's date, which must be a
// meeting of its body unless the command asks for a nytt extra sammanträde
// (ChooseMeeting). Later steps that would no longer come after it keep their
// distance to it, onto a work day and, when their body has a plan for that
// year, onto its first meeting from that day, so the route stays in date
// order. It returns why the move is refused, empty when it is not. Without
// env.Meetings the meetings are the store's to check.
func postpone(c *Case, cmd Command, env Env) string {
	cur := &c.Route[c.Step]
	if env.Meetings != nil {
		if _, msg := ChooseMeeting(cur.Body, cmd.Date, cmd.ExtraMeeting, env.Meetings[cur.Body.ID], Today(env.Now)); msg != "" {
			return msg
		}
	}
	cur.ExtraMeeting = cmd.ExtraMeeting
	if cur.Date.IsZero() { // not postponed but planned: there was no date to move from
		cur.Date = cmd.Date
		return ""
	}
	shift := cur.Date.DaysUntil(cmd.Date)
	cur.Postponed = append(cur.Postponed, cur.Date)
	cur.Date = cmd.Date
	cur.MeetingID = 0
	prev := cmd.Date
	for i := c.Step + 1; i < len(c.Route); i++ {
		s := &c.Route[i]
		if s.Date.IsZero() || s.Date.After(prev) {
			break
		}
		to := NextWorkday(s.Date.AddDays(shift))
		if !to.After(prev) {
			// The step before landed later than the shift (its body's next
			// meeting after a break): a step never comes before the one it
			// follows.
			to = NextWorkday(prev.AddDays(1))
		}
		if days := env.Meetings[s.Body.ID]; hasPlan(days, to.Year) {
			d, ok := firstMeetingFrom(days, to)
			if !ok {
				return fmt.Sprintf("Steget %s %s behöver flyttas till %s eller senare, men %s har inget planerat sammanträde då; planera fler i sammanträdesplanen först",
					s.Body.Name, s.Date, to, s.Body.Name)
			}
			to = d
		}
		s.Postponed = append(s.Postponed, s.Date)
		s.Date = to
		s.MeetingID = 0
		prev = to
	}
	return ""
}
