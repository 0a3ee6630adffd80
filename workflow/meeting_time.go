package workflow

import (
	"fmt"
	"slices"
	"time"
)

// stockholmInstants are the instants at which the clocks in Stockholm show
// hour:min on d: none when the time falls in the hour skipped as summer time
// starts, two when it falls in the hour that occurs twice as summer time
// ends, else one. (RFC 5545 section 3.3.5 calls these nonexistent and
// ambiguous local times.)
func stockholmInstants(d Date, hour, min int) []time.Time {
	wall := time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, time.UTC)
	var out []time.Time
	// The offsets in force a day before and a day after cover every change
	// of the clocks that can touch this day.
	for _, offset := range []int{offsetAt(wall.Add(-24 * time.Hour)), offsetAt(wall.Add(24 * time.Hour))} {
		t := wall.Add(-time.Duration(offset) * time.Second).In(Stockholm)
		y, m, day := t.Date()
		if y == d.Year && m == d.Month && day == d.Day && t.Hour() == hour && t.Minute() == min && !slices.ContainsFunc(out, t.Equal) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// offsetAt is Stockholm's offset from UTC, in seconds, at t.
func offsetAt(t time.Time) int {
	_, offset := t.In(Stockholm).Zone()
	return offset
}

// clockChange describes the change of the clocks that began the zone period
// of t: the time the clocks showed before and after it, and whether summer
// time started. ok is false if there is none.
func clockChange(t time.Time) (from, to time.Time, summer, ok bool) {
	at, _ := t.In(Stockholm).ZoneBounds()
	if at.IsZero() {
		return time.Time{}, time.Time{}, false, false
	}
	_, before := at.Add(-time.Second).In(Stockholm).Zone()
	return at.In(time.FixedZone("", before)), at.In(Stockholm), at.In(Stockholm).IsDST(), true
}

// stockholmTimeProblem says, in Swedish, why hh:mm on d cannot be a meeting
// time (label names it: "Starttiden", "Sluttiden"); empty when it can. A time
// the clocks skip does not exist, and one they show twice would be ambiguous.
func stockholmTimeProblem(label string, d Date, hhmm string) string {
	var hour, min int
	if d.IsZero() || !clockTime.MatchString(hhmm) {
		return ""
	}
	if _, err := fmt.Sscanf(hhmm, "%d:%d", &hour, &min); err != nil {
		return ""
	}
	instants := stockholmInstants(d, hour, min)
	switch len(instants) {
	case 0:
		// Read with the offset in force before the gap, the time is an
		// instant just after it.
		wall := time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, time.UTC)
		from, to, summer, ok := clockChange(wall.Add(-time.Duration(offsetAt(wall.Add(-24*time.Hour))) * time.Second))
		if !ok {
			return fmt.Sprintf("%s %s finns inte den %s i svensk tid. Välj en annan tid.", label, hhmm, d)
		}
		return fmt.Sprintf("%s %s finns inte den %s: då ställs klockan fram från %s till %s%s. Välj en annan tid.",
			label, hhmm, d, from.Format("15:04"), to.Format("15:04"), season(summer))
	case 1:
		return ""
	default:
		from, to, summer, ok := clockChange(instants[len(instants)-1])
		if !ok {
			return fmt.Sprintf("%s %s inträffar två gånger den %s och är därför tvetydig. Välj en annan tid.", label, hhmm, d)
		}
		return fmt.Sprintf("%s %s är tvetydig den %s: då ställs klockan tillbaka från %s till %s%s, så timmen %s–%s inträffar två gånger. Välj en annan tid.",
			label, hhmm, d, from.Format("15:04"), to.Format("15:04"), season(summer), to.Format("15:04"), from.Add(-time.Minute).Format("15:04"))
	}
}

func season(summer bool) string {
	if summer {
		return " när sommartiden börjar"
	}
	return " när sommartiden slutar"
}
