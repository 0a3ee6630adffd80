package texttable

import (
	"github.com/kommun/beslutsgang/internal/docfixture"
	"reflect"
	"strings"
	"testing"
)

// euTable is the seed report's table of EU funds.
const euTable = docfixture.EUTable

func TestParseEUTable(t *testing.T) {
	tb, ok := Parse(euTable)
	if !ok {
		t.Fatal("the EU table is not a table")
	}
	if tb.Caption != "Utbetalda EU-medel 2019" {
		t.Errorf("caption %q", tb.Caption)
	}
	if want := []string{"Projektnamn", "EU-fond", "Utbetalt till ASF 2019", "Bidrar till KF-mål"}; !reflect.DeepEqual(tb.Header, want) {
		t.Errorf("header %q", tb.Header)
	}
	if want := []Align{AlignLeft, AlignLeft, AlignRight, AlignRight}; !reflect.DeepEqual(tb.Align, want) {
		t.Errorf("align %v", tb.Align)
	}
	if len(tb.Rows) != 8 || tb.Rows[7][0] != "Konsekvenspedagogisk vägledning/KRAMI" || tb.Rows[0][2] != "1 680 158 SEK" {
		t.Errorf("rows %q", tb.Rows)
	}
	if want := []string{"TOTALT", "", "4 029 253 SEK", ""}; !reflect.DeepEqual(tb.Total, want) {
		t.Errorf("total %q", tb.Total)
	}
	if got := tb.String(); got != euTable {
		t.Errorf("String() is not the canonical text it was read from:\n%s", got)
	}
	if m := tb.CheckTotal(); m != nil {
		t.Errorf("the EU table adds up, CheckTotal says %+v", m)
	}
	if a := tb.ColumnAlign(3); a != AlignRight {
		t.Errorf("column 3 aligns %v", a)
	}
	if a := tb.ColumnAlign(1); a != AlignLeft {
		t.Errorf("column 1 aligns %v", a)
	}
}

