package workflow

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// MeetingStatus is where a sammanträde is: planned, kallelse sent, held,
// protokoll justerat, justering posted on the anslagstavla. It only moves forward.
type MeetingStatus string

const (
	MeetingPlanned    MeetingStatus = "planned"
	MeetingNoticeSent MeetingStatus = "notice_sent"
	MeetingHeld       MeetingStatus = "held"
	MeetingJustified  MeetingStatus = "justified"
	MeetingPosted     MeetingStatus = "posted"
)

// MeetingStatuses lists the statuses in order.
var MeetingStatuses = []MeetingStatus{MeetingPlanned, MeetingNoticeSent, MeetingHeld, MeetingJustified, MeetingPosted}

var meetingStatusLabels = map[MeetingStatus]string{
	MeetingPlanned:    "Planerat",
	MeetingNoticeSent: "Kallelse skickad",
	MeetingHeld:       "Hållet",
	MeetingJustified:  "Protokollet justerat",
	MeetingPosted:     "Anslaget",
}

// Label is the Swedish name of the status.
func (s MeetingStatus) Label() string { return meetingStatusLabels[s] }

// rank orders statuses: a meeting is "at least held" when its rank is >= held's.
func (s MeetingStatus) rank() int {
	for i, x := range MeetingStatuses {
		if x == s {
			return i
		}
	}
	return -1
}

// AtLeast reports whether s has reached o.
func (s MeetingStatus) AtLeast(o MeetingStatus) bool { return s.rank() >= o.rank() }

