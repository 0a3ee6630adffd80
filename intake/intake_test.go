package intake

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

const seedFile = "testdata/ASN-2019-17886.txt"

func readSeed(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseSeed(t *testing.T) {
	r, err := Parse(readSeed(t))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}

	if want := "Internationell redovisning 2019"; r.Title != want {
		t.Errorf("Title = %q, want %q", r.Title, want)
	}
	if want := "ASN-2019-17886"; r.Number != want {
		t.Errorf("Number = %q, want %q", r.Number, want)
	}

	wantSummary := "Arbetsmarknads- och socialnämnden har uppdragits av kommunstyrelsen att redovisa " +
		"förvaltningens internationella arbete under 2019. Varje år sammanställs Malmö stads " +
		"internationella arbete till kommunstyrelsen med syfte att tydliggöra nyttan med den " +
		"internationella verksamheten i kommunen."
	if r.Summary != wantSummary {
		t.Errorf("Summary =\n%q\nwant\n%q", r.Summary, wantSummary)
	}

	wantProposals := []string{
		"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna redovisningen",
		"Arbetsmarknads- och socialnämnden skickar redovisningen till kommunstyrelsen",
	}
	if !reflect.DeepEqual(r.Proposals, wantProposals) {
		t.Errorf("Proposals = %q, want %q", r.Proposals, wantProposals)
	}

	wantAttachments := []string{
		"G-Tjänsteskrivelse - ASN 200130 - Redovisning av internationellt arbete 2019",
		"Redovisning av internationellt arbete 2019, Arbetsmarknads- och socialnämnden",
	}
	if !reflect.DeepEqual(r.Attachments, wantAttachments) {
		t.Errorf("Attachments = %q, want %q", r.Attachments, wantAttachments)
	}

	wantRoute := []RouteLine{
		{Body: "ASN presidieberedning", Date: "2020-01-08"},
		{Body: "Arbetsmarknads- och socialnämndens arbetsutskott", Date: "2020-01-16"},
		{Body: "Arbetsmarknads- och socialnämnden", Date: "2020-01-30"},
	}
	if !reflect.DeepEqual(r.Route, wantRoute) {
		t.Errorf("Route = %q, want %q", r.Route, wantRoute)
	}

	if want := []string{"Kommunstyrelsen"}; !reflect.DeepEqual(r.Recipients, want) {
		t.Errorf("Recipients = %q, want %q", r.Recipients, want)
	}

	wantResponsible := []Person{
		{Name: "Jonas Magnusson", Title: "Enhetschef"},
		{Name: "Katarina Lindeberg", Title: "Avdelningschef"},
		{Name: "Britt-Marie Pettersson", Title: "Förvaltningschef"},
	}
	if !reflect.DeepEqual(r.Responsible, wantResponsible) {
		t.Errorf("Responsible = %q, want %q (the footer \"Sammanfattning\" must be dropped)", r.Responsible, wantResponsible)
	}

	bg := r.Background
	for _, want := range []string{
		"4 029 253 SEK",
		"| Hela familjen | ESF | 1 680 158 SEK | 2 |",
		"Yalla Sofielund",
		"Förvaltningens överväganden",
	} {
		if !strings.Contains(bg, want) {
			t.Errorf("Background does not contain %q", want)
		}
	}
	if want := "öka andelen barn på förskolor i utsatta områden."; !strings.HasSuffix(bg, want) {
		t.Errorf("Background ends %q, want suffix %q", tail(bg, 80), want)
	}
	if strings.Contains(bg, "Sammanfattning") || strings.Contains(bg, "Jonas Magnusson") {
		t.Errorf("Background runs into Ansvariga or the footer: ...%q", tail(bg, 120))
	}
}

