package workflow

import (
	"strings"
	"testing"
	"time"
)

// What a recorded decision may be corrected to: the text always; the type
// among the decisions that move the case alike, never to or from
// återremiss and bordläggning, and not to behandlat at the deciding body;
// and nothing once a justerare has signed, or by anyone but the secretary.
func TestCorrectDecision(t *testing.T) {
	c := boardCase(t)
	m := meetingOf(c)
	signed := time.Date(2020, 2, 14, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name     string
		from, to DecisionType
		deciding bool
		att      []Attendee
		by       User
		want     string // the error code, or "" for none
	}{
		{"the text and bifall to avslag", DecisionApproved, DecisionRejected, true, nil, secretary, ""},
		{"ändrat förslag to bifall", DecisionAmended, DecisionApproved, true, nil, secretary, ""},
		{"behandlat at a preparing body to bifall", DecisionHandled, DecisionApproved, false, nil, secretary, ""},
		{"bordläggning keeps its type, its text corrected", DecisionTabled, DecisionTabled, true, nil, secretary, ""},
		{"bifall to bordläggning", DecisionApproved, DecisionTabled, true, nil, secretary, EINVALID},
		{"återremiss to bifall", DecisionReturned, DecisionApproved, true, nil, secretary, EINVALID},
		{"bifall to behandlat at the deciding body", DecisionApproved, DecisionHandled, true, nil, secretary, EINVALID},
		{"an unknown type", DecisionApproved, "maybe", true, nil, secretary, EINVALID},
		{"after a justerare signed", DecisionApproved, DecisionRejected, true, []Attendee{{Adjuster: true, SignedAt: &signed}}, secretary, ECONFLICT},
		{"by the officer", DecisionApproved, DecisionRejected, true, nil, officer, EFORBIDDEN},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := Paragraph{Number: 12, Type: tt.from, Text: "Nämnden beslutar att bifalla."}
			got, err := CorrectDecision(c, m, tt.att, p, tt.deciding, DecisionCorrection{Type: tt.to, Text: " Nämnden beslutar att avslå. "}, tt.by)
			if code := ErrorCode(err); (err != nil || tt.want != "") && code != tt.want {
				t.Fatalf("err %v (%s), want %q", err, code, tt.want)
			}
			if err == nil && (got.Type != tt.to || got.Text != "Nämnden beslutar att avslå." || got.Number != 12) {
				t.Errorf("corrected: %+v", got)
			}
		})
	}
	if _, err := CorrectDecision(c, m, nil, Paragraph{Type: DecisionApproved}, true, DecisionCorrection{Type: DecisionApproved, Text: "x", Version: c.Version + 1}, secretary); ErrorCode(err) != ECONFLICT {
		t.Errorf("a stale version: %v", err)
	}
	// A text has the limit of a case's texts, recorded or corrected (a
	// million characters were taken, and kept in the history for good).
	long := "Nämnden beslutar " + strings.Repeat("b", MaxText)
	if _, err := CorrectDecision(c, m, nil, Paragraph{Type: DecisionApproved}, true, DecisionCorrection{Type: DecisionApproved, Text: long}, secretary); ErrorCode(err) != EINVALID {
		t.Errorf("a text over MaxText: %v", err)
	}
	if p := (MeetingDecision{Type: DecisionApproved, Text: long}).Problems(); len(p) != 1 || p[0].Field != "text" {
		t.Errorf("recording a text over MaxText: %v", p)
	}
}
