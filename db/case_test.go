package db

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// listFixture registers six cases, one minute apart, in different stages,
// boards and with different officers:
//
//	ASN-2026-1 Internationell redovisning 2019        draft              officer
//	ASN-2026-2 Avgifter inom hemtjänsten 2027         approval           officer
//	ASN-2026-3 Riktlinjer för ekonomiskt bistånd      presidium          officer
//	ASN-2026-4 Delårsrapport augusti                  working_committee  officer2
//	ASN-2026-5 Uppföljning av plan_2026               closed             officer2
//	KS-2026-1  Riktlinjer för lokalförsörjning        draft              officer
func listFixture(t *testing.T) (*Store, people) {
	t.Helper()
	s, p, _ := listFixtureClock(t)
	return s, p
}

// listFixtureClock is listFixture that also hands back the clock.
func listFixtureClock(t *testing.T) (*Store, people, *clock) {
	t.Helper()
	s, clk := mustOpenClock(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	tick := func() { clk.Set(clk.Now().Add(time.Minute)) }
	create := func(title string, officer workflow.User) string {
		tick()
		in := caseInput(p, title)
		in.Officer = officer.Email
		c, err := s.CreateCase(ctx, in, p.secretary)
		if err != nil {
			t.Fatalf("CreateCase %s: %v", title, err)
		}
		return c.Number
	}
	create("Internationell redovisning 2019", p.officer)
	b := create("Avgifter inom hemtjänsten 2027", p.officer)
	c := create("Riktlinjer för ekonomiskt bistånd", p.officer)
	d := create("Delårsrapport augusti", p.officer2)
	e := create("Uppföljning av plan_2026", p.officer2)
	tick()
	ks := caseInput(p, "Riktlinjer för lokalförsörjning")
	ks.Board, ks.Route, ks.Approvers = "KS", []StepInput{{Body: "KS", Date: "2026-05-06"}}, []ApproverInput{{Email: p.approver1.Email}}
	if _, err := s.CreateCase(ctx, ks, p.officer); err != nil {
		t.Fatal(err)
	}
	// Move them on, in the order that makes "updated" differ from "number".
	tick()
	mustAct(t, s, b, p.officer, workflow.Command{Action: workflow.ActSubmit})
	tick()
	mustReach(t, s, p, c, workflow.StagePresidium)
	tick()
	mustAct(t, s, d, p.officer2, workflow.Command{Action: workflow.ActSubmit})
	mustAct(t, s, d, p.approver1, workflow.Command{Action: workflow.ActApprove})
	mustAct(t, s, d, p.approver2, workflow.Command{Action: workflow.ActApprove})
	mustHandle(t, s, p, d)
	tick()
	mustAct(t, s, e, p.officer2, workflow.Command{Action: workflow.ActWithdraw, Reason: "Ersatt av ett annat ärende"})
	return s, p, clk
}

func numbersOf(page CasePage) []string {
	var out []string
	for _, it := range page.Items {
		out = append(out, it.Number)
	}
	return out
}

func TestCasesFilters(t *testing.T) {
	s, p := listFixture(t)
	for _, tc := range []struct {
		name   string
		filter CaseFilter
		want   []string
	}{
		{"all, newest change first", CaseFilter{}, []string{"ASN-2026-4", "ASN-2026-5", "ASN-2026-3", "ASN-2026-2", "KS-2026-1", "ASN-2026-1"}},
		{"stage", CaseFilter{Stage: workflow.StageDraft, Sort: "number"}, []string{"ASN-2026-1", "KS-2026-1"}},
		{"stage on the route", CaseFilter{Stage: workflow.StageWorkingCommittee}, []string{"ASN-2026-4"}},
		{"board", CaseFilter{Board: "KS"}, []string{"KS-2026-1"}},
		{"unknown board", CaseFilter{Board: "XYZ"}, nil},
		{"officer", CaseFilter{OfficerID: p.officer2.ID, Sort: "number"}, []string{"ASN-2026-4", "ASN-2026-5"}},
		{"open only", CaseFilter{OpenOnly: true, OfficerID: p.officer2.ID}, []string{"ASN-2026-4"}},
		{"query, any case", CaseFilter{Query: "riktlinjer", Sort: "number"}, []string{"ASN-2026-3", "KS-2026-1"}},
		{"query, every word", CaseFilter{Query: "Riktlinjer  bistånd"}, []string{"ASN-2026-3"}},
		{"query by number", CaseFilter{Query: "KS-2026"}, []string{"KS-2026-1"}},
		{"query with a word joined by _", CaseFilter{Query: "plan_2026"}, []string{"ASN-2026-5"}},
		{"query of a separator alone", CaseFilter{Query: "_"}, nil},
		{"query with %", CaseFilter{Query: "%"}, nil},
		{"filters combine", CaseFilter{Board: "ASN", Stage: workflow.StageDraft, OfficerID: p.officer.ID, Query: "redovisning"}, []string{"ASN-2026-1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := s.Cases(context.Background(), tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := numbersOf(page); !slices.Equal(got, tc.want) || page.Total != len(tc.want) {
				t.Errorf("Cases(%+v) = %q (total %d), want %q", tc.filter, got, page.Total, tc.want)
			}
		})
	}
}

