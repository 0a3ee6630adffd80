package workflow

import (
	"strings"
	"unicode/utf8"
)

// MeetingDecision is what the secretary records for one case on the agenda of
// a held meeting.
type MeetingDecision struct {
	Type     DecisionType
	Text     string
	NextDate Date // bordläggning: the date of the later meeting of the same body
	// ExtraMeeting asks, for a bordläggning to a day the body has no
	// meeting on, for a nytt extra sammanträde that day (ChooseMeeting).
	ExtraMeeting bool
	// Version is the case version the secretary saw; 0 leaves the check to the
	// meeting (see DecideAtMeeting).
	Version int
	// Paragraph is the § number the store assigned in the same transaction;
	// 0 at a body that keeps no protokoll, which gives none.
	Paragraph int
	// Confirmed keeps a text that still says "föreslås" (StillProposed): a
	// protokoll records what the body decided, so such a text is refused
	// unless the secretary confirms it.
	Confirmed bool
}

// DecideAtMeeting records a decision on c at meeting m and moves the case as
// the decision says. At the deciding step, bifall, ändrat förslag and avslag
// are the case's decision (with its §), as the decide action; at a preparing
// step (presidium, arbetsutskott) or a later body they are the body's
// proposal and the case goes on to the next step (or is closed after the last).
// Återremiss sends the case back to the officer as the return action, and
// bordläggning moves it to the body's later meeting as the postpone action.
//
// Consistency does not need the case version: the decision is only accepted
// while the case's current step is at this meeting, and the store allows one
// decision per case and meeting. Once recorded, the case has left the step
// (or holds a decision), so a second or late decision is a conflict. A version,
// when given, is checked as well.
func DecideAtMeeting(c Case, m Meeting, d MeetingDecision, env Env) (Result, error) {
	if err := CanDecideAt(m, env.Actor); err != nil {
		return Result{}, err
	}
	st := c.CurrentStep()
	if st == nil || st.MeetingID != m.ID {
		where := c.Stage.Label()
		if st != nil {
			where = st.Body.Name + " " + st.Date.String()
		}
		return Result{}, Errorf(ECONFLICT, "Ärende %s är inte uppe för beslut vid %s; det är nu hos %s", c.Number, m.Title(), where)
	}
	if d.Version != 0 && d.Version != c.Version {
		return Result{}, staleVersion(c, d.Version)
	}
	d.Text = strings.TrimSpace(d.Text)
	p := d.Problems()
	if !m.Body.Kind.KeepsMinutes() {
		d.Paragraph = 0
	}
	if d.Type == DecisionHandled && c.Step == c.DecidingStep() {
		p.Add("type", "%s beslutar i ärendet: välj bifall, ändrat förslag, avslag, återremiss eller bordläggning", m.Body.Name)
	}
	if err := p.Err(); err != nil {
		return Result{}, err
	}
	cmd := Command{Version: c.Version}
	switch d.Type {
	case DecisionReturned:
		cmd.Action, cmd.Reason = ActReturn, d.Text
	case DecisionTabled:
		cmd.Action, cmd.Date, cmd.Reason, cmd.ExtraMeeting = ActPostpone, d.NextDate, d.Text, d.ExtraMeeting
	default:
		switch {
		case c.Step == c.DecidingStep():
			cmd.Action, cmd.Decision, cmd.DecisionType = ActDecide, d.Text, d.Type
		case c.Step+1 < len(c.Route):
			cmd.Action = ActAdvance
		default:
			cmd.Action = ActClose
		}
	}
	r := rules[cmd.Action]
	if err := r.state(&c); err != nil {
		return Result{}, err
	}
	label := ParagraphLabel(d.Paragraph)
	return applyRule(c, r, cmd, env, func(next *Case, payload map[string]any) {
		if cmd.Action == ActDecide {
			next.Decision.Paragraph = label
		}
		if label != "" {
			payload["paragraph"] = label
		}
		payload["meeting"] = m.ID
		payload["body"] = m.Body.Code
		payload["meeting_date"] = m.Date.String()
		payload["decision_type"] = d.Type
		payload["decision"] = d.Text
	})
}

// CanDecideAt says why actor cannot record decisions at m now, or nil.
func CanDecideAt(m Meeting, actor User) error {
	switch {
	case !isBodySecretary(m.Body, actor):
		return Errorf(EFORBIDDEN, "Bara nämndsekreteraren för %s registrerar beslut vid %s", m.Body.Board, m.Body.Name)
	case !m.Status.AtLeast(MeetingHeld):
		return Errorf(ECONFLICT, "Sammanträdet %s är inte hållet; beslut registreras när det har hållits", m.Title())
	case m.Status != MeetingHeld:
		return Errorf(ECONFLICT, "Protokollet för %s är justerat; inga fler beslut kan registreras", m.Title())
	}
	return nil
}

// Problems are what is wrong with the decision's own fields, type and text;
// a form checks them with a date it could not read, so every problem shows at once.
func (d MeetingDecision) Problems() Problems {
	var p Problems
	if !d.Type.Valid() {
		p.Add("type", "Okänd beslutstyp %q; välj approved, amended, rejected, returned, tabled eller handled", d.Type)
	}
	switch {
	case Blank(d.Text):
		p.Add("text", "Skriv beslutets text")
	case utf8.RuneCountInString(d.Text) > MaxText:
		p.Add("text", "Texten får vara högst %d tecken", MaxText)
	case StillProposed(d.Text) && !d.Confirmed:
		p.Add("text", "Texten säger fortfarande ”föreslås”, som förslaget gör. Skriv den som beslut (”… beslutar att …”) eller bekräfta att den ska stå så i protokollet")
	}
	return p
}
