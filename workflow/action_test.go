package workflow

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// outcome is one allowed (situation, action): who may take it and where the
// case is afterwards.
type outcome struct {
	who   []string // names from tableUsers
	stage Stage
	step  int
}

var (
	byOfficer            = []string{"officer"}
	bySecretary          = []string{"secretary"}
	byOfficerOrSecretary = []string{"officer", "secretary"}
	byAnyApprover        = []string{"approver1", "approver2", "approver3"}
)

// situations is the action table written out by hand from DESIGN.md: for each
// situation of the case, the actions that may be taken there. An action not
// listed must be refused with ECONFLICT whoever tries it; a listed action must
// be refused with EFORBIDDEN for everyone not in its who.
var situations = []struct {
	name    string
	build   func(t *testing.T) Case
	stage   Stage
	step    int
	allowed map[Action]outcome
}{
	{"draft", draftCase, StageDraft, -1, map[Action]outcome{
		ActSubmit:   {byOfficer, StageApproval, -1},
		ActWithdraw: {byOfficerOrSecretary, StageClosed, -1},
	}},
	{"approval with none signed", func(t *testing.T) Case { return approvalCase(t, 0) }, StageApproval, -1, map[Action]outcome{
		ActApprove:  {[]string{"approver1"}, StageApproval, -1},
		ActReject:   {byAnyApprover, StageDraft, -1},
		ActWithdraw: {byOfficerOrSecretary, StageClosed, -1},
	}},
	{"approval with one signed", func(t *testing.T) Case { return approvalCase(t, 1) }, StageApproval, -1, map[Action]outcome{
		ActApprove:  {[]string{"approver2"}, StageApproval, -1},
		ActReject:   {byAnyApprover, StageDraft, -1},
		ActWithdraw: {byOfficerOrSecretary, StageClosed, -1},
	}},
	{"approval with two signed", func(t *testing.T) Case { return approvalCase(t, 2) }, StageApproval, -1, map[Action]outcome{
		ActApprove:  {[]string{"approver3"}, StagePresidium, 0},
		ActReject:   {byAnyApprover, StageDraft, -1},
		ActWithdraw: {byOfficerOrSecretary, StageClosed, -1},
	}},
	// At a step with a meeting the case moves by what the meeting does
	// (DecideAtMeeting); before the kallelse it may still be moved to a later
	// meeting or sent back, after it only withdrawn.
	{"presidium", presidiumCase, StagePresidium, 0, map[Action]outcome{
		ActPostpone: {bySecretary, StagePresidium, 0},
		ActReturn:   {bySecretary, StageDraft, -1},
		ActWithdraw: {byOfficerOrSecretary, StageClosed, 0},
	}},
	{"presidium, kallelse sent", func(t *testing.T) Case { return withMeeting(presidiumCase(t), MeetingNoticeSent) },
		StagePresidium, 0, map[Action]outcome{
			ActWithdraw: {byOfficerOrSecretary, StageClosed, 0},
		}},
	{"working committee", workingCommitteeCase, StageWorkingCommittee, 1, map[Action]outcome{
		ActPostpone: {bySecretary, StageWorkingCommittee, 1},
		ActReturn:   {bySecretary, StageDraft, -1},
		ActWithdraw: {byOfficerOrSecretary, StageClosed, 1},
	}},
	{"working committee, meeting held without handling it", func(t *testing.T) Case { return withMeeting(workingCommitteeCase(t), MeetingHeld) },
		StageWorkingCommittee, 1, map[Action]outcome{
			ActPostpone: {bySecretary, StageWorkingCommittee, 1},
			ActReturn:   {bySecretary, StageDraft, -1},
			ActWithdraw: {byOfficerOrSecretary, StageClosed, 1},
		}},
	{"board undecided", boardCase, StageBoard, 2, map[Action]outcome{
		ActPostpone: {bySecretary, StageBoard, 2},
		ActReturn:   {bySecretary, StageDraft, -1},
		ActWithdraw: {byOfficerOrSecretary, StageClosed, 2},
	}},
	{"board undecided, kallelse sent", func(t *testing.T) Case { return withMeeting(boardCase(t), MeetingNoticeSent) },
		StageBoard, 2, map[Action]outcome{
			ActWithdraw: {byOfficerOrSecretary, StageClosed, 2},
		}},
	{"board decided", decidedCase, StageBoard, 2, map[Action]outcome{
		ActDispatch: {bySecretary, StageExecutiveBoard, 3},
		ActWithdraw: {byOfficerOrSecretary, StageClosed, 2},
	}},
	{"board decided and dispatched on a route ending at the board",
		func(t *testing.T) Case { return dispatchedCaseOn(t, boardRoute()) }, StageBoard, 2, map[Action]outcome{
			ActClose:    {bySecretary, StageClosed, 3},
			ActWithdraw: {byOfficerOrSecretary, StageClosed, 2},
		}},
	{"executive board after dispatch", executiveBoardCase, StageExecutiveBoard, 3, map[Action]outcome{
		ActPostpone: {bySecretary, StageExecutiveBoard, 3},
		ActWithdraw: {byOfficerOrSecretary, StageClosed, 3},
	}},
	// An undated step has no meeting to move the case: the secretary does.
	{"executive board undated, after dispatch",
		func(t *testing.T) Case { return dispatchedCaseOn(t, undatedKSRoute()) }, StageExecutiveBoard, 3, map[Action]outcome{
			ActPostpone: {bySecretary, StageExecutiveBoard, 3},
			ActClose:    {bySecretary, StageClosed, 4},
			ActWithdraw: {byOfficerOrSecretary, StageClosed, 3},
		}},
	{"executive board with the council next",
		func(t *testing.T) Case { return dispatchedCaseOn(t, councilRoute()) }, StageExecutiveBoard, 3, map[Action]outcome{
			ActPostpone: {bySecretary, StageExecutiveBoard, 3},
			ActWithdraw: {byOfficerOrSecretary, StageClosed, 3},
		}},
	{"council as the last step",
		func(t *testing.T) Case {
			return mustHandle(t, dispatchedCaseOn(t, councilRoute()), DecisionApproved, "Kommunstyrelsen föreslår fullmäktige att besluta enligt förslaget.")
		}, StageCouncil, 4, map[Action]outcome{
			ActPostpone: {bySecretary, StageCouncil, 4},
			ActWithdraw: {byOfficerOrSecretary, StageClosed, 4},
		}},
	{"closed", closedCase, StageClosed, 4, nil},
	{"withdrawn", withdrawnCase, StageClosed, 1, nil},
}

