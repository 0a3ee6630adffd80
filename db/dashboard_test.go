package db_test

import (
	"context"
	"slices"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

func TestCasesInvolving(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	s.CreateBoard(ctx, workflow.Board{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden"})
	s.CreateBoard(ctx, workflow.Board{Code: "KS", Name: "Kommunstyrelsen"})
	s.CreateBody(ctx, workflow.Body{Code: "ASN", Name: "ASN", Kind: workflow.KindBoard, Board: "ASN"})
	user := func(email string, grants ...workflow.Grant) workflow.User {
		u, err := s.SeedUser(ctx, db.NewUser{Email: email, Name: email, Password: "x", Grants: grants})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	officer := user("o@k.se", workflow.Grant{Board: "ASN", Role: workflow.RoleOfficer})
	chef := user("c@k.se", workflow.Grant{Board: "ASN", Role: workflow.RoleApprover})
	secretary := user("s@k.se", workflow.Grant{Board: "ASN", Role: workflow.RoleSecretary})
	ksSecretary := user("ks@k.se", workflow.Grant{Board: "KS", Role: workflow.RoleSecretary})

	newCase := func(title string) workflow.Case {
		c, err := s.ImportCase(ctx, db.CaseInput{Board: "ASN", Title: title, Proposals: []string{"Förslag"},
			Route: []db.StepInput{{Body: "ASN", Date: "2030-01-15"}}, Approvers: []db.ApproverInput{{Email: "c@k.se"}}}, officer)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	act := func(c workflow.Case, u workflow.User, a workflow.Action) workflow.Case {
		c, err := s.Act(ctx, c.Number, u, workflow.Command{Action: a, Version: c.Version, Reason: "skäl"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	draft := newCase("utkast")
	approval := act(newCase("godkännande"), officer, workflow.ActSubmit)
	onRoute := act(act(newCase("nämnd"), officer, workflow.ActSubmit), chef, workflow.ActApprove)
	act(newCase("återkallat"), officer, workflow.ActWithdraw)

	for _, tc := range []struct {
		who  workflow.User
		want []string
	}{
		{officer, []string{draft.Number, approval.Number, onRoute.Number}},
		{chef, []string{approval.Number}},
		{secretary, []string{onRoute.Number}},
		{ksSecretary, nil},
	} {
		cases, more, err := s.CasesInvolving(ctx, tc.who.ID, 10)
		if err != nil || more {
			t.Fatal(more, err)
		}
		var got []string
		for _, c := range cases {
			got = append(got, c.Number)
		}
		slices.Sort(got)
		slices.Sort(tc.want)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.who.Email, got, tc.want)
		}
	}
	// At most the limit, the most recently changed first, and whether there
	// are more.
	cases, more, err := s.CasesInvolving(ctx, officer.ID, 2)
	if err != nil || !more || len(cases) != 2 || cases[0].Number != onRoute.Number || cases[1].Number != approval.Number {
		t.Errorf("limit 2: %d cases (more %v, %v), want %s and %s and more", len(cases), more, err, onRoute.Number, approval.Number)
	}
}
