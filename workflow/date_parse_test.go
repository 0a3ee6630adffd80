package workflow

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestParseDateSaysWhatIsWrong: a date the calendar does not have is named as
// one that does not exist, with the month's real length; anything not written
// ÅÅÅÅ-MM-DD is a format error; real dates, leap days included, parse.
func TestParseDateSaysWhatIsWrong(t *testing.T) {
	for in, want := range map[string]string{
		"2027-02-30": "2027-02-30 finns inte; februari 2027 har 28 dagar",
		"2027-02-29": "2027-02-29 finns inte; februari 2027 har 28 dagar",
		"2100-02-29": "2100-02-29 finns inte; februari 2100 har 28 dagar",
		"2026-04-31": "2026-04-31 finns inte; april 2026 har 30 dagar",
		"2026-12-32": "2026-12-32 finns inte; december 2026 har 31 dagar",
		"2026-06-00": "2026-06-00 finns inte; dagarna i juni 2026 är 01–30",
		"2026-13-01": `"2026-13-01" är inte ett datum på formen ÅÅÅÅ-MM-DD: månad 13 finns inte, månaderna är 01–12`,
		"2026-00-10": `"2026-00-10" är inte ett datum på formen ÅÅÅÅ-MM-DD: månad 00 finns inte, månaderna är 01–12`,
		"30/1 2027":  `"30/1 2027" är inte ett datum på formen ÅÅÅÅ-MM-DD, t.ex. 2020-01-30`,
		"2027-2-3":   `"2027-2-3" är inte ett datum på formen ÅÅÅÅ-MM-DD, t.ex. 2020-01-30`,
		"2027-02-3x": `"2027-02-3x" är inte ett datum på formen ÅÅÅÅ-MM-DD, t.ex. 2020-01-30`,
		"２０２７-02-30": `"２０２７-02-30" är inte ett datum på formen ÅÅÅÅ-MM-DD, t.ex. 2020-01-30`,
		"":           `"" är inte ett datum på formen ÅÅÅÅ-MM-DD, t.ex. 2020-01-30`,
	} {
		d, err := ParseDate(in)
		if err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", in, d)
			continue
		}
		if err.Error() != want {
			t.Errorf("ParseDate(%q):\n got %s\nwant %s", in, err, want)
		}
	}
	for in, want := range map[string]Date{
		"2028-02-29": {2028, time.February, 29},
		"2000-02-29": {2000, time.February, 29},
		"2027-12-31": {2027, time.December, 31},
		"2020-01-30": {2020, time.January, 30},
	} {
		if d, err := ParseDate(in); err != nil || d != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, d, err, want)
		}
	}
	// JSON input gets the same message.
	var d Date
	if err := d.UnmarshalJSON([]byte(`"2027-02-30"`)); err == nil || !strings.Contains(err.Error(), "februari 2027 har 28 dagar") {
		t.Errorf("JSON 2027-02-30: %v", err)
	}
}

// A date is written to JSON as its string "YYYY-MM-DD" and read back as
// the same date; the zero date is null.
func TestDateJSON(t *testing.T) {
	for _, s := range []string{"2026-12-01", "0999-01-09", "2024-02-29", "9999-12-31"} {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(struct{ D Date }{d})
		if err != nil || string(b) != `{"D":"`+s+`"}` {
			t.Errorf("%s: %s, %v", s, b, err)
		}
		var back struct{ D Date }
		if err := json.Unmarshal(b, &back); err != nil || back.D != d {
			t.Errorf("%s read back as %v, %v", s, back.D, err)
		}
	}
	if b, err := json.Marshal(struct{ D Date }{}); err != nil || string(b) != `{"D":null}` {
		t.Errorf("zero date: %s, %v", b, err)
	}
}
