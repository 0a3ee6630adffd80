package intake

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/doctest"
	"github.com/kommun/beslutsgang/texttable"
	"github.com/kommun/beslutsgang/workflow"
)

// The examples of issue 12, each of which the reader got wrong before.

func readDoc(t *testing.T, name string) Report {
	t.Helper()
	for _, d := range corpus(t) {
		if d.name == name {
			file, data := d.bytes()
			r, err := Read(context.Background(), file, "", data)
			if err != nil {
				t.Fatalf("Read %s: %v", file, err)
			}
			return r
		}
	}
	t.Fatalf("no corpus document %s", name)
	return Report{}
}

// A page break inside Förslag till beslut: footer, form feed and repeated
// header are dropped and the proposal broken by them is one again.
func TestExamplePageBreakInProposals(t *testing.T) {
	want := []string{
		"Arbetsmarknads- och socialnämnden föreslås besluta att fördela stödet enligt bilaga 1.",
		"Arbetsmarknads- och socialnämnden förklarar paragrafen omedelbart justerad.",
	}
	for _, name := range []string{"pagebreak-proposals", "pagebreak-proposals-pdf"} {
		r := readDoc(t, name)
		if !reflect.DeepEqual(r.Proposals, want) {
			t.Errorf("%s: Proposals = %q, want %q", name, r.Proposals, want)
		}
		if want := "Förvaltningen föreslår att stödet till föreningar för 2027 fördelas enligt de riktlinjer nämnden antog 2024."; r.Summary != want {
			t.Errorf("%s: Summary = %q, want %q", name, r.Summary, want)
		}
		for _, furniture := range []string{"Exempelkommun", "Sida", "Tjänsteskrivelse"} {
			if strings.Contains(r.Summary+strings.Join(r.Proposals, " ")+r.Background, furniture) {
				t.Errorf("%s: page furniture %q left in the text", name, furniture)
			}
		}
		if r.Number != "ASN-2026-900" || r.Title != "Stöd till föreningar 2027" {
			t.Errorf("%s: Number, Title = %q, %q", name, r.Number, r.Title)
		}
	}
}

// "SIGNERAD" on one line, "Name, title" on the next.
func TestExampleSigneradAndCommaForm(t *testing.T) {
	r := readDoc(t, "signerad-docx")
	want := []Person{{Name: "Jonas Magnusson", Title: "enhetschef"}, {Name: "Katarina Lindeberg", Title: "avdelningschef"}}
	if !reflect.DeepEqual(r.Responsible, want) {
		t.Errorf("Responsible = %+v, want %+v", r.Responsible, want)
	}
}

