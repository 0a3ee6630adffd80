package workflow

import "strconv"

// FormatCount writes n the Swedish way, the thousands grouped by a no-break
// space (U+00A0) so the number never wraps: "10 000" (Språkrådet, Svenska
// skrivregler: siffergruppering med mellanrum).
func FormatCount(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := ""
	for len(s) > 3 {
		out = "\u00a0" + s[len(s)-3:] + out
		s = s[:len(s)-3]
	}
	out = s + out
	if neg {
		out = "-" + out
	}
	return out
}
