package httpx

import "testing"

// A file just over the limit must not read as the limit's own size.
func TestSizeText(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 kB", 1: "1 kB", 64 << 10: "64 kB", 64<<10 + 1: "65 kB",
		20 << 20: "20 MB", 20<<20 + 1: "21 MB", 1<<20 - 1: "1024 kB",
	} {
		if got := SizeText(n); got != want {
			t.Errorf("SizeText(%d) = %q, want %q", n, got, want)
		}
	}
}