func TestCasesSort(t *testing.T) {
	s, _ := listFixture(t)
	for _, tc := range []struct {
		sort string
		desc bool
		want []string
	}{
		{"number", false, []string{"ASN-2026-1", "ASN-2026-2", "ASN-2026-3", "ASN-2026-4", "ASN-2026-5", "KS-2026-1"}},
		{"number", true, []string{"KS-2026-1", "ASN-2026-5", "ASN-2026-4", "ASN-2026-3", "ASN-2026-2", "ASN-2026-1"}},
		{"title", false, []string{"ASN-2026-2", "ASN-2026-4", "ASN-2026-1", "ASN-2026-3", "KS-2026-1", "ASN-2026-5"}},
		{"stage", false, []string{"ASN-2026-1", "KS-2026-1", "ASN-2026-2", "ASN-2026-3", "ASN-2026-4", "ASN-2026-5"}},
		{"stage", true, []string{"ASN-2026-5", "ASN-2026-4", "ASN-2026-3", "ASN-2026-2", "KS-2026-1", "ASN-2026-1"}},
		// ASN-2026-4 was handled at its presidium's meeting, on 20 March: the
		// last change of all.
		{"updated", false, []string{"ASN-2026-1", "KS-2026-1", "ASN-2026-2", "ASN-2026-3", "ASN-2026-5", "ASN-2026-4"}},
		{"no such column; drop table cases", false, []string{"ASN-2026-4", "ASN-2026-5", "ASN-2026-3", "ASN-2026-2", "KS-2026-1", "ASN-2026-1"}},
	} {
		page, err := s.Cases(context.Background(), CaseFilter{Sort: tc.sort, Desc: tc.desc})
		if err != nil {
			t.Fatal(err)
		}
		if got := numbersOf(page); !slices.Equal(got, tc.want) {
			t.Errorf("sort %s desc=%v = %q, want %q", tc.sort, tc.desc, got, tc.want)
		}
	}
}

func TestCasesPagination(t *testing.T) {
	s, _ := listFixture(t)
	ctx := context.Background()
	all, err := s.Cases(ctx, CaseFilter{Sort: "number"})
	if err != nil {
		t.Fatal(err)
	}
	var paged []string
	for page := 1; page <= 4; page++ {
		got, err := s.Cases(ctx, CaseFilter{Sort: "number", Page: page, PerPage: 4})
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != 6 || got.Page != page || got.PerPage != 4 {
			t.Errorf("page %d: total %d page %d per_page %d", page, got.Total, got.Page, got.PerPage)
		}
		if want := []int{4, 2, 0, 0}[page-1]; len(got.Items) != want {
			t.Errorf("page %d has %d items, want %d", page, len(got.Items), want)
		}
		paged = append(paged, numbersOf(got)...)
	}
	if !slices.Equal(paged, numbersOf(all)) {
		t.Errorf("pages together = %q, want %q", paged, numbersOf(all))
	}
	for _, f := range []CaseFilter{{Page: -1, PerPage: 0}, {PerPage: MaxPerPage + 1}} {
		got, _ := s.Cases(ctx, f)
		if got.Page != 1 || got.PerPage != 50 || len(got.Items) != 6 {
			t.Errorf("Cases(%+v) = page %d per_page %d, %d items", f, got.Page, got.PerPage, len(got.Items))
		}
	}
}

func TestCaseSummaryShowsCurrentStep(t *testing.T) {
	s, _ := listFixture(t)
	page, err := s.Cases(context.Background(), CaseFilter{Sort: "number"})
	if err != nil {
		t.Fatal(err)
	}
	byNumber := map[string]CaseSummary{}
	for _, it := range page.Items {
		byNumber[it.Number] = it
	}
	if c := byNumber["ASN-2026-3"]; c.NextStep != "ASN presidieberedning" || c.NextDate != datePB || c.Board != "ASN" || c.Officer.Name != "Sara Lind" {
		t.Errorf("presidium case summary = %+v", c)
	}
	if c := byNumber["ASN-2026-1"]; c.NextStep != "" || !c.NextDate.IsZero() || c.Version != 1 {
		t.Errorf("draft summary = %+v", c)
	}
	if c := byNumber["ASN-2026-4"]; c.NextStep != "ASN arbetsutskott" || c.NextDate != dateAU {
		t.Errorf("AU case summary = %+v", c)
	}
	counts, err := s.OpenCasesByStage(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sc := range counts {
		got = append(got, string(sc.Stage)+"="+strings.Repeat("I", sc.Count))
	}
	if want := "draft=II approval=I presidium=I working_committee=I board= executive_board= council="; strings.Join(got, " ") != want {
		t.Errorf("OpenCasesByStage = %s, want %s", strings.Join(got, " "), want)
	}
}

func TestCasesSortByNumberUsesTheSerial(t *testing.T) {
	// ASN-2026-9 sorts before ASN-2026-100: by serial, not by text or insertion.
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	for _, n := range []string{"ASN-2026-100", "ASN-2026-9", "", "ASN-2025-7"} {
		in := caseInput(p, "Ärende "+n)
		in.Number = n
		if _, err := s.ImportCase(ctx, in, p.officer); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.Cases(ctx, CaseFilter{Sort: "number"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ASN-2025-7", "ASN-2026-9", "ASN-2026-100", "ASN-2026-101"}
	if got := numbersOf(page); !slices.Equal(got, want) {
		t.Errorf("sorted by number: %q, want %q", got, want)
	}
}
