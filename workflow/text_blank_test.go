package workflow

import (
	"strings"
	"testing"
)

func TestBlank(t *testing.T) {
	for _, s := range []string{"", " \t\n", "\u00a0\u3000\u2028", "\u200b\u200b", "\ufeff", "\u00ad", "\u2060", "\u2800", "\u3164", " \u200b \u2800 "} {
		if !Blank(s) {
			t.Errorf("Blank(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"a", "\u200bå", ".", "\u2800x", "–"} {
		if Blank(s) {
			t.Errorf("Blank(%q) = true, want false", s)
		}
	}
}

// A required text made of characters that show nothing is missing: a
// reason of two zero width spaces went into the history as a reason.
// A reason is at most MaxReason characters, a decision's text MaxText:
// a reason of ten million characters was kept for good.
func TestCommandTexts(t *testing.T) {
	for _, reason := range []string{"\u200b\u200b", "\ufeff", "\u00ad", "\u2800"} {
		_, err := Apply(approvalCase(t, 1), Command{Action: ActReject, Version: approvalCase(t, 1).Version, Reason: reason}, envFor(approver2))
		wantFields(t, err, "reason")
	}
	c := approvalCase(t, 1)
	_, err := Apply(c, Command{Action: ActReject, Version: c.Version, Reason: strings.Repeat("å", MaxReason+1)}, envFor(approver2))
	wantFields(t, err, "reason")
	if _, err := Apply(c, Command{Action: ActReject, Version: c.Version, Reason: strings.Repeat("å", MaxReason)}, envFor(approver2)); err != nil {
		t.Errorf("a reason of %d characters: %v", MaxReason, err)
	}
	// The rule as DecideAtMeeting applies it; Apply refuses decide outright.
	b := boardCase(t)
	_, err = applyRule(b, rules[ActDecide], Command{Action: ActDecide, Version: b.Version, Decision: "\u200b"}, envFor(secretary), nil)
	wantFields(t, err, "decision")
}

// A decision of återremiss at a meeting is the reason of its action, and
// may be as long as any decision's text (MaxText), not MaxReason.
func TestLongReturnedDecisionAtAMeeting(t *testing.T) {
	c := boardCase(t)
	m := heldMeeting(c.Route[c.Step])
	text := "Nämnden återremitterar ärendet. " + strings.Repeat("Motivering. ", 600)
	if _, err := DecideAtMeeting(c, m, MeetingDecision{Type: DecisionReturned, Text: text, Paragraph: 7}, envAt(secretary, m.Date.At(15, 0))); err != nil {
		t.Errorf("återremiss with a %d-character decision text: %v", len([]rune(text)), err)
	}
}

// A proposal of characters that show nothing is no proposal: the draft
// still lacks one.
func TestInvisibleProposalIsNone(t *testing.T) {
	c := draftCase(t)
	d := newDraft()
	d.Proposals = []string{"\u200b", "\u2800 "}
	res, err := EditDraft(c, c.Version, d, envFor(secretary))
	if err != nil {
		t.Fatal(err)
	}
	if p := readyToSubmit(&res.Case); p.Err() == nil {
		t.Errorf("a draft whose proposals show nothing is ready to submit: %q", res.Case.Proposals)
	}
}
