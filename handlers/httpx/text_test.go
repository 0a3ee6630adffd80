package httpx

import (
	"reflect"
	"testing"
)

func TestTextBlocks(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []TextBlock
	}{
		{"empty", "", nil},
		{"one paragraph", "En mening.", []TextBlock{{Kind: "p", Text: "En mening."}}},
		{"a short line alone is text, not a heading", "Rubrik", []TextBlock{{Kind: "p", Text: "Rubrik"}}},
		{"heading before text", "Utbetalda EU-medel 2019\n\nText.", []TextBlock{
			{Kind: "heading", Text: "Utbetalda EU-medel 2019"}, {Kind: "p", Text: "Text."}}},
		{"a line with a colon is no heading", "TOTALT:  4 029 253 SEK\n\nText.", []TextBlock{
			{Kind: "p", Text: "TOTALT:  4 029 253 SEK"}, {Kind: "p", Text: "Text."}}},
		{"list", "Frågor:\n\n- ett\n- två", []TextBlock{
			{Kind: "p", Text: "Frågor:"}, {Kind: "list", Lines: []string{"ett", "två"}}}},
		{"list inside a block", "Inledning\n- ett\n- två\nSlut.", []TextBlock{
			{Kind: "p", Text: "Inledning"}, {Kind: "list", Lines: []string{"ett", "två"}}, {Kind: "p", Text: "Slut."}}},
		{"table rows", "Projekt Fond Belopp\nHela familjen ESF 1 680 158 SEK 2\nTAMU ESF 257 345 SEK 2", []TextBlock{
			{Kind: "figures", Lines: []string{"Projekt Fond Belopp", "Hela familjen ESF 1 680 158 SEK 2", "TAMU ESF 257 345 SEK 2"}}}},
		{"line breaks kept", "Rad ett\nRad två", []TextBlock{{Kind: "lines", Lines: []string{"Rad ett", "Rad två"}}}},
		{"windows line ends and blank runs", "A.\r\n\r\n\r\n\r\nB.", []TextBlock{{Kind: "p", Text: "A."}, {Kind: "p", Text: "B."}}},
		{"a pipe in a sentence is no table", "Välj ja | nej.\nEller | kanske.", []TextBlock{{Kind: "lines", Lines: []string{"Välj ja | nej.", "Eller | kanske."}}}},
		{"pipe table", "Rubrik\n| Post | Belopp |\n| --- | ---: |\n| Hyra | 12 000 kr |\n| Övrigt | se bilaga |\n| Summa: | 12 000 kr |", []TextBlock{
			{Kind: "table", Table: &TableView{Caption: "Rubrik", Label: "Tabell: Rubrik",
				Header: []tableCell{{Text: "Post"}, {Text: "Belopp", Class: "num"}},
				Rows:   [][]tableCell{{{Text: "Hyra"}, {Text: "12 000 kr", Class: "num"}}, {{Text: "Övrigt"}, {Text: "se bilaga", Class: "num"}}},
				Total:  []tableCell{{Text: "Summa:"}, {Text: "12 000 kr", Class: "num"}}}}}},
		{"figures left of text are right-aligned cell by cell", "| a | b |\n|---|---|\n| 1 | x |\n| y | 2 |", []TextBlock{
			{Kind: "table", Table: &TableView{Label: "Tabell", Header: []tableCell{{Text: "a"}, {Text: "b"}},
				Rows: [][]tableCell{{{Text: "1", Class: "num"}, {Text: "x"}}, {{Text: "y"}, {Text: "2", Class: "num"}}}}}}},
		{"markup stays text", "<script>alert(1)</script>", []TextBlock{{Kind: "p", Text: "<script>alert(1)</script>"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := TextBlocks(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("textBlocks(%q)\n got %+v\nwant %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestFieldAnchor(t *testing.T) {
	for field, want := range map[string]string{
		"title": "title", "route[2]": "route-2", "approvers[0]": "approvers-0", "proposals": "proposals-0",
		"route": "route-0", "recipients[11]": "recipients-11", "date": "date",
	} {
		if got := FieldAnchor(field); got != want {
			t.Errorf("fieldAnchor(%q) = %q, want %q", field, got, want)
		}
	}
}