// validCommand is input that satisfies every action's own checks.
func validCommand(c Case, a Action) Command {
	return Command{
		Action:       a,
		Version:      c.Version,
		Reason:       "Underlaget behöver kompletteras",
		Date:         MustDate("2020-06-01"), // after every step of every route here
		Decision:     decisionText,
		DecisionType: DecisionApproved,
	}
}

func TestActionTable(t *testing.T) {
	for _, sit := range situations {
		t.Run(sit.name, func(t *testing.T) {
			c := sit.build(t)
			if c.Stage != sit.stage || c.Step != sit.step {
				t.Fatalf("situation is %s step %d, want %s step %d", c.Stage, c.Step, sit.stage, sit.step)
			}
			for a := range sit.allowed {
				if !slices.Contains(Actions, a) {
					t.Fatalf("table names unknown action %q", a)
				}
			}
			before := snapshot(c)
			for _, u := range tableUsers {
				var succeeded []Action
				for _, a := range Actions {
					t.Run(fmt.Sprintf("%s by %s", a, u.name), func(t *testing.T) {
						want, listed := sit.allowed[a]
						res, err := Apply(c, validCommand(c, a), envFor(u.user))
						switch {
						case !listed:
							wantCode(t, err, ECONFLICT)
						case !slices.Contains(want.who, u.name):
							wantCode(t, err, EFORBIDDEN)
						default:
							if err != nil {
								t.Fatalf("Apply: %v, want success", err)
							}
							succeeded = append(succeeded, a)
							checkSuccess(t, c, res, a, u.user, want)
						}
						if err != nil && !reflect.ValueOf(res).IsZero() {
							t.Errorf("failed Apply returned a non-zero Result %+v", res)
						}
						if !reflect.DeepEqual(c, before) {
							t.Fatalf("Apply changed its input case")
						}
					})
				}
				if got := Allowed(&c, u.user); !slices.Equal(got, succeeded) {
					t.Errorf("Allowed(%s) = %v, but the actions that succeeded were %v", u.name, got, succeeded)
				}
			}
		})
	}
}

func checkSuccess(t *testing.T, c Case, res Result, a Action, u User, want outcome) {
	t.Helper()
	got := res.Case
	if got.Stage != want.stage || got.Step != want.step {
		t.Errorf("case is in %s step %d, want %s step %d", got.Stage, got.Step, want.stage, want.step)
	}
	if got.Version != c.Version+1 {
		t.Errorf("version = %d, want %d", got.Version, c.Version+1)
	}
	if !got.UpdatedAt.Equal(clock) {
		t.Errorf("UpdatedAt = %v, want %v", got.UpdatedAt, clock)
	}
	if got.Number != c.Number || got.ID != c.ID || !got.CreatedAt.Equal(c.CreatedAt) {
		t.Errorf("identity changed: %s/%d/%v, want %s/%d/%v", got.Number, got.ID, got.CreatedAt, c.Number, c.ID, c.CreatedAt)
	}
	ev := res.Event
	if ev.Action != string(a) || ev.From != c.Stage || ev.To != want.stage || ev.Actor != u.Person() ||
		ev.CaseNumber != c.Number || !ev.At.Equal(clock) {
		t.Errorf("event = %+v, want %s from %s to %s by %s", ev, a, c.Stage, want.stage, u.Name)
	}
	if wantDeadlines := PlanDeadlines(&got, secretaries(), DefaultPolicy); !reflect.DeepEqual(res.Deadlines, wantDeadlines) {
		t.Errorf("Deadlines = %+v, want the plan for the new case %+v", res.Deadlines, wantDeadlines)
	}
}

func TestApproveSignsInOrder(t *testing.T) {
	c := approvalCase(t, 0)
	for i, a := range approvers {
		for j, other := range approvers {
			if j == i {
				continue
			}
			_, err := Apply(c, Command{Action: ActApprove, Version: c.Version}, envFor(other))
			if ErrorCode(err) != EFORBIDDEN {
				t.Fatalf("signature %d: approve by %s = %v, want EFORBIDDEN", i+1, other.Name, err)
			}
		}
		signedAt := clock.Add(time.Duration(i+1) * time.Hour)
		res, err := Apply(c, Command{Action: ActApprove, Version: c.Version}, envAt(a, signedAt))
		if err != nil {
			t.Fatalf("approve by %s: %v", a.Name, err)
		}
		for j, got := range res.Case.Approvers {
			switch {
			case j <= i && got.SignedAt == nil:
				t.Errorf("after signature %d: approver %d has not signed", i+1, j+1)
			case j <= i && !got.SignedAt.Equal(clock.Add(time.Duration(j+1)*time.Hour)):
				t.Errorf("after signature %d: approver %d signed at %v", i+1, j+1, got.SignedAt)
			case j > i && got.SignedAt != nil:
				t.Errorf("after signature %d: approver %d signed too (%v)", i+1, j+1, got.SignedAt)
			}
		}
		c = res.Case
	}
	if c.Stage != StagePresidium || c.Step != 0 {
		t.Fatalf("after the last signature the case is in %s step %d, want presidium step 0", c.Stage, c.Step)
	}
	if s := c.CurrentStep(); s == nil || s.Body.Code != "ASN-PR" || s.Date != MustDate("2020-01-08") {
		t.Errorf("current step = %+v, want the presidium of 2020-01-08", s)
	}
}

