package workflow

import (
	"slices"
	"strings"
)

// A route step and a bordläggning choose among the meetings of the step's
// body, its sammanträdesplan. Another date needs the explicit choice of a
// "nytt extra sammanträde"; that meeting is then made, even on a day that is
// not a work day (a Saturday, a holiday, midsommarafton, julafton or
// nyårsafton), with a warning, as "Planera ändå" does in the plan. A body
// with no planned meeting in the date's year keeps the rule from before
// there were plans: a work day makes its meeting when the first case is put
// there, a day off is refused (issue 9).

// MeetingOrigin says how a meeting came to be.
type MeetingOrigin string

const (
	// OriginPlan is a meeting planned ahead: in the sammanträdesplan, or
	// one by one by the secretary.
	OriginPlan MeetingOrigin = "plan"
	// OriginExtra is a nytt extra sammanträde, asked for explicitly by a
	// route step or a bordläggning to a day the body had no meeting on.
	OriginExtra MeetingOrigin = "extra"
	// OriginUnplanned is a meeting made for a route date in a year the body
	// had no planned meeting in.
	OriginUnplanned MeetingOrigin = "unplanned"
)

// MeetingOrigins lists the origins.
var MeetingOrigins = []MeetingOrigin{OriginPlan, OriginExtra, OriginUnplanned}

// Valid reports whether o is a known origin.
func (o MeetingOrigin) Valid() bool { return slices.Contains(MeetingOrigins, o) }

// Label is what the meeting's pages call a meeting of this origin: "extra
// sammanträde", or empty for the others.
func (o MeetingOrigin) Label() string {
	if o == OriginExtra {
		return "extra sammanträde"
	}
	return ""
}

// MeetingDay is a day a body meets, as choosing a meeting needs it.
type MeetingDay struct {
	Date   Date
	Origin MeetingOrigin
	Status MeetingStatus
}

// MeetingDays are the days bodies meet, by body id, each in date order. The
// store fills Env.Meetings with them for the actions that choose a meeting
// (bordläggning); the days of every year from the current one on.
type MeetingDays map[int64][]MeetingDay

// MeetingChoice is what a dated route step does about its meeting.
type MeetingChoice struct {
	// Existing is set when the body meets that day: the step joins that meeting.
	Existing bool
	// New is the origin of the meeting the step makes that day, when not Existing.
	New MeetingOrigin
	// DayOff names the day of a new meeting that is not a work day, as
	// DayOff does ("en lördag", "julafton"); empty on a work day.
	DayOff string
}

// meetingSuggestions is how many meetings a refusal names, and
// suggestionDays how far from the date they may be.
const (
	meetingSuggestions = 3
	suggestionDays     = 90
)

// ChooseMeeting decides the meeting a route step of body on date joins. days
// are the body's meeting days in date order, at least those of date's year
// and the nearest on each side of it; extra is the explicit choice of a nytt
// extra sammanträde; today bounds the meetings a refusal names. When the
// date is refused, refusal says why in Swedish, naming the nearest meetings
// still to be held, and the choice is zero.
func ChooseMeeting(body Body, date Date, extra bool, days []MeetingDay, today Date) (choice MeetingChoice, refusal string) {
	if slices.ContainsFunc(days, func(d MeetingDay) bool { return d.Date == date }) {
		return MeetingChoice{Existing: true}, ""
	}
	off := DayOff(date)
	switch {
	case date.After(LastMeetingDay(today)):
		return MeetingChoice{}, body.Name + " " + date.String() + ": " + farMeetingText(today)
	case extra:
		return MeetingChoice{New: OriginExtra, DayOff: off}, ""
	case !hasPlan(days, date.Year) && off == "":
		return MeetingChoice{New: OriginUnplanned}, ""
	case !hasPlan(days, date.Year):
		return MeetingChoice{}, body.Name + " " + date.String() + " är " + off +
			" och har inget planerat sammanträde; välj ett planerat datum, eller välj nytt extra sammanträde den dagen"
	}
	what := body.Name + " har inget sammanträde " + date.String()
	if off != "" {
		what += " (" + off + ")"
	}
	near := NearestMeetings(days, date, today, meetingSuggestions)
	if len(near) == 0 {
		return MeetingChoice{}, what + " och inget annat planerat inom tre månader; planera fler i sammanträdesplanen, eller välj nytt extra sammanträde den dagen"
	}
	return MeetingChoice{}, what + ". Närmaste planerade: " + joinDates(near) +
		". Välj ett av dem, eller välj nytt extra sammanträde den dagen"
}

