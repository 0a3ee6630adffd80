package web

import (
	"slices"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// The types a recorded decision may be corrected to follow the meeting it
// was recorded at, not its § label: an arbetsutskott's § 8 "behandlat" on a
// case whose own nämnd decision is also § 8 was offered without
// "behandlat", so the form preselected bifall and a text fix changed the
// type too.
func TestCorrectionTypesFollowTheMeeting(t *testing.T) {
	au := workflow.Meeting{ID: 45}
	board := workflow.Meeting{ID: 26}
	c := workflow.Case{Stage: workflow.StageClosed, Step: 1,
		Route: []workflow.RouteStep{{Body: workflow.Body{Kind: workflow.KindWorkingCommittee}, MeetingID: au.ID},
			{Body: workflow.Body{Kind: workflow.KindBoard}, MeetingID: board.ID}},
		Decision: &workflow.Decision{Type: workflow.DecisionApproved, Paragraph: "§ 8"}}
	handled := workflow.Paragraph{Number: 8, Type: workflow.DecisionHandled}
	if got := correctionTypes(handled, decidingAt(&c, au)); !slices.Contains(got, workflow.DecisionHandled) {
		t.Errorf("at the arbetsutskott: %v, want behandlat among them", got)
	}
	approved := workflow.Paragraph{Number: 8, Type: workflow.DecisionApproved}
	if got := correctionTypes(approved, decidingAt(&c, board)); slices.Contains(got, workflow.DecisionHandled) || !slices.Contains(got, workflow.DecisionRejected) {
		t.Errorf("at the nämnd: %v, want bifall, ändrat förslag and avslag", got)
	}
	if got := correctionTypes(workflow.Paragraph{Type: workflow.DecisionTabled}, true); !slices.Equal(got, []workflow.DecisionType{workflow.DecisionTabled}) {
		t.Errorf("a bordläggning: %v", got)
	}
}