func TestApproveToARouteStartingAtTheBoard(t *testing.T) {
	route := []RouteStep{
		{Body: bodyBoard, Date: MustDate("2020-01-30")},
		{Body: bodyKS, Date: MustDate("2020-02-05")},
	}
	c := approvalCaseOn(t, route, 2)
	c = mustApply(t, c, approver3, Command{Action: ActApprove})
	if c.Stage != StageBoard || c.Step != 0 {
		t.Fatalf("case is in %s step %d, want board step 0", c.Stage, c.Step)
	}
	// At the deciding step straight away: the meeting decides, nothing advances.
	if got := Allowed(&c, secretary); !slices.Equal(got, []Action{ActPostpone, ActReturn, ActWithdraw}) {
		t.Errorf("Allowed(secretary) = %v", got)
	}
}

func TestInactiveApproverCannotSign(t *testing.T) {
	c := approvalCase(t, 1)
	gone := approver2
	gone.Active = false
	for _, a := range []Action{ActApprove, ActReject} {
		_, err := Apply(c, validCommand(c, a), envFor(gone))
		wantCode(t, err, EFORBIDDEN)
	}
}

func TestNotifications(t *testing.T) {
	const reason = "Underlaget behöver kompletteras"
	officerP, sec := officer.Person(), secretary.Person()
	tests := []struct {
		name  string
		build func(t *testing.T) Case
		by    User
		cmd   Command
		want  []Notification
	}{
		{"submit tells the first approver", draftCase, officer, Command{Action: ActSubmit},
			[]Notification{{Kind: NotifySubmitted, To: approver1.Person()}}},
		{"first approval tells the second approver", func(t *testing.T) Case { return approvalCase(t, 0) }, approver1,
			Command{Action: ActApprove}, []Notification{{Kind: NotifySubmitted, To: approver2.Person()}}},
		{"second approval tells the third approver", func(t *testing.T) Case { return approvalCase(t, 1) }, approver2,
			Command{Action: ActApprove}, []Notification{{Kind: NotifySubmitted, To: approver3.Person()}}},
		{"last approval tells every secretary", func(t *testing.T) Case { return approvalCase(t, 2) }, approver3,
			Command{Action: ActApprove}, []Notification{{Kind: NotifyApproved, To: sec}, {Kind: NotifyApproved, To: secondSecretary}}},
		{"reject tells the officer why", func(t *testing.T) Case { return approvalCase(t, 1) }, approver2,
			Command{Action: ActReject, Reason: "  " + reason + "\n"}, []Notification{{Kind: NotifyRejected, To: officerP, Reason: reason}}},
		{"advance tells the officer", func(t *testing.T) Case {
			return dispatchedCaseOn(t, append(undatedKSRoute(), RouteStep{Body: bodyKF}))
		}, secretary, Command{Action: ActAdvance},
			[]Notification{{Kind: NotifyAdvanced, To: officerP}}},
		{"postpone tells the officer", workingCommitteeCase, secretary,
			Command{Action: ActPostpone, Date: MustDate("2020-01-23"), Reason: reason},
			[]Notification{{Kind: NotifyPostponed, To: officerP, Reason: reason}}},
		{"return tells the officer why", boardCase, secretary, Command{Action: ActReturn, Reason: reason},
			[]Notification{{Kind: NotifyReturned, To: officerP, Reason: reason}}},
		{"dispatch tells every recipient", decidedCase, secretary, Command{Action: ActDispatch},
			[]Notification{
				{Kind: NotifyDispatched, To: Person{Name: "Kommunstyrelsen", Email: "kommunstyrelsen@malmo.se"}},
				{Kind: NotifyDispatched, To: Person{Name: "Arbetsmarknads- och socialförvaltningen", Email: "asf@malmo.se"}},
			}},
		{"close tells the officer", func(t *testing.T) Case { return dispatchedCaseOn(t, undatedKSRoute()) }, secretary, Command{Action: ActClose},
			[]Notification{{Kind: NotifyClosed, To: officerP}}},
		{"withdraw by the secretary tells the officer", presidiumCase, secretary, Command{Action: ActWithdraw, Reason: reason},
			[]Notification{{Kind: NotifyWithdrawn, To: officerP, Reason: reason}}},
		{"withdraw by the officer tells no one", presidiumCase, officer, Command{Action: ActWithdraw, Reason: reason}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build(t)
			tt.cmd.Version = c.Version
			res, err := Apply(c, tt.cmd, envFor(tt.by))
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if !reflect.DeepEqual(res.Notifications, tt.want) {
				t.Errorf("notifications = %+v\nwant %+v", res.Notifications, tt.want)
			}
		})
	}
}

