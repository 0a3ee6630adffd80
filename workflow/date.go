package workflow

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Stockholm is the zone every civil date and displayed time of the service is in.
var Stockholm = mustLoadLocation("Europe/Stockholm")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("time zone %s: %v (import time/tzdata in main)", name, err))
	}
	return loc
}

// Date is a civil date (a meeting day, a deadline day) with no time of day.
// It is comparable with == and orders with Before/After.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateLayout is how dates are written everywhere: 2020-01-30.
const DateLayout = "2006-01-02"

// NewDate returns the normalised date (2020-01-32 becomes 2020-02-01).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today returns the date of t in Stockholm.
func Today(t time.Time) Date { return DateOf(t.In(Stockholm)) }

// ParseDate reads YYYY-MM-DD and rejects anything else, including 2020-02-30.
// The error says what is wrong in Swedish: a date written some other way is
// not on the form ÅÅÅÅ-MM-DD; a date on the form that the calendar does not
// have (2027-02-30, 2027-13-01) is named as one that does not exist.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err == nil {
		return DateOf(t), nil
	}
	m := datePattern.FindStringSubmatch(s)
	if m == nil {
		return Date{}, fmt.Errorf("%q är inte ett datum på formen ÅÅÅÅ-MM-DD, t.ex. 2020-01-30", s)
	}
	year, _ := strconv.Atoi(m[1])
	month, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[3])
	if month < 1 || month > 12 {
		return Date{}, fmt.Errorf("%q är inte ett datum på formen ÅÅÅÅ-MM-DD: månad %s finns inte, månaderna är 01–12", s, m[2])
	}
	days := DaysIn(year, time.Month(month))
	if day < 1 {
		return Date{}, fmt.Errorf("%s finns inte; dagarna i %s %d är 01–%d", s, monthNames[month-1], year, days)
	}
	return Date{}, fmt.Errorf("%s finns inte; %s %d har %d dagar", s, monthNames[month-1], year, days)
}

// datePattern is the shape of a date, whether or not the calendar has it.
var datePattern = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})-([0-9]{2})$`)

// DaysIn is the number of days of a month: 28 in februari 2027, 29 in februari 2028.
func DaysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MustDate parses a literal date; for tests and fixed data only.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Date) IsZero() bool { return d == Date{} }

// Time is midnight at the start of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// At is the given time of day on d in Stockholm.
func (d Date) At(hour, min int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, Stockholm)
}

func (d Date) utc() time.Time { return d.Time(time.UTC) }

func (d Date) AddDays(n int) Date { return DateOf(d.utc().AddDate(0, 0, n)) }

// AddYears is the same day n years on; 29 February on a year without it
// becomes 1 March (time.Time.AddDate's normalisation).
func (d Date) AddYears(n int) Date   { return DateOf(d.utc().AddDate(n, 0, 0)) }
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }
func (d Date) Before(o Date) bool    { return d.utc().Before(o.utc()) }
func (d Date) After(o Date) bool     { return d.utc().After(o.utc()) }
func (d Date) DaysUntil(o Date) int  { return int(o.utc().Sub(d.utc()).Hours() / 24) }
func (d Date) Compare(o Date) int    { return d.utc().Compare(o.utc()) }
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.utc().Format(DateLayout)
}

// MarshalJSON writes the date as a JSON string "YYYY-MM-DD" (DateLayout),
// the zero date as null. The layout has nothing JSON escapes, so the string
// is appended directly rather than through a second encoder.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	b := make([]byte, 0, len(DateLayout)+2)
	b = append(d.utc().AppendFormat(append(b, '"'), DateLayout), '"')
	return b, nil
}

func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("ett datum skrivs som en sträng ÅÅÅÅ-MM-DD")
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}