// TestParseSeedBackgroundLayout checks the structure of Ärendet: the opening
// paragraph re-flowed, the bullet list, sub-headings on their own, and the
// table one row per line.
func TestParseSeedBackgroundLayout(t *testing.T) {
	r, err := Parse(readSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	bg := r.Background

	wantStart := "Varje förvaltning har fått i uppdrag att göra en sammanställning som beskriver det " +
		"internationella arbetet under 2019 utifrån följande frågeställningar:\n\n" +
		"- Förvaltningarnas prioriterade områden i det internationella arbetet\n" +
		"- Personella resurser till förvaltningarnas internationella arbete\n" +
		"- Kompetensutveckling i EU-relaterade frågor och EU-projekt\n" +
		"- Uppnådda resultat (direkt projektrelaterade och indirekta resultat)\n" +
		"- Hur beviljade EU-medel medfört att förvaltningarnas målsättningar uppnåtts\n" +
		"- Implementering/spridning av projektresultat\n\n" +
		"Förvaltningens internationella arbete 2019\n\n" +
		"Arbetsmarknads- och socialförvaltningens internationella arbete syftar till att på kort och lång sikt"
	if !strings.HasPrefix(bg, wantStart) {
		t.Errorf("Background starts\n%q\nwant\n%q", bg[:min(len(bg), len(wantStart))], wantStart)
	}

	for _, heading := range []string{
		"EU-finansierade projekt där arbetsmarknads- och socialförvaltningen är projektägare",
		"EU-finansierade projekt där arbetsmarknads- och socialförvaltningen är projektpart",
		"Utbetalda EU-medel 2019",
		"Förvaltningens överväganden",
	} {
		if !strings.Contains(bg, "\n\n"+heading+"\n\n") {
			t.Errorf("sub-heading %q is not a paragraph of its own", heading)
		}
	}

	if want := "uppgått till 4 029 253 SEK fördelat på åtta projekt."; !strings.Contains(bg, want) {
		t.Errorf("Background does not re-flow the paragraph into %q", want)
	}

	// The EU table is a table: columns told apart, the caption from the
	// sub-heading above it, and the total, written apart, as its total row.
	wantTable := "\n\nUtbetalda EU-medel 2019\n" +
		"| Projektnamn | EU-fond | Utbetalt till ASF 2019 | Bidrar till KF-mål |\n" +
		"| --- | --- | ---: | ---: |\n" +
		"| Hela familjen | ESF | 1 680 158 SEK | 2 |\n" +
		"| Malmö Innovationsarena | ERUF | 214 598 SEK | 8 |\n" +
		"| Malmö växer | ERUF | 19 110 SEK | 8 |\n" +
		"| Sluta skjut/GVI | IFS | 0 SEK | 6 |\n" +
		"| Vägen in | ESF | 1 469 932 SEK | 2 |\n" +
		"| Yalla Sofielund | ESF | 215 824 SEK | 2 |\n" +
		"| TAMU | ESF | 257 345 SEK | 2 |\n" +
		"| Konsekvenspedagogisk vägledning/KRAMI | Erasmus+ | 172 286 SEK | 2 |\n" +
		"| TOTALT | | 4 029 253 SEK | |\n\n"
	if !strings.Contains(bg, wantTable) {
		t.Errorf("Background does not hold the table one row per line:\n%s", bg)
	}
}

// TestParseSeedBackgroundLosesNothing compares the words of Ärendet in the
// source with the words of Background: only bullet glyphs may change.
func TestParseSeedBackgroundLosesNothing(t *testing.T) {
	text := readSeed(t)
	r, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(text, "\nÄrendet\n")
	end := strings.Index(text, "\nAnsvariga")
	if start < 0 || end < start {
		t.Fatal("seed has no Ärendet ... Ansvariga")
	}
	var want []string
	for _, w := range strings.Fields(text[start+len("\nÄrendet\n") : end]) {
		if w != "\uf0b7" {
			want = append(want, w)
		}
	}
	// The table's pipes, delimiter row and caption are added; the total's
	// colon goes.
	bg := strings.Replace(r.Background, "\n\nUtbetalda EU-medel 2019\n|", "\n\n|", 1)
	var got []string
	for _, w := range strings.Fields(bg) {
		if w != "-" && w != "|" && w != "---" && w != "---:" {
			got = append(got, w)
		}
	}
	for i, w := range want {
		if w == "TOTALT:" {
			want[i] = "TOTALT"
		}
	}
	if !reflect.DeepEqual(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("word %d: got %q, want %q", i, got[i], want[i])
			}
		}
		t.Fatalf("got %d words, want %d", len(got), len(want))
	}
}