func TestRejectClearsSignatures(t *testing.T) {
	c := approvalCase(t, 2)
	res, err := Apply(c, Command{Action: ActReject, Version: c.Version, Reason: "Siffrorna stämmer inte"}, envFor(approver3))
	if err != nil {
		t.Fatal(err)
	}
	if res.Case.Stage != StageDraft || res.Case.Step != -1 {
		t.Errorf("case is in %s step %d, want draft step -1", res.Case.Stage, res.Case.Step)
	}
	for i, a := range res.Case.Approvers {
		if a.SignedAt != nil {
			t.Errorf("approver %d still signed at %v", i+1, a.SignedAt)
		}
	}
	if c.Approvers[0].SignedAt == nil || c.Approvers[1].SignedAt == nil {
		t.Errorf("reject cleared the signatures of its input case")
	}
	// A resubmitted case starts its sign-off from the first approver again.
	again := mustApply(t, res.Case, officer, Command{Action: ActSubmit})
	if i := again.NextApprover(); i != 0 {
		t.Errorf("after resubmission NextApprover = %d, want 0", i)
	}
}

func TestReturnGoesBackToDraft(t *testing.T) {
	c := workingCommitteeCase(t)
	res, err := Apply(c, Command{Action: ActReturn, Version: c.Version, Reason: "Återremiss: komplettera med kostnader"}, envFor(secretary))
	if err != nil {
		t.Fatal(err)
	}
	got := res.Case
	if got.Stage != StageDraft || got.Step != -1 || got.CurrentStep() != nil {
		t.Errorf("case is in %s step %d, want draft step -1", got.Stage, got.Step)
	}
	for i, a := range got.Approvers {
		if a.SignedAt != nil {
			t.Errorf("approver %d still signed at %v", i+1, a.SignedAt)
		}
	}
	for i, a := range c.Approvers {
		if a.SignedAt == nil {
			t.Errorf("return cleared signature %d of its input case", i+1)
		}
	}
	if !reflect.DeepEqual(got.Route, c.Route) {
		t.Errorf("return changed the route: %+v", got.Route)
	}
	// The officer can edit the returned draft and submit it again.
	if got := Allowed(&got, officer); !slices.Equal(got, []Action{ActSubmit, ActWithdraw}) {
		t.Errorf("Allowed(officer) after return = %v", got)
	}
}

func TestPostpone(t *testing.T) {
	d := MustDate
	tests := []struct {
		name      string
		build     func(t *testing.T) Case
		to        string
		dates     []string   // the route's dates afterwards
		postponed [][]string // each step's Postponed afterwards
		meetings  []int64    // each step's MeetingID afterwards
	}{
		{"presidium, nothing else moves", presidiumCase, "2020-01-10",
			[]string{"2020-01-10", "2020-01-16", "2020-01-30", "2020-02-05"},
			[][]string{{"2020-01-08"}, nil, nil, nil},
			[]int64{0, 102, 103, 104}},
		{"presidium past the AU, the AU moves by the same 12 days", presidiumCase, "2020-01-20",
			[]string{"2020-01-20", "2020-01-28", "2020-01-30", "2020-02-05"},
			[][]string{{"2020-01-08"}, {"2020-01-16"}, nil, nil},
			[]int64{0, 0, 103, 104}},
		{"presidium onto the AU's day, the AU moves", presidiumCase, "2020-01-16",
			[]string{"2020-01-16", "2020-01-24", "2020-01-30", "2020-02-05"},
			[][]string{{"2020-01-08"}, {"2020-01-16"}, nil, nil},
			[]int64{0, 0, 103, 104}},
		{"AU past the board and KS, both move by 16 days (the board from Saturday to Monday)", workingCommitteeCase, "2020-02-01",
			[]string{"2020-01-08", "2020-02-01", "2020-02-17", "2020-02-21"},
			[][]string{nil, {"2020-01-16"}, {"2020-01-30"}, {"2020-02-05"}},
			[]int64{101, 0, 0, 0}},
		{"board past KS, KS moves by 11 days (from Sunday to Monday)", boardCase, "2020-02-10",
			[]string{"2020-01-08", "2020-01-16", "2020-02-10", "2020-02-17"},
			[][]string{nil, nil, {"2020-01-30"}, {"2020-02-05"}},
			[]int64{101, 102, 0, 0}},
		{"board before KS, KS stays", boardCase, "2020-02-03",
			[]string{"2020-01-08", "2020-01-16", "2020-02-03", "2020-02-05"},
			[][]string{nil, nil, {"2020-01-30"}, nil},
			[]int64{101, 102, 0, 104}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build(t)
			res, err := Apply(c, Command{Action: ActPostpone, Version: c.Version, Date: d(tt.to)}, envFor(secretary))
			if err != nil {
				t.Fatal(err)
			}
			got := res.Case
			if got.Stage != c.Stage || got.Step != c.Step {
				t.Errorf("postpone moved the case to %s step %d", got.Stage, got.Step)
			}
			for i, s := range got.Route {
				var wantPostponed []Date
				for _, p := range tt.postponed[i] {
					wantPostponed = append(wantPostponed, d(p))
				}
				if s.Date != d(tt.dates[i]) || !slices.Equal(s.Postponed, wantPostponed) || s.MeetingID != tt.meetings[i] {
					t.Errorf("step %d (%s) = %s postponed from %v meeting %d, want %s postponed from %v meeting %d",
						i, s.Body.Code, s.Date, s.Postponed, s.MeetingID, tt.dates[i], tt.postponed[i], tt.meetings[i])
				}
			}
			if !reflect.DeepEqual(c.Route, fullRoute()) {
				t.Errorf("postpone changed the input's route: %+v", c.Route)
			}
		})
	}
}

func TestPostponeTwiceKeepsTheHistory(t *testing.T) {
	c := presidiumCase(t)
	c = mustApply(t, c, secretary, Command{Action: ActPostpone, Date: MustDate("2020-01-10")})
	c = mustApply(t, c, secretary, Command{Action: ActPostpone, Date: MustDate("2020-01-14")})
	s := c.Route[0]
	if s.Date != MustDate("2020-01-14") || !slices.Equal(s.Postponed, []Date{MustDate("2020-01-08"), MustDate("2020-01-10")}) {
		t.Errorf("presidium = %s postponed from %v, want 2020-01-14 postponed from [2020-01-08 2020-01-10]", s.Date, s.Postponed)
	}
}

