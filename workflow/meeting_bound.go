package workflow

import (
	"regexp"
	"strconv"
	"strings"
)

// The meeting moves the case. At a route step whose body has a meeting for
// it, the case is on that meeting's föredragningslista and leaves it only by
// being handled there (DecideAtMeeting): the body's proposal or "behandlat"
// at a presidium or arbetsutskott, beslut, återremiss or bordläggning at the
// deciding board. Before the kallelse goes out the secretary may still move
// it to a later meeting (postpone) or send it back (return); after that, only
// the meeting does, until it has been held: a case it did not handle must
// then go on to another meeting. A step without a meeting (an undated "then
// kommunstyrelsen") moves by the free-standing actions as before.

// atMeeting says why the free-standing action a cannot be taken on c at its
// current step, because that step's meeting decides it; nil when it can.
func atMeeting(c *Case, a Action) *Error {
	st := c.CurrentStep()
	if st == nil {
		return nil
	}
	where := st.Body.Name
	if !st.Date.IsZero() {
		where += " " + st.Date.String()
	}
	if a == ActDecide {
		if st.MeetingID == 0 {
			return Errorf(ECONFLICT, "Beslutet fattas vid ett sammanträde med %s; välj först ett sammanträde för steget (bordlägg till ett planerat datum) och registrera sedan beslutet på sammanträdets sida", st.Body.Name)
		}
		return Errorf(ECONFLICT, "Beslutet fattas vid sammanträdet %s; registrera det på sammanträdets sida, där det får sin paragraf", where)
	}
	if st.MeetingID == 0 {
		return nil
	}
	handled := c.Step == c.DecidingStep() && c.Decision != nil
	switch a {
	case ActAdvance:
		return Errorf(ECONFLICT, "Ärendet går vidare när %s har hållits och ärendet har behandlats där; registrera behandlingen på sammanträdets sida", where)
	case ActClose:
		if !handled {
			return Errorf(ECONFLICT, "Ärendet avslutas när %s har hållits och ärendet har behandlats där; registrera behandlingen på sammanträdets sida", where)
		}
	case ActPostpone, ActReturn:
		// Once the kallelse is out the meeting decides; once it has been held
		// without handling the case, the case must go on to another meeting.
		if st.MeetingStatus == MeetingNoticeSent {
			return Errorf(ECONFLICT, "Kallelsen till %s är skickad; bordläggning och återremiss beslutas nu vid sammanträdet", where)
		}
	}
	return nil
}

// proposalVerb finds the proposal's "föreslås besluta" (or "föreslås"), the
// form a tjänsteskrivelse uses; a protokoll says "beslutar".
var proposalVerb = regexp.MustCompile(`(?i)\bföreslås\s+(besluta\s+)?`)

// DecisionDraft turns a report's proposals (förslag till beslut) into the
// text of a decision: "Arbetsmarknads- och socialnämnden föreslås besluta att
// godkänna redovisningen" becomes "Arbetsmarknads- och socialnämnden beslutar
// att godkänna redovisningen". Several proposals are numbered lines.
func DecisionDraft(proposals []string) string {
	var lines []string
	for _, p := range proposals {
		p = strings.TrimSpace(proposalVerb.ReplaceAllString(strings.TrimSpace(p), "beslutar "))
		if p != "" {
			lines = append(lines, p)
		}
	}
	if len(lines) < 2 {
		return strings.Join(lines, "")
	}
	for i := range lines {
		lines[i] = strconv.Itoa(i+1) + ". " + lines[i]
	}
	return strings.Join(lines, "\n")
}

// StillProposed reports whether a decision text still speaks as a proposal
// ("föreslås"), which a protokoll must not.
func StillProposed(text string) bool { return proposalVerb.MatchString(text) }
