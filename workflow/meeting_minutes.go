package workflow

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// MemberRole is a member's place in a body.
type MemberRole string

const (
	MemberChair      MemberRole = "chair"      // ordförande
	MemberRegular    MemberRole = "member"     // ledamot
	MemberSubstitute MemberRole = "substitute" // ersättare
	MemberStaff      MemberRole = "staff"      // tjänsteperson
)

// MemberRoles lists the roles in the order a protokoll lists people.
var MemberRoles = []MemberRole{MemberChair, MemberRegular, MemberSubstitute, MemberStaff}

var memberRoleLabels = map[MemberRole]string{
	MemberChair:      "Ordförande",
	MemberRegular:    "Ledamot",
	MemberSubstitute: "Ersättare",
	MemberStaff:      "Tjänsteperson",
}

// Label is the Swedish name of the role.
func (r MemberRole) Label() string { return memberRoleLabels[r] }

// Valid reports whether r is a known role.
func (r MemberRole) Valid() bool { _, ok := memberRoleLabels[r]; return ok }

// Member is someone on a body's member list: the kallelse goes to them, and
// those with a user account can be named justerare.
type Member struct {
	ID     int64      `json:"id"`
	Body   string     `json:"body"`
	Name   string     `json:"name"`
	Email  string     `json:"email,omitempty"`
	Role   MemberRole `json:"role"`
	UserID int64      `json:"user_id,omitempty"`
	Active bool       `json:"active"`
}

// CheckMember validates a member before it is saved.
func CheckMember(m *Member) error {
	var p Problems
	m.Name, m.Email = strings.TrimSpace(m.Name), strings.TrimSpace(m.Email)
	if Blank(m.Name) {
		p.Add("name", "Ange namn")
	}
	if len([]rune(m.Name)) > MaxPlace {
		p.Add("name", "Namnet får vara högst %d tecken", MaxPlace)
	}
	if m.Email != "" {
		if e, err := CheckEmail(m.Email); err != nil {
			p.Add("email", "%s", err)
		} else {
			m.Email = e
		}
	}
	if !m.Role.Valid() {
		p.Add("role", "Okänd roll %q; välj chair, member, substitute eller staff", m.Role)
	}
	return p.Err()
}

// Attendee is a member's attendance at one meeting, and their justering.
type Attendee struct {
	Member   Member     `json:"member"`
	Present  bool       `json:"present"`
	Adjuster bool       `json:"adjuster"` // named justerare
	SignedAt *time.Time `json:"signed_at"`
}

// CheckAttendance validates a new attendance list for m: it may change until
// the first justerare has signed, and every justerare must be present, a
// politician (not staff) and able to log in.
func CheckAttendance(m Meeting, current, next []Attendee, env Env) error {
	if !isBodySecretary(m.Body, env.Actor) {
		return Errorf(EFORBIDDEN, "Bara nämndsekreteraren för %s registrerar närvaro och justerare", m.Body.Board)
	}
	if m.Status.AtLeast(MeetingJustified) || slices.ContainsFunc(current, func(a Attendee) bool { return a.SignedAt != nil }) {
		return Errorf(ECONFLICT, "Justeringen har börjat; närvaro och justerare kan inte längre ändras")
	}
	var p Problems
	seen := map[int64]bool{}
	for i, a := range next {
		field := fmt.Sprintf("attendees[%d]", i)
		switch {
		case seen[a.Member.ID]:
			p.Add(field, "%s står två gånger", a.Member.Name)
		case !a.Adjuster:
		case !a.Present:
			p.Add(field, "%s är justerare men inte närvarande", a.Member.Name)
		case a.Member.Role == MemberStaff:
			p.Add(field, "%s är tjänsteperson och kan inte justera protokollet", a.Member.Name)
		case a.Member.UserID == 0:
			p.Add(field, "%s har inget användarkonto och kan inte justera i Beslutsgång", a.Member.Name)
		}
		seen[a.Member.ID] = true
	}
	return p.Err()
}

// Adjusters are the named justerare among the attendees.
func Adjusters(att []Attendee) []Attendee {
	var out []Attendee
	for _, a := range att {
		if a.Adjuster {
			out = append(out, a)
		}
	}
	return out
}

// Sign records the actor's justering of the protokoll. The caller has checked
// the password. When the last justerare signs, the protokoll is justerat.
// It returns the index in att of the signature.
func Sign(m Meeting, att []Attendee, actor User, now time.Time) (Meeting, []Attendee, int, error) {
	switch {
	case m.Status.AtLeast(MeetingJustified):
		return m, att, -1, Errorf(ECONFLICT, "Protokollet är redan justerat")
	case !m.Status.AtLeast(MeetingHeld):
		return m, att, -1, Errorf(ECONFLICT, "Sammanträdet är inte hållet; det finns inget protokoll att justera")
	}
	i := slices.IndexFunc(att, func(a Attendee) bool { return a.Adjuster && actor.Active && a.Member.UserID == actor.ID })
	if i < 0 {
		return m, att, -1, Errorf(EFORBIDDEN, "Du är inte justerare för %s", m.Title())
	}
	if att[i].SignedAt != nil {
		return m, att, -1, Errorf(ECONFLICT, "Du har redan justerat protokollet")
	}
	att = slices.Clone(att)
	t := now
	att[i].SignedAt = &t
	done := !slices.ContainsFunc(att, func(a Attendee) bool { return a.Adjuster && a.SignedAt == nil })
	if done {
		m.Status, m.JustifiedAt = MeetingJustified, &t
	}
	m.UpdatedAt = now
	return m, att, i, nil
}

// Paragraph is one § of a protokoll: a decision on a case at a meeting. At a
// body that keeps no protokoll (BodyKind.KeepsMinutes) the handling is
// recorded the same way, without a number.
type Paragraph struct {
	Number     int          `json:"number"` // 0: no § (the body keeps no protokoll)
	Year       int          `json:"year"`
	MeetingID  int64        `json:"meeting_id"`
	CaseNumber string       `json:"case"`
	CaseTitle  string       `json:"title"`
	Secret     bool         `json:"secret"`
	Type       DecisionType `json:"type"`
	Text       string       `json:"text"`
	NextDate   Date         `json:"next_date"` // for bordläggning: the later meeting
	DecidedAt  time.Time    `json:"decided_at"`
	DecidedBy  Person       `json:"decided_by"`
	Proposals  []string     `json:"proposals,omitempty"`
	Recipients []Recipient  `json:"recipients,omitempty"`
}

// Label is how the paragraph is written: "§ 12"; empty without a number.
func (p Paragraph) Label() string { return ParagraphLabel(p.Number) }

// Anchor is the fragment of the paragraph on its meeting's protokoll page:
// "p12", or "arende-ASN-2027-3" for a handling without a number.
func (p Paragraph) Anchor() string {
	if p.Number > 0 {
		return fmt.Sprintf("p%d", p.Number)
	}
	return "arende-" + p.CaseNumber
}

// ParagraphLabel writes a paragraph number: "§ 12"; empty for 0, no §.
func ParagraphLabel(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf("§ %d", n)
}

// Minutes is a meeting's protokoll: who was there, who justerar, and the
// paragraphs in order.
type Minutes struct {
	Meeting    Meeting     `json:"meeting"`
	Attendees  []Attendee  `json:"attendees"`
	Paragraphs []Paragraph `json:"paragraphs"`
}
