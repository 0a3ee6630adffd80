package workflow

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// movableHolidays are the hand-checked holidays that move from year to year
// (checked against dateutil.easter and a printed calendar, not this code).
// Columns: långfredagen, påskdagen, annandag påsk, Kristi himmelsfärdsdag,
// pingstdagen, midsommarafton, midsommardagen, alla helgons dag.
var movableHolidays = []struct {
	year                                                   int
	goodFriday, easter, easterMonday, ascension, pentecost string
	midsummerEve, midsummerDay, allSaints                  string
}{
	{2019, "2019-04-19", "2019-04-21", "2019-04-22", "2019-05-30", "2019-06-09", "2019-06-21", "2019-06-22", "2019-11-02"},
	{2020, "2020-04-10", "2020-04-12", "2020-04-13", "2020-05-21", "2020-05-31", "2020-06-19", "2020-06-20", "2020-10-31"},
	{2021, "2021-04-02", "2021-04-04", "2021-04-05", "2021-05-13", "2021-05-23", "2021-06-25", "2021-06-26", "2021-11-06"},
	{2022, "2022-04-15", "2022-04-17", "2022-04-18", "2022-05-26", "2022-06-05", "2022-06-24", "2022-06-25", "2022-11-05"},
	{2023, "2023-04-07", "2023-04-09", "2023-04-10", "2023-05-18", "2023-05-28", "2023-06-23", "2023-06-24", "2023-11-04"},
	{2024, "2024-03-29", "2024-03-31", "2024-04-01", "2024-05-09", "2024-05-19", "2024-06-21", "2024-06-22", "2024-11-02"},
	{2025, "2025-04-18", "2025-04-20", "2025-04-21", "2025-05-29", "2025-06-08", "2025-06-20", "2025-06-21", "2025-11-01"},
	{2026, "2026-04-03", "2026-04-05", "2026-04-06", "2026-05-14", "2026-05-24", "2026-06-19", "2026-06-20", "2026-10-31"},
	{2027, "2027-03-26", "2027-03-28", "2027-03-29", "2027-05-06", "2027-05-16", "2027-06-25", "2027-06-26", "2027-11-06"},
	{2028, "2028-04-14", "2028-04-16", "2028-04-17", "2028-05-25", "2028-06-04", "2028-06-23", "2028-06-24", "2028-11-04"},
	{2029, "2029-03-30", "2029-04-01", "2029-04-02", "2029-05-10", "2029-05-20", "2029-06-22", "2029-06-23", "2029-11-03"},
	{2030, "2030-04-19", "2030-04-21", "2030-04-22", "2030-05-30", "2030-06-09", "2030-06-21", "2030-06-22", "2030-11-02"},
}

// expectedHolidays is every holiday of a year in the table, in date order
// (no two coincide in 2019–2030; pingstdagen and nationaldagen swap places
// from year to year).
func expectedHolidays(year int) []Holiday {
	for _, r := range movableHolidays {
		if r.year != year {
			continue
		}
		fixed := func(mmdd string) Date { return MustDate(fmt.Sprintf("%d-%s", year, mmdd)) }
		hs := []Holiday{
			{fixed("01-01"), "Nyårsdagen"},
			{fixed("01-06"), "Trettondedag jul"},
			{MustDate(r.goodFriday), "Långfredagen"},
			{MustDate(r.easter), "Påskdagen"},
			{MustDate(r.easterMonday), "Annandag påsk"},
			{fixed("05-01"), "Första maj"},
			{MustDate(r.ascension), "Kristi himmelsfärdsdag"},
			{MustDate(r.pentecost), "Pingstdagen"},
			{fixed("06-06"), "Sveriges nationaldag"},
			{MustDate(r.midsummerEve), "Midsommarafton"},
			{MustDate(r.midsummerDay), "Midsommardagen"},
			{MustDate(r.allSaints), "Alla helgons dag"},
			{fixed("12-24"), "Julafton"},
			{fixed("12-25"), "Juldagen"},
			{fixed("12-26"), "Annandag jul"},
			{fixed("12-31"), "Nyårsafton"},
		}
		slices.SortFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
		return hs
	}
	panic(fmt.Sprintf("no expected holidays for %d", year))
}

func TestHolidays(t *testing.T) {
	for _, r := range movableHolidays {
		want := expectedHolidays(r.year)
		got := Holidays(r.year)
		if len(got) != len(want) {
			t.Errorf("%d: got %d holidays %v, want %d", r.year, len(got), got, len(want))
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%d: holiday %d = %v %q, want %v %q", r.year, i, got[i].Date, got[i].Name, want[i].Date, want[i].Name)
			}
		}
	}
}