// plannedRoute has the nämnd and KS not yet planned: steps without dates.
func plannedRoute() []RouteStep {
	r := fullRoute()
	r[2].Date, r[2].MeetingID = Date{}, 0
	r[3].Date, r[3].MeetingID = Date{}, 0
	return r
}

func TestPostponePlansAnUndatedStep(t *testing.T) {
	tests := []struct {
		name string
		date Date
		ok   bool
	}{
		{"a date", MustDate("2020-01-30"), true},
		{"the day of the AU", MustDate("2020-01-16"), true},
		{"no date", Date{}, false},
		{"a date already past", MustDate("2020-01-01"), false},
		// The AU meets on the 16th; the nämnd cannot meet on the case before it.
		{"a date before the AU", MustDate("2020-01-10"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := routeCaseOn(t, plannedRoute(), 2)
			res, err := Apply(c, Command{Action: ActPostpone, Version: c.Version, Date: tt.date}, envFor(secretary))
			if !tt.ok {
				wantFields(t, err, "date")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := res.Case.Route
			if got[2].Date != tt.date || got[2].Postponed != nil || !got[3].Date.IsZero() || got[3].Postponed != nil {
				t.Errorf("route = %+v, want the nämnd on %s with no postponement and KS still undated", got, tt.date)
			}
			if res.Case.Stage != StageBoard || res.Case.Step != 2 || res.Case.Version != c.Version+1 {
				t.Errorf("case in %s step %d version %d", res.Case.Stage, res.Case.Step, res.Case.Version)
			}
			if !c.Route[2].Date.IsZero() {
				t.Errorf("postpone dated the input's step")
			}
		})
	}
	t.Run("postponing the AU stops at the undated nämnd", func(t *testing.T) {
		c := routeCaseOn(t, plannedRoute(), 1)
		c = mustApply(t, c, secretary, Command{Action: ActPostpone, Date: MustDate("2020-01-23")})
		if c.Route[1].Date != MustDate("2020-01-23") || !c.Route[2].Date.IsZero() || c.Route[2].Postponed != nil {
			t.Errorf("route = %+v", c.Route)
		}
	})
}

// A board decides at its meeting, where the decision gets its §: the
// free-standing decide is refused, saying where to record it.
func TestDecideOnlyAtTheMeeting(t *testing.T) {
	for name, c := range map[string]Case{"at the nämnd's meeting": boardCase(t),
		"at a deciding step without a meeting": func() Case {
			c := boardCase(t)
			c.Route[c.Step].MeetingID, c.Route[c.Step].Date = 0, Date{}
			return c
		}()} {
		_, err := Apply(c, Command{Action: ActDecide, Version: c.Version, Decision: decisionText}, envFor(secretary))
		wantCode(t, err, ECONFLICT)
		if msg := ErrorMessage(err); !strings.Contains(msg, "sammanträde") {
			t.Errorf("%s: %q does not say where to record the decision", name, msg)
		}
	}
}

func TestDispatch(t *testing.T) {
	c := decidedCase(t)
	at := MustDate("2020-02-03").At(10, 0)
	res, err := Apply(c, Command{Action: ActDispatch, Version: c.Version}, envAt(secretary, at))
	if err != nil {
		t.Fatal(err)
	}
	got := res.Case
	if got.Stage != StageExecutiveBoard || got.Step != 3 {
		t.Errorf("case is in %s step %d, want executive_board step 3", got.Stage, got.Step)
	}
	if got.Decision == nil || got.Decision.DispatchedAt == nil || !got.Decision.DispatchedAt.Equal(at) {
		t.Errorf("decision = %+v, want dispatched at %v", got.Decision, at)
	}
	if got.Decision != nil && got.Decision.Text != decisionText {
		t.Errorf("dispatch changed the decision text to %q", got.Decision.Text)
	}
	if c.Decision.DispatchedAt != nil {
		t.Errorf("dispatch marked the decision of its input case")
	}
	_, err = Apply(got, Command{Action: ActDispatch, Version: got.Version}, envFor(secretary))
	wantCode(t, err, ECONFLICT)
}

func TestDispatchOnTheLastStepStaysThere(t *testing.T) {
	c := decidedCaseOn(t, boardRoute())
	res, err := Apply(c, Command{Action: ActDispatch, Version: c.Version}, envFor(secretary))
	if err != nil {
		t.Fatal(err)
	}
	got := res.Case
	if got.Stage != StageBoard || got.Step != 2 || got.Decision.DispatchedAt == nil {
		t.Fatalf("case is in %s step %d, decision %+v; want board step 2, dispatched", got.Stage, got.Step, got.Decision)
	}
	_, err = Apply(got, Command{Action: ActDispatch, Version: got.Version}, envFor(secretary))
	wantCode(t, err, ECONFLICT)
	closed := mustApply(t, got, secretary, Command{Action: ActClose})
	if closed.Stage != StageClosed {
		t.Errorf("close after dispatch: stage %s", closed.Stage)
	}
}

func TestCloseNeedsTheLastStepAndADispatchedDecision(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T) Case
	}{
		{"presidium", presidiumCase},
		{"board undecided", boardCase},
		{"board decided, not dispatched", decidedCase},
		{"last step is the board, undecided", func(t *testing.T) Case { return routeCaseOn(t, boardRoute(), 2) }},
		{"last step is the board, not dispatched", func(t *testing.T) Case { return decidedCaseOn(t, boardRoute()) }},
		{"KS with the council still to come", func(t *testing.T) Case { return dispatchedCaseOn(t, councilRoute()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build(t)
			_, err := Apply(c, Command{Action: ActClose, Version: c.Version}, envFor(secretary))
			wantCode(t, err, ECONFLICT)
		})
	}
	t.Run("KS after dispatch", func(t *testing.T) {
		c := dispatchedCaseOn(t, undatedKSRoute())
		res, err := Apply(c, Command{Action: ActClose, Version: c.Version}, envFor(secretary))
		if err != nil {
			t.Fatal(err)
		}
		if res.Case.Stage != StageClosed || res.Case.Open() || res.Case.CurrentStep() != nil {
			t.Errorf("case is in %s, open %v", res.Case.Stage, res.Case.Open())
		}
		for i := range res.Case.Route {
			if s := res.Case.StepStatus(i); s != StepDone {
				t.Errorf("step %d of a closed case is %s, want done", i, s)
			}
		}
	})
}

