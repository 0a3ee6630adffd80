package db

import (
	"context"
	"slices"
	"testing"

	"github.com/kommun/beslutsgang/observe"
	"github.com/kommun/beslutsgang/workflow"
)

// Every change to an account is recorded with who made it and when: its
// creation with its roles, a change of roles with those before and after,
// deactivation, activation and a new password (never the password). A
// change that changes nothing is not recorded. Before, roles, which decide
// who reads a secret case, changed without a trace.
func TestAccountChangesAreRecorded(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	admin, err := s.CreateUser(context.Background(), NewUser{Email: "admin@kommun.example", Name: "Ada Admin", Password: "rätt häst batteri",
		Grants: []workflow.Grant{{Board: "ASN", Role: workflow.RoleAdmin}}})
	if err != nil {
		t.Fatal(err)
	}
	by := ByActor(observe.WithRequestID(context.Background(), "req-1"), admin)
	u := p.officer
	secretary := []workflow.Grant{{Board: "ASN", Role: workflow.RoleOfficer}, {Board: "ASN", Role: workflow.RoleSecretary}}
	steps := []func() error{
		func() error { return s.SetGrants(by, u.ID, secretary) },
		func() error { return s.SetGrants(by, u.ID, secretary) }, // the same again: nothing to record
		func() error { return s.SetActive(by, u.ID, false) },
		func() error { return s.SetActive(by, u.ID, false) }, // already inactive
		func() error { return s.SetActive(context.Background(), u.ID, true) },
		func() error { return s.SetPassword(by, u.ID, "ett nytt långt lösenord") },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	got, err := s.UserAudit(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range got {
		actions = append(actions, e.Action)
	}
	if want := []string{AuditPassword, AuditActivate, AuditDeactivate, AuditGrants, AuditCreate}; !slices.Equal(actions, want) {
		t.Fatalf("recorded %q, want %q (newest first)", actions, want)
	}
	grants, create := got[3], got[4]
	if create.Actor != nil || !slices.Equal(create.Roles, u.Grants) || len(u.Grants) == 0 {
		t.Errorf("the creation (from the command line, with its role): %+v", create)
	}
	if grants.Actor == nil || grants.Actor.ID != admin.ID || grants.RequestID != "req-1" ||
		!slices.Equal(grants.Roles, secretary) || !slices.Equal(grants.PreviousRoles, u.Grants) {
		t.Errorf("the change of roles: %+v", grants)
	}
	if got[1].Actor != nil || got[0].Actor == nil || got[0].Actor.Name != "Ada Admin" {
		t.Errorf("who: activate %+v, password %+v", got[1].Actor, got[0].Actor)
	}
	// Refused changes record nothing.
	if err := s.SetGrants(by, u.ID, []workflow.Grant{{Board: "XYZ", Role: workflow.RoleAdmin}}); workflow.ErrorCode(err) != workflow.EINVALID {
		t.Errorf("an unknown board: %v", err)
	}
	if err := s.SetPassword(by, u.ID, "kort"); workflow.ErrorCode(err) != workflow.EINVALID {
		t.Errorf("a short password: %v", err)
	}
	if err := s.SetPassword(by, 999999, "ett nytt långt lösenord"); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("no such user: %v", err)
	}
	if again, _ := s.UserAudit(context.Background(), u.ID); len(again) != len(got) {
		t.Errorf("refused changes were recorded: %d, want %d", len(again), len(got))
	}
}