// Meeting is a sammanträde of a body on a date.
type Meeting struct {
	ID       int64         `json:"id"`
	Body     Body          `json:"body"`
	Date     Date          `json:"date"`
	Start    string        `json:"time"`     // "HH:MM" or empty when not yet set
	End      string        `json:"end_time"` // "HH:MM" or empty
	Place    string        `json:"place"`
	Status   MeetingStatus `json:"status"`
	Sequence int           `json:"sequence"` // iCalendar SEQUENCE: bumped whenever the meeting moves
	Origin   MeetingOrigin `json:"origin"`   // planned ahead, extra, or made for a route date without a plan

	NoticeSentAt *time.Time `json:"notice_sent_at"`
	HeldAt       *time.Time `json:"held_at"`
	JustifiedAt  *time.Time `json:"justified_at"` // when the last justerare signed
	PostedOn     Date       `json:"posted_on"`    // the day of anslag
	Secretary    Person     `json:"secretary"`    // who kept the protokoll (marked it held)

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// JustifiedOn is the day the protokoll was justerat, zero before.
func (m *Meeting) JustifiedOn() Date {
	if m.JustifiedAt == nil {
		return Date{}
	}
	return Today(*m.JustifiedAt)
}

// Title names the meeting as a person would: "ASN arbetsutskott 2020-01-16".
func (m *Meeting) Title() string { return m.Body.Name + " " + m.Date.String() }

// Legal time limits (Kommunallagen 2017:725; lag (1930:173) om beräkning av
// lagstadgad tid: a period whose last day is a Saturday, Sunday or holiday,
// midsommarafton, julafton or nyårsafton included, ends on the next work day).
const (
	JusteringDays = 14 // justering no later than 14 days after the meeting
	AnslagDays    = 2  // anslag no later than the second day after justering
	AppealDays    = 21 // laglighetsprövning: three weeks from the day of anslag (KL 13 kap 5 §)
)

// lastDay is the last day of a period ending on d, per lag (1930:173).
func lastDay(d Date) Date { return NextWorkday(d) }

// NoticeDue is the last day to send the kallelse: NoticeDays before the
// meeting, moved back to a work day so that "at least N days" still holds.
func NoticeDue(meeting Date, noticeDays int) Date {
	d := meeting.AddDays(-noticeDays)
	for !IsWorkday(d) {
		d = d.AddDays(-1)
	}
	return d
}

// JusteringDue is the last day to justera the protokoll of a meeting.
func JusteringDue(meeting Date) Date { return lastDay(meeting.AddDays(JusteringDays)) }

// AnslagDue is the last day to post the notice of justering on the anslagstavla.
func AnslagDue(justified Date) Date { return lastDay(justified.AddDays(AnslagDays)) }

// AppealEnds is the last day an appeal (laglighetsprövning) can reach förvaltningsrätten.
func AppealEnds(posted Date) Date { return lastDay(posted.AddDays(AppealDays)) }

// LegalForce is the day a decision gains legal force (vinner laga kraft) when
// nobody appealed: the day after the appeal period ended.
func LegalForce(posted Date) Date { return AppealEnds(posted).AddDays(1) }

// MeetingDates are the legal dates of a meeting as far as they are known.
type MeetingDates struct {
	NoticeDue    Date `json:"notice_due"`
	JusteringDue Date `json:"justering_due"`
	AnslagDue    Date `json:"anslag_due"`     // zero until justerat
	AppealEnds   Date `json:"appeal_ends"`    // zero until anslaget
	LegalForce   Date `json:"legal_force"`    // zero until anslaget
	AnslagLate   bool `json:"anslag_late"`    // posted after AnslagDue
	JustifiedOn  Date `json:"justified_on"`   // zero until justerat
	NoticeSentOn Date `json:"notice_sent_on"` // zero until the kallelse is sent
	NoticeLate   bool `json:"notice_late"`    // the kallelse went out after NoticeDue
}

// Dates computes the meeting's legal dates from what has happened so far.
func (m *Meeting) Dates() MeetingDates {
	d := MeetingDates{NoticeDue: NoticeDue(m.Date, m.Body.NoticeDays), JusteringDue: JusteringDue(m.Date),
		JustifiedOn: m.JustifiedOn()}
	if !d.JustifiedOn.IsZero() {
		d.AnslagDue = AnslagDue(d.JustifiedOn)
	}
	if m.NoticeSentAt != nil {
		d.NoticeSentOn = Today(*m.NoticeSentAt)
		d.NoticeLate = d.NoticeSentOn.After(d.NoticeDue)
	}
	if !m.PostedOn.IsZero() {
		d.AppealEnds, d.LegalForce = AppealEnds(m.PostedOn), LegalForce(m.PostedOn)
		d.AnslagLate = !d.AnslagDue.IsZero() && m.PostedOn.After(d.AnslagDue)
	}
	return d
}

// MeetingInput is what a secretary gives when planning or changing a meeting.
type MeetingInput struct {
	Date  Date
	Start string
	End   string
	Place string
}

var clockTime = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

// MaxPlace bounds the place of a meeting.
const MaxPlace = 200

// MaxMeetingYears is how far ahead a new meeting may be: a sammanträdesplan
// covers a year or two, and a year such as 9999 is a slip of the keyboard
// that would otherwise sit in the calendar feeds and OParl for good. Ten
// years is beyond two mandatperioder (four years each, KL 2017:725 5 kap.
// 5 §): no plan reaches that far.
const MaxMeetingYears = 10

// LastMeetingDay is the last day a new meeting may be on, seen from today.
func LastMeetingDay(today Date) Date { return today.AddDays(366 * MaxMeetingYears) }

// farMeetingText says that date is beyond LastMeetingDay(today).
func farMeetingText(today Date) string {
	return fmt.Sprintf("Ett sammanträde kan planeras högst %d år framåt, senast %s", MaxMeetingYears, LastMeetingDay(today))
}

// NewMeeting plans a meeting of body. A new meeting may not be in the past.
func NewMeeting(body Body, in MeetingInput, env Env) (Meeting, error) {
	if !isBodySecretary(body, env.Actor) {
		return Meeting{}, Errorf(EFORBIDDEN, "Bara nämndsekreteraren för %s kan planera sammanträden för %s", body.Board, body.Name)
	}
	p := checkTimes(in)
	switch {
	case in.Date.IsZero():
		p.Add("date", "Ange sammanträdesdagen")
	case in.Date.Before(Today(env.Now)):
		p.Add("date", "Sammanträdesdagen %s har redan passerat", in.Date)
	case in.Date.After(LastMeetingDay(Today(env.Now))):
		p.Add("date", "%s", farMeetingText(Today(env.Now)))
	}
	if err := p.Err(); err != nil {
		return Meeting{}, err
	}
	return Meeting{Body: body, Date: in.Date, Start: in.Start, End: in.End, Place: strings.TrimSpace(in.Place),
		Status: MeetingPlanned, Origin: OriginPlan, CreatedAt: env.Now, UpdatedAt: env.Now}, nil
}

// PlanMeeting is the meeting a route step creates when the first case is put
// on a body's date, of the origin ChooseMeeting gave; the date is checked
// there (imported cases keep theirs, even past ones).
func PlanMeeting(body Body, date Date, origin MeetingOrigin, now time.Time) Meeting {
	return Meeting{Body: body, Date: date, Status: MeetingPlanned, Origin: origin, CreatedAt: now, UpdatedAt: now}
}

// Extra reports whether m is an extra sammanträde, outside the body's plan.
func (m *Meeting) Extra() bool { return m.Origin == OriginExtra }

// ChangeMeeting sets the time and place of a meeting not yet held. A change of
// time bumps the sequence, so calendar clients move the event.
func ChangeMeeting(m Meeting, start, end, place *string, env Env) (Meeting, error) {
	if !isBodySecretary(m.Body, env.Actor) {
		return m, Errorf(EFORBIDDEN, "Bara nämndsekreteraren för %s kan ändra sammanträdet", m.Body.Board)
	}
	if m.Status.AtLeast(MeetingHeld) {
		return m, Errorf(ECONFLICT, "Sammanträdet är redan hållet och kan inte ändras")
	}
	next := m
	if start != nil {
		next.Start = *start
	}
	if end != nil {
		next.End = *end
	}
	if place != nil {
		next.Place = strings.TrimSpace(*place)
	}
	if err := checkTimes(MeetingInput{Date: m.Date, Start: next.Start, End: next.End, Place: next.Place}).Err(); err != nil {
		return m, err
	}
	if next.Start != m.Start || next.End != m.End || next.Place != m.Place {
		next.Sequence++
		next.UpdatedAt = env.Now
	}
	return next, nil
}

// checkTimes checks the times and place of a meeting. A time must be a time
// of day on the meeting's date in Stockholm that the clocks show exactly
// once: not in the hour skipped as summer time starts, nor in the hour that
// occurs twice as it ends (RFC 5545 section 3.3.5 would read the first as
// shifted and the second as its first occurrence; people would not).
func checkTimes(in MeetingInput) Problems {
	var p Problems
	if in.Start != "" && !clockTime.MatchString(in.Start) {
		p.Add("time", "Skriv tiden som TT:MM, t.ex. 13:30")
	} else if msg := stockholmTimeProblem("Starttiden", in.Date, in.Start); msg != "" {
		p.Add("time", "%s", msg)
	}
	if in.End != "" && !clockTime.MatchString(in.End) {
		p.Add("end_time", "Skriv sluttiden som TT:MM, t.ex. 16:00")
	} else if msg := stockholmTimeProblem("Sluttiden", in.Date, in.End); msg != "" {
		p.Add("end_time", "%s", msg)
	}
	if in.End != "" && in.Start == "" {
		p.Add("end_time", "Ange starttid om sluttid anges")
	}
	if in.Start != "" && in.End != "" && in.End <= in.Start {
		p.Add("end_time", "Sluttiden ska vara efter starttiden %s", in.Start)
	}
	if len([]rune(in.Place)) > MaxPlace {
		p.Add("place", "Platsen får vara högst %d tecken", MaxPlace)
	}
	return p
}

// StartTime is when the meeting begins, in Stockholm; ok is false without a time.
func (m *Meeting) StartTime() (t time.Time, ok bool) { return m.clock(m.Start) }

// EndTime is when the meeting ends, in Stockholm; ok is false without an end time.
func (m *Meeting) EndTime() (t time.Time, ok bool) { return m.clock(m.End) }

func (m *Meeting) clock(hhmm string) (time.Time, bool) {
	var h, min int
	if _, err := fmt.Sscanf(hhmm, "%d:%d", &h, &min); err != nil || hhmm == "" {
		return time.Time{}, false
	}
	return m.Date.At(h, min), true
}

// MarkNoticeSent records that the kallelse went out.
func MarkNoticeSent(m Meeting, env Env) (Meeting, error) {
	if !isBodySecretary(m.Body, env.Actor) {
		return m, Errorf(EFORBIDDEN, "Bara nämndsekreteraren för %s skickar kallelsen", m.Body.Board)
	}
	if m.Status != MeetingPlanned {
		return m, Errorf(ECONFLICT, "Kallelsen är redan skickad (sammanträdet är %s)", strings.ToLower(m.Status.Label()))
	}
	t := env.Now
	m.Status, m.NoticeSentAt, m.UpdatedAt = MeetingNoticeSent, &t, env.Now
	return m, nil
}

// MarkHeld records that the meeting took place; the actor keeps the protokoll.
func MarkHeld(m Meeting, env Env) (Meeting, error) {
	if !isBodySecretary(m.Body, env.Actor) {
		return m, Errorf(EFORBIDDEN, "Bara nämndsekreteraren för %s för protokollet", m.Body.Board)
	}
	switch {
	case m.Status == MeetingPlanned:
		return m, Errorf(ECONFLICT, "Kallelsen till sammanträdet är inte skickad; registrera den först")
	case m.Status.AtLeast(MeetingHeld):
		return m, Errorf(ECONFLICT, "Sammanträdet är redan registrerat som hållet")
	case Today(env.Now).Before(m.Date):
		return m, Errorf(ECONFLICT, "Sammanträdet är den %s och kan inte ha hållits ännu", m.Date)
	}
	if start, ok := m.StartTime(); ok && env.Now.Before(start) {
		return m, Errorf(ECONFLICT, "Sammanträdet börjar kl. %s och kan inte ha hållits ännu", m.Start)
	}
	t := env.Now
	m.Status, m.HeldAt, m.UpdatedAt, m.Secretary = MeetingHeld, &t, env.Now, env.Actor.Person()
	return m, nil
}

// Post records the day the notice of justering went up on the anslagstavla.
func Post(m Meeting, day Date, env Env) (Meeting, error) {
	if !isBodySecretary(m.Body, env.Actor) {
		return m, Errorf(EFORBIDDEN, "Bara nämndsekreteraren för %s anslår protokollet", m.Body.Board)
	}
	switch {
	case m.Status == MeetingPosted:
		return m, Errorf(ECONFLICT, "Justeringen anslogs redan den %s", m.PostedOn)
	case m.Status != MeetingJustified:
		return m, Errorf(ECONFLICT, "Protokollet är inte justerat; det kan anslås först när alla justerare har skrivit under")
	}
	var p Problems
	switch {
	case day.IsZero():
		p.Add("date", "Ange dagen då justeringen anslogs")
	case day.Before(m.JustifiedOn()):
		p.Add("date", "Anslaget kan inte vara före justeringen den %s", m.JustifiedOn())
	case day.After(Today(env.Now)):
		p.Add("date", "Anslagsdagen %s har inte kommit än", day)
	}
	if err := p.Err(); err != nil {
		return m, err
	}
	m.Status, m.PostedOn, m.UpdatedAt = MeetingPosted, day, env.Now
	return m, nil
}

// isBodySecretary reports whether u is a secretary of the board the body belongs to.
func isBodySecretary(b Body, u User) bool { return u.Has(b.Board, RoleSecretary) }

// IsMeetingSecretary reports whether u may run meetings of body b.
func IsMeetingSecretary(b Body, u User) bool { return isBodySecretary(b, u) }
