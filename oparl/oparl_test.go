package oparl

import (
	"bytes"
	"encoding/json"
	"strings"
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

// A deleted AgendaItem is written as id, type, created, modified and
// deleted alone (§2.8 "Gelöschte Objekte"), whatever else it holds, not
// even the order its schema asks of a live one; a live one is written
// whole, without HTML escapes.
func TestOParlDeletedAgendaItemIsItsCommonAlone(t *testing.T) {
	at := At(time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC))
	b, err := json.Marshal(AgendaItem{Common: Deleted("https://x.example/oparl/v1.1/agendaitem/7", TypeAgendaItem, at, at),
		Order: 3, Name: "Hemlig rubrik", Meeting: "https://x.example/oparl/v1.1/meeting/1"})
	want := `{"id":"https://x.example/oparl/v1.1/agendaitem/7","type":"https://schema.oparl.org/1.1/AgendaItem",` +
		`"created":"2026-03-05T11:00:00+01:00","modified":"2026-03-05T11:00:00+01:00","deleted":true}`
	if err != nil || string(b) != want {
		t.Errorf("deleted: %s, %v\nwant %s", b, err, want)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode([]AgendaItem{{Common: Common{ID: "https://x.example/a", Type: TypeAgendaItem}, Order: 1, Name: "Bygg & <miljö>"}}); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); !strings.Contains(got, `"order":1`) || !strings.Contains(got, `"name":"Bygg & <miljö>"`) {
		t.Errorf("live: %s", got)
	}
}