func TestAdvanceRefusals(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T) Case
	}{
		{"at the deciding step, undecided", boardCase},
		{"at the deciding step, decided but not dispatched", decidedCase},
		{"at the last step", executiveBoardCase},
		{"at the last step, the council", func(t *testing.T) Case {
			return mustHandle(t, dispatchedCaseOn(t, councilRoute()), DecisionApproved, "Kommunstyrelsen föreslår fullmäktige att besluta enligt förslaget.")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build(t)
			_, err := Apply(c, Command{Action: ActAdvance, Version: c.Version}, envFor(secretary))
			wantCode(t, err, ECONFLICT)
		})
	}
}

func TestWithdraw(t *testing.T) {
	for _, by := range []User{officer, secretary} {
		t.Run(by.Name, func(t *testing.T) {
			c := boardCase(t)
			res, err := Apply(c, Command{Action: ActWithdraw, Version: c.Version, Reason: " Uppdraget är återkallat "}, envFor(by))
			if err != nil {
				t.Fatal(err)
			}
			if res.Case.Stage != StageClosed || res.Case.ClosedNote != "Uppdraget är återkallat" {
				t.Errorf("case is in %s with note %q", res.Case.Stage, res.Case.ClosedNote)
			}
			if res.Event.Reason != "Uppdraget är återkallat" {
				t.Errorf("event reason = %q", res.Event.Reason)
			}
			if c.ClosedNote != "" || c.Stage != StageBoard {
				t.Errorf("withdraw changed its input case")
			}
			if len(res.Deadlines) != 0 {
				t.Errorf("a withdrawn case keeps deadlines %+v", res.Deadlines)
			}
		})
	}
}

func TestApplyLeavesItsInputAlone(t *testing.T) {
	t.Run("approve", func(t *testing.T) {
		c := approvalCase(t, 0)
		mustApply(t, c, approver1, Command{Action: ActApprove})
		if c.Approvers[0].SignedAt != nil {
			t.Errorf("input approver 1 signed at %v", c.Approvers[0].SignedAt)
		}
	})
	t.Run("reject", func(t *testing.T) {
		c := approvalCase(t, 1)
		signed := *c.Approvers[0].SignedAt
		mustApply(t, c, approver2, Command{Action: ActReject, Reason: "Nej"})
		if c.Approvers[0].SignedAt == nil || !c.Approvers[0].SignedAt.Equal(signed) {
			t.Errorf("input approver 1 signature = %v, want %v", c.Approvers[0].SignedAt, signed)
		}
	})
	t.Run("postpone", func(t *testing.T) {
		c := presidiumCase(t)
		// Spare capacity: an append to a shared backing array would show here.
		c.Route[0].Postponed = make([]Date, 1, 4)
		c.Route[0].Postponed[0] = MustDate("2020-01-02")
		mustApply(t, c, secretary, Command{Action: ActPostpone, Date: MustDate("2020-01-20")})
		if c.Route[0].Date != MustDate("2020-01-08") || c.Route[1].Date != MustDate("2020-01-16") {
			t.Errorf("input route dates = %s, %s", c.Route[0].Date, c.Route[1].Date)
		}
		if c.Route[0].MeetingID != 101 || len(c.Route[0].Postponed) != 1 || len(c.Route[1].Postponed) != 0 {
			t.Errorf("input route = %+v", c.Route[:2])
		}
		if spare := c.Route[0].Postponed[:2]; !spare[1].IsZero() {
			t.Errorf("postpone wrote %s into the input's Postponed array", spare[1])
		}
	})
	t.Run("dispatch", func(t *testing.T) {
		c := decidedCase(t)
		mustApply(t, c, secretary, Command{Action: ActDispatch})
		if c.Decision.DispatchedAt != nil || c.Step != 2 {
			t.Errorf("input decision dispatched at %v, step %d", c.Decision.DispatchedAt, c.Step)
		}
	})
}

func TestApplyRejectsAnUnknownAction(t *testing.T) {
	c := presidiumCase(t)
	for _, a := range []Action{"", "publish", "Advance"} {
		_, err := Apply(c, Command{Action: a, Version: c.Version}, envFor(secretary))
		wantCode(t, err, EINVALID)
	}
}

func TestApplyRefusesAStaleVersion(t *testing.T) {
	c := presidiumCase(t) // version 5: created, submitted and signed three times
	for _, stale := range []int{c.Version - 1, c.Version + 1, 0} {
		t.Run(fmt.Sprint(stale), func(t *testing.T) {
			_, err := Apply(c, Command{Action: ActPostpone, Version: stale, Date: MustDate("2020-01-09")}, envFor(secretary))
			wantCode(t, err, ECONFLICT)
			msg := ErrorMessage(err)
			for _, v := range []int{stale, c.Version} {
				if !regexp.MustCompile(fmt.Sprintf(`\b%d\b`, v)).MatchString(msg) {
					t.Errorf("message %q does not mention version %d", msg, v)
				}
			}
		})
	}
}

