package workflow

import (
	"slices"
	"sync"
	"time"
)

// Holiday is a Swedish public holiday, or a day that is de facto not worked
// (julafton, midsommarafton, nyårsafton).
type Holiday struct {
	Date Date
	Name string
}

// holidayYear is one year's holidays, computed once and never mutated.
type holidayYear struct {
	list   []Holiday
	byDate map[Date]string
}

// holidayYears caches holidayYear by year; deadlines are counted over and over
// for the same few years, and sync.Map suits such write-once keys.
var holidayYears sync.Map

func holidaysOf(year int) *holidayYear {
	if h, ok := holidayYears.Load(year); ok {
		return h.(*holidayYear)
	}
	h, _ := holidayYears.LoadOrStore(year, computeHolidays(year))
	return h.(*holidayYear)
}

func computeHolidays(year int) *holidayYear {
	easter := easterSunday(year)
	// weekdayFrom is the first day of the given weekday on or after month/day.
	weekdayFrom := func(month time.Month, day int, wd time.Weekday) Date {
		d := NewDate(year, month, day)
		return d.AddDays((int(wd) - int(d.Weekday()) + 7) % 7)
	}
	list := []Holiday{
		{NewDate(year, time.January, 1), "Nyårsdagen"},
		{NewDate(year, time.January, 6), "Trettondedag jul"},
		{easter.AddDays(-2), "Långfredagen"},
		{easter, "Påskdagen"},
		{easter.AddDays(1), "Annandag påsk"},
		{NewDate(year, time.May, 1), "Första maj"},
		{easter.AddDays(39), "Kristi himmelsfärdsdag"},
		{easter.AddDays(49), "Pingstdagen"},
		{NewDate(year, time.June, 6), "Sveriges nationaldag"},
		{weekdayFrom(time.June, 19, time.Friday), "Midsommarafton"},
		{weekdayFrom(time.June, 20, time.Saturday), "Midsommardagen"},
		{weekdayFrom(time.October, 31, time.Saturday), "Alla helgons dag"},
		{NewDate(year, time.December, 24), "Julafton"},
		{NewDate(year, time.December, 25), "Juldagen"},
		{NewDate(year, time.December, 26), "Annandag jul"},
		{NewDate(year, time.December, 31), "Nyårsafton"},
	}
	// Stable, so that when two holidays share a day (första maj and Kristi
	// himmelsfärdsdag in 2008) they keep the order above.
	slices.SortStableFunc(list, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	byDate := make(map[Date]string, len(list))
	for _, h := range list {
		if name, ok := byDate[h.Date]; ok {
			byDate[h.Date] = name + " och " + h.Name
		} else {
			byDate[h.Date] = h.Name
		}
	}
	return &holidayYear{list: list, byDate: byDate}
}

// easterSunday is the Gregorian Easter Sunday of year, by the anonymous
// Gregorian algorithm (Meeus/Jones/Butcher).
func easterSunday(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(year, time.Month(month), day)
}

// Holidays returns the holidays of year sorted by date. Pingstdagen and
// påskdagen are always Sundays; they are listed for display, not because they
// change any count. Two holidays on the same day are both listed.
func Holidays(year int) []Holiday {
	return slices.Clone(holidaysOf(year).list)
}

// HolidayName returns the name of the holiday on d; if two fall on the same
// day their names are joined with " och ".
func HolidayName(d Date) (string, bool) {
	name, ok := holidaysOf(d.Year).byDate[d]
	return name, ok
}

// IsWorkday reports whether d is a weekday that is not a holiday.
func IsWorkday(d Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := HolidayName(d)
	return !holiday
}

// AddWorkdays returns the n-th work day after d (n > 0) or before d (n < 0);
// d itself is never counted. AddWorkdays(d, 0) is d, work day or not.
func AddWorkdays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if IsWorkday(d) {
			n--
		}
	}
	return d
}

// NextWorkday returns d if it is a work day, else the first work day after it.
func NextWorkday(d Date) Date {
	for !IsWorkday(d) {
		d = d.AddDays(1)
	}
	return d
}

// WorkdaysBetween counts the work days after a up to and including b, that is
// in the half-open interval (a, b]. If b is before a it is minus the count
// over (b, a], so WorkdaysBetween(a, b) == -WorkdaysBetween(b, a) and
// WorkdaysBetween(a, a) == 0. When a and b are both work days,
// AddWorkdays(a, WorkdaysBetween(a, b)) == b.
func WorkdaysBetween(a, b Date) int {
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if IsWorkday(d) {
			n++
		}
	}
	return sign * n
}
