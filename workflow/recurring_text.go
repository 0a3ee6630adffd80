package workflow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/robfig/cron/v3"
)

// cronStar is the bit robfig/cron sets on a field written as * or ?: with it
// on the day of month or the weekday, a day must match both fields; without
// it on either, a day matching one of them is enough.
const cronStar = uint64(1) << 63

var weekdayNames = [...]string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"}

// DescribeSchedule explains a schedule in Swedish words, so whoever sets up a
// recurring assignment can check that it says what they meant: "0 8 15 1 *"
// is "Kl. 08.00 den 15 januari varje år."
func DescribeSchedule(expr string) (string, error) {
	s, err := ParseSchedule(expr)
	if err != nil {
		return "", err
	}
	spec, ok := s.(*cron.SpecSchedule)
	if !ok {
		return "", fmt.Errorf("%q är inget schema med fasta tidpunkter", expr)
	}
	when, generic := timesOf(spec)
	sep := " "
	if generic {
		sep = ", "
	}
	return capitalize(when + sep + daysOf(spec) + "."), nil
}

// timesOf names the times of day; generic is set when it lists minutes and
// hours apart rather than clock times.
func timesOf(spec *cron.SpecSchedule) (string, bool) {
	mins, hours := bitValues(spec.Minute, 0, 59), bitValues(spec.Hour, 0, 23)
	if len(mins)*len(hours) <= 4 {
		var times []string
		for _, h := range hours {
			for _, m := range mins {
				times = append(times, fmt.Sprintf("%02d.%02d", h, m))
			}
		}
		return "kl. " + joinSwedish(times), false
	}
	minutes := "varje minut"
	if len(mins) < 60 {
		minutes = "minut " + runsOf(mins, strconv.Itoa)
	}
	return minutes + " under timme " + runsOf(hours, strconv.Itoa), true
}

// daysOf names the days, with cron's rule that a restricted day of month and
// a restricted weekday each select days of their own.
func daysOf(spec *cron.SpecSchedule) string {
	doms, months := bitValues(spec.Dom, 1, 31), bitValues(spec.Month, 1, 12)
	inMonths := ""
	if len(months) < 12 {
		inMonths = " i " + runsOf(months, func(m int) string { return monthNames[m-1] })
	}
	domStar, dowStar := spec.Dom&cronStar != 0, spec.Dow&cronStar != 0
	switch {
	case domStar && dowStar:
		return "varje dag" + inMonths
	case dowStar && len(months) == 12:
		return "den " + runsOf(doms, strconv.Itoa) + " varje månad"
	case dowStar && len(doms) == 1 && len(months) == 1:
		return fmt.Sprintf("den %d %s varje år", doms[0], monthNames[months[0]-1])
	case dowStar:
		return "den " + runsOf(doms, strconv.Itoa) + inMonths
	case domStar:
		return weekdaysOf(spec.Dow) + inMonths
	}
	return "den " + runsOf(doms, strconv.Itoa) + " samt " + weekdaysOf(spec.Dow) + inMonths
}

// weekdaysOf names weekdays Monday first: "varje måndag", "måndag–fredag".
func weekdaysOf(bits uint64) string {
	var order []int // positions in a week that starts on Monday
	for _, d := range bitValues(bits, 0, 6) {
		order = append(order, (d+6)%7)
	}
	slices.Sort(order)
	text := runsOf(order, func(p int) string { return weekdayNames[(p+1)%7] })
	if strings.Contains(text, "–") {
		return text
	}
	return "varje " + text
}

// bitValues lists the values from min to max set in a cron field.
func bitValues(bits uint64, min, max int) []int {
	var out []int
	for v := min; v <= max; v++ {
		if bits&(1<<uint(v)) != 0 {
			out = append(out, v)
		}
	}
	return out
}

// runsOf writes sorted values as a Swedish list, three or more in a row as a
// range: 1, 2, 3, 5 is "1–3 och 5".
func runsOf(values []int, name func(int) string) string {
	var parts []string
	for i := 0; i < len(values); {
		j := i
		for j+1 < len(values) && values[j+1] == values[j]+1 {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, name(values[i])+"–"+name(values[j]))
		} else {
			for k := i; k <= j; k++ {
				parts = append(parts, name(values[k]))
			}
		}
		i = j + 1
	}
	return joinSwedish(parts)
}

// joinSwedish joins "a", "b" and "c" as "a, b och c".
func joinSwedish(parts []string) string {
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " och " + parts[len(parts)-1]
}