func TestCheckTotalMismatch(t *testing.T) {
	tb, _ := Parse(strings.Replace(euTable, "| 19 110 SEK |", "| 19 100 SEK |", 1))
	want := []Mismatch{{Col: 2, Sum: 4029243, Total: 4029253}}
	if got := tb.CheckTotal(); !reflect.DeepEqual(got, want) {
		t.Errorf("CheckTotal() = %+v, want %+v", got, want)
	}
	// Decimals: 0,1 + 0,2 is 0,3 despite floating point.
	tb, _ = Parse("| A | B |\n|---|--:|\n| x | 0,1 |\n| y | 0,2 |\n| Summa: | 0,3 |")
	if m := tb.CheckTotal(); m != nil {
		t.Errorf("0,1 + 0,2 = 0,3: %+v", m)
	}
	// A column with text in it cannot be checked; a dash counts as nothing.
	tb, _ = Parse("| A | B | C |\n|---|--:|--:|\n| x | ca 5 | 1 |\n| y | 2 | – |\n| Totalt | 9 | 2 |")
	if got, want := tb.CheckTotal(), []Mismatch{{Col: 2, Sum: 1, Total: 2}}; !reflect.DeepEqual(got, want) {
		t.Errorf("CheckTotal() = %+v, want %+v", got, want)
	}
	if m := (Table{Header: []string{"a"}, Rows: [][]string{{"1"}}}).CheckTotal(); m != nil {
		t.Errorf("no total row, yet %+v", m)
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want Table
		ok   bool
	}{
		{"no outer pipes", "a | b\n--- | :---:\n1 | 2", Table{Header: []string{"a", "b"}, Align: []Align{AlignLeft, AlignCenter},
			Rows: [][]string{{"1", "2"}}}, true},
		{"escaped pipe, short and long rows", "| a | b |\n|:--|---|\n| x \\| y |\n| 1 | 2 | 3 |", Table{Header: []string{"a", "b"},
			Align: []Align{AlignLeft, AlignLeft}, Rows: [][]string{{"x | y", ""}, {"1", "2"}}}, true},
		{"only a header", "| a |\n| --- |", Table{Header: []string{"a"}, Align: []Align{AlignLeft}}, true},
		{"only a total", "| a | b |\n| --- | --- |\n| Summa | 3 |", Table{Header: []string{"a", "b"}, Align: []Align{AlignLeft, AlignLeft},
			Total: []string{"Summa", "3"}}, true},
		{"total only last", "| a |\n| --- |\n| Totalt |\n| x |", Table{Header: []string{"a"}, Align: []Align{AlignLeft},
			Rows: [][]string{{"Totalt"}, {"x"}}}, true},
		{"a word starting Total is no total", "| a |\n| --- |\n| Totalförsvaret |", Table{Header: []string{"a"}, Align: []Align{AlignLeft},
			Rows: [][]string{{"Totalförsvaret"}}}, true},
		{"windows line ends", "Rubrik\r\n| a |\r\n| ---: |\r\n| 1 |", Table{Caption: "Rubrik", Header: []string{"a"}, Align: []Align{AlignRight},
			Rows: [][]string{{"1"}}}, true},
		{"no delimiter row", "| a | b |\n| 1 | 2 |", Table{}, false},
		{"delimiter of another width", "| a | b |\n| --- |", Table{}, false},
		{"two lines above the header", "Text\nRubrik\n| a |\n| --- |", Table{}, false},
		{"a pipe in a sentence", "Välj ja | nej i formuläret.", Table{}, false},
		{"escaped pipes only", "a \\| b\n--- \\| ---", Table{}, false},
		{"empty", "", Table{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Parse(tc.in)
			if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse(%q) = %+v, %v\nwant %+v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestStringPadsAndEscapes(t *testing.T) {
	tb := Table{Caption: "Kostnader | intäkter", Header: []string{"a", "b"}, Align: []Align{AlignRight},
		Rows: [][]string{{"x|y"}, {"1", "2", "3"}}}
	want := "Kostnader \\| intäkter\n| a | b |\n| ---: | --- |\n| x\\|y | |\n| 1 | 2 |"
	if got := tb.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
	back, ok := Parse(want)
	if !ok || back.Caption != "Kostnader | intäkter" || back.Rows[0][0] != "x|y" {
		t.Errorf("Parse(String()) = %+v, %v", back, ok)
	}
}

func TestValue(t *testing.T) {
	for _, tc := range []struct {
		in   string
		v    float64
		unit string
		ok   bool
	}{
		{"1 680 158 SEK", 1680158, "SEK", true},
		{"4 029 253", 4029253, "", true},
		{"12,5 %", 12.5, "%", true},
		{"12,5%", 12.5, "%", true},
		{"−3 000 kr", -3000, "kr", true},
		{"-3 000 kr", -3000, "kr", true},
		{"0 SEK", 0, "SEK", true},
		{"1\u00a0234\u00a0567 tkr", 1234567, "tkr", true},
		{"1\u202f234 mnkr", 1234, "mnkr", true},
		{"1\u2009234,75", 1234.75, "", true},
		{"2019", 2019, "", true},
		{"42 st", 42, "st", true},
		{" 8 ", 8, "", true},
		{"3,2 mkr", 3.2, "mkr", true},
		{"2019-års", 0, "", false},
		{"Erasmus+", 0, "", false},
		{"", 0, "", false},
		{"ca 300", 0, "", false},
		{"1 68 158", 0, "", false},
		{"12 %  ökning", 0, "", false},
		{"ESF", 0, "", false},
	} {
		v, unit, ok := Value(tc.in)
		if v != tc.v || unit != tc.unit || ok != tc.ok {
			t.Errorf("Value(%q) = %v, %q, %v; want %v, %q, %v", tc.in, v, unit, ok, tc.v, tc.unit, tc.ok)
		}
		if Numeric(tc.in) != tc.ok {
			t.Errorf("Numeric(%q) = %v", tc.in, !tc.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{euTable, "a | b\n--- | ---\n1 | 2", "| a \\| |\n|:-:|\n|\\\\|\n||", "x\\\n|a|\n|-|\n|\\|", "|\n|-|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, block string) {
		tb, ok := Parse(block)
		if !ok {
			return
		}
		rows := append([][]string{tb.Header}, tb.Rows...)
		if tb.Total != nil {
			rows = append(rows, tb.Total)
		}
		for _, r := range rows {
			if len(r) != len(tb.Header) || len(tb.Align) != len(tb.Header) {
				t.Fatalf("row %q has %d cells, the header %d, align %d", r, len(r), len(tb.Header), len(tb.Align))
			}
			for c, s := range r {
				Value(s)
				tb.CellAlign(c, s)
			}
		}
		tb.CheckTotal()
		s := tb.String()
		back, ok := Parse(s)
		if !ok {
			t.Fatalf("Parse(%q) accepts it, but not its String() %q", block, s)
		}
		if !reflect.DeepEqual(back, tb) {
			t.Fatalf("Parse(%q) = %#v\nits String() %q\nparses as %#v", block, tb, s, back)
		}
		if again := back.String(); again != s {
			t.Fatalf("String() is not stable: %q then %q", s, again)
		}
	})
}