func TestParseCRLF(t *testing.T) {
	text := readSeed(t)
	want, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]string{
		"CRLF":       strings.ReplaceAll(text, "\n", "\r\n"),
		"CR":         strings.ReplaceAll(text, "\n", "\r"),
		"BOM+CRLF":   "\ufeff" + strings.ReplaceAll(text, "\n", "\r\n"),
		"form feeds": strings.Replace(text, "\nÄrendet\n", "\n\f\nÄrendet\n", 1),
	} {
		got, err := Parse(in)
		if err != nil {
			t.Errorf("%s: Parse: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: report differs from the LF parse:\n got %+v\nwant %+v", name, got, want)
		}
	}
}

func TestParseMinimal(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Report
	}{{
		name: "marker, title, one proposal",
		in:   "Tjänsteskrivelse\nTitel\nFörslag till beslut\n1. Godkänn redovisningen\n",
		want: Report{Title: "Titel", Proposals: []string{"Godkänn redovisningen"}},
	}, {
		name: "no marker, no final newline",
		in:   "Titel\n\nFörslag till beslut\n1. Godkänn",
		want: Report{Title: "Titel", Proposals: []string{"Godkänn"}},
	}, {
		name: "number before title, headings in other case and with colon",
		in: "TJÄNSTESKRIVELSE\nKS-2024-7\nBudget 2025\n\nFÖRSLAG TILL BESLUT:\n1) Anta budgeten\n" +
			"2) Skicka den vidare\n\nbeslutet skickas till\nKommunstyrelsen\nRevisionen\n",
		want: Report{
			Title: "Budget 2025", Number: "KS-2024-7", Reference: "KS-2024-7",
			Proposals:  []string{"Anta budgeten", "Skicka den vidare"},
			Recipients: []string{"Kommunstyrelsen", "Revisionen"},
		},
	}, {
		name: "wrapped proposal, decomposed å/ä/ö, non-breaking spaces",
		in: "Tja\u0308nsteskrivelse\nA\u0308rende om bidrag\nDnr ASN-2021-1\n\nFo\u0308rslag till beslut\n" +
			"1. Nämnden föreslås besluta att bevilja\nbidrag om 10\u00a0000 kr\n2. Nämnden justerar paragrafen omedelbart\n",
		want: Report{
			Title: "Ärende om bidrag", Number: "ASN-2021-1", Reference: "ASN-2021-1",
			Proposals: []string{
				"Nämnden föreslås besluta att bevilja bidrag om 10 000 kr",
				"Nämnden justerar paragrafen omedelbart",
			},
		},
	}, {
		name: "bullet variants, route with bullets, persons by tab and by last word",
		in: "Tjänsteskrivelse\nT\n\nFörslag till beslut\n1. Ja\n\nBeslutsunderlag\n" +
			"\uf0b7 Första\n• Andra\n\u2022Tredje\n- Fjärde\n* Femte\n\uf0a7 Sjätte med en lång titel som\nfortsätter här\n" +
			"\nBeslutsplanering\n\uf0b7 ASN arbetsutskott 2024-02-29\n\nAnsvariga\n" +
			"Anna Andersson\tEnhetschef\nBo Ek Avdelningschef\nCecilia  Förvaltningschef  Sociala resursförvaltningen\n",
		want: Report{
			Title:     "T",
			Proposals: []string{"Ja"},
			Attachments: []string{
				"Första", "Andra", "Tredje", "Fjärde", "Femte", "Sjätte med en lång titel som fortsätter här",
			},
			Route: []RouteLine{{Body: "ASN arbetsutskott", Date: "2024-02-29"}},
			Responsible: []Person{
				{Name: "Anna Andersson", Title: "Enhetschef"},
				{Name: "Bo Ek", Title: "Avdelningschef"},
				{Name: "Cecilia", Title: "Förvaltningschef, Sociala resursförvaltningen"},
			},
		},
	}, {
		name: "summary paragraphs, repeated headings dropped outside Ärendet",
		in: "Tjänsteskrivelse\nT\nSammanfattning\nFörsta stycket \nfortsätter här. \n\nAndra stycket.\n" +
			"Förslag till beslut\n1. Ja\nSammanfattning\nÄrendet\nText.\n\nSammanfattning\nMer text.\n" +
			"Ansvariga\nAnna Andersson  Enhetschef\n\n\n\tSammanfattning\n\tFörslag till beslut\n",
		want: Report{
			Title:       "T",
			Summary:     "Första stycket fortsätter här.\n\nAndra stycket.",
			Proposals:   []string{"Ja"},
			Background:  "Text.\n\nSammanfattning\n\nMer text.",
			Responsible: []Person{{Name: "Anna Andersson", Title: "Enhetschef"}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const proposals = "\nFörslag till beslut\n1. Godkänn\n"
	tests := []struct {
		name    string
		in      string
		is      []error
		mention []string // in the message
	}{{
		name:    "empty input",
		in:      "",
		is:      []error{ErrNoTitle, ErrNoProposals},
		mention: []string{"rubrik", "Förslag till beslut"},
	}, {
		name:    "missing title after the marker",
		in:      "Tjänsteskrivelse\n\n" + proposals,
		is:      []error{ErrNoTitle},
		mention: []string{"rubrik"},
	}, {
		name: "only a number, no title",
		in:   "Tjänsteskrivelse\nASN-2019-17886\n" + proposals,
		is:   []error{ErrNoTitle},
	}, {
		name:    "missing proposals section",
		in:      "Tjänsteskrivelse\nTitel\n\nSammanfattning\nText.\n\nÄrendet\nText.\n",
		is:      []error{ErrNoProposals},
		mention: []string{`"Förslag till beslut"`, "saknas"},
	}, {
		name:    "empty proposals section",
		in:      "Tjänsteskrivelse\nTitel\n\nFörslag till beslut\n\nBeslutsunderlag\n• Bilaga\n",
		is:      []error{ErrNoProposals},
		mention: []string{`"Förslag till beslut"`, "rad 4", "tomt"},
	}, {
		name:    "every problem at once",
		in:      "Tjänsteskrivelse\n\nBeslutsplanering\nNämnden 2021-02-29\nKS 2021-03-01\nKF i vår\n",
		is:      []error{ErrNoTitle, ErrNoProposals},
		mention: []string{"rubrik", "Förslag till beslut"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse returned no error and %+v", r)
			}
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("error %q is not %v", err, target)
				}
			}
			for _, s := range tt.mention {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if r.Err() == nil || r.Err().Error() != err.Error() {
				t.Errorf("Report.Err() = %v, want the error Parse returned", r.Err())
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(readSeed(f))
	f.Add(strings.ReplaceAll(readSeed(f), "\n", "\r\n"))
	f.Add("Tjänsteskrivelse\nTitel\nFörslag till beslut\n1. Godkänn\n")
	f.Add("Tjänsteskrivelse\nT\nFörslag till beslut\n1.\n\uf0b7\n\nBeslutsplanering\n\uf0b7 X 2020-02-30\nÄrendet\n\uf0b7\n\nA\nB\n1\n2\n3\n")
	f.Add("\xff\xfe\r\r\n\f\u0308Ansvariga\n\t \n  ")
	f.Add("Tjänsteskrivelse\nASN-2026-900\nT\nFörslag till beslut\n1. Nämnden föreslås besluta att fördela\n\nExempelkommun\nSida 1 (2)\n\fTjänsteskrivelse\nASN-2026-900\nstödet.\n")
	f.Add("T\nÄrendet\n| a | b |\n| --- | ---: |\n| x | 1 |\nRubrik\nA   B   C\nx   1   2\ny   3   4\nTOTALT 4\n")
	f.Add("TJÄNSTESKRIVELSE     2017-03-01\nDnr KS/2017:96\nKommunstyrelsen\nTitel\nFÖRSLAG TILL BESLUT\nKS föreslås besluta\natt anta, och\natt upphäva.\nAnsvariga\nSIGNERAD\nAnna Berg, chef\nA B    C D\nchef   strateg\n")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := Parse(text)
		if err != nil {
			return
		}
		if r.Title == "" {
			t.Errorf("no error but no title")
		}
		if len(r.Proposals) == 0 {
			t.Errorf("no error but no proposals")
		}
		for _, p := range r.Proposals {
			if p == "" {
				t.Errorf("empty proposal in %q", r.Proposals)
			}
		}
		for _, l := range r.Route {
			if _, err := time.Parse(time.DateOnly, l.Date); (err != nil && l.Date != "") || l.Body == "" {
				t.Errorf("route line %+v accepted", l)
			}
		}
	})
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
