package workflow

import "testing"

func TestFormatCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1\u00a0000", 10000: "10\u00a0000",
		1234567: "1\u00a0234\u00a0567", -4500: "-4\u00a0500"} {
		if got := FormatCount(n); got != want {
			t.Errorf("FormatCount(%d) = %q, want %q", n, got, want)
		}
	}
}
