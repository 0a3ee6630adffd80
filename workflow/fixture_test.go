package workflow

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// The fixture is case ASN-2019-17886, "Internationell redovisning 2019", of
// Arbetsmarknads- och socialnämnden, with its route through the presidium, the
// arbetsutskott and the nämnd, and on to kommunstyrelsen.

// clock is the fixed "now" of the tests: Thursday 2 January 2020, 09:00 in
// Stockholm, six days before the presidium meets.
var clock = time.Date(2020, time.January, 2, 9, 0, 0, 0, Stockholm)

var (
	boardASN = Board{ID: 1, Code: "ASN", Name: "Arbetsmarknads- och socialnämnden"}
	boardKS  = Board{ID: 2, Code: "KS", Name: "Kommunstyrelsen"}

	bodyPresidium = Body{ID: 1, Code: "ASN-PR", Name: "ASN presidieberedning", Kind: KindPresidium, Board: boardASN.Code, NoticeDays: 3}
	bodyAU        = Body{ID: 2, Code: "ASN-AU", Name: "ASN arbetsutskott", Kind: KindWorkingCommittee, Board: boardASN.Code, NoticeDays: 5}
	bodyBoard     = Body{ID: 3, Code: "ASN", Name: "Arbetsmarknads- och socialnämnden", Kind: KindBoard, Board: boardASN.Code, NoticeDays: 5}
	bodyKS        = Body{ID: 4, Code: "KS", Name: "Kommunstyrelsen", Kind: KindExecutiveBoard, Board: boardKS.Code, NoticeDays: 5}
	bodyKF        = Body{ID: 5, Code: "KF", Name: "Kommunfullmäktige", Kind: KindCouncil, Board: "KF", NoticeDays: 7}
)

func grant(board string, role Role) Grant { return Grant{Board: board, Role: role} }

var (
	officer = User{ID: 1, Email: "sara.lind@malmo.se", Name: "Sara Lind", Title: "Utredare", Active: true,
		Grants: []Grant{grant("ASN", RoleOfficer)}}
	approver1 = User{ID: 2, Email: "jonas.magnusson@malmo.se", Name: "Jonas Magnusson", Title: "Enhetschef", Active: true,
		Grants: []Grant{grant("ASN", RoleApprover)}}
	approver2 = User{ID: 3, Email: "katarina.lindeberg@malmo.se", Name: "Katarina Lindeberg", Title: "Avdelningschef", Active: true,
		Grants: []Grant{grant("ASN", RoleApprover)}}
	approver3 = User{ID: 4, Email: "britt-marie.pettersson@malmo.se", Name: "Britt-Marie Pettersson", Title: "Förvaltningschef", Active: true,
		Grants: []Grant{grant("ASN", RoleApprover)}}
	secretary = User{ID: 5, Email: "eva.nilsson@malmo.se", Name: "Eva Nilsson", Title: "Nämndsekreterare", Active: true,
		Grants: []Grant{grant("ASN", RoleSecretary)}}
	admin = User{ID: 6, Email: "per.holm@malmo.se", Name: "Per Holm", Title: "Systemförvaltare", Active: true,
		Grants: []Grant{grant("ASN", RoleAdmin)}}
	ksSecretary = User{ID: 7, Email: "lena.ek@malmo.se", Name: "Lena Ek", Title: "Kommunsekreterare", Active: true,
		Grants: []Grant{grant("KS", RoleSecretary)}}
	outsider          = User{ID: 8, Email: "nils.berg@malmo.se", Name: "Nils Berg", Active: true}
	inactiveSecretary = User{ID: 9, Email: "gun.alm@malmo.se", Name: "Gun Alm", Title: "Nämndsekreterare", Active: false,
		Grants: []Grant{grant("ASN", RoleSecretary)}}

	// colleague is a second officer of ASN, for cases created on someone's behalf.
	colleague = User{ID: 10, Email: "omar.haddad@malmo.se", Name: "Omar Haddad", Title: "Utredare", Active: true,
		Grants: []Grant{grant("ASN", RoleOfficer)}}
	// secondSecretary is the board's other secretary; only a Person, as in Env.
	secondSecretary = Person{ID: 11, Name: "Ali Rahimi", Email: "ali.rahimi@malmo.se", Title: "Nämndsekreterare"}
)

// approvers are the case's approvers in signing order.
var approvers = []User{approver1, approver2, approver3}

// tableUsers are the people the action table is tried with, by a short name.
var tableUsers = []struct {
	name string
	user User
}{
	{"officer", officer},
	{"approver1", approver1},
	{"approver2", approver2},
	{"approver3", approver3},
	{"secretary", secretary},
	{"admin", admin},
	{"ks-secretary", ksSecretary},
	{"outsider", outsider},
	{"inactive-secretary", inactiveSecretary},
}