// ASN's bodies, and KS's and KF's above them.
func directory(board string) Directory {
	return Directory{Board: board, Bodies: []workflow.Body{
		{Code: "ASN-PR", Name: "ASN presidieberedning", Kind: workflow.KindPresidium, Board: "ASN"},
		{Code: "ASN-AU", Name: "ASN arbetsutskott", Kind: workflow.KindWorkingCommittee, Board: "ASN"},
		{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden", Kind: workflow.KindBoard, Board: "ASN"},
		{Code: "GRN-AU", Name: "GRN arbetsutskott", Kind: workflow.KindWorkingCommittee, Board: "GRN"},
		{Code: "GRN", Name: "Grundskolenämnden", Kind: workflow.KindBoard, Board: "GRN"},
		{Code: "KS-AU", Name: "KS arbetsutskott", Kind: workflow.KindWorkingCommittee, Board: "KS"},
		{Code: "KS", Name: "Kommunstyrelsen", Kind: workflow.KindExecutiveBoard, Board: "KS"},
		{Code: "KF", Name: "Kommunfullmäktige", Kind: workflow.KindCouncil, Board: "KF"},
	}, Users: []workflow.User{
		{Name: "Jonas Magnusson", Email: "jonas@kommun.example", Active: true, Grants: []workflow.Grant{{Board: "ASN", Role: workflow.RoleApprover}}},
		{Name: "Sara Lindqvist", Email: "sara@kommun.example", Active: true, Grants: []workflow.Grant{{Board: "ASN", Role: workflow.RoleOfficer}}},
		{Name: "Britt-Marie Pettersson", Email: "bm@kommun.example"},
		{Name: "Anna Berg", Email: "anna.berg@kommun.example"},
		{Name: "Anna Berg", Email: "anna.berg2@kommun.example"},
	}, Recipients: map[string]string{"Kommunstyrelsen": "ks@kommun.example"}}
}

// Undated route rows are undated steps, mapped to the case's bodies.
func TestExampleUndatedRoute(t *testing.T) {
	r := readDoc(t, "undated-route")
	want := []RouteLine{{Body: "ASN arbetsutskott"}, {Body: "Arbetsmarknads- och socialnämnden"}}
	if !reflect.DeepEqual(r.Route, want) {
		t.Fatalf("Route = %+v, want %+v", r.Route, want)
	}
	in, warnings := r.Draft(directory("ASN"))
	if len(in.Route) != 2 || in.Route[0].Body != "ASN-AU" || in.Route[1].Body != "ASN" || in.Route[0].Date != "" {
		t.Errorf("Route = %+v, want ASN-AU and ASN, undated", in.Route)
	}
	for _, w := range warnings {
		if strings.HasPrefix(w.Field, "route") {
			t.Errorf("warning on the route: %+v", w)
		}
	}
	if in.Recipients[0].Email != "ks@kommun.example" || in.Recipients[1].Email != "" {
		t.Errorf("Recipients = %+v", in.Recipients)
	}
	if !hasWarning(warnings, "recipients[1]", "Revisionen") {
		t.Errorf("no warning for Revisionen's address: %+v", warnings)
	}
}

// Date, Dnr and addressee before the title; "Kommunstyrelsens arbetsutskott"
// with --board ASN is KS's arbetsutskott, never ASN's.
func TestExampleKSDnrFirst(t *testing.T) {
	r := readDoc(t, "ks-dnr-first")
	if r.Title != "Revidering av delegationsordning för kommunstyrelsen" || r.Reference != "KS/2017:96" || r.Date != "2017-03-01" || r.Number != "" {
		t.Errorf("Title, Reference, Date, Number = %q, %q, %q, %q", r.Title, r.Reference, r.Date, r.Number)
	}
	in, warnings := r.Draft(directory("ASN"))
	if in.Route[0].Body != "KS-AU" || in.Route[1].Body != "KS" {
		t.Errorf("Route = %+v, want KS-AU and KS", in.Route)
	}
	if !hasWarning(warnings, "board", "KS/2017:96") {
		t.Errorf("no warning that the diarienummer belongs to KS: %+v", warnings)
	}
	// Without a board, the diarienummer's prefix gives it.
	in, warnings = r.Draft(directory(""))
	if in.Board != "KS" || !hasWarning(warnings, "board", "tagen från diarienumret") {
		t.Errorf("Board = %q, warnings %+v", in.Board, warnings)
	}
	// Two users called Anna Berg: a warning, not a guess.
	if in.Approvers[0].Email != "" || !hasWarning(warnings, "approvers[0]", "flera användare") {
		t.Errorf("Approvers = %+v, warnings %+v", in.Approvers, warnings)
	}
}

// A body name that fits two bodies is a warning naming both; one of another
// nämnd is not matched.
func TestMappingAmbiguousAndForeign(t *testing.T) {
	r := Report{Title: "T", Proposals: []string{"P"}, Route: []RouteLine{
		{Body: "Arbetsutskottet"}, {Body: "GRN arbetsutskott"}, {Body: "Grundskolenämndens arbetsutskott"}, {Body: "Styrgruppen"}}}
	in, warnings := r.Draft(directory("ASN"))
	for i := range in.Route {
		if in.Route[i].Body != "" {
			t.Errorf("route[%d] mapped to %s", i, in.Route[i].Body)
		}
	}
	if !hasWarning(warnings, "route[0]", "ASN arbetsutskott (ASN-AU) eller KS arbetsutskott (KS-AU)") {
		t.Errorf("no ambiguity warning: %+v", warnings)
	}
	if !hasWarning(warnings, "route[1]", "hör till nämnden GRN") || !hasWarning(warnings, "route[2]", "hör till nämnden GRN") ||
		!hasWarning(warnings, "route[3]", "liknar inget organ") {
		t.Errorf("warnings = %+v", warnings)
	}
	if _, err := r.Input(directory("ASN")); err == nil {
		t.Error("Input accepted a route it could not map")
	}
}

// The seed's EU table is a table with its total checked, in all three forms,
// and the three forms give the same case.
func TestExampleSeedFormsAgree(t *testing.T) {
	text := readDoc(t, "seed-text")
	for _, name := range []string{"seed-docx", "seed-pdf"} {
		if r := readDoc(t, name); !reflect.DeepEqual(r, text) {
			t.Errorf("%s reads differently from the text", name)
		}
	}
	for _, block := range strings.Split(text.Background, "\n\n") {
		if tb, ok := texttable.Parse(block); ok {
			if len(tb.Rows) != 8 || tb.Total == nil || tb.Caption != "Utbetalda EU-medel 2019" || len(tb.CheckTotal()) != 0 {
				t.Errorf("EU table = %+v", tb)
			}
			return
		}
	}
	t.Error("no table in Background")
}

// A total that does not add up is a warning naming the table and column.
func TestExampleTotalMismatch(t *testing.T) {
	r := readDoc(t, "ifn-table-total")
	if !hasWarning(r.Warnings, "background", `summan av kolumnen "Kostnad" är 32 750 000, men raden "Summa" anger 32 700 000`) {
		t.Errorf("warnings = %+v", r.Warnings)
	}
}

// Every diarienummer form of the issue is read, kept as written, with its prefix.
func TestDnrForms(t *testing.T) {
	for dnr, prefix := range map[string]string{
		"ASN-2019-17886": "ASN", "KS 2018/124": "KS", "KS/2017:96": "KS", "2023/KS 0362": "KS",
		"KS-2014/742.912": "KS", "IFN 2018/00256-1.6.1": "IFN",
	} {
		for _, line := range []string{dnr, "Dnr " + dnr, "Diarienummer: " + dnr} {
			got, ok := readDnr(line)
			if !ok || got != dnr || DnrPrefix(got) != prefix {
				t.Errorf("readDnr(%q) = %q, %v, prefix %q; want %q, %q", line, got, ok, DnrPrefix(got), dnr, prefix)
			}
		}
	}
	for _, notDnr := range []string{"2017-03-01", "Kommunstyrelsen", "Sida 1 (2)", "190912, § 200"} {
		if got, ok := readDnr(notDnr); ok {
			t.Errorf("readDnr(%q) = %q", notDnr, got)
		}
	}
}

func hasWarning(ws []Warning, field, text string) bool {
	return slices.ContainsFunc(ws, func(w Warning) bool { return w.Field == field && strings.Contains(w.Message, text) })
}

// A Word document and a PDF of the same blocks read alike.
func TestDOCXAndPDFAgree(t *testing.T) {
	blocks := []doctest.Block{doctest.Para{Text: "Tjänsteskrivelse"}, doctest.Heading{Text: "Ny lokal för daglig verksamhet"}, doctest.Para{Text: "Dnr ASN-2026-31"},
		doctest.Heading{Text: "Förslag till beslut"}, doctest.Numbered{Items: []string{"Nämnden föreslås besluta att hyra lokalen.", "Nämnden justerar paragrafen omedelbart."}},
		doctest.Heading{Text: "Beslutsplanering"}, doctest.Para{Text: "ASN arbetsutskott 2026-04-02"},
		doctest.Heading{Text: "Ansvariga"}, doctest.Columns{Cells: []string{"Jonas Magnusson", "Enhetschef"}}}
	d, err := Read(context.Background(), "a.docx", "", doctest.DOCX(blocks...))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Read(context.Background(), "a.pdf", "", doctest.PDF(doctest.PDFSpec{Footer: footer, Blocks: withBlanks(blocks)}))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d, p) {
		t.Errorf("DOCX %+v\n PDF %+v", d, p)
	}
}

