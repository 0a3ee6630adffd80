package workflow

import (
	"strings"
	"testing"
	"time"
)

func TestNewCustomDeadline(t *testing.T) {
	c := presidiumCase(t)
	valid := CustomDeadline{Due: MustDate("2020-01-20"), Responsible: officer, Note: "  Följ upp yttrandet från KS  "}
	d, err := NewCustomDeadline(&c, valid, secretary, clock)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != DeadlineCustom || d.State != DeadlineOpen || d.Due != valid.Due || d.Responsible != officer.Person() ||
		d.Note != "Följ upp yttrandet från KS" || d.CreatedBy == nil || *d.CreatedBy != secretary.Person() ||
		d.CaseNumber != c.Number || !d.CreatedAt.Equal(clock) {
		t.Errorf("NewCustomDeadline = %+v", d)
	}
	t.Run("due today is allowed", func(t *testing.T) {
		in := valid
		in.Due = Today(clock)
		if _, err := NewCustomDeadline(&c, in, outsider, clock); err != nil {
			t.Errorf("any active user may set a bevakning due today: %v", err)
		}
	})
	bad := []struct {
		name  string
		edit  func(*CustomDeadline)
		field string
	}{
		{"no date", func(in *CustomDeadline) { in.Due = Date{} }, "due"},
		{"date passed", func(in *CustomDeadline) { in.Due = MustDate("2020-01-01") }, "due"},
		{"too far ahead", func(in *CustomDeadline) { in.Due = MustDate("2026-01-01") }, "due"},
		{"nobody responsible", func(in *CustomDeadline) { in.Responsible = User{} }, "responsible"},
		{"inactive responsible", func(in *CustomDeadline) { in.Responsible = inactiveSecretary }, "responsible"},
		{"blank note", func(in *CustomDeadline) { in.Note = " \n " }, "note"},
		{"note too long", func(in *CustomDeadline) { in.Note = strings.Repeat("å", MaxDeadlineNote+1) }, "note"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			in := valid
			tt.edit(&in)
			_, err := NewCustomDeadline(&c, in, secretary, clock)
			wantFields(t, err, tt.field)
		})
	}
	t.Run("inactive actor", func(t *testing.T) {
		_, err := NewCustomDeadline(&c, valid, inactiveSecretary, clock)
		wantCode(t, err, EFORBIDDEN)
	})
}

func TestAcknowledge(t *testing.T) {
	c := presidiumCase(t)
	setBy := colleague.Person()
	custom := Deadline{ID: 7, CaseNumber: c.Number, Kind: DeadlineCustom, Due: MustDate("2020-01-20"),
		Responsible: officer.Person(), CreatedBy: &setBy, State: DeadlineOpen}
	later := clock.Add(time.Hour)
	for _, who := range []User{officer, colleague, secretary, admin} {
		t.Run("by "+who.Name, func(t *testing.T) {
			got, err := Acknowledge(custom, &c, who, later)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != DeadlineAcknowledged || got.ClosedAt == nil || !got.ClosedAt.Equal(later) ||
				got.ClosedBy == nil || got.ClosedBy.ID != who.ID {
				t.Errorf("Acknowledge = %+v", got)
			}
			if custom.State != DeadlineOpen || custom.ClosedAt != nil {
				t.Errorf("Acknowledge changed its input: %+v", custom)
			}
		})
	}
	for _, who := range []User{approver1, ksSecretary, outsider, inactiveSecretary} {
		t.Run("refused to "+who.Name, func(t *testing.T) {
			_, err := Acknowledge(custom, &c, who, later)
			wantCode(t, err, EFORBIDDEN)
		})
	}
	t.Run("twice", func(t *testing.T) {
		done, err := Acknowledge(custom, &c, officer, later)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Acknowledge(done, &c, officer, later)
		wantCode(t, err, ECONFLICT)
	})
	t.Run("a workflow deadline", func(t *testing.T) {
		stage := Deadline{Kind: DeadlineStage, Due: MustDate("2020-01-09"), Responsible: secretary.Person(), State: DeadlineOpen}
		_, err := Acknowledge(stage, &c, secretary, later)
		wantCode(t, err, ECONFLICT)
	})
}

// CheckAcknowledge, which pages ask before they show kvittera, answers as
// Acknowledge does for everyone.
func TestCheckAcknowledgeAgreesWithAcknowledge(t *testing.T) {
	c := presidiumCase(t)
	setBy := colleague.Person()
	open := Deadline{Kind: DeadlineCustom, Due: MustDate("2020-01-20"), Responsible: officer.Person(), CreatedBy: &setBy, State: DeadlineOpen}
	closed := open
	closed.State = DeadlineAcknowledged
	stage := Deadline{Kind: DeadlineStage, Due: MustDate("2020-01-09"), Responsible: secretary.Person(), State: DeadlineOpen}
	allowed := 0
	for _, d := range []Deadline{open, closed, stage} {
		for _, u := range []User{officer, colleague, secretary, admin, approver1, ksSecretary, outsider, inactiveSecretary} {
			_, want := Acknowledge(d, &c, u, clock)
			got := CheckAcknowledge(d, c.Board.Code, u)
			if ErrorCode(got) != ErrorCode(want) {
				t.Errorf("%s on a %s %s deadline: CheckAcknowledge %v, Acknowledge %v", u.Name, d.State, d.Kind, got, want)
			}
			if got == nil {
				allowed++
			}
		}
	}
	if allowed != 4 {
		t.Errorf("%d people may acknowledge, want the 4 of the open custom deadline", allowed)
	}
}
