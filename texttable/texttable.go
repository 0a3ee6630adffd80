// Package texttable is a placeholder replaced by the tables branch.
package texttable

import (
	"regexp"
	"strconv"
	"strings"
)

// Align is a column's alignment.
type Align int

// Alignments.
const (
	AlignLeft Align = iota
	AlignRight
	AlignCenter
)

// Table is a table in a case's text.
type Table struct {
	Caption string
	Header  []string
	Align   []Align
	Rows    [][]string
	Total   []string
}

// String formats t as a GFM pipe table.
func (t Table) String() string {
	var b strings.Builder
	if t.Caption != "" {
		b.WriteString(t.Caption + "\n")
	}
	row := func(cells []string) {
		b.WriteString("|")
		for i := range t.Header {
			c := ""
			if i < len(cells) {
				c = strings.ReplaceAll(cells[i], "|", `\|`)
			}
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	row(t.Header)
	b.WriteString("|")
	for i := range t.Header {
		if i < len(t.Align) && t.Align[i] == AlignRight {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		row(r)
	}
	if t.Total != nil {
		row(t.Total)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

var valueRE = regexp.MustCompile(`^([-−]?\d{1,3}(?:[ \x{a0}\x{202f}]\d{3})*(?:,\d+)?|[-−]?\d+(?:,\d+)?)\s*(%|sek|kr|tkr|mkr|mnkr|st)?$`)

// Value reads a Swedish figure.
func Value(cell string) (float64, string, bool) {
	m := valueRE.FindStringSubmatch(strings.ToLower(strings.TrimSpace(cell)))
	if m == nil {
		return 0, "", false
	}
	s := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", ".", "−", "-").Replace(m[1])
	v, err := strconv.ParseFloat(s, 64)
	return v, m[2], err == nil
}
