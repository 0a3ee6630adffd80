package workflow

import "testing"

func TestTextProblem(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"Internationell redovisning 2019", true},
		{"Rad ett\r\nRad två\tmed tabb", true},
		{"Åmål, Čaušević, Łukasiewicz, Ŋuolja, العربية, 日本", true},
		{"", true},
		{"titel\x00", false},
		{"\x1b[31mröd", false},
		{"\x7f", false},
		{"\u0085nästa rad", false},
		{"\u202egnp.exe", false},
		{"a\u2066b\u2069", false},
		{"\u200f", false},
		{"trasig \xff byte", false},
		{"ersatt \ufffd tecken", false},
	} {
		if got := TextProblem(tt.in); (got == "") != tt.ok {
			t.Errorf("TextProblem(%q) = %q, want ok=%v", tt.in, got, tt.ok)
		}
	}
}
