package workflow

import (
	"testing"
	"time"
)

func TestReportPublic(t *testing.T) {
	tests := []struct {
		name   string
		build  func(t *testing.T) Case
		secret bool
		want   bool
	}{
		{"a draft is a working paper", draftCase, false, false},
		{"awaiting sign-off", func(t *testing.T) Case { return approvalCase(t, 2) }, false, false},
		{"at the presidium", presidiumCase, false, true},
		{"closed after the route", closedCase, false, true},
		{"withdrawn at the working committee", withdrawnCase, false, true},
		{"secret at the board", boardCase, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build(t)
			c.Secret = tt.secret
			if got := c.ReportPublic(); got != tt.want {
				t.Errorf("ReportPublic = %v, want %v", got, tt.want)
			}
		})
	}
	withdrawn := mustApply(t, draftCase(t), officer, Command{Action: ActWithdraw, Reason: "Fel nämnd"})
	if withdrawn.ReportPublic() {
		t.Error("a report withdrawn as a draft became public")
	}
}

func TestDecisionPublic(t *testing.T) {
	decided := decidedCase(t)
	dispatched := executiveBoardCase(t)
	for _, tt := range []struct {
		name      string
		c         Case
		secret    bool
		justified bool
		want      bool
	}{
		{"decided, protokoll not justerat", decided, false, false, false},
		{"decided, protokoll justerat", decided, false, true, true},
		{"dispatched without a meeting", dispatched, false, false, true},
		{"secret and justerat", decided, true, true, false},
	} {
		c := tt.c.Clone()
		c.Secret = tt.secret
		if got := c.DecisionPublic(tt.justified); got != tt.want {
			t.Errorf("%s: DecisionPublic = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestInvolvesAndWithhold(t *testing.T) {
	c := decidedCase(t)
	c.Secret = true
	c.Attachments = []Attachment{{ID: 1, Name: "Utredning om enskild.pdf", HasContent: true, UploadedAt: time.Now()}}
	for _, tt := range []struct {
		u    User
		want bool
	}{
		{officer, true}, {approver2, true}, {secretary, true}, {admin, true},
		{ksSecretary, false}, {outsider, false}, {inactiveSecretary, false},
	} {
		if got := c.Involves(tt.u); got != tt.want {
			t.Errorf("Involves(%s) = %v, want %v", tt.u.Name, got, tt.want)
		}
	}
	w := c.Withhold()
	if w.Title != WithheldText || w.Summary != "" || w.Background != "" || len(w.Proposals) != 0 ||
		w.Decision.Text != "" || w.Attachments[0].Name != "Handling (sekretess)" {
		t.Errorf("withheld case still shows its content: %+v", w)
	}
	if w.Number != c.Number || w.Stage != c.Stage || len(w.Route) != len(c.Route) {
		t.Errorf("withholding lost the registration: %s %s %d steps", w.Number, w.Stage, len(w.Route))
	}
	if c.Title == WithheldText || c.Attachments[0].Name != "Utredning om enskild.pdf" || c.Decision.Text == "" {
		t.Error("Withhold changed the case it was given")
	}
	c.Secret = false
	if got := c.Withhold(); got.Title != c.Title {
		t.Error("an open case was withheld")
	}
}