func TestApplyChecksInOrder(t *testing.T) {
	// Apply checks the action, then the stage, then the person, then the
	// version, then the input.
	c := presidiumCase(t)
	tests := []struct {
		name string
		by   User
		cmd  Command
		want string
	}{
		{"unknown action before the stage", secretary, Command{Action: "publish", Version: 0}, EINVALID},
		{"stage before the person", outsider, Command{Action: ActDecide, Version: 0}, ECONFLICT},
		{"person before the version", outsider, Command{Action: ActPostpone, Version: 0}, EFORBIDDEN},
		{"version before the input", secretary, Command{Action: ActReturn, Version: 0}, ECONFLICT},
		{"input last", secretary, Command{Action: ActReturn, Version: c.Version}, EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Apply(c, tt.cmd, envFor(tt.by))
			wantCode(t, err, tt.want)
		})
	}
}

func TestApplyNeedsAReason(t *testing.T) {
	for _, a := range Actions {
		want := a == ActReject || a == ActReturn || a == ActWithdraw
		if a.NeedsReason() != want {
			t.Errorf("%s.NeedsReason() = %v, want %v", a, a.NeedsReason(), want)
		}
	}
	tests := []struct {
		action Action
		build  func(t *testing.T) Case
		by     User
	}{
		{ActReject, func(t *testing.T) Case { return approvalCase(t, 1) }, approver1},
		{ActReturn, workingCommitteeCase, secretary},
		{ActWithdraw, draftCase, officer},
	}
	for _, tt := range tests {
		for _, reason := range []string{"", " \t\n"} {
			t.Run(fmt.Sprintf("%s %q", tt.action, reason), func(t *testing.T) {
				c := tt.build(t)
				_, err := Apply(c, Command{Action: tt.action, Version: c.Version, Reason: reason}, envFor(tt.by))
				wantFields(t, err, "reason")
			})
		}
	}
}

func TestPostponeDate(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
		date Date
		ok   bool
	}{
		{"no date", clock, Date{}, false},
		{"the same date", clock, MustDate("2020-01-16"), false},
		{"an earlier date", clock, MustDate("2020-01-15"), false},
		{"a later date", clock, MustDate("2020-01-17"), true},
		{"a later date already past", MustDate("2020-01-25").At(9, 0), MustDate("2020-01-20"), false},
		{"today", MustDate("2020-01-25").At(9, 0), MustDate("2020-01-25"), true},
		// 23:30 UTC on the 20th is already the 21st in Stockholm.
		{"yesterday in Stockholm, today in UTC", time.Date(2020, 1, 20, 23, 30, 0, 0, time.UTC), MustDate("2020-01-20"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := workingCommitteeCase(t) // the AU meets 2020-01-16
			res, err := Apply(c, Command{Action: ActPostpone, Version: c.Version, Date: tt.date}, envAt(secretary, tt.now))
			if !tt.ok {
				wantFields(t, err, "date")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Case.Route[1].Date != tt.date {
				t.Errorf("AU date = %s, want %s", res.Case.Route[1].Date, tt.date)
			}
		})
	}
}

func TestDecideInput(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		typ    DecisionType
		fields []string
	}{
		{"empty text", "", DecisionApproved, []string{"decision"}},
		{"blank text", " \n\t", "", []string{"decision"}},
		{"unknown type", decisionText, "maybe", []string{"decision_type"}},
		{"återremiss is an action of its own", decisionText, DecisionReturned, []string{"decision_type"}},
		{"bordläggning is an action of its own", decisionText, DecisionTabled, []string{"decision_type"}},
		{"both wrong", "", "maybe", []string{"decision", "decision_type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The rule as DecideAtMeeting applies it; Apply refuses decide outright.
			c := boardCase(t)
			_, err := applyRule(c, rules[ActDecide], Command{Action: ActDecide, Version: c.Version, Decision: tt.text, DecisionType: tt.typ}, envFor(secretary), nil)
			wantFields(t, err, tt.fields...)
		})
	}
}

func TestSubmitIncomplete(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(d *Draft)
		fields []string
	}{
		{"no proposals", func(d *Draft) { d.Proposals = []string{"  ", ""} }, []string{"proposals"}},
		{"no route", func(d *Draft) { d.Route = nil }, []string{"route"}},
		{"no approvers", func(d *Draft) { d.Approvers = nil }, []string{"approvers"}},
		{"nothing", func(d *Draft) { d.Proposals, d.Route, d.Approvers = nil, nil, nil },
			[]string{"proposals", "route", "approvers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDraft()
			tt.edit(&d)
			res, err := NewCase(d, envFor(officer), false)
			if err != nil {
				t.Fatalf("NewCase: %v (an incomplete draft may be saved)", err)
			}
			c := res.Case
			_, err = Apply(c, Command{Action: ActSubmit, Version: c.Version}, envFor(officer))
			wantFields(t, err, tt.fields...)
			var e *Error
			if errors.As(err, &e) {
				for _, f := range e.Fields {
					if !strings.Contains(err.Error(), f.Message) {
						t.Errorf("Error() %q leaves out %q", err.Error(), f.Message)
					}
				}
			}
		})
	}
	t.Run("no title", func(t *testing.T) {
		c := draftCase(t)
		c.Title = " "
		_, err := Apply(c, Command{Action: ActSubmit, Version: c.Version}, envFor(officer))
		wantFields(t, err, "title")
	})
}

