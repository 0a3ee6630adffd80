package web

import (
	"net/url"
	"unicode"
	"unicode/utf8"
)

// localPath keeps a return address on this site: a plain local path such as
// /cases?stage=board, optionally with a query and a #fragment; anything else
// becomes "/". The rule is strict because browsers are lenient: they drop
// tabs and newlines anywhere in a URL and read a backslash as a slash, so
// "/<TAB>/evil.example" and "/<BACKSLASH>evil.example" both take them to
// //evil.example. A kept path is exactly "/", or starts with "/" followed by
// neither a slash nor a backslash; is valid UTF-8; holds no backslash,
// whitespace, control, format or unassigned character anywhere; and parses
// as a URL without scheme or host.
func localPath(next string) string {
	if next == "/" {
		return next
	}
	if len(next) < 2 || next[0] != '/' || next[1] == '/' || next[1] == '\\' || !utf8.ValidString(next) {
		return "/"
	}
	for _, r := range next {
		// unicode.IsPrint is false for every control, format, separator and
		// unassigned character, and true for the ASCII space alone of the spaces.
		if r == ' ' || r == '\\' || !unicode.IsPrint(r) {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return next
}