func TestMovableHolidaysFallOnTheirWeekday(t *testing.T) {
	// A guard against typos in the hand-written table.
	for _, r := range movableHolidays {
		for _, c := range []struct {
			date string
			wd   time.Weekday
		}{
			{r.goodFriday, time.Friday}, {r.easter, time.Sunday}, {r.easterMonday, time.Monday},
			{r.ascension, time.Thursday}, {r.pentecost, time.Sunday},
			{r.midsummerEve, time.Friday}, {r.midsummerDay, time.Saturday}, {r.allSaints, time.Saturday},
		} {
			if wd := MustDate(c.date).Weekday(); wd != c.wd {
				t.Errorf("%s is a %v, want %v", c.date, wd, c.wd)
			}
		}
	}
}

func TestEasterExtremes(t *testing.T) {
	// The earliest (22 March) and latest (25 April) possible Easter Sundays.
	for _, want := range []string{"1818-03-22", "1943-04-25", "2038-04-25", "2285-03-22"} {
		d := MustDate(want)
		if got := easterSunday(d.Year); got != d {
			t.Errorf("easter %d = %v, want %v", d.Year, got, d)
		}
	}
}

func TestHolidayNameSharedDay(t *testing.T) {
	// Easter 2008 was 23 March, so Kristi himmelsfärdsdag fell on första maj.
	name, ok := HolidayName(MustDate("2008-05-01"))
	if !ok || name != "Första maj och Kristi himmelsfärdsdag" {
		t.Errorf("HolidayName(2008-05-01) = %q, %v", name, ok)
	}
	if n := len(Holidays(2008)); n != 16 {
		t.Errorf("Holidays(2008) has %d entries, want 16 (both holidays of 1 May listed)", n)
	}
}

func TestHolidayName(t *testing.T) {
	tests := []struct {
		date, name string
		ok         bool
	}{
		{"2019-12-24", "Julafton", true},
		{"2024-03-29", "Långfredagen", true},
		{"2025-06-20", "Midsommarafton", true},
		{"2025-06-09", "", false}, // annandag pingst is no longer a holiday
		{"2024-12-23", "", false},
	}
	for _, tt := range tests {
		name, ok := HolidayName(MustDate(tt.date))
		if name != tt.name || ok != tt.ok {
			t.Errorf("HolidayName(%s) = %q, %v; want %q, %v", tt.date, name, ok, tt.name, tt.ok)
		}
	}
}

func TestHolidaysReturnsCopy(t *testing.T) {
	h := Holidays(2024)
	h[0].Name = "changed"
	if Holidays(2024)[0].Name != "Nyårsdagen" {
		t.Error("changing the returned slice changed the cache")
	}
}

func TestIsWorkdayMatchesTable(t *testing.T) {
	for _, r := range movableHolidays {
		off := map[Date]bool{}
		for _, h := range expectedHolidays(r.year) {
			off[h.Date] = true
		}
		for d := NewDate(r.year, time.January, 1); d.Year == r.year; d = d.AddDays(1) {
			wd := d.Weekday()
			want := wd != time.Saturday && wd != time.Sunday && !off[d]
			if got := IsWorkday(d); got != want {
				t.Errorf("IsWorkday(%v, %v) = %v, want %v", d, wd, got, want)
			}
		}
	}
}

