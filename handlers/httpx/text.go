package httpx

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/kommun/beslutsgang/texttable"
)

// TextBlock is one piece of a report section as the page lays it out.
type TextBlock struct {
	Kind  string     // "p", "heading", "list", "lines" (kept line breaks), "table" or "figures" (a legacy table's rows as text)
	Text  string     // for p and heading
	Lines []string   // for list, lines and figures
	Table *TableView // for table
}

// TableView is a table of the text (texttable) as the page sets it: each
// cell with the class that aligns it.
type TableView struct {
	Caption string
	Label   string // names the scrolling region that holds the table
	Header  []tableCell
	Rows    [][]tableCell
	Total   []tableCell // nil if the table has no total row
}

// tableCell is one cell and its class: "num" (right-aligned, tabular
// figures), "center" or "".
type tableCell struct {
	Text  string
	Class string
}

func tableViewOf(t texttable.Table) *TableView {
	v := &TableView{Caption: t.Caption, Label: "Tabell"}
	if t.Caption != "" {
		v.Label = "Tabell: " + t.Caption
	}
	row := func(cells []string, header bool) []tableCell {
		out := make([]tableCell, len(cells))
		for i, c := range cells {
			a := t.ColumnAlign(i)
			if !header {
				a = t.CellAlign(i, c)
			}
			out[i] = tableCell{Text: c, Class: alignClass[a]}
		}
		return out
	}
	v.Header = row(t.Header, true)
	for _, r := range t.Rows {
		v.Rows = append(v.Rows, row(r, false))
	}
	if t.Total != nil {
		v.Total = row(t.Total, false)
	}
	return v
}

var alignClass = map[texttable.Align]string{texttable.AlignRight: "num", texttable.AlignCenter: "center"}

// figureEnd matches a line that ends in a figure, maybe with a unit: the rows
// of a table flattened into text ("Vägen in ESF 1 469 932 SEK 2").
var figureEnd = regexp.MustCompile(`(?i)\d(?:\s*(?:%|sek|kr|tkr|mkr|mnkr|st))?$`)

// TextBlocks lays out a section's text the way the tjänsteskrivelse reads:
// blocks separated by blank lines are paragraphs, lines starting "- " are a
// list, a short line on its own without punctuation is a sub-heading, and
// a block of several lines keeps its line breaks (set as a table's rows when
// most of them end in a figure). A block in pipe-table syntax, maybe with a
// caption line above it, is a table (see texttable.Parse). Everything stays
// text: the template escapes it.
func TextBlocks(text string) []TextBlock {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var out []TextBlock
	for _, block := range strings.Split(text, "\n\n") {
		if t, ok := texttable.Parse(block); ok {
			out = append(out, TextBlock{Kind: "table", Table: tableViewOf(t)})
			continue
		}
		var lines []string
		for _, l := range strings.Split(block, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		out = append(out, blockOf(lines)...)
	}
	// A heading is only a heading if text follows it.
	if n := len(out); n > 0 && out[n-1].Kind == "heading" {
		out[n-1].Kind = "p"
	}
	return out
}

// blockOf splits one block into runs of list items and runs of other lines.
func blockOf(lines []string) []TextBlock {
	var out []TextBlock
	for len(lines) > 0 {
		_, bullet := cutDash(lines[0])
		n := 1
		for n < len(lines) {
			if _, b := cutDash(lines[n]); b != bullet {
				break
			}
			n++
		}
		run := lines[:n]
		lines = lines[n:]
		switch {
		case bullet:
			items := make([]string, len(run))
			for i, l := range run {
				items[i], _ = cutDash(l)
			}
			out = append(out, TextBlock{Kind: "list", Lines: items})
		case len(run) == 1 && isHeading(run[0]) && len(lines) == 0:
			out = append(out, TextBlock{Kind: "heading", Text: run[0]})
		case len(run) == 1:
			out = append(out, TextBlock{Kind: "p", Text: run[0]})
		case mostlyFigures(run):
			out = append(out, TextBlock{Kind: "figures", Lines: run})
		default:
			out = append(out, TextBlock{Kind: "lines", Lines: run})
		}
	}
	return out
}

func cutDash(line string) (string, bool) {
	rest, ok := strings.CutPrefix(line, "- ")
	return strings.TrimSpace(rest), ok
}

// isHeading reports a short line with no sentence punctuation in it.
func isHeading(line string) bool {
	if utf8.RuneCountInString(line) > 100 || len(strings.Fields(line)) > 12 {
		return false
	}
	return !strings.ContainsAny(line, ".:;!?,")
}

func mostlyFigures(lines []string) bool {
	n := 0
	for _, l := range lines {
		if figureEnd.MatchString(l) {
			n++
		}
	}
	return n*2 > len(lines)
}
