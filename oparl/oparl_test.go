package oparl

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

func TestOParlLegislativeTerms(t *testing.T) {
	for _, c := range []struct {
		now  time.Time
		want []int
	}{
		{time.Date(2026, 3, 2, 9, 0, 0, 0, workflow.Stockholm), []int{2018, 2022, 2026}},
		{time.Date(2026, 10, 14, 23, 0, 0, 0, workflow.Stockholm), []int{2018, 2022, 2026}},
		{time.Date(2026, 10, 15, 0, 0, 0, 0, workflow.Stockholm), []int{2018, 2022, 2026, 2030}},
		{time.Date(2019, 1, 1, 0, 0, 0, 0, workflow.Stockholm), []int{2018, 2022}},
	} {
		var got []int
		for _, tm := range LegislativeTerms(c.now) {
			got = append(got, tm.Start)
		}
		if len(got) != len(c.want) || got[len(got)-1] != c.want[len(c.want)-1] || got[0] != c.want[0] {
			t.Errorf("LegislativeTerms(%v) = %v, want %v", c.now, got, c.want)
		}
	}
	if code, tm, ok := ParseTermID("ASN-AU-2022"); !ok || code != "ASN-AU" || tm.Start != 2022 {
		t.Errorf("ParseTermID: %q %v %v", code, tm, ok)
	}
	for _, id := range []string{"ASN-2021", "ASN", "ASN-x", "ASN-2014"} {
		if _, _, ok := ParseTermID(id); ok {
			t.Errorf("ParseTermID(%q) accepted", id)
		}
	}
}

func TestOParlTimeIsStockholmWithOffset(t *testing.T) {
	b, _ := json.Marshal(At(time.Date(2026, 7, 1, 8, 30, 15, 999, time.UTC)))
	if string(b) != `"2026-07-01T10:30:15+02:00"` {
		t.Errorf("summer: %s", b)
	}
	b, _ = json.Marshal(At(time.Date(2026, 1, 1, 8, 30, 0, 0, time.UTC)))
	if string(b) != `"2026-01-01T09:30:00+01:00"` {
		t.Errorf("winter: %s", b)
	}
	if At(time.Time{}) != nil {
		t.Error("the zero time is written")
	}
}

func TestOParlURLsEscapeSwedishCodes(t *testing.T) {
	u := URLs{Base: "https://beslut.example"}
	if got := u.Paper("MÖN-2026-1"); got != "https://beslut.example/oparl/v1.1/paper/M%C3%96N-2026-1" {
		t.Errorf("Paper id %s", got)
	}
}