func TestIsWorkday(t *testing.T) {
	tests := []struct {
		date string
		want bool
	}{
		{"2024-05-03", true},  // Friday
		{"2024-05-04", false}, // Saturday
		{"2024-05-05", false}, // Sunday
		{"2024-05-09", false}, // Kristi himmelsfärdsdag, Thursday
		{"2024-05-10", true},  // the "klämdag" after it is still a work day
		{"2025-06-06", false}, // nationaldagen, Friday
		{"2025-06-09", true},  // Monday after pingst
		{"2025-06-20", false}, // midsommarafton
		{"2019-12-24", false}, // julafton, Tuesday
		{"2019-12-27", true},  // Friday between Christmas and New Year
		{"2019-12-31", false}, // nyårsafton, Tuesday
		{"2020-01-06", false}, // trettondedag jul, Monday
		{"2024-04-01", false}, // annandag påsk
		{"2024-04-02", true},
	}
	for _, tt := range tests {
		if got := IsWorkday(MustDate(tt.date)); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestAddWorkdays(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		// Weekends.
		{"2024-05-03", 1, "2024-05-06"},  // Friday to Monday
		{"2024-05-06", -1, "2024-05-03"}, // Monday back to Friday
		{"2024-05-04", 1, "2024-05-06"},  // from a Saturday
		{"2024-05-04", -1, "2024-05-03"}, // back from a Saturday
		{"2024-05-04", 0, "2024-05-04"},  // zero keeps even a non-work day
		{"2024-05-06", 5, "2024-05-14"},  // skips the weekend and Kristi himmelsfärdsdag 9 May
		// Easter 2024: långfredagen 29 March, annandag påsk 1 April.
		{"2024-03-28", 1, "2024-04-02"},
		{"2024-04-02", -1, "2024-03-28"},
		{"2024-03-27", 2, "2024-04-02"},
		{"2024-03-31", 1, "2024-04-02"}, // from påskdagen
		{"2024-04-01", -1, "2024-03-28"},
		// Midsummer 2025: nationaldagen Friday 6 June, midsommarafton Friday 20 June.
		{"2025-06-05", 1, "2025-06-09"},
		{"2025-06-19", 1, "2025-06-23"},
		{"2025-06-23", -1, "2025-06-19"},
		{"2025-06-16", 4, "2025-06-23"},
		{"2025-06-23", -11, "2025-06-04"},
		// Christmas and New Year 2019/2020: 24, 25, 26, 31 Dec and 1, 6 Jan are off.
		{"2019-12-20", 1, "2019-12-23"},
		{"2019-12-23", 1, "2019-12-27"},
		{"2019-12-27", 1, "2019-12-30"},
		{"2019-12-30", 1, "2020-01-02"},
		{"2020-01-03", 1, "2020-01-07"},
		{"2020-01-08", -9, "2019-12-18"},
		{"2020-01-08", -10, "2019-12-17"},
		{"2019-12-17", 10, "2020-01-08"},
		{"2019-12-24", -1, "2019-12-23"},
		{"2019-12-24", 1, "2019-12-27"},
	}
	for _, tt := range tests {
		if got := AddWorkdays(MustDate(tt.from), tt.n); got != MustDate(tt.want) {
			t.Errorf("AddWorkdays(%s, %d) = %v, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestNextWorkday(t *testing.T) {
	tests := []struct{ from, want string }{
		{"2025-06-18", "2025-06-18"}, // a work day is itself
		{"2025-06-20", "2025-06-23"}, // midsommarafton
		{"2019-12-24", "2019-12-27"},
		{"2024-03-29", "2024-04-02"},
		{"2019-12-31", "2020-01-02"},
	}
	for _, tt := range tests {
		if got := NextWorkday(MustDate(tt.from)); got != MustDate(tt.want) {
			t.Errorf("NextWorkday(%s) = %v, want %s", tt.from, got, tt.want)
		}
	}
}

func TestWorkdaysBetween(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2019-12-17", "2020-01-08", 10},
		{"2020-01-08", "2019-12-17", -10},
		{"2024-05-06", "2024-05-06", 0},
		{"2024-05-04", "2024-05-05", 0},  // Saturday to Sunday
		{"2024-05-03", "2024-05-06", 1},  // Friday to Monday counts Monday only
		{"2024-05-06", "2024-05-03", -1}, // and backwards counts Monday too
		{"2024-03-28", "2024-04-02", 1},  // over Easter
		{"2025-06-16", "2025-06-23", 4},  // over midsummer
	}
	for _, tt := range tests {
		if got := WorkdaysBetween(MustDate(tt.a), MustDate(tt.b)); got != tt.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestAddWorkdaysProperties checks every day of 2019–2030 for several n.
func TestAddWorkdaysProperties(t *testing.T) {
	steps := []int{-30, -10, -3, -1, 1, 2, 5, 11, 30}
	for d := MustDate("2019-01-01"); d.Year <= 2030; d = d.AddDays(1) {
		for _, n := range steps {
			got := AddWorkdays(d, n)
			if !IsWorkday(got) {
				t.Fatalf("AddWorkdays(%v, %d) = %v, not a work day", d, n, got)
			}
			if (n > 0) != got.After(d) {
				t.Fatalf("AddWorkdays(%v, %d) = %v, wrong direction", d, n, got)
			}
			if !IsWorkday(d) {
				continue
			}
			if back := AddWorkdays(got, -n); back != d {
				t.Fatalf("AddWorkdays(AddWorkdays(%v, %d), %d) = %v", d, n, -n, back)
			}
			if between := WorkdaysBetween(d, got); between != n {
				t.Fatalf("WorkdaysBetween(%v, %v) = %d, want %d", d, got, between, n)
			}
		}
	}
}

func TestHolidaysConcurrent(t *testing.T) {
	// Years nobody else asks for, so the cache is filled under the race detector.
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			year := 2100 + i%4
			if len(Holidays(year)) != 16 || IsWorkday(NewDate(year, time.December, 25)) {
				t.Errorf("holidays of %d wrong under concurrency", year)
			}
		}()
	}
	wg.Wait()
}
