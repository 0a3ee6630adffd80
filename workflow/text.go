package workflow

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextProblem says, in Swedish, why s cannot be taken as text a person
// typed, or returns "" when it can. Text must be valid UTF-8 (RFC 3629) and
// hold none of:
//   - U+FFFD, what a decoder makes of broken bytes or a lone surrogate
//     (so "stored as U+FFFD" never silently replaces what was sent);
//   - control characters other than tab, line feed and carriage return
//     (C0, DEL and C1: NUL ends strings in other systems);
//   - the bidirectional formatting characters U+202A–U+202E, U+2066–U+2069
//     and U+200E, U+200F, U+061C, which make "‮gnp.exe" show as "exe.png"
//     (Unicode TR 36 §2.3, CVE-2021-42574).
func TextProblem(s string) string {
	if !utf8.ValidString(s) {
		return "är inte giltig UTF-8"
	}
	for _, r := range s {
		if why := runeProblem(r); why != "" {
			return why
		}
	}
	return ""
}

// runeProblem is TextProblem of one rune of valid UTF-8.
func runeProblem(r rune) string {
	switch {
	case r == utf8.RuneError:
		return "innehåller ersättningstecknet U+FFFD, som står för en trasig teckenkodning"
	case r == '\t' || r == '\n' || r == '\r':
	case r < 0x20 || (r >= 0x7f && r <= 0x9f):
		return fmt.Sprintf("innehåller styrtecknet U+%04X, som inte får finnas i text", r)
	case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c:
		return fmt.Sprintf("innehåller tecknet U+%04X, som vänder skrivriktningen och kan dölja vad texten säger", r)
	}
	return ""
}

// WithoutProblemText is s without what TextProblem refuses: broken UTF-8,
// U+FFFD, control characters and the bidirectional formatting characters
// are dropped, everything else is kept as it is. A form that was refused
// for them comes back with this text, for the person to check.
func WithoutProblemText(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		if runeProblem(r) != "" {
			return -1
		}
		return r
	}, s)
}

// CountCases is n with the Swedish word for case in the right number:
// "1 ärende", "0 ärenden", "12 ärenden".
func CountCases(n int) string {
	if n == 1 {
		return "1 ärende"
	}
	return strconv.Itoa(n) + " ärenden"
}

// Blank reports whether s shows nothing: it holds only white space
// (unicode.IsSpace: spaces, tabs, NBSP, U+3000, line and paragraph
// separators), format characters that have no glyph (Unicode category Cf:
// U+200B zero width space, U+FEFF, U+00AD soft hyphen, U+2060 word joiner,
// …) and the fillers that render as blank (U+2800 braille blank, U+3164 and
// the other Hangul fillers). A required text (a reason, a title, a
// decision) that is Blank is missing, however many characters it has.
func Blank(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), unicode.Is(unicode.Cf, r):
		case r == 0x2800, r == 0x3164, r == 0x115f, r == 0x1160, r == 0xffa0:
		default:
			return false
		}
	}
	return true
}