func TestPlanDeadlines(t *testing.T) {
	sub := func(due string) Deadline {
		return Deadline{CaseNumber: "ASN-2019-17886", Kind: DeadlineSubmission, Ref: "submit", Due: MustDate(due),
			Responsible: officer.Person(), State: DeadlineOpen}
	}
	appr := func(u User, due string) Deadline {
		return Deadline{CaseNumber: "ASN-2019-17886", Kind: DeadlineApproval, Ref: fmt.Sprintf("approver:%d", u.ID),
			Due: MustDate(due), Responsible: u.Person(), State: DeadlineOpen}
	}
	stage := func(step int, due string) Deadline {
		return Deadline{CaseNumber: "ASN-2019-17886", Kind: DeadlineStage, Ref: fmt.Sprintf("step:%d", step),
			Due: MustDate(due), Responsible: secretary.Person(), State: DeadlineOpen}
	}
	// Ten work days before Wednesday 2020-01-08, counted by hand: 7, 3, 2 Jan
	// (6 and 1 Jan are holidays), 30 and 27 Dec (31, 26, 25 and 24 Dec are
	// holidays), 23, 20, 19, 18 and 17 Dec.
	const submitBy = "2019-12-17"
	tests := []struct {
		name  string
		build func(t *testing.T) Case
		want  []Deadline
	}{
		{"draft", draftCase, []Deadline{sub(submitBy)}},
		{"approval, first approver's turn", func(t *testing.T) Case { return approvalCase(t, 0) },
			[]Deadline{sub(submitBy), appr(approver1, submitBy)}},
		{"approval, third approver's turn", func(t *testing.T) Case { return approvalCase(t, 2) },
			[]Deadline{sub(submitBy), appr(approver3, submitBy)}},
		{"presidium on Wednesday 8 January", presidiumCase, []Deadline{stage(0, "2020-01-09")}},
		{"AU on Thursday 16 January", workingCommitteeCase, []Deadline{stage(1, "2020-01-17")}},
		{"board on Thursday 30 January", decidedCase, []Deadline{stage(2, "2020-01-31")}},
		{"KS on Wednesday 5 February", executiveBoardCase, []Deadline{stage(3, "2020-02-06")}},
		{"presidium on Friday 3 January, due after trettondedag jul", func(t *testing.T) Case {
			route := fullRoute()
			route[0].Date = MustDate("2020-01-03")
			return routeCaseOn(t, route, 0)
		}, []Deadline{stage(0, "2020-01-07")}},
		{"draft for a presidium on Friday 3 January", func(t *testing.T) Case {
			route := fullRoute()
			route[0].Date = MustDate("2020-01-03")
			return draftCaseOn(t, route)
		}, []Deadline{sub("2019-12-13")}},
		{"draft with no date planned", func(t *testing.T) Case {
			route := plannedRoute()
			route[0].Date, route[1].Date = Date{}, Date{}
			return draftCaseOn(t, route)
		}, nil},
		{"approval with no date planned", func(t *testing.T) Case {
			route := plannedRoute()
			route[0].Date, route[1].Date = Date{}, Date{}
			return approvalCaseOn(t, route, 1)
		}, nil},
		{"at an undated nämnd", func(t *testing.T) Case { return routeCaseOn(t, plannedRoute(), 2) }, nil},
		{"at the AU before an undated nämnd", func(t *testing.T) Case { return routeCaseOn(t, plannedRoute(), 1) },
			[]Deadline{stage(1, "2020-01-17")}},
		{"draft without a route", func(t *testing.T) Case {
			d := newDraft()
			d.Route = nil
			res, err := NewCase(d, envFor(officer), false)
			if err != nil {
				t.Fatal(err)
			}
			return res.Case
		}, nil},
		{"closed", closedCase, nil},
		{"withdrawn", withdrawnCase, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build(t)
			got := PlanDeadlines(&c, secretaries(), DefaultPolicy)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PlanDeadlines =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
	t.Run("no secretaries, no stage deadline", func(t *testing.T) {
		c := presidiumCase(t)
		if got := PlanDeadlines(&c, nil, DefaultPolicy); len(got) != 0 {
			t.Errorf("PlanDeadlines = %+v, want none", got)
		}
	})
	t.Run("policy sets the lead time", func(t *testing.T) {
		c := draftCase(t)
		got := PlanDeadlines(&c, secretaries(), Policy{SubmissionLeadDays: 2})
		if len(got) != 1 || got[0].Due != MustDate("2020-01-03") {
			t.Errorf("PlanDeadlines = %+v, want one due 2020-01-03", got)
		}
	})
}

// When another change has moved the case, the loser of the race hears that
// the case changed since it read it, not that the action needs another
// stage; with the version it read being current, the stage is the answer.
func TestStaleVersionExplainsAMovedCase(t *testing.T) {
	c := draftCase(t)
	res, err := Apply(c, Command{Action: ActSubmit, Version: c.Version}, envFor(officer))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Apply(res.Case, Command{Action: ActSubmit, Version: c.Version}, envFor(officer))
	wantCode(t, err, ECONFLICT)
	if msg := ErrorMessage(err); !strings.Contains(msg, "ändrats sedan du öppnade det") {
		t.Errorf("a submit on the version before: %q", msg)
	}
	_, err = Apply(res.Case, Command{Action: ActSubmit, Version: res.Case.Version}, envFor(officer))
	wantCode(t, err, ECONFLICT)
	if msg := ErrorMessage(err); !strings.Contains(msg, "kräver att ärendet är i steget") {
		t.Errorf("a submit on the current version: %q", msg)
	}
}
