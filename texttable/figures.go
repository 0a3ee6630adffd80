package texttable

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// figure is a Swedish figure: an optional minus sign ("-" or U+2212), digits
// in groups of three separated by a space, no-break space, thin space or
// narrow no-break space (or not grouped at all), an optional decimal part
// after "," or ".", and an optional unit.
var figure = regexp.MustCompile(`(?i)^([-\x{2212}])?(\d{1,3}(?:[ \x{00A0}\x{2009}\x{202F}]\d{3})+|\d+)(?:[,.](\d+))?(?:[ \x{00A0}\x{2009}\x{202F}]*(%|sek|kr|tkr|mkr|mnkr|mdkr|st))?$`)

// Value reads cell as a figure: "1 680 158 SEK" is 1680158 and "SEK",
// "12,5 %" is 12.5 and "%", "−3 000 kr" is -3000 and "kr", "4 029 253" is
// 4029253 and "". Thousands may be grouped by spaces, no-break spaces or
// thin spaces; the decimal mark is "," (or "."). The units are SEK, kr, tkr,
// mkr, mnkr, mdkr, % and st, in any case, returned as written; a value
// keeps the unit's scale (2 tkr is 2). ok is false for anything else:
// "", "2019-års", "Erasmus+", "ca 300".
func Value(cell string) (v float64, unit string, ok bool) {
	m := figure.FindStringSubmatch(strings.TrimSpace(cell))
	if m == nil {
		return 0, "", false
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, m[2])
	if m[3] != "" {
		digits += "." + m[3]
	}
	v, err := strconv.ParseFloat(digits, 64)
	if err != nil { // out of range: not a figure worth reading
		return 0, "", false
	}
	if m[1] != "" {
		v = -v
	}
	return v, m[4], true
}

// Numeric reports whether cell is a figure that Value reads.
func Numeric(cell string) bool {
	_, _, ok := Value(cell)
	return ok
}

// decimals is how many digits a figure shows after its decimal mark.
func decimals(cell string) int {
	m := figure.FindStringSubmatch(strings.TrimSpace(cell))
	if m == nil {
		return 0
	}
	return len(m[3])
}

// Mismatch is a column whose body rows do not add up to the figure in the
// total row.
type Mismatch struct {
	Col   int     // the column, from 0
	Sum   float64 // the sum of the column's body cells
	Total float64 // the figure in the total row
}

// CheckTotal adds up each column for which the total row holds a figure
// and reports the columns whose sum differs from it by half a unit of the
// total's last decimal or more (by 0.5 or more for a total in whole
// kronor). An empty cell, "-", "–" or "—" in the body counts as 0; a column
// with any other cell that is not a figure cannot be checked and is
// skipped. Units are not compared. A table without a total row has
// nothing to check: the result is nil, as it is when every column adds up.
func (t Table) CheckTotal() []Mismatch {
	var out []Mismatch
	for col, cell := range t.Total {
		total, _, ok := Value(cell)
		if !ok {
			continue
		}
		sum, checkable := 0.0, true
		for _, r := range t.Rows {
			s := ""
			if col < len(r) {
				s = strings.TrimSpace(r[col])
			}
			switch v, _, ok := Value(s); {
			case ok:
				sum += v
			case s == "" || s == "-" || s == "–" || s == "—":
			default:
				checkable = false
			}
		}
		if checkable && math.Abs(sum-total) >= 0.5*math.Pow10(-decimals(cell)) {
			out = append(out, Mismatch{Col: col, Sum: sum, Total: total})
		}
	}
	return out
}