// secretaries are the ASN secretaries as the store passes them in Env.
func secretaries() []Person { return []Person{secretary.Person(), secondSecretary} }

func envAt(actor User, now time.Time) Env {
	return Env{Now: now, Actor: actor, Secretaries: secretaries(), Policy: DefaultPolicy}
}

func envFor(actor User) Env { return envAt(actor, clock) }

// fullRoute is the beslutsplanering of ASN-2019-17886, extended to KS.
func fullRoute() []RouteStep {
	return []RouteStep{
		{Body: bodyPresidium, Date: MustDate("2020-01-08"), MeetingID: 101},
		{Body: bodyAU, Date: MustDate("2020-01-16"), MeetingID: 102},
		{Body: bodyBoard, Date: MustDate("2020-01-30"), MeetingID: 103},
		{Body: bodyKS, Date: MustDate("2020-02-05"), MeetingID: 104},
	}
}

// undatedKSRoute ends at kommunstyrelsen with no meeting chosen yet.
func undatedKSRoute() []RouteStep {
	r := fullRoute()
	r[3].Date, r[3].MeetingID = Date{}, 0
	return r
}

// withMeeting is c with its current step's meeting at status.
func withMeeting(c Case, status MeetingStatus) Case {
	c = c.Clone()
	c.Route[c.Step].MeetingStatus = status
	return c
}

// boardRoute ends at the nämnd, as the tjänsteskrivelse itself does.
func boardRoute() []RouteStep { return fullRoute()[:3] }

// councilRoute goes on from KS to kommunfullmäktige.
func councilRoute() []RouteStep {
	return append(fullRoute(), RouteStep{Body: bodyKF, Date: MustDate("2020-02-24"), MeetingID: 105})
}

var recipients = []Recipient{
	{Name: "Kommunstyrelsen", Email: "kommunstyrelsen@malmo.se"},
	{Name: "Arbetsmarknads- och socialförvaltningen", Email: "asf@malmo.se"},
}

// newDraft is the tjänsteskrivelse; its officer is whoever creates it.
func newDraft() Draft {
	return Draft{
		Number:  "ASN-2019-17886",
		Board:   boardASN,
		Title:   "Internationell redovisning 2019",
		Summary: "Arbetsmarknads- och socialnämnden har uppdragits av kommunstyrelsen att redovisa förvaltningens internationella arbete under 2019.",
		Proposals: []string{
			"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna redovisningen",
			"Arbetsmarknads- och socialnämnden skickar redovisningen till kommunstyrelsen",
		},
		Background: "Varje förvaltning har fått i uppdrag att göra en sammanställning av det internationella arbetet under 2019.",
		Route:      fullRoute(),
		Approvers: []DraftApprover{
			{User: approver1, Position: "Enhetschef"},
			{User: approver2, Position: "Avdelningschef"},
			{User: approver3, Position: "Förvaltningschef"},
		},
		Recipients: slices.Clone(recipients),
	}
}

const decisionText = "Arbetsmarknads- och socialnämnden godkänner redovisningen och skickar den till kommunstyrelsen."

// mustApply takes an action that has to succeed, on the current version.
func mustApply(t *testing.T, c Case, actor User, cmd Command) Case {
	t.Helper()
	cmd.Version = c.Version
	res, err := Apply(c, cmd, envFor(actor))
	if err != nil {
		t.Fatalf("fixture: %s by %s in %s: %v", cmd.Action, actor.Name, c.Stage, err)
	}
	return res.Case
}

func wantStage(t *testing.T, c Case, stage Stage, step int) Case {
	t.Helper()
	if c.Stage != stage || c.Step != step {
		t.Fatalf("fixture: case is in %s step %d, want %s step %d", c.Stage, c.Step, stage, step)
	}
	return c
}

func draftCaseOn(t *testing.T, route []RouteStep) Case {
	t.Helper()
	d := newDraft()
	d.Route = route
	res, err := NewCase(d, envFor(officer), false)
	if err != nil {
		t.Fatalf("fixture: NewCase: %v", err)
	}
	c := res.Case
	c.ID = 17886
	return wantStage(t, c, StageDraft, -1)
}

func approvalCaseOn(t *testing.T, route []RouteStep, signed int) Case {
	t.Helper()
	c := mustApply(t, draftCaseOn(t, route), officer, Command{Action: ActSubmit})
	for _, a := range approvers[:signed] {
		c = mustApply(t, c, a, Command{Action: ActApprove})
	}
	return wantStage(t, c, StageApproval, -1)
}

// routeCaseOn is the case at route step `step`, signed off and undecided.
func routeCaseOn(t *testing.T, route []RouteStep, step int) Case {
	t.Helper()
	c := approvalCaseOn(t, route, len(approvers)-1)
	c = mustApply(t, c, approvers[len(approvers)-1], Command{Action: ActApprove})
	for c.Step < step {
		c = mustHandle(t, c, DecisionApproved, "Arbetsutskottet föreslår nämnden att besluta enligt förslaget.")
	}
	return wantStage(t, c, route[step].Body.Kind.Stage(), step)
}