// Text nobody types is refused at reading, naming the line, whatever the
// format: control characters, NUL, writing-direction overrides.
func TestReadRefusesBadText(t *testing.T) {
	for name, text := range map[string]string{
		"override": "Tjänsteskrivelse\nFeriearbete \u202e2027\nFörslag till beslut\n1. Anta\n",
		"bell":     "Tjänsteskrivelse\nFeriearbete\nFörslag till beslut\n1. Anta \a planen\n",
		"nul":      "Tjänsteskrivelse\nFeriearbete\x00binary\nFörslag till beslut\n1. Anta\n",
	} {
		_, err := Read(context.Background(), "ts.txt", "text/plain", []byte(text))
		if !errors.Is(err, ErrBadText) || !strings.Contains(err.Error(), "rad ") {
			t.Errorf("%s: %v", name, err)
		}
		blocks := []doctest.Block{doctest.Para{Text: "Tjänsteskrivelse"}, doctest.Para{Text: strings.Split(text, "\n")[1]}}
		if _, err := Read(context.Background(), "ts.docx", "", doctest.DOCX(blocks...)); !errors.Is(err, ErrBadText) && name == "override" { // XML has no control characters
			t.Errorf("%s in a DOCX: %v", name, err)
		}
	}
	// A Windows-1252 text file is read, not refused.
	r, err := Read(context.Background(), "ts.txt", "text/plain", []byte("Tj\xe4nsteskrivelse\nF\xf6reningsbidrag\n\nF\xf6rslag till beslut\n1. Bevilja\n"))
	if err != nil || r.Title != "Föreningsbidrag" {
		t.Errorf("Windows-1252: %q, %v", r.Title, err)
	}
}