// hasPlan reports whether days hold a planned meeting in year.
func hasPlan(days []MeetingDay, year int) bool {
	return slices.ContainsFunc(days, func(d MeetingDay) bool { return d.Origin == OriginPlan && d.Date.Year == year })
}

// NearestMeetings are up to n meetings of days within three months of date
// that a case can still be put on (planned, kallelse not sent) and that are
// not before today (unless date itself is): the last one before date, then
// those after it.
func NearestMeetings(days []MeetingDay, date, today Date, n int) []Date {
	var open []Date
	for _, d := range days {
		near := !d.Date.Before(date.AddDays(-suggestionDays)) && !d.Date.After(date.AddDays(suggestionDays))
		if near && d.Status == MeetingPlanned && (!d.Date.Before(today) || date.Before(today)) {
			open = append(open, d.Date)
		}
	}
	from, _ := slices.BinarySearchFunc(open, date, Date.Compare)
	from = max(0, min(from-1, len(open)-n))
	return open[from:min(from+n, len(open))]
}

// joinDates writes dates as Swedish lists them: "2027-01-14, 2027-01-28 och 2027-02-11".
func joinDates(ds []Date) string {
	words := make([]string, len(ds))
	for i, d := range ds {
		words[i] = d.String()
	}
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " och " + words[len(words)-1]
}

// firstMeetingFrom is the first day on or after date that the body of days
// meets on and a case can still be put on (planned, kallelse not sent).
func firstMeetingFrom(days []MeetingDay, date Date) (Date, bool) {
	for _, d := range days {
		if !d.Date.Before(date) && d.Status == MeetingPlanned {
			return d.Date, true
		}
	}
	return Date{}, false
}

// NewExtraMeeting is an extra meeting a change made for a case's route step.
type NewExtraMeeting struct {
	Body   Body
	Date   Date
	DayOff string // as DayOff says it; empty on a work day
}

// Title names the meeting: "ASN arbetsutskott 2027-01-09".
func (n NewExtraMeeting) Title() string { return n.Body.Name + " " + n.Date.String() }

// Warning says that the meeting is on a day that is not a work day; empty on a work day.
func (n NewExtraMeeting) Warning() string {
	if n.DayOff == "" {
		return ""
	}
	return "Det extra sammanträdet " + n.Title() + " hålls " + n.DayOff + ", som inte är en arbetsdag; kontrollera att det ska vara så."
}

// NewExtraMeetings are the extra meetings the change that returned c made
// for its route (RouteStep.NewMeeting), in route order.
func (c *Case) NewExtraMeetings() []NewExtraMeeting {
	var out []NewExtraMeeting
	for _, st := range c.Route {
		if st.NewMeeting && st.MeetingOrigin == OriginExtra {
			out = append(out, NewExtraMeeting{Body: st.Body, Date: st.Date, DayOff: DayOff(st.Date)})
		}
	}
	return out
}

// ExtraMeetingWarnings are the warnings of the change that returned c: one
// sentence for each extra meeting it made on a day that is not a work day.
func (c *Case) ExtraMeetingWarnings() []string {
	var out []string
	for _, n := range c.NewExtraMeetings() {
		if w := n.Warning(); w != "" {
			out = append(out, w)
		}
	}
	return out
}
