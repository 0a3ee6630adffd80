package workflow

import (
	"strings"
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	good := []struct {
		expr  string
		after time.Time
		next  time.Time
	}{
		{"0 8 15 1 *", time.Date(2026, 1, 1, 0, 0, 0, 0, Stockholm), time.Date(2026, 1, 15, 8, 0, 0, 0, Stockholm)},
		{"@yearly", time.Date(2026, 6, 1, 0, 0, 0, 0, Stockholm), time.Date(2027, 1, 1, 0, 0, 0, 0, Stockholm)},
		// In Stockholm time whatever the machine's zone: 03:30 on the night
		// summer time starts is 01:30Z.
		{"30 3 29 3 *", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
		{"0 7 * * 1-5", time.Date(2026, 10, 23, 8, 0, 0, 0, Stockholm), time.Date(2026, 10, 26, 7, 0, 0, 0, Stockholm)},
		// Only in leap years, but it does come.
		{"0 8 29 2 *", time.Date(2026, 3, 1, 0, 0, 0, 0, Stockholm), time.Date(2028, 2, 29, 8, 0, 0, 0, Stockholm)},
	}
	for _, tt := range good {
		s, err := ParseSchedule(tt.expr)
		if err != nil {
			t.Errorf("ParseSchedule(%q): %v", tt.expr, err)
			continue
		}
		if got := s.Next(tt.after); !got.Equal(tt.next) {
			t.Errorf("ParseSchedule(%q).Next(%v) = %v, want %v", tt.expr, tt.after, got, tt.next)
		}
	}
	bad := []struct{ expr, says string }{
		{"", "ange ett schema"},
		// What is wrong, in Swedish (the parser's own words were English).
		{"0 8 15 1", "det ska ha fem fält"},
		{"abc", "det ska ha fem fält"},
		{"61 8 * * *", "utanför sitt intervall"},
		{"0 8 32 1 *", "utanför sitt intervall"},
		{"every monday", "det ska ha fem fält"},
		{"0 8 x 1 *", "ett fält går inte att läsa"},
		{"@fortnightly", "okänd förkortning"},
		{"0 8 5-1 * *", "går baklänges"},
		{"*/0 8 * * *", "ett steg ska vara ett positivt tal"},
		{"30 2 * * *", "02.00"},
		{"0 1-3 * * *", "02.00"},
		{"@hourly", "02.00"},
		{"@every 1h", "@every"},
		{"TZ=UTC 0 8 * * *", "svensk tid"},
		{"CRON_TZ=Europe/Stockholm", "svensk tid"},
		{"0 8 30 2 *", "inträffar aldrig"},
		{"0 8 31 4,6,9,11 *", "inträffar aldrig"},
	}
	for _, tt := range bad {
		_, err := ParseSchedule(tt.expr)
		if err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("ParseSchedule(%q) = %v, want an error saying %q", tt.expr, err, tt.says)
		}
		for _, english := range []string{"expected", "above", "below", "maximum", "failed", "unrecognized", "range"} {
			if err != nil && strings.Contains(err.Error(), english) {
				t.Errorf("ParseSchedule(%q) = %v: English in the message", tt.expr, err)
			}
		}
	}
}

func TestValidateRecurring(t *testing.T) {
	valid := func() Recurring {
		return Recurring{Title: " Internationell redovisning {year} ", Board: "ASN", Schedule: "0 8 15 1 *", LeadDays: 20}
	}
	r := valid()
	if _, err := ValidateRecurring(&r, officer); err != nil {
		t.Fatal(err)
	}
	if r.Title != "Internationell redovisning {year}" || r.Officer != officer.Person() {
		t.Errorf("ValidateRecurring left %+v", r)
	}
	if got := r.TitleFor(time.Date(2027, 1, 15, 8, 0, 0, 0, Stockholm)); got != "Internationell redovisning 2027" {
		t.Errorf("TitleFor = %q", got)
	}
	r.Title = "Redovisning {last_year}, {month}"
	// New Year's Eve 23:30 UTC is already January in Stockholm.
	if got := r.TitleFor(time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)); got != "Redovisning 2026, januari" {
		t.Errorf("TitleFor = %q", got)
	}
	bad := []struct {
		name    string
		edit    func(*Recurring)
		officer User
		field   string
	}{
		{"no title", func(r *Recurring) { r.Title = " " }, officer, "title"},
		{"unknown placeholder", func(r *Recurring) { r.Title = "Rapport {år}" }, officer, "title"},
		{"officer of another board", func(r *Recurring) { r.Board = "KS" }, officer, "officer"},
		{"inactive officer", func(r *Recurring) {}, User{ID: 99, Email: "x@y.se", Grants: officer.Grants}, "officer"},
		{"no officer", func(r *Recurring) {}, User{}, "officer"},
		{"negative lead time", func(r *Recurring) { r.LeadDays = -1 }, officer, "lead_days"},
		{"lead time over a year", func(r *Recurring) { r.LeadDays = MaxLeadDays + 1 }, officer, "lead_days"},
		{"invalid schedule", func(r *Recurring) { r.Schedule = "varje år" }, officer, "schedule"},
		{"schedule in the DST hour", func(r *Recurring) { r.Schedule = "15 2 1 1 *" }, officer, "schedule"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := valid()
			tt.edit(&r)
			_, err := ValidateRecurring(&r, tt.officer)
			wantFields(t, err, tt.field)
		})
	}
}

func TestPeriodIsStockholmTime(t *testing.T) {
	if got := Period(time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)); got != "2026-10-25T02:30" {
		t.Errorf("Period = %q", got)
	}
}
