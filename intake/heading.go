package intake

import (
	"strings"
	"unicode/utf8"
)

// headingAliases are the other ways tjänsteskrivelser write each section's
// heading, lower case. Word templates differ between municipalities and
// between years of the same municipality's template.
var headingAliases = map[string][]string{
	headSummary:     {"sammanfattning", "sammanfattning av ärendet", "ärendets sammanfattning", "kort sammanfattning"},
	headProposals:   {"förslag till beslut", "förslag till beslut i nämnden", "förslag till nämndens beslut", "beslutsförslag", "förvaltningens förslag till beslut", "förslag"},
	headAttachments: {"beslutsunderlag", "underlag för beslut", "bilagor", "bilaga", "handlingar"},
	headRoute:       {"beslutsplanering", "beredning", "ärendets beredning", "beslutsgång", "planerad beslutsgång"},
	headRecipients:  {"beslutet skickas till", "beslut skickas till", "beslutet ska skickas till", "beslutet expedieras till", "expediering", "sändlista", "beslutet delges"},
	headBackground:  {"ärendet", "ärendebeskrivning", "beskrivning av ärendet", "bakgrund", "ärendet och dess beredning", "ärendets bakgrund"},
	headResponsible: {"ansvariga", "ansvarig", "ansvariga tjänstepersoner", "ansvarig tjänsteperson", "underskrifter"},
}

// weakAliases are aliases also used as sub-headings inside Ärendet; there
// they do not open a section.
var weakAliases = map[string]bool{"förslag": true, "bilaga": true, "bilagor": true, "handlingar": true,
	"beredning": true, "beslutsgång": true, "bakgrund": true, "ansvarig": true, "underskrifter": true}

// headingOf reports which section heading s is, if any: one of the headings
// or their aliases, in any case, with a final colon or not, spaced out
// ("S A M M A N F A T T N I N G") or not, numbered ("2. Ärendet") or not.
// A heading with text after its colon ("Förslag till beslut: Nämnden …")
// returns that text as rest.
func headingOf(s string) (head, rest string, ok bool) {
	head, rest, _, ok = headingKind(s)
	return head, rest, ok
}

// headingKind is headingOf, also telling whether the alias found is weak.
func headingKind(s string) (head, rest string, weak, ok bool) {
	s = collapseSpaces(strings.TrimLeftFunc(s, isPrivateUse))
	if i := strings.Index(s, ":"); i > 0 && i < len(s)-1 {
		if h, _, weak, ok := headingKind(s[:i]); ok && !weak {
			return h, strings.TrimSpace(s[i+1:]), false, true
		}
	}
	s = strings.TrimSpace(strings.TrimSuffix(s, ":"))
	if n, numbered := cutNumber(s); numbered && n != "" {
		s = n
	}
	if utf8.RuneCountInString(s) > 50 {
		return "", "", false, false
	}
	if spacedOut(s) {
		s = strings.ReplaceAll(s, " ", "")
	}
	low := strings.ToLower(s)
	for _, h := range headings {
		for _, alias := range headingAliases[h] {
			if low == alias {
				return h, "", weakAliases[alias], true
			}
		}
	}
	return "", "", false, false
}

// isHeadingLine reports a line that is a section heading.
func isHeadingLine(s string) bool {
	_, rest, ok := headingOf(s)
	return ok && rest == ""
}

// spacedOut reports text written with a space between every letter.
func spacedOut(s string) bool {
	words := strings.Fields(s)
	if len(words) < 4 {
		return false
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) != 1 {
			return false
		}
	}
	return true
}