// heldMeeting is the meeting of a route step, held, with its protokoll open.
func heldMeeting(st RouteStep) Meeting {
	return Meeting{ID: st.MeetingID, Body: st.Body, Date: st.Date, Status: MeetingHeld}
}

// mustHandle records the step's handling at its held meeting, as the
// secretary does on the meeting page; it has to succeed.
func mustHandle(t *testing.T, c Case, typ DecisionType, text string) Case {
	t.Helper()
	st := c.Route[c.Step]
	by := secretary
	if st.Body.Board != c.Board.Code {
		by = ksSecretary
	}
	res, err := DecideAtMeeting(c, heldMeeting(st), MeetingDecision{Type: typ, Text: text, Paragraph: 12},
		Env{Now: st.Date.At(19, 0), Actor: by, Secretaries: secretaries(), Policy: DefaultPolicy})
	if err != nil {
		t.Fatalf("fixture: %s at the meeting of step %d: %v", typ, c.Step, err)
	}
	return res.Case
}

func decidedCaseOn(t *testing.T, route []RouteStep) Case {
	t.Helper()
	c := routeCaseOn(t, route, 2)
	c = mustHandle(t, c, DecisionApproved, decisionText)
	return wantStage(t, c, StageBoard, 2)
}

func dispatchedCaseOn(t *testing.T, route []RouteStep) Case {
	t.Helper()
	return mustApply(t, decidedCaseOn(t, route), secretary, Command{Action: ActDispatch})
}

// The stages of ASN-2019-17886 on its full route.

func draftCase(t *testing.T) Case { t.Helper(); return draftCaseOn(t, fullRoute()) }

func approvalCase(t *testing.T, signed int) Case {
	t.Helper()
	return approvalCaseOn(t, fullRoute(), signed)
}

func presidiumCase(t *testing.T) Case { t.Helper(); return routeCaseOn(t, fullRoute(), 0) }

func workingCommitteeCase(t *testing.T) Case { t.Helper(); return routeCaseOn(t, fullRoute(), 1) }

func boardCase(t *testing.T) Case { t.Helper(); return routeCaseOn(t, fullRoute(), 2) }

func decidedCase(t *testing.T) Case { t.Helper(); return decidedCaseOn(t, fullRoute()) }

func executiveBoardCase(t *testing.T) Case {
	t.Helper()
	return wantStage(t, dispatchedCaseOn(t, fullRoute()), StageExecutiveBoard, 3)
}

func closedCase(t *testing.T) Case {
	t.Helper()
	c := mustHandle(t, executiveBoardCase(t), DecisionApproved, "Kommunstyrelsen lägger redovisningen till handlingarna.")
	return wantStage(t, c, StageClosed, 4)
}

func withdrawnCase(t *testing.T) Case {
	t.Helper()
	c := mustApply(t, workingCommitteeCase(t), officer, Command{Action: ActWithdraw, Reason: "Uppdraget har återkallats av kommunstyrelsen"})
	return wantStage(t, c, StageClosed, 1)
}

// snapshot is a deep copy made without Case.Clone, so that a Clone that shares
// memory with the original cannot hide a change to it.
func snapshot(c Case) Case {
	s := c
	s.Proposals = copyOf(c.Proposals)
	s.Route = copyOf(c.Route)
	for i := range s.Route {
		s.Route[i].Postponed = copyOf(c.Route[i].Postponed)
	}
	s.Approvers = copyOf(c.Approvers)
	for i, a := range c.Approvers {
		if a.SignedAt != nil {
			t := *a.SignedAt
			s.Approvers[i].SignedAt = &t
		}
	}
	s.Recipients = copyOf(c.Recipients)
	s.Attachments = copyOf(c.Attachments)
	if c.Decision != nil {
		d := *c.Decision
		if d.DispatchedAt != nil {
			t := *d.DispatchedAt
			d.DispatchedAt = &t
		}
		s.Decision = &d
	}
	return s
}

func copyOf[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// wantCode fails unless err carries the domain error code want.
func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want %s", want)
	}
	if got := ErrorCode(err); got != want {
		t.Fatalf("ErrorCode = %s (%v), want %s", got, err, want)
	}
}

// wantFields fails unless err is EINVALID naming exactly the given fields, in order.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	wantCode(t, err, EINVALID)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err %T is not a *Error", err)
	}
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field)
		if f.Message == "" {
			t.Errorf("field %s has no message", f.Field)
		}
	}
	if !slices.Equal(got, fields) {
		t.Fatalf("fields = %q, want %q (%v)", got, fields, err)
	}
}