// A name under Ansvariga that is a user, but no approver of the case's
// board, is not mapped: the review says so, and Input refuses it.
func TestMappingApproverRole(t *testing.T) {
	r := Report{Title: "T", Proposals: []string{"P"}, Responsible: []Person{{Name: "Jonas Magnusson", Title: "Enhetschef"}, {Name: "Sara Lindqvist", Title: "Utredare"}}}
	in, warnings := r.Draft(directory("ASN"))
	if in.Approvers[0].Email != "jonas@kommun.example" || in.Approvers[1].Email != "" || !hasWarning(warnings, "approvers[1]", "inte ansvarig chef") {
		t.Errorf("approvers %+v, warnings %+v", in.Approvers, warnings)
	}
	if _, err := r.Input(directory("ASN")); err == nil {
		t.Error("Input accepted an approver who is no approver")
	}
}

// A list longer than a case holds is cut, with a warning.
func TestParseCapsLists(t *testing.T) {
	var b strings.Builder
	b.WriteString("Tjänsteskrivelse\nT\n\nFörslag till beslut\n1. Ja\n\nAnsvariga\n")
	for i := range 60 {
		fmt.Fprintf(&b, "Person Nummer%d  Enhetschef\n", i)
	}
	r, err := Parse(b.String())
	if err != nil || len(r.Responsible) != workflow.MaxListItems || !hasWarning(r.Warnings, "approvers", "60 ansvariga") {
		t.Errorf("%d persons, %v, warnings %+v", len(r.Responsible), err, r.Warnings)
	}
}
